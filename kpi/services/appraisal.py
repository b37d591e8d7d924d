"""The monthly appraisal (月度考核) of service advisors, technicians, parts staff and customer relations.

Score = weighted mean of five components, each 0–100, with the station's weights (defaults: system figures 40,
self 10, supervisor 25, customer 15, peer 10; pass mark 70 — ``kpi.models.AppraisalSettings``):

* system figures: the mean of the components that have data — their customers' CSI score (0–100), appointment
  show rate × 100, settlement accuracy × 100, and 100 − 20 per complaint against them (not below 0);
* the four reviews (self, supervisor, customer, peer), entered in the app, each 0–100.

The score is only given once all four reviews are in; then the month is passed or failed. A failed month after a
failed month is flagged, visibly on the appraisal page, and notified once to the front-desk lead and the station
manager (``core.notifications.notification_send``, in-app).

The other roles use the same reviews, weights, pass mark and flag; only the system figures differ (``ROLE_FIGURES``),
each scored 0–100 and averaged over those that have data:

* technicians, their own figures (``TechnicianDay``): productivity and efficiency (× 100, at most 100) and
  100 − 20 per comeback against them;
* parts staff, the station's parts figures (the rollups keep no per-clerk grain): first-fill rate × 100, inventory
  turnover as a share of its target (at most 100) and 100 − obsolete stock %;
* customer relations, the station's: follow-up coverage, follow-up success and complaints closed in time, × 100.
The flag goes to the station manager(s) and the role's lead (``ROLE_LEADS``) besides the person's own superior.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.notifications import notification_send
from kpi.models import AdvisorDay, Appraisal, AppraisalReview, AppraisalSettings, TechnicianDay
from kpi.registry import KPIS, Totals
from kpi.selectors import Period, people_totals, period_of, station_totals
from org.models import Position, Staff, Station

logger = logging.getLogger(__name__)
ZERO = Decimal("0")
HUNDRED = Decimal("100")
FIGURES = ["cars_in", "show_rate", "settlement_accuracy", "csi", "complaints", "revenue", "hours_sold"]
Role = Appraisal.Role
ROLE_FIGURES = {
    Role.ADVISOR: FIGURES,
    Role.TECHNICIAN: ["productivity", "efficiency", "comebacks", "hours_sold_jobs"],
    Role.PARTS: ["first_fill", "turnover", "obsolete_rate"],
    Role.CARE: ["sfu", "sfu_success", "complaints_in_time"],
}
ROLE_POSITIONS = {
    Role.ADVISOR: [Position.SERVICE_ADVISOR],
    Role.TECHNICIAN: [Position.TECHNICIAN],
    Role.PARTS: [Position.PARTS_CLERK],
    Role.CARE: [Position.CUSTOMER_RELATIONS],
}
# Who leads each role: told of two failed months, and the one who appraises them (``roles_appraised_by``). The
# station has no customer-relations lead position: customer relations sit under the front-desk lead.
ROLE_LEADS = {
    Role.ADVISOR: Position.FRONT_DESK_LEAD,
    Role.TECHNICIAN: Position.WORKSHOP_LEAD,
    Role.PARTS: Position.PARTS_LEAD,
    Role.CARE: Position.FRONT_DESK_LEAD,
}
APPRAISE_ALL = frozenset({Position.STATION_MANAGER, Position.GROUP_DIRECTOR})


def appraises_every_role(user: Staff) -> bool:
    """The station manager and the group director appraise everyone, at every station they see."""
    return user.is_superuser or user.position in APPRAISE_ALL


def roles_appraised_by(user: Staff) -> list[str]:
    """Who may appraise whom — the one rule the appraisal pages follow: the manager (and the group director) every
    role; a lead the roles they lead (``ROLE_LEADS``), at their own station only; anyone else none."""
    if appraises_every_role(user):
        return list(Role.values)
    return [role for role, lead in ROLE_LEADS.items() if lead == user.position and user.station_id]


def may_appraise(user: Staff, appraisal: Appraisal) -> bool:
    """Whether ``user`` may open and review ``appraisal`` (its station already among those the user sees)."""
    if appraisal.role not in roles_appraised_by(user):
        return False
    return appraises_every_role(user) or appraisal.station_id == user.station_id


def settings_for(station: Station) -> AppraisalSettings:
    found = AppraisalSettings.objects.filter(station=station).first()
    return found or AppraisalSettings(station=station)


def _q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def role_of(person: Staff) -> str:
    return next((role for role, positions in ROLE_POSITIONS.items() if person.position in positions), Role.ADVISOR)


def system_figures(*, advisor: Staff, month: date, role: str = Role.ADVISOR) -> dict[str, str | None]:
    """The person's figures for the month, from the rollups (as strings: JSON keeps Decimals exact): their own
    (advisor, technician) or their station's (parts, customer relations)."""
    period = period_of("month", month)
    if role == Role.ADVISOR:
        totals = people_totals(AdvisorDay, [advisor.station_id], period).get(advisor.pk)
    elif role == Role.TECHNICIAN:
        totals = people_totals(TechnicianDay, [advisor.station_id], period).get(advisor.pk)
    else:
        totals = station_totals([advisor.station_id], period).get(advisor.station_id)
    totals = totals or Totals()
    out: dict[str, str | None] = {}
    for code in ROLE_FIGURES[role]:
        value = KPIS[code].value(totals)
        out[code] = None if value is None else str(value)
    return out


def _pct(figures: dict, code: str) -> Decimal | None:
    """A ratio figure as 0–100 (at most 100), or None without data."""
    value = figures.get(code)
    return None if value is None else min(HUNDRED, Decimal(value) * HUNDRED)


def _mean(parts: list[Decimal | None]) -> Decimal | None:
    parts = [p for p in parts if p is not None]
    return _q(sum(parts) / len(parts)) if parts else None


def role_system_score(figures: dict, role: str) -> Decimal | None:
    if role == Role.TECHNICIAN:
        comebacks = Decimal(figures.get("comebacks") or 0)
        return _mean([_pct(figures, "productivity"), _pct(figures, "efficiency"),
                      max(ZERO, HUNDRED - 20 * comebacks)])
    if role == Role.PARTS:
        turnover, target = figures.get("turnover"), KPIS["turnover"].target
        obsolete = _pct(figures, "obsolete_rate")
        return _mean([_pct(figures, "first_fill"),
                      None if turnover is None or not target else min(HUNDRED, Decimal(turnover) / target * HUNDRED),
                      None if obsolete is None else HUNDRED - obsolete])
    if role == Role.CARE:
        return _mean([_pct(figures, c) for c in ROLE_FIGURES[Role.CARE]])
    return system_score(figures)


def system_score(figures: dict) -> Decimal | None:
    parts: list[Decimal] = []
    if figures.get("csi") is not None:
        parts.append(Decimal(figures["csi"]))
    for code in ("show_rate", "settlement_accuracy"):
        if figures.get(code) is not None:
            parts.append(Decimal(figures[code]) * HUNDRED)
    complaints = Decimal(figures.get("complaints") or 0)
    parts.append(max(ZERO, HUNDRED - 20 * complaints))
    return _q(sum(parts) / len(parts)) if parts else None


def weighted_score(*, system: Decimal | None, reviews: dict[str, Decimal], weights: AppraisalSettings) -> Decimal | None:
    kinds = [k for k, _label in AppraisalReview.Kind.choices]
    if system is None or any(k not in reviews for k in kinds):
        return None
    pairs = [(weights.weight_system, system)] + [(getattr(weights, f"weight_{k}"), reviews[k]) for k in kinds]
    total_weight = sum(w for w, _s in pairs)
    if not total_weight:
        return None
    return _q(sum(w * s for w, s in pairs) / total_weight)


def _previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


@transaction.atomic
def appraisal_refresh(*, advisor: Staff, month: date) -> Appraisal:
    """Create or recompute one advisor's appraisal for a month; flags a second failed month in a row."""
    month = month.replace(day=1)
    appraisal, _created = Appraisal.objects.select_for_update().get_or_create(
        advisor=advisor, month=month, defaults={"station_id": advisor.station_id, "role": role_of(advisor)}
    )
    appraisal.figures = system_figures(advisor=advisor, month=month, role=appraisal.role)
    appraisal.system_score = role_system_score(appraisal.figures, appraisal.role)
    reviews = {r.kind: r.score for r in appraisal.reviews.all()}
    weights = settings_for(appraisal.station)
    appraisal.score = weighted_score(system=appraisal.system_score, reviews=reviews, weights=weights)
    appraisal.passed = None if appraisal.score is None else appraisal.score >= weights.pass_mark
    previous = Appraisal.objects.filter(advisor=advisor, month=_previous_month(month)).first()
    was_flagged = appraisal.flagged
    appraisal.flagged = appraisal.passed is False and previous is not None and previous.passed is False
    appraisal.save()
    if appraisal.flagged and not was_flagged:
        transaction.on_commit(lambda: _notify_flag(appraisal.pk))
    return appraisal


def appraisals_prepare(*, station: Station, month: date, role: str = Role.ADVISOR) -> list[Appraisal]:
    """An appraisal for every active person of the role at the station for the month (figures refreshed)."""
    advisors = Staff.objects.filter(station=station, position__in=ROLE_POSITIONS[role], is_active=True)
    return [appraisal_refresh(advisor=a, month=month) for a in advisors.order_by("username")]


@transaction.atomic
def appraisal_review_set(*, appraisal: Appraisal, kind: str, score: Decimal, comment: str, by: Staff) -> Appraisal:
    if kind not in AppraisalReview.Kind.values:
        raise DomainError(_("Unknown review."), field="kind")
    if not ZERO <= score <= HUNDRED:
        raise DomainError(_("A score is between 0 and 100."), field="score")
    if by.pk == appraisal.advisor_id and kind != AppraisalReview.Kind.SELF:
        raise DomainError(_("Nobody enters reviews of themselves other than the self review."), field="kind")
    AppraisalReview.objects.update_or_create(
        appraisal=appraisal, kind=kind, defaults={"score": score, "comment": comment, "entered_by": by}
    )
    return appraisal_refresh(advisor=appraisal.advisor, month=appraisal.month)


def flag_recipients(appraisal: Appraisal) -> list[Staff]:
    """The person's superior, the role's lead(s) of the station (front desk, workshop, parts) and the station
    manager(s)."""
    people = list(
        Staff.objects.filter(
            station_id=appraisal.station_id, is_active=True,
            position__in=[ROLE_LEADS[appraisal.role], Position.STATION_MANAGER],
        )
    )
    lead = appraisal.advisor.reports_to
    if lead and lead not in people:
        people.append(lead)
    return people


def _notify_flag(appraisal_pk: int) -> None:
    appraisal = Appraisal.objects.select_related("advisor").get(pk=appraisal_pk)
    name = appraisal.advisor.display_name or appraisal.advisor.username
    for person in flag_recipients(appraisal):
        try:
            notification_send(
                channel="in_app", to_staff=person,
                subject=_("Appraisal: %(name)s failed two months in a row") % {"name": name},
                body=_("%(name)s failed the monthly appraisal of %(month)s and of the month before.")
                % {"name": name, "month": appraisal.month.strftime("%Y-%m")},
                related=appraisal,
            )
        except Exception:  # a failed notice must not undo the appraisal
            logger.exception("appraisal flag notification failed")


def period_for_month(month: date) -> Period:
    return period_of("month", month)
