
import pytest

from core.errors import DomainError
from reception.factories import CustomerFactory
from reception.models import Customer, VehicleOwnership
from reception.services import customers as services
from reception.services.validation import with_check_digit


def test_a_customer_is_created_with_a_normalised_mobile(station, alice):
    c = services.customer_create(station=station, by=alice, name="李女士", mobile="138 0000 1111")
    assert c.mobile == "13800001111"


def test_a_customer_needs_a_chinese_mobile(station, alice):
    with pytest.raises(DomainError) as exc:
        services.customer_create(station=station, by=alice, name="李女士", mobile="12345")
    assert exc.value.field == "mobile"


def test_a_duplicate_mobile_names_the_existing_customer(station, alice, customer):
    with pytest.raises(services.DuplicateCustomer) as exc:
        services.customer_create(station=station, by=alice, name="别人", mobile=customer.mobile)
    assert exc.value.existing == customer
    assert exc.value.field == "mobile"


def test_the_same_mobile_may_exist_in_another_station(station, other_station, alice, customer):
    services.customer_create(station=other_station, by=alice, name="王先生", mobile=customer.mobile)
    assert Customer.objects.filter(mobile=customer.mobile).count() == 2


def test_a_fleet_customer_keeps_its_contact_persons(station, alice):
    c = services.customer_create(station=station, by=alice, name="顺丰车队", mobile="13911112222", kind="fleet",
                                 contacts=[{"name": "赵经理", "role": "车队长", "mobile": "13900001111"},
                                           {"name": "", "role": "", "mobile": ""}])
    assert [p.name for p in c.contacts.all()] == ["赵经理"]


def test_a_vehicle_with_a_wrong_check_digit_is_refused_at_the_vin_field(station, alice, customer):
    vin = with_check_digit("LSVAU2180N2123456")
    wrong = vin[:8] + ("1" if vin[8] != "1" else "2") + vin[9:]
    with pytest.raises(DomainError) as exc:
        services.vehicle_create(station=station, by=alice, owner=customer, vin=wrong, plate="沪A54321")
    assert exc.value.field == "vin"
    assert vin[8] in exc.value.message


def test_a_vehicle_needs_a_chinese_plate(station, alice, customer):
    with pytest.raises(DomainError) as exc:
        services.vehicle_create(station=station, by=alice, owner=customer, vin=with_check_digit("LSVAU2180N2123456"),
                                plate="XYZ")
    assert exc.value.field == "plate"


def test_a_new_vehicle_starts_its_owner_history_and_mileage(station, alice, customer):
    v = services.vehicle_create(station=station, by=alice, owner=customer, vin=with_check_digit("LSVAU2180N2123456").lower(),
                                plate="沪ad12345", mileage=1500)
    assert v.vin.startswith("LSVAU") and v.plate == "沪AD12345"
    assert v.mileage == 1500
    assert VehicleOwnership.objects.get(vehicle=v).customer == customer


def test_a_lower_mileage_is_refused(vehicle, alice):
    with pytest.raises(DomainError) as exc:
        services.mileage_record(vehicle=vehicle, km=100, by=alice)
    assert exc.value.field == "mileage"


def test_an_advisor_cannot_confirm_an_odometer_change(vehicle, alice, make_staff):
    other_advisor = make_staff("service_advisor")
    with pytest.raises(DomainError):
        services.mileage_record(vehicle=vehicle, km=100, by=alice, confirmed_by=other_advisor)


def test_a_front_desk_lead_confirms_an_odometer_change(vehicle, alice, frank):
    reading = services.mileage_record(vehicle=vehicle, km=100, by=alice, confirmed_by=frank)
    vehicle.refresh_from_db()
    assert vehicle.mileage == 100
    assert reading.odometer_change_confirmed_by == frank


def test_a_supervisor_of_another_station_cannot_confirm(vehicle, alice, make_staff, other_station):
    lead = make_staff("front_desk_lead", station=other_station)
    with pytest.raises(DomainError):
        services.mileage_record(vehicle=vehicle, km=100, by=alice, confirmed_by=lead)


def test_a_higher_mileage_is_recorded_without_confirmation(vehicle, alice):
    services.mileage_record(vehicle=vehicle, km=25000, by=alice)
    vehicle.refresh_from_db()
    assert vehicle.mileage == 25000


def test_a_vehicle_changes_hands_and_keeps_its_history(station, alice, vehicle, customer):
    VehicleOwnership.objects.create(vehicle=vehicle, customer=customer, since="2024-01-01")
    buyer = CustomerFactory(station=station)
    services.vehicle_change_owner(vehicle=vehicle, new_owner=buyer, by=alice)
    vehicle.refresh_from_db()
    assert vehicle.owner == buyer
    history = list(vehicle.ownerships.order_by("id").values_list("customer_id", "until"))
    assert history[0][0] == customer.pk and history[0][1] is not None
    assert history[1] == (buyer.pk, None)


