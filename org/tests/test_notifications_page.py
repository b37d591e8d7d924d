"""The bell in the top bar opens my notifications (org's page over core.notifications), read one or all."""

from __future__ import annotations

from django.urls import reverse

from core.models import Notification
from core.notifications import notification_send


def test_the_bell_shows_my_unread_count_and_opens_my_notifications(client_as, alice, bob):
    notification_send(channel="in_app", to_staff=alice, subject="投诉 C1 待处理", body="客户来电")
    notification_send(channel="in_app", to_staff=bob, subject="不是给 alice 的", body="")
    client = client_as(alice)
    home = client.get(reverse("org:chart")).content.decode()
    assert f'href="{reverse("org:notifications")}"' in home
    page = client.get(reverse("org:notifications")).content.decode()
    assert "投诉 C1 待处理" in page and "不是给 alice 的" not in page
    assert 'id="unread-total">1' in page


def test_reading_one_of_mine_marks_it_and_someone_elses_id_does_nothing(client_as, alice, bob):
    mine = notification_send(channel="in_app", to_staff=alice, subject="mine", body="")
    theirs = notification_send(channel="in_app", to_staff=bob, subject="theirs", body="")
    client = client_as(alice)
    response = client.post(reverse("org:notification_read"), {"notification": theirs.pk})
    assert response.status_code == 302 and response["Location"] == reverse("org:notifications")
    theirs.refresh_from_db()
    assert theirs.status == Notification.Status.SENT
    client.post(reverse("org:notification_read"), {"notification": mine.pk, "open": "1"})
    mine.refresh_from_db()
    assert mine.status == Notification.Status.READ  # nothing to open: back to the list


def test_mark_all_read(client_as, alice):
    for i in range(3):
        notification_send(channel="in_app", to_staff=alice, subject=f"n{i}", body="")
    client_as(alice).post(reverse("org:notifications_read_all"))
    assert not Notification.objects.filter(recipient_staff=alice, status=Notification.Status.SENT).exists()
