"""Tencent Cloud SMS (腾讯云短信, ``SendSms``, API version 2021-01-11), signed with TC3-HMAC-SHA256.

API: https://cloud.tencent.com/document/api/382/55981 (SendSms), signing: "签名方法 v3"
https://cloud.tencent.com/document/api/382/52072 (the same for every Tencent Cloud API):

1. CanonicalRequest = "POST\\n/\\n\\n" + "content-type:application/json; charset=utf-8\\nhost:<host>\\n" + "\\n"
   + "content-type;host\\n" + hex(SHA256(payload));
2. StringToSign = "TC3-HMAC-SHA256\\n" + timestamp + "\\n" + "<UTC date>/sms/tc3_request\\n" + hex(SHA256(CanonicalRequest));
3. SecretDate = HMAC-SHA256("TC3" + SecretKey, date); SecretService = HMAC-SHA256(SecretDate, "sms");
   SecretSigning = HMAC-SHA256(SecretService, "tc3_request"); Signature = hex(HMAC-SHA256(SecretSigning, StringToSign));
4. Authorization: "TC3-HMAC-SHA256 Credential=<SecretId>/<date>/sms/tc3_request, SignedHeaders=content-type;host,
   Signature=<signature>", with X-TC-Action: SendSms, X-TC-Version: 2021-01-11, X-TC-Timestamp, X-TC-Region.

Answer: ``{"Response": {"SendStatusSet": [{"SerialNo", "PhoneNumber", "Code": "Ok", "Message", ...}], "RequestId"}}``
or ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}``. SerialNo is the id the status callbacks carry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings

from core.gateways.http import call
from core.notify import SmsError, SmsMessage, SmsTemporaryError, TemplateSmsBackend

SERVICE = "sms"
CONTENT_TYPE = "application/json; charset=utf-8"
TEMPORARY_CODES = frozenset({
    "RequestLimitExceeded", "InternalError.SendAndRecvFail", "InternalError.Timeout", "InternalError.OtherError",
    "LimitExceeded.DeliveryFrequencyLimit", "ResourceUnavailable",
})


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tc3_signature(*, secret_key: str, host: str, payload: str, timestamp: int, service: str = SERVICE) -> str:
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join([
        "POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n", "content-type;host",
        hashlib.sha256(payload.encode()).hexdigest(),
    ])
    to_sign = "\n".join([
        "TC3-HMAC-SHA256", str(timestamp), f"{date}/{service}/tc3_request",
        hashlib.sha256(canonical.encode()).hexdigest(),
    ])
    signing = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(*, secret_id: str, secret_key: str, host: str, payload: str, timestamp: int,
                  service: str = SERVICE) -> str:
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    sig = tc3_signature(secret_key=secret_key, host=host, payload=payload, timestamp=timestamp, service=service)
    return (f"TC3-HMAC-SHA256 Credential={secret_id}/{date}/{service}/tc3_request, "
            f"SignedHeaders=content-type;host, Signature={sig}")


def e164(mobile: str) -> str:
    """Tencent wants +86 numbers (a mainland number without a country code gets +86)."""
    mobile = mobile.strip().replace(" ", "")
    return mobile if mobile.startswith("+") else f"+86{mobile}"


class TencentSmsBackend(TemplateSmsBackend):
    """``SMS_BACKEND=core.gateways.tencent.TencentSmsBackend``; TENCENT_SMS_SECRET_ID / _SECRET_KEY / _SDK_APP_ID /
    _REGION / _ENDPOINT."""

    def send_message(self, message: SmsMessage) -> str:
        self.check(message)
        payload = json.dumps({
            "PhoneNumberSet": [e164(message.to)], "SmsSdkAppId": settings.TENCENT_SMS_SDK_APP_ID,
            "SignName": message.sign_name, "TemplateId": message.template,
            # the template's {1}, {2}…: the parameters in the order they were given
            "TemplateParamSet": [str(v) for v in message.params.values()], "SessionContext": message.reference,
        }, ensure_ascii=False, separators=(",", ":"))
        endpoint = settings.TENCENT_SMS_ENDPOINT
        host = urlsplit(endpoint).netloc
        timestamp = int(time.time())
        headers = {
            "Content-Type": CONTENT_TYPE, "Host": host, "X-TC-Action": "SendSms", "X-TC-Version": "2021-01-11",
            "X-TC-Timestamp": str(timestamp), "X-TC-Region": settings.TENCENT_SMS_REGION,
            "Authorization": authorization(secret_id=settings.TENCENT_SMS_SECRET_ID,
                                           secret_key=settings.TENCENT_SMS_SECRET_KEY, host=host, payload=payload,
                                           timestamp=timestamp),
        }
        answer = call(endpoint, data=payload.encode(), headers=headers).get("Response", {})
        error = answer.get("Error")
        if error:
            raise self._error(error.get("Code", ""), error.get("Message", ""))
        statuses = answer.get("SendStatusSet") or []
        if not statuses:
            raise SmsError(f"Tencent answered no send status (request {answer.get('RequestId', '')})")
        status = statuses[0]
        if status.get("Code") != "Ok":
            raise self._error(status.get("Code", ""), status.get("Message", ""))
        return str(status.get("SerialNo", ""))

    @staticmethod
    def _error(code: str, text: str) -> SmsError:
        return (SmsTemporaryError if code in TEMPORARY_CODES else SmsError)(f"Tencent {code or 'no code'}: {text}")
