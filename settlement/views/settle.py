"""Settlement (结算) of an order, credit notes, and the cashier's payments desk."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.formflow import act, submit
from core.money import money_text
from org import permissions as perm
from org.permissions import requires
from org.selectors import current_station, get_scoped, scope
from reception.models import WorkOrder, WorkOrderLine
from settlement.forms import (
    CreditDecisionForm,
    CreditNoteForm,
    InsuranceForm,
    InsurancePaidForm,
    PaymentForm,
    ResolveForm,
    SettleForm,
)
from settlement.invoice_selectors import invoices_of
from settlement.models import CreditNoteRequest, InsuranceClaim, Statement
from settlement.selectors import (
    desk_queues,
    open_statements,
    order_for,
    payment_status,
    payments_today,
    statements_of,
)
from settlement.services.payments import payment_record, statement_balance
from settlement.services.reconcile import part_difference_resolve, reconcile
from settlement.services.settle import order_settle
from settlement.services.statements import (
    credit_note_decide,
    credit_note_request,
    credit_requests_waiting_for,
    credited_so_far,
)


@requires(perm.SETTLEMENT_VIEW)
def order_settlement(request: HttpRequest, pk: int) -> HttpResponse:
    """The settlement page: reconciliation before, statements and payments after."""
    return order_page(request, order_for(request, pk))


def order_page(request: HttpRequest, order: WorkOrder, *, failed_line: int | None = None, **bound) -> HttpResponse:
    """The settlement page; a refused inline form (``bound``) comes back with its error and what was typed, on the
    row of ``failed_line`` for a part difference."""
    statements = statements_of(order)
    for st in statements:
        st.balance = statement_balance(st) if st.kind != Statement.Kind.CREDIT_NOTE else None
        st.creditable = st.due - credited_so_far(st) if st.kind != Statement.Kind.CREDIT_NOTE else None
        st.pending_credit = (st.credit_requests.filter(status=CreditNoteRequest.Status.PENDING)
                             .select_related("requested_by", "approver").first()
                             if st.kind != Statement.Kind.CREDIT_NOTE else None)
    insurance = InsuranceClaim.objects.filter(order=order).first()
    context = {
        "order": order, "statements": statements, "status": payment_status(order), "insurance": insurance,
        "claims": list(order.warranty_claims.all()), "resolve_form": ResolveForm(), "settle_form": SettleForm(),
        "insurance_form": InsuranceForm(initial=_insurance_initial(insurance)),
        "has_warranty_lines": order.lines.filter(payer="warranty", approval="approved").exists(),
        "paid_form": InsurancePaidForm(), "failed_line": failed_line, "invoices": invoices_of(order), **bound,
    }
    if order.status == WorkOrder.Status.READY or not statements:
        context["rec"] = reconcile(order=order)
    return render(request, "settlement/order.html", context, status=400 if bound else 200)


def _insurance_initial(claim: InsuranceClaim | None) -> dict:
    if claim is None:
        return {"deductible": 0}
    return {f: getattr(claim, f) for f in ("insurer", "policy_number", "claim_number", "assessor", "assessed_amount",
                                           "deductible", "notes")}


@requires(perm.SETTLEMENT_SETTLE)
def resolve_difference(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    order = order_for(request, pk)
    line = get_object_or_404(WorkOrderLine, pk=line_pk, order=order)
    if request.method != "POST":
        return redirect("settlement:order", pk=order.pk)
    form = ResolveForm(request.POST)
    if not submit(form, lambda data: part_difference_resolve(line=line, by=request.user, **data)):
        return order_page(request, order, failed_line=line.pk, resolve_form=form)
    messages.success(request, _("Difference on “%(line)s” resolved.") % {"line": line.description})
    return redirect("settlement:order", pk=order.pk)


@requires(perm.SETTLEMENT_SETTLE)
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_for(request, pk)
    if request.method != "POST":
        return redirect("settlement:order", pk=order.pk)
    form = SettleForm(request.POST)
    form.is_valid()
    act(request, lambda: order_settle(order=order, by=request.user, note=form.cleaned_data.get("note", "")),
        lambda statements: _("Order %(order)s settled: %(numbers)s.") % {
            "order": order.number, "numbers": ", ".join(s.number for s in statements)})
    return redirect("settlement:order", pk=order.pk)


@requires(perm.SETTLEMENT_PAY)
def credit_note(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    """Ask for a credit note: a second person with authority over the amount approves it before it is issued."""
    order = order_for(request, pk)
    statement = get_scoped(request, Statement.objects.exclude(kind=Statement.Kind.CREDIT_NOTE), pk=statement_pk,
                           order=order)
    form = CreditNoteForm(request.POST or None)
    if form.is_bound and submit(form, lambda data: credit_note_request(statement=statement, by=request.user, **data)):
        messages.warning(request, _("Credit note of %(amount)s asked for: %(who)s approves it before it is issued.")
                         % {"amount": money_text(form.result.amount), "who": form.result.approver or _("head office")})
        return redirect("settlement:order", pk=order.pk)
    return render(request, "settlement/credit_note.html", {
        "order": order, "statement": statement, "form": form,
        "creditable": statement.due - credited_so_far(statement),
    }, status=400 if form.is_bound else 200)


def _credit_requests_page(request: HttpRequest, *, failed: CreditNoteRequest | None = None,
                          form=None) -> HttpResponse:
    """Credit notes waiting for this person's decision; a refused decision comes back with its error (400)."""
    waiting = credit_requests_waiting_for(request.user)
    return render(request, "settlement/credit_requests.html", {
        "requests": waiting, "failed": failed, "failed_pk": failed.pk if failed else None, "decision_form": form,
        "failed_elsewhere": failed is not None and failed not in waiting,
        "decided": scope(CreditNoteRequest.objects.exclude(status=CreditNoteRequest.Status.PENDING)
                         .select_related("statement__order", "requested_by", "decided_by", "credit_note"),
                         request.user, "statement__station")[:30],
    }, status=400 if failed else 200)


@requires(perm.SETTLEMENT_APPROVE)
def credit_requests(request: HttpRequest) -> HttpResponse:
    return _credit_requests_page(request)


@requires(perm.SETTLEMENT_APPROVE)
def credit_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    credit_request = get_scoped(request, CreditNoteRequest.objects.select_related("statement__order"),
                                field="statement__station", pk=pk)
    if request.method != "POST":
        return redirect("settlement:credit_requests")
    form = CreditDecisionForm(request.POST)
    if not submit(form, lambda data: credit_note_decide(request=credit_request, by=request.user, **data)):
        return _credit_requests_page(request, failed=credit_request, form=form)
    decided = form.result
    if decided.credit_note is not None:
        messages.success(request, _("Credit note %(number)s issued.") % {"number": decided.credit_note.number})
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("settlement:credit_requests")


@requires(perm.SETTLEMENT_PAY)
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_scoped(
        request, Statement.objects.exclude(kind=Statement.Kind.CREDIT_NOTE).select_related("order__customer"), pk=pk
    )
    balance = statement_balance(statement)
    form = PaymentForm(request.POST or None, initial={"amount": balance if balance > 0 else None})
    if form.is_bound and submit(form, lambda data: payment_record(statement=statement, by=request.user, **data)):
        payment = form.result
        text = _("Receipt %(number)s: %(amount)s received.") % {
            "number": payment.receipt_number, "amount": money_text(payment.amount)}
        if payment.change:
            text += " " + _("Change: %(change)s.") % {"change": money_text(payment.change)}
        messages.success(request, text)
        return redirect("settlement:order", pk=statement.order_id)
    return render(request, "settlement/payment_form.html", {
        "statement": statement, "order": statement.order, "form": form, "balance": balance,
    }, status=400 if form.is_bound else 200)


@requires(perm.SETTLEMENT_VIEW)
def desk(request: HttpRequest) -> HttpResponse:
    """The cashier's desk: orders to settle, statements with money still owed, today's receipts."""
    station = current_station(request)
    queues = desk_queues(request.user, station)
    payments = list(payments_today(request.user, station))
    return render(request, "settlement/desk.html", {
        "ready": queues["ready"], "settled": queues["settled"], "open_statements": open_statements(request.user, station),
        "payments": payments, "payments_total": sum((p.amount for p in payments), 0),
    })


@requires(perm.SETTLEMENT_VIEW)
def desk_panel(request: HttpRequest) -> HttpResponse:
    """The desk panel alone (htmx refresh of settlement/_desk_panel.html)."""
    queues = desk_queues(request.user, current_station(request))
    return render(request, "settlement/_desk_panel.html", {"settlement_ready": queues["ready"],
                                                            "settlement_settled": queues["settled"]})
