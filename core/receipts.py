"""Delivery receipts (状态报告): what the gateway later says happened to a message it took.

Each provider pushes its receipts to a URL we give it (the views in ``complaints.messages_views``):

* Aliyun SMS, "短信发送状态报告" HTTP batch push (https://help.aliyun.com/document_detail/101867.html): a JSON list of
  ``{"phone_number", "send_time", "report_time", "success", "err_code", "err_msg", "biz_id", "out_id"}``; answer
  ``{"code": 0, "msg": "成功"}``;
* Tencent Cloud SMS, "短信下发状态回调" (https://cloud.tencent.com/document/product/382/52077): a JSON list of
  ``{"user_receive_time", "nationcode", "mobile", "report_status": "SUCCESS"|"FAIL", "errmsg", "description",
  "sid"}``; answer ``{"result": 0, "errmsg": "OK"}``;
* WeChat, the ``TEMPLATESENDJOBFINISH`` event pushed to the official account's server URL, signed as WeChat documents
  (``signature = SHA1(sort(token, timestamp, nonce))``), ``Status`` ``success`` or ``failed:...``.

Neither SMS provider signs its pushes, so the URL carries a secret (``SMS_RECEIPT_TOKEN``) and a receipt is applied
only to the message with that provider id AND that mobile number: a guessed id changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.models import Notification


def _when(text: str | None) -> datetime:
    parsed = parse_datetime(text or "") if text else None
    if parsed is None:
        return timezone.now()
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _digits(mobile: str) -> str:
    digits = "".join(ch for ch in mobile or "" if ch.isdigit())
    return digits[-11:]


@transaction.atomic
def notification_receipt(*, channel: str, provider_id: str, delivered: bool, status: str, at: datetime,
                         mobile: str = "") -> bool:
    """Store one receipt on the message it is about; False when no such message (unknown id or number)."""
    if not provider_id:
        return False
    rows = Notification.objects.select_for_update().filter(channel=channel, provider_id=provider_id)
    for note in rows:
        if mobile and _digits(note.address) != _digits(mobile):
            continue
        note.delivered, note.receipt_status, note.receipt_at = delivered, status[:64], at
        note.save(update_fields=["delivered", "receipt_status", "receipt_at"])
        return True
    return False


def aliyun_receipts(items: list) -> int:
    done = 0
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        ok = item.get("success") in (True, "true")
        done += notification_receipt(
            channel=Notification.Channel.SMS, provider_id=str(item.get("biz_id", "")), delivered=ok,
            status=str(item.get("err_code") or ("DELIVERED" if ok else "FAILED")),
            at=_when(item.get("report_time")), mobile=str(item.get("phone_number", "")))
    return done


def tencent_receipts(items: list) -> int:
    done = 0
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        ok = item.get("report_status") == "SUCCESS"
        done += notification_receipt(
            channel=Notification.Channel.SMS, provider_id=str(item.get("sid", "")), delivered=ok,
            status=str(item.get("errmsg") or item.get("report_status") or ""),
            at=_when(item.get("user_receive_time")), mobile=str(item.get("mobile", "")))
    return done


def wechat_signature_ok(*, token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """WeChat's server-URL check: SHA1 of token, timestamp and nonce sorted and joined."""
    if not token or not signature:
        return False
    expected = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return hmac.compare_digest(expected, signature)


def wechat_receipt(*, msg_id: str, status: str, at: datetime | None = None) -> bool:
    return notification_receipt(channel=Notification.Channel.WECHAT, provider_id=msg_id,
                                delivered=status == "success", status=status, at=at or timezone.now())
