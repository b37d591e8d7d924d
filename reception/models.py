"""Customers, vehicles, the labour catalogue and the work order (任务委托书) with its lines and history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Right
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.errors import DomainError
from core.files import PrivateUploadTo
from core.models import Observed
from core.money import Payer
from core.registry import registry
from org.models import Station, TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class Customer(TimeStampedModel):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        FLEET = "fleet", _("fleet / corporate account")

    class Language(models.TextChoices):
        ZH = "zh-hans", "简体中文"
        EN = "en", "English"

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="customers", verbose_name=_("station"))
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = models.CharField(_("name"), max_length=120)
    mobile = models.CharField(_("mobile"), max_length=20)
    other_phone = models.CharField(_("other phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    company_tax_id = models.CharField(_("tax ID"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ZH
    )
    contact_consent = models.BooleanField(_("agrees to be contacted"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    # Retention grade (issue 19): set by reception.services.grading, nightly in bulk and on demand.
    grade = models.CharField(_("grade"), max_length=8, choices=[
        ("vip", _("VIP")), ("regular", _("regular")), ("at_risk", _("at risk")), ("lost", _("lost"))],
        blank=True, default="", db_default="")
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    # WeChat official account (issue 17): the customer's openid, bound when they open their order link in WeChat.
    wechat_openid = models.CharField(_("WeChat openid"), max_length=64, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["station", "mobile"], name="customer_mobile_unique_per_station")]
        # (name, id): the group's customer list walks it in order, a page after the last row seen (core.paging).
        indexes = [
            models.Index(fields=["station", "name"]),
            models.Index(fields=["name", "id"], name="customer_name_id"),
            # The search box's last four digits of a mobile (reception.selectors.search): an equality, not a scan.
            models.Index(models.F("station"), Right("mobile", 4), name="customer_station_mobile_last4"),
            models.Index(fields=["station", "wechat_openid"], name="customer_station_wechat_openid"),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    """A named contact of a fleet / corporate customer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=80)
    role = models.CharField(_("role"), max_length=80, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class Vehicle(TimeStampedModel):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("station"))
    owner = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("owner"), null=True, blank=True
    )
    vin = models.CharField(_("VIN"), max_length=17)
    plate = models.CharField(_("licence plate"), max_length=12, blank=True)
    make = models.CharField(_("make"), max_length=40, blank=True)
    model = models.CharField(_("model"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("model year"), null=True, blank=True)
    colour = models.CharField(_("colour"), max_length=30, blank=True)
    warranty_start = models.DateField(_("warranty start"), null=True, blank=True)
    mileage = models.PositiveIntegerField(_("mileage (km)"), default=0, help_text=_("Latest confirmed reading."))
    # Insurance renewal (续保, issue 19): care calls the owners of vehicles whose cover runs out soon.
    insurance_expiry = models.DateField(_("insurance expires"), null=True, blank=True)
    insurer = models.CharField(_("insurer"), max_length=60, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate"]
        # A vehicle booked online by a new customer has no VIN until the desk reads it at arrival: unique when known.
        constraints = [models.UniqueConstraint(fields=["station", "vin"], condition=~models.Q(vin=""),
                                               name="vehicle_vin_unique_per_station")]
        indexes = [models.Index(fields=["station", "plate"]),
                   models.Index(fields=["station", "insurance_expiry"], name="vehicle_station_insurance")]

    def __str__(self) -> str:
        return self.label_from(self.plate, self.vin)

    @staticmethod
    def label_from(plate: str, vin: str) -> str:
        """How a vehicle is named in lists: its plate, else its VIN; also from a ``values()`` row's columns."""
        return plate or vin


class MileageReading(models.Model):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="mileage_readings")
    km = models.PositiveIntegerField(_("mileage (km)"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    odometer_change_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("odometer change confirmed by"),
    )

    class Meta:
        verbose_name = _("mileage reading")
        verbose_name_plural = _("mileage readings")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.km} km"


class VehicleOwnership(models.Model):
    """Owner history: a vehicle can change hands."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="ownerships")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="ownerships")
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        ordering = ["-since"]

    def __str__(self) -> str:
        return f"{self.vehicle} → {self.customer}"


class LabourOperation(TimeStampedModel):
    """An entry of the labour operation catalogue (工时目录)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="labour_operations")
    code = models.CharField(_("code"), max_length=20)
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)
    standard_hours = models.DecimalField(
        _("standard hours"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    rate_customer = models.DecimalField(_("labour rate, customer pay"), **MONEY)
    rate_warranty = models.DecimalField(_("labour rate, warranty"), **MONEY)
    rate_insurance = models.DecimalField(_("labour rate, insurance"), **MONEY)
    rate_internal = models.DecimalField(_("labour rate, internal"), **MONEY)
    is_active = models.BooleanField(_("active"), default=True)
    bookable = models.BooleanField(
        _("bookable online"), default=False,
        help_text=_("Customers may choose it on the online booking page (/book/)."),
    )

    class Meta:
        verbose_name = _("labour operation")
        verbose_name_plural = _("labour operations")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["station", "code"], name="labour_code_unique_per_station")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    def rate_for(self, payer: str) -> Decimal:
        return getattr(self, f"rate_{payer}")

    def display_name(self, language: str | None = None) -> str:
        return self.name_en if language and language.startswith("en") and self.name_en else self.name_zh


class WorkOrder(TimeStampedModel):
    """The work order (任务委托书). Its status changes only through reception.services.workflow."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("estimate")
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        QUALITY_CHECK = "quality_check", _("quality check")
        READY = "ready", _("ready for settlement")
        SETTLED = "settled", _("settled")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    class Fuel(models.TextChoices):
        EMPTY = "0", _("empty")
        QUARTER = "25", "1/4"
        HALF = "50", "1/2"
        THREE_QUARTERS = "75", "3/4"
        FULL = "100", _("full")

    # no index of its own: every index below leads with the station, and a lone one misled the planner on big stations
    # (the board's comeback count read a station's 110,000 orders by it instead of its month by (station, opened_at))
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="work_orders", db_index=False)
    number = models.CharField(_("order number"), max_length=20)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="work_orders")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="work_orders")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advised_orders", verbose_name=_("advisor")
    )
    mileage_in = models.PositiveIntegerField(_("mileage in (km)"), null=True, blank=True)
    fuel_level = models.CharField(_("fuel level"), max_length=4, choices=Fuel.choices, blank=True)
    promised_at = models.DateTimeField(_("promised completion"), null=True, blank=True)
    promised_at_signed = models.DateTimeField(
        _("promised completion at signature"), null=True, blank=True, help_text=_("Frozen when the customer signs.")
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    work_completed_at = models.DateTimeField(_("work completed at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, db_index=True)
    is_walk_in = models.BooleanField(_("walk-in"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    # The usual options of a 4S work order, agreed at reception or with the estimate and printed on the order (a
    # database default too: rows written in bulk by SQL get "no").
    keep_old_parts = models.BooleanField(_("customer keeps the old parts"), default=False, db_default=False)
    wash = models.BooleanField(_("wash the car"), default=False, db_default=False)
    customer_waiting = models.BooleanField(_("customer waits in the lounge"), default=False, db_default=False)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="work_order_number_unique")]
        indexes = [
            models.Index(fields=["station", "status"]), models.Index(fields=["station", "delivered_at"]),
            # A station's order list, newest first, a page after the last row seen (core.paging).
            models.Index(fields=["station", "opened_at"], name="work_order_station_opened"),
            # The advisor's desk: their open orders, oldest first — without walking their whole history.
            models.Index(fields=["station", "advisor", "opened_at"], name="work_order_open_by_advisor",
                         condition=~models.Q(status__in=["delivered", "cancelled"])),
        ]

    def __str__(self) -> str:
        return self.number

    OPTION_FIELDS = ("keep_old_parts", "wash", "customer_waiting")

    @property
    def options(self) -> list[str]:
        """The options chosen, as short labels (旧件带走, 洗车, 客户在店等候) for badges and printouts."""
        labels = {"keep_old_parts": _("keep old parts"), "wash": _("wash"), "customer_waiting": _("customer waiting")}
        return [labels[name] for name in self.OPTION_FIELDS if getattr(self, name)]


class Concern(models.Model):
    """The customer's own words for one concern (故障描述)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="concerns")
    text = models.TextField(_("customer's description"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class WorkOrderLine(Observed, TimeStampedModel):
    """One line of the order: a labour operation, a part or sublet work, with its payer."""

    class Kind(models.TextChoices):
        LABOUR = "labour", _("labour")
        PART = "part", _("part")
        SUBLET = "sublet", _("sublet")

    class Approval(models.TextChoices):
        APPROVED = "approved", _("approved")
        PROPOSED = "proposed", _("awaiting customer approval")
        DECLINED = "declined", _("declined by customer")

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    payer = models.CharField(_("payer"), max_length=10, choices=Payer.choices, default=Payer.CUSTOMER)
    labour_operation = models.ForeignKey(
        LabourOperation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    part = models.ForeignKey("parts.Part", on_delete=models.PROTECT, null=True, blank=True, related_name="order_lines")
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(Decimal("0.01"))]
    )
    hours = models.DecimalField(_("sold hours"), max_digits=6, decimal_places=2, default=Decimal("0"))
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(Decimal("0"))])
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=4, default=Decimal("0"))
    discount_pct = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    approval = models.CharField(_("customer approval"), max_length=10, choices=Approval.choices, default=Approval.APPROVED)
    is_additional = models.BooleanField(_("additional work"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("work order line")
        verbose_name_plural = _("work order lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discount_pct__gte=0) & models.Q(discount_pct__lte=100), name="line_discount_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    # A settled order never changes: whichever code path saves or deletes a line (a service, the admin, the shell,
    # another app), the line of an order with a settlement statement is refused here; a credit note corrects it
    # instead. Whether statements exist is settlement's to say (it provides "settlement.order_settled").
    def save(self, *args, **kwargs):
        self._refuse_if_settled()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_settled()
        return super().delete(*args, **kwargs)

    def _refuse_if_settled(self) -> None:
        if self.order_id and registry.call("settlement.order_settled", order_id=self.order_id):
            number = WorkOrder.objects.filter(pk=self.order_id).values_list("number", flat=True).first()
            raise DomainError(
                _("Order %(number)s is settled and cannot change; correct it with a credit note.") % {"number": number}
            )


# The kinds of change reception writes to the order history (registered with their labels in ReceptionConfig.ready();
# other apps register theirs).
EVENT_KINDS = {
    "transition": _("status changed"),
    "received": _("vehicle received"),
    "updated": _("reception details changed"),
    "line_added": _("line added"),
    "line_changed": _("line changed"),
    "line_removed": _("line removed"),
    "line_declined": _("line declined"),
    "discount": _("discount"),
    "discount_requested": _("discount requested"),
    "discount_decided": _("discount decided"),
    "estimate_version": _("estimate version"),
    "estimate_approved": _("customer approval"),
    "estimate_signed": _("estimate signed"),
    "pre_inspection": _("walk-around pre-inspection"),
    "photo": _("photo"),
}


class WorkOrderEvent(Observed):
    """Append-only history of a work order: every transition and every change, with who and when."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16, blank=True)
    kind = models.CharField(_("change"), max_length=32, default="transition")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("work order event")
        verbose_name_plural = _("work order events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order} {self.old_status}→{self.new_status}"

    def describe(self) -> str:
        """What happened, in words: "draft → open" for a transition, else the kind of change."""
        if self.kind == "transition":
            labels = dict(WorkOrder.Status.choices)
            return f"{labels.get(self.old_status, self.old_status)} → {labels.get(self.new_status, self.new_status)}"
        return str(registry.event_label(self.kind))


# --- estimate versions, discounts ------------------------------------------------------------------------------


class EstimateVersion(models.Model):
    """A frozen copy of an order's lines and totals at one moment, and how the customer approved it.

    Version 1 is usually signed at reception; later versions record additional work approved by phone, in person or
    by message. A version is never changed after it has been approved or signed.
    """

    class Channel(models.TextChoices):
        SIGNATURE = "signature", _("signature on the tablet")
        SCAN = "scan", _("signed paper, scanned")
        PHONE = "phone", _("by phone")
        IN_PERSON = "in_person", _("in person")
        MESSAGE = "message", _("by message")
        LINK = "link", _("on the customer's link (phone page)")

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="estimate_versions")
    number = models.PositiveSmallIntegerField(_("version"))
    lines = models.JSONField(_("lines"), default=list)
    totals = models.JSONField(_("totals"), default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approval_channel = models.CharField(_("approved through"), max_length=12, choices=Channel.choices, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    signature = models.FileField(_("signature"), upload_to=PrivateUploadTo("signatures"), blank=True)
    scan = models.FileField(_("scanned signed estimate"), upload_to=PrivateUploadTo("estimate-scans"), blank=True)

    class Meta:
        verbose_name = _("estimate version")
        verbose_name_plural = _("estimate versions")
        ordering = ["order", "number"]
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="estimate_version_unique")]

    def __str__(self) -> str:
        return f"{self.order} v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class DiscountApproval(models.Model):
    """A discount above the requester's authority, waiting for the next person up the chain."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="discount_approvals")
    line = models.ForeignKey(WorkOrderLine, on_delete=models.CASCADE, related_name="discount_approvals")
    discount_pct = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="discount_requests",
        verbose_name=_("approver"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("discount approval")
        verbose_name_plural = _("discount approvals")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.order} {self.discount_pct}%"


# --- appointments ----------------------------------------------------------------------------------------------


class Appointment(Observed, TimeStampedModel):
    """A booking (预约). Reminders are sent by the complaints app, which reads this model."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("by phone")
        DESK = "desk", _("at the desk")
        ONLINE = "online", _("online")

    class Status(models.TextChoices):
        EXPECTED = "expected", _("expected")
        ARRIVED = "arrived", _("arrived")
        NO_SHOW = "no_show", _("no-show")
        CANCELLED = "cancelled", _("cancelled")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="appointments")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="appointments",
                                 verbose_name=_("customer"))
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="appointments",
                                verbose_name=_("vehicle"))
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("advisor")
    )
    concern = models.TextField(_("customer's description"), blank=True)
    operations = models.ManyToManyField(
        LabourOperation, blank=True, related_name="appointments", verbose_name=_("requested labour operations")
    )
    parts = models.ManyToManyField(
        "parts.Part", blank=True, related_name="appointments", verbose_name=_("parts needed")
    )
    start = models.DateTimeField(_("start"), db_index=True)
    duration = models.DurationField(_("duration"), default=timedelta(hours=1))
    channel = models.CharField(_("booked"), max_length=8, choices=Channel.choices, default=Channel.PHONE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.EXPECTED,
                              db_index=True)
    booked_hours = models.DecimalField(
        _("booked hours"), max_digits=6, decimal_places=2, default=Decimal("0"),
        help_text=_("Standard hours of the requested operations (workshop capacity)."),
    )
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    work_order = models.OneToOneField(
        WorkOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        indexes = [models.Index(fields=["station", "start"])]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.vehicle}"

    @property
    def end(self):
        return self.start + self.duration


# --- walk-around pre-inspection --------------------------------------------------------------------------------


class ChecklistItem(models.Model):
    """One point of a station's pre-inspection checklist (configurable per station)."""

    class Area(models.TextChoices):
        EXTERIOR = "exterior", _("exterior")
        INTERIOR = "interior", _("interior")
        LIGHTS = "lights", _("lights")
        TYRES = "tyres", _("tyres")
        VALUABLES = "valuables", _("valuables")
        WARNING_LIGHTS = "warning_lights", _("warning lights")
        OTHER = "other", _("other")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="checklist_items")
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    label = models.CharField(_("check"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class PreInspection(models.Model):
    """The walk-around pre-inspection (环车预检) of one order."""

    order = models.OneToOneField(WorkOrder, on_delete=models.CASCADE, related_name="pre_inspection")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)
    mileage = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    fuel_level = models.CharField(_("fuel level"), max_length=4, choices=WorkOrder.Fuel.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("pre-inspection")
        verbose_name_plural = _("pre-inspections")

    def __str__(self) -> str:
        return f"{self.order}"


class PreInspectionItem(models.Model):
    inspection = models.ForeignKey(PreInspection, on_delete=models.CASCADE, related_name="items")
    area = models.CharField(_("area"), max_length=16, choices=ChecklistItem.Area.choices)
    label = models.CharField(_("check"), max_length=120)
    ok = models.BooleanField(_("OK"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("pre-inspection item")
        verbose_name_plural = _("pre-inspection items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class DamageMark(models.Model):
    """A mark tapped on the vehicle diagram: position in percent of the diagram's width and height."""

    inspection = models.ForeignKey(PreInspection, on_delete=models.CASCADE, related_name="damage_marks")
    x_pct = models.DecimalField(_("x (%)"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    y_pct = models.DecimalField(_("y (%)"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("damage mark")
        verbose_name_plural = _("damage marks")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"({self.x_pct}, {self.y_pct}) {self.note}"


class OrderPhoto(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=PrivateUploadTo("order-photos"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


# --- Warranty terms, 三包 repairs and recalls / service campaigns (issue #18 items 5 and 6) ---------------------------
class WarrantyTerms(TimeStampedModel):
    """A model's warranty (包修期) and 三包 period (三包有效期) at a station, from the sale date (the vehicle's warranty
    start) and the mileage, whichever comes first. A model without terms gets the legal minimums (services)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="warranty_terms")
    model = models.CharField(_("model"), max_length=60)
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), default=36)
    warranty_km = models.PositiveIntegerField(_("warranty (km)"), default=100_000)
    sanbao_months = models.PositiveSmallIntegerField(_("three-guarantee (三包) period (months)"), default=24)
    sanbao_km = models.PositiveIntegerField(_("three-guarantee (三包) period (km)"), default=50_000)

    class Meta:
        verbose_name = _("warranty terms")
        verbose_name_plural = _("warranty terms")
        constraints = [models.UniqueConstraint(fields=["station", "model"], name="warranty_terms_station_model")]
        ordering = ["model"]

    def __str__(self) -> str:
        return self.model


class SanbaoRepair(TimeStampedModel):
    """One repair of a quality fault counted for 三包 (家用汽车产品修理更换退货责任规定, 2021): the major system,
    the fault (the same wording = the same quality problem), whether it was a serious safety fault, whether the
    system's main part was replaced, and the repair days (one started day of repair counts as one)."""

    class Component(models.TextChoices):
        ENGINE = "engine", _("engine")
        TRANSMISSION = "transmission", _("transmission")
        BATTERY = "battery", _("traction battery")
        MOTOR = "motor", _("drive motor")
        STEERING = "steering", _("steering system")
        BRAKES = "brakes", _("braking system")
        SUSPENSION = "suspension", _("suspension system")
        DRIVELINE = "driveline", _("driveline")
        EMISSIONS = "emissions", _("emission control")
        BODY = "body", _("body")
        OTHER = "other", _("other")

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="sanbao_repairs")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="sanbao_repairs")
    component = models.CharField(_("system"), max_length=16, choices=Component.choices)
    fault = models.CharField(_("fault"), max_length=120)
    serious_safety = models.BooleanField(_("serious safety fault"), default=False)
    replaced = models.BooleanField(_("main part replaced"), default=False)
    days = models.PositiveSmallIntegerField(_("repair days"), default=1)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("three-guarantee (三包) repair")
        verbose_name_plural = _("three-guarantee (三包) repairs")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_component_display()}: {self.fault}"


class Campaign(TimeStampedModel):
    """A carmaker's recall (召回) or service campaign (服务活动) at a station: its labour operation (the completion is an
    ordinary labour line of it on a warranty payer) and the parts it needs."""

    class Kind(models.TextChoices):
        RECALL = "recall", _("recall")
        SERVICE = "service", _("service campaign")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="campaigns")
    code = models.CharField(_("campaign code"), max_length=30)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, default=Kind.RECALL)
    labour_operation = models.ForeignKey(LabourOperation, on_delete=models.PROTECT, related_name="campaigns",
                                         verbose_name=_("labour operation"))
    parts = models.CharField(_("parts"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [models.UniqueConstraint(fields=["station", "code"], name="campaign_station_code")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CampaignVehicle(Observed, models.Model):
    """A VIN on a campaign's list; open until an order of it with the campaign's labour line is settled."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="vehicles")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    vin = models.CharField(_("VIN"), max_length=17)
    listed_at = models.DateTimeField(_("listed at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("campaign vehicle")
        verbose_name_plural = _("campaign vehicles")
        constraints = [models.UniqueConstraint(fields=["campaign", "vin"], name="campaign_vehicle_vin")]
        indexes = [models.Index(fields=["station", "vin"], name="campaign_vehicle_open",
                                condition=models.Q(done_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.vin}"


# --- customer grading rules (issue 19, retention) ---------------------------------------------------------------------


class GradingRules(TimeStampedModel):
    """A station's rules for grading customers. A station without a row uses the defaults.

    Lost: no visit for ``lost_months``; at risk: none for ``at_risk_months``; VIP: within the last ``window_months``
    at least ``vip_visits`` visits or ``vip_spend`` spent (customer-paid lines of delivered orders); else regular.
    """

    station = models.OneToOneField(Station, on_delete=models.CASCADE, related_name="grading_rules")
    window_months = models.PositiveSmallIntegerField(_("counting window (months)"), default=12,
                                                     validators=[MinValueValidator(1), MaxValueValidator(60)])
    vip_visits = models.PositiveSmallIntegerField(_("VIP: visits in the window"), default=4,
                                                  validators=[MinValueValidator(1)])
    vip_spend = models.DecimalField(_("VIP: spend in the window"), **MONEY, default=Decimal("10000"),
                                    validators=[MinValueValidator(Decimal("0"))])
    at_risk_months = models.PositiveSmallIntegerField(_("at risk: months since the last visit"), default=9,
                                                      validators=[MinValueValidator(1)])
    lost_months = models.PositiveSmallIntegerField(_("lost: months since the last visit"), default=18,
                                                   validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("grading rules")
        verbose_name_plural = _("grading rules")

    def __str__(self) -> str:
        return str(self.station)


# --- loaner cars (代步车) (issue 19, item 10) ---------------------------------------------------------------------------


class Loaner(TimeStampedModel):
    """A car of the station's loaner fleet, lent to customers while their car is in the workshop."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="loaners")
    plate = models.CharField(_("plate"), max_length=16)
    model_name = models.CharField(_("model"), max_length=80)
    daily_rate = models.DecimalField(_("charge per day"), **MONEY, default=Decimal("0"),
                                     validators=[MinValueValidator(Decimal("0"))])
    active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("loaner car")
        verbose_name_plural = _("loaner cars")
        constraints = [models.UniqueConstraint(fields=["station", "plate"], name="loaner_station_plate")]
        ordering = ["plate"]

    def __str__(self) -> str:
        return f"{self.plate} {self.model_name}"


class LoanerBooking(TimeStampedModel):
    """A loaner lent against a work order for a period: booked → out → returned (or cancelled).

    Two live bookings of one car never overlap: the service checks under a row lock on the car, and on PostgreSQL the
    database refuses it too (exclusion constraint ``loaner_booking_no_overlap``, created by migration 0016)."""

    class Status(models.TextChoices):
        BOOKED = "booked", pgettext_lazy("loaner booking", "booked")  # "booked" alone labels the appointment channel
        OUT = "out", _("out")
        RETURNED = "returned", _("returned")
        CANCELLED = "cancelled", _("cancelled")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    loaner = models.ForeignKey(Loaner, on_delete=models.PROTECT, related_name="bookings")
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="loaner_bookings")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BOOKED)
    out_at = models.DateTimeField(_("handed out at"), null=True, blank=True)
    out_mileage = models.PositiveIntegerField(_("mileage out (km)"), null=True, blank=True)
    out_fuel = models.PositiveSmallIntegerField(_("fuel out (%)"), null=True, blank=True,
                                                validators=[MaxValueValidator(100)])
    out_damage = models.TextField(_("damage at hand-out"), blank=True)
    in_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    in_mileage = models.PositiveIntegerField(_("mileage in (km)"), null=True, blank=True)
    in_fuel = models.PositiveSmallIntegerField(_("fuel in (%)"), null=True, blank=True,
                                               validators=[MaxValueValidator(100)])
    in_damage = models.TextField(_("damage at return"), blank=True)
    charge = models.DecimalField(_("charge"), **MONEY, default=Decimal("0"))
    free = models.BooleanField(_("free of charge"), default=False)
    free_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("made free by"))
    # The order line the charge was posted to at return (none when free): settled and invoiced with the order.
    line = models.OneToOneField(WorkOrderLine, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="loaner_booking", verbose_name=_("order line"))

    class Meta:
        verbose_name = _("loaner booking")
        verbose_name_plural = _("loaner bookings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["station", "starts_at"], name="loaner_booking_station_start")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="loaner_booking_period"),
        ]

    def __str__(self) -> str:
        return f"{self.loaner.plate} {self.order}"


LOANER_EVENT_KINDS = {
    "booked": _("loaner booked"),
    "out": _("loaner handed out"),
    "returned": _("loaner returned"),
    "cancelled": _("loaner booking cancelled"),
    "free": _("loaner made free of charge"),
}


class DeskServiceEvent(models.Model):
    """Append-only history of a desk service (loaner booking, pick-up job): who did what, when."""

    KINDS: dict = {}

    kind = models.CharField(_("change"), max_length=16)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def describe(self) -> str:
        return str(self.KINDS.get(self.kind, self.kind))


class LoanerEvent(DeskServiceEvent):
    KINDS = LOANER_EVENT_KINDS

    booking = models.ForeignKey(LoanerBooking, on_delete=models.CASCADE, related_name="events")

    class Meta(DeskServiceEvent.Meta):
        verbose_name = _("loaner event")
        verbose_name_plural = _("loaner events")


# --- pick-up and delivery (取送车) (issue 19, item 11) -----------------------------------------------------------------


class PickupJob(TimeStampedModel):
    """A driver fetches the customer's car (planned → picked up) and brings it back (→ delivered), for an order or
    an appointment. At each end the customer signs on the tablet and the driver may take photos of the car."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        PICKED_UP = "picked_up", _("picked up")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="pickup_jobs")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="pickup_jobs")
    driver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("driver"))
    window_start = models.DateTimeField(_("window from"))
    window_end = models.DateTimeField(_("window until"))
    pickup_address = models.CharField(_("pick-up address"), max_length=200)
    delivery_address = models.CharField(_("delivery address"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    pickup_note = models.TextField(_("hand-over check at pick-up"), blank=True)
    pickup_signature = models.FileField(_("signature at pick-up"), upload_to=PrivateUploadTo("signatures"),
                                        blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_note = models.TextField(_("hand-over check at delivery"), blank=True)
    delivery_signature = models.FileField(_("signature at delivery"), upload_to=PrivateUploadTo("signatures"),
                                          blank=True)

    class Meta:
        verbose_name = _("pick-up and delivery job")
        verbose_name_plural = _("pick-up and delivery jobs")
        ordering = ["window_start", "id"]
        indexes = [models.Index(fields=["station", "window_start"], name="pickup_job_station_window")]
        constraints = [models.CheckConstraint(condition=models.Q(window_end__gt=models.F("window_start")),
                                              name="pickup_job_window")]

    def __str__(self) -> str:
        return f"{self.pickup_address} → {self.delivery_address}"


class PickupPhoto(models.Model):
    """A photo of the car at one end of the hand-over, kept as private personal data (core.files)."""

    job = models.ForeignKey(PickupJob, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=16, choices=[("picked_up", _("pick-up")),
                                                                  ("delivered", _("delivery"))])
    image = models.FileField(_("photo"), upload_to=PrivateUploadTo("pickup-photos"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hand-over photo")
        verbose_name_plural = _("hand-over photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.job_id} {self.stage}"


PICKUP_EVENT_KINDS = {
    "planned": _("pick-up planned"),
    "picked_up": _("car picked up"),
    "delivered": _("car delivered"),
    "cancelled": _("pick-up cancelled"),
}


class PickupEvent(DeskServiceEvent):
    KINDS = PICKUP_EVENT_KINDS

    job = models.ForeignKey(PickupJob, on_delete=models.CASCADE, related_name="events")

    class Meta(DeskServiceEvent.Meta):
        verbose_name = _("pick-up event")
        verbose_name_plural = _("pick-up events")


# --- review of large orders by the front-desk lead before the customer signs (issue 19, item 14) ---------------------


class OrderReviewSettings(TimeStampedModel):
    """A station's amount above which the front-desk lead reviews an estimate before the customer signs it. A
    station without a row uses ``DEFAULT_THRESHOLD``; 0 turns the review off."""

    DEFAULT_THRESHOLD = Decimal("10000.00")

    station = models.OneToOneField(Station, on_delete=models.CASCADE, related_name="order_review_settings")
    threshold = models.DecimalField(_("review orders above (gross)"), **MONEY, default=DEFAULT_THRESHOLD,
                                    validators=[MinValueValidator(Decimal("0"))],
                                    help_text=_("0: no review needed."))

    class Meta:
        verbose_name = _("large-order review settings")
        verbose_name_plural = _("large-order review settings")

    def __str__(self) -> str:
        return str(self.station)


class OrderReview(models.Model):
    """The front-desk lead reviewed the estimate of a large order: who, when, and the gross amount reviewed (a later
    estimate above that amount needs a new review)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="reviews")
    amount = models.DecimalField(_("amount reviewed (gross)"), **MONEY)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("reviewed by"))
    at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("large-order review")
        verbose_name_plural = _("large-order reviews")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.order} {self.amount}"
