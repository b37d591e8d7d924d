"""Customer files (客户档案): customers, contact persons, vehicles, mileage readings and owner history."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Position, Staff, Station
from reception.models import ContactPerson, Customer, MileageReading, Vehicle, VehicleOwnership
from reception.services import validation as v

CUSTOMER_FIELDS = (
    "kind", "name", "mobile", "other_phone", "email", "address", "company_tax_id", "preferred_language",
    "contact_consent", "notes",
)
VEHICLE_FIELDS = ("vin", "plate", "make", "model", "year", "colour", "warranty_start", "insurance_expiry", "insurer")
SUPERVISORS = frozenset({Position.FRONT_DESK_LEAD, Position.STATION_MANAGER})


class DuplicateCustomer(DomainError):
    """The mobile number already belongs to a customer of this station (``existing``)."""

    def __init__(self, message: str, *, existing: Customer):
        super().__init__(message, field="mobile", code="duplicate")
        self.existing = existing


class DuplicateVehicle(DomainError):
    def __init__(self, message: str, *, existing: Vehicle):
        super().__init__(message, field="vin", code="duplicate")
        self.existing = existing


def _clean_mobile(*, station: Station, mobile: str, exclude_pk: int | None = None) -> str:
    mobile = v.normalise_mobile(mobile)
    if not v.is_valid_mobile(mobile):
        raise DomainError(_("Enter a Chinese mobile number: 11 digits starting with 13–19."), field="mobile")
    existing = Customer.objects.filter(station=station, mobile=mobile).exclude(pk=exclude_pk).first()
    if existing is not None:
        raise DuplicateCustomer(
            _("This mobile number already belongs to %(name)s.") % {"name": existing.name}, existing=existing
        )
    return mobile


@transaction.atomic
def customer_create(*, station: Station, by: Staff, contacts: list[dict] | None = None, **fields) -> Customer:
    data = {k: fields[k] for k in CUSTOMER_FIELDS if k in fields}
    if not (data.get("name") or "").strip():
        raise DomainError(_("Please enter the customer's name."), field="name")
    data["mobile"] = _clean_mobile(station=station, mobile=data.get("mobile", ""))
    customer = Customer.objects.create(station=station, **data)
    _save_contacts(customer=customer, contacts=contacts)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, by: Staff, contacts: list[dict] | None = None, **fields) -> Customer:
    data = {k: fields[k] for k in CUSTOMER_FIELDS if k in fields}
    if "mobile" in data:
        data["mobile"] = _clean_mobile(station=customer.station, mobile=data["mobile"], exclude_pk=customer.pk)
    for key, value in data.items():
        setattr(customer, key, value)
    customer.save()
    if contacts is not None:
        _save_contacts(customer=customer, contacts=contacts, replace=True)
    return customer


def _save_contacts(*, customer: Customer, contacts: list[dict] | None, replace: bool = False) -> None:
    if contacts is None:
        return
    if replace:
        customer.contacts.all().delete()
    for row in contacts:
        if not (row.get("name") or "").strip():
            continue
        mobile = v.normalise_mobile(row.get("mobile", ""))
        if mobile and not v.is_valid_mobile(mobile):
            raise DomainError(
                _("The mobile number of contact %(name)s is not a Chinese mobile number.") % {"name": row["name"]},
                field="contacts",
            )
        ContactPerson.objects.create(customer=customer, name=row["name"].strip(), role=row.get("role", ""),
                                     mobile=mobile)


def _clean_vehicle(*, station: Station, data: dict, exclude_pk: int | None = None) -> dict:
    if "vin" in data:
        vin = v.normalise_vin(data["vin"])
        problem = v.vin_problem(vin)
        if problem == "length":
            raise DomainError(_("A VIN has exactly 17 characters (this one has %(n)d).") % {"n": len(vin)}, field="vin")
        if problem == "characters":
            raise DomainError(_("A VIN uses digits and the letters A–Z except I, O and Q."), field="vin")
        if problem == "check_digit":
            raise DomainError(
                _("The VIN's check digit (9th character) should be %(digit)s: please check for a typing mistake.")
                % {"digit": v.vin_check_digit(vin)},
                field="vin",
            )
        existing = Vehicle.objects.filter(station=station, vin=vin).exclude(pk=exclude_pk).first()
        if existing is not None:
            raise DuplicateVehicle(_("This VIN is already on file (%(vehicle)s).") % {"vehicle": existing},
                                   existing=existing)
        data["vin"] = vin
    if "plate" in data:
        plate = v.normalise_plate(data["plate"] or "")
        if plate and not v.is_valid_plate(plate):
            raise DomainError(
                _("This is not a Chinese licence plate (e.g. 沪A12345, or 沪AD12345 for a new-energy vehicle)."),
                field="plate",
            )
        data["plate"] = plate
    return data


@transaction.atomic
def vehicle_create(
    *, station: Station, by: Staff, owner: Customer | None, mileage: int | None = None, **fields
) -> Vehicle:
    data = _clean_vehicle(station=station, data={k: fields[k] for k in VEHICLE_FIELDS if k in fields})
    vehicle = Vehicle.objects.create(station=station, owner=owner, **data)
    if owner is not None:
        VehicleOwnership.objects.create(vehicle=vehicle, customer=owner, since=timezone.localdate())
    if mileage:
        mileage_record(vehicle=vehicle, km=mileage, by=by)
    return vehicle


@transaction.atomic
def vehicle_update(*, vehicle: Vehicle, by: Staff, **fields) -> Vehicle:
    data = _clean_vehicle(station=vehicle.station, data={k: fields[k] for k in VEHICLE_FIELDS if k in fields},
                          exclude_pk=vehicle.pk)
    for key, value in data.items():
        setattr(vehicle, key, value)
    vehicle.save()
    return vehicle


@transaction.atomic
def vehicle_change_owner(*, vehicle: Vehicle, new_owner: Customer, by: Staff, on: date | None = None) -> Vehicle:
    """The vehicle changed hands: close the current ownership and open a new one."""
    if new_owner.station_id != vehicle.station_id:
        raise DomainError(_("The new owner must be a customer of the same station."), field="owner")
    if vehicle.owner_id == new_owner.pk:
        raise DomainError(_("This customer already owns the vehicle."), field="owner")
    on = on or timezone.localdate()
    VehicleOwnership.objects.filter(vehicle=vehicle, until__isnull=True).update(until=on)
    VehicleOwnership.objects.create(vehicle=vehicle, customer=new_owner, since=on)
    vehicle.owner = new_owner
    vehicle.save(update_fields=["owner", "updated_at"])
    return vehicle


def is_supervisor(staff: Staff | None, station_id: int) -> bool:
    return bool(staff and staff.is_active and staff.position in SUPERVISORS and staff.station_id == station_id)


@transaction.atomic
def mileage_record(*, vehicle: Vehicle, km: int, by: Staff, confirmed_by: Staff | None = None) -> MileageReading:
    """Record an odometer reading. A reading below the last one needs a supervisor's confirmation of an odometer
    change (front-desk lead or station manager of the vehicle's station)."""
    given, vehicle = vehicle, Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    km = int(km)
    if km < 0:
        raise DomainError(_("Mileage cannot be negative."), field="mileage")
    if km < vehicle.mileage:
        if confirmed_by is None:
            raise DomainError(
                _("%(km)s km is lower than the last reading (%(last)s km). If the odometer was changed, a front-desk "
                  "lead or the station manager must confirm it.") % {"km": km, "last": vehicle.mileage},
                field="mileage",
            )
        if not is_supervisor(confirmed_by, vehicle.station_id):
            raise DomainError(
                _("Only a front-desk lead or the station manager can confirm an odometer change."), field="mileage"
            )
    else:
        confirmed_by = None
    reading = MileageReading.objects.create(vehicle=vehicle, km=km, by=by, odometer_change_confirmed_by=confirmed_by)
    vehicle.mileage = km
    vehicle.save(update_fields=["mileage", "updated_at"])
    given.mileage = km
    return reading
