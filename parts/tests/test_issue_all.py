"""The pick list (issue 16, item 25): each line shows its bin, and "issue all" issues every line what it still needs
through the parts service — never more than the free stock (stock never negative), each move with who and when."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parts.models import StockBalance, StockMove
from parts.services.counter import parts_issue_all
from reception.factories import WorkOrderFactory, part_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_with_parts(station, alice, stocked, warehouse):
    plenty = stocked(qty="10", part_number="04152-YZZA1", name_zh="机油滤清器")
    scarce = stocked(qty="1", part_number="90915-YZZE1", name_zh="空气滤清器")
    StockBalance.objects.filter(warehouse=warehouse, part=plenty).update(bin_location="A-03-2")
    StockBalance.objects.filter(warehouse=warehouse, part=scarce).update(bin_location="B-11-4")
    order = WorkOrderFactory(station=station, advisor=alice, status="in_progress")
    first = part_line(order, part=plenty, qty="2")
    second = part_line(order, part=scarce, qty="3")
    return order, first, second


def test_issue_all_issues_what_is_free_and_reports_the_rest_short(order_with_parts, clerk, warehouse):
    order, first, second = order_with_parts
    moves, short = parts_issue_all(order=order, by=clerk)
    assert [(m.line_id, m.quantity) for m in moves] == [(first.pk, Decimal("-2")), (second.pk, Decimal("-1"))]
    assert all(m.by == clerk and m.at is not None for m in moves)
    assert short == [(second, Decimal("2"))]
    balances = dict(StockBalance.objects.filter(warehouse=warehouse).values_list("part_id", "on_hand"))
    assert balances[first.part_id] == Decimal("8") and balances[second.part_id] == Decimal("0")
    # again: nothing more to issue, nothing goes negative
    moves, short = parts_issue_all(order=order, by=clerk)
    assert moves == [] and short == [(second, Decimal("2"))]
    assert StockMove.objects.filter(line__order=order, kind=StockMove.Kind.ISSUE).count() == 2


def test_the_pick_page_shows_bins_and_issues_all(client_as, order_with_parts, clerk):
    order, first, second = order_with_parts
    client = client_as(clerk)
    body = client.get(reverse("parts:order_pick", args=[order.pk])).content.decode()
    assert "A-03-2" in body and "B-11-4" in body
    assert reverse("parts:order_issue_all", args=[order.pk]) in body
    response = client.post(reverse("parts:order_issue_all", args=[order.pk]), follow=True)
    body = response.content.decode()
    assert "90915-YZZE1" in body  # the line left short is named
    assert StockMove.objects.filter(line=first, kind=StockMove.Kind.ISSUE, by=clerk).exists()
