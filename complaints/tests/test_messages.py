"""Messages (issue 17 item 7): consent and opt-out with quiet hours for every reminder and marketing kind, delivery
receipts from each provider (checked as the provider documents), the station's message page with resend, and the
consent panel on the customer page."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core import delivery
from core.consent import consent_record, may_contact
from core.models import ContactConsent, Notification
from core.notifications import notification_send
from core.notify import MemorySmsBackend
from reception.factories import CustomerFactory

S = Notification.Status
pytestmark = pytest.mark.django_db
TOKEN = "receipt-secret-abc"


@pytest.fixture
def gateway():
    MemorySmsBackend.outbox.clear()
    # No quiet hours unless a test sets them (the tests must not depend on the time they run at).
    with override_settings(SMS_BACKEND="core.notify.MemorySmsBackend", SMS_RECEIPT_TOKEN=TOKEN,
                           WECHAT_SERVER_TOKEN="wx-server-token", QUIET_HOURS=(0, 0)):
        yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


def _send(customer, key, capture, **kw):
    with capture(execute=True):
        note = notification_send(channel="sms", to_customer=customer, subject="提醒", body="内容", key=key, **kw)
    note.refresh_from_db()
    return note


# --- consent and opt-out ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["appointment-reminder:1:2026-12-07", "maintenance-reminder:3:9", "reminder:x"])
def test_a_reminder_to_an_opted_out_customer_is_withheld(gateway, customer, alice, key,
                                                         django_capture_on_commit_callbacks):
    consent_record(customer=customer, granted=False, source=ContactConsent.Source.REPLY, note="TD")
    customer.refresh_from_db()
    assert customer.contact_consent is False
    note = _send(customer, key, django_capture_on_commit_callbacks)
    assert note.status == S.WITHHELD and gateway == []


def test_transactional_messages_still_go_to_an_opted_out_customer(gateway, customer, alice,
                                                                   django_capture_on_commit_callbacks):
    consent_record(customer=customer, granted=False, source=ContactConsent.Source.DESK, by=alice)
    note = _send(customer, "booking-code:77", django_capture_on_commit_callbacks)
    assert note.status == S.SENT and len(gateway) == 1
    note = _send(customer, None, django_capture_on_commit_callbacks)  # "car ready" and the like carry no key
    assert note.status == S.SENT and len(gateway) == 2


def test_marketing_needs_an_explicit_yes(gateway, customer, alice, django_capture_on_commit_callbacks):
    assert customer.contact_consent  # the default flag is not a marketing consent
    assert _send(customer, "marketing:spring:1", django_capture_on_commit_callbacks).status == S.WITHHELD
    consent_record(customer=customer, granted=True, source=ContactConsent.Source.CUSTOMER_PAGE)
    assert _send(customer, "marketing:spring:2", django_capture_on_commit_callbacks).status == S.SENT


def test_an_opt_out_for_one_channel_keeps_the_others(customer):
    consent_record(customer=customer, granted=False, source=ContactConsent.Source.DESK, channel="wechat")
    assert not may_contact(customer=customer, channel="wechat", kind="reminder")
    assert may_contact(customer=customer, channel="sms", kind="reminder")
    customer.refresh_from_db()
    assert customer.contact_consent is True  # a one-channel answer does not change the every-channel flag


def test_every_reminder_and_marketing_kind_waits_out_the_quiet_hours(gateway, customer,
                                                                      django_capture_on_commit_callbacks):
    consent_record(customer=customer, granted=True, source=ContactConsent.Source.DESK)
    night = timezone.make_aware(datetime(2026, 12, 6, 22, 30))
    with mock.patch("core.delivery.timezone.now", return_value=night), override_settings(QUIET_HOURS=(21, 8)):
        for key in ("appointment-reminder:1:d", "maintenance-reminder:1:2", "reminder:1", "marketing:1"):
            assert delivery.message_class(key) != "transactional"
            assert _send(customer, key, django_capture_on_commit_callbacks).status == S.QUEUED
        assert _send(customer, "booking-code:9", django_capture_on_commit_callbacks).status == S.SENT
    assert len(gateway) == 1


# --- delivery receipts -----------------------------------------------------------------------------------------------


def _sent(customer, provider_id, capture, channel="sms"):
    note = _send(customer, None, capture)
    Notification.objects.filter(pk=note.pk).update(provider_id=provider_id, channel=channel)
    return note


def test_an_aliyun_receipt_is_stored_on_its_message(client, gateway, customer, django_capture_on_commit_callbacks):
    note = _sent(customer, "900619746936498440^0", django_capture_on_commit_callbacks)
    push = [{"phone_number": customer.mobile, "send_time": "2026-12-06 10:00:00", "report_time": "2026-12-06 10:00:05",
             "success": True, "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1",
             "biz_id": "900619746936498440^0", "out_id": str(note.pk)}]
    url = reverse("complaints:receipt_aliyun", args=[TOKEN])
    response = client.post(url, json.dumps(push), content_type="application/json")
    assert response.status_code == 200 and response.json() == {"code": 0, "msg": "成功"}
    note.refresh_from_db()
    assert (note.delivered, note.receipt_status) == (True, "DELIVERED")
    assert timezone.localtime(note.receipt_at).strftime("%H:%M:%S") == "10:00:05"


def test_a_receipt_with_a_wrong_token_or_another_number_changes_nothing(client, gateway, customer,
                                                                         django_capture_on_commit_callbacks):
    note = _sent(customer, "2640:0000000001", django_capture_on_commit_callbacks)
    push = [{"user_receive_time": "2026-12-06 10:00:05", "nationcode": "86", "mobile": customer.mobile,
             "report_status": "FAIL", "errmsg": "MK:0004", "description": "用户拒收", "sid": "2640:0000000001"}]
    bad = client.post(reverse("complaints:receipt_tencent", args=["guess"]), json.dumps(push),
                      content_type="application/json")
    assert bad.status_code == 404
    other = [{**push[0], "mobile": "13000000000"}]
    client.post(reverse("complaints:receipt_tencent", args=[TOKEN]), json.dumps(other), content_type="application/json")
    note.refresh_from_db()
    assert note.receipt_at is None
    ok = client.post(reverse("complaints:receipt_tencent", args=[TOKEN]), json.dumps(push),
                     content_type="application/json")
    assert ok.json() == {"result": 0, "errmsg": "OK"}
    note.refresh_from_db()
    assert (note.delivered, note.receipt_status) == (False, "MK:0004")


def _wechat_query(token="wx-server-token", timestamp="1733450000", nonce="n0nce"):
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return f"?signature={signature}&timestamp={timestamp}&nonce={nonce}"


def test_the_wechat_event_push_is_verified_by_its_signature(client, gateway, customer,
                                                             django_capture_on_commit_callbacks):
    note = _sent(customer, "200228332", django_capture_on_commit_callbacks, channel="wechat")
    url = reverse("complaints:receipt_wechat")
    assert client.get(url + _wechat_query() + "&echostr=hello").content == b"hello"
    event = ("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oOPENID]]></FromUserName>"
             "<CreateTime>1733450000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
             "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200228332</MsgID>"
             "<Status><![CDATA[success]]></Status></xml>")
    forged = client.post(url + _wechat_query(token="guessed"), event, content_type="text/xml")
    assert forged.status_code == 403
    note.refresh_from_db()
    assert note.receipt_at is None
    assert client.post(url + _wechat_query(), event, content_type="text/xml").content == b"success"
    note.refresh_from_db()
    assert (note.delivered, note.receipt_status) == (True, "success")


# --- the station's message page, resend, the customer's consent panel ------------------------------------------------


def test_the_message_page_lists_the_stations_messages_filters_and_resends_a_failed_one(
        client_as, alice, mallory, gateway, customer, django_capture_on_commit_callbacks):
    ok = _send(customer, None, django_capture_on_commit_callbacks)
    failed = _send(customer, "booking-code:1", django_capture_on_commit_callbacks)
    Notification.objects.filter(pk=failed.pk).update(status=S.FAILED, error="Aliyun isv.BUSINESS_LIMIT_CONTROL")
    elsewhere = _send(CustomerFactory(station=mallory.station), None, django_capture_on_commit_callbacks)
    client = client_as(alice)
    body = client.get(reverse("complaints:messages")).content.decode()
    assert f'data-message="{ok.pk}"' in body and f'data-message="{failed.pk}"' in body
    assert f'data-message="{elsewhere.pk}"' not in body
    body = client.get(reverse("complaints:messages"), {"status": "failed", "channel": "sms"}).content.decode()
    assert f'data-message="{failed.pk}"' in body and f'data-message="{ok.pk}"' not in body
    assert client_as(mallory).post(reverse("complaints:message_resend", args=[failed.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(alice).post(reverse("complaints:message_resend", args=[failed.pk]),
                                         {"query": "status=failed"})
    assert response.status_code == 302 and response["Location"].endswith("?status=failed")
    failed.refresh_from_db()
    assert failed.status == S.SENT


def test_the_message_page_pages_by_keyset_without_a_query_per_row(client_as, alice, gateway, customer,
                                                                   django_assert_max_num_queries,
                                                                   django_capture_on_commit_callbacks):
    for n in range(60):
        _send(CustomerFactory(station=customer.station), f"booking-code:p{n}", django_capture_on_commit_callbacks)
    client = client_as(alice)
    client.get(reverse("complaints:messages"))
    with django_assert_max_num_queries(25):
        first = client.get(reverse("complaints:messages"))
    body = first.content.decode()
    assert body.count("data-message=") == 50 and 'rel="next"' in body
    next_query = first.context["page"].next_query
    second = client.get(reverse("complaints:messages") + "?" + next_query).content.decode()
    assert second.count("data-message=") == 10


def test_staff_record_an_opt_out_and_the_customer_page_shows_it(client_as, alice, customer):
    client = client_as(alice)
    url = reverse("complaints:customer_consent", args=[customer.pk])
    assert client.post(url, {"granted": "maybe", "source": "desk"}).status_code == 400
    response = client.post(url, {"granted": "no", "source": "reply", "channel": "", "note": "回复 TD"})
    assert response.status_code == 302
    row = ContactConsent.objects.get(customer=customer)
    assert (row.granted, row.source, row.recorded_by, row.note) == (False, "reply", alice, "回复 TD")
    customer.refresh_from_db()
    assert customer.contact_consent is False
    page = client.get(reverse("reception:customer_detail", args=[customer.pk])).content.decode()
    assert 'id="consent-panel"' in page and "回复 TD" in page


def test_another_stations_customer_consent_is_not_found(client_as, mallory, customer):
    url = reverse("complaints:customer_consent", args=[customer.pk])
    assert client_as(mallory).post(url, {"granted": "no", "source": "desk"}).status_code == 404
    assert not ContactConsent.objects.exists()


@pytest.mark.parametrize("provider,payload", [
    ("aliyun", lambda mobile: [{"phone_number": mobile, "content": "TD", "send_time": "2026-12-06 10:00:00",
                                "sign_name": "星河汽车", "dest_code": "1", "sequence_id": 1}]),
    ("tencent", lambda mobile: {"mobile": mobile, "nationcode": "86", "text": "td", "sign": "星河汽车",
                                "time": 1733450000, "extend": ""}),
])
def test_a_td_reply_opts_the_customer_out(client, gateway, customer, provider, payload):
    other = CustomerFactory(station=customer.station)
    url = reverse(f"complaints:reply_{provider}", args=[TOKEN])
    assert client.post(reverse(f"complaints:reply_{provider}", args=["guess"]), json.dumps(payload(customer.mobile)),
                       content_type="application/json").status_code == 404
    chat = payload(other.mobile)
    if isinstance(chat, list):
        chat[0]["content"] = "好的，谢谢"
    else:
        chat["text"] = "好的，谢谢"
    client.post(url, json.dumps(chat), content_type="application/json")  # not an opt-out word: nothing recorded
    assert client.post(url, json.dumps(payload(customer.mobile)), content_type="application/json").status_code == 200
    row = ContactConsent.objects.get()
    assert (row.customer, row.granted, row.source) == (customer, False, ContactConsent.Source.REPLY)
    customer.refresh_from_db()
    other.refresh_from_db()
    assert customer.contact_consent is False and other.contact_consent is True
