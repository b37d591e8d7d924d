"""The organisation: dealer groups, regions, stations, staff and their authority limits."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Observed


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class DealerGroup(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("dealer group")
        verbose_name_plural = _("dealer groups")

    def __str__(self) -> str:
        return self.name


class Region(TimeStampedModel):
    group = models.ForeignKey(DealerGroup, on_delete=models.PROTECT, related_name="regions", verbose_name=_("group"))
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="region_unique_name_per_group")]

    def __str__(self) -> str:
        return self.name


class Station(TimeStampedModel):
    group = models.ForeignKey(DealerGroup, on_delete=models.PROTECT, related_name="stations", verbose_name=_("group"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="stations", verbose_name=_("region")
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_en = models.CharField(_("English address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=40, blank=True)
    vat_rate = models.DecimalField(
        _("VAT rate"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.130"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.5"))],
    )
    comeback_window_days = models.PositiveSmallIntegerField(_("comeback window (days)"), default=30)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str | None = None) -> str:
        if language and language.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Position(models.TextChoices):
    STATION_MANAGER = "station_manager", _("station manager")
    FRONT_DESK_LEAD = "front_desk_lead", _("front-desk lead")
    SERVICE_ADVISOR = "service_advisor", _("service advisor")
    RECEPTIONIST = "receptionist", _("receptionist")
    WORKSHOP_LEAD = "workshop_lead", _("workshop lead / dispatcher")
    TECHNICIAN = "technician", _("technician")
    QC_INSPECTOR = "qc_inspector", _("QC inspector")
    TECHNICAL_LEAD = "technical_lead", _("technical lead")
    PARTS_LEAD = "parts_lead", _("parts lead")
    PARTS_CLERK = "parts_clerk", _("parts clerk")
    WARRANTY_CLERK = "warranty_clerk", _("warranty clerk")
    CASHIER = "cashier", _("cashier")
    CUSTOMER_RELATIONS = "customer_relations", _("customer-relations specialist")
    INFORMATION_SPECIALIST = "information_specialist", _("information specialist")
    GROUP_DIRECTOR = "group_director", _("group after-sales director")
    REGIONAL_MANAGER = "regional_manager", _("regional manager")


GROUP_POSITIONS = frozenset({Position.GROUP_DIRECTOR, Position.REGIONAL_MANAGER})


class StaffManager(UserManager):
    pass


class Staff(AbstractUser):
    """A person who logs in. Station staff belong to one station; group roles see several."""

    group = models.ForeignKey(
        DealerGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("group")
    )
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("station")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managers",
        verbose_name=_("region"),
        help_text=_("For regional managers: the region whose stations they see."),
    )
    position = models.CharField(_("position"), max_length=32, choices=Position.choices, blank=True)
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reports to"),
    )
    extra_stations = models.ManyToManyField(
        Station,
        blank=True,
        related_name="guest_staff",
        verbose_name=_("further stations"),
        help_text=_("Stations this person may see besides their own."),
    )
    display_name = models.CharField(_("name"), max_length=80, blank=True)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    employee_no = models.CharField(_("employee number"), max_length=20, blank=True)

    objects = StaffManager()

    # The columns ``str(staff)`` reads: a list that only names people loads just these (see ``name_fields``).
    NAME_FIELDS = ("display_name", "first_name", "last_name", "username")

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["station_id", "position", "username"]

    def __str__(self) -> str:
        return self.name_from(self.display_name, self.first_name, self.last_name, self.username)

    @staticmethod
    def name_from(display_name: str, first_name: str, last_name: str, username: str) -> str:
        """How a person is named everywhere; also from the columns of a ``values()`` row, without the model."""
        return display_name or f"{first_name} {last_name}".strip() or username

    @classmethod
    def name_fields(cls, relation: str) -> list[str]:
        """For ``only()`` on a query that follows ``relation`` to a person only to print their name:
        ``.select_related("by").only("at", "note", *Staff.name_fields("by"))``."""
        return [f"{relation}__{name}" for name in cls.NAME_FIELDS]

    @property
    def is_group_role(self) -> bool:
        return self.position in GROUP_POSITIONS


class AuthorityLimit(TimeStampedModel):
    """What one position in one station may decide alone. Missing rows fall back to the defaults in services."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="authority_limits", verbose_name=_("station")
    )
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    max_discount_pct = models.DecimalField(
        _("maximum discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    max_goodwill = models.DecimalField(
        _("maximum goodwill (CNY)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_complaint_severity = models.PositiveSmallIntegerField(
        _("highest complaint severity they may close"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_("0 = none, 1 = minor … 4 = crisis."),
    )

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        constraints = [
            models.UniqueConstraint(fields=["station", "position"], name="authority_one_row_per_position"),
            models.CheckConstraint(
                condition=models.Q(max_discount_pct__gte=0) & models.Q(max_discount_pct__lte=100),
                name="authority_discount_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_position_display()}"


class StaffEvent(models.Model):
    """Append-only record of changes to staff and authority, and of the set-up of the group and its stations (who did
    what, when)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        MOVED = "moved", _("moved")
        DEACTIVATED = "deactivated", _("deactivated")
        REACTIVATED = "reactivated", _("reactivated")
        AUTHORITY = "authority", _("authority limits changed")
        UNLOCKED = "unlocked", _("login unlocked")
        GROUP = "group", _("dealer group set up")
        STATION = "station", _("station set up")

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("staff change")
        verbose_name_plural = _("staff changes")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.staff or self.station}"


class AuthorityLimitChange(models.Model):
    """Append-only record of every change to a station's authority limits: who, when, what before and after.

    Nobody sets the limits of their own position (``org.services.authority_limit_set``): the person above does."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    before_discount_pct = models.DecimalField(_("discount % before"), max_digits=5, decimal_places=2)
    before_goodwill = models.DecimalField(_("goodwill before"), max_digits=12, decimal_places=2)
    before_complaint_severity = models.PositiveSmallIntegerField(_("complaint severity before"))
    after_discount_pct = models.DecimalField(_("discount % after"), max_digits=5, decimal_places=2)
    after_goodwill = models.DecimalField(_("goodwill after"), max_digits=12, decimal_places=2)
    after_complaint_severity = models.PositiveSmallIntegerField(_("complaint severity after"))

    class Meta:
        verbose_name = _("authority limit change")
        verbose_name_plural = _("authority limit changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_position_display()} · {self.at:%Y-%m-%d %H:%M}"


class KioskLink(models.Model):
    """A device link for a wall TV (信息看板): a secret address that shows one board of one station, read-only, to a
    browser nobody logs in on. A manager creates it and may revoke it; the next poll of a revoked link stops the board.

    Only the SHA-256 of the token is stored: the full address is shown once, when the link is created."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="kiosk_links", verbose_name=_("station"))
    board = models.CharField(_("board"), max_length=32)  # a key of core.registry's kiosk boards
    label = models.CharField(_("screen"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("revoked by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("board device link")
        verbose_name_plural = _("board device links")
        ordering = ["station", "revoked_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | models.Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="kiosklink_revoked_by_and_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.label}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


# --- training and certification (issue 19, item 1) -------------------------------------------------------------


class TrainingRecord(models.Model):
    """One course a staff member attended or one certification they hold (the carmaker's technician and advisor
    certifications among them): when, with what result, until when it is valid. Append-only: a wrong record is
    withdrawn (``withdrawn_at``), not changed, so the history of who was certified when stays true."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("internal course")
        CARMAKER = "carmaker", _("carmaker course")
        EXTERNAL = "external", _("external course")
        CERTIFICATION = "certification", _("certification")

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")
        ATTENDED = "attended", _("attended")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="training_records",
                              verbose_name=_("staff member"))
    course = models.CharField(_("course"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    completed_on = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("withdrawn by"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["station", "expires_on"], name="org_training_expiry_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_on__isnull=True)
                                   | models.Q(expires_on__gt=models.F("completed_on")),
                                   name="training_expires_after_completion"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.course} · {self.completed_on}"


class TrainingPlanItem(models.Model):
    """A course planned for a staff member (the station's training plan, 培训计划); done when its record is entered."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="training_plan",
                              verbose_name=_("staff member"))
    course = models.CharField(_("course"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingRecord.Kind.choices)
    planned_for = models.DateField(_("planned for"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    record = models.OneToOneField(TrainingRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="plan",
                                  verbose_name=_("record"))
    planned_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by"))
    planned_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    closed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("planned course")
        verbose_name_plural = _("training plan")
        ordering = ["planned_for", "id"]
        indexes = [models.Index(fields=["station", "status", "planned_for"], name="org_trainingplan_idx")]

    def __str__(self) -> str:
        return f"{self.staff} · {self.course} · {self.planned_for}"


# --- meetings (issue 19, item 5) -------------------------------------------------------------------------------


class Meeting(models.Model):
    """A meeting of the station (the morning meeting 晨会, the weekly quality meeting 质量周会…) with its minutes; the
    decisions that need doing are its actions, each with an owner and a due date."""

    class Kind(models.TextChoices):
        MORNING = "morning", _("morning meeting")
        QUALITY = "quality", _("weekly quality meeting")
        MONTHLY = "monthly", _("monthly business review")
        OTHER = "other", _("other meeting")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    held_at = models.DateTimeField(_("held at"))
    chaired_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("chaired by"))
    attendees = models.ManyToManyField(Staff, related_name="meetings", blank=True, verbose_name=_("attendees"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["station", "-held_at"], name="org_meeting_station_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_at:%Y-%m-%d}"


class MeetingAction(models.Model):
    """A follow-up action decided at a meeting: what, who, by when; done by its owner (or a manager), with who and
    when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting"))
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="meeting_actions", verbose_name=_("owner"))
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("done by"))
    done_note = models.CharField(_("result"), max_length=300, blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting action")
        verbose_name_plural = _("meeting actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["station", "done_at", "due_on"], name="org_meetingaction_open_idx")]

    def __str__(self) -> str:
        return self.description


# --- staff survey and mystery shop (issue 19, item 4: the people KPIs) -----------------------------------------
# Staff turnover is read from StaffEvent (DEACTIVATED) and Staff.date_joined; these tables hold the other two.


class StaffSurvey(models.Model):
    """The station's anonymous staff survey of one quarter (员工满意度调查), opened by the manager until a closing
    day. The questions are ``org.staff_survey.QUESTIONS`` (a 1–5 score each)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    quarter = models.DateField(_("quarter"), help_text=_("The first day of the quarter."))
    closes_on = models.DateField(_("closes on"))
    opened_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff survey")
        verbose_name_plural = _("staff surveys")
        ordering = ["-quarter"]
        constraints = [models.UniqueConstraint(fields=["station", "quarter"], name="org_staff_survey_one_per_quarter")]

    def __str__(self) -> str:
        return f"{self.station} · {self.quarter:%Y-%m}"


class StaffSurveyBallot(models.Model):
    """That someone answered: only a one-way token (HMAC of survey and staff member), never who. It stops a second
    answer; the scores are kept apart in ``StaffSurveyAnswer`` with no link to the ballot."""

    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="ballots")
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "token"], name="org_staff_survey_one_ballot")]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.token[:8]}"


class StaffSurveyAnswer(Observed):
    """One score (1–5) to one question of a survey, without who answered or when. A random key, so that the order
    of the rows does not pair them with the ballots."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=20)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = _("staff survey answer")
        verbose_name_plural = _("staff survey answers")

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"


class MysteryShopItem(models.Model):
    """One line of the carmaker's mystery-shop checklist (神秘客户检查) at a station, with its maximum points."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    label = models.CharField(_("checklist item"), max_length=200)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=1,
                                     validators=[MinValueValidator(Decimal("0.1"))])
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("mystery-shop checklist item")
        verbose_name_plural = _("mystery-shop checklist items")
        ordering = ["station", "position", "id"]

    def __str__(self) -> str:
        return self.label


class MysteryShopVisit(Observed):
    """A mystery shopper's visit as the carmaker reported it, entered by the station manager: the points achieved
    and possible (the sums of its scores, kept for the KPI)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    visited_on = models.DateField(_("visit date"))
    points = models.DecimalField(_("points achieved"), max_digits=8, decimal_places=1)
    possible = models.DecimalField(_("points possible"), max_digits=8, decimal_places=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mystery-shop visit")
        verbose_name_plural = _("mystery-shop visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["station", "visited_on"], name="org_mystery_visit_idx")]

    def __str__(self) -> str:
        return f"{self.station} · {self.visited_on}"

    @property
    def share(self) -> Decimal | None:
        return self.points / self.possible if self.possible else None


class MysteryShopScore(models.Model):
    """The score of one checklist item at one visit (the item's label and maximum copied as they were)."""

    visit = models.ForeignKey(MysteryShopVisit, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(MysteryShopItem, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("checklist item"), max_length=200)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=1)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.points}/{self.max_points}"
