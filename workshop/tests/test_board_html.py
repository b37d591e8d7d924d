"""The board's cards are built with f-strings for speed (workshop.board.html), so every text they print must come out
inert: a plate, an order number, a model, an advisor, a technician or a bay code carrying markup is shown as text,
never run and never able to leave its attribute."""

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from org.models import Staff
from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory, WorkOrderLineFactory
from reception.models import Concern, WorkOrder
from workshop.board import html
from workshop.board.data import BoardOrder, OrderRow
from workshop.factories import BayFactory
from workshop.models import Bay
from workshop.services.dispatch import job_dispatch

HOSTILE = "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>"


class _Elements(HTMLParser):
    """The elements, attributes and text of a fragment as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def _read(fragment: str) -> _Elements:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def _assert_inert(fragment: str, *texts: str, tags: set[str]) -> None:
    """Only the builder's own elements and attributes; every given text printed whole, as text."""
    read = _read(fragment)
    assert read.tags <= tags, read.tags - tags
    assert {name for name, _value in read.attrs} <= {"class", "data-order", "title", "style", "role", "aria-label",
                                                     "id", "hx-get", "hx-trigger", "hx-swap", "data-poll",
                                                     "data-testid", "href"}
    assert not any(name.startswith("on") for name, _value in read.attrs)
    shown = "".join(read.text)
    for text in texts:
        assert text in shown, text


def _item(**order) -> BoardOrder:
    row = OrderRow(
        pk=1, status=WorkOrder.Status.IN_PROGRESS, promised_at=None, opened_at=timezone.now(),
        number="number " + HOSTILE, plate="plate " + HOSTILE, model="model " + HOSTILE,
        advisor="advisor " + HOSTILE, promised_label="promised " + HOSTILE, concerns=["concern " + HOSTILE], **order,
    )
    return BoardOrder(
        order=row, jobs=[], technicians=[Staff(username="t", display_name="technician " + HOSTILE)],
        bays=[Bay(code="bay " + HOSTILE)], remaining_hours=Decimal("1"), risk="late", waiting_parts=True,
        waiting_approval=True, unassigned=2, rework=1,
    )


def test_every_text_on_a_card_comes_out_as_text():
    fragment = html.cards([_item()])
    assert "<script" not in fragment and "<img" not in fragment
    _assert_inert(
        fragment, "number " + HOSTILE, "plate " + HOSTILE, "model " + HOSTILE, "advisor " + HOSTILE,
        "promised " + HOSTILE, "technician " + HOSTILE, "bay " + HOSTILE, "concern " + HOSTILE[:20],
        tags={"div", "strong", "span", "i"},
    )


def test_the_dispatch_link_prints_only_the_order_id():
    fragment = html.card(_item(), "/workshop/dispatch/order/{}/?next=/workshop/board/")
    read = _read(fragment)
    assert ("href", "/workshop/dispatch/order/1/?next=/workshop/board/") in read.attrs
    assert read.tags == {"div", "strong", "span", "i", "a"}


def test_the_order_number_cannot_leave_its_attribute():
    fragment = html.card(_item())
    read = _read(fragment)
    assert ("data-order", "number " + HOSTILE) in read.attrs


def test_a_column_without_orders_is_empty():
    assert html.cards([]) == ""


# Through the page: the board, its htmx refresh and the dispatch list, with hostile rows in the database (field
# lengths as the models allow them, so this runs on PostgreSQL too).
PLATE = "<script>x'&\""  # 12 characters, the column's limit
NUMBER = '"><img onerror=x>'
CUSTOMER = "<script>alert('customer')</script>"
MODEL = "<img src=x onerror=alert('model')>"
TECHNICIAN = "<script>alert('technician')</script>&"
CONCERN = "<script>alert('concern')</script>"


@pytest.fixture
def hostile_order(station, alice, make_staff, dispatcher):
    customer = CustomerFactory(station=station, name=CUSTOMER)
    vehicle = VehicleFactory(station=station, owner=customer, plate=PLATE, model=MODEL)
    order = WorkOrderFactory(
        station=station, advisor=alice, customer=customer, vehicle=vehicle, number=NUMBER,
        status=WorkOrder.Status.IN_PROGRESS, promised_at=timezone.now() + timedelta(hours=3),
    )
    line = WorkOrderLineFactory(order=order, labour=True)
    Concern.objects.create(order=order, text=CONCERN)
    technician = make_staff("technician", username="eve", display_name=TECHNICIAN)
    job_dispatch(line=line, technicians=[technician], bay=BayFactory(station=station, code="<b>&"), by=dispatcher)
    return order


@pytest.mark.django_db
def test_a_script_plate_and_customer_name_are_inert_on_the_board(client_as, dispatcher, hostile_order):
    client = client_as(dispatcher)
    fragment = client.get(reverse("workshop:board"), HTTP_HX_REQUEST="true").content.decode()
    _assert_inert(fragment, PLATE, NUMBER, MODEL, TECHNICIAN, CONCERN,
                  tags={"div", "strong", "span", "i", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "a"})
    page = client.get(reverse("workshop:board")).content.decode()
    for text in (PLATE, NUMBER, CUSTOMER, MODEL, TECHNICIAN, "<b>&", CONCERN):
        assert text not in fragment and text not in page


@pytest.mark.django_db
def test_a_script_plate_and_customer_name_are_inert_on_the_dispatch_list(client_as, dispatcher, hostile_order):
    page = client_as(dispatcher).get(reverse("workshop:dispatch")).content.decode()
    assert "&lt;script&gt;x" in page  # the plate is shown, escaped
    for text in (PLATE, NUMBER, CUSTOMER, MODEL, TECHNICIAN, CONCERN):
        assert text not in page
