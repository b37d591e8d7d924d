"""Ledger pages (issue 18): the daily voucher file and its account mapping, receivables by payer with ageing, a
payer's statement (page + PDF) and a remittance applied to several of its documents."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import documents
from core.formflow import submit
from core.paging import keyset_page
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.models import Customer
from settlement.ledger_forms import AccountForm, RemittanceForm, VoucherDayForm
from settlement.models import Statement, VoucherDay
from settlement.services.receivables import BUCKETS, PAYER_KINDS, ageing, bucket_of, open_statements
from settlement.services.remittances import remittance_apply
from settlement.services.vouchers import DEFAULT_ACCOUNTS, account_mapping_set, chart, voucher_day_generate
from settlement.views.ledger_files import csv_bytes, xlsx_bytes

# --- vouchers ----------------------------------------------------------------------------------------------------


@requires(perm.SETTLEMENT_APPROVE)
def vouchers(request: HttpRequest) -> HttpResponse:
    """Generated days (newest first, keyset pages) and the form that generates one."""
    station = station_or_404(request)
    form = VoucherDayForm(request.POST or None,
                          initial={"day": timezone.localdate() - timedelta(days=1)})
    if form.is_bound and submit(form, lambda data: voucher_day_generate(station=station, day=data["day"],
                                                                        by=request.user)):
        messages.success(request, _("Vouchers of %(day)s ready.") % {"day": form.result.day})
        return redirect("settlement:vouchers")
    page = keyset_page(VoucherDay.objects.filter(station=station).select_related("generated_by"), request.GET,
                       key="day", descending=True)
    return render(request, "settlement/ledger/vouchers.html", {"form": form, "page": page, "station": station},
                  status=400 if form.is_bound else 200)


def _voucher_day(request: HttpRequest, pk: int) -> VoucherDay:
    return get_scoped(request, VoucherDay.objects.all(), pk=pk)


@requires(perm.SETTLEMENT_APPROVE)
def voucher_csv(request: HttpRequest, pk: int) -> HttpResponse:
    vd = _voucher_day(request, pk)
    response = HttpResponse(csv_bytes(vd), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vouchers-{vd.station.code}-{vd.day}.csv"'
    return response


@requires(perm.SETTLEMENT_APPROVE)
def voucher_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    vd = _voucher_day(request, pk)
    response = HttpResponse(
        xlsx_bytes(vd), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="vouchers-{vd.station.code}-{vd.day}.xlsx"'
    return response


@requires(perm.SETTLEMENT_APPROVE)
def accounts(request: HttpRequest) -> HttpResponse:
    """The station's account codes, one small form per amount; a refused code comes back at its row."""
    station = station_or_404(request)
    failed = None
    if request.method == "POST":
        form = AccountForm(request.POST)
        if submit(form, lambda data: account_mapping_set(station=station, by=request.user, **data)):
            messages.success(request, _("Account saved."))
            return redirect("settlement:accounts")
        failed = form
    current = chart(station)
    rows = []
    for key, (_code, _name, label) in DEFAULT_ACCOUNTS.items():
        if failed is not None and failed.data.get("key") == key:
            rows.append({"label": label, "form": failed})
        else:
            code, name = current[key]
            rows.append({"label": label, "form": AccountForm(initial={"key": key, "code": code, "name": name})})
    return render(request, "settlement/ledger/accounts.html", {"rows": rows, "failed": failed},
                  status=400 if failed is not None else 200)


# --- receivables -------------------------------------------------------------------------------------------------


@requires(perm.SETTLEMENT_VIEW)
def receivables(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    result = ageing(Statement.objects.filter(station=station))
    return render(request, "settlement/ledger/receivables.html",
                  {"ageing": result, "buckets": BUCKETS, "station": station})


def _payer(kind: str) -> str:
    labels = dict(PAYER_KINDS)
    if kind not in labels:
        raise Http404
    return labels[kind]


def _open_of(request: HttpRequest, station, kind: str):
    qs = open_statements(Statement.objects.filter(station=station)).filter(payer_kind=kind)
    customer = None
    if request.GET.get("customer", "").isdigit():
        customer = get_scoped(request, Customer.objects.all(), pk=int(request.GET["customer"]))
        qs = qs.filter(order__customer=customer)
    return qs.select_related("order__customer", "order__vehicle"), customer


def _payer_page(request: HttpRequest, kind: str, *, form: RemittanceForm | None = None,
                entered: dict | None = None) -> HttpResponse:
    station = station_or_404(request)
    label = _payer(kind)
    qs, customer = _open_of(request, station, kind)
    page = keyset_page(qs, request.GET, key="issued_at")
    today = timezone.localdate()
    for s in page:
        s.age = (today - timezone.localtime(s.issued_at).date()).days
        s.entered = (entered or {}).get(s.pk, "")
    return render(request, "settlement/ledger/payer.html", {
        "kind": kind, "label": label, "page": page, "customer": customer,
        "form": form or RemittanceForm(initial={"payer_kind": kind, "method": "transfer"}),
    }, status=400 if form is not None else 200)


@requires(perm.SETTLEMENT_VIEW)
def payer(request: HttpRequest, kind: str) -> HttpResponse:
    return _payer_page(request, kind)


@requires(perm.SETTLEMENT_PAY)
def remittance(request: HttpRequest, kind: str) -> HttpResponse:
    """A remittance applied to the documents whose amount was typed on their row (``alloc-<id>``)."""
    station = station_or_404(request)
    _payer(kind)
    if request.method != "POST":
        return redirect("settlement:payer", kind=kind)
    form = RemittanceForm(request.POST)
    entered: dict[int, str] = {}
    amounts: dict[int, Decimal] = {}
    for name, value in request.POST.items():
        if name.startswith("alloc-") and name[6:].isdigit() and value.strip():
            entered[int(name[6:])] = value.strip()
            try:
                amounts[int(name[6:])] = Decimal(value.strip())
            except InvalidOperation:
                form.add_error(None, _("“%(value)s” is not an amount.") % {"value": value})
    statements = {s.pk: s for s in Statement.objects.filter(station=station, pk__in=list(amounts))}
    allocations = [(statements[pk], amount) for pk, amount in amounts.items() if pk in statements]
    if submit(form, lambda data: remittance_apply(station=station, by=request.user, allocations=allocations, **data)):
        messages.success(request, _("Remittance of %(amount)s applied to %(n)s documents.")
                         % {"amount": form.result.amount, "n": len(allocations)})
        return redirect("settlement:payer", kind=kind)
    return _payer_page(request, kind, form=form, entered=entered)


@requires(perm.SETTLEMENT_VIEW)
def payer_pdf(request: HttpRequest, kind: str) -> HttpResponse:
    """The payer's statement of account: every open document (at most 500) with its age, and the ageing."""
    station = station_or_404(request)
    label = _payer(kind)
    qs, customer = _open_of(request, station, kind)
    today = timezone.localdate()
    rows = list(qs.order_by("issued_at", "pk")[:500])
    totals = {b: Decimal("0.00") for b, _l in BUCKETS}
    for s in rows:
        s.age = (today - timezone.localtime(s.issued_at).date()).days
        totals[bucket_of(timezone.localtime(s.issued_at).date(), today)] += s.open_amount
    language = documents.document_language(request, customer)
    with translation.override(language):
        data = documents.render_pdf(template="settlement/ledger/pdf/payer_statement.html", language=language,
                                    station=station, context={
                                        "label": label, "customer": customer, "rows": rows, "today": today,
                                        "buckets": [(lbl, totals[b]) for b, lbl in BUCKETS],
                                        "total": sum(totals.values(), Decimal("0.00"))})
    return documents.pdf_response(request, pdf=data, filename=f"statement-{kind}-{today}.pdf")
