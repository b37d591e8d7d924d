from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from org.factories import StationFactory
from portal.models import LinkApproval
from portal.services import link as links
from portal.tests.conftest import png_bytes
from reception.factories import WorkOrderFactory
from workshop.models import Finding

pytestmark = pytest.mark.django_db

PNG_URL = "data:image/png;base64,"


def _sig() -> str:
    import base64

    return PNG_URL + base64.b64encode(png_bytes((0, 0, 0))).decode()


def _personal(order) -> list[str]:
    return [order.number, order.vehicle.plate, order.customer.name, order.advisor.username, order.customer.mobile]


def _reveals_nothing(response, order) -> None:
    html = response.content.decode()
    for secret in _personal(order):
        if secret:
            assert secret not in html, secret


def test_the_gate_shows_nothing_personal_and_the_right_digits_open_the_page(client, order, token):
    gate = client.get(f"/c/{token}/")
    assert gate.status_code == 200 and 'name="digits"' in gate.content.decode()
    _reveals_nothing(gate, order)
    wrong = client.post(f"/c/{token}/", {"digits": "0000"})
    assert wrong.status_code == 200
    _reveals_nothing(wrong, order)
    assert client.post(f"/c/{token}/", {"digits": "5678"}).status_code == 302
    page = client.get(f"/c/{token}/")
    html = page.content.decode()
    assert order.number in html and order.vehicle.plate in html
    assert (order.advisor.get_full_name() or order.advisor.username) in html
    assert "/static/css" not in html and "bootstrap" not in html  # not the staff bundle


def _same(response, token: str) -> str:
    """The page without what differs by design: the CSRF token (masked anew each time) and the address itself."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(token, "TOKEN")


def test_unknown_revoked_and_expired_tokens_answer_exactly_like_a_wrong_suffix(client, order, token, alice):
    live_wrong = _same(client.post(f"/c/{token}/", {"digits": "0000"}), token)
    unknown = "a" * 64
    assert _same(client.post(f"/c/{unknown}/", {"digits": "5678"}), unknown) == live_wrong
    links.link_revoke(order=order, by=alice)
    revoked = client.post(f"/c/{token}/", {"digits": "5678"})
    assert revoked.status_code == 200 and _same(revoked, token) == live_wrong
    new = links.link_token(links.link_reissue(order=order, by=alice, send=False))
    order.status, order.delivered_at = "delivered", timezone.now() - timedelta(days=40)
    order.save(update_fields=["status", "delivered_at"])
    expired = client.post(f"/c/{new}/", {"digits": "5678"})
    assert _same(expired, new) == live_wrong


def test_a_verified_session_does_not_open_another_orders_or_stations_link(verified, order, alice):
    same_station = WorkOrderFactory(signed=True, station=order.station, advisor=alice)
    other = WorkOrderFactory(signed=True, station=StationFactory(code="far"))
    for o in (same_station, other):
        token = links.link_token(links.link_issue(order=o))
        response = verified.get(f"/c/{token}/")
        assert 'name="digits"' in response.content.decode()
        _reveals_nothing(response, o)
        assert verified.post(f"/c/{token}/", {"digits": "5678"}).status_code == 200  # not their mobile


def test_the_gate_locks_after_too_many_wrong_tries(client, token):
    for _ in range(links.GATE_TRIES):
        client.post(f"/c/{token}/", {"digits": "1111"})
    response = client.post(f"/c/{token}/", {"digits": "5678"})
    assert response.status_code == 200 and 'name="digits"' not in response.content.decode()


def test_page_views_are_rate_limited_per_address(client, token):
    for n in range(links.HITS_PER_ADDRESS):
        assert client.get(f"/c/x{n}/").status_code == 200
    assert client.get(f"/c/{token}/").status_code == 429


def test_approve_one_decline_another_with_a_signature(verified, order, token, make_finding, alice):
    yes, no = make_finding("刹车片", "B1"), make_finding("雨刮", "W1")
    page = verified.get(f"/c/{token}/").content.decode()
    assert f"finding_{yes.pk}" in page and f"/c/{token}/photo/{yes.photos.get().pk}/" in page
    unsigned = verified.post(f"/c/{token}/decide/", {f"finding_{yes.pk}": "approve"})
    assert unsigned.status_code == 400
    response = verified.post(f"/c/{token}/decide/", {f"finding_{yes.pk}": "approve", f"finding_{no.pk}": "decline",
                                                     "signature": _sig()}, HTTP_USER_AGENT="TestPhone/1.0")
    assert response.status_code == 302
    assert Finding.objects.get(pk=yes.pk).channel == "link"
    assert Finding.objects.get(pk=no.pk).decision == "declined"
    assert LinkApproval.objects.get().user_agent == "TestPhone/1.0"
    desk = verified.get(f"/reception/orders/{order.pk}/")  # the phone is not staff: no desk for it
    assert desk.status_code in (302, 403, 404)


def test_photos_are_served_only_through_a_verified_link_of_their_order(client, verified, order, token, make_finding,
                                                                        station, alice):
    finding = make_finding()
    photo = finding.photos.get()
    ok = verified.get(f"/c/{token}/photo/{photo.pk}/")
    assert ok.status_code == 200 and ok["Cache-Control"] == "private, no-store"
    other = WorkOrderFactory(signed=True, station=station, advisor=alice)
    other_token = links.link_token(links.link_issue(order=other))
    assert verified.get(f"/c/{other_token}/photo/{photo.pk}/").status_code == 404
    from django.test import Client

    assert Client().get(f"/c/{token}/photo/{photo.pk}/").status_code == 404  # not verified
    assert Client().get(f"/files/finding-photo/{photo.pk}/").status_code == 404  # no public address


def test_documents_appear_once_issued(verified, order, token):
    page = verified.get(f"/c/{token}/").content.decode()
    assert f"/c/{token}/doc/work-order/" in page and "delivery-note" not in page
    assert verified.get(f"/c/{token}/doc/delivery-note/").status_code == 404
    pdf = verified.get(f"/c/{token}/doc/work-order/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_the_advisor_revokes_and_reissues_from_the_order_page(client_as, alice, order, token, mallory):
    client = client_as(alice)
    page = client.get(f"/reception/orders/{order.pk}/").content.decode()
    assert 'id="portal-link-panel"' in page
    assert client.post(f"/portal/orders/{order.pk}/link/revoke/").status_code == 302
    assert links.link_for_token(token) is None
    assert client.post(f"/portal/orders/{order.pk}/link/reissue/").status_code == 302
    assert links.link_for_token(token) is None and order.portal_link.revoked_at is None
    assert client_as(mallory).post(f"/portal/orders/{order.pk}/link/revoke/").status_code == 404


def test_chinese_by_default_and_english_on_request(verified, token):
    page = verified.get(f"/c/{token}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "您的服务顾问" in page and 'lang="zh-hans"' in page
    verified.post("/i18n/setlang/", {"language": "en", "next": f"/c/{token}/"})
    english = verified.get(f"/c/{token}/").content.decode()
    assert "Your service advisor" in english and 'name="language" value="zh-hans"' in english
