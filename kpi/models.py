"""KPI tables: daily facts (rollups), targets, overhead, the dirty-days queue and the advisor appraisal.

Why wide per-grain tables (``StationDay``, ``AdvisorDay``, ``TechnicianDay``) and not one narrow
(station, day, subject, metric, numerator, denominator) table:

* every column is an *additive measure* — a numerator or a denominator of one or more KPIs (``orders_out`` is the
  denominator of ARO, FFV, on-time delivery, SFU and the complaint rate at once). Ratios are never stored; they are
  computed after summing (see ``kpi.registry``), so weeks, months, regions and the group are plain ``SUM``\\s;
* the group dashboard for a year reads 20 stations × 365 rows and sums ~50 columns in one query, instead of
  aggregating ~20× more narrow rows; that is what keeps it under 150 ms (``bench/kpi_dashboard.py``);
* a measure with no records behind it is simply 0 — its KPIs show "—" because the denominator is 0.

The cost is a migration when a new measure is added (0005 added two-week closure, customer loss, the SERVQUAL gaps
and genuine-parts purchases); the columns below cover every KPI of ``kpi.registry``. Customer loss is a monthly figure kept
on the 1st of its month (see ``kpi.sources.reception.customer_loss`` for why that sums correctly).
All measures are ``Decimal`` (money to the cent, hours to 0.01 h, counts as whole numbers).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Station, TimeStampedModel

MEASURE = {"max_digits": 16, "decimal_places": 2, "default": Decimal("0")}

# SERVQUAL dimensions (complaints.SurveyAnswer.Dimension): a sum of (perception − expectation) and a count each.
SERVQUAL_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")

# The additive measures, in one list: the rollup writes them, the dashboards sum them.
MEASURES: list[str] = [
    # visits
    "orders_in", "orders_out", "arrivals_with_appointment",
    # sales on delivered orders (approved lines, net of discount, before VAT)
    "sales_labour", "sales_parts", "sales_sublet",
    "sales_customer", "sales_warranty", "sales_insurance", "sales_internal",
    "labour_customer", "labour_warranty", "labour_insurance", "labour_internal",
    "hours_sold", "hours_customer", "hours_warranty", "hours_insurance", "hours_internal",
    "cost_labour", "cost_parts",
    "on_time",
    # workshop
    "comebacks", "hours_clocked", "hours_attended", "hours_sold_clocked", "hours_clocked_completed",
    # parts
    "part_lines_requested", "part_lines_filled", "parts_issued_cost", "stock_value", "stock_days", "obsolete_value",
    # customers
    "followups_attempted", "followups_reached",
    "csi_top_box", "csi_overall_answers", "csi_item_points", "csi_item_answers",
    "complaints_received", "complaints_due", "complaints_closed_in_time",
    "complaints_matured", "complaints_closed_14d",
    "customers_cohort", "customers_lost",
    # lost customers called from the win-back list (on the day of the month's first call) and those who came back
    "winback_called", "winback_won",
    *[f"servqual_{d}_{part}" for d in SERVQUAL_DIMENSIONS for part in ("gap", "answers")],
    "appointments_booked", "appointments_arrived",
    "settlements", "settlements_corrected",
    # purchasing
    "purchases_genuine",
    # recalls and service campaigns: vehicles listed on the day, and of those the ones done since (issue #18)
    "campaign_vehicles", "campaign_done",
    # receivables, a snapshot at each day's end: all open, and open longer than the usual 30 days' terms
    "receivables_open", "receivables_overdue",
    # people (issue #19 item 4): leavers and each day's end headcount with the days counted (staff turnover), the
    # anonymous staff survey's scores, answers and responses, mystery-shop points achieved and possible
    "staff_leavers", "staff_headcount", "staff_days",
    "staff_survey_points", "staff_survey_answers", "staff_survey_responses",
    "mystery_points", "mystery_possible",
]


class Measures(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    day = models.DateField(_("day"))
    rolled_at = models.DateTimeField(_("rolled up at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.station_id} {self.day}"


for _name in MEASURES:
    Measures.add_to_class(_name, models.DecimalField(_name, **MEASURE))


class StationDay(Measures):  # noqa: DJ008 (inherits __str__)
    """One station's measures for one day (station local time)."""

    class Meta:
        verbose_name = _("station day")
        verbose_name_plural = _("station days")
        constraints = [models.UniqueConstraint(fields=["station", "day"], name="kpi_station_day_unique")]
        indexes = [models.Index(fields=["day", "station"])]


class StationMonth(Measures):  # noqa: DJ008
    """The sums of one station's days of one month (``day`` = the 1st), rewritten by the rollup after its days.

    Not a second source of truth: a cache of ``SUM(StationDay)`` so that a year on the group board reads 12 rows per
    station instead of 365. ``kpi.selectors.station_totals`` reads whole months here and the edge days from
    ``StationDay``; ``test_month_sums_equal_the_days`` keeps the two equal.
    """

    class Meta:
        verbose_name = _("station month")
        verbose_name_plural = _("station months")
        constraints = [models.UniqueConstraint(fields=["station", "day"], name="kpi_station_month_unique")]


class AdvisorDay(Measures):  # noqa: DJ008
    """One advisor's measures for one day: orders they received and delivered, their customers' answers."""

    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("advisor day")
        verbose_name_plural = _("advisor days")
        constraints = [models.UniqueConstraint(fields=["station", "day", "advisor"], name="kpi_advisor_day_unique")]
        indexes = [models.Index(fields=["station", "day"])]


class TechnicianDay(Measures):  # noqa: DJ008
    """One technician's measures for one day: hours attended, clocked, sold on their jobs; comebacks."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("technician day")
        verbose_name_plural = _("technician days")
        constraints = [
            models.UniqueConstraint(fields=["station", "day", "technician"], name="kpi_technician_day_unique")
        ]
        indexes = [models.Index(fields=["station", "day"])]


class DirtyDay(models.Model):
    """A (station, day) whose facts are stale because an order, a line or another source changed after the rollup."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "day"], name="kpi_dirty_day_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day}"


class Target(TimeStampedModel):
    """A target for one KPI at one station, set by the manager; drawn as a line on the charts."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    kpi = models.CharField(_("KPI"), max_length=40)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["station", "kpi"], name="kpi_target_unique")]

    def __str__(self) -> str:
        return f"{self.kpi}={self.value}"


class Overhead(TimeStampedModel):
    """The dealership overhead of one month, entered by the manager: the denominator of service absorption."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("overhead"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("monthly overhead")
        verbose_name_plural = _("monthly overheads")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["station", "month"], name="kpi_overhead_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m} {self.amount}"


class PurchaseTarget(TimeStampedModel):
    """The genuine-parts purchase target of one month, set by the manager: the denominator of 采购目标达成率.

    A money amount per station and month, like ``Overhead`` — not a ``Target`` row: a ``Target`` is one figure per
    station and KPI drawn as a line on a chart, with no month, while this is a denominator that changes month by
    month and is prorated by days for periods that are not whole months (``kpi.selectors.monthly_amounts``).
    """

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(
        _("purchase target (CNY)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("monthly purchase target")
        verbose_name_plural = _("monthly purchase targets")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["station", "month"], name="kpi_purchase_target_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m} {self.amount}"


class KpiSettings(models.Model):
    """Per-station choices the KPI definitions leave configurable; defaults as documented there (``kpi.registry``)."""

    station = models.OneToOneField(Station, on_delete=models.CASCADE, related_name="+")
    obsolete_months = models.PositiveSmallIntegerField(
        _("obsolete after (months without issue)"), default=12, validators=[MinValueValidator(1)]
    )
    followup_window_days = models.PositiveSmallIntegerField(
        _("follow-up window (days after delivery)"), default=3, validators=[MinValueValidator(1)]
    )
    technician_hourly_cost = models.DecimalField(
        _("technician cost per sold hour (CNY)"), max_digits=8, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Used for the labour gross profit of labour lines that carry no cost of their own."),
    )

    class Meta:
        verbose_name = _("KPI settings")
        verbose_name_plural = _("KPI settings")

    def __str__(self) -> str:
        return f"{self.station_id}"


PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class AppraisalSettings(models.Model):
    """Per-station weights of the advisor appraisal (percent, summing to 100) and the pass mark."""

    station = models.OneToOneField(Station, on_delete=models.CASCADE, related_name="+")
    weight_system = models.DecimalField(
        _("weight: system figures"), max_digits=5, decimal_places=2, default=Decimal("40"), validators=PERCENT
    )
    weight_self = models.DecimalField(
        _("weight: self review"), max_digits=5, decimal_places=2, default=Decimal("10"), validators=PERCENT
    )
    weight_supervisor = models.DecimalField(
        _("weight: supervisor review"), max_digits=5, decimal_places=2, default=Decimal("25"), validators=PERCENT
    )
    weight_customer = models.DecimalField(
        _("weight: customer review"), max_digits=5, decimal_places=2, default=Decimal("15"), validators=PERCENT
    )
    weight_peer = models.DecimalField(
        _("weight: peer review"), max_digits=5, decimal_places=2, default=Decimal("10"), validators=PERCENT
    )
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=5, decimal_places=2, default=Decimal("70"), validators=PERCENT
    )

    class Meta:
        verbose_name = _("appraisal settings")
        verbose_name_plural = _("appraisal settings")

    def __str__(self) -> str:
        return f"{self.station_id}"


class Appraisal(TimeStampedModel):
    """One staff member's monthly appraisal (月度考核): system figures, four reviews, weighted score. ``advisor`` is
    the person appraised; ``role`` says which figures count (advisor, technician, parts staff, customer relations)."""

    class Role(models.TextChoices):
        ADVISOR = "advisor", _("service advisors")
        TECHNICIAN = "technician", _("technicians")
        PARTS = "parts", _("parts staff")
        CARE = "care", _("customer relations")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("advisor")
    )
    month = models.DateField(_("month"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.ADVISOR)
    figures = models.JSONField(_("system figures"), default=dict)
    system_score = models.DecimalField(_("system score"), max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)
    flagged = models.BooleanField(_("second failed month in a row"), default=False)

    class Meta:
        verbose_name = _("advisor appraisal")
        verbose_name_plural = _("advisor appraisals")
        ordering = ["-month", "advisor__username"]
        constraints = [models.UniqueConstraint(fields=["advisor", "month"], name="kpi_appraisal_unique")]

    def __str__(self) -> str:
        return f"{self.advisor} {self.month:%Y-%m}"


class AppraisalReview(TimeStampedModel):
    class Kind(models.TextChoices):
        SELF = "self", _("self review")
        SUPERVISOR = "supervisor", _("supervisor review")
        CUSTOMER = "customer", _("customer review")
        PEER = "peer", _("peer review")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("review"), max_length=12, choices=Kind.choices)
    score = models.DecimalField(_("score (0–100)"), max_digits=5, decimal_places=2, validators=PERCENT)
    comment = models.TextField(_("comment"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("appraisal review")
        verbose_name_plural = _("appraisal reviews")
        constraints = [models.UniqueConstraint(fields=["appraisal", "kind"], name="kpi_review_one_per_kind")]


# --- technician pay on sold hours (工时提成), issue #19 item 2 ----------------------------------------------------


class PayGrade(TimeStampedModel):
    """A technician grade of one station with its pay rate per sold hour (e.g. 初级 ¥20, 中级 ¥30, 高级 ¥45)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    name = models.CharField(_("technician grade"), max_length=40)
    rate = models.DecimalField(
        _("rate per sold hour (CNY)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("technician grade")
        verbose_name_plural = _("technician grades")
        ordering = ["rate", "name"]
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="kpi_pay_grade_unique")]

    def __str__(self) -> str:
        return self.name


class TechnicianGrade(models.Model):
    """The grade on a technician's record: which pay grade they are on, set by the workshop lead."""

    technician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pay_grade", verbose_name=_("technician")
    )
    grade = models.ForeignKey(PayGrade, on_delete=models.PROTECT, related_name="+", verbose_name=_("technician grade"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("technician's grade")
        verbose_name_plural = _("technicians' grades")

    def __str__(self) -> str:
        return f"{self.technician_id} {self.grade_id}"


class PayStatement(TimeStampedModel):
    """One technician's monthly pay statement on sold hours; frozen once the workshop lead approves it."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pay_statements",
        verbose_name=_("technician"),
    )
    month = models.DateField(_("month"))
    grade_name = models.CharField(_("technician grade"), max_length=40, blank=True)
    rate = models.DecimalField(_("rate per sold hour (CNY)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    hours_clocked = models.DecimalField(_("hours clocked"), max_digits=8, decimal_places=2, default=Decimal("0"))
    hours_sold = models.DecimalField(_("sold hours"), max_digits=8, decimal_places=2, default=Decimal("0"))
    amount = models.DecimalField(_("pay on sold hours (CNY)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pay statement")
        verbose_name_plural = _("pay statements")
        ordering = ["-month", "technician__username"]
        constraints = [models.UniqueConstraint(fields=["technician", "month"], name="kpi_pay_statement_unique")]

    def __str__(self) -> str:
        return f"{self.technician_id} {self.month:%Y-%m}"
