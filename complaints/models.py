"""Customer care: notifications, complaints (投诉) with their loop and escalation, follow-up calls (回访), surveys."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Notification, Observed
from org.models import Station, TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}
SCORE = [MinValueValidator(1), MaxValueValidator(5)]


# --- per-station settings -------------------------------------------------------------------------------------------

DEFAULT_RESPONSE_HOURS = {1: 24, 2: 8, 3: 4, 4: 1}
DEFAULT_RESOLUTION_HOURS = {1: 7 * 24, 2: 5 * 24, 3: 3 * 24, 4: 24}


class CareSettings(TimeStampedModel):
    """A station's deadlines and intervals for customer care. A station without a row uses the defaults."""

    station = models.OneToOneField(Station, on_delete=models.CASCADE, related_name="care_settings")
    response_hours_1 = models.PositiveIntegerField(_("response time, severity 1 (hours)"), default=24)
    response_hours_2 = models.PositiveIntegerField(_("response time, severity 2 (hours)"), default=8)
    response_hours_3 = models.PositiveIntegerField(_("response time, severity 3 (hours)"), default=4)
    response_hours_4 = models.PositiveIntegerField(_("response time, severity 4 (hours)"), default=1)
    resolution_hours_1 = models.PositiveIntegerField(_("resolution time, severity 1 (hours)"), default=7 * 24)
    resolution_hours_2 = models.PositiveIntegerField(_("resolution time, severity 2 (hours)"), default=5 * 24)
    resolution_hours_3 = models.PositiveIntegerField(_("resolution time, severity 3 (hours)"), default=3 * 24)
    resolution_hours_4 = models.PositiveIntegerField(_("resolution time, severity 4 (hours)"), default=24)
    followup_due_days = models.PositiveSmallIntegerField(_("follow-up call due after (days)"), default=3)
    followup_expire_days = models.PositiveSmallIntegerField(_("follow-up call expires after (days)"), default=15)
    followup_retry_hours = models.PositiveSmallIntegerField(_("retry an unanswered call after (hours)"), default=4)
    maintenance_interval_days = models.PositiveSmallIntegerField(_("maintenance interval (days)"), default=180)
    maintenance_interval_km = models.PositiveIntegerField(_("maintenance interval (km)"), default=10000)
    maintenance_notice_days = models.PositiveSmallIntegerField(_("remind this many days before due"), default=7)

    class Meta:
        verbose_name = _("customer-care settings")
        verbose_name_plural = _("customer-care settings")

    def __str__(self) -> str:
        return str(self.station)

    def response_window(self, severity: int) -> timedelta:
        return timedelta(hours=getattr(self, f"response_hours_{int(severity)}"))

    def resolution_window(self, severity: int) -> timedelta:
        return timedelta(hours=getattr(self, f"resolution_hours_{int(severity)}"))


# --- complaints -----------------------------------------------------------------------------------------------------


class Complaint(Observed, TimeStampedModel):
    """A customer complaint and its loop: receive → analyse → handle → feed back → improve → close."""

    class Source(models.TextChoices):
        PHONE = "phone", _("phone")
        VISIT = "visit", _("visit")
        LETTER = "letter", _("letter")
        FOLLOW_UP = "follow_up", _("follow-up call")
        SURVEY = "survey", _("survey")
        MANUFACTURER = "manufacturer", _("manufacturer")
        ONLINE = "online", _("online / social media")

    class Category(models.TextChoices):
        QUALITY = "quality", _("repair quality")
        COMEBACK = "comeback", _("repeat repair")
        PRICE = "price", _("price and billing")
        TIME = "time", _("waiting time / late delivery")
        ATTITUDE = "attitude", _("staff attitude")
        PARTS = "parts", _("parts availability")
        DAMAGE = "damage", _("damage to the vehicle")
        FACILITY = "facility", _("facilities")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("complaint state", "received")
        ANALYSING = "analysing", pgettext_lazy("complaint state", "analysing")
        HANDLING = "handling", pgettext_lazy("complaint state", "handling")
        FEEDBACK = "feedback", pgettext_lazy("complaint state", "feeding back")
        IMPROVING = "improving", pgettext_lazy("complaint state", "improving")
        CLOSED = "closed", pgettext_lazy("complaint state", "closed")

    class Severity(models.IntegerChoices):
        MINOR = 1, _("1 · minor")
        MODERATE = 2, _("2 · moderate")
        SERIOUS = 3, _("3 · serious")
        CRITICAL = 4, _("4 · critical")

    class Department(models.TextChoices):
        FRONT_DESK = "front_desk", _("front desk")
        WORKSHOP = "workshop", _("workshop")
        PARTS = "parts", _("parts")
        SETTLEMENT = "settlement", _("settlement")
        MANAGEMENT = "management", _("management")
        MANUFACTURER = "manufacturer", _("manufacturer")
        OTHER = "other", _("other")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("station"))
    number = models.CharField(_("number"), max_length=24)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.MINOR)
    # The highest severity it ever had: closing needs authority over this one, so lowering the severity on the way
    # does not lower who may close it.
    max_severity = models.PositiveSmallIntegerField(
        _("highest severity"), choices=Severity.choices, default=Severity.MINOR
    )
    is_crisis = models.BooleanField(_("crisis incident"), default=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED, db_index=True)
    customer = models.ForeignKey(
        "reception.Customer", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("customer")
    )
    vehicle = models.ForeignKey(
        "reception.Vehicle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("vehicle"),
    )
    order = models.ForeignKey(
        "reception.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("related work order"),
    )
    staff_involved = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("staff involved"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("the customer's words"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_complaints",
        verbose_name=pgettext_lazy("complaint", "owner"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    response_due = models.DateTimeField(_("response due"))
    resolution_due = models.DateTimeField(_("resolution due"), db_index=True)
    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    # analyse
    root_cause = models.TextField(_("root cause"), blank=True)
    responsible_department = models.CharField(
        _("responsible department"), max_length=16, choices=Department.choices, blank=True
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    # handle
    remedy = models.TextField(_("actions taken"), blank=True)
    goodwill_amount = models.DecimalField(_("goodwill (CNY)"), **MONEY, default=0)
    # A goodwill amount beyond its proposer's authority waits here for the person it was escalated to.
    goodwill_proposed = models.DecimalField(_("goodwill proposed (CNY)"), **MONEY, default=0)
    goodwill_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goodwill proposed by"),
    )
    goodwill_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goodwill decided by"),
    )
    # improve
    corrective_action = models.TextField(_("corrective action"), blank=True)
    corrective_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrective action owner"),
    )
    corrective_due = models.DateField(_("corrective action due"), null=True, blank=True)
    # close
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("closed by"),
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("customer's satisfaction with the outcome"), null=True, blank=True, validators=SCORE
    )
    possible_comeback = models.BooleanField(
        _("possible comeback"), default=False, help_text=_("The customer says the problem was not fixed.")
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "number"], name="complaint_number_unique"),
            models.CheckConstraint(condition=models.Q(severity__gte=1, severity__lte=4), name="complaint_severity_1_4"),
            models.CheckConstraint(condition=models.Q(goodwill_amount__gte=0), name="complaint_goodwill_not_negative"),
            models.CheckConstraint(condition=models.Q(goodwill_proposed__gte=0),
                                   name="complaint_goodwill_proposed_not_negative"),
        ]
        indexes = [models.Index(fields=["station", "state"])]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        """Where a notification about this complaint opens (the bell's page knows no department)."""
        return reverse("complaints:detail", kwargs={"pk": self.pk})

    @property
    def closing_severity(self) -> int:
        """The severity whose authority closing needs: the highest it ever had."""
        return max(self.severity, self.max_severity or 0)

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED

    @property
    def is_overdue(self) -> bool:
        now = timezone.now()
        if not self.is_open:
            return False
        return now > self.resolution_due or (self.responded_at is None and now > self.response_due)


class ComplaintEvent(models.Model):
    """Append-only timeline of a complaint: who, when, what."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("complaint event", "complaint registered")
        TRANSITION = "transition", _("state changed")
        CONTACT = "contact", _("customer contacted")
        ESCALATED = "escalated", _("escalated")
        CRISIS = "crisis", _("crisis incident declared")
        GOODWILL = "goodwill", _("goodwill")
        REASSIGNED = "reassigned", _("owner changed")
        NOTE = "note", _("note")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    old_state = models.CharField(max_length=12, blank=True)
    new_state = models.CharField(max_length=12, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind}"

    @property
    def new_state_label(self) -> str:
        return Complaint.State(self.new_state).label if self.new_state in Complaint.State.values else self.new_state

    @property
    def old_state_label(self) -> str:
        return Complaint.State(self.old_state).label if self.old_state in Complaint.State.values else self.old_state


class ComplaintContact(models.Model):
    """One contact with the customer about the complaint (feedback to the customer is logged contact by contact)."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        VISIT = "visit", _("visit")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("email")
        WECHAT = "wechat", _("WeChat")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.PHONE)
    summary = models.TextField(_("what was said"))
    customer_accepts = models.BooleanField(_("customer accepts the solution"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.at:%Y-%m-%d}"


class Escalation(models.Model):
    """A complaint moved up the chain. One row per breach: a breach is never escalated twice."""

    class Breach(models.TextChoices):
        RESPONSE = "response", _("response deadline passed")
        RESOLUTION = "resolution", _("resolution deadline passed")
        AUTHORITY = "authority", _("beyond the owner's authority")
        CRISIS = "crisis", _("crisis incident")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    breach = models.CharField(_("reason"), max_length=12, choices=Breach.choices)
    deadline = models.DateTimeField(_("deadline breached"))
    from_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("from"),
    )
    to_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("to"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "breach", "deadline"], name="escalation_once_per_breach"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.breach} {self.deadline:%Y-%m-%d %H:%M}"


# --- follow-up calls and surveys ------------------------------------------------------------------------------------


class FollowUpCall(TimeStampedModel):
    """The follow-up call (回访) after a delivery: one per work order."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to call")
        REACHED = "reached", _("reached")
        WRONG_NUMBER = "wrong_number", _("wrong number")
        REFUSED = "refused", _("refused")
        EXPIRED = "expired", _("expired")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="follow_up_calls")
    order = models.OneToOneField(
        "reception.WorkOrder", on_delete=models.PROTECT, related_name="follow_up_call", verbose_name=_("work order")
    )
    customer = models.ForeignKey(
        "reception.Customer", on_delete=models.PROTECT, related_name="follow_up_calls", verbose_name=_("customer")
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("advisor")
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.PENDING, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("called by"),
    )
    possible_comeback = models.BooleanField(_("possible comeback"), default=False)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("complaint")
    )

    class Meta:
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")
        ordering = ["next_attempt_at", "id"]
        indexes = [models.Index(fields=["station", "status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.order} · {self.customer}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING


class CallAttempt(Observed):
    class Outcome(models.TextChoices):
        REACHED = "reached", _("reached")
        NO_ANSWER = "no_answer", _("no answer")
        WRONG_NUMBER = "wrong_number", _("wrong number")
        REFUSED = "refused", _("refused")

    call = models.ForeignKey(FollowUpCall, on_delete=models.CASCADE, related_name="attempt_log")
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.call} {self.outcome}"


class SurveyResponse(Observed):
    """A satisfaction survey (满意度调查) answered on a follow-up call. Every raw answer is kept."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="survey_responses")
    call = models.OneToOneField(FollowUpCall, on_delete=models.CASCADE, null=True, blank=True, related_name="survey")
    customer = models.ForeignKey("reception.Customer", on_delete=models.PROTECT, related_name="survey_responses")
    order = models.ForeignKey(
        "reception.WorkOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses"
    )
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"), validators=SCORE)
    would_recommend = models.BooleanField(_("would recommend us"), null=True, blank=True)
    problem_fixed = models.BooleanField(_("problem fixed"), null=True, blank=True)
    comments = models.TextField(_("in the customer's words"), blank=True)
    raw = models.JSONField(_("raw answers"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-at"]
        constraints = [models.CheckConstraint(condition=models.Q(overall__gte=1, overall__lte=5), name="survey_overall_1_5")]

    def __str__(self) -> str:
        return f"{self.customer} {self.overall}/5"


class SurveyAnswer(Observed):
    """One SERVQUAL item: the customer's perception and, when asked, expectation (1–5)."""

    class Dimension(models.TextChoices):
        TANGIBLES = "tangibles", _("tangibles")
        RELIABILITY = "reliability", _("reliability")
        RESPONSIVENESS = "responsiveness", _("responsiveness")
        ASSURANCE = "assurance", _("assurance")
        EMPATHY = "empathy", _("empathy")

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    perception = models.PositiveSmallIntegerField(_("perception"), validators=SCORE)
    expectation = models.PositiveSmallIntegerField(_("expectation"), null=True, blank=True, validators=SCORE)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "dimension"], name="survey_one_answer_per_dimension"),
            models.CheckConstraint(condition=models.Q(perception__gte=1, perception__lte=5), name="answer_perception_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.perception}"


# --- reminders (one per subject, so beat tasks may run any number of times) -------------------------------------------


class MaintenanceReminder(models.Model):
    """Maintenance due for a vehicle, counted from its last visit: at most one reminder per last visit."""

    class Reason(models.TextChoices):
        DATE = "date", _("by date")
        MILEAGE = "mileage", _("by mileage")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    vehicle = models.ForeignKey("reception.Vehicle", on_delete=models.CASCADE, related_name="maintenance_reminders")
    last_order = models.ForeignKey("reception.WorkOrder", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("due"), max_length=8, choices=Reason.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_km = models.PositiveIntegerField(_("due at (km)"), null=True, blank=True)
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maintenance reminder")
        verbose_name_plural = _("maintenance reminders")
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "last_order"], name="maintenance_reminder_once_per_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.reason}"


class AppointmentReminder(models.Model):
    """The day-before reminder of one appointment: at most one, whatever the beat task does."""

    appointment = models.OneToOneField("reception.Appointment", on_delete=models.CASCADE, related_name="reminder")
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appointment reminder")
        verbose_name_plural = _("appointment reminders")

    def __str__(self) -> str:
        return str(self.appointment)


# --- retention calls (issue 19): due for service, win-back, insurance renewal ------------------------------------------


class RetentionCall(Observed):
    """One call outcome from a retention list, with who and when. The latest per vehicle (or customer) is shown."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("due for service")
        WIN_BACK = "win_back", _("win-back")
        INSURANCE = "insurance", _("insurance renewal")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("reached")
        BOOKED = "booked", _("booked")
        NOT_INTERESTED = "not_interested", _("not interested")
        UNREACHABLE = "unreachable", _("unreachable")
        RENEWED_HERE = "renewed_here", _("renewed with us")
        RENEWED_ELSEWHERE = "renewed_elsewhere", _("renewed elsewhere")
        # win-back (a lost customer of the 客户流失率 definition)
        WILL_COME = "will_come", _("will come")
        REFUSED = "refused", _("refused to come")
        MOVED = "moved", _("moved away")
        SOLD_CAR = "sold_car", _("sold the car")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("list"), max_length=10, choices=Kind.choices)
    customer = models.ForeignKey("reception.Customer", on_delete=models.CASCADE, related_name="retention_calls")
    vehicle = models.ForeignKey("reception.Vehicle", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="retention_calls")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    insurance_expiry = models.DateField(_("insurance expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention call")
        verbose_name_plural = _("retention calls")
        indexes = [models.Index(fields=["station", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.outcome}"
