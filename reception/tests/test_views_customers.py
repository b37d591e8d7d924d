from django.urls import reverse

from reception.models import Customer, Vehicle
from reception.services.validation import with_check_digit


def test_the_advisor_creates_a_customer(client_as, alice):
    response = client_as(alice).post(reverse("reception:customer_create"), {
        "kind": "individual", "name": "周女士", "mobile": "13600001111", "preferred_language": "zh-hans",
        "contact_consent": "on", "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
    })
    customer = Customer.objects.get(name="周女士")
    assert response.status_code == 302 and response["Location"] == reverse("reception:customer_detail",
                                                                           args=[customer.pk])


def test_a_duplicate_mobile_shows_a_link_to_the_existing_customer(client_as, alice, customer):
    response = client_as(alice).post(reverse("reception:customer_create"), {
        "kind": "individual", "name": "别人", "mobile": customer.mobile, "preferred_language": "zh-hans",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert reverse("reception:customer_detail", args=[customer.pk]) in body
    assert 'value="别人"' in body and Customer.objects.count() == 1


def test_a_wrong_vin_is_shown_at_the_field(client_as, alice, customer):
    vin = with_check_digit("LSVAU2180N2123456")
    wrong = vin[:8] + ("1" if vin[8] != "1" else "2") + vin[9:]
    response = client_as(alice).post(reverse("reception:vehicle_create", args=[customer.pk]),
                                     {"vin": wrong, "plate": "沪A99999"})
    assert response.status_code == 400
    assert f'value="{wrong}"' in response.content.decode()
    assert "check digit" in response.context["form"].errors["vin"][0]
    assert not Vehicle.objects.exists()


def test_the_customer_page_shows_vehicles_and_orders(client_as, alice, customer, vehicle, order):
    response = client_as(alice).get(reverse("reception:customer_detail", args=[customer.pk]))
    body = response.content.decode()
    assert vehicle.plate in body and order.number in body


def test_another_stations_customer_is_not_found(client_as, mallory, customer):
    assert client_as(mallory).get(reverse("reception:customer_detail", args=[customer.pk])).status_code == 404


def test_the_vehicle_page_shows_the_owner_history(client_as, alice, vehicle):
    response = client_as(alice).get(reverse("reception:vehicle_detail", args=[vehicle.pk]))
    assert response.status_code == 200 and vehicle.vin in response.content.decode()


def test_a_lower_mileage_needs_the_supervisors_password(client_as, alice, frank, vehicle):
    client = client_as(alice)
    url = reverse("reception:vehicle_mileage", args=[vehicle.pk])
    refused = client.post(url, {"mileage": 10})
    assert "lower than the last reading" in refused.context["form"].errors["mileage"][0]
    wrong = client.post(url, {"mileage": 10, "supervisor_username": frank.username, "supervisor_password": "nope"})
    assert wrong.context["form"].errors["supervisor_password"]
    ok = client.post(url, {"mileage": 10, "supervisor_username": frank.username,
                           "supervisor_password": "test-pass-2026"})
    assert ok.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.mileage == 10


def test_search_finds_by_plate_vin_tail_phone_and_name(client_as, alice, vehicle, customer):
    client = client_as(alice)
    for q in ("沪A123", vehicle.vin[-6:], "1381234", "王先"):
        body = client.get(reverse("reception:search"), {"q": q}).content.decode()
        assert vehicle.plate in body or customer.name in body, q


def test_search_as_you_type_returns_a_fragment(client_as, alice, vehicle):
    response = client_as(alice).get(reverse("reception:search"), {"q": "沪A12"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode() and vehicle.plate in response.content.decode()


def test_search_does_not_show_other_stations(client_as, mallory, vehicle):
    body = client_as(mallory).get(reverse("reception:search"), {"q": vehicle.plate}).content.decode()
    assert reverse("reception:vehicle_detail", args=[vehicle.pk]) not in body
