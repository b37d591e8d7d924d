"""Fleet accounts (issue 18 item 4): contracts, approved drivers, credit above the limit asked for and decided, and
the monthly consolidated statement."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import documents
from core.formflow import act, submit
from core.paging import keyset_page
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, scope, station_or_404
from org.services import limits_for
from settlement.ledger_forms import CreditRequestForm, DriverForm, FleetContractForm
from settlement.models import CreditLimitApproval, FleetContract, Statement
from settlement.services.fleet import (
    credit_headroom,
    credit_limit_decide,
    credit_limit_request,
    fleet_contract_save,
    fleet_driver_add,
    may_approve_credit,
)
from settlement.services.receivables import fleet_exposure, with_open


@requires(perm.SETTLEMENT_VIEW)
def contracts(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    qs = FleetContract.objects.filter(station=station).select_related("customer")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(customer__name__icontains=q))
    page = keyset_page(qs, request.GET, key="number")
    return render(request, "settlement/ledger/fleet_list.html", {"page": page, "q": q})


def _contract_form_page(request, station, form, contract=None) -> HttpResponse:
    return render(request, "settlement/ledger/fleet_form.html", {"form": form, "contract": contract},
                  status=400 if form.is_bound else 200)


@requires(perm.SETTLEMENT_APPROVE)
def contract_new(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = FleetContractForm(request.POST or None, station=station)
    if form.is_bound and submit(form, lambda data: fleet_contract_save(station=station, by=request.user, **data)):
        messages.success(request, _("Contract %(number)s saved.") % {"number": form.result.number})
        return redirect("settlement:fleet_contract", pk=form.result.pk)
    return _contract_form_page(request, station, form)


def _contract(request: HttpRequest, pk: int) -> FleetContract:
    return get_scoped(request, FleetContract.objects.select_related("customer", "station"), pk=pk)


@requires(perm.SETTLEMENT_APPROVE)
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    fields = ("number", "labour_rate", "parts_discount_pct", "credit_limit", "valid_until", "is_active")
    form = FleetContractForm(request.POST or None, station=contract.station,
                             initial={"customer": contract.customer_id, **{f: getattr(contract, f) for f in fields}})
    if form.is_bound and submit(form, lambda data: fleet_contract_save(
            station=contract.station, by=request.user, contract=contract, **data)):
        messages.success(request, _("Contract %(number)s saved.") % {"number": contract.number})
        return redirect("settlement:fleet_contract", pk=contract.pk)
    return _contract_form_page(request, contract.station, form, contract)


def _detail(request: HttpRequest, contract: FleetContract, *, driver_form=None) -> HttpResponse:
    recent = (with_open(Statement.objects.filter(order__customer=contract.customer, payer="customer"))
              .select_related("order__vehicle").order_by("-issued_at", "-pk")[:20])
    return render(request, "settlement/ledger/fleet_detail.html", {
        "contract": contract, "drivers": list(contract.drivers.all()[:200]),
        "exposure": fleet_exposure(contract.customer_id), "headroom": credit_headroom(contract),
        "recent": recent, "driver_form": driver_form or DriverForm(),
        "month": timezone.localdate().strftime("%Y-%m"),
    }, status=400 if driver_form is not None else 200)


@requires(perm.SETTLEMENT_VIEW)
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _contract(request, pk))


@requires(perm.SETTLEMENT_APPROVE)
def driver_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    if request.method != "POST":
        return redirect("settlement:fleet_contract", pk=pk)
    form = DriverForm(request.POST)
    if submit(form, lambda data: fleet_driver_add(contract=contract, by=request.user, **data)):
        messages.success(request, _("Driver %(name)s added.") % {"name": form.result.name})
        return redirect("settlement:fleet_contract", pk=pk)
    return _detail(request, contract, driver_form=form)


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@requires(perm.SETTLEMENT_VIEW)
def monthly_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The month's consolidated statement: every customer-pay statement of the fleet issued in the month, what was
    paid and what is still open, with the totals."""
    contract = _contract(request, pk)
    start = _month(request)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    rows = list(with_open(Statement.objects.filter(order__customer=contract.customer, payer="customer",
                                                   issued_at__date__gte=start, issued_at__date__lt=end))
                .select_related("order__vehicle").order_by("issued_at", "pk")[:1000])
    totals = {"due": sum((s.due for s in rows), 0), "open": sum((s.open_amount for s in rows), 0)}
    language = documents.document_language(request, contract.customer)
    with translation.override(language):
        data = documents.render_pdf(template="settlement/ledger/pdf/fleet_month.html", language=language,
                                    station=contract.station, context={
                                        "contract": contract, "rows": rows, "month": start, "totals": totals,
                                        "exposure": fleet_exposure(contract.customer_id)})
    return documents.pdf_response(request, pdf=data, filename=f"{contract.number}-{start:%Y-%m}.pdf")


# --- credit above the limit ----------------------------------------------------------------------------------------


@requires(perm.SETTLEMENT_PAY)
def credit_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The cashier asks for a statement to go on the fleet's account above its limit."""
    statement = get_scoped(request, Statement.objects.select_related("order__customer"), pk=pk)
    form = CreditRequestForm(request.POST or None, initial={"amount": statement.due})
    if form.is_bound and submit(form, lambda data: credit_limit_request(statement=statement, by=request.user,
                                                                        **data)):
        messages.warning(request, _("Asked for approval of %(amount)s on the fleet's account.")
                         % {"amount": form.result.amount})
        return redirect("settlement:payment_new", pk=statement.pk)
    return render(request, "settlement/ledger/credit_request.html", {"statement": statement, "form": form},
                  status=400 if form.is_bound else 200)


@requires(perm.SETTLEMENT_APPROVE)
def credit_approvals(request: HttpRequest) -> HttpResponse:
    waiting = scope(CreditLimitApproval.objects.filter(status=CreditLimitApproval.Status.PENDING)
                    .select_related("statement__order__customer", "contract", "requested_by"),
                    request.user, "statement__station").order_by("requested_at", "id")[:100]
    limits = limits_for(staff=request.user) if not request.user.is_superuser else None
    rows = [(a, may_approve_credit(approval=a, by=request.user, limits=limits)) for a in waiting]
    return render(request, "settlement/ledger/credit_approvals.html", {"rows": rows})


@requires(perm.SETTLEMENT_APPROVE)
def credit_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_scoped(request, CreditLimitApproval.objects.all(), field="statement__station", pk=pk)
    if request.method == "POST":
        approve = request.POST.get("decision") == "approve"
        act(request, lambda: credit_limit_decide(approval=approval, by=request.user, approve=approve),
            lambda a: _("%(number)s: %(status)s.") % {"number": a.statement.number, "status": a.get_status_display()})
    return redirect("settlement:credit_approvals")


