"""The lost-sales list (缺件记录): who recorded what and when, filters, the most-asked parts, station scoping."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from parts.factories import PartFactory
from parts.models import LostSale
from parts.services.counter import lost_sale_record

URL = reverse("parts:lost_sale_list")


def _at(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _lost(part, by, qty="1", outcome=LostSale.Outcome.LOST, at=None, note=""):
    row = lost_sale_record(part=part, quantity=Decimal(qty), by=by, outcome=outcome, note=note)
    if at is not None:
        LostSale.objects.filter(pk=row.pk).update(at=at)
    return row


def test_the_parts_lead_sees_each_lost_sale_with_who_recorded_it_and_when(client_as, station, clerk, lead):
    part = PartFactory(station=station, part_number="17801-0Y040", name_zh="空气滤芯")
    row = _lost(part, clerk, qty="2", note="客户等不及")
    response = client_as(lead).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "17801-0Y040" in content and "客户等不及" in content
    assert str(clerk) in content
    assert timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M") in content
    assert list(response.context["page"]) == [row]


def test_the_summary_ranks_the_most_asked_parts_by_times_then_quantity(client_as, station, stocked, clerk, lead):
    often = stocked(qty="3", part_number="04152-YZZA1")
    once_but_many = PartFactory(station=station, part_number="90919-01253")
    for qty in ("1", "2", "1"):
        _lost(often, clerk, qty=qty)
    _lost(once_but_many, clerk, qty="8", outcome=LostSale.Outcome.EMERGENCY)
    summary = client_as(lead).get(URL).context["summary"]
    assert [s["part__part_number"] for s in summary] == ["04152-YZZA1", "90919-01253"]
    assert (summary[0]["times"], summary[0]["quantity"], summary[0]["lost"]) == (3, Decimal("4"), 3)
    assert summary[0]["available"] == Decimal("3")
    assert (summary[1]["times"], summary[1]["emergency"], summary[1]["available"]) == (1, 1, Decimal("0"))


def test_the_default_period_is_the_last_thirty_days(client_as, station, clerk, lead):
    part = PartFactory(station=station)
    recent = _lost(part, clerk)
    _lost(part, clerk, at=timezone.now() - timedelta(days=40))
    response = client_as(lead).get(URL)
    assert list(response.context["page"]) == [recent]
    assert response.context["summary"][0]["times"] == 1


def test_the_period_includes_both_days_in_local_time(client_as, station, clerk, lead):
    part = PartFactory(station=station)
    day = timezone.localdate() - timedelta(days=5)
    late = _lost(part, clerk, at=_at(day, 23, 30))
    _lost(part, clerk, at=_at(day + timedelta(days=1), 0, 10))
    _lost(part, clerk, at=_at(day - timedelta(days=1), 23, 59))
    response = client_as(lead).get(URL, {"date_from": day.isoformat(), "date_to": day.isoformat()})
    assert list(response.context["page"]) == [late]


def test_filters_by_outcome_and_part_number(client_as, station, clerk, lead):
    oil = PartFactory(station=station, part_number="04152-YZZA1")
    plug = PartFactory(station=station, part_number="90919-01253")
    _lost(oil, clerk)
    emergency = _lost(oil, clerk, outcome=LostSale.Outcome.EMERGENCY)
    plug_row = _lost(plug, clerk)
    client = client_as(lead)
    assert list(client.get(URL, {"outcome": "emergency"}).context["page"]) == [emergency]
    assert list(client.get(URL, {"part_number": "90919"}).context["page"]) == [plug_row]
    summary = client.get(URL, {"part_number": "04152-yzza1"}).context["summary"]
    assert [(s["part__part_number"], s["times"]) for s in summary] == [("04152-YZZA1", 2)]


def test_an_end_before_the_start_is_shown_at_the_field_and_lists_nothing(client_as, station, clerk, lead):
    _lost(PartFactory(station=station), clerk)
    today = timezone.localdate()
    response = client_as(lead).get(URL, {"date_from": today.isoformat(),
                                         "date_to": (today - timedelta(days=3)).isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == ["The end of the period is before its start."]
    assert "The end of the period is before its start." in response.content.decode()
    assert not list(response.context["page"]) and not response.context["summary"]


def test_another_stations_lost_sales_are_not_listed(client_as, station, other_station, clerk, lead, make_staff):
    _lost(PartFactory(station=station, part_number="04152-OURS"), clerk)
    foreign_clerk = make_staff("parts_clerk", station=other_station, username="otto")
    _lost(PartFactory(station=other_station, part_number="04152-THEIRS"), foreign_clerk)
    response = client_as(lead).get(URL)
    content = response.content.decode()
    assert "04152-OURS" in content and "04152-THEIRS" not in content
    assert [s["part__part_number"] for s in response.context["summary"]] == ["04152-OURS"]


def test_the_list_is_paginated_and_the_pages_keep_the_filters(client_as, station, clerk, lead):
    part = PartFactory(station=station)
    LostSale.objects.bulk_create(
        LostSale(station=station, part=part, quantity=Decimal("1"), by=clerk, outcome=LostSale.Outcome.LOST)
        for _ in range(51)
    )
    client = client_as(lead)
    first = client.get(URL, {"outcome": "lost"})
    assert len(first.context["page"]) == 50 and first.context["page"].has_next()
    assert "outcome=lost" in first.context["query"] and "page=" not in first.context["query"]
    assert len(client.get(URL, {"outcome": "lost", "page": "2"}).context["page"]) == 1
    assert first.context["summary"][0]["times"] == 51  # the summary counts the whole period, not one page


def test_a_technician_may_not_see_the_lost_sales(client_as, bob):
    assert client_as(bob).get(URL).status_code == 403


def test_the_parts_nav_links_to_the_lost_sales(client_as, clerk):
    assert URL in client_as(clerk).get(reverse("parts:index")).content.decode()


def test_the_page_reads_in_chinese(client_as, station, clerk, lead):
    _lost(PartFactory(station=station), clerk)
    client = client_as(lead)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    content = client.get(URL).content.decode()
    assert "缺件记录" in content and "缺件次数" in content and "流失销售" in content
