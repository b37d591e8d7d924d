"""Counter sales (柜台销售): the parts counter sells parts, accessories and extended warranties without a work order;
the cashier takes the payment and prints the receipt. The cashier reads a sale's page too (``settlement.view``), without
its line and confirm forms unless they also work the counter (``parts.counter``)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.documents import document_language, pdf_response, render_pdf
from core.errors import DomainError
from core.formflow import submit
from core.money import amount_in_capitals, money_text
from org import permissions as perm
from org.permissions import has_action, requires, requires_any
from org.selectors import current_station, get_scoped, scope
from settlement.counter_forms import (
    CounterPackageLineForm,
    CounterPartLineForm,
    CounterSaleStartForm,
    CounterWarrantyLineForm,
)
from settlement.forms import PaymentForm
from settlement.models import CounterSale
from settlement.services.counter_sales import (
    counter_line_package_add,
    counter_line_part_add,
    counter_line_remove,
    counter_line_warranty_add,
    counter_payment_record,
    counter_sale_confirm,
    counter_sale_start,
    part_by_number,
)

PAGE = 50


def _sales(request):
    return scope(CounterSale.objects.select_related("customer", "vehicle"), request.user)


def _with_paid(qs):
    return qs.annotate(paid_sum=Coalesce(Sum("payments__amount"), Value(0), output_field=DecimalField()))


@requires(perm.PARTS_COUNTER)
def counter_sales(request: HttpRequest) -> HttpResponse:
    """The counter's recent sales and a form to start one."""
    form = CounterSaleStartForm(request.POST or None)
    if form.is_bound and submit(form, lambda data: counter_sale_start(
            station=current_station(request), by=request.user, **data)):
        return redirect("settlement:counter_sale", pk=form.result.pk)
    sales = _with_paid(_sales(request)).order_by("-created_at", "-id")[:PAGE]
    return render(request, "settlement/counter/list.html", {"sales": sales, "form": form},
                  status=400 if form.is_bound else 200)


def _detail(request, sale, *, status=200, line_errors=None, **forms):
    context = {
        "readonly": not has_action(request.user, perm.PARTS_COUNTER),
        "sale": sale, "lines": list(sale.lines.select_related("part")),
        "payments": list(sale.payments.select_related("received_by")),
        "part_form": forms.get("part_form") or CounterPartLineForm(),
        "warranty_form": forms.get("warranty_form") or CounterWarrantyLineForm(),
        "package_form": forms.get("package_form") or CounterPackageLineForm(),
        "invoices": list(sale.invoices.order_by("id")),
        "line_errors": line_errors or {},
    }
    return render(request, "settlement/counter/detail.html", context, status=status)


@requires_any(perm.PARTS_COUNTER, perm.SETTLEMENT_VIEW)
def counter_sale(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_scoped(request, _sales(request), pk=pk))


@requires(perm.PARTS_COUNTER)
def counter_part_add(request: HttpRequest, pk: int) -> HttpResponse:
    sale = get_scoped(request, _sales(request), pk=pk)
    form = CounterPartLineForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: counter_line_part_add(
            sale=sale, by=request.user, part=part_by_number(station=sale.station, part_number=data["part_number"]),
            quantity=data["quantity"], discount_pct=data["discount_pct"] or 0)):
        return redirect("settlement:counter_sale", pk=sale.pk)
    return _detail(request, sale, status=400, part_form=form)


@requires(perm.PARTS_COUNTER)
def counter_warranty_add(request: HttpRequest, pk: int) -> HttpResponse:
    sale = get_scoped(request, _sales(request), pk=pk)
    form = CounterWarrantyLineForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: counter_line_warranty_add(
            sale=sale, by=request.user, **{**data, "discount_pct": data["discount_pct"] or 0})):
        return redirect("settlement:counter_sale", pk=sale.pk)
    return _detail(request, sale, status=400, warranty_form=form)


@requires(perm.PARTS_COUNTER)
def counter_package_add(request: HttpRequest, pk: int) -> HttpResponse:
    sale = get_scoped(request, _sales(request), pk=pk)
    form = CounterPackageLineForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: counter_line_package_add(
            sale=sale, by=request.user, **{**data, "discount_pct": data["discount_pct"] or 0})):
        return redirect("settlement:counter_sale", pk=sale.pk)
    return _detail(request, sale, status=400, package_form=form)


@requires(perm.PARTS_COUNTER)
def counter_line_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    sale = get_scoped(request, _sales(request), pk=pk)
    if request.method == "POST":
        try:
            counter_line_remove(sale=sale, line_id=line_pk, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("settlement:counter_sale", pk=sale.pk)


@requires(perm.PARTS_COUNTER)
def counter_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm: issue the stock and freeze the totals; a refusal comes back at the line it concerns (400)."""
    sale = get_scoped(request, _sales(request), pk=pk)
    if request.method != "POST":
        return redirect("settlement:counter_sale", pk=sale.pk)
    try:
        sale = counter_sale_confirm(sale=sale, by=request.user)
    except DomainError as exc:
        field = exc.field or ""
        if field.startswith("line-"):
            return _detail(request, sale, status=400, line_errors={int(field[5:]): exc.message})
        messages.error(request, exc.message)
        return _detail(request, sale, status=400)
    messages.success(request, _("Sale %(number)s confirmed: %(total)s to pay at the cashier.") % {
        "number": sale.number, "total": money_text(sale.gross)})
    return redirect("settlement:counter_sale", pk=sale.pk)


@requires(perm.SETTLEMENT_VIEW)
def counter_to_pay(request: HttpRequest) -> HttpResponse:
    """The cashier's list: confirmed counter sales with money still owed."""
    sales = (_with_paid(_sales(request).filter(status=CounterSale.Status.CONFIRMED))
             .filter(paid_sum__lt=F("gross")).order_by("confirmed_at", "id")[:PAGE])
    return render(request, "settlement/counter/to_pay.html", {"sales": sales})


@requires(perm.SETTLEMENT_PAY)
def counter_payment(request: HttpRequest, pk: int) -> HttpResponse:
    sale = get_scoped(request, _sales(request), pk=pk)
    form = PaymentForm(request.POST or None, initial={"amount": sale.outstanding if sale.outstanding > 0 else None})
    if form.is_bound and submit(form, lambda data: counter_payment_record(sale=sale, by=request.user, **data)):
        payment = form.result
        text = _("Receipt %(number)s: %(amount)s received.") % {
            "number": payment.receipt_number, "amount": money_text(payment.amount)}
        if payment.change:
            text += " " + _("Change: %(change)s.") % {"change": money_text(payment.change)}
        messages.success(request, text)
        return redirect("settlement:counter_to_pay")
    return render(request, "settlement/counter/payment.html", {
        "sale": sale, "lines": list(sale.lines.all()), "form": form, "invoices": list(sale.invoices.order_by("id")),
    }, status=400 if form.is_bound else 200)


@requires(perm.SETTLEMENT_VIEW)
def counter_receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The sale's receipt (收据): the lines, VAT, total and the payments received."""
    sale = get_scoped(request, _sales(request).select_related("station"), pk=pk)
    payments = list(sale.payments.select_related("received_by"))
    pdf = render_pdf(template="settlement/pdf/counter_receipt.html", language=document_language(request, sale.customer),
                     station=sale.station, context={
                         "sale": sale, "lines": list(sale.lines.all()), "payments": payments,
                         "amount_words": amount_in_capitals(sale.gross) if sale.gross else ""})
    return pdf_response(request, pdf=pdf, filename=f"{sale.number}.pdf")
