"""VAT invoices (发票): the customer's invoice details, and the invoices the cashier issued in the tax system,
recorded against one payer's statement or against a counter sale (柜台销售), by one rule (``_invoice_save``).

The invoices of one order and payer never add up to more than that payer settled on the order (statements and
supplements less credit notes). Recording one locks that payer's statements, so two cashiers cannot both take the
last of the amount. A counter sale's invoices never add up to more than was paid on it (its row is locked).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as NumberError

from core.errors import DomainError
from core.money import Payer, money_text, to_cents
from core.uploads import PDF_MAGIC, _read
from org.models import Staff, Station
from parts.services.stock import event_record
from reception.models import Customer
from reception.services.workflow import record_event
from settlement.models import (
    CounterSale,
    CustomerInvoiceDetails,
    Invoice,
    InvoiceSettings,
    InvoiceType,
    Statement,
)

ZERO = Decimal("0.00")
PARTY_FIELDS = ("invoice_type", "electronic", "title", "tax_id", "address", "phone", "bank", "account", "email")
SPECIAL_REQUIRED = ("tax_id", "address", "phone", "bank", "account")
_NOT_INVOICE_FILE = gettext_lazy("Attach the e-invoice as a PDF or OFD file; other files are refused.")


def tax_id_clean(value: str) -> str:
    """The taxpayer number as the tax bureau writes it (18 characters, upper case), or a refusal at the field."""
    try:
        return uscc.validate(value or "")
    except NumberError as exc:
        raise DomainError(_("This is not a valid unified social credit code (统一社会信用代码): %(why)s")
                          % {"why": _check_reason(exc)}, field="tax_id") from exc


def _check_reason(exc: NumberError) -> str:
    name = type(exc).__name__
    return {
        "InvalidLength": _("it must be 18 characters"),
        "InvalidChecksum": _("the check character does not match"),
        "InvalidFormat": _("it holds characters a code never has"),
        "InvalidComponent": _("its region or registration part is not valid"),
    }.get(name, _("it cannot be read"))


def party_clean(data: dict) -> dict:
    """The invoice party's fields, checked: a title always; a valid taxpayer number when one is given (always for a
    special invoice, 专票), and a special invoice's address, phone, bank and account; an e-mail for an e-invoice."""
    clean = {f: data.get(f) for f in PARTY_FIELDS if f in data}
    for f in ("title", "tax_id", "address", "phone", "bank", "account", "email"):
        clean[f] = (clean.get(f) or "").strip()
    clean["invoice_type"] = clean.get("invoice_type") or InvoiceType.NORMAL
    clean["electronic"] = bool(clean.get("electronic"))
    if clean["invoice_type"] not in InvoiceType.values:
        raise DomainError(_("Choose the invoice type."), field="invoice_type")
    if not clean["title"]:
        raise DomainError(_("Enter the invoice title (抬头)."), field="title")
    if clean["invoice_type"] == InvoiceType.SPECIAL:
        for f in SPECIAL_REQUIRED:
            if not clean[f]:
                raise DomainError(_("A special VAT invoice (专票) needs this."), field=f)
    if clean["tax_id"]:
        clean["tax_id"] = tax_id_clean(clean["tax_id"])
    if clean["electronic"]:
        if not clean["email"]:
            raise DomainError(_("Enter the e-mail address the e-invoice goes to."), field="email")
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError as exc:
            raise DomainError(_("Enter a valid e-mail address."), field="email") from exc
    return clean


@transaction.atomic
def customer_invoice_details_save(*, customer: Customer, by: Staff, **data) -> CustomerInvoiceDetails:
    clean = party_clean(data)
    details, _created = CustomerInvoiceDetails.objects.update_or_create(
        customer=customer, defaults={**clean, "updated_by": by})
    return details


def invoice_initial(statement: Statement) -> dict:
    """What the form offers: the customer's saved details for the customer's statement, else the payer's name."""
    order = statement.order
    if statement.payer == "customer":
        details = CustomerInvoiceDetails.objects.filter(customer=order.customer).first()
        if details is not None:
            return {f: getattr(details, f) for f in PARTY_FIELDS}
        return {"title": order.customer.name, "tax_id": order.customer.company_tax_id,
                "email": order.customer.email, "electronic": bool(order.customer.email)}
    return {"electronic": False}


def settled_amount(*, order_id: int, payer: str) -> Decimal:
    """What one payer owes on an order after its credit notes: the ceiling of its invoices."""
    dues = Statement.objects.filter(order_id=order_id, payer=payer).values_list("due", flat=True)
    return sum(dues, ZERO)


def invoiced_amount(*, order_id: int, payer: str) -> Decimal:
    return sum(Invoice.objects.filter(order_id=order_id, payer=payer).values_list("amount", flat=True), ZERO)


def invoice_file_clean(upload) -> ContentFile:
    """An e-invoice file: a PDF (``%PDF-``) or an OFD (a zip archive holding ``OFD.xml``); nothing else."""
    data = _read(upload)
    if data.startswith(PDF_MAGIC):
        return ContentFile(data, name="invoice.pdf")
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if any(name.lower().lstrip("/") == "ofd.xml" for name in archive.namelist()):
                    return ContentFile(data, name="invoice.ofd")
        except zipfile.BadZipFile:
            pass
    raise ValidationError(_NOT_INVOICE_FILE, code="not_invoice_file")


def _invoice_save(*, station: Station, by: Staff, number: str, issued_on: date, amount, file, party: dict,
                  not_before: date, ceiling: Decimal, invoiced: Decimal, ceiling_text, **document) -> Invoice:
    """The one invoice rule, for a statement's payer and a counter sale alike (the caller holds the lock on what
    bounds the amount): the party's details checked, a number new at the station, a date not before the document,
    and an amount that keeps the invoices within ``ceiling``."""
    clean = party_clean(party)
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Enter the invoice number."), field="number")
    if Invoice.objects.filter(station=station, number=number).exists():
        raise DomainError(_("Invoice %(number)s is recorded already.") % {"number": number}, field="number")
    if issued_on is None or issued_on < not_before:
        raise DomainError(_("The invoice date cannot be before the settlement."), field="issued_on")
    amount = to_cents(Decimal(amount))
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    if invoiced + amount > ceiling:
        raise DomainError(ceiling_text % {"left": money_text(max(ceiling - invoiced, ZERO)),
                                          "settled": money_text(ceiling), "invoiced": money_text(invoiced)},
                          field="amount")
    invoice = Invoice(station=station, number=number, issued_on=issued_on, amount=amount, recorded_by=by,
                      **document, **clean)
    if file:
        invoice.file.save(file.name, file, save=False)  # the storage API; a random name in invoices/YYYY/MM
    invoice.save()
    return invoice


@transaction.atomic
def invoice_record(
    *, statement: Statement, by: Staff, number: str, issued_on: date, amount: Decimal, file=None, **party
) -> Invoice:
    """Record an invoice issued for ``statement``'s payer. Refused at the field: a number already used at the
    station, a date before settlement, or an amount beyond what the payer settled less what is invoiced already."""
    statement = Statement.objects.select_related("order", "station").get(pk=statement.pk)
    if statement.kind == Statement.Kind.CREDIT_NOTE:
        raise DomainError(_("Invoices are recorded against statements, not credit notes."))
    # lock every statement of this order and payer: concurrent invoices and credit notes wait for each other
    list(Statement.objects.select_for_update().filter(order_id=statement.order_id, payer=statement.payer))
    invoice = _invoice_save(
        station=statement.station, by=by, number=number, issued_on=issued_on, amount=amount, file=file, party=party,
        not_before=timezone.localdate(statement.issued_at),
        ceiling=settled_amount(order_id=statement.order_id, payer=statement.payer),
        invoiced=invoiced_amount(order_id=statement.order_id, payer=statement.payer),
        ceiling_text=_("Only %(left)s is left to invoice for this payer (settled %(settled)s, invoiced %(invoiced)s)."),
        statement=statement, order=statement.order, payer=statement.payer,
    )
    record_event(order=statement.order, by=by, kind="invoice",
                 note=f"{invoice.number} {statement.number} {invoice.get_invoice_type_display()} {invoice.amount}")
    return invoice


def counter_invoiced_amount(sale: CounterSale) -> Decimal:
    return sum(Invoice.objects.filter(counter_sale=sale).values_list("amount", flat=True), ZERO)


def counter_invoice_initial(sale: CounterSale) -> dict:
    """What the form offers for a counter sale: the customer's saved details, else their name; a walk-in's name."""
    if sale.customer_id is None:
        return {"title": sale.walk_in_name, "electronic": False}
    details = CustomerInvoiceDetails.objects.filter(customer_id=sale.customer_id).first()
    if details is not None:
        return {f: getattr(details, f) for f in PARTY_FIELDS}
    customer = sale.customer
    return {"title": customer.name, "tax_id": customer.company_tax_id, "email": customer.email,
            "electronic": bool(customer.email)}


@transaction.atomic
def counter_invoice_record(
    *, sale: CounterSale, by: Staff, number: str, issued_on: date, amount: Decimal, file=None, **party
) -> Invoice:
    """Record an invoice issued for a counter sale, by the same rule as a statement's: the ceiling is what was paid
    on the sale (the cashier invoices money received), less what is invoiced already."""
    sale = CounterSale.objects.select_for_update(of=("self",)).select_related("station").get(pk=sale.pk)
    if sale.status != CounterSale.Status.CONFIRMED:
        raise DomainError(_("Confirm the sale before invoicing it."))
    invoice = _invoice_save(
        station=sale.station, by=by, number=number, issued_on=issued_on, amount=amount, file=file, party=party,
        not_before=timezone.localdate(sale.confirmed_at), ceiling=sale.paid, invoiced=counter_invoiced_amount(sale),
        ceiling_text=_("Only %(left)s is left to invoice on this sale (paid %(settled)s, invoiced %(invoiced)s)."),
        counter_sale=sale, payer=Payer.CUSTOMER,
    )
    event_record(station_id=sale.station_id, kind="counter_sale.invoice", by=by, reference=sale.number,
                 note=f"{invoice.number} {invoice.get_invoice_type_display()} {money_text(invoice.amount)}")
    return invoice


def prices_include_vat(station: Station) -> bool:
    """Does this station show line prices with VAT on its statements? (Not unless it said so.)"""
    settings_row = InvoiceSettings.objects.filter(station=station).first()
    return settings_row is not None and settings_row.prices_include_vat


@transaction.atomic
def invoice_settings_save(*, station: Station, prices_include_vat: bool) -> InvoiceSettings:
    row, _created = InvoiceSettings.objects.update_or_create(
        station=station, defaults={"prices_include_vat": prices_include_vat})
    return row
