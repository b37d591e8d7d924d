from django.urls import reverse

from core.models import AccessDenial
from org.factories import StaffFactory


def test_manager_gets_404_for_staff_of_another_station(client_as, carol, mallory):
    response = client_as(carol).get(reverse("org:staff_edit", args=[mallory.pk]))
    assert response.status_code == 404
    assert AccessDenial.objects.filter(user=carol, reason="scope").exists()


def test_directory_lists_only_my_station(client_as, alice, mallory):
    response = client_as(alice).get(reverse("org:directory"))
    assert "alice" in response.content.decode()
    assert "mallory" not in response.content.decode()


def test_group_director_sees_every_station_of_the_group(client_as, alice, mallory, station):
    director = StaffFactory(username="boss", position="group_director", station=None, group=station.group)
    body = client_as(director).get(reverse("org:directory")).content.decode()
    assert "alice" in body and "mallory" in body


def test_regional_manager_sees_only_their_region(client_as, station, other_station, alice, mallory):
    from org.factories import RegionFactory

    region = RegionFactory(group=station.group)
    station.region = region
    station.save()
    rm = StaffFactory(username="rm", position="regional_manager", station=None, group=station.group, region=region)
    body = client_as(rm).get(reverse("org:directory")).content.decode()
    assert "alice" in body and "mallory" not in body


def test_denied_access_is_logged(client_as, bob):
    response = client_as(bob).get(reverse("org:staff_create"))
    assert response.status_code == 403
    denial = AccessDenial.objects.get(user=bob)
    assert denial.action == "org.manage" and denial.path == reverse("org:staff_create")
