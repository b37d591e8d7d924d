"""What the customer does on the link: decide the additional work (with a signature), answer the survey, complain.

Each goes through the department's own service — the very one the desk uses — with the order's advisor as the staff
member it is recorded under (the customer has no login) and channel "link". A decision also keeps the signature, the
time and the device in a ``LinkApproval`` row.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Complaint
from complaints.services.complaints import complaint_create
from complaints.services.followups import DIMENSIONS, followup_record_survey
from core.errors import DomainError
from core.uploads import signature_clean
from portal.models import LinkApproval
from portal.services.link_page import estimate_to_sign, survey_call
from reception.models import WorkOrder, WorkOrderLine
from reception.services.estimates import estimate_sign
from reception.services.orders import line_remove
from reception.services.workflow import record_event
from workshop.models import Channel, Finding
from workshop.services.findings import finding_decide


@transaction.atomic
def link_decide(*, order: WorkOrder, decisions: dict[int, bool], signature_png: bytes | None,
                user_agent: str = "") -> LinkApproval:
    """The customer's answers to pending findings of this order (finding id → approve?), signed once for all."""
    if not decisions:
        raise DomainError(_("Approve or decline at least one item."), field="decisions")
    if not signature_png:
        raise DomainError(_("Please sign with your finger before sending."), field="signature")
    try:
        clean = signature_clean(signature_png)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="signature") from exc
    findings = {f.pk: f for f in Finding.objects.filter(order=order, pk__in=list(decisions))}
    if len(findings) != len(decisions):
        raise DomainError(_("One of the items is not on this order."), field="decisions")
    if any(f.decision != Finding.Decision.PENDING for f in findings.values()):
        raise DomainError(_("One of the items has already been decided."), field="decisions")
    approval = LinkApproval(order=order, user_agent=(user_agent or "")[:300],
                            decisions={str(k): bool(v) for k, v in decisions.items()})
    approval.signature.save(clean.name, clean, save=False)
    approval.save()
    device = (user_agent or _("unknown device"))[:120]
    for pk in sorted(findings):
        finding_decide(finding=findings[pk], approve=decisions[pk], channel=Channel.LINK, by=order.advisor,
                       note=_("answered on the customer's link, signed; device: %(device)s") % {"device": device})
    record_event(order=order, by=order.advisor, kind="link_signed",
                 note=_("%(n)d item(s) decided and signed on the customer's link") % {"n": len(findings)})
    return approval


@transaction.atomic
def link_sign_estimate(*, order: WorkOrder, declined: set[int], signature_png: bytes | None,
                       user_agent: str = "") -> LinkApproval:
    """The customer signs the estimate on the phone, having declined some of its proposed lines first: the same
    reception services as at the desk (``line_remove``, then ``estimate_sign`` with method "link"), recorded under the
    order's advisor, with the signature, the time and the device kept in a ``LinkApproval`` row."""
    if not signature_png:
        raise DomainError(_("Please sign with your finger before sending."), field="signature")
    try:
        clean = signature_clean(signature_png)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="signature") from exc
    rows = estimate_to_sign(order)
    if rows is None:
        raise DomainError(_("There is no estimate waiting for your signature."), field="estimate")
    proposed = {row.pk for row in rows if row.proposed}
    if not set(declined) <= proposed:
        raise DomainError(_("One of the items is not on this order."), field="estimate")
    if len(set(declined)) == len(rows):
        raise DomainError(_("Keep at least one item, or call your service advisor."), field="estimate")
    lines = {line.pk: line for line in WorkOrderLine.objects.filter(order=order, pk__in=list(declined))}
    for pk in sorted(declined):
        line_remove(line=lines[pk], by=order.advisor)
    version = estimate_sign(order=order, by=order.advisor, method="link", signature_png=signature_png,
                            note=_("signed on the customer's link; device: %(device)s")
                            % {"device": (user_agent or _("unknown device"))[:120]})
    approval = LinkApproval(order=order, user_agent=(user_agent or "")[:300],
                            decisions={"estimate_version": version.number, "declined_lines": sorted(declined)})
    approval.signature.save(clean.name, clean, save=False)
    approval.save()
    record_event(order=order, by=order.advisor, kind="link_signed",
                 note=_("Estimate version %(n)d signed on the customer's link") % {"n": version.number})
    return approval


@transaction.atomic
def link_survey(*, order: WorkOrder, overall: int, perceptions: dict[str, int], problem_fixed: bool | None,
                would_recommend: bool | None = None, comments: str = ""):
    """The follow-up survey answered on the phone: the same record as a call that reached the customer."""
    call = survey_call(order)
    if call is None:
        raise DomainError(_("The survey is not open for this visit."))
    if set(perceptions) != set(DIMENSIONS):
        raise DomainError(_("Please answer every question."), field="perceptions")
    by = call.advisor or order.advisor
    return followup_record_survey(call=call, by=by, overall=overall, perceptions=perceptions,
                                  problem_fixed=problem_fixed, would_recommend=would_recommend,
                                  comments=(comments or "")[:2000])


@transaction.atomic
def link_complaint(*, order: WorkOrder, text: str) -> Complaint:
    """A complaint written on the page: received like any other, source "online"."""
    text = (text or "").strip()
    if len(text) < 5:
        raise DomainError(_("Please tell us what went wrong."), field="text")
    return complaint_create(
        by=order.advisor, station=order.station, customer=order.customer, vehicle=order.vehicle, order=order,
        staff_involved=order.advisor, source=Complaint.Source.ONLINE, category=Complaint.Category.OTHER,
        severity=2, subject=_("Complaint from the customer's link on %(order)s") % {"order": order.number},
        description=text[:4000],
    )
