from django.urls import reverse
from django.utils import timezone

from reception.factories import AppointmentFactory


def test_the_desk_page_shows_my_appointments_orders_and_the_search_box(client_as, alice, station, customer, vehicle,
                                                                       order):
    AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice,
                       start=timezone.now().replace(hour=23, minute=0) if timezone.localtime().hour < 23
                       else timezone.now())
    response = client_as(alice).get(reverse("reception:index"))
    body = response.content.decode()
    assert order.number in body
    assert 'name="q"' in body and "data-poll" in body
    assert response.context["orders_by_state"][0][0] == "draft"


def test_the_desk_panel_is_a_fragment(client_as, alice):
    response = client_as(alice).get(reverse("reception:desk_panel"))
    assert response.status_code == 200 and "<html" not in response.content.decode()


def test_the_lead_sees_approvals_waiting_on_the_desk(client_as, alice, frank, order):
    from decimal import Decimal

    from reception.services import discounts, orders

    line = orders.line_add_sublet(order=order, by=alice, description="钣金", unit_price=Decimal("1000"))
    discounts.discount_request(line=line, by=alice, pct=Decimal("12"))
    response = client_as(frank).get(reverse("reception:index"))
    assert len(response.context["waiting"]) == 1
