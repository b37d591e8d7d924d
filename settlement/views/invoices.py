"""VAT invoices (发票): the cashier records an invoice issued for a statement, the station's list of invoices still
to issue, and a customer's usual invoice details."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formflow import submit
from core.money import money_text
from org import permissions as perm
from org.permissions import requires
from org.selectors import current_station, get_scoped
from reception.models import Customer
from settlement.forms import InvoiceForm, InvoicePartyForm
from settlement.invoice_selectors import counter_sales_to_invoice, invoices_of, invoices_to_issue
from settlement.models import CounterSale, CustomerInvoiceDetails, Statement
from settlement.services.invoices import (
    PARTY_FIELDS,
    counter_invoice_initial,
    counter_invoice_record,
    counter_invoiced_amount,
    customer_invoice_details_save,
    invoice_initial,
    invoice_record,
    invoiced_amount,
    settled_amount,
)


@requires(perm.SETTLEMENT_PAY)
def invoice_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the invoice issued for one statement's payer (number, date, amount, or the e-invoice file)."""
    statement = get_scoped(request, Statement.objects.exclude(kind=Statement.Kind.CREDIT_NOTE)
                           .select_related("order__customer", "order__vehicle", "order__station"), pk=pk)
    order = statement.order
    settled = settled_amount(order_id=order.pk, payer=statement.payer)
    left = settled - invoiced_amount(order_id=order.pk, payer=statement.payer)
    initial = {**invoice_initial(statement), "issued_on": timezone.localdate(), "amount": left if left > 0 else None}
    form = InvoiceForm(request.POST or None, request.FILES or None, initial=initial)
    if form.is_bound and submit(form, lambda data: invoice_record(statement=statement, by=request.user, **data)):
        messages.success(request, _("Invoice %(number)s of %(amount)s recorded.") % {
            "number": form.result.number, "amount": money_text(form.result.amount)})
        return redirect("settlement:order", pk=order.pk)
    return render(request, "settlement/invoices/invoice_form.html", {
        "statement": statement, "order": order, "form": form, "settled": settled, "left": left,
        "invoices": invoices_of(order),
    }, status=400 if form.is_bound else 200)


@requires(perm.SETTLEMENT_PAY)
def counter_invoice_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the invoice issued for a counter sale: the same form and rule as a statement's, up to what was paid."""
    sale = get_scoped(request, CounterSale.objects.filter(status=CounterSale.Status.CONFIRMED)
                      .select_related("customer", "vehicle", "station"), pk=pk)
    paid = sale.paid
    left = paid - counter_invoiced_amount(sale)
    initial = {**counter_invoice_initial(sale), "issued_on": timezone.localdate(), "amount": left if left > 0 else None}
    form = InvoiceForm(request.POST or None, request.FILES or None, initial=initial)
    if form.is_bound and submit(form, lambda data: counter_invoice_record(sale=sale, by=request.user, **data)):
        messages.success(request, _("Invoice %(number)s of %(amount)s recorded.") % {
            "number": form.result.number, "amount": money_text(form.result.amount)})
        return redirect("settlement:counter_invoice_new", pk=sale.pk)
    return render(request, "settlement/counter/invoice.html", {
        "sale": sale, "lines": list(sale.lines.all()), "form": form, "paid": paid, "left": left,
        "invoices": list(sale.invoices.select_related("recorded_by").order_by("id")),
    }, status=400 if form.is_bound else 200)


@requires(perm.SETTLEMENT_VIEW)
def to_issue(request: HttpRequest) -> HttpResponse:
    """Statements whose payer is still owed an invoice, oldest first."""
    station = current_station(request)
    page = invoices_to_issue(request.user, station, request.GET)
    return render(request, "settlement/invoices/to_issue.html", {
        "page": page, "counter_sales": counter_sales_to_invoice(request.user, station),
                                                                 "may_pay": perm.has_action(request.user, perm.SETTLEMENT_PAY)})


@requires(perm.SETTLEMENT_SETTLE)
def customer_details(request: HttpRequest, pk: int) -> HttpResponse:
    """A customer's usual invoice details (offered when an invoice is recorded for them): the advisor takes them at
    reception (the customer page's panel), the cashier at the desk."""
    customer = get_scoped(request, Customer.objects.all(), pk=pk)
    details = CustomerInvoiceDetails.objects.filter(customer=customer).first()
    initial = ({f: getattr(details, f) for f in PARTY_FIELDS} if details is not None
               else {"title": customer.name, "tax_id": customer.company_tax_id, "email": customer.email})
    form = InvoicePartyForm(request.POST or None, initial=initial)
    if form.is_bound and submit(form, lambda data: customer_invoice_details_save(customer=customer, by=request.user,
                                                                                 **data)):
        messages.success(request, _("Invoice details of %(name)s saved.") % {"name": customer.name})
        return redirect(request.GET.get("next") if _safe_next(request) else "settlement:invoices_to_issue")
    return render(request, "settlement/invoices/customer_details.html", {"customer": customer, "form": form},
                  status=400 if form.is_bound else 200)


def _safe_next(request: HttpRequest) -> bool:
    target = request.GET.get("next", "")
    return target.startswith("/") and not target.startswith("//")
