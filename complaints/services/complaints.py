"""The complaint loop (接收、分析、处理、反馈、改善、提高) and its escalation.

One state table moved by ``core.statemachine`` (``_move``); every step is a service that checks who may act, validates
its data and calls it. Every change leaves a ComplaintEvent (who, when, what). Escalation moves the complaint to the next
person up the reports-to chain and is recorded once per breach (unique constraint on complaint, breach, deadline).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import CareSettings, Complaint, ComplaintContact, ComplaintEvent, Escalation
from core.errors import AuthorityError, DomainError, TransitionError
from core.money import money_text
from core.notifications import notification_send, notifications_resolve
from core.numbering import next_number
from core.statemachine import Machine, Rule, transition
from org.models import Position, Staff, Station
from org.services import Authority, may_decide, next_approver, next_up, supervisor_chain
from reception.models import Customer, Vehicle, WorkOrder

S = Complaint.State


# The one state table: (from, to) → the fields that must be filled. Anything not listed is refused. Who may move a
# complaint is the owner's chain (``_may_handle``), checked by each service, so the rules name no permission action.
TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.RECEIVED, S.ANALYSING): Rule(),  # acknowledge
    (S.ANALYSING, S.HANDLING): Rule(needs=("root_cause", "responsible_department")),  # analyse
    (S.HANDLING, S.FEEDBACK): Rule(needs=("remedy",)),  # handle
    (S.FEEDBACK, S.HANDLING): Rule(),  # the customer does not accept the solution: back to handling
    (S.FEEDBACK, S.IMPROVING): Rule(),  # feedback done
    (S.IMPROVING, S.CLOSED): Rule(needs=("corrective_action", "corrective_owner", "corrective_due")),  # close
}


def care_settings(station: Station) -> CareSettings:
    """The station's settings row, or an unsaved one holding the defaults."""
    return CareSettings.objects.filter(station=station).first() or CareSettings(station=station)


def _event(complaint: Complaint, *, kind: str, by: Staff | None, note: str = "", old: str = "", new: str = ""):
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=kind, by=by, note=note, old_state=old, new_state=new, at=timezone.now()
    )


def _record(complaint: Complaint, *, old: str, new: str, by: Staff | None, note: str) -> ComplaintEvent:
    return _event(complaint, kind=ComplaintEvent.Kind.TRANSITION, by=by, old=old, new=new, note=note)


COMPLAINT = Machine(
    name="complaint",
    model=Complaint,
    status_field="state",
    rules=TRANSITIONS,
    record=_record,
    kwarg="complaint",
    save_all=True,  # the step's service has set its fields on the locked row
    reload=False,
    cannot=gettext_lazy("A complaint cannot go from “%(old)s” to “%(new)s”."),
)


ESCALATION_KEY = "complaint-escalation:"  # the key prefix of every escalation notification (one per escalation)


def _move(*, complaint: Complaint, to: str, by: Staff, note: str = "") -> Complaint:
    complaint = transition(COMPLAINT, obj=complaint, to=to, by=by, note=note)
    _resolve_escalations(complaint, by)
    return complaint


def _resolve_escalations(complaint: Complaint, by: Staff) -> None:
    """Someone the complaint was escalated to has acted on it: its escalation notifications have done their job and
    are marked read for everyone who got one (the person it went to and the person it came from)."""
    if complaint.escalations.filter(to_staff=by).exists():
        notifications_resolve(related=complaint, key_prefix=f"{ESCALATION_KEY}{complaint.pk}:")


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _may_handle(complaint: Complaint, by: Staff) -> None:
    """The owner works the complaint; anyone above them in the chain (or a group role) may step in."""
    if by.pk == complaint.owner_id or by.is_superuser or by.is_group_role:
        return
    if by.position == Position.STATION_MANAGER and by.station_id == complaint.station_id:
        return
    if any(p.pk == by.pk for p in supervisor_chain(staff=complaint.owner)):
        return
    raise TransitionError(_("Only the owner of this complaint or someone above them may work on it."))


def complaint_may_handle(complaint: Complaint, by: Staff) -> bool:
    """May this person work the complaint now (the same rule every step checks)?"""
    try:
        _may_handle(complaint, by)
    except TransitionError:
        return False
    return complaint.is_open


def complaint_next_steps(complaint: Complaint, by: Staff) -> list[str]:
    """The states this person may move the complaint to now: the state table's targets, for someone who may work
    it (nobody else is offered a step that would be refused)."""
    if not complaint_may_handle(complaint, by):
        return []
    return [str(to) for to in COMPLAINT.targets(complaint, by)]


# --- intake ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_create(
    *,
    by: Staff,
    station: Station,
    customer: Customer,
    source: str,
    category: str,
    severity: int,
    subject: str,
    description: str,
    vehicle: Vehicle | None = None,
    order: WorkOrder | None = None,
    staff_involved: Staff | None = None,
    owner: Staff | None = None,
    is_crisis: bool = False,
    possible_comeback: bool = False,
    received_at: datetime | None = None,
) -> Complaint:
    """Receive a complaint from any source. Deadlines follow the station's settings for the severity."""
    severity = int(severity)
    if not 1 <= severity <= 4:
        raise DomainError(_("Severity is between 1 and 4."), field="severity")
    if customer.station_id != station.pk:
        raise DomainError(_("This customer belongs to another station."), field="customer")
    if vehicle is not None and vehicle.station_id != station.pk:
        raise DomainError(_("This vehicle belongs to another station."), field="vehicle")
    if order is not None and order.station_id != station.pk:
        raise DomainError(_("This work order belongs to another station."), field="order")
    if order is not None and order.customer_id != customer.pk:
        raise DomainError(_("This work order is not this customer's."), field="order")
    if owner is not None and owner.station_id not in (station.pk, None):
        raise DomainError(_("The owner must work in this station."), field="owner")
    received_at = received_at or timezone.now()
    if is_crisis:
        severity = 4
    conf = care_settings(station)
    complaint = Complaint.objects.create(
        station=station,
        number=next_number(station=station, kind="complaint", prefix="TS"),
        source=source,
        category=category,
        severity=severity,
        max_severity=severity,
        is_crisis=False,
        customer=customer,
        vehicle=vehicle or (order.vehicle if order else None),
        order=order,
        staff_involved=staff_involved,
        subject=subject,
        description=description,
        owner=owner or by,
        received_by=by,
        received_at=received_at,
        response_due=received_at + conf.response_window(severity),
        resolution_due=received_at + conf.resolution_window(severity),
        possible_comeback=possible_comeback,
    )
    _event(complaint, kind=ComplaintEvent.Kind.CREATED, by=by, new=complaint.state)
    if complaint.owner_id != by.pk:
        _notify_owner(complaint, subject=_("New complaint %(number)s for you") % {"number": complaint.number})
    if is_crisis:
        complaint_declare_crisis(complaint=complaint, by=by)
        complaint.refresh_from_db()
    return complaint


def _notify_owner(complaint: Complaint, *, subject: str, body: str = "") -> None:
    notification_send(
        channel="in_app", to_staff=complaint.owner, subject=subject,
        body=body or complaint.subject, related=complaint,
    )


# --- the loop -------------------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, by: Staff, note: str = "") -> Complaint:
    """First response to the customer: the response deadline is met, analysis starts."""
    complaint = _locked(complaint)
    _may_handle(complaint, by)
    if complaint.responded_at is None:
        complaint.responded_at = timezone.now()
    return _move(complaint=complaint, to=S.ANALYSING, by=by, note=note)


@transaction.atomic
def complaint_analyse(
    *,
    complaint: Complaint,
    by: Staff,
    root_cause: str,
    responsible_department: str,
    responsible_person: Staff | None = None,
    severity: int | None = None,
) -> Complaint:
    complaint = _locked(complaint)
    _may_handle(complaint, by)
    complaint.root_cause = root_cause.strip()
    complaint.responsible_department = responsible_department
    complaint.responsible_person = responsible_person
    note = ""
    if severity and int(severity) != complaint.severity:
        if not 1 <= int(severity) <= 4:
            raise DomainError(_("Severity is between 1 and 4."), field="severity")
        if int(severity) < complaint.severity and not may_decide(
            staff=by, kind=Authority.COMPLAINT, amount=complaint.severity
        ):
            raise AuthorityError(
                _("Lowering the severity of a severity %(severity)s complaint needs authority over severity "
                  "%(severity)s.") % {"severity": complaint.severity},
                field="severity",
            )
        note = _("severity %(old)s → %(new)s") % {"old": complaint.severity, "new": severity}
        complaint.severity = int(severity)
        complaint.max_severity = max(complaint.max_severity, complaint.severity)
    return _move(complaint=complaint, to=S.HANDLING, by=by, note=note or complaint.root_cause[:200])


@transaction.atomic
def complaint_handle(*, complaint: Complaint, by: Staff, remedy: str, goodwill: Decimal = Decimal("0")) -> Complaint:
    """Record what was done and move on to feeding back.

    Goodwill must be within the handler's authority. Beyond it, the complaint is escalated to the nearest person up
    the chain who may decide that amount (a record and a notification) and stays in handling for them to decide.
    """
    complaint = _locked(complaint)
    _may_handle(complaint, by)
    goodwill = Decimal(goodwill or 0)
    if goodwill < 0:
        raise DomainError(_("Goodwill cannot be negative."), field="goodwill")
    if not remedy.strip():
        raise DomainError(_("Say what was done."), field="remedy")
    if goodwill and not may_decide(staff=by, kind=Authority.GOODWILL, amount=goodwill):
        approver = next_approver(staff=by, kind=Authority.GOODWILL, amount=goodwill)
        if approver is None:
            raise AuthorityError(
                _("Goodwill of %(amount)s is beyond everyone's authority here: head office must decide.")
                % {"amount": money_text(goodwill)},
                field="goodwill",
            )
        if complaint.state != S.HANDLING:
            _move(complaint=complaint, to=S.FEEDBACK, by=by)  # refuses with the usual message
        # The proposal is kept on the complaint, so the person who decides starts from it.
        complaint.remedy = remedy.strip()
        complaint.goodwill_proposed = goodwill
        complaint.goodwill_proposed_by = by
        complaint.save(update_fields=["remedy", "goodwill_proposed", "goodwill_proposed_by", "updated_at"])
        _event(complaint, kind=ComplaintEvent.Kind.GOODWILL, by=by,
               note=_("Proposed goodwill %(amount)s: %(remedy)s")
               % {"amount": money_text(goodwill), "remedy": remedy.strip()})
        _escalate(complaint, breach=Escalation.Breach.AUTHORITY, deadline=timezone.now(), by=by, to=approver)
        return complaint
    complaint.remedy = remedy.strip()
    if goodwill:
        complaint.goodwill_amount = goodwill
        complaint.goodwill_approved_by = by
        _event(complaint, kind=ComplaintEvent.Kind.GOODWILL, by=by, note=money_text(goodwill))
    proposer = complaint.goodwill_proposed_by if complaint.goodwill_proposed else None
    complaint.goodwill_proposed = Decimal("0")
    complaint.goodwill_proposed_by = None
    if proposer is not None and proposer.pk != by.pk and proposer.is_active:
        # Decided: the complaint goes back to whoever proposed the goodwill, to feed the decision back.
        complaint.owner = proposer
        _event(complaint, kind=ComplaintEvent.Kind.REASSIGNED, by=by, note=f"{by} → {proposer}")
        notification_send(
            channel="in_app", to_staff=proposer, related=complaint, body=complaint.remedy,
            subject=_("Complaint %(number)s: goodwill decided (%(amount)s), feed back to the customer")
            % {"number": complaint.number, "amount": money_text(goodwill)},
        )
    complaint = _move(complaint=complaint, to=S.FEEDBACK, by=by, note=complaint.remedy[:200])
    if proposer is not None:
        notifications_resolve(related=complaint, key_prefix=f"{ESCALATION_KEY}{complaint.pk}:")
    return complaint


@transaction.atomic
def complaint_log_contact(
    *, complaint: Complaint, by: Staff, summary: str, channel: str = "phone", customer_accepts: bool | None = None
) -> ComplaintContact:
    """Log one contact with the customer. A first contact also counts as the response."""
    complaint = _locked(complaint)
    if not complaint.is_open:
        raise TransitionError(_("This complaint is closed."))
    if not summary.strip():
        raise DomainError(_("Say what was discussed."), field="summary")
    contact = ComplaintContact.objects.create(
        complaint=complaint, by=by, summary=summary.strip(), channel=channel, customer_accepts=customer_accepts
    )
    if complaint.responded_at is None:
        complaint.responded_at = contact.at
        complaint.save(update_fields=["responded_at", "updated_at"])
    _event(complaint, kind=ComplaintEvent.Kind.CONTACT, by=by, note=summary.strip()[:500])
    return contact


@transaction.atomic
def complaint_feedback_done(*, complaint: Complaint, by: Staff, accepted: bool) -> Complaint:
    """After feeding back: the customer accepts (→ improve) or does not (→ back to handling)."""
    complaint = _locked(complaint)
    _may_handle(complaint, by)
    if complaint.state == S.FEEDBACK and not complaint.contacts.filter(at__gte=_entered(complaint, S.FEEDBACK)).exists():
        raise DomainError(_("Log the contact with the customer first."))
    complaint = _move(complaint=complaint, to=S.IMPROVING if accepted else S.HANDLING, by=by)
    closing = complaint.closing_severity
    if accepted and not may_decide(staff=complaint.owner, kind=Authority.COMPLAINT, amount=closing):
        # The owner could not close it: hand it to the nearest person who may, now rather than at the last step.
        _escalate(complaint, breach=Escalation.Breach.AUTHORITY, deadline=complaint.received_at, by=by,
                  to=next_approver(staff=complaint.owner, kind=Authority.COMPLAINT, amount=closing))
    return complaint


def _entered(complaint: Complaint, state: str) -> datetime:
    event = complaint.events.filter(new_state=state).order_by("-at", "-id").first()
    return event.at if event else complaint.received_at


@transaction.atomic
def complaint_close(
    *,
    complaint: Complaint,
    by: Staff,
    corrective_action: str,
    corrective_owner: Staff | None,
    corrective_due: date | None,
    satisfaction: int | None,
    note: str = "",
) -> Complaint:
    """Close with the corrective action and the customer's satisfaction. Needs authority over the highest severity
    the complaint ever had."""
    complaint = _locked(complaint)
    if not may_decide(staff=by, kind=Authority.COMPLAINT, amount=complaint.closing_severity):
        raise AuthorityError(
            _("Closing a severity %(severity)s complaint is beyond your authority.")
            % {"severity": complaint.closing_severity}
        )
    if complaint.is_crisis and not (by.is_group_role or by.position == Position.STATION_MANAGER or by.is_superuser):
        raise AuthorityError(_("A crisis incident is closed by the station manager or the group."))
    if satisfaction is None or not 1 <= int(satisfaction) <= 5:
        raise DomainError(_("Record the customer's satisfaction with the outcome (1–5)."), field="satisfaction")
    if corrective_owner is not None and corrective_owner.station_id not in (complaint.station_id, None):
        raise DomainError(_("The owner must work in this station."), field="corrective_owner")
    complaint.corrective_action = corrective_action.strip()
    complaint.corrective_owner = corrective_owner
    complaint.corrective_due = corrective_due
    complaint.satisfaction = int(satisfaction)
    complaint.closed_at = timezone.now()
    complaint.closed_by = by
    return _move(complaint=complaint, to=S.CLOSED, by=by, note=note)


# --- escalation -----------------------------------------------------------------------------------------------------


def _escalate(
    complaint: Complaint, *, breach: str, deadline: datetime, by: Staff | None, to: Staff | None
) -> Escalation | None:
    """Record one escalation and move the owner. Returns None when this breach was escalated before."""
    if Escalation.objects.filter(complaint=complaint, breach=breach, deadline=deadline).exists():
        return None
    previous = complaint.owner
    try:
        with transaction.atomic():
            row = Escalation.objects.create(
                complaint=complaint, breach=breach, deadline=deadline, from_staff=previous, to_staff=to
            )
    except IntegrityError:  # a concurrent run got there first
        return None
    label = Escalation.Breach(breach).label
    key = f"{ESCALATION_KEY}{complaint.pk}:{row.pk}:"
    if to is not None and to.pk != previous.pk:
        complaint.owner = to
        complaint.updated_at = timezone.now()
        # A plain update: the owner feeds no figure, so the post-save listeners (KPI dirty days) need not run.
        Complaint.objects.filter(pk=complaint.pk).update(owner=to, updated_at=complaint.updated_at)
        note = _("%(reason)s: %(old)s → %(new)s") % {"reason": label, "old": previous, "new": to}
        subject = _("Complaint %(number)s escalated to you: %(reason)s") % {"number": complaint.number, "reason": label}
        notification_send(channel="in_app", to_staff=to, subject=subject, body=complaint.subject, related=complaint,
                          key=f"{key}to")
        notification_send(
            channel="in_app", to_staff=previous, related=complaint, body=complaint.subject,
            subject=_("Complaint %(number)s was escalated to %(who)s") % {"number": complaint.number, "who": to},
            key=f"{key}from",
        )
    else:
        note = _("%(reason)s: nobody further up the chain") % {"reason": label}
        notification_send(
            channel="in_app", to_staff=previous, related=complaint, body=complaint.subject,
            subject=_("Complaint %(number)s is overdue: %(reason)s") % {"number": complaint.number, "reason": label},
            key=f"{key}overdue",
        )
    _event(complaint, kind=ComplaintEvent.Kind.ESCALATED, by=by, note=note)
    return row


def _resolution_ladder(complaint: Complaint) -> datetime:
    """The next resolution deadline to check: the first one, then one more window after each escalation for it."""
    done = complaint.escalations.filter(breach=Escalation.Breach.RESOLUTION).count()
    return complaint.resolution_due + done * care_settings(complaint.station).resolution_window(complaint.severity)


@transaction.atomic
def complaint_check_deadlines(*, complaint: Complaint, now: datetime | None = None) -> list[Escalation]:
    """Escalate a complaint whose deadline has passed. Running it again for the same breach changes nothing."""
    complaint = _locked(complaint)
    now = now or timezone.now()
    if not complaint.is_open:
        return []
    done: list[Escalation] = []
    if complaint.responded_at is None and now > complaint.response_due:
        row = _escalate(complaint, breach=Escalation.Breach.RESPONSE, deadline=complaint.response_due, by=None,
                        to=next_up(staff=complaint.owner))
        if row:
            done.append(row)
    deadline = _resolution_ladder(complaint)
    if now > deadline:
        row = _escalate(complaint, breach=Escalation.Breach.RESOLUTION, deadline=deadline, by=None,
                        to=next_up(staff=complaint.owner))
        if row:
            done.append(row)
    return done


@transaction.atomic
def complaint_escalate_for_authority(*, complaint: Complaint, by: Staff) -> Escalation | None:
    """The owner asks the nearest person who may close this severity to take over."""
    complaint = _locked(complaint)
    _may_handle(complaint, by)
    if not complaint.is_open:
        raise TransitionError(_("This complaint is closed."))
    to = next_approver(staff=complaint.owner, kind=Authority.COMPLAINT, amount=complaint.closing_severity)
    if to is None:
        raise DomainError(_("Nobody further up the chain may decide this: head office must take it."))
    return _escalate(complaint, breach=Escalation.Breach.AUTHORITY, deadline=timezone.now(), by=by, to=to)


def _station_manager(station_id: int) -> Staff | None:
    return (
        Staff.objects.filter(station_id=station_id, position=Position.STATION_MANAGER, is_active=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def complaint_declare_crisis(*, complaint: Complaint, by: Staff, note: str = "") -> Complaint:
    """A crisis incident (危机事件): severity 4, owned by the station manager, the group director told at once."""
    complaint = _locked(complaint)
    if complaint.is_crisis:
        return complaint
    if not complaint.is_open:
        raise TransitionError(_("This complaint is closed."))
    complaint.is_crisis = True
    complaint.severity = complaint.max_severity = 4
    complaint.save(update_fields=["is_crisis", "severity", "max_severity", "updated_at"])
    _event(complaint, kind=ComplaintEvent.Kind.CRISIS, by=by, note=note)
    manager = _station_manager(complaint.station_id)
    _escalate(complaint, breach=Escalation.Breach.CRISIS, deadline=complaint.received_at, by=by, to=manager)
    directors = Staff.objects.filter(
        group_id=complaint.station.group_id, position=Position.GROUP_DIRECTOR, is_active=True
    )
    subject = _("Crisis incident: complaint %(number)s") % {"number": complaint.number}
    for director in directors:
        notification_send(channel="in_app", to_staff=director, subject=subject, body=complaint.subject,
                          related=complaint)
        if director.email:
            notification_send(channel="email", to_staff=director, subject=subject, body=complaint.description,
                              related=complaint)
    return complaint


@transaction.atomic
def complaint_reassign(*, complaint: Complaint, by: Staff, owner: Staff) -> Complaint:
    complaint = _locked(complaint)
    _may_handle(complaint, by)
    if owner.station_id not in (complaint.station_id, None):
        raise DomainError(_("The owner must work in this station."), field="owner")
    old = complaint.owner
    complaint.owner = owner
    complaint.save(update_fields=["owner", "updated_at"])
    _event(complaint, kind=ComplaintEvent.Kind.REASSIGNED, by=by, note=f"{old} → {owner}")
    _notify_owner(complaint, subject=_("Complaint %(number)s is now yours") % {"number": complaint.number})
    return complaint


def complaints_escalate_overdue(*, now: datetime | None = None) -> int:
    """Escalate every open complaint with a deadline breach not yet escalated (the beat task).

    One query finds the candidates and what was already escalated for them, so a run where nothing new is due costs
    a single query however many complaints are overdue. Returns the number of escalations made.
    """
    from django.db.models import Count, Exists, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    now = now or timezone.now()
    response_done = Escalation.objects.filter(
        complaint=OuterRef("pk"), breach=Escalation.Breach.RESPONSE, deadline=OuterRef("response_due")
    )
    resolution_count = (
        Escalation.objects.filter(complaint=OuterRef("pk"), breach=Escalation.Breach.RESOLUTION)
        .values("complaint").annotate(n=Count("pk")).values("n")
    )
    rows = (
        Complaint.objects.exclude(state=S.CLOSED)
        .filter(Q(responded_at__isnull=True, response_due__lt=now) | Q(resolution_due__lt=now))
        .annotate(response_done=Exists(response_done), resolutions=Coalesce(Subquery(resolution_count), 0))
        .values_list("pk", "station_id", "severity", "responded_at", "response_due", "resolution_due",
                     "response_done", "resolutions")
        .order_by("resolution_due")
    )
    windows: dict[int, CareSettings] = {}
    count = 0
    for pk, station_id, severity, responded, response_due, resolution_due, response_escalated, resolutions in rows:
        conf = windows.get(station_id)
        if conf is None:
            conf = windows[station_id] = care_settings(Station(pk=station_id))
        response_breach = responded is None and response_due < now and not response_escalated
        resolution_breach = resolution_due + resolutions * conf.resolution_window(severity) < now
        if response_breach or resolution_breach:
            count += len(complaint_check_deadlines(complaint=Complaint(pk=pk), now=now))
    return count
