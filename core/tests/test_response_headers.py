"""Issue 13 (Low): a Content-Security-Policy on every HTML page, and ``Cache-Control: no-store`` on the HTML pages
answered to someone logged in — not on public pages nor on static files."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def test_a_logged_in_page_is_no_store_and_has_the_content_security_policy(client_as, carol):
    response = client_as(carol).get(reverse("reception:index"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    policy = _directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["img-src"] == "'self' data: blob:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_an_htmx_partial_for_a_logged_in_user_is_no_store_too(client_as, carol):
    response = client_as(carol).get(reverse("reception:search") + "?q=zz", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_login_page_has_the_policy(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert _directives(response)["script-src"] == "'self'"


def test_a_public_page_answered_to_nobody_logged_in_is_not_made_no_store(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_health_check_json_has_no_html_policy(client):
    response = client.get(reverse("healthz"))
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db
def test_a_static_file_is_not_no_store_and_has_no_policy():
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get("/static/js/app.js")  # a new client loads the middleware with these settings
        assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" not in response


def test_no_page_template_has_an_inline_script_or_event_handler():
    """script-src 'self' blocks inline code: pages load their behaviour from static files."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.glob("*/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>|\son[a-z]+=\"", text):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []
