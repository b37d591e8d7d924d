from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import import_views
from core.formflow import submit
from core.paging import keyset_page
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception import selectors
from reception.forms import ContactFormSet, CustomerForm, MileageForm, OwnerForm, VehicleForm
from reception.models import Customer, Vehicle
from reception.services import customers as services
from reception.services.campaigns import vehicles_with_open_campaigns
from reception.views.common import form_status, supervisor_from


def _linked(service):
    """The service, its refusal of a duplicate carrying a link to the existing customer's or vehicle's file."""
    def call(**kwargs):
        try:
            return service(**kwargs)
        except (services.DuplicateCustomer, services.DuplicateVehicle) as exc:
            name = "reception:customer_detail" if isinstance(exc.existing, Customer) else "reception:vehicle_detail"
            exc.message = format_html('{} <a href="{}">{}</a>', exc.message, reverse(name, args=[exc.existing.pk]),
                                      _("Open the existing file"))
            raise

    return call


@requires(perm.RECEPTION_VIEW)
def search(request: HttpRequest) -> HttpResponse:
    result = selectors.search(request.user, request.GET.get("q", ""))
    result.campaign_vehicle_ids = vehicles_with_open_campaigns(result.vehicles)
    template = "reception/_search_results.html" if request.htmx else "reception/search.html"
    return render(request, template, {"result": result})


@requires(perm.RECEPTION_VIEW)
def customer_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.customers(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        ids = [c.pk for c in selectors.search(request.user, q, limit=200).customers]
        qs = qs.filter(pk__in=ids)
    # By name, a page after the last row seen; vehicles counted for this page's 50 customers only.
    page = keyset_page(qs, request.GET, key="name")
    selectors.with_vehicle_counts(page.object_list)
    return render(request, "reception/customer_list.html", {"page": page, "q": q})


@requires(perm.RECEPTION_SETUP)
def customer_import(request: HttpRequest) -> HttpResponse:
    """Customers with vehicles from an old system: the upload page; checked and imported on the workers."""
    return import_views.upload(request, kind="customers", station=station_or_404(request))


@requires(perm.RECEPTION_EDIT)
def customer_create(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = CustomerForm(request.POST or None)
    contacts = ContactFormSet(request.POST or None, prefix="contacts")
    created: list[Customer] = []
    if request.method == "POST" and contacts.is_valid() and submit(form, lambda data: created.append(
            _linked(services.customer_create)(station=station, by=request.user, contacts=contacts.cleaned_data,
                                              **data))):
        messages.success(request, _("Customer %(name)s created.") % {"name": created[0].name})
        return redirect("reception:customer_detail", pk=created[0].pk)
    return render(request, "reception/customer_form.html", {"form": form, "contacts": contacts},
                  status=form_status(form))


@requires(perm.RECEPTION_EDIT)
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_scoped(request, Customer.objects.all(), pk=pk)
    form = CustomerForm(request.POST or None, instance=customer)
    initial = [{"name": c.name, "role": c.role, "mobile": c.mobile} for c in customer.contacts.all()]
    contacts = ContactFormSet(request.POST or None, prefix="contacts", initial=initial)
    if request.method == "POST" and contacts.is_valid() and submit(form, lambda data: _linked(
            services.customer_update)(customer=Customer.objects.get(pk=customer.pk), by=request.user,
                                      contacts=contacts.cleaned_data, **data)):
        messages.success(request, _("Customer file saved."))
        return redirect("reception:customer_detail", pk=customer.pk)
    return render(request, "reception/customer_form.html", {"form": form, "contacts": contacts, "customer": customer},
                  status=form_status(form))


@requires(perm.RECEPTION_VIEW)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_scoped(request, selectors.customer_detail_qs(request.user), pk=pk)
    context = {
        "customer": customer,
        # A fleet customer has thousands of vehicles: 50 at a time, by plate (core.paging), the total capped.
        "vehicles": keyset_page(customer.vehicles.all(), request.GET, key="plate"),
        "orders": selectors.orders(request.user).filter(customer=customer).order_by("-opened_at")[:50],
        "appointments": selectors.appointments(request.user).filter(customer=customer).order_by("-start")[:20],
        "past_vehicles": customer.ownerships.filter(until__isnull=False).select_related("vehicle").order_by("-until")[:50],
        "panels": selectors.panels("customer"),
    }
    return render(request, "reception/customer_detail.html", context)


@requires(perm.RECEPTION_EDIT)
def vehicle_create(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_scoped(request, Customer.objects.all(), pk=pk)
    form = VehicleForm(request.POST or None)
    added: list[Vehicle] = []
    if request.method == "POST" and submit(form, lambda data: added.append(_linked(services.vehicle_create)(
            station=customer.station, by=request.user, owner=customer, **data))):
        messages.success(request, _("Vehicle %(vehicle)s added.") % {"vehicle": added[0]})
        return redirect("reception:vehicle_detail", pk=added[0].pk)
    return render(request, "reception/vehicle_form.html", {"form": form, "customer": customer},
                  status=form_status(form))


@requires(perm.RECEPTION_EDIT)
def vehicle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_scoped(request, Vehicle.objects.all(), pk=pk)
    form = VehicleForm(request.POST or None, instance=vehicle)
    del form.fields["mileage"]
    if request.method == "POST" and submit(form, lambda data: _linked(services.vehicle_update)(
            vehicle=Vehicle.objects.get(pk=vehicle.pk), by=request.user, **data)):
        messages.success(request, _("Vehicle saved."))
        return redirect("reception:vehicle_detail", pk=vehicle.pk)
    return render(request, "reception/vehicle_form.html", {"form": form, "vehicle": vehicle,
                                                           "customer": vehicle.owner}, status=form_status(form))


@requires(perm.RECEPTION_VIEW)
def vehicle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_scoped(request, selectors.vehicles(request.user), pk=pk)
    context = {
        "vehicle": vehicle,
        "readings": vehicle.mileage_readings.select_related("by", "odometer_change_confirmed_by")[:30],
        "ownerships": vehicle.ownerships.select_related("customer"),
        "orders": selectors.orders(request.user).filter(vehicle=vehicle).order_by("-opened_at")[:50],
        "mileage_form": MileageForm(),
        "owner_form": OwnerForm(station=vehicle.station),
        "panels": selectors.panels("vehicle"),
    }
    return render(request, "reception/vehicle_detail.html", context)


@requires(perm.RECEPTION_EDIT)
def vehicle_mileage(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_scoped(request, Vehicle.objects.all(), pk=pk)
    form = MileageForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: services.mileage_record(
            vehicle=vehicle, km=data["mileage"], by=request.user, confirmed_by=supervisor_from(request, data))):
        messages.success(request, _("Mileage recorded."))
        return redirect("reception:vehicle_detail", pk=vehicle.pk)
    return render(request, "reception/mileage_form.html", {"form": form, "vehicle": vehicle},
                  status=form_status(form))


@requires(perm.RECEPTION_EDIT)
def vehicle_owner(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_scoped(request, Vehicle.objects.all(), pk=pk)
    form = OwnerForm(request.POST or None, station=vehicle.station)
    if request.method == "POST" and submit(form, lambda data: services.vehicle_change_owner(
            vehicle=vehicle, new_owner=data["owner"], by=request.user)):
        messages.success(request, _("Owner changed."))
        return redirect("reception:vehicle_detail", pk=vehicle.pk)
    return render(request, "reception/owner_form.html", {"form": form, "vehicle": vehicle},
                  status=form_status(form))
