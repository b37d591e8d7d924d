"""The customer's WeChat openid, bound from their order link, and the link's message sent in WeChat too.

Binding (微信网页授权, snsapi_base — silent, no consent screen of WeChat's own): a customer who has passed the link's
gate inside WeChat's browser is offered "messages in WeChat"; the button sends them to
``https://open.weixin.qq.com/connect/oauth2/authorize?…&scope=snsapi_base&state=<state>#wechat_redirect``, which comes
back to ``/c/<token>/wechat/back/?code=…&state=…``. The state is signed (``django.core.signing``) over the link and a
nonce kept in this browser's session, and lives ten minutes: a state made for another link, another browser or
tampered with binds nothing. The code is exchanged at ``{WECHAT_API_BASE}/sns/oauth2/access_token`` for the openid
(documented at https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html), which
is stored on that link's customer only, with a consent record (channel WeChat, source the customer's page).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from core.consent import consent_record
from core.errors import DomainError
from core.gateways.http import call
from core.models import ContactConsent
from core.notifications import notification_send, wechat_openid
from core.notify import SmsError
from portal.models import OrderLink
from reception.models import Customer

AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
STATE_SALT = "portal.wechat-bind"
STATE_MAX_AGE = 600  # seconds between the button and WeChat's redirect back
SESSION_NONCE = "portal_wechat_nonce"


def wechat_enabled() -> bool:
    return bool(getattr(settings, "WECHAT_APP_ID", "")) and bool(getattr(settings, "WECHAT_OPENID_FIELD", ""))


def in_wechat(user_agent: str) -> bool:
    """WeChat's own browser names itself MicroMessenger in its User-Agent."""
    return "MicroMessenger" in (user_agent or "")


def wechat_offer(*, customer, user_agent: str) -> bool:
    """Offer the binding: WeChat configured, the page opened in WeChat, the customer not bound yet."""
    return wechat_enabled() and in_wechat(user_agent) and not wechat_openid(customer)


def bind_state(*, link: OrderLink, session) -> str:
    nonce = secrets.token_urlsafe(16)
    session[SESSION_NONCE] = nonce
    return signing.dumps({"l": link.pk, "n": nonce}, salt=STATE_SALT, compress=True)


def authorize_url(*, link: OrderLink, session, redirect_uri: str) -> str:
    query = urlencode({"appid": settings.WECHAT_APP_ID, "redirect_uri": redirect_uri, "response_type": "code",
                       "scope": "snsapi_base", "state": bind_state(link=link, session=session)})
    return f"{AUTHORIZE_URL}?{query}#wechat_redirect"


def _state_ok(*, link: OrderLink, session, state: str) -> bool:
    try:
        data = signing.loads(state or "", salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:  # tampered, another key, or expired (SignatureExpired is a BadSignature)
        return False
    nonce = session.get(SESSION_NONCE)
    return (isinstance(data, dict) and data.get("l") == link.pk and bool(nonce)
            and secrets.compare_digest(str(data.get("n", "")), nonce))


def _openid_for(code: str) -> str:
    query = urlencode({"appid": settings.WECHAT_APP_ID, "secret": settings.WECHAT_APP_SECRET, "code": code,
                       "grant_type": "authorization_code"})
    try:
        answer = call(f"{settings.WECHAT_API_BASE.rstrip('/')}/sns/oauth2/access_token?{query}")
    except SmsError:
        answer = {}
    return str(answer.get("openid") or "")[:64]


@transaction.atomic
def wechat_bind(*, link: OrderLink, session, state: str, code: str):
    """Store the openid WeChat gives for ``code`` on the link's customer; DomainError when the state or code fail."""
    if not wechat_enabled() or not _state_ok(link=link, session=session, state=state):
        raise DomainError(_("This WeChat sign-in could not be checked. Please try again from your link."))
    session.pop(SESSION_NONCE, None)  # a state is good for one binding
    openid = _openid_for(code) if code else ""
    if not openid:
        raise DomainError(_("WeChat did not confirm your account. Please try again from your link."))
    customer = Customer.objects.select_for_update().get(pk=link.order.customer_id)
    if customer.wechat_openid != openid:
        customer.wechat_openid = openid
        customer.save(update_fields=["wechat_openid", "updated_at"])
        consent_record(customer=customer, granted=True, source=ContactConsent.Source.CUSTOMER_PAGE, channel="wechat",
                       note=link.order.number)
    return customer


def link_send_wechat(*, order, subject: str, body: str, key: str):
    """The link's message in WeChat as well, when WeChat is configured and the customer bound (else None)."""
    if not wechat_enabled() or not wechat_openid(order.customer):
        return None
    return notification_send(channel="wechat", to_customer=order.customer, subject=subject, body=body, related=order,
                             key=key)
