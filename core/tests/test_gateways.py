"""The real gateways (Aliyun SMS, Tencent Cloud SMS, WeChat template messages) against local stand-ins that check the
signature like the provider and answer in its documented format; template resolution and the generic fallback."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from core.gateways import aliyun, tencent
from core.gateways.wechat import WechatTemplateSender
from core.models import Notification
from core.notifications import notification_send
from core.notify import SmsError, SmsMessage, SmsTemporaryError
from core.sms_templates import GENERIC_PARAM, sms_message
from core.tests.fake_gateways import FakeAliyun, FakeTencent, FakeWechat

S = Notification.Status
pytestmark = [pytest.mark.django_db]
TEMPLATES = {"appointment-reminder": "SMS_270000001", "booking-code": "SMS_270000004"}


# --- the documented signature examples -----------------------------------------------------------------------------


def test_aliyun_signature_matches_the_documented_example():
    # help.aliyun.com/document_detail/101343.html: the GET example with AccessKeySecret "testSecret".
    params = {
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert aliyun.signature(params, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert aliyun.percent_encode("a b*c~d") == "a%20b%2Ac~d"


def test_tencent_tc3_signature_matches_the_documented_example():
    # cloud.tencent.com "签名方法 v3": DescribeInstances on cvm, timestamp 1551113065 (2019-02-25).
    payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    assert tencent.tc3_signature(secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", host="cvm.tencentcloudapi.com",
                                 payload=payload, timestamp=1551113065, service="cvm") == (
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")


# --- Aliyun --------------------------------------------------------------------------------------------------------


@pytest.fixture
def fake_aliyun():
    with FakeAliyun() as fake, override_settings(
        SMS_BACKEND="core.gateways.aliyun.AliyunSmsBackend", ALIYUN_SMS_ENDPOINT=fake.url + "/",
        ALIYUN_SMS_ACCESS_KEY_ID=FakeAliyun.KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET=FakeAliyun.SECRET,
        SMS_SIGN_NAME="星河汽车", SMS_TEMPLATES=TEMPLATES, SMS_GENERIC_TEMPLATE="SMS_270000000",
    ):
        yield fake


def _message(**kw):
    return SmsMessage(**{"to": "13900001111", "body": "您的验证码 123456", "template": "SMS_270000004",
                         "params": {"code": "123456"}, "sign_name": "星河汽车", "reference": "42", **kw})


def test_aliyun_sends_a_signed_template_message_and_returns_the_biz_id(fake_aliyun):
    biz_id = aliyun.AliyunSmsBackend().send_message(_message())
    assert biz_id.endswith("^0")
    sent = fake_aliyun.requests[-1]
    assert (sent["PhoneNumbers"], sent["SignName"], sent["TemplateCode"], sent["OutId"]) == (
        "13900001111", "星河汽车", "SMS_270000004", "42")
    assert sent["TemplateParam"] == '{"code":"123456"}'


def test_aliyun_with_a_wrong_secret_is_refused_by_the_signature_check(fake_aliyun):
    with override_settings(ALIYUN_SMS_ACCESS_KEY_SECRET="not-the-secret"):
        with pytest.raises(SmsError, match="SignatureDoesNotMatch") as caught:
            aliyun.AliyunSmsBackend().send_message(_message())
    assert not isinstance(caught.value, SmsTemporaryError)


def test_aliyun_error_codes_map_to_permanent_and_temporary(fake_aliyun):
    fake_aliyun.answer = "bad-number"
    with pytest.raises(SmsError, match="isv.MOBILE_NUMBER_ILLEGAL") as caught:
        aliyun.AliyunSmsBackend().send_message(_message())
    assert not isinstance(caught.value, SmsTemporaryError)
    fake_aliyun.answer = "throttled"
    with pytest.raises(SmsTemporaryError, match="BUSINESS_LIMIT_CONTROL"):
        aliyun.AliyunSmsBackend().send_message(_message())


def test_a_gateway_that_refuses_the_connection_is_a_temporary_error(fake_aliyun):
    with override_settings(ALIYUN_SMS_ENDPOINT="http://127.0.0.1:9/"):  # discard port: nothing listens
        with pytest.raises(SmsTemporaryError):
            aliyun.AliyunSmsBackend().send_message(_message())


def test_an_outbox_sms_goes_through_aliyun_with_the_generic_template_when_it_has_none(
        fake_aliyun, alice, django_capture_on_commit_callbacks):
    """Backward compatible: a sender that passes only subject and body (as every caller did) still gets its SMS out,
    through the generic template with the text as its one parameter."""
    alice.phone = "13900002222"
    alice.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(channel="sms", to_staff=alice, subject="提醒", body="明天 9:00 保养", key="x:1")
    note.refresh_from_db()
    assert note.status == S.SENT and note.provider_id.endswith("^0")
    sent = fake_aliyun.requests[-1]
    assert sent["TemplateCode"] == "SMS_270000000"
    assert sent["TemplateParam"] == '{"content":"提醒 明天 9:00 保养"}'
    assert sent["OutId"] == str(note.pk)


def test_a_message_with_its_own_template_uses_the_mapped_code_and_its_parameters(
        fake_aliyun, alice, django_capture_on_commit_callbacks):
    alice.phone = "13900003333"
    alice.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(channel="sms", to_staff=alice, subject="预约验证码", body="验证码 654321",
                                 template="booking-code", params={"code": "654321"})
    note.refresh_from_db()
    assert (note.status, note.template, note.params) == (S.SENT, "booking-code", {"code": "654321"})
    sent = fake_aliyun.requests[-1]
    assert (sent["TemplateCode"], sent["TemplateParam"]) == ("SMS_270000004", '{"code":"654321"}')


def test_a_refused_sms_is_recorded_failed_with_the_providers_code(fake_aliyun, alice,
                                                                   django_capture_on_commit_callbacks):
    alice.phone = "13900004444"
    alice.save(update_fields=["phone"])
    fake_aliyun.answer = "bad-number"
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(channel="sms", to_staff=alice, subject="提醒", body="x")
    note.refresh_from_db()
    assert note.status == S.FAILED and "isv.MOBILE_NUMBER_ILLEGAL" in note.error


@override_settings(SMS_TEMPLATES=TEMPLATES, SMS_GENERIC_TEMPLATE="SMS_GENERIC", SMS_SIGN_NAME="总部",
                   SMS_STATION_SIGN_NAMES={"7": "分店"})
def test_template_resolution_by_kind_key_and_station_signature():
    by_key = Notification(address="1", subject="s", body="b", key="appointment-reminder:5:2026-12-07",
                          params={"date": "12月7日"}, station_id=7)
    message = sms_message(by_key)
    assert (message.template, message.params, message.sign_name) == ("SMS_270000001", {"date": "12月7日"}, "分店")
    unmapped = Notification(address="1", subject="s", body="b", template="car-ready", params={"x": "1"}, station_id=8)
    message = sms_message(unmapped)
    assert (message.template, message.params, message.sign_name) == ("SMS_GENERIC", {GENERIC_PARAM: "s b"}, "总部")


# --- Tencent -------------------------------------------------------------------------------------------------------


@pytest.fixture
def fake_tencent():
    with FakeTencent() as fake, override_settings(
        SMS_BACKEND="core.gateways.tencent.TencentSmsBackend", TENCENT_SMS_ENDPOINT=fake.url,
        TENCENT_SMS_SECRET_ID=FakeTencent.SECRET_ID, TENCENT_SMS_SECRET_KEY=FakeTencent.SECRET_KEY,
        TENCENT_SMS_SDK_APP_ID=FakeTencent.APP_ID, SMS_SIGN_NAME="星河汽车", SMS_TEMPLATES=TEMPLATES,
        SMS_GENERIC_TEMPLATE="100000",
    ):
        yield fake


def test_tencent_sends_a_signed_request_and_returns_the_serial_number(fake_tencent):
    serial = tencent.TencentSmsBackend().send_message(_message(params={"code": "123456", "minutes": "5"}))
    assert serial.startswith("2640:")
    sent = fake_tencent.requests[-1]["body"]
    assert sent["PhoneNumberSet"] == ["+8613900001111"]
    assert (sent["TemplateId"], sent["TemplateParamSet"], sent["SignName"]) == (
        "SMS_270000004", ["123456", "5"], "星河汽车")


def test_tencent_with_a_wrong_key_fails_the_signature_check(fake_tencent):
    with override_settings(TENCENT_SMS_SECRET_KEY="wrong"):
        with pytest.raises(SmsError, match="AuthFailure.SignatureFailure") as caught:
            tencent.TencentSmsBackend().send_message(_message())
    assert not isinstance(caught.value, SmsTemporaryError)


def test_tencent_error_codes_map_to_permanent_and_temporary(fake_tencent):
    fake_tencent.answer = "bad-number"
    with pytest.raises(SmsError, match="IncorrectPhoneNumber") as caught:
        tencent.TencentSmsBackend().send_message(_message())
    assert not isinstance(caught.value, SmsTemporaryError)
    fake_tencent.answer = "throttled"
    with pytest.raises(SmsTemporaryError, match="RequestLimitExceeded"):
        tencent.TencentSmsBackend().send_message(_message())


def test_an_outbox_sms_through_tencent_is_recorded_sent_with_its_serial(fake_tencent, alice,
                                                                         django_capture_on_commit_callbacks):
    alice.phone = "13900005555"
    alice.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(channel="sms", to_staff=alice, subject="提醒", body="取车")
    note.refresh_from_db()
    assert note.status == S.SENT and note.provider_id.startswith("2640:")
    assert fake_tencent.requests[-1]["body"]["TemplateParamSet"] == ["提醒 取车"]


# --- WeChat --------------------------------------------------------------------------------------------------------


@pytest.fixture
def fake_wechat():
    cache.clear()
    with FakeWechat() as fake, override_settings(
        WECHAT_API_BASE=fake.url, WECHAT_APP_ID=FakeWechat.APP_ID, WECHAT_APP_SECRET=FakeWechat.APP_SECRET,
    ):
        yield fake
    cache.clear()


def _wechat(**kw):
    return SmsMessage(**{"to": "oOPENID123", "body": "车辆已完工", "template": "tmpl-ready",
                         "params": {"first": "您的车辆已完工", "keyword1": "沪A12345"}, **kw})


def test_wechat_fetches_a_token_once_and_sends_the_template_message(fake_wechat):
    sender = WechatTemplateSender()
    first = sender.send_message(_wechat())
    second = sender.send_message(_wechat())
    assert first and second and first != second
    assert fake_wechat.token_fetches == 1  # cached between messages
    sent = fake_wechat.requests[-1]["body"]
    assert sent == {"touser": "oOPENID123", "template_id": "tmpl-ready",
                    "data": {"first": {"value": "您的车辆已完工"}, "keyword1": {"value": "沪A12345"}}}


def test_wechat_fetches_a_new_token_when_the_cached_one_is_rejected(fake_wechat):
    cache.set(f"wechat:access-token:{FakeWechat.APP_ID}", "STALE", 600)
    assert WechatTemplateSender().send_message(_wechat())
    assert fake_wechat.token_fetches == 1


def test_wechat_errors_map_to_permanent_and_temporary(fake_wechat):
    fake_wechat.answer = "unsubscribed"
    with pytest.raises(SmsError, match="43004") as caught:
        WechatTemplateSender().send_message(_wechat())
    assert not isinstance(caught.value, SmsTemporaryError)
    fake_wechat.answer = "busy"
    with pytest.raises(SmsTemporaryError):
        WechatTemplateSender().send_message(_wechat())
    with override_settings(WECHAT_APP_SECRET="wrong"):
        cache.clear()
        with pytest.raises(SmsError, match="40125"):
            WechatTemplateSender().send_message(_wechat())
