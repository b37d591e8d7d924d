import time

from django.test import override_settings
from django.urls import reverse

from org.middleware import LAST_ACTIVITY_KEY


def test_login_lands_each_role_on_their_home(client, alice, bob, carol):
    for user, target in [(alice, "reception:index"), (bob, "workshop:my_jobs"), (carol, "kpi:index")]:
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response["Location"] == reverse(target)
        client.logout()


def test_repeated_failed_logins_lock_the_account(client, alice):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": "test-pass-2026"})
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()


def test_a_good_login_works_before_the_limit(client, alice):
    for _ in range(3):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": "test-pass-2026"})
    assert response.status_code == 302


@override_settings(IDLE_TIMEOUT_MINUTES=30)
def test_session_ends_after_30_idle_minutes(client_as, alice):
    client = client_as(alice)
    assert client.get(reverse("org:chart")).status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("org:chart"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("org:chart")).status_code == 302  # logged out for good


@override_settings(IDLE_TIMEOUT_MINUTES=30)
def test_activity_keeps_the_session_but_background_polls_do_not(client_as, alice):
    client = client_as(alice)
    client.get(reverse("org:chart"))
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 29 * 60
    session.save()
    client.get(reverse("org:chart"), headers={"X-Background-Poll": "1"})
    assert time.time() - client.session[LAST_ACTIVITY_KEY] > 28 * 60
    client.get(reverse("org:chart"))
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 60


def test_password_change(client_as, alice):
    client = client_as(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": "test-pass-2026", "new_password1": "Another-pass-2027", "new_password2": "Another-pass-2027"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("Another-pass-2027")


def test_manager_adds_staff_through_the_form_with_errors_at_the_field(client_as, carol, station):
    client = client_as(carol)
    bad = client.post(reverse("org:staff_create"), {
        "display_name": "王五", "username": "carol", "position": "technician", "station": station.pk,
        "phone": "12345", "password": "Strong-pass-2026",
    })
    assert bad.status_code == 400
    form = bad.context["form"]
    assert "phone" in form.errors
    assert 'value="王五"' in bad.content.decode()
    good = client.post(reverse("org:staff_create"), {
        "display_name": "王五", "username": "wangwu", "position": "technician", "station": station.pk,
        "phone": "13912345678", "password": "Strong-pass-2026", "reports_to": carol.pk,
    })
    assert good.status_code == 302
    from org.models import Staff

    assert Staff.objects.get(username="wangwu").reports_to == carol


def test_chinese_interface(client_as, alice):
    client = client_as(alice)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    body = client.get(reverse("org:chart")).content.decode()
    assert "组织架构" in body
    client.post(reverse("set_language"), {"language": "en"})
    assert "Org chart" in client.get(reverse("org:chart")).content.decode()
