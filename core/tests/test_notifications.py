"""core.notifications: any app records a message; the bell in the top bar counts the unread in-app ones."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from core.models import Notification
from core.notifications import my_notifications, notification_mark_read, notification_send, unread_count


def _bell(user) -> str:
    return Template("{% load notifications %}{% unread_notifications user as n %}[{{ n }}]").render(
        Context({"user": user}))


def test_the_bell_counts_my_unread_in_app_notifications(alice, bob):
    first = notification_send(channel="in_app", to_staff=alice, subject="Complaint 1", body="")
    notification_send(channel="in_app", to_staff=alice, subject="Complaint 2", body="")
    notification_send(channel="in_app", to_staff=bob, subject="Not for alice", body="")
    assert _bell(alice) == "[2]"
    notification_mark_read(notification=first, by=alice)
    assert _bell(alice) == "[1]" and unread_count(staff=alice) == 1
    assert [n.subject for n in my_notifications(alice)] == ["Complaint 2", "Complaint 1"]


def test_the_bell_is_silent_for_an_anonymous_visitor(db):
    assert _bell(AnonymousUser()) == "[0]"


def test_nobody_marks_someone_elses_notification_read(alice, bob):
    note = notification_send(channel="in_app", to_staff=alice, subject="Mine", body="")
    with pytest.raises(PermissionError):
        notification_mark_read(notification=note, by=bob)


def test_the_notification_keeps_the_complaints_table():
    assert Notification._meta.db_table == "complaints_notification"
    assert Notification._meta.app_label == "core"
