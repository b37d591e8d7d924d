"""The first-run set-up (/setup/): from an empty database and a superuser to a station whose manager can log in, and
the rules of the set-up services (a duplicate code refused at the field, a group only by the superuser, another
group's and station's rows not found)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import DomainError
from org import services
from org.factories import DealerGroupFactory, RegionFactory, StaffFactory, StationFactory
from org.models import DealerGroup, Position, Staff, StaffEvent, Station
from parts.models import PartsEvent, Supplier, Warehouse
from workshop.models import Bay

pytestmark = pytest.mark.django_db

STATION_POST = {
    "code": "sh-pudong", "name": "上海东方丰田浦东4S店", "name_en": "Dongfang Toyota Pudong",
    "address": "上海市浦东新区龙阳路1888号", "address_en": "", "phone": "021-5888 6666",
    "email": "service.pd@example.com", "tax_id": "91310115MA1K3XXXXA", "vat_rate": "0.130",
    "comeback_window_days": "30", "region": "",
}


def _login(client, username: str, password: str) -> None:
    """Through the real login form (the login backend needs the request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "login failed"


@pytest.fixture
def root(db):
    return Staff.objects.create_superuser("root", "root@example.com", "Root-pass-2026!")


# --- services ---------------------------------------------------------------------------------------------------


def test_a_group_code_is_unique_whatever_the_case(root):
    services.dealer_group_create(by=root, code="dongfang", name="东方汽车服务集团")
    with pytest.raises(DomainError) as refused:
        services.dealer_group_create(by=root, code="DongFang", name="另一个")
    assert refused.value.field == "code"
    assert DealerGroup.objects.count() == 1


def test_only_the_superuser_creates_a_group():
    director = StaffFactory(position=Position.GROUP_DIRECTOR, station=None, group=DealerGroupFactory())
    with pytest.raises(DomainError) as refused:
        services.dealer_group_create(by=director, code="mine", name="我的集团")
    assert refused.value.field == "code"
    assert not DealerGroup.objects.filter(code="mine").exists()


def test_a_station_code_is_unique_and_the_audit_row_says_who(root):
    group = services.dealer_group_create(by=root, code="dongfang", name="东方")
    station = services.station_create(by=root, group=group, code="sh-pudong", name="浦东店", phone="021-1")
    with pytest.raises(DomainError) as refused:
        services.station_create(by=root, group=group, code="SH-PUDONG", name="另一个")
    assert refused.value.field == "code"
    event = StaffEvent.objects.get(station=station, kind=StaffEvent.Kind.STATION)
    assert event.by == root and "sh-pudong" in event.note


def test_a_group_director_adds_stations_only_to_their_own_group():
    mine, theirs = DealerGroupFactory(code="mine"), DealerGroupFactory(code="theirs")
    director = StaffFactory(position=Position.GROUP_DIRECTOR, station=None, group=mine)
    assert services.station_create(by=director, group=mine, code="m1", name="一店").group == mine
    with pytest.raises(DomainError):
        services.station_create(by=director, group=theirs, code="t1", name="别人的店")
    assert not Station.objects.filter(code="t1").exists()


def test_a_region_of_another_group_is_refused_at_the_field(root):
    group = services.dealer_group_create(by=root, code="g1", name="一")
    other_region = RegionFactory(group=DealerGroupFactory(code="g2"))
    with pytest.raises(DomainError) as refused:
        services.station_create(by=root, group=group, code="s1", name="站", region=other_region)
    assert refused.value.field == "region"


def test_a_station_update_records_what_changed(root):
    station = StationFactory(code="s1", phone="021-1")
    services.station_update(by=root, station=station, phone="021-2", name="新名字", is_active=False)
    station.refresh_from_db()
    assert (station.phone, station.name, station.is_active, station.code) == ("021-2", "新名字", False, "s1")
    note = StaffEvent.objects.filter(station=station, kind=StaffEvent.Kind.STATION).latest("at").note
    assert "phone: 021-1 → 021-2" in note


# --- the whole first run through the pages ---------------------------------------------------------------------------


def test_first_run_from_an_empty_database_to_a_manager_who_sees_the_station(client, root):
    assert not Station.objects.exists()
    _login(client, "root", "Root-pass-2026!")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("setup:index")

    page = client.get(reverse("setup:index"))
    assert page.status_code == 200
    steps = {s.key: s for s in page.context["steps"]}
    assert list(steps) == ["group", "stations", "bays", "warehouses", "suppliers", "manager"]
    assert not any(s.done for s in steps.values())
    assert page.context["next_step"].url == reverse("setup:group_create")

    # 1 the group
    response = client.post(reverse("setup:group_create"),
                           {"code": "dongfang", "name": "东方汽车服务集团", "name_en": "Dongfang Auto Service Group"})
    assert response.status_code == 302
    group = DealerGroup.objects.get()
    assert client.get(reverse("setup:index")).context["next_step"].url == reverse("setup:station_create")

    # 2 a station (a duplicate code comes back at the field with what was typed)
    response = client.post(reverse("setup:station_create"), STATION_POST)
    assert response.status_code == 302
    station = Station.objects.get()
    assert (station.group, station.name_en, station.tax_id) == (group, "Dongfang Toyota Pudong", "91310115MA1K3XXXXA")
    again = client.post(reverse("setup:station_create"), {**STATION_POST, "name": "重复"})
    assert again.status_code == 400
    assert again.context["form"].errors["code"] == ["A station with this code already exists."]
    assert again.context["form"]["name"].value() == "重复"
    assert client.get(reverse("setup:index")).context["next_step"].url == reverse("workshop:bays")

    # 3 a bay, 4 a warehouse, 5 a supplier — each on its app's page, for the station worked in
    assert client.post(reverse("workshop:bays"), {"code": "L01", "name": "1号举升机", "kind": "lift"}).status_code == 302
    assert client.post(reverse("parts:warehouses"), {"code": "MAIN", "name": "总库"}).status_code == 302
    assert client.post(reverse("parts:suppliers"),
                       {"code": "TTC", "name": "丰田纺织配件中心", "lead_days": "2"}).status_code == 302
    assert Bay.objects.get().station == station
    assert Warehouse.objects.get().is_main
    assert Supplier.objects.get().lead_days == 2
    page = client.get(reverse("setup:index"))
    steps = {s.key: s for s in page.context["steps"]}
    assert [k for k, s in steps.items() if not s.done] == ["manager"]
    assert (steps["bays"].count, steps["warehouses"].count, steps["suppliers"].count) == (1, 1, 1)

    # 6 the station manager's login, through the staff form the checklist links to
    hire = page.context["next_step"].url
    form_page = client.get(hire)
    assert form_page.status_code == 200
    assert form_page.context["form"]["position"].value() == Position.STATION_MANAGER
    assert form_page.context["form"]["station"].value() == station.pk
    response = client.post(hire, {
        "display_name": "王建国", "username": "wang", "position": "station_manager", "station": station.pk,
        "password": "Manager-pass-2026!", "phone": "", "email": "", "employee_no": "", "reports_to": "",
    })
    assert response.status_code == 302 and response["Location"] == reverse("setup:index")
    page = client.get(reverse("setup:index"))
    assert page.context["all_done"]
    assert b'id="setup-done"' in page.content
    assert client.get("/").status_code == 302  # a superuser with a station no longer lands on the set-up

    # The manager logs in, lands on their station's pages and sees the bay set up for it.
    client.logout()
    _login(client, "wang", "Manager-pass-2026!")
    assert client.get("/")["Location"] == reverse("kpi:index")
    bays = client.get(reverse("workshop:bays"))
    assert bays.status_code == 200 and "1号举升机" in bays.content.decode()
    assert client.get(reverse("setup:index")).status_code == 200
    assert client.get(reverse("setup:station_create")).status_code == 403


def test_the_checklist_is_translated(client, root):
    client.force_login(root)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("setup:index"))
    body = page.content.decode()
    assert "经销商集团" in body and "维修站" in body and "工位" in body and "仓库" in body and "供应商" in body


# --- who may do what, and isolation ----------------------------------------------------------------------------------


def test_a_station_manager_sets_up_only_their_own_station(client):
    a = StationFactory(code="a")
    b = StationFactory(code="b", group=a.group)
    bay_b = Bay.objects.create(station=b, code="B1", name="B站举升机")
    supplier_b = Supplier.objects.create(station=b, code="S", name="B站供应商")
    manager_a = StaffFactory(username="manager-a", position=Position.STATION_MANAGER, station=a)
    client.force_login(manager_a)
    for name, pk in (("workshop:bay_edit", bay_b.pk), ("parts:supplier_edit", supplier_b.pk),
                     ("setup:station_edit", b.pk)):
        url = reverse(name, args=[pk])
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"code": "X", "name": "改名", "kind": "lift", "lead_days": "1"}).status_code in (403, 404)
    assert client.get(reverse("workshop:bay_edit", args=[bay_b.pk])).status_code == 404
    bay_b.refresh_from_db()
    supplier_b.refresh_from_db()
    assert (bay_b.name, supplier_b.name) == ("B站举升机", "B站供应商")
    # Adding a bay goes to the manager's own station.
    client.post(reverse("workshop:bays"), {"code": "A1", "name": "A站举升机", "kind": "lift"})
    assert Bay.objects.get(code="A1").station == a


def test_a_group_director_edits_their_group_and_not_another(client):
    mine = StationFactory(code="mine-1", group=DealerGroupFactory(code="mine"))
    theirs = StationFactory(code="theirs-1", group=DealerGroupFactory(code="theirs"))
    director = StaffFactory(username="dir", position=Position.GROUP_DIRECTOR, station=None, group=mine.group)
    client.force_login(director)
    assert client.post(reverse("setup:group_edit", args=[mine.group_id]),
                       {"name": "我的集团", "name_en": "Mine"}).status_code == 302
    assert DealerGroup.objects.get(code="mine").name == "我的集团"
    assert client.post(reverse("setup:group_edit", args=[theirs.group_id]), {"name": "x"}).status_code == 404
    assert client.get(reverse("setup:station_edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("setup:group_create")).status_code == 403
    # A new station goes to the director's group, whatever group is posted.
    response = client.post(reverse("setup:station_create"), {**STATION_POST, "code": "mine-2", "group": theirs.group_id})
    assert response.status_code == 302
    assert Station.objects.get(code="mine-2").group == mine.group


def test_a_group_director_without_stations_lands_on_the_setup(client):
    director = StaffFactory(username="dir", position=Position.GROUP_DIRECTOR, station=None,
                            group=DealerGroupFactory(code="empty"))
    client.force_login(director)
    assert client.get("/")["Location"] == reverse("setup:index")


def test_the_parts_and_workshop_pages_record_who_changed_what(client):
    station = StationFactory(code="a")
    manager = StaffFactory(username="m", position=Position.STATION_MANAGER, station=station)
    client.force_login(manager)
    client.post(reverse("parts:warehouses"), {"code": "MAIN", "name": "总库"})
    client.post(reverse("parts:suppliers"), {"code": "S1", "name": "供应商一", "lead_days": "3"})
    kinds = set(PartsEvent.objects.filter(station=station, by=manager).values_list("kind", flat=True))
    assert kinds == {"warehouse.created", "supplier.created"}
