"""org.auth_backend.StaffBackend: the person, their station, whether they have extra stations and the bell's unread
count come in the one query that loads them, and the pages use what it read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from core.notifications import UNREAD_ATTR, notification_mark_all_read, notification_send
from org.auth_backend import StaffBackend
from org.selectors import HAS_EXTRA_ATTR, visible_station_ids


def _note(staff, n):
    return notification_send(channel="in_app", to_staff=staff, subject=f"note {n}", body="")


def test_the_person_comes_with_their_unread_count_and_whether_they_have_extra_stations(make_staff, other_station):
    alice = make_staff("service_advisor", username="alice")
    loaded = StaffBackend().get_user(alice.pk)
    assert getattr(loaded, UNREAD_ATTR) == 0 and getattr(loaded, HAS_EXTRA_ATTR) is False
    _note(alice, 1), _note(alice, 2)
    Notification.objects.filter(pk=_note(alice, 3).pk).update(status=Notification.Status.READ)
    alice.extra_stations.add(other_station)
    loaded = StaffBackend().get_user(alice.pk)
    assert getattr(loaded, UNREAD_ATTR) == 2 and getattr(loaded, HAS_EXTRA_ATTR) is True
    assert visible_station_ids(loaded) == {alice.station_id, other_station.pk}


def test_without_extra_stations_the_visible_stations_cost_no_query(make_staff):
    alice = StaffBackend().get_user(make_staff("service_advisor", username="alice").pk)
    with CaptureQueriesContext(connection) as queries:
        assert visible_station_ids(alice) == {alice.station_id}
    assert len(queries) == 0


def test_the_bell_shows_the_count_read_with_the_person_and_a_change_in_the_request_counts_again(client_as, make_staff):
    alice = make_staff("service_advisor", username="alice")
    _note(alice, 1), _note(alice, 2)
    client = client_as(alice)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("org:notifications")).content.decode()
    assert 'data-testid="bell"' in page and "Notifications: 2 unread" in page
    # the page lists the notifications and counts them for its heading; the bell counted nothing of its own
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 2, counts
    notification_mark_all_read(by=alice)
    assert not hasattr(alice, UNREAD_ATTR)
    assert "Notifications: none unread" in client.get(reverse("org:notifications")).content.decode()


def test_the_count_read_with_the_person_is_the_bells_rule(make_staff):
    """The SQL the backend adds counts exactly what ``core.notifications.unread_count`` counts."""
    from core.notifications import unread_count

    alice, bob = make_staff("service_advisor", username="alice"), make_staff("service_advisor", username="bob")
    for n in range(3):
        _note(alice, n)
    _note(bob, 9)
    Notification.objects.filter(pk=_note(alice, 4).pk).update(status=Notification.Status.READ)
    alice.email = "alice@example.com"
    alice.save()
    notification_send(channel="email", to_staff=alice, subject="not the bell's", body="")  # another channel
    for person in (alice, bob, make_staff("service_advisor", username="carol")):
        assert getattr(StaffBackend().get_user(person.pk), UNREAD_ATTR) == unread_count(staff=person)
    assert unread_count(staff=alice) == 3
