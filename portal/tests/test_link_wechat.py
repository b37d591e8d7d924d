"""The customer's WeChat openid bound from their link (against a local stand-in for WeChat's OAuth API), and the
link's messages going out in WeChat as well once bound."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import override_settings

from core.models import ContactConsent, Notification
from core.tests.fake_gateways import FakeWechat
from portal.services import link as links
from portal.services import link_wechat
from reception.factories import WorkOrderFactory

pytestmark = pytest.mark.django_db

WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN")


class FakeWechatOAuth(FakeWechat):
    """WeChat's web authorisation: a code (given once) → the user's openid, as documented."""

    def __init__(self):
        super().__init__()
        self.codes = {"CODE-1": "oCUSTOMER-OPENID-1"}

    def handle(self, method, path, headers, body):
        url = urlsplit(path)
        if url.path != "/sns/oauth2/access_token":
            return super().handle(method, path, headers, body)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.requests.append({"path": url.path, "query": query, "body": None})
        if query.get("appid") != self.APP_ID or query.get("secret") != self.APP_SECRET:
            return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}
        if query.get("grant_type") != "authorization_code" or query.get("code") not in self.codes:
            return 200, {"errcode": 40029, "errmsg": "invalid code"}
        return 200, {"access_token": "WEB_TOKEN", "expires_in": 7200, "refresh_token": "R",
                     "openid": self.codes.pop(query["code"]), "scope": "snsapi_base"}


@pytest.fixture
def fake():
    with FakeWechatOAuth() as server, override_settings(
        WECHAT_API_BASE=server.url, WECHAT_APP_ID=FakeWechat.APP_ID, WECHAT_APP_SECRET=FakeWechat.APP_SECRET,
        WECHAT_OPENID_FIELD="wechat_openid",
    ):
        yield server


def _start(client, token) -> str:
    """Press "receive in WeChat": the state WeChat would hand back."""
    response = client.get(f"/c/{token}/wechat/", HTTP_USER_AGENT=WECHAT_UA)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == link_wechat.AUTHORIZE_URL
    assert target.fragment == "wechat_redirect"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["appid"] == FakeWechat.APP_ID and query["scope"] == "snsapi_base"
    assert query["response_type"] == "code" and query["redirect_uri"].endswith(f"/c/{token}/wechat/back/")
    return query["state"]


def test_the_page_offers_wechat_inside_wechat_only_and_binding_stores_the_openid(client, verified, token, order, fake):
    assert "wechat-bind" not in client.get(f"/c/{token}/").content.decode()  # a phone browser: no offer
    assert 'id="wechat-bind"' in client.get(f"/c/{token}/", HTTP_USER_AGENT=WECHAT_UA).content.decode()
    state = _start(client, token)
    back = client.get(f"/c/{token}/wechat/back/", {"code": "CODE-1", "state": state}, HTTP_USER_AGENT=WECHAT_UA)
    assert back.status_code == 302 and "wechat=bound" in back["Location"]
    order.customer.refresh_from_db()
    assert order.customer.wechat_openid == "oCUSTOMER-OPENID-1"
    consent = ContactConsent.objects.get(customer=order.customer)
    assert consent.granted and consent.channel == "wechat" and consent.source == ContactConsent.Source.CUSTOMER_PAGE
    assert fake.requests[-1]["query"]["code"] == "CODE-1"
    html = client.get(f"/c/{token}/", HTTP_USER_AGENT=WECHAT_UA).content.decode()
    assert 'id="wechat-bind"' not in html and 'id="wechat"' in html  # bound: said so, no second offer


def test_a_tampered_or_foreign_state_binds_nothing(client, verified, token, order, fake):
    state = _start(client, token)
    tampered = state[:-2] + ("AA" if not state.endswith("AA") else "BB")
    back = client.get(f"/c/{token}/wechat/back/", {"code": "CODE-1", "state": tampered})
    assert back.status_code == 302 and "wechat=failed" in back["Location"]
    forged = signing.dumps({"l": 999999, "n": "x"}, salt=link_wechat.STATE_SALT)
    assert "wechat=failed" in client.get(f"/c/{token}/wechat/back/", {"code": "CODE-1", "state": forged})["Location"]
    order.customer.refresh_from_db()
    assert order.customer.wechat_openid == ""
    assert not [r for r in fake.requests if r["path"] == "/sns/oauth2/access_token"]  # the code never exchanged


def test_another_links_state_leaves_its_customer_untouched(client, verified, token, order, fake, station):
    other = WorkOrderFactory(signed=True, station=station)
    other.customer.mobile = "13900005678"
    other.customer.save(update_fields=["mobile"])
    other_token = links.link_token(links.link_issue(order=other))
    assert client.post(f"/c/{other_token}/", {"digits": "5678"}).status_code == 302
    state_for_other = _start(client, other_token)
    # the other link's state brought back to this link: refused, neither customer bound
    back = client.get(f"/c/{token}/wechat/back/", {"code": "CODE-1", "state": state_for_other})
    assert "wechat=failed" in back["Location"]
    order.customer.refresh_from_db()
    other.customer.refresh_from_db()
    assert order.customer.wechat_openid == "" and other.customer.wechat_openid == ""


def test_a_code_wechat_refuses_binds_nothing_and_without_the_gate_nothing_opens(client, verified, token, order, fake):
    state = _start(client, token)
    back = client.get(f"/c/{token}/wechat/back/", {"code": "NOT-A-CODE", "state": state})
    assert "wechat=failed" in back["Location"]
    order.customer.refresh_from_db()
    assert order.customer.wechat_openid == ""
    client.cookies.clear()
    assert client.get(f"/c/{token}/wechat/").status_code == 404
    assert client.get(f"/c/{token}/wechat/back/", {"code": "CODE-1", "state": state}).status_code == 404


def test_without_wechat_configured_there_is_no_binding(client, verified, token, settings):
    settings.WECHAT_APP_ID = ""
    assert "wechat-bind" not in client.get(f"/c/{token}/", HTTP_USER_AGENT=WECHAT_UA).content.decode()
    assert client.get(f"/c/{token}/wechat/").status_code == 404


def _sent(order, channel):
    return Notification.objects.filter(recipient_customer=order.customer, channel=channel)


def test_the_link_goes_out_in_wechat_only_when_configured_and_bound(order, settings):
    settings.WECHAT_OPENID_FIELD = "wechat_openid"
    settings.WECHAT_APP_ID = FakeWechat.APP_ID
    links.link_send(order=order, reason="ready")  # configured, not bound
    assert _sent(order, "sms").count() == 1 and not _sent(order, "wechat").exists()
    order.customer.wechat_openid = "oBOUND"
    order.customer.save(update_fields=["wechat_openid"])
    settings.WECHAT_APP_ID = ""
    links.link_send(order=order, reason="delivered")  # bound, not configured
    assert _sent(order, "sms").count() == 2 and not _sent(order, "wechat").exists()
    settings.WECHAT_APP_ID = FakeWechat.APP_ID
    sms = links.link_send(order=order, reason="received")  # bound and configured: both
    note = _sent(order, "wechat").get()
    assert sms.channel == "sms" and _sent(order, "sms").count() == 3
    assert note.address == "oBOUND" and note.status == Notification.Status.QUEUED
    assert links.link_url(links.link_issue(order=order)) in note.body
    links.link_send(order=order, reason="received")  # once per reason
    assert _sent(order, "wechat").count() == 1
