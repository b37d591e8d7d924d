"""Parts catalogue and stock. (The catalogue core is defined first so work-order lines can point at it.)"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Observed
from org.models import Station, TimeStampedModel


class Part(TimeStampedModel):
    """A catalogue entry of one station's parts department. Part numbers are unique per brand within a station."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="parts", verbose_name=_("station"))
    part_number = models.CharField(_("part number"), max_length=40)
    brand = models.CharField(_("brand"), max_length=40, default="TOYOTA")
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    is_genuine = models.BooleanField(_("genuine part"), default=True)
    unit = models.CharField(_("unit"), max_length=10, default="个")
    cost = models.DecimalField(_("cost (moving average)"), max_digits=12, decimal_places=4, default=Decimal("0"))
    list_price = models.DecimalField(_("list price"), max_digits=12, decimal_places=2, default=Decimal("0"))
    is_active = models.BooleanField(_("active"), default=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes", verbose_name=_("superseded by")
    )

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["part_number"]
        constraints = [
            models.UniqueConstraint(fields=["station", "brand", "part_number"], name="part_number_unique_per_brand"),
            models.CheckConstraint(condition=models.Q(cost__gte=0) & models.Q(list_price__gte=0), name="part_prices_not_negative"),
        ]
        indexes = [
            models.Index(fields=["station", "part_number"]),
            # Prefix search (LIKE 'X%') on part numbers, whatever the database collation.
            models.Index(fields=["part_number"], opclasses=["varchar_pattern_ops"], name="part_number_prefix_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.part_number} {self.name_zh}"

    def display_name(self, language: str | None = None) -> str:
        return self.name_en if language and language.startswith("en") and self.name_en else self.name_zh


QTY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0")


class PricePolicy(models.Model):
    """How a station prices parts for one payer: a markup on the OEM list price (or on cost)."""

    class Basis(models.TextChoices):
        LIST = "list", _("OEM list price")
        COST = "cost", _("cost")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="part_price_policies")
    payer = models.CharField(_("payer"), max_length=10)
    basis = models.CharField(_("basis"), max_length=8, choices=Basis.choices, default=Basis.LIST)
    markup_pct = models.DecimalField(_("markup %"), max_digits=6, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = _("price policy")
        verbose_name_plural = _("price policies")
        constraints = [models.UniqueConstraint(fields=["station", "payer"], name="one_price_policy_per_payer")]

    def __str__(self) -> str:
        return f"{self.payer} {self.basis} {self.markup_pct}%"


class Warehouse(models.Model):
    """A store room of one station. Each station has one main warehouse (created on first use)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="warehouses", verbose_name=_("station"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=80)
    is_main = models.BooleanField(_("main warehouse"), default=False)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["station", "-is_main", "code"]
        constraints = [
            models.UniqueConstraint(fields=["station", "code"], name="warehouse_code_unique_per_station"),
            models.UniqueConstraint(
                fields=["station"], condition=models.Q(is_main=True), name="one_main_warehouse_per_station"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StockBalance(models.Model):
    """On hand and reserved of one part in one warehouse, kept in the transaction of every StockMove."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="balances")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="balances")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")  # denormalised for scoping
    on_hand = models.DecimalField(_("on hand"), **QTY, default=ZERO)
    reserved = models.DecimalField(_("reserved"), **QTY, default=ZERO)
    bin_location = models.CharField(_("bin"), max_length=20, blank=True)
    min_qty = models.DecimalField(_("minimum"), **QTY, default=ZERO)
    max_qty = models.DecimalField(_("maximum"), **QTY, default=ZERO)
    last_issue_at = models.DateTimeField(_("last issued"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "part"], name="one_balance_per_part_warehouse"),
            models.CheckConstraint(condition=models.Q(on_hand__gte=0), name="stock_on_hand_not_negative"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0), name="stock_reserved_not_negative"),
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("on_hand")), name="stock_reserved_within_on_hand"
            ),
            models.CheckConstraint(
                condition=models.Q(min_qty__gte=0) & models.Q(max_qty__gte=0), name="stock_min_max_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["station", "bin_location"]),
            models.Index(fields=["bin_location"], opclasses=["varchar_pattern_ops"], name="balance_bin_prefix_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.part} @ {self.warehouse}: {self.on_hand}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class StockMove(Observed):
    """Append-only: one movement of stock. quantity is signed (+ in, − out); the balance moves with it."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("goods receipt")
        ISSUE = "issue", _("issue to work order")
        RETURN = "return", _("return from work order")
        TRANSFER_OUT = "transfer_out", _("transfer out")
        TRANSFER_IN = "transfer_in", _("transfer in")
        ADJUSTMENT = "adjustment", _("stocktake adjustment")
        SCRAP = "scrap", _("scrap")
        SUPPLIER_RETURN = "supplier_return", _("supplier return")
        REPAIR_OUT = "repair_out", _("sent for repair")
        REPAIR_IN = "repair_in", _("back from repair")
        OPENING = "opening", _("opening balance")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="moves")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=4, default=ZERO)
    balance_after = models.DecimalField(_("balance after"), **QTY)
    cost_after = models.DecimalField(
        _("cost after (moving average)"), max_digits=12, decimal_places=4, null=True, blank=True,
        help_text=_("The part's moving-average cost right after this move: what its stock was worth that day."),
    )
    line = models.ForeignKey(
        "reception.WorkOrderLine", on_delete=models.PROTECT, null=True, blank=True, related_name="stock_moves"
    )
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=~models.Q(quantity=0), name="stock_move_not_zero")]
        indexes = [models.Index(fields=["part", "-at"]), models.Index(fields=["station", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} {self.part_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("stock moves are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("stock moves are append-only")


class Reservation(models.Model):
    """Stock put aside for one work-order line (or a special order received for it)."""

    line = models.ForeignKey("reception.WorkOrderLine", on_delete=models.CASCADE, related_name="reservations")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="reservations")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.DecimalField(_("reserved"), **QTY, default=ZERO)
    is_special_order = models.BooleanField(_("special order"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.UniqueConstraint(fields=["line", "warehouse", "part"], name="one_reservation_per_line_warehouse"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="reservation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.quantity}"


class DemandLine(Observed):
    """A part line put on a work order, captured once at the moment it was asked for (first-fill rate)."""

    line = models.OneToOneField("reception.WorkOrderLine", on_delete=models.CASCADE, related_name="demand")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="demand_lines")
    requested_qty = models.DecimalField(_("requested"), **QTY)
    available_qty = models.DecimalField(_("available when requested"), **QTY)
    filled_from_stock = models.BooleanField(_("filled from stock"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("demand line")
        verbose_name_plural = _("demand lines")
        indexes = [models.Index(fields=["station", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.line_id} {self.requested_qty} {'✓' if self.filled_from_stock else '✗'}"


class PartsRequest(models.Model):
    """A technician's request for parts from a job; the counter lists the open ones."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ISSUED = "issued", _("issued")
        CANCELLED = "cancelled", _("cancelled")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey("reception.WorkOrderLine", on_delete=models.CASCADE, related_name="parts_requests")
    quantity = models.DecimalField(_("quantity"), **QTY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("parts request")
        verbose_name_plural = _("parts requests")
        ordering = ["requested_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="parts_request_positive")]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.quantity}"


class LostSale(models.Model):
    """Demand the counter could not meet: a lost sale, or one met by an emergency purchase."""

    class Outcome(models.TextChoices):
        LOST = "lost", _("lost sale")
        EMERGENCY = "emergency", _("emergency purchase")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="lost_sales")
    quantity = models.DecimalField(_("quantity"), **QTY)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.LOST)
    line = models.ForeignKey("reception.WorkOrderLine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("lost sale")
        verbose_name_plural = _("lost sales")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.part_id} × {self.quantity} ({self.outcome})"


class Supplier(models.Model):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="suppliers")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    lead_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=3)
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Only active suppliers can be chosen on a new purchase order."))

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["station", "code"], name="supplier_code_unique_per_station")]

    def __str__(self) -> str:
        return self.name


class PurchaseOrder(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ORDERED = "ordered", _("ordered")
        PARTLY_RECEIVED = "partly_received", _("partly received")
        RECEIVED = "received", _("received")
        CANCELLED = "cancelled", _("cancelled")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="purchase_orders")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="purchase_orders")
    number = models.CharField(_("number"), max_length=24)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="purchase_orders")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    is_emergency = models.BooleanField(_("emergency purchase"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    # set when the order is placed: the order day plus the supplier's lead time (the overdue list reads it)
    due_date = models.DateField(_("due"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="purchase_order_number_unique")]
        indexes = [models.Index(fields=["station", "due_date", "id"], name="po_station_due")]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="purchase_lines")
    quantity = models.DecimalField(_("ordered"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=4, default=ZERO)
    received_qty = models.DecimalField(_("received"), **QTY, default=ZERO)
    for_line = models.ForeignKey(
        "reception.WorkOrderLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="special_orders",
        verbose_name=_("special order for"),
    )

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="po_line_positive"),
            models.CheckConstraint(condition=models.Q(received_qty__gte=0), name="po_line_received_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.part} × {self.quantity}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.quantity - self.received_qty, ZERO)


class Receipt(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    delivery_note = models.CharField(_("delivery note"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.order} {self.at:%Y-%m-%d}"


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    po_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    quantity = models.DecimalField(_("received"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=4)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="receipt_line_positive")]

    def __str__(self) -> str:
        return f"{self.po_line_id} × {self.quantity}"


class ReceiptException(models.Model):
    """配件异常: something wrong with a delivery, logged against the receipt."""

    class Kind(models.TextChoices):
        WRONG = "wrong", _("wrong part")
        DAMAGED = "damaged", _("damaged")
        SHORT = "short", _("short delivery")

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="exceptions")
    po_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="exceptions")
    kind = models.CharField(_("exception"), max_length=10, choices=Kind.choices)
    quantity = models.DecimalField(_("quantity"), **QTY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("receipt exception")
        verbose_name_plural = _("receipt exceptions")

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity}"


class SupplierReturn(models.Model):
    """退换货 and 配件返修: stock sent back to the supplier for credit, exchange or repair."""

    class Kind(models.TextChoices):
        RETURN = "return", _("return for credit")
        EXCHANGE = "exchange", _("exchange")
        REPAIR = "repair", _("return for repair")

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        CLOSED = "closed", _("closed")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="returns")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="supplier_returns")
    quantity = models.DecimalField(_("quantity"), **QTY)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    reason = models.CharField(_("reason"), max_length=200)
    receipt = models.ForeignKey(Receipt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier return")
        verbose_name_plural = _("supplier returns")
        ordering = ["-at"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="supplier_return_positive")]

    def __str__(self) -> str:
        return f"{self.kind} {self.part_id} × {self.quantity}"


class Stocktake(models.Model):
    class Status(models.TextChoices):
        COUNTING = "counting", _("counting")
        SUBMITTED = "submitted", _("awaiting approval")
        POSTED = "posted", _("approved and posted")
        CANCELLED = "cancelled", _("cancelled")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="stocktakes")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stocktakes")
    number = models.CharField(_("number"), max_length=24)
    bin_prefix = models.CharField(_("bins starting with"), max_length=20, blank=True)
    is_blind = models.BooleanField(_("blind count"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COUNTING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class StocktakeLine(models.Model):
    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+")
    bin_location = models.CharField(_("bin"), max_length=20, blank=True)
    expected_qty = models.DecimalField(_("book quantity"), **QTY)
    counted_qty = models.DecimalField(_("counted"), **QTY, null=True, blank=True)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=4, default=ZERO)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["bin_location", "part__part_number"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "part"], name="one_count_per_part"),
            models.CheckConstraint(condition=models.Q(counted_qty__gte=0), name="count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.part_id}: {self.counted_qty}/{self.expected_qty}"

    @property
    def variance(self) -> Decimal | None:
        return None if self.counted_qty is None else self.counted_qty - self.expected_qty

    @property
    def variance_value(self) -> Decimal:
        return (self.variance or ZERO) * self.unit_cost


class ScrapRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="scrap_requests")
    quantity = models.DecimalField(_("quantity"), **QTY)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scrap request")
        verbose_name_plural = _("scrap requests")
        ordering = ["-requested_at"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="scrap_positive")]

    def __str__(self) -> str:
        return f"{self.part_id} × {self.quantity} ({self.status})"


class OperationPart(models.Model):
    """Parts a labour operation usually needs (a kit, e.g. 10,000 km service → oil filter, drain plug gasket, oil).

    Reception uses it to check parts availability when an appointment is booked.
    """

    operation = models.ForeignKey(
        "reception.LabourOperation", on_delete=models.CASCADE, related_name="kit_parts", verbose_name=_("labour operation")
    )
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="kits", verbose_name=_("part"))
    quantity = models.DecimalField(_("quantity"), **QTY, default=Decimal("1"))

    class Meta:
        verbose_name = _("operation part")
        verbose_name_plural = _("operation parts")
        constraints = [
            models.UniqueConstraint(fields=["operation", "part"], name="one_kit_line_per_part"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="kit_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.part} × {self.quantity}"


class PartsEvent(models.Model):
    """Append-only audit trail of every change in the parts department that is not a stock move itself:
    reservations, bins and min/max, supersessions, imports, purchase orders, stocktakes, scrap, requests, returns."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("change"), max_length=32, db_index=True)
    part = models.ForeignKey(Part, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    line = models.ForeignKey("reception.WorkOrderLine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("parts event")
        verbose_name_plural = _("parts events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} {self.at:%Y-%m-%d %H:%M}"


# --- transfers between stations of the same group (issue 19, item 13) -----------------------------------------------


class StationTransfer(models.Model):
    """A transfer document (站间调拨) from one station's main warehouse to another station of the same group. Shipping
    takes the stock out at the source, receiving puts it in at the destination (under the destination's part of the
    same number); each step is recorded with who and when."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SHIPPED = "shipped", _("shipped")
        RECEIVED = "received", _("received")

    number = models.CharField(_("number"), max_length=24)
    from_station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="transfers_out",
                                     verbose_name=_("from station"))
    to_station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="transfers_in",
                                   verbose_name=_("to station"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("shipped by"))
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True, verbose_name=_("received by"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("station transfer")
        verbose_name_plural = _("station transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["from_station", "number"], name="station_transfer_number_unique"),
            models.CheckConstraint(condition=~models.Q(from_station=models.F("to_station")),
                                   name="station_transfer_two_stations"),
        ]

    def __str__(self) -> str:
        return self.number


class StationTransferLine(models.Model):
    transfer = models.ForeignKey(StationTransfer, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("part"))
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=4, default=ZERO)

    class Meta:
        verbose_name = _("station transfer line")
        verbose_name_plural = _("station transfer lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="station_transfer_line_positive")]

    def __str__(self) -> str:
        return f"{self.part} × {self.quantity}"
