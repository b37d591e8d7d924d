"""The anonymous staff survey (员工满意度调查) and mystery-shop visits (神秘客户检查): two of the people KPIs.

Survey: the manager opens one survey per station and quarter; every active staff member of the station answers it
once. Who answered is kept only as a one-way token (HMAC-SHA256 of the survey and the staff id with the site's
secret key) in ``StaffSurveyBallot``, so a second answer is refused; the scores go to ``StaffSurveyAnswer`` with no
link to the ballot, no staff id and no time. The KPI (``kpi.registry`` staff_satisfaction) is hidden below
``MIN_RESPONSES`` answers so that no score can be traced to a person.

Mystery shop: the carmaker's checklist is a list of items with maximum points per station; the manager enters a
visit's score per item, the visit keeps the sums (points achieved and possible) the KPI adds up.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from org.models import (
    MysteryShopItem,
    MysteryShopScore,
    MysteryShopVisit,
    Staff,
    StaffSurvey,
    StaffSurveyAnswer,
    StaffSurveyBallot,
    Station,
)

MIN_RESPONSES = 3
QUESTIONS = [
    ("overall", gettext_lazy("Overall, how satisfied are you working here?")),
    ("workload", gettext_lazy("Is your workload reasonable?")),
    ("pay", gettext_lazy("Are you fairly paid for your work?")),
    ("team", gettext_lazy("Do you get the help you need from your team and your lead?")),
    ("growth", gettext_lazy("Do you have the training and the chance to grow here?")),
]
QUESTION_CODES = [code for code, _label in QUESTIONS]


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def ballot_token(survey: StaffSurvey, staff: Staff) -> str:
    message = f"staff-survey:{survey.pk}:{staff.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def staff_survey_open(*, station: Station, closes_on: date, by: Staff) -> StaffSurvey:
    today = timezone.localdate()
    if closes_on < today:
        raise DomainError(_("The closing day cannot be in the past."), field="closes_on")
    quarter = quarter_start(today)
    if StaffSurvey.objects.filter(station=station, quarter=quarter).exists():
        raise DomainError(_("This quarter's survey is already open."), field="closes_on")
    return StaffSurvey.objects.create(station=station, quarter=quarter, closes_on=closes_on, opened_by=by)


def open_survey(station_id: int | None) -> StaffSurvey | None:
    """The station's survey open today, if any."""
    if not station_id:
        return None
    return StaffSurvey.objects.filter(station_id=station_id, closes_on__gte=timezone.localdate()).order_by(
        "-quarter").first()


def has_answered(survey: StaffSurvey, staff: Staff) -> bool:
    return StaffSurveyBallot.objects.filter(survey=survey, token=ballot_token(survey, staff)).exists()


@transaction.atomic
def staff_survey_answer(*, survey: StaffSurvey, staff: Staff, scores: dict[str, int]) -> None:
    """Record one staff member's answers: the ballot token (refusing a second one), then the scores alone."""
    if staff.station_id != survey.station_id or not staff.is_active:
        raise DomainError(_("Only the station's own staff answer its survey."))
    if survey.closes_on < timezone.localdate():
        raise DomainError(_("This survey is closed."))
    if set(scores) != set(QUESTION_CODES) or any(int(v) not in range(1, 6) for v in scores.values()):
        raise DomainError(_("Answer every question with a score from 1 to 5."))
    try:
        with transaction.atomic():
            StaffSurveyBallot.objects.create(survey=survey, token=ballot_token(survey, staff))
    except IntegrityError:
        raise DomainError(_("You have already answered this survey.")) from None
    for code in QUESTION_CODES:  # in the questions' order, not the staff member's
        StaffSurveyAnswer(survey=survey, question=code, score=int(scores[code])).save()


def survey_results(survey: StaffSurvey) -> dict:
    """Responses and the mean per question — the means only from ``MIN_RESPONSES`` responses on."""
    responses = survey.ballots.count()
    shown = responses >= MIN_RESPONSES
    means = {}
    if shown:
        sums: dict[str, list[int]] = {code: [0, 0] for code in QUESTION_CODES}
        for question, score in survey.answers.values_list("question", "score"):
            if question in sums:
                sums[question][0] += score
                sums[question][1] += 1
        means = {code: (Decimal(s) / n if n else None) for code, (s, n) in sums.items()}
    return {"responses": responses, "shown": shown,
            "questions": [(label, means.get(code)) for code, label in QUESTIONS]}


# --- mystery shop --------------------------------------------------------------------------------------------------


@transaction.atomic
def mystery_item_add(*, station: Station, label: str, max_points: Decimal, by: Staff) -> MysteryShopItem:
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Name the checklist item."), field="label")
    if max_points <= 0:
        raise DomainError(_("The maximum points must be above zero."), field="max_points")
    last = MysteryShopItem.objects.filter(station=station).order_by("-position").values_list("position", flat=True)
    return MysteryShopItem.objects.create(station=station, label=label[:200], max_points=max_points,
                                          position=(last.first() or 0) + 1)


@transaction.atomic
def mystery_item_retire(*, item: MysteryShopItem, by: Staff) -> MysteryShopItem:
    item.is_active = False
    item.save(update_fields=["is_active"])
    return item


def checklist(station: Station) -> list[MysteryShopItem]:
    return list(MysteryShopItem.objects.filter(station=station, is_active=True))


@transaction.atomic
def mystery_visit_record(*, station: Station, visited_on: date, scores: dict[int, Decimal], note: str = "",
                         by: Staff) -> MysteryShopVisit:
    """Record a visit: a score (0 … the item's maximum) for every item of the station's checklist in use."""
    items = checklist(station)
    if not items:
        raise DomainError(_("Set up the checklist first."))
    if visited_on > timezone.localdate():
        raise DomainError(_("Enter a visit once it has taken place."), field="visited_on")
    rows = []
    for item in items:
        points = scores.get(item.pk)
        if points is None:
            raise DomainError(_("Score every checklist item."), field=f"item_{item.pk}")
        if points < 0 or points > item.max_points:
            raise DomainError(_("Between 0 and %(max)s points.") % {"max": item.max_points}, field=f"item_{item.pk}")
        rows.append(MysteryShopScore(item=item, label=item.label, max_points=item.max_points, points=points))
    visit = MysteryShopVisit(station=station, visited_on=visited_on, entered_by=by, note=(note or "").strip()[:300],
                             points=sum((r.points for r in rows), Decimal("0")),
                             possible=sum((r.max_points for r in rows), Decimal("0")))
    visit.save()
    for row in rows:
        row.visit = visit
    MysteryShopScore.objects.bulk_create(rows)
    return visit
