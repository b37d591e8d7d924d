"""Aliyun SMS (阿里云短信服务, dysmsapi ``SendSms``, API version 2017-05-25), RPC style with signature version 1.0.

The signing is the one documented in "短信服务 > 签名机制" (https://help.aliyun.com/document_detail/101343.html,
also https://help.aliyun.com/zh/sdk/product-overview/rpc-mechanism):

1. all parameters except ``Signature`` — the common ones (AccessKeyId, Action, Format, RegionId, SignatureMethod
   =HMAC-SHA1, SignatureNonce (unique per request), SignatureVersion=1.0, Timestamp (UTC ISO 8601
   ``YYYY-MM-DDThh:mm:ssZ``), Version) and SendSms' own (PhoneNumbers, SignName, TemplateCode, TemplateParam (JSON),
   OutId) — sorted by name, each name and value percent-encoded (RFC 3986: ``A-Za-z0-9-_.~`` kept, space → ``%20``,
   ``*`` → ``%2A``, ``~`` kept) and joined ``name=value`` with ``&``: the canonicalized query string;
2. StringToSign = HTTPMethod + "&" + percentEncode("/") + "&" + percentEncode(canonicalized query string);
3. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)), sent as the ``Signature`` parameter.

Answer: ``{"Code": "OK", "Message": "OK", "BizId": "...", "RequestId": "..."}``; any other Code is an error
(https://help.aliyun.com/document_detail/101346.html). BizId is the message id the delivery receipts (SmsReport)
carry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from django.conf import settings

from core.gateways.http import call
from core.notify import SmsError, SmsMessage, SmsTemporaryError, TemplateSmsBackend

# Codes that mean "not taken now, may be later": flow control and the provider's own trouble.
TEMPORARY_CODES = frozenset({
    "isp.SYSTEM_ERROR", "isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling", "ServiceUnavailable",
    "isv.DAY_LIMIT_CONTROL",
})


def percent_encode(value: str) -> str:
    return quote(str(value), safe="-_.~")


def string_to_sign(params: dict, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def signature(params: dict, secret: str, method: str = "POST") -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_params(message: SmsMessage, *, key_id: str, secret: str, now: datetime | None = None,
                  nonce: str | None = None) -> dict:
    params = {
        "AccessKeyId": key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex, "SignatureVersion": "1.0",
        "Timestamp": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
        "PhoneNumbers": message.to, "SignName": message.sign_name, "TemplateCode": message.template,
        "TemplateParam": json.dumps(message.params, ensure_ascii=False, separators=(",", ":")),
    }
    if message.reference:
        params["OutId"] = message.reference
    params["Signature"] = signature(params, secret)
    return params


class AliyunSmsBackend(TemplateSmsBackend):
    """``SMS_BACKEND=core.gateways.aliyun.AliyunSmsBackend``; ALIYUN_SMS_ACCESS_KEY_ID / _SECRET / _ENDPOINT."""

    def send_message(self, message: SmsMessage) -> str:
        self.check(message)
        params = signed_params(message, key_id=settings.ALIYUN_SMS_ACCESS_KEY_ID,
                               secret=settings.ALIYUN_SMS_ACCESS_KEY_SECRET)
        body = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in params.items()).encode()
        answer = call(settings.ALIYUN_SMS_ENDPOINT, data=body,
                      headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        code = answer.get("Code", "")
        if code == "OK":
            return str(answer.get("BizId", ""))
        error = f"Aliyun {code or 'no code'}: {answer.get('Message', '')}"
        raise (SmsTemporaryError if code in TEMPORARY_CODES else SmsError)(error)
