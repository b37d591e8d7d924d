"""WeChat official account (微信公众号) template messages (模板消息) to a customer's openid.

Documented at https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
and (the token) https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html:

* ``GET /cgi-bin/token?grant_type=client_credential&appid=APPID&secret=APPSECRET`` →
  ``{"access_token": "...", "expires_in": 7200}`` or ``{"errcode": 40013, "errmsg": "invalid appid"}``. The token
  is cached (Django cache, shared by the workers) until five minutes before it expires: WeChat limits how often it may
  be fetched, and each fetch invalidates the previous one after a grace period.
* ``POST /cgi-bin/message/template/send?access_token=TOKEN`` with ``{"touser": openid, "template_id": ...,
  "url": ..., "data": {"<field>": {"value": "..."}}}`` → ``{"errcode": 0, "errmsg": "ok", "msgid": 200228332}``.
  A token WeChat no longer accepts (40001, 40014, 42001) is dropped and fetched again, once.

The customer's openid comes from the attribute named by ``WECHAT_OPENID_FIELD`` of the customer (none configured:
no WeChat messages are recorded). The message's parameters become the data fields; without a template of its own a
message goes through ``WECHAT_GENERIC_TEMPLATE`` with one field ``content`` (see ``core.sms_templates``).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache

from core.gateways.http import call
from core.notify import SmsError, SmsMessage, SmsTemporaryError

TOKEN_REJECTED = frozenset({40001, 40014, 42001})
TEMPORARY_CODES = frozenset({-1, 45009, 45047})  # system busy; API call limit reached


def _base() -> str:
    return settings.WECHAT_API_BASE.rstrip("/")


def _cache_key() -> str:
    return f"wechat:access-token:{settings.WECHAT_APP_ID}"


def _raise(answer: dict) -> None:
    code = answer.get("errcode")
    raise (SmsTemporaryError if code in TEMPORARY_CODES else SmsError)(f"WeChat {code}: {answer.get('errmsg', '')}")


def access_token(*, fresh: bool = False) -> str:
    token = None if fresh else cache.get(_cache_key())
    if token:
        return token
    query = urlencode({"grant_type": "client_credential", "appid": settings.WECHAT_APP_ID,
                       "secret": settings.WECHAT_APP_SECRET})
    answer = call(f"{_base()}/cgi-bin/token?{query}")
    if not answer.get("access_token"):
        _raise(answer)
    lifetime = max(60, int(answer.get("expires_in", 7200)) - 300)
    cache.set(_cache_key(), answer["access_token"], lifetime)
    return answer["access_token"]


class WechatTemplateSender:
    """Sends one template message; returns WeChat's msgid (the id its delivery event carries)."""

    def send_message(self, message: SmsMessage) -> str:
        if not message.to:
            raise SmsError("no WeChat openid")
        if not message.template:
            raise SmsError("no WeChat template configured (WECHAT_GENERIC_TEMPLATE)")
        payload = {"touser": message.to, "template_id": message.template,
                   "data": {k: {"value": str(v)} for k, v in message.params.items()}}
        data = json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        for fresh in (False, True):
            token = access_token(fresh=fresh)
            answer = call(f"{_base()}/cgi-bin/message/template/send?{urlencode({'access_token': token})}",
                          data=data, headers=headers)
            if answer.get("errcode", 0) == 0:
                return str(answer.get("msgid", ""))
            if answer.get("errcode") not in TOKEN_REJECTED:
                break
            cache.delete(_cache_key())
        _raise(answer)
        return ""  # not reached
