"""Issue 13 (Low): while the database cannot be reached, pages answer a translated "service unavailable" page
(503, Retry-After) that needs no database, instead of a bare 500; /healthz still answers 503 JSON."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse


@pytest.fixture
def database_down(db):
    """Every new cursor fails the way a stopped PostgreSQL fails (undone before the test database is rolled back)."""
    wrapper = type(connections["default"])
    original = wrapper.ensure_connection

    def refuse(self):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def down():
        wrapper.ensure_connection = refuse

    yield down
    wrapper.ensure_connection = original


@pytest.fixture
def logged_in(carol):
    client = Client(raise_request_exception=False)
    client.force_login(carol)
    return client


def test_a_logged_in_page_answers_the_503_page_while_the_database_is_down(logged_in, database_down):
    database_down()
    response = logged_in.get(reverse("reception:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "Service unavailable" in text and "cannot reach its database" in text


def test_the_503_page_is_in_chinese_by_default(logged_in, database_down):
    database_down()
    response = logged_in.get(reverse("reception:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    assert "服务暂不可用" in response.content.decode()


def test_an_anonymous_login_attempt_answers_503_while_the_database_is_down(db, database_down):
    client = Client(raise_request_exception=False)
    database_down()
    response = client.post(reverse("login"), {"username": "carol", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "Service unavailable" in response.content.decode()


def test_a_database_error_raised_in_a_view_answers_503(logged_in, monkeypatch):
    from reception.views import desk

    def fail(request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(desk, "_desk_context", fail)
    response = logged_in.get(reverse("reception:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "Service unavailable" in response.content.decode()


def test_other_errors_still_answer_the_plain_500_page(logged_in, monkeypatch):
    from reception.views import desk

    def fail(request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(desk, "_desk_context", fail)
    response = logged_in.get(reverse("reception:index"))
    assert response.status_code == 500


def test_the_health_check_still_answers_503_json(db, database_down):
    client = Client(raise_request_exception=False)
    database_down()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")


def test_connection_health_checks_are_on(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
