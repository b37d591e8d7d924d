"""The advisor monthly appraisal (服务顾问月度考核).

Score = weighted mean of five components, each 0–100, with the station's weights (defaults: system figures 40,
self 10, supervisor 25, customer 15, peer 10; pass mark 70 — ``kpi.models.AppraisalSettings``):

* system figures: the mean of the components that have data — their customers' CSI score (0–100), appointment
  show rate × 100, settlement accuracy × 100, and 100 − 20 per complaint against them (not below 0);
* the four reviews (self, supervisor, customer, peer), entered in the app, each 0–100.

The score is only given once all four reviews are in; then the month is passed or failed. A failed month after a
failed month is flagged, visibly on the appraisal page, and notified once to the front-desk lead and the station
manager (``core.notifications.notification_send``, in-app).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.notifications import notification_send
from kpi.models import AdvisorDay, Appraisal, AppraisalReview, AppraisalSettings
from kpi.registry import KPIS, Totals
from kpi.selectors import Period, people_totals, period_of
from org.models import Position, Staff, Station

logger = logging.getLogger(__name__)
ZERO = Decimal("0")
HUNDRED = Decimal("100")
FIGURES = ["cars_in", "show_rate", "settlement_accuracy", "csi", "complaints", "revenue", "hours_sold"]


def settings_for(station: Station) -> AppraisalSettings:
    found = AppraisalSettings.objects.filter(station=station).first()
    return found or AppraisalSettings(station=station)


def _q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def system_figures(*, advisor: Staff, month: date) -> dict[str, str | None]:
    """The advisor's own figures for the month, from the rollups (as strings: JSON keeps Decimals exact)."""
    period = period_of("month", month)
    totals = people_totals(AdvisorDay, [advisor.station_id], period).get(advisor.pk) or Totals()
    out: dict[str, str | None] = {}
    for code in FIGURES:
        value = KPIS[code].value(totals)
        out[code] = None if value is None else str(value)
    return out


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
        advisor=advisor, month=month, defaults={"station_id": advisor.station_id}
    )
    appraisal.figures = system_figures(advisor=advisor, month=month)
    appraisal.system_score = system_score(appraisal.figures)
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


def appraisals_prepare(*, station: Station, month: date) -> list[Appraisal]:
    """An appraisal for every active advisor of the station for the month (figures refreshed)."""
    advisors = Staff.objects.filter(station=station, position=Position.SERVICE_ADVISOR, is_active=True)
    return [appraisal_refresh(advisor=a, month=month) for a in advisors.order_by("username")]


@transaction.atomic
def appraisal_review_set(*, appraisal: Appraisal, kind: str, score: Decimal, comment: str, by: Staff) -> Appraisal:
    if kind not in AppraisalReview.Kind.values:
        raise DomainError(_("Unknown review."), field="kind")
    if not ZERO <= score <= HUNDRED:
        raise DomainError(_("A score is between 0 and 100."), field="score")
    if by.pk == appraisal.advisor_id and kind != AppraisalReview.Kind.SELF:
        raise DomainError(_("An advisor can only enter their own self review."), field="kind")
    AppraisalReview.objects.update_or_create(
        appraisal=appraisal, kind=kind, defaults={"score": score, "comment": comment, "entered_by": by}
    )
    return appraisal_refresh(advisor=appraisal.advisor, month=appraisal.month)


def flag_recipients(appraisal: Appraisal) -> list[Staff]:
    """The advisor's front-desk lead (or the station's) and the station manager(s)."""
    people = list(
        Staff.objects.filter(
            station_id=appraisal.station_id, is_active=True,
            position__in=[Position.FRONT_DESK_LEAD, Position.STATION_MANAGER],
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
