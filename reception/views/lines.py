"""The estimate's lines (add, change, remove) and the discount approvals. A line that is not added, or a change or
a decision that is refused, comes back on its page with the error at the field and what was typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import act, submit
from core.params import id_or_none
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped
from parts.services.orders import parts_for_sale
from reception.forms import DiscountDecisionForm, LabourLineForm, LineEditForm, PartLineForm, SubletLineForm
from reception.models import DiscountApproval, LabourOperation, WorkOrder, WorkOrderLine
from reception.services import discounts, orders
from reception.views.common import form_status
from reception.views.orders import order_page


def _chosen(form, field: str, queryset):
    """The catalogue entry the failed form names (to show it again), or None."""
    value = form[field].value()
    return queryset.filter(pk=id_or_none(value)).first() if id_or_none(value) else None


@requires(perm.RECEPTION_EDIT)
def line_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.select_related("station"), pk=pk)
    if request.method != "POST":
        return redirect("reception:order_detail", pk=pk)
    by, station = request.user, order.station
    if kind == "labour":
        form = LabourLineForm(request.POST, station=station, prefix="labour")
        ok = submit(form, lambda d: orders.line_add_labour(order=order, by=by, operation=d["operation"],
                                                           payer=d["payer"]))
    elif kind == "part":
        form = PartLineForm(request.POST, station=station, prefix="part")
        ok = submit(form, lambda d: orders.line_add_part(order=order, by=by, part=d["part"], quantity=d["quantity"],
                                                         payer=d["payer"]))
    else:
        kind = "sublet"
        form = SubletLineForm(request.POST, prefix="sublet")
        ok = submit(form, lambda d: orders.line_add_sublet(order=order, by=by, **{
            k: v for k, v in d.items() if v is not None}))
    if ok:
        messages.success(request, _("Line added."))
        return redirect("reception:order_detail", pk=pk)
    chosen = None  # the operation or part picked from the lookup, shown again with the error
    if kind == "labour":
        chosen = _chosen(form, "operation", LabourOperation.objects.filter(station=station))
    elif kind == "part":
        chosen = _chosen(form, "part", parts_for_sale(station=station))
    return order_page(request, pk, **{f"{kind}_form": form}, failed_line=kind, chosen=chosen)


@requires(perm.RECEPTION_EDIT)
def line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    line = order.lines.filter(pk=line_pk).select_related("order", "labour_operation").first()
    if line is None:
        messages.error(request, _("This line no longer exists."))
        return redirect("reception:order_detail", pk=pk)
    form = LineEditForm(request.POST or None, initial={
        "payer": line.payer, "quantity": line.quantity, "hours": line.hours, "discount_pct": line.discount_pct})
    pending: list[DiscountApproval | None] = []

    def save(data: dict) -> None:
        orders.line_update(line=line, by=request.user, payer=data["payer"], quantity=data["quantity"],
                           hours=data["hours"] if line.kind == WorkOrderLine.Kind.LABOUR else None)
        if data["discount_pct"] != line.discount_pct:
            pending.append(discounts.discount_request(line=line, by=request.user, pct=data["discount_pct"],
                                                      reason=data["reason"]))

    if request.method == "POST" and submit(form, save):
        waiting = next((p for p in pending if p is not None), None)
        if waiting is not None:
            messages.warning(request, _("The discount is above your authority: %(who)s has been asked to "
                                        "approve it.") % {"who": waiting.approver or _("head office")})
        else:
            messages.success(request, _("Line saved."))
        return redirect("reception:order_detail", pk=pk)
    return render(request, "reception/line_edit.html", {"form": form, "order": order, "line": line},
                  status=form_status(form))


@requires(perm.RECEPTION_EDIT)
def line_remove(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """A button: nothing typed, so a refusal is a message on the order page."""
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    line = order.lines.filter(pk=line_pk).select_related("order").first()
    if request.method == "POST" and line is not None:
        act(request, lambda: orders.line_remove(line=line, by=request.user), _("Line removed."))
    return redirect("reception:order_detail", pk=pk)


def _approvals_page(request: HttpRequest, *, failed: DiscountApproval | None = None, form=None) -> HttpResponse:
    """The approvals page; a decision that failed comes back with its row's note and error (400)."""
    waiting = list(discounts.approvals_waiting_for(request.user))
    return render(request, "reception/approvals.html", {
        "requests": waiting,
        "mine": DiscountApproval.objects.filter(requested_by=request.user).select_related(
            "order", "line", "approver")[:30],
        "failed": failed, "failed_pk": failed.pk if failed else None, "decision_form": form,
        "failed_elsewhere": failed is not None and failed not in waiting,  # no longer a row: the error on top
    }, status=400 if failed else 200)


@requires(perm.RECEPTION_APPROVE)
def approvals(request: HttpRequest) -> HttpResponse:
    return _approvals_page(request)


@requires(perm.RECEPTION_APPROVE)
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_scoped(request, DiscountApproval.objects.select_related("order", "line"), field="order__station",
                          pk=pk)
    if request.method != "POST":
        return redirect("reception:approvals")
    form = DiscountDecisionForm(request.POST)
    if not submit(form, lambda data: discounts.discount_decide(request=approval, by=request.user, **data)):
        return _approvals_page(request, failed=approval, form=form)
    messages.success(request, _("Decision recorded."))
    return redirect("reception:approvals")
