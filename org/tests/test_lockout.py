"""Failed logins lock a login name only at the client address they came from, an address that sprays many names is
refused, the client address is believed from a trusted proxy only, and the station manager can unlock.

Every request comes through the test client as if behind nginx: REMOTE_ADDR 127.0.0.1 (the trusted proxy) and the
real client in X-Forwarded-For.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from org.models import StaffEvent

PASSWORD = "test-pass-2026"
A = "203.0.113.10"  # the attacker's address
B = "198.51.100.20"  # the real user's desk
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.usefixtures("behind_proxy")


@pytest.fixture
def behind_proxy():
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"], AXES_FAILURE_LIMIT=5, LOGIN_ADDRESS_FAILURE_LIMIT=20,
                           AXES_COOLOFF_TIME=timedelta(minutes=15)):
        yield


def login(client, username, password, *, via=None, remote="127.0.0.1", forwarded=None, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    headers = {}
    if forwarded or via:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded or via
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=remote, **headers)


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] != reverse("login")


def test_a_spraying_run_from_one_address_leaves_a_real_user_able_to_log_in_from_another(client, alice, make_staff):
    names = ["alice", "carol", "frank"] + [make_staff("technician", username=f"tech{i}").username for i in range(7)]
    for _round in range(3):
        for name in names:  # 30 bad logins over 10 names
            login(client, name, "Spring2026!", via=A)
    assert logged_in(login(client, "alice", PASSWORD, via=B))


def test_the_spraying_address_itself_is_refused_even_with_a_right_password(client, alice, make_staff, time_machine):
    time_machine.move_to(T0, tick=False)
    names = [make_staff("technician", username=f"tech{i}").username for i in range(10)]
    answers = [login(client, name, "Spring2026!", via=A).status_code for _round in range(2) for name in names]
    assert answers[:19] == [200] * 19 and answers[19] == 429  # the 20th failure over any names closes the address
    refused = login(client, "alice", PASSWORD, via=A)
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "from your network address" in body and "09:15" in body
    assert logged_in(login(client, "alice", PASSWORD, via=B))
    time_machine.move_to(T0 + timedelta(minutes=16), tick=False)
    assert logged_in(login(client, "alice", PASSWORD, via=A))  # the cool-off is over


def test_a_name_attacked_from_one_address_still_logs_in_from_another(client, alice):
    for _ in range(10):
        login(client, "alice", "wrong", via=A)
    assert logged_in(login(client, "alice", PASSWORD, via=B))


def test_five_bad_logins_lock_the_name_at_that_address_with_the_retry_time(client, alice, time_machine):
    time_machine.move_to(T0, tick=False)
    answers = [login(client, "alice", "wrong", via=A).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    time_machine.move_to(T0 + timedelta(minutes=2), tick=False)
    english = login(client, "alice", PASSWORD, via=A)
    assert english.status_code == 429
    assert "You can try again at 09:15 (2026-12-07)." in english.content.decode()
    chinese = login(client, "alice", PASSWORD, via=A, language="zh-hans")
    assert chinese.status_code == 429
    assert "09:15" in chinese.content.decode() and "再试" in chinese.content.decode()
    assert logged_in(login(client, "alice", PASSWORD, via=B))
    # a try while locked is not counted, so the time on the page stays true
    time_machine.move_to(T0 + timedelta(minutes=15, seconds=1), tick=False)
    assert logged_in(login(client, "alice", PASSWORD, via=A))


def test_forwarded_for_from_an_untrusted_peer_is_ignored(client, alice):
    stranger = "192.0.2.99"  # not the proxy: talks to the app directly and claims to be elsewhere
    for n in range(5):
        login(client, "alice", "wrong", remote=stranger, forwarded=f"10.0.0.{n}, {B}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {stranger}
    assert login(client, "alice", PASSWORD, remote=stranger, forwarded="10.9.9.9").status_code == 429
    assert logged_in(login(client, "alice", PASSWORD, via=B))  # the address he claimed is not locked


def test_the_client_is_the_right_most_address_the_proxy_did_not_write_itself(client, alice):
    # nginx appends what it saw ($proxy_add_x_forwarded_for): anything to the left was typed by the client
    for n in range(5):
        login(client, "alice", "wrong", forwarded=f"{B}, 10.0.0.{n}, {A}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {A}
    assert logged_in(login(client, "alice", PASSWORD, via=B))


@override_settings(TRUSTED_PROXIES=[])
def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, alice):
    for _ in range(5):
        login(client, "alice", "wrong", via=A)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_the_station_manager_sees_the_lockout_and_unlocks(client, alice, carol, time_machine):
    time_machine.move_to(T0, tick=False)
    for _ in range(5):
        login(client, "alice", "wrong", via=A)
    assert login(client, "alice", PASSWORD, via=A).status_code == 429

    client.force_login(carol)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("org:lockouts")).content.decode()
    assert "alice" in page and A in page and "2026-12-07 09:15" in page
    assert "locked out" in client.get(reverse("org:directory")).content.decode()
    assert A in client.get(reverse("org:staff_edit", args=[alice.pk])).content.decode()
    response = client.post(reverse("org:staff_unlock", args=[alice.pk]))
    assert response.status_code == 302
    event = StaffEvent.objects.get(kind=StaffEvent.Kind.UNLOCKED)
    assert (event.staff, event.by, event.note) == (alice, carol, A)
    assert event.at == timezone.now()
    assert "Nobody is locked out." in client.get(reverse("org:lockouts")).content.decode()
    client.logout()

    assert logged_in(login(client, "alice", PASSWORD, via=A))


def test_someone_who_does_not_manage_staff_cannot_unlock(client, alice, bob):
    for _ in range(5):
        login(client, "alice", "wrong", via=A)
    client.force_login(bob)
    assert client.post(reverse("org:staff_unlock", args=[alice.pk])).status_code == 403
    assert client.get(reverse("org:lockouts")).status_code == 403
    client.logout()
    assert login(client, "alice", PASSWORD, via=A).status_code == 429
    assert not StaffEvent.objects.filter(kind=StaffEvent.Kind.UNLOCKED).exists()


def test_a_manager_of_another_station_cannot_unlock_or_see_the_lockout(client, alice, other_station, make_staff):
    for _ in range(5):
        login(client, "alice", "wrong", via=A)
    elsewhere = make_staff("station_manager", username="boss_b", station=other_station)
    client.force_login(elsewhere)
    assert client.post(reverse("org:staff_unlock", args=[alice.pk])).status_code == 404
    assert "alice" not in client.get(reverse("org:lockouts")).content.decode()
    client.logout()
    assert login(client, "alice", PASSWORD, via=A).status_code == 429
