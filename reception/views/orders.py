from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.formflow import submit
from core.paging import keyset_page
from core.params import id_or_none
from org import permissions as perm
from org.models import Staff
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from parts.services.orders import order_lines_available, part_search
from reception import selectors
from reception.forms import (
    ApprovalForm,
    CancelForm,
    OrderEditForm,
    ReceptionForm,
    SignForm,
    SubletLineForm,
)
from reception.models import Appointment, LabourOperation, Payer, Vehicle, WorkOrder
from reception.services import discounts, estimates, order_review, orders, pricing
from reception.services.workflow import allowed_targets, work_order_transition
from reception.views.common import form_status, supervisor_from
from reception.warranty_forms import SanbaoRepairForm


@requires(perm.RECEPTION_VIEW)
def order_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.orders(request.user)
    status = request.GET.get("status", "")
    if status in WorkOrder.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("mine"):
        qs = qs.filter(advisor=request.user)
    # Newest first, a page after the last row seen (no OFFSET, no count of every order: "1,000+").
    page = keyset_page(qs, request.GET, key="opened_at", descending=True)
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
    opened: list[WorkOrder] = []

    def receive(data: dict) -> None:
        try:
            opened.append(orders.order_receive(
                station=station, by=request.user, customer=data["vehicle"].owner, vehicle=data["vehicle"],
                concerns=data["concerns"].splitlines(), mileage_in=data["mileage_in"], fuel_level=data["fuel_level"],
                promised_at=data["promised_at"], appointment=appointment,
                odometer_confirmed_by=supervisor_from(request, data),
                advisor=appointment.advisor if appointment else None,
                keep_old_parts=data["keep_old_parts"], wash=data["wash"], customer_waiting=data["customer_waiting"],
            ))
        except DomainError as exc:
            if exc.field == "mileage":  # the vehicle's reading is the form's mileage in
                exc.field = "mileage_in"
            raise

    if request.method == "POST" and submit(form, receive):
        messages.success(request, _("Order %(number)s opened: now the walk-around pre-inspection.")
                         % {"number": opened[0].number})
        return redirect("reception:order_inspection", pk=opened[0].pk)
    return render(request, "reception/order_receive.html",
                  {"form": form, "appointment": appointment, "vehicle": vehicle}, status=form_status(form))


@requires(perm.RECEPTION_EDIT)
def order_receive(request: HttpRequest) -> HttpResponse:
    vehicle = None
    if request.GET.get("vehicle"):
        vehicle = get_scoped(request, Vehicle.objects.all(), pk=id_or_none(request.GET["vehicle"]) or 0)
    return _receive(request, appointment=None, vehicle=vehicle)


@requires(perm.RECEPTION_EDIT)
def appointment_receive(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_scoped(request, Appointment.objects.select_related("vehicle", "customer", "advisor"), pk=pk)
    if appointment.work_order_id:
        return redirect("reception:order_detail", pk=appointment.work_order_id)
    return _receive(request, appointment=appointment, vehicle=appointment.vehicle)


def _order_context(request: HttpRequest, order: WorkOrder) -> dict:
    # Each thing is read once here and handed to whatever needs it (the estimate state, the review banner, the
    # panels: ``order.lines.all()`` is the prefetched list).
    lines = list(order.lines.all())
    available = order_lines_available(order=order, lines=lines)  # one query for every part line (and the parts panel)
    for line in lines:
        line.amount = pricing.amount_of(line)
        line.available = available[line.pk] if line.part_id else None
    versions = selectors.estimate_versions_shown(order)
    station = order.station
    return {
        "order": order,
        "lines": lines,
        "totals": pricing.order_totals(lines, vat_rate=station.vat_rate),
        "estimate_state": estimates.estimate_state(order, lines=lines, versions=versions),
        "versions": versions,
        "pending_discounts": discounts.pending_for_order(order, lines=lines),
        "events": order.events.select_related("by").only("order", "at", "kind", "old_status", "new_status", "note",
                                                          *Staff.name_fields("by")).order_by("-at", "-id")[:30],
        "editable": order.status in orders.EDITABLE,
        "targets": [t for t in allowed_targets(order=order, by=request.user) if t == WorkOrder.Status.CANCELLED],
        "sublet_form": SubletLineForm(prefix="sublet"),
        "approval_form": ApprovalForm(),
        "cancel_form": CancelForm(),
        "payers": Payer.choices,
        # read with the order (order_detail_qs): no query here
        "inspection": getattr(order, "pre_inspection", None) if hasattr(order, "pre_inspection") else None,
        "photos": order.photos.all(),
        "panels": selectors.panels("order"),
        "sanbao_form": SanbaoRepairForm(prefix="sanbao"),
    }


def order_page(request: HttpRequest, pk: int, **bound) -> HttpResponse:
    """The order page. A form posted from it that failed comes back in ``bound`` (with what the page needs to show
    it again): the page is rendered with it, its error next to the field and what was typed still there, with 400."""
    order = get_scoped(request, selectors.order_detail_qs(request.user), pk=pk)
    context = {**_order_context(request, order), **bound}
    if context["estimate_state"] == "changed":
        context.update(order_review.review_banner(order, lines=context["lines"]))
    return render(request, "reception/order_detail.html", context, status=400 if bound else 200)


@requires(perm.RECEPTION_VIEW)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return order_page(request, pk)


@requires(perm.RECEPTION_EDIT)
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    form = OrderEditForm(request.POST or None, instance=order)
    if request.method == "POST" and submit(form, lambda data: orders.order_update_reception(
            order=WorkOrder.objects.get(pk=pk), by=request.user, **data)):
        messages.success(request, _("Order saved."))
        return redirect("reception:order_detail", pk=pk)
    return render(request, "reception/order_edit.html", {"form": form, "order": order}, status=form_status(form))


@requires(perm.RECEPTION_VIEW)
def order_lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """Labour operations and parts matching the typed words, to add to the estimate (htmx)."""
    order = get_scoped(request, WorkOrder.objects.select_related("vehicle"), pk=pk)
    q = request.GET.get("q", "").strip()
    operations, parts = [], []
    if q:
        operations = list(LabourOperation.objects.filter(station=order.station, is_active=True).filter(
            Q(code__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q) | Q(category__icontains=q)
        ).order_by("code")[:15])
        parts = part_search(station=order.station, query=q, prefer=order.vehicle.model)
    return render(request, "reception/_lookup.html", {"order": order, "operations": operations, "parts": parts,
                                                      "q": q, "payers": Payer.choices})


@requires(perm.RECEPTION_EDIT)
def order_sign(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, selectors.order_detail_qs(request.user), pk=pk)
    form = SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and submit(form, lambda data: estimates.estimate_sign(
            order=order, by=request.user, method=data["method"], signature_png=data["signature"],
            scan=data["scan"])):
        messages.success(request, _("The customer signed the estimate; the order is open."))
        return redirect("reception:order_detail", pk=pk)
    context = _order_context(request, order)
    context["form"] = form
    context.update(order_review.review_banner(order, lines=context["lines"]))
    return render(request, "reception/order_sign.html", context, status=form_status(form))


def _approval_record(*, order: WorkOrder, by, approval_channel: str, note: str) -> None:
    if discounts.has_pending_approvals(order=order):
        raise DomainError(_("A discount is still waiting for approval."))
    estimates.estimate_snapshot(order=order, by=by, note=note, approval_channel=approval_channel)


@requires(perm.RECEPTION_EDIT)
def order_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the customer approved the changed estimate (by phone, in person or by message)."""
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    if request.method != "POST":
        return redirect("reception:order_detail", pk=pk)
    form = ApprovalForm(request.POST)
    if not submit(form, lambda data: _approval_record(order=order, by=request.user, **data)):
        return order_page(request, pk, approval_form=form)
    messages.success(request, _("Customer approval recorded as a new estimate version."))
    return redirect("reception:order_detail", pk=pk)


@requires(perm.RECEPTION_EDIT)
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    if request.method != "POST":
        return redirect("reception:order_detail", pk=pk)
    form = CancelForm(request.POST)
    if not submit(form, lambda data: work_order_transition(
            order=order, to=WorkOrder.Status.CANCELLED, by=request.user, note=data["note"])):
        return order_page(request, pk, cancel_form=form)
    messages.success(request, _("Order cancelled."))
    return redirect("reception:order_detail", pk=pk)
