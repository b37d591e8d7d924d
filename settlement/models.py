"""Settlement (结算): statements per payer and credit notes, payments, reconciliation decisions, delivery (交车),
warranty claims (索赔申请) and insurance claims (事故车定损理赔).

Amounts on a statement are a frozen copy taken at settlement: the printout never changes when a catalogue price
does. A settled order is corrected only by a credit note that references the original statement.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import PrivateUploadTo
from core.models import Observed
from org.models import Station
from reception.models import Customer, Payer, WorkOrder, WorkOrderLine

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class Statement(Observed):
    """One payer's settlement statement (结算单) of one order, or a credit note (红字结算单) against one."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("settlement statement")
        CREDIT_NOTE = "credit_note", _("credit note")
        SUPPLEMENT = "supplement", _("supplementary statement")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="statements")
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.STATEMENT)
    payer = models.CharField(_("payer"), max_length=10, choices=Payer.choices)
    number = models.CharField(_("number"), max_length=24)
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name=_("original statement"),
    )
    labour = models.DecimalField(_("labour"), **MONEY, default=ZERO)
    parts = models.DecimalField(_("parts"), **MONEY, default=ZERO)
    sublet = models.DecimalField(_("sublet"), **MONEY, default=ZERO)
    discount = models.DecimalField(_("discount"), **MONEY, default=ZERO)
    net = models.DecimalField(_("net amount"), **MONEY, default=ZERO)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=3)
    vat = models.DecimalField(_("VAT"), **MONEY, default=ZERO)
    gross = models.DecimalField(_("total incl. VAT"), **MONEY, default=ZERO)
    adjustment = models.DecimalField(
        _("adjustment"), **MONEY, default=ZERO, help_text=_("E.g. the insurance deductible moved to the customer.")
    )
    adjustment_note = models.CharField(_("adjustment note"), max_length=200, blank=True)
    due = models.DecimalField(_("amount due"), **MONEY, default=ZERO)
    lines = models.JSONField(_("lines"), default=list)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("settlement statement")
        verbose_name_plural = _("settlement statements")
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "number"], name="statement_number_unique"),
            models.UniqueConstraint(
                fields=["order", "payer"], condition=models.Q(kind="statement"), name="one_statement_per_payer"
            ),
        ]
        indexes = [models.Index(fields=["station", "issued_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments.all()), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid



class CreditNoteRequest(models.Model):
    """A credit note (红冲) asked for by one person and decided by another with authority over the amount (four
    eyes). Only an approved request issues the credit note; the statement does not change while it waits."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="credit_requests",
                                  verbose_name=_("statement"))
    amount = models.DecimalField(_("amount to credit (incl. VAT)"), **MONEY)
    reason = models.CharField(_("reason"), max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_requests",
        verbose_name=_("approver"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=255, blank=True)
    credit_note = models.OneToOneField(Statement, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="credit_request", verbose_name=_("credit note"))

    class Meta:
        verbose_name = _("credit note request")
        verbose_name_plural = _("credit note requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["statement"], condition=models.Q(status="pending"),
                                    name="one_pending_credit_request_per_statement"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="credit_request_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.statement} −{self.amount}"


class Receipted(models.Model):
    """Money the cashier received (recorded, not processed: no card or wallet API), with its receipt number (收款单号,
    one SK sequence per station: ``settlement.services.payments.receipt_fields``). Abstract: a statement's payment and
    a counter sale's payment share the fields and the database rules."""

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        CARD = "card", _("bank card")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
        TRANSFER = "transfer", _("bank transfer")
        FLEET_CREDIT = "fleet_credit", _("fleet account (on credit)")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    receipt_number = models.CharField(_("receipt number"), max_length=24)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    tendered = models.DecimalField(_("tendered"), **MONEY, null=True, blank=True)
    change = models.DecimalField(pgettext_lazy("cash", "change"), **MONEY, default=ZERO)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "receipt_number"], name="%(class)s_receipt_number_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="%(class)s_amount_positive"),
            models.CheckConstraint(condition=models.Q(change__gte=0), name="%(class)s_change_not_negative"),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class Payment(Observed, Receipted):
    """Money received by the cashier against a statement."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="payments")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="payments")

    class Meta(Receipted.Meta):
        verbose_name = _("payment")
        verbose_name_plural = _("payments")


class PartReconciliation(models.Model):
    """How a difference between a part line's quantity and the quantity issued from stock was resolved."""

    class Resolution(models.TextChoices):
        ADJUSTED = "adjusted", _("line set to the issued quantity")
        ACCEPTED = "accepted", _("difference accepted")

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="part_reconciliations")
    line = models.ForeignKey(WorkOrderLine, on_delete=models.CASCADE, related_name="reconciliations")
    line_quantity = models.DecimalField(_("quantity on the line"), max_digits=10, decimal_places=2)
    issued_quantity = models.DecimalField(_("quantity issued"), max_digits=10, decimal_places=2)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("part reconciliation")
        verbose_name_plural = _("part reconciliations")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.line}: {self.line_quantity} / {self.issued_quantity}"


class Delivery(models.Model):
    """The hand-over (交车) checklist of one order."""

    class OldParts(models.TextChoices):
        RETURNED = "returned", _("returned to the customer")
        DISPOSED = "disposed", _("disposed of by the station")
        WARRANTY = "warranty", _("kept for the manufacturer (warranty)")
        NONE = "none", _("no old parts")

    order = models.OneToOneField(WorkOrder, on_delete=models.CASCADE, related_name="delivery")
    work_explained = models.BooleanField(_("work explained to the customer"), default=False)
    old_parts = models.CharField(_("old parts"), max_length=10, choices=OldParts.choices, blank=True)
    invoice_explained = models.BooleanField(_("invoice explained to the customer"), default=False)
    next_service_date = models.DateField(_("next service due (date)"), null=True, blank=True)
    next_service_km = models.PositiveIntegerField(_("next service due (km)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("handed over by"),
    )
    # The customer's signature at hand-over (交车签字), drawn on the pad; kept through the storage API only.
    signature = models.FileField(_("customer's signature at delivery"), upload_to=PrivateUploadTo("signatures"),
                                 blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signature_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("signature taken by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.order}"

    @property
    def is_complete(self) -> bool:
        return bool(
            self.work_explained
            and self.invoice_explained
            and self.old_parts
            and (self.next_service_date or self.next_service_km)
        )


class WarrantyClaim(models.Model):
    """A warranty claim (索赔申请) to the manufacturer for an order's warranty lines."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        PARTLY_APPROVED = "partly_approved", _("partly approved")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("paid")

    class Verdict(models.TextChoices):
        WARRANTY = "warranty", _("warranty defect confirmed")
        NOT_WARRANTY = "not_warranty", _("not a warranty defect")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="warranty_claims")
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="warranty_claims")
    number = models.CharField(_("claim number"), max_length=24)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    symptom_code = models.CharField(_("symptom code"), max_length=20, blank=True)
    cause_code = models.CharField(_("cause code"), max_length=20, blank=True)
    fault_description = models.TextField(_("fault description"), blank=True)
    repair_description = models.TextField(_("repair carried out"), blank=True)
    claimed_labour = models.DecimalField(_("claimed labour"), **MONEY, default=ZERO)
    claimed_parts = models.DecimalField(_("claimed parts"), **MONEY, default=ZERO)
    claimed_amount = models.DecimalField(_("claimed amount"), **MONEY, default=ZERO)
    approved_amount = models.DecimalField(_("approved amount"), **MONEY, default=ZERO)
    paid_amount = models.DecimalField(_("paid amount"), **MONEY, default=ZERO)
    manufacturer_reference = models.CharField(_("manufacturer reference"), max_length=40, blank=True)
    decision_note = models.TextField(_("manufacturer's decision"), blank=True)
    appraisal_verdict = models.CharField(
        _("technical appraisal"), max_length=16, choices=Verdict.choices, blank=True
    )
    appraisal_note = models.TextField(_("appraisal findings"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("appraised by"),
    )
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    customer_approval_channel = models.CharField(_("customer agreed"), max_length=20, blank=True)
    customer_approval_at = models.DateTimeField(_("customer agreed at"), null=True, blank=True)
    customer_statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("statement to the customer for the rejected amount"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="warranty_claim_number_unique")]

    def __str__(self) -> str:
        return self.number

    @property
    def rejected_amount(self) -> Decimal:
        if self.status in (self.Status.REJECTED, self.Status.PARTLY_APPROVED) or (
            self.status == self.Status.PAID and self.approved_amount < self.claimed_amount
        ):
            return self.claimed_amount - self.approved_amount
        return ZERO

    @property
    def age_days(self) -> int:
        end = self.paid_at or timezone.now()
        return (end - (self.submitted_at or self.created_at)).days


class WarrantyClaimLine(models.Model):
    claim = models.ForeignKey(WarrantyClaim, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(WorkOrderLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("type"), max_length=8, choices=WorkOrderLine.Kind.choices)
    code = models.CharField(_("code"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity / hours"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("warranty claim line")
        verbose_name_plural = _("warranty claim lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class WarrantyClaimPhoto(models.Model):
    claim = models.ForeignKey(WarrantyClaim, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=PrivateUploadTo("claim-photos"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("claim photo")
        verbose_name_plural = _("claim photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class WarrantyClaimEvent(models.Model):
    """Append-only history of a claim: every transition and appraisal, with who and when."""

    claim = models.ForeignKey(WarrantyClaim, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16, blank=True)
    kind = models.CharField(max_length=24, default="transition")
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim} {self.old_status}→{self.new_status}"

    @property
    def new_status_label(self) -> str:
        return dict(WarrantyClaim.Status.choices).get(self.new_status, self.new_status)


class InsuranceClaim(models.Model):
    """Accident repair (事故车) paid by an insurer after loss assessment (定损); the deductible is the customer's."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="insurance_claims")
    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="insurance_claim")
    insurer = models.CharField(_("insurer"), max_length=80)
    policy_number = models.CharField(_("policy number"), max_length=40)
    claim_number = models.CharField(_("insurer's claim number"), max_length=40)
    assessor = models.CharField(_("loss assessor"), max_length=60, blank=True)
    assessed_amount = models.DecimalField(_("loss assessment amount"), **MONEY, default=ZERO)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    deductible = models.DecimalField(_("deductible (customer pays)"), **MONEY, default=ZERO)
    paid_amount = models.DecimalField(_("paid by the insurer"), **MONEY, default=ZERO)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("insurance claim")
        verbose_name_plural = _("insurance claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(deductible__gte=0), name="insurance_deductible_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} {self.claim_number}"

    @property
    def insurer_share(self) -> Decimal:
        return max(self.assessed_amount - self.deductible, ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.insurer_share - self.paid_amount

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


# --- OEM claim exchange (issue #18 item 7): carmaker file layouts and the batches of claims sent --------------------
CLAIM_EXPORT_FIELDS = {
    "dealer_code": _("dealer code"),
    "claim_number": _("claim number"),
    "order_number": _("order number"),
    "vin": _("VIN"),
    "model": _("model"),
    "mileage": _("mileage (km)"),
    "repair_date": _("repair date"),
    "symptom_code": _("symptom code"),
    "cause_code": _("cause code"),
    "fault_description": _("fault description"),
    "repair_description": _("repair carried out"),
    "claimed_labour": _("claimed labour"),
    "claimed_parts": _("claimed parts"),
    "claimed_amount": _("claimed amount"),
}


class OemProfile(models.Model):
    """A carmaker's claim file layout: the columns (our field → their header, in their order), CSV or XML."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XML = "xml", "XML"

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="oem_profiles")
    name = models.CharField(_("carmaker"), max_length=60)
    dealer_code = models.CharField(_("dealer code"), max_length=20)
    file_format = models.CharField(_("file format"), max_length=3, choices=Format.choices, default=Format.CSV)
    columns = models.JSONField(_("columns"), default=list)  # [[field, header], …]
    xml_root = models.CharField(_("XML root element"), max_length=40, default="Claims")
    xml_item = models.CharField(_("XML claim element"), max_length=40, default="Claim")

    class Meta:
        verbose_name = _("carmaker claim profile")
        verbose_name_plural = _("carmaker claim profiles")
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="oem_profile_station_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimBatch(models.Model):
    """Claims sent to a carmaker in one file (the file is rebuilt from these rows, in this profile's layout)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="claim_batches")
    profile = models.ForeignKey(OemProfile, on_delete=models.PROTECT, related_name="batches")
    number = models.CharField(_("batch number"), max_length=24)
    claims = models.ManyToManyField(WarrantyClaim, related_name="batches", verbose_name=_("claims"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("claim batch")
        verbose_name_plural = _("claim batches")
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="claim_batch_number_unique")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


# --- VAT invoices (发票) and documents kept as issued (issue 18, items 1 and 8) ------------------------------------


class InvoiceType(models.TextChoices):
    NORMAL = "normal", _("ordinary VAT invoice (普票)")
    SPECIAL = "special", _("special VAT invoice (专票)")


class InvoiceParty(models.Model):
    """Who the invoice is made out to: 抬头, taxpayer number, and for a special invoice address, phone, bank and
    account. Abstract: a customer keeps one set as the default, and each recorded invoice keeps its own copy."""

    invoice_type = models.CharField(_("invoice type"), max_length=8, choices=InvoiceType.choices,
                                    default=InvoiceType.NORMAL)
    electronic = models.BooleanField(_("electronic invoice"), default=True)
    title = models.CharField(_("invoice title (抬头)"), max_length=120)
    tax_id = models.CharField(_("taxpayer number"), max_length=20, blank=True,
                              help_text=_("Unified social credit code (统一社会信用代码), 18 characters."))
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    bank = models.CharField(_("bank"), max_length=80, blank=True)
    account = models.CharField(_("bank account"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail for the e-invoice"), blank=True)

    class Meta:
        abstract = True


class CustomerInvoiceDetails(InvoiceParty):
    """A customer's usual invoice details, offered when the cashier records an invoice for them."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="invoice_details",
                                    verbose_name=_("customer"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("customer's invoice details")
        verbose_name_plural = _("customers' invoice details")

    def __str__(self) -> str:
        return self.title


class InvoiceSettings(models.Model):
    """A station's invoicing options: consumer prices shown with VAT on the statement's lines."""

    station = models.OneToOneField(Station, on_delete=models.CASCADE, related_name="invoice_settings")
    prices_include_vat = models.BooleanField(_("show line prices including VAT"), default=False)

    class Meta:
        verbose_name = _("invoice settings")
        verbose_name_plural = _("invoice settings")

    def __str__(self) -> str:
        return f"{self.station}"


class Invoice(InvoiceParty):
    """A VAT invoice the cashier issued (in the tax system) for one payer's statement or for a counter sale, recorded
    here with its number, date and amount, or with the e-invoice file (PDF/OFD)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="invoices")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="invoices",
                                  verbose_name=_("statement"), null=True, blank=True)
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="invoices", null=True, blank=True)
    counter_sale = models.ForeignKey("CounterSale", on_delete=models.PROTECT, related_name="invoices", null=True,
                                     blank=True, verbose_name=_("counter sale"))
    payer = models.CharField(_("payer"), max_length=10, choices=Payer.choices)
    number = models.CharField(_("invoice number"), max_length=30)
    issued_on = models.DateField(_("invoice date"))
    amount = models.DecimalField(_("invoiced amount (incl. VAT)"), **MONEY)
    file = models.FileField(_("e-invoice file"), upload_to=PrivateUploadTo("invoices"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("VAT invoice")
        verbose_name_plural = _("VAT invoices")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "number"], name="invoice_number_unique_per_station"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="invoice_amount_positive"),
            # one document invoiced: a statement (of an order) or a counter sale, never both, never neither
            models.CheckConstraint(
                condition=(models.Q(statement__isnull=False, order__isnull=False, counter_sale__isnull=True)
                           | models.Q(statement__isnull=True, order__isnull=True, counter_sale__isnull=False)),
                name="invoice_one_document"),
        ]

    def __str__(self) -> str:
        return self.number


class IssuedDocument(models.Model):
    """A printed document as it was issued: its PDF stored once through the storage API, with its SHA-256. Later
    downloads serve these bytes; later prints are these pages with a reprint stamp (补打), never a fresh render."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("settlement statement")
        CREDIT_NOTE = "credit_note", _("credit note")
        RECEIPT = "receipt", _("receipt")
        CLAIM_FORM = "claim_form", _("warranty claim form")
        WORK_ORDER = "work_order", _("signed work order")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("document id"))
    language = models.CharField(_("language"), max_length=8)
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="issued_documents")
    file = models.FileField(_("file"), upload_to=PrivateUploadTo("issued"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    filename = models.CharField(_("file name"), max_length=80)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    reprints = models.PositiveIntegerField(_("reprints"), default=0)
    # Stored at the issue by the background task: the first print is still the original, unstamped (then set).
    first_printed_at = models.DateTimeField(_("first printed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "language"],
                                               name="issued_document_once")]

    def __str__(self) -> str:
        return self.filename


# --- issue 18 (ledger): accounting export (凭证), receivables and their allocations, fleet accounts ----------------


class AccountMapping(models.Model):
    """One station's account code (科目代码) for one kind of amount in the daily voucher file; edited by the
    manager. A station without a row for a key uses the default chart (``settlement.services.vouchers``)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("amount"), max_length=24)
    code = models.CharField(_("account code"), max_length=24)
    name = models.CharField(_("account name"), max_length=60)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("account mapping")
        verbose_name_plural = _("account mappings")
        constraints = [models.UniqueConstraint(fields=["station", "key"], name="account_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.key} → {self.code}"


class VoucherDay(models.Model):
    """A station's vouchers of one day, generated once: a re-export gives the same numbers and lines."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    first_number = models.PositiveIntegerField(_("first voucher number"))
    last_number = models.PositiveIntegerField(_("last voucher number"))
    lines = models.JSONField(_("lines"), default=list)
    debit = models.DecimalField(_("debits"), **MONEY, default=ZERO)
    credit = models.DecimalField(_("credits"), **MONEY, default=ZERO)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("generated by"))
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("voucher day")
        verbose_name_plural = _("voucher days")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "day"], name="voucher_day_unique"),
            models.CheckConstraint(condition=models.Q(debit=models.F("credit")), name="voucher_day_balanced"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.day}"


class Remittance(models.Model):
    """Money received from a payer (a fleet, the carmaker, an insurer…) and applied to several documents."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    payer_kind = models.CharField(_("payer"), max_length=12)
    method = models.CharField(_("method"), max_length=12, choices=Payment.Method.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("received by"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")
        ordering = ["-received_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="remittance_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class Allocation(models.Model):
    """One part of a remittance applied to one statement: through a payment at the desk, or (payment empty)
    clearing what a fleet put on its account."""

    remittance = models.ForeignKey(Remittance, on_delete=models.PROTECT, related_name="allocations")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="allocations")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocation")
    amount = models.DecimalField(_("amount"), **MONEY)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.statement} {self.amount}"


class FleetContract(models.Model):
    """A fleet / corporate customer's contract: negotiated prices, a credit limit and the drivers allowed."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    customer = models.OneToOneField(Customer, on_delete=models.PROTECT, related_name="fleet_contract",
                                    verbose_name=_("customer"))
    number = models.CharField(_("contract number"), max_length=40)
    labour_rate = models.DecimalField(_("negotiated labour rate (per hour)"), **MONEY, null=True, blank=True)
    parts_discount_pct = models.DecimalField(_("parts discount (%)"), max_digits=5, decimal_places=2, default=ZERO)
    credit_limit = models.DecimalField(_("credit limit"), **MONEY, default=ZERO)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fleet contract")
        verbose_name_plural = _("fleet contracts")
        ordering = ["number", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(credit_limit__gte=0), name="fleet_credit_limit_not_negative"),
            models.CheckConstraint(condition=models.Q(parts_discount_pct__gte=0, parts_discount_pct__lte=100),
                                   name="fleet_parts_discount_range"),
        ]

    def __str__(self) -> str:
        return self.number


class FleetDriver(models.Model):
    contract = models.ForeignKey(FleetContract, on_delete=models.CASCADE, related_name="drivers")
    name = models.CharField(_("name"), max_length=60)
    mobile = models.CharField(_("mobile"), max_length=20)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approved driver")
        verbose_name_plural = _("approved drivers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CreditLimitApproval(models.Model):
    """Putting a statement on a fleet's account above its credit limit: asked by the cashier, decided by someone
    with authority (four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    contract = models.ForeignKey(FleetContract, on_delete=models.PROTECT, related_name="approvals")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+", verbose_name=_("statement"))
    amount = models.DecimalField(_("amount on credit"), **MONEY)
    excess = models.DecimalField(_("above the limit"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("credit limit approval")
        verbose_name_plural = _("credit limit approvals")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.statement} {self.amount}"


# --- Service packages and coupons (issue 19 item 8) -----------------------------------------------------------------


class PackageSale(models.Model):
    """A prepaid maintenance package (保养套餐) sold to a customer (and optionally tied to one vehicle): ``uses_total``
    services for ``price``, valid until a date. Until used, what was paid is owed to the customer (deferred revenue)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+", verbose_name=_("station"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    vehicle = models.ForeignKey("reception.Vehicle", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("vehicle"))
    name = models.CharField(_("package"), max_length=120)
    uses_total = models.PositiveSmallIntegerField(_("services included"))
    price = models.DecimalField(_("price paid"), **MONEY)
    valid_until = models.DateField(_("valid until"))
    sold_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sold by"))
    sold_at = models.DateTimeField(_("sold at"), default=timezone.now)
    # the counter sale line that took its money (None for packages sold before packages went through the counter)
    counter_line = models.OneToOneField("CounterSaleLine", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="package_sale", verbose_name=_("counter sale line"))

    class Meta:
        verbose_name = _("service package sold")
        verbose_name_plural = _("service packages sold")
        ordering = ["-sold_at", "-id"]
        indexes = [models.Index(fields=["station", "-sold_at"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.valid_until:%Y-%m-%d}"


class PackageUse(models.Model):
    """One service of a package used on a work order line: the line's payer becomes the package (prepaid), and the
    use's ``value`` (price ÷ services, the last use taking the remaining cents) stops being owed."""

    sale = models.ForeignKey(PackageSale, on_delete=models.PROTECT, related_name="uses", verbose_name=_("package"))
    line = models.OneToOneField(WorkOrderLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("line"))
    value = models.DecimalField(_("value used"), **MONEY)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("used by"))
    used_at = models.DateTimeField(_("used at"), auto_now_add=True)

    class Meta:
        verbose_name = _("package use")
        verbose_name_plural = _("package uses")
        ordering = ["used_at", "id"]

    def __str__(self) -> str:
        return f"{self.sale_id}: {self.value}"


class Coupon(models.Model):
    """A single-use coupon (优惠券) with a code: an amount or a percentage off the eligible lines of one work order,
    within its dates and above a minimum spend. Redeemed as a discount through the authority rules."""

    class Kind(models.TextChoices):
        AMOUNT = "amount", _("amount off")
        PERCENT = "percent", _("percent off")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+", verbose_name=_("station"))
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.DecimalField(_("value"), **MONEY)
    min_spend = models.DecimalField(_("minimum spend"), default=ZERO, **MONEY)
    line_kinds = models.CharField(_("line kinds"), max_length=40, blank=True,
                                  help_text=_("labour, part, sublet separated by commas; empty for all"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("issued by"))
    used_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("used on"))
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("redeemed by"))
    used_at = models.DateTimeField(_("redeemed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-valid_until", "-id"]
        constraints = [models.UniqueConstraint(fields=["station", "code"], name="coupon_code_per_station")]

    def __str__(self) -> str:
        return self.code


# --- Counter sales (柜台销售) of parts, accessories (精品) and extended warranty (延保): issue 19, item 12 ---------


class CounterSale(models.Model):
    """A sale at the parts counter without a work order: a walk-in or a known customer, lines of catalogue parts and
    extended warranties. Confirming it issues the stock (through parts.services.stock) and freezes the totals; the
    cashier then records payments against it (CounterPayment), each with its own receipt number."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CONFIRMED = "confirmed", _("confirmed")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=24)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("customer"))
    vehicle = models.ForeignKey("reception.Vehicle", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="counter_sales", verbose_name=_("vehicle"))
    walk_in_name = models.CharField(_("walk-in customer"), max_length=60, blank=True)
    net = models.DecimalField(_("net amount"), **MONEY, default=ZERO)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=3, default=ZERO)
    vat = models.DecimalField(_("VAT"), **MONEY, default=ZERO)
    gross = models.DecimalField(_("total incl. VAT"), **MONEY, default=ZERO)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("counter sale")
        verbose_name_plural = _("counter sales")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="counter_sale_number_unique")]

    def __str__(self) -> str:
        return self.number

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments.all()), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.gross - self.paid


class CounterSaleLine(models.Model):
    """One line of a counter sale: a part (price from the catalogue, discount within the seller's authority), an
    extended warranty (延保) sold to the sale's vehicle, or a prepaid service package (保养套餐) sold to the sale's
    customer (its PackageSale is created when the sale is confirmed)."""

    class Kind(models.TextChoices):
        PART = "part", _("part or accessory")
        WARRANTY = "warranty", _("extended warranty")
        PACKAGE = "package", _("prepaid service package")

    sale = models.ForeignKey(CounterSale, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.PART)
    part = models.ForeignKey("parts.Part", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("part"))
    description = models.CharField(_("description"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"))
    list_price = models.DecimalField(_("list price"), **MONEY)
    discount_pct = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, default=ZERO)
    amount = models.DecimalField(_("amount"), **MONEY)
    term_months = models.PositiveIntegerField(_("term (months)"), null=True, blank=True)
    term_km = models.PositiveIntegerField(_("term (km)"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=80, blank=True)
    package_uses = models.PositiveSmallIntegerField(_("services included"), null=True, blank=True)
    package_valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("counter sale line")
        verbose_name_plural = _("counter sale lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="counter_line_quantity_positive")]

    def __str__(self) -> str:
        return self.description


class CounterPayment(Receipted):
    """Money received by the cashier against a confirmed counter sale."""

    sale = models.ForeignKey(CounterSale, on_delete=models.PROTECT, related_name="payments")

    class Meta(Receipted.Meta):
        verbose_name = _("counter sale payment")
        verbose_name_plural = _("counter sale payments")
