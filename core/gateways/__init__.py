"""Adapters for real message gateways (Aliyun SMS, Tencent Cloud SMS, WeChat official-account template messages).

Each one signs its requests exactly as its provider documents and maps the provider's answers onto ``SmsError``
(refused: do not try again) and ``SmsTemporaryError`` (certainly not taken: the task retries). Chosen by settings:
``SMS_BACKEND=core.gateways.aliyun.AliyunSmsBackend`` / ``core.gateways.tencent.TencentSmsBackend``; WeChat by
``WECHAT_APP_ID`` (see ``core.delivery``).
"""
