from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aftersales import permissions as perm
from aftersales.exceptions import DomainError
from aftersales.permissions import requires
from aftersales.selectors import get_scoped
from reception import selectors
from reception.forms import (
    ApprovalForm,
    DiscountDecisionForm,
    LabourLineForm,
    LineEditForm,
    OrderEditForm,
    PartLineForm,
    PhotoForm,
    ReceptionForm,
    SignForm,
    SubletLineForm,
)
from reception.models import (
    Appointment,
    DiscountApproval,
    LabourOperation,
    Payer,
    Vehicle,
    WorkOrder,
    WorkOrderLine,
)
from reception.services import discounts, estimates, inspections, orders, pricing
from reception.services.appointments import part_availability
from reception.services.workflow import allowed_targets, work_order_transition
from reception.views.common import show_error, station_or_404, supervisor_from


@requires(perm.RECEPTION_VIEW)
def order_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.orders(request.user).order_by("-opened_at")
    status = request.GET.get("status", "")
    if status in WorkOrder.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("mine"):
        qs = qs.filter(advisor=request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "reception/order_list.html",
                  {"page": page, "status": status, "statuses": WorkOrder.Status.choices})


def _receive(request: HttpRequest, *, appointment: Appointment | None, vehicle: Vehicle | None) -> HttpResponse:
    station = appointment.station if appointment else station_or_404(request)
    initial = {"fuel_level": WorkOrder.Fuel.HALF}
    if vehicle is not None:
        initial.update(vehicle=vehicle.pk, mileage_in=vehicle.mileage or None)
    if appointment is not None:
        initial["concerns"] = appointment.concern
    form = ReceptionForm(request.POST or None, station=station, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        vehicle = data["vehicle"]
        try:
            order = orders.order_receive(
                station=station, by=request.user, customer=vehicle.owner, vehicle=vehicle,
                concerns=data["concerns"].splitlines(), mileage_in=data["mileage_in"], fuel_level=data["fuel_level"],
                promised_at=data["promised_at"], appointment=appointment,
                odometer_confirmed_by=supervisor_from(request, data),
                advisor=appointment.advisor if appointment else None,
            )
        except DomainError as exc:
            if exc.field == "mileage":
                exc.field = "mileage_in"
            show_error(request, form, exc)
        else:
            messages.success(request, _("Order %(number)s opened: now the walk-around pre-inspection.")
                             % {"number": order.number})
            return redirect("reception:order_inspection", pk=order.pk)
    return render(request, "reception/order_receive.html",
                  {"form": form, "appointment": appointment, "vehicle": vehicle})


@requires(perm.RECEPTION_EDIT)
def order_receive(request: HttpRequest) -> HttpResponse:
    vehicle = None
    if request.GET.get("vehicle"):
        vehicle = get_scoped(request, Vehicle.objects.all(), pk=request.GET["vehicle"])
    return _receive(request, appointment=None, vehicle=vehicle)


@requires(perm.RECEPTION_EDIT)
def appointment_receive(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_scoped(request, Appointment.objects.select_related("vehicle", "customer", "advisor"), pk=pk)
    if appointment.work_order_id:
        return redirect("reception:order_detail", pk=appointment.work_order_id)
    return _receive(request, appointment=appointment, vehicle=appointment.vehicle)


def _order_context(request: HttpRequest, order: WorkOrder) -> dict:
    lines = list(order.lines.all())
    for line in lines:
        line.amount = pricing.amount_of(line)
        line.available = part_availability(line.part) if line.part_id else None
    station = order.station
    return {
        "order": order,
        "lines": lines,
        "totals": pricing.order_totals(lines, vat_rate=station.vat_rate),
        "estimate_state": estimates.estimate_state(order),
        "versions": order.estimate_versions.select_related("approved_by", "created_by").order_by("-number"),
        "pending_discounts": order.discount_approvals.filter(status=DiscountApproval.Status.PENDING)
        .select_related("approver", "line"),
        "events": order.events.select_related("by").order_by("-at", "-id")[:30],
        "editable": order.status in orders.EDITABLE,
        "targets": [t for t in allowed_targets(order=order, by=request.user) if t == WorkOrder.Status.CANCELLED],
        "labour_form": LabourLineForm(station=station, prefix="labour"),
        "part_form": PartLineForm(station=station, prefix="part"),
        "sublet_form": SubletLineForm(prefix="sublet"),
        "approval_form": ApprovalForm(),
        "photo_form": PhotoForm(),
        "inspection": getattr(order, "pre_inspection", None) if hasattr(order, "pre_inspection") else None,
        "photos": order.photos.all(),
        "panels": selectors.existing_templates(selectors.ORDER_PANELS),
    }


@requires(perm.RECEPTION_VIEW)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, selectors.order_detail_qs(request.user), pk=pk)
    return render(request, "reception/order_detail.html", _order_context(request, order))


@requires(perm.RECEPTION_EDIT)
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    form = OrderEditForm(request.POST or None, instance=order)
    if request.method == "POST" and form.is_valid():
        try:
            orders.order_update_reception(order=WorkOrder.objects.get(pk=pk), by=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(request, _("Order saved."))
            return redirect("reception:order_detail", pk=pk)
    return render(request, "reception/order_edit.html", {"form": form, "order": order})


@requires(perm.RECEPTION_VIEW)
def order_lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """Labour operations and parts matching the typed words, to add to the estimate (htmx)."""
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    q = request.GET.get("q", "").strip()
    operations, parts = [], []
    if q:
        operations = list(LabourOperation.objects.filter(station=order.station, is_active=True).filter(
            Q(code__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q) | Q(category__icontains=q)
        ).order_by("code")[:15])
        from parts.models import Part

        parts = list(Part.objects.filter(station=order.station, is_active=True).filter(
            Q(part_number__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q)
        ).order_by("part_number")[:15])
        for part in parts:
            part.available = part_availability(part)
    return render(request, "reception/_lookup.html", {"order": order, "operations": operations, "parts": parts,
                                                      "q": q, "payers": Payer.choices})


@requires(perm.RECEPTION_EDIT)
def line_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.select_related("station"), pk=pk)
    if request.method == "POST":
        try:
            if kind == "labour":
                form = LabourLineForm(request.POST, station=order.station, prefix="labour")
                if form.is_valid():
                    orders.line_add_labour(order=order, by=request.user, operation=form.cleaned_data["operation"],
                                           payer=form.cleaned_data["payer"])
            elif kind == "part":
                form = PartLineForm(request.POST, station=order.station, prefix="part")
                if form.is_valid():
                    orders.line_add_part(order=order, by=request.user, part=form.cleaned_data["part"],
                                         quantity=form.cleaned_data["quantity"], payer=form.cleaned_data["payer"])
            else:
                form = SubletLineForm(request.POST, prefix="sublet")
                if form.is_valid():
                    orders.line_add_sublet(order=order, by=request.user, **{
                        k: v for k, v in form.cleaned_data.items() if v is not None})
            if form.is_valid():
                messages.success(request, _("Line added."))
            else:
                messages.error(request, _("The line was not added: %(errors)s")
                               % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)})
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("reception:order_detail", pk=pk)


@requires(perm.RECEPTION_EDIT)
def line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    line = order.lines.filter(pk=line_pk).select_related("order", "labour_operation").first()
    if line is None:
        messages.error(request, _("This line no longer exists."))
        return redirect("reception:order_detail", pk=pk)
    form = LineEditForm(request.POST or None, initial={
        "payer": line.payer, "quantity": line.quantity, "hours": line.hours, "discount_pct": line.discount_pct})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            orders.line_update(line=line, by=request.user, payer=data["payer"], quantity=data["quantity"],
                               hours=data["hours"] if line.kind == WorkOrderLine.Kind.LABOUR else None)
            pending = None
            if data["discount_pct"] != line.discount_pct:
                pending = discounts.discount_request(line=line, by=request.user, pct=data["discount_pct"],
                                                     reason=data["reason"])
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            if pending is not None:
                messages.warning(request, _("The discount is above your authority: %(who)s has been asked to "
                                            "approve it.") % {"who": pending.approver or _("head office")})
            else:
                messages.success(request, _("Line saved."))
            return redirect("reception:order_detail", pk=pk)
    return render(request, "reception/line_edit.html", {"form": form, "order": order, "line": line})


@requires(perm.RECEPTION_EDIT)
def line_remove(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    line = order.lines.filter(pk=line_pk).select_related("order").first()
    if request.method == "POST" and line is not None:
        try:
            orders.line_remove(line=line, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Line removed."))
    return redirect("reception:order_detail", pk=pk)


@requires(perm.RECEPTION_EDIT)
def order_sign(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, selectors.order_detail_qs(request.user), pk=pk)
    form = SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        png = None
        data_url = form.cleaned_data["signature"]
        if data_url:
            try:
                png = base64.b64decode(data_url.split(",", 1)[-1], validate=True)
            except (binascii.Error, ValueError):
                png = None
            if png and not png.startswith(b"\x89PNG"):
                png = None
        try:
            estimates.estimate_sign(order=order, by=request.user, method=form.cleaned_data["method"],
                                    signature_png=png, scan=form.cleaned_data["scan"])
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(request, _("The customer signed the estimate; the order is open."))
            return redirect("reception:order_detail", pk=pk)
    context = _order_context(request, order)
    context["form"] = form
    return render(request, "reception/order_sign.html", context)


@requires(perm.RECEPTION_EDIT)
def order_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the customer approved the changed estimate (by phone, in person or by message)."""
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    form = ApprovalForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                if discounts.has_pending_approvals(order=order):
                    raise DomainError(_("A discount is still waiting for approval."))
                estimates.estimate_snapshot(order=order, by=request.user, note=form.cleaned_data["note"],
                                            approval_channel=form.cleaned_data["approval_channel"])
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Customer approval recorded as a new estimate version."))
        else:
            messages.error(request, _("Say how the customer approved."))
    return redirect("reception:order_detail", pk=pk)


@requires(perm.RECEPTION_EDIT)
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    if request.method == "POST":
        try:
            work_order_transition(order=order, to=WorkOrder.Status.CANCELLED, by=request.user,
                                  note=request.POST.get("note", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Order cancelled."))
    return redirect("reception:order_detail", pk=pk)


@requires(perm.RECEPTION_EDIT)
def order_photo(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    if request.method == "POST":
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            inspections.order_photo_add(order=order, by=request.user, **form.cleaned_data)
            messages.success(request, _("Photo kept with the order."))
        else:
            messages.error(request, _("The photo was not saved: %(errors)s")
                           % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)})
    return redirect(request.POST.get("back") == "inspection" and "reception:order_inspection" or
                    "reception:order_detail", pk=pk)


@requires(perm.RECEPTION_APPROVE)
def approvals(request: HttpRequest) -> HttpResponse:
    return render(request, "reception/approvals.html",
                  {"requests": discounts.approvals_waiting_for(request.user),
                   "mine": DiscountApproval.objects.filter(requested_by=request.user).select_related(
                       "order", "line", "approver")[:30]})


@requires(perm.RECEPTION_APPROVE)
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_scoped(request, DiscountApproval.objects.select_related("order", "line"), field="order__station",
                          pk=pk)
    form = DiscountDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discounts.discount_decide(request=approval, by=request.user, approve=form.cleaned_data["approve"],
                                      note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision recorded."))
    elif request.method == "POST":
        messages.error(request, _("Approve or decline?"))
    return redirect("reception:approvals")
