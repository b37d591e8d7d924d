"""Local stand-ins for the SMS and WeChat providers: a threaded HTTP server on a free loopback port that checks each
request's signature the way the provider does — recomputed here independently of core.gateways — and answers in the
provider's documented format. ``answer`` picks the outcome; ``requests`` keeps what arrived. No outside network."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit


class FakeProvider:
    def __init__(self):
        self.answer = "ok"
        self.requests: list[dict] = []
        self.nonces: set[str] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _reply(self, status: int, payload: dict):
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                status, payload = provider.handle("GET", self.path, dict(self.headers), b"")
                self._reply(status, payload)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, payload = provider.handle("POST", self.path, dict(self.headers), body)
                self._reply(status, payload)

        return Handler


# --- Aliyun dysmsapi SendSms (RPC, signature version 1.0, HMAC-SHA1) -------------------------------------------------


def aliyun_expected_signature(params: dict, secret: str, method: str = "POST") -> str:
    enc = lambda s: quote(str(s), safe="~")  # noqa: E731 - RFC 3986 unreserved kept; quote keeps -_. already
    query = "&".join(f"{enc(k)}={enc(params[k])}" for k in sorted(params))
    to_sign = f"{method}&{enc('/')}&{enc(query)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeAliyun(FakeProvider):
    KEY_ID, SECRET = "LTAI-test-id", "aliyun-test-secret"

    def handle(self, method, path, headers, body):
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        self.requests.append(params)
        request_id = f"req-{len(self.requests)}"
        given = params.pop("Signature", "")
        if params.get("AccessKeyId") != self.KEY_ID:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found.",
                         "RequestId": request_id}
        if not hmac.compare_digest(given, aliyun_expected_signature(params, self.SECRET)):
            return 400, {"Code": "SignatureDoesNotMatch", "RequestId": request_id,
                         "Message": "Specified signature is not matched with our calculation."}
        nonce = params.get("SignatureNonce", "")
        if not nonce or nonce in self.nonces:
            return 400, {"Code": "SignatureNonceUsed", "Message": "Specified signature nonce was used already.",
                         "RequestId": request_id}
        self.nonces.add(nonce)
        stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs((datetime.now(UTC) - stamp).total_seconds()) > 900:
            return 400, {"Code": "InvalidTimeStamp.Expired", "Message": "expired", "RequestId": request_id}
        required = {"Action": "SendSms", "Version": "2017-05-25", "SignatureMethod": "HMAC-SHA1",
                    "SignatureVersion": "1.0", "Format": "JSON"}
        if any(params.get(k) != v for k, v in required.items()):
            return 400, {"Code": "MissingParameter", "Message": "bad common parameters", "RequestId": request_id}
        json.loads(params["TemplateParam"])  # must be JSON
        if self.answer == "ok":
            return 200, {"Code": "OK", "Message": "OK", "BizId": f"9006197469364984{len(self.requests):02d}^0",
                         "RequestId": request_id}
        if self.answer == "throttled":
            return 200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1",
                         "RequestId": request_id}
        return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": request_id}


# --- Tencent Cloud SMS SendSms 2021-01-11 (TC3-HMAC-SHA256) ------------------------------------------------------


def tc3_expected(secret_key: str, *, host: str, content_type: str, body: bytes, timestamp: int) -> str:
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    canonical = (f"POST\n/\n\ncontent-type:{content_type}\nhost:{host}\n\ncontent-type;host\n"
                 f"{hashlib.sha256(body).hexdigest()}")
    to_sign = (f"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n"
               f"{hashlib.sha256(canonical.encode()).hexdigest()}")

    def mac(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = mac(mac(mac(("TC3" + secret_key).encode(), date), "sms"), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class FakeTencent(FakeProvider):
    SECRET_ID, SECRET_KEY, APP_ID = "AKID-test", "tencent-test-key", "1400000001"

    def handle(self, method, path, headers, body):
        headers = {k.lower(): v for k, v in headers.items()}
        self.requests.append({"headers": headers, "body": json.loads(body or b"{}")})
        request_id = f"req-{len(self.requests)}"

        def error(code, message):
            return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}}

        auth = headers.get("authorization", "")
        try:
            algorithm, rest = auth.split(" ", 1)
            parts = dict(p.strip().split("=", 1) for p in rest.split(","))
            secret_id, date, service, term = parts["Credential"].split("/")
        except ValueError:
            return error("AuthFailure.InvalidAuthorization", "Authorization is invalid")
        if algorithm != "TC3-HMAC-SHA256" or service != "sms" or term != "tc3_request":
            return error("AuthFailure.InvalidAuthorization", "Credential scope is invalid")
        if secret_id != self.SECRET_ID:
            return error("AuthFailure.SecretIdNotFound", "The SecretId is not found")
        timestamp = int(headers.get("x-tc-timestamp", "0"))
        if abs(time.time() - timestamp) > 300 or date != time.strftime("%Y-%m-%d", time.gmtime(timestamp)):
            return error("AuthFailure.SignatureExpire", "Signature expired")
        if parts.get("SignedHeaders") != "content-type;host":
            return error("AuthFailure.SignatureFailure", "SignedHeaders")
        expected = tc3_expected(self.SECRET_KEY, host=headers.get("host", ""), content_type=headers["content-type"],
                                body=body, timestamp=timestamp)
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            return error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
            return error("InvalidAction", "action or version")
        data = json.loads(body)
        if data.get("SmsSdkAppId") != self.APP_ID:
            return error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId not exist")
        if self.answer == "throttled":
            return error("RequestLimitExceeded", "request limit exceeded")
        phone = data["PhoneNumberSet"][0]
        if self.answer == "ok":
            status = {"SerialNo": f"2640:{len(self.requests):010d}", "PhoneNumber": phone, "Fee": 1,
                      "SessionContext": data.get("SessionContext", ""), "Code": "Ok", "Message": "send success",
                      "IsoCode": "CN"}
        else:
            status = {"SerialNo": "", "PhoneNumber": phone, "Fee": 0, "SessionContext": "",
                      "Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "incorrect phone number",
                      "IsoCode": "CN"}
        return 200, {"Response": {"SendStatusSet": [status], "RequestId": request_id}}


# --- WeChat official account: access_token and template messages ---------------------------------------------------


class FakeWechat(FakeProvider):
    APP_ID, APP_SECRET = "wx-test-app", "wx-test-secret"

    def __init__(self):
        super().__init__()
        self.token_fetches = 0
        self.current_token = ""

    def handle(self, method, path, headers, body):
        url = urlsplit(path)
        query = dict(parse_qsl(url.query))
        self.requests.append({"path": url.path, "query": query, "body": json.loads(body) if body else None})
        if url.path == "/cgi-bin/token":
            if query.get("grant_type") != "client_credential" or query.get("appid") != self.APP_ID:
                return 200, {"errcode": 40013, "errmsg": "invalid appid"}
            if query.get("secret") != self.APP_SECRET:
                return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}
            self.token_fetches += 1
            self.current_token = f"ACCESS_TOKEN_{self.token_fetches}"
            return 200, {"access_token": self.current_token, "expires_in": 7200}
        if url.path == "/cgi-bin/message/template/send":
            if query.get("access_token") != self.current_token or not self.current_token:
                return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
            data = json.loads(body)
            if not data.get("touser") or not data.get("template_id") or not isinstance(data.get("data"), dict):
                return 200, {"errcode": 47001, "errmsg": "data format error"}
            if self.answer == "ok":
                return 200, {"errcode": 0, "errmsg": "ok", "msgid": 200228332 + len(self.requests)}
            if self.answer == "busy":
                return 200, {"errcode": -1, "errmsg": "system error"}
            return 200, {"errcode": 43004, "errmsg": "require subscribe"}
        return 404, {"errcode": 404, "errmsg": "not found"}
