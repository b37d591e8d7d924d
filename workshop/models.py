"""The workshop: bays, dispatch (派工), the job clock (开工/完工), shift attendance, additional-work findings (增项),
the final inspection (终检) and comebacks (返修).

Work-order status changes go through ``reception.services.workflow``; the rows here record who did what and when.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo
from core.models import Observed
from org.models import Station, TimeStampedModel

HOUR = Decimal(3600)
TWO_PLACES = Decimal("0.01")


def seconds_to_hours(seconds: float | int | Decimal) -> Decimal:
    """Exact seconds → hours, rounded to 0.01 h only for display and totals."""
    return (Decimal(seconds) / HOUR).quantize(TWO_PLACES)


class Bay(TimeStampedModel):
    """A working place in the workshop (工位): a lift, an alignment bay, a wash bay."""

    class Kind(models.TextChoices):
        LIFT = "lift", _("lift")
        QUICK = "quick", _("quick service")
        ALIGNMENT = "alignment", _("alignment")
        BODY = "body", _("body / paint")
        WASH = "wash", _("wash")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="bays", verbose_name=_("station"))
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.LIFT)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("bay")
        verbose_name_plural = _("bays")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["station", "code"], name="bay_code_unique_per_station")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JobAssignment(models.Model):
    """Dispatch (派工): one technician on one labour line, in a bay. A line may have several technicians."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("reception.WorkOrder", on_delete=models.CASCADE, related_name="assignments")
    line = models.ForeignKey("reception.WorkOrderLine", on_delete=models.CASCADE, related_name="assignments")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="job_assignments", verbose_name=_("technician")
    )
    bay = models.ForeignKey(
        Bay, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments", verbose_name=_("bay")
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("job assignment")
        verbose_name_plural = _("job assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "technician"], name="one_assignment_per_line_and_technician")
        ]
        indexes = [models.Index(fields=["technician", "order"])]

    def __str__(self) -> str:
        return f"{self.line} → {self.technician}"


class ClockEntry(Observed):
    """One stretch of work by one technician on one line: from clock-on (or resume) to pause or clock-off.

    An entry with ``ended_at`` empty is the technician's running clock; the database allows one per technician.
    Actual hours on a line = the sum of its entries.
    """

    class End(models.TextChoices):
        WAITING_PARTS = "waiting_parts", _("paused: waiting for parts")
        WAITING_APPROVAL = "waiting_approval", _("paused: waiting for customer approval")
        BREAK = "break", _("paused: break")
        OFF = "off", _("clocked off")

    PAUSES = (End.WAITING_PARTS, End.WAITING_APPROVAL, End.BREAK)

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("reception.WorkOrder", on_delete=models.CASCADE, related_name="clock_entries")
    line = models.ForeignKey("reception.WorkOrderLine", on_delete=models.CASCADE, related_name="clock_entries")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clock_entries", verbose_name=_("technician")
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end = models.CharField(_("ended by"), max_length=16, choices=End.choices, blank=True)
    is_rework = models.BooleanField(_("rework"), default=False)

    class Meta:
        verbose_name = _("clock entry")
        verbose_name_plural = _("clock entries")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["technician"], condition=models.Q(ended_at__isnull=True), name="one_running_clock_per_technician"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="clock_entry_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(ended_at__isnull=True) & models.Q(end=""))
                | (models.Q(ended_at__isnull=False) & ~models.Q(end="")),
                name="clock_entry_end_reason_iff_ended",
            ),
        ]
        indexes = [models.Index(fields=["technician", "started_at"]), models.Index(fields=["line", "technician"])]

    def __str__(self) -> str:
        return f"{self.technician} {self.line} {self.started_at:%H:%M}"

    @property
    def seconds(self) -> int:
        end = self.ended_at or timezone.now()
        return int((end - self.started_at).total_seconds())

    @property
    def hours(self) -> Decimal:
        return seconds_to_hours(self.seconds)


class Attendance(Observed):
    """A technician's shift on one day. A row for a future day is the roster (planned hours, or absent)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("technician")
    )
    day = models.DateField(_("day"))
    planned_hours = models.DecimalField(_("planned hours"), max_digits=4, decimal_places=2, default=Decimal("8"))
    is_absent = models.BooleanField(_("absent"), default=False)
    started_at = models.DateTimeField(_("shift start"), null=True, blank=True)
    ended_at = models.DateTimeField(_("shift end"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-day", "technician_id"]
        constraints = [
            models.UniqueConstraint(fields=["technician", "day"], name="one_attendance_per_technician_day"),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="attendance_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technician} {self.day}"

    @property
    def counted_until(self) -> datetime | None:
        """Where the shift's hours stop: its end, or — never ended — now, but no later than the end of its day (a
        shift left open must not count for months; the KPI rollup flags it to the workshop lead)."""
        if self.ended_at or not self.started_at:
            return self.ended_at
        day_end = timezone.make_aware(datetime.combine(self.day + timedelta(days=1), time.min),
                                      timezone.get_current_timezone())
        return min(timezone.now(), max(day_end, self.started_at))

    @property
    def attended_seconds(self) -> int:
        if not self.started_at:
            return 0
        return max(0, int((self.counted_until - self.started_at).total_seconds()))

    @property
    def attended_hours(self) -> Decimal:
        return seconds_to_hours(self.attended_seconds)


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    IN_PERSON = "in_person", _("in person")
    MESSAGE = "message", _("message")
    LINK = "link", _("customer's link (phone page)")


class Finding(TimeStampedModel):
    """Additional work (增项): what a technician found, with photos and the proposed lines, and the customer's answer.

    The proposed lines are ordinary work-order lines with ``approval="proposed"`` and ``is_additional=True``.
    Declined lines stay on the order (and so on the vehicle's history) as recommendations for the next visit.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting the customer's decision")
        APPROVED = "approved", _("approved by the customer")
        DECLINED = "declined", _("declined by the customer")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("reception.WorkOrder", on_delete=models.CASCADE, related_name="findings")
    vehicle = models.ForeignKey("reception.Vehicle", on_delete=models.PROTECT, related_name="findings")
    found_on = models.ForeignKey(
        "reception.WorkOrderLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("found while working on"),
    )
    lines = models.ManyToManyField("reception.WorkOrderLine", related_name="findings", verbose_name=_("proposed lines"))
    description = models.TextField(_("what was found"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="findings", verbose_name=_("found by")
    )
    decision = models.CharField(
        _("customer decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    channel = models.CharField(_("how the customer answered"), max_length=10, choices=Channel.choices, blank=True)
    customer_answered_at = models.DateTimeField(_("customer answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    decided_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("finding (additional work)")
        verbose_name_plural = _("findings (additional work)")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["station", "decision"]), models.Index(fields=["vehicle", "decision"])]

    def __str__(self) -> str:
        return self.description[:40]


def finding_photo_path(instance: FindingPhoto, filename: str) -> str:
    """Kept for the old migrations only: photos are now stored under random names (core.files.PrivateUploadTo)."""
    stamp = timezone.now()
    return f"findings/{stamp:%Y/%m}/{instance.finding_id}-{filename}"


class FindingPhoto(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=PrivateUploadTo("findings"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding photo")
        verbose_name_plural = _("finding photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


CHECKLIST = [
    ("concern_fixed", _("The customer's concern is fixed")),
    ("work_complete", _("All approved work is done")),
    ("no_warning_lights", _("No warning lights on the dashboard")),
    ("fluids_torque", _("Fluid levels and wheel nut torque checked")),
    ("no_leaks_noise", _("No leaks, no unusual noise")),
    ("clean_covers_off", _("Vehicle clean, seat and wing covers removed")),
]


class QualityCheck(models.Model):
    """One final inspection (终检) of an order. A failed inspection sends the order back as rework (返工)."""

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed: rework")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("reception.WorkOrder", on_delete=models.CASCADE, related_name="quality_checks")
    attempt = models.PositiveSmallIntegerField(_("inspection no."))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("QC inspector")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    checklist = models.JSONField(_("checklist"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    road_test = models.BooleanField(_("road test done"), default=False)
    washed = models.BooleanField(_("car washed"), default=False)

    class Meta:
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")
        ordering = ["order_id", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["order", "attempt"], name="one_quality_check_per_attempt"),
            models.CheckConstraint(
                condition=~models.Q(result="failed") | ~models.Q(reason=""), name="failed_quality_check_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} #{self.attempt} {self.result}"


class Comeback(Observed):
    """A comeback (返修): a new order on the same vehicle for the same concern within the comeback window."""

    class Cause(models.TextChoices):
        DIAGNOSIS = "diagnosis", _("wrong diagnosis")
        WORKMANSHIP = "workmanship", _("workmanship")
        PART_FAILURE = "part_failure", _("part failure")
        PARTS_NOT_AVAILABLE = "parts_not_available", _("parts not available")
        WRITE_UP = "write_up", _("write-up (concern not recorded well)")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField(
        "reception.WorkOrder", on_delete=models.CASCADE, related_name="comeback", verbose_name=_("comeback order")
    )
    earlier_order = models.ForeignKey(
        "reception.WorkOrder", on_delete=models.PROTECT, related_name="comebacks", verbose_name=_("earlier order")
    )
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("technician responsible"),
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("advisor responsible"),
    )
    note = models.TextField(_("note"), blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("comeback")
        verbose_name_plural = _("comebacks")
        ordering = ["-linked_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(order=models.F("earlier_order")), name="comeback_links_two_orders"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} ← {self.earlier_order}"


class ComebackDismissal(models.Model):
    """The advisor or QC looked at a possible comeback and found a different concern: no longer flagged."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField(
        "reception.WorkOrder", on_delete=models.CASCADE, related_name="comeback_dismissal", verbose_name=_("order")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("dismissed possible comeback")
        verbose_name_plural = _("dismissed possible comebacks")

    def __str__(self) -> str:
        return str(self.order)


class RosterChange(models.Model):
    """One change to the roster (排班): a technician's planned hours or absence on one day, who made it and when.

    Append-only, the audit trail of the roster editor. The old values are empty when the day had no row yet (the
    default shift)."""

    class Source(models.TextChoices):
        EDIT = "edit", _("edited")
        COPY = "copy", _("copied from the previous week")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    attendance = models.ForeignKey(
        Attendance, on_delete=models.SET_NULL, null=True, blank=True, related_name="roster_changes"
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("technician")
    )
    day = models.DateField(_("day"))
    old_planned_hours = models.DecimalField(
        _("planned hours before"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    old_is_absent = models.BooleanField(_("absent before"), null=True, blank=True)
    new_planned_hours = models.DecimalField(_("planned hours after"), max_digits=4, decimal_places=2)
    new_is_absent = models.BooleanField(_("absent after"), default=False)
    source = models.CharField(_("how"), max_length=8, choices=Source.choices, default=Source.EDIT)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("roster change")
        verbose_name_plural = _("roster changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["station", "-changed_at"]), models.Index(fields=["technician", "day"])]

    def __str__(self) -> str:
        return f"{self.technician} {self.day} {self.changed_at:%Y-%m-%d %H:%M}"


class PartNotNeeded(models.Model):
    """A part line of an order the workshop finished without its part (the old one was fine, the customer brought
    his own…): said explicitly, by whom and when, so the order may go to the final inspection without that part being
    issued (workshop.services.parts_check)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("reception.WorkOrder", on_delete=models.CASCADE, related_name="parts_not_needed")
    line = models.OneToOneField(
        "reception.WorkOrderLine", on_delete=models.CASCADE, related_name="not_needed", verbose_name=_("part line")
    )
    reason = models.CharField(_("why the part is not needed"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("part not needed")
        verbose_name_plural = _("parts not needed")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.reason[:40]}"


# --- a finding's short video (issue #17: approvals with evidence) ----------------------------------------------------
class FindingVideo(models.Model):
    """A short video of what the technician found (MP4, MOV or WebM, checked by core.uploads.video_clean)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="videos")
    video = models.FileField(_("video"), upload_to=PrivateUploadTo("findings"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding video")
        verbose_name_plural = _("finding videos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.video.name
