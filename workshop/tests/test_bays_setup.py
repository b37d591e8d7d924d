"""The station's bays as set up on the first-run checklist: codes unique in the station (refused at the field, in
the page too), a bay switched off rather than deleted and no longer offered at dispatch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import DomainError
from workshop.factories import BayFactory
from workshop.forms import DispatchForm
from workshop.models import Bay
from workshop.selectors import bay_count
from workshop.services.bays import bay_create, bay_update

pytestmark = pytest.mark.django_db


def test_a_bay_code_is_unique_in_its_station_only(station, other_station, carol):
    bay_create(station=station, by=carol, code="L01", name="1号举升机")
    with pytest.raises(DomainError) as refused:
        bay_create(station=station, by=carol, code="l01", name="又一个")
    assert refused.value.field == "code"
    assert bay_create(station=other_station, by=carol, code="L01", name="B站1号").station == other_station
    assert Bay.objects.filter(station=station).count() == 1


def test_renaming_to_another_bays_code_is_refused_and_nothing_changes(station, carol):
    first = BayFactory(station=station, code="L01", name="一")
    second = BayFactory(station=station, code="L02", name="二")
    with pytest.raises(DomainError) as refused:
        bay_update(bay=second, by=carol, code="L01", name="改", kind="lift", is_active=True)
    assert refused.value.field == "code"
    second.refresh_from_db()
    assert (second.code, second.name) == ("L02", "二")
    assert bay_update(bay=first, by=carol, code="L01", name="一号", kind="alignment", is_active=True).kind == "alignment"


def test_a_bay_switched_off_is_not_offered_at_dispatch_nor_counted(station, carol):
    bay = BayFactory(station=station, code="L01")
    assert bay_count(station) == 1
    bay_update(bay=bay, by=carol, code="L01", name=bay.name, kind=bay.kind, is_active=False)
    assert bay_count(station) == 0
    assert not DispatchForm(station=station).fields["bay"].queryset.filter(pk=bay.pk).exists()
    assert Bay.objects.filter(pk=bay.pk).exists()  # kept, with its history


def test_the_page_shows_a_duplicate_code_at_the_field_and_keeps_the_input(client, station, carol):
    BayFactory(station=station, code="L01")
    client.force_login(carol)
    response = client.post(reverse("workshop:bays"), {"code": "L01", "name": "重复的工位", "kind": "lift"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["code"] == ["This station already has a bay with code L01."]
    assert form["name"].value() == "重复的工位"


def test_the_edit_page_switches_a_bay_off(client, station, carol):
    bay = BayFactory(station=station, code="L01", name="一")
    client.force_login(carol)
    response = client.post(reverse("workshop:bay_edit", args=[bay.pk]), {"code": "L01", "name": "一", "kind": "lift"})
    assert response.status_code == 302
    bay.refresh_from_db()
    assert not bay.is_active


def test_another_stations_bay_is_not_found(client, station, other_station, carol):
    bay = BayFactory(station=other_station, code="L09", name="B站")
    client.force_login(carol)
    assert client.get(reverse("workshop:bay_edit", args=[bay.pk])).status_code == 404
    assert client.post(reverse("workshop:bay_edit", args=[bay.pk]),
                       {"code": "X", "name": "x", "kind": "lift", "is_active": "on"}).status_code == 404
    bay.refresh_from_db()
    assert bay.code == "L09"
