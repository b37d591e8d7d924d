"""The two-node deploy test (issue 14, item 7): the production set-up of deploy/, started for real, checked through nginx.

One module-scoped stack, everything on free loopback ports, everything in a temporary directory:
- a fresh PostgreSQL database (created, migrated, seeded by ``tests/deploy_seed.py``; dropped at the end),
- a private Redis (``redis-server --save ''``; stopped by the last test, so the shared Redis on 6379 is never
  touched), a moto S3 server with a bucket,
- static files collected with ``DEBUG=0`` (WhiteNoise's manifest storage), served by nginx from that STATIC_ROOT,
- two gunicorn "nodes" started as the systemd unit starts them (``-c deploy/gunicorn.conf.py``) with production
  settings (DEBUG=0, HTTPS redirect and secure cookies on), two Celery workers and two beats started with the
  ExecStart lines of ``deploy/systemd/`` (the beats with the Redis beat lock),
- nginx (Debian's nginx-light) with a configuration built from ``deploy/nginx/aftersales.conf`` and its includes: the
  site once per node, each with its plain-HTTP server and its "HTTPS" server. The test cannot hold a certificate
  the client trusts, so the "HTTPS" server listens without TLS (the ssl lines are dropped) and keeps everything else:
  it tells the app ``X-Forwarded-Proto: https`` as TLS termination does, on a non-443 port, so the app runs with its
  HTTPS redirect on and the client sends its secure cookies as a browser on that HTTPS address would.

Files: with S3 configured in settings (S3_BUCKET, the storage work of issue 14 item 3) each node gets a MEDIA_ROOT of
its own, so a file one node stored can only reach the other through the bucket (and the test checks it is in the
bucket). Without S3 support in settings the nodes share one MEDIA_ROOT (a shared disk) and nginx sends the files
through X-Accel-Redirect (``deploy/nginx/private-media.conf``); the test says which mode ran.

Logs of every process are in the temporary directory and printed when a test fails. Skipped (CI fails on a skip)
without PostgreSQL, nginx or redis-server.
"""

from __future__ import annotations

import base64
import getpass
import http.cookiejar
import io
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.deploy, pytest.mark.postgres]
PROBE_EVERY = 2  # seconds between two runs of the beat probe
ASSIGNED = re.compile(r'data-testid="assigned">([^<]*)<')


# --- processes ---------------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def start(self, name: str, command: list[str], env: dict, cwd: Path = ROOT) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.procs[name], self.logs[name] = proc, log
        return proc

    def stop(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop_all(self) -> None:
        running = [proc for proc in self.procs.values() if proc.poll() is None]
        for proc in running:  # all at once: each one's shutdown overlaps the others'
            os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in running:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def wait_port(self, name: str, port: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = self.procs[name]
            assert proc.poll() is None, f"{name} exited ({proc.returncode}):\n{self.tail(name)}"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{name} did not listen on {port}:\n{self.tail(name)}")

    def tail(self, name: str, chars: int = 4000) -> str:
        path = self.logs.get(name) or self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"

    def report(self) -> str:
        names = sorted({p.stem for p in self.tmp.glob("*.log")})
        return "\n".join(f"===== {name} =====\n{self.tail(name, 3000)}" for name in names)


def _run(command: list[str], env: dict, log: Path, timeout: float = 300) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    log.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"{shlex.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _exec_start(unit: str, **substitute: str) -> list[str]:
    """The ExecStart command of a deploy/systemd unit, for this checkout and venv instead of /opt/aftersales."""
    line = next(line for line in (DEPLOY / "systemd" / unit).read_text().splitlines()
                if line.startswith("ExecStart="))
    command = line.removeprefix("ExecStart=").replace("/opt/aftersales/.venv/bin/", f"{BIN}/")
    command = command.replace("/opt/aftersales/", f"{ROOT}/")
    for old, new in substitute.items():
        assert old in command, f"{old} not in {unit}'s ExecStart: {command}"
        command = command.replace(old, new)
    assert "%" not in command.replace("%%", ""), command  # systemd specifiers must all be substituted
    return shlex.split(command)


# --- nginx configuration from deploy/nginx ----------------------------------------------------------------------

def _site_for_node(node: str, *, upstream: str, http_port: int, https_port: int, static_root: Path,
                   media_root: Path, deploy_dir: Path) -> str:
    """deploy/nginx/aftersales.conf for one node: its placeholders filled, its upstream named after the node, and
    the TLS lines dropped (the "HTTPS" server listens without TLS and still says X-Forwarded-Proto https)."""
    text = (DEPLOY / "nginx" / "aftersales.conf").read_text()
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    text = text.replace("upstream aftersales {", f"upstream aftersales_{node} {{")
    text = text.replace("http://aftersales;", f"http://aftersales_{node};")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    assert "listen @HTTPS_PORT@ ssl http2;" in text
    text = text.replace("listen @HTTPS_PORT@ ssl http2;", f"listen 127.0.0.1:{https_port};")
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("ssl_"))
    for key, value in {"@SERVER_NAME@": "127.0.0.1", "@UPSTREAM@": upstream, "@HTTPS_PORT@": str(https_port),
                       "@STATIC_ROOT@": str(static_root), "@DEPLOY_DIR@": str(deploy_dir)}.items():
        text = text.replace(key, value)
    assert "@" not in text.replace("$", ""), text  # every placeholder filled
    return text


def _public_site(*, upstream: str, http_port: int, https_port: int, static_root: Path, deploy_dir: Path) -> str:
    """deploy/nginx/aftersales-public.conf, the customer pages' host, its TLS lines dropped like the nodes' sites."""
    text = (DEPLOY / "nginx" / "aftersales-public.conf").read_text()
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    assert "listen @PUBLIC_HTTPS_PORT@ ssl http2;" in text
    text = text.replace("listen @PUBLIC_HTTPS_PORT@ ssl http2;", f"listen 127.0.0.1:{https_port};")
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("ssl_"))
    for key, value in {"@PUBLIC_SERVER_NAME@": "127.0.0.1", "@UPSTREAM@": upstream,
                       "@PUBLIC_HTTPS_PORT@": str(https_port), "@STATIC_ROOT@": str(static_root),
                       "@DEPLOY_DIR@": str(deploy_dir)}.items():
        text = text.replace(key, value)
    assert "@" not in text.replace("$", ""), text
    return text


def _nginx_conf(tmp: Path, sites: list[str]) -> Path:
    # the includes, with MEDIA_ROOT filled in, next to the generated site (as an install copies them)
    deploy_copy = tmp / "deploy"
    (deploy_copy / "nginx").mkdir(parents=True)
    for name in ("aftersales-proxy.conf", "private-media.conf"):
        text = (DEPLOY / "nginx" / name).read_text().replace("@MEDIA_ROOT@", str(tmp / "media-shared"))
        (deploy_copy / "nginx" / name).write_text(text)
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # root: workers as us, able to read tmp
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / "nginx-temp" / sub).mkdir(parents=True, exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-temp/client_body;
    proxy_temp_path {tmp}/nginx-temp/proxy;
    fastcgi_temp_path {tmp}/nginx-temp/fastcgi;
    uwsgi_temp_path {tmp}/nginx-temp/uwsgi;
    scgi_temp_path {tmp}/nginx-temp/scgi;
{chr(10).join(sites)}
}}
""")
    return conf


# --- the client ---------------------------------------------------------------------------------------------------

class _BrowserPolicy(http.cookiejar.DefaultCookiePolicy):
    """Secure cookies are sent: the client plays the browser on the HTTPS side of the TLS terminator."""

    def return_ok_secure(self, cookie, request):
        return True


class Response:
    def __init__(self, status_code: int, url: str, headers, content: bytes):
        self.status_code, self.url, self.headers, self.content = status_code, url, headers, content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                         .encode())
    for name, (filename, data, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """Keeps cookies (secure ones too) and follows redirects, like a browser on https://127.0.0.1:<port>."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar(policy=_BrowserPolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _open(self, request: urllib.request.Request) -> Response:
        try:
            with self.opener.open(request, timeout=60) as response:
                return Response(response.status, response.url, response.headers, response.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.url, exc.headers, exc.read())

    def get(self, url: str) -> Response:
        return self._open(urllib.request.Request(url))

    def post_form(self, page_url: str, data: dict, *, action: str | None = None, files: dict | None = None,
                  origin: str | None = None) -> Response:
        """The form's page first (its CSRF token), then the POST as a browser on https://<host:port> sends it."""
        page = self.get(page_url)
        assert page.status_code == 200, (page_url, page.status_code, page.text[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        host, path = page_url.split("://", 1)[1].split("/", 1)
        origin = origin or f"https://{host}"
        fields = {**data, "csrfmiddlewaretoken": token}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urllib.parse.urlencode(fields, doseq=True).encode(), \
                "application/x-www-form-urlencoded"
        request = urllib.request.Request(action or page_url, data=body, method="POST", headers={
            "Content-Type": content_type, "Origin": origin, "Referer": f"{origin}/{path}"})
        return self._open(request)


def _photo_of_at_least(size: int) -> bytes:
    """A real JPEG of at least ``size`` bytes (noise does not compress)."""
    from PIL import Image

    side = 1400
    while True:
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=95)
        if out.tell() >= size:
            return out.getvalue()
        side += 200


def _signature_data_url() -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (413, 157), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 120), (90, 30), (160, 130), (240, 40), (390, 110)], fill=(0, 0, 0, 255), width=5)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


# --- the stack ------------------------------------------------------------------------------------------------------

def _needs() -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the two-node deploy test needs PostgreSQL (DATABASE_URL)")
    for binary in ("nginx", "redis-server"):
        if not shutil.which(binary) and not Path(f"/usr/sbin/{binary}").exists():
            pytest.skip(f"the two-node deploy test needs {binary} (.ci/run installs it)")
    if not (BIN / "moto_server").exists():
        pytest.skip("the two-node deploy test needs moto[server] (requirements.txt)")


def _admin_connection():
    import psycopg2

    db = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname="postgres", user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None,
                            host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432)
    conn.autocommit = True
    return conn


def _database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    _needs()
    import boto3
    import redis

    tmp = tmp_path_factory.mktemp("deploy")
    run = uuid.uuid4().hex[:8]
    stack = Stack(tmp)
    dbname = f"aftersales_deploy_{run}"
    admin = _admin_connection()
    try:
        # --- Redis (private), S3 (moto), the database ------------------------------------------------------------
        redis_port = _free_port()
        redis_server = shutil.which("redis-server") or "/usr/bin/redis-server"
        stack.start("redis", [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(tmp)], os.environ.copy())
        stack.wait_port("redis", redis_port)
        redis_url = f"redis://127.0.0.1:{redis_port}/14"
        redis.Redis.from_url(redis_url).flushdb()
        s3_port = _free_port()
        stack.start("moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], os.environ.copy())
        stack.wait_port("moto", s3_port)
        s3_endpoint, bucket = f"http://127.0.0.1:{s3_port}", f"aftersales-{run}"
        s3 = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="deploy-test",
                          aws_secret_access_key="deploy-test-secret", region_name="us-east-1")
        s3.create_bucket(Bucket=bucket)
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{dbname}"')

        # --- production environment -----------------------------------------------------------------------------
        base = {k: v for k, v in os.environ.items()
                if k not in ("AFTERSALES_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_QUEUE", "DATABASE_URL",
                             "REDIS_URL", "CACHE_URL", "PYTEST_CURRENT_TEST", "DJANGO_SETTINGS_MODULE")}
        env = {
            **base,
            "DEBUG": "0",
            "SECRET_KEY": f"deploy-test-{uuid.uuid4().hex}-{uuid.uuid4().hex}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": _database_url(dbname),
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": f"deploy-{run}",
            "TRUSTED_PROXIES": "127.0.0.1",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media-shared"),
            "LANGUAGE_CODE": "en",
            "LOG_FORMAT": "json",
            "SMS_BACKEND": "core.notify.LoggingSmsBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_ACCESS_KEY_ID": "deploy-test",
            "S3_SECRET_ACCESS_KEY": "deploy-test-secret",
            "S3_REGION": "us-east-1",
            "S3_ADDRESSING_STYLE": "path",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_TIMEOUT": "60",
        }
        python = [sys.executable, "manage.py"]
        collect = stack.start("collectstatic", [*python, "collectstatic", "--no-input"], env)
        _run([*python, "migrate", "--no-input"], env, tmp / "migrate.log", timeout=600)
        seed = json.loads(_run([sys.executable, "-m", "tests.deploy_seed"], env, tmp / "seed.log").strip()
                          .splitlines()[-1])
        backend = _run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                        "print(settings.STORAGES['default']['BACKEND'])"],
                       {**env, "DJANGO_SETTINGS_MODULE": "config.settings"}, tmp / "storage.log").strip()
        s3_mode = "s3" in backend.lower()
        assert collect.wait(timeout=300) == 0, stack.tail("collectstatic")
        assert (tmp / "static" / "staticfiles.json").exists()

        # --- two nodes: gunicorn, a worker and a beat each -----------------------------------------------------
        nodes = {}
        for node in ("a", "b"):
            port = _free_port()
            node_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
            if s3_mode:
                node_env["MEDIA_ROOT"] = str(tmp / f"media-{node}")  # nothing shared but the bucket
            else:
                node_env["PRIVATE_MEDIA_ACCEL"] = "/protected"
            nodes[node] = {"port": port, "env": node_env}
            stack.start(f"gunicorn-{node}", _exec_start("aftersales-web.service"), node_env)
        probe_key = f"deploy-probe-{run}"
        for node in ("a", "b"):
            node_env = {**nodes[node]["env"], "CELERY_BEAT_PROBE_EVERY": str(PROBE_EVERY),
                        "CELERY_BEAT_PROBE_KEY": probe_key}
            stack.start(f"worker-{node}", _exec_start("aftersales-worker-reports.service", **{
                "%H": f"node-{node}", "--concurrency=1": "--concurrency=1 --without-mingle --without-gossip"}),
                node_env)
            stack.start(f"beat-{node}", _exec_start("aftersales-beat.service", **{
                "/var/lib/aftersales/celerybeat-schedule": str(tmp / f"beat-{node}-schedule")}), node_env)
        for node in ("a", "b"):
            stack.wait_port(f"gunicorn-{node}", nodes[node]["port"])

        # --- nginx in front ---------------------------------------------------------------------------------------
        sites = []
        for node in ("a", "b"):
            nodes[node]["http"], nodes[node]["https"] = _free_port(), _free_port()
            sites.append(_site_for_node(node, upstream=f"127.0.0.1:{nodes[node]['port']}",
                                        http_port=nodes[node]["http"], https_port=nodes[node]["https"],
                                        static_root=tmp / "static", media_root=tmp / "media-shared",
                                        deploy_dir=tmp / "deploy"))
        public_http, public_https = _free_port(), _free_port()  # the customer pages' host, in front of node A
        sites.append(_public_site(upstream=f"127.0.0.1:{nodes['a']['port']}", http_port=public_http,
                                  https_port=public_https, static_root=tmp / "static", deploy_dir=tmp / "deploy"))
        conf = _nginx_conf(tmp, sites)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        startup_log = ["-e", str(tmp / "nginx-error.log")]  # not /var/log/nginx, before the config is read
        _run([nginx, "-t", "-p", str(tmp), "-c", str(conf), *startup_log], env, tmp / "nginx-t.log")
        stack.start("nginx", [nginx, "-p", str(tmp), "-c", str(conf), *startup_log], env)
        for node in ("a", "b"):
            stack.wait_port("nginx", nodes[node]["https"])
        for name in ("worker-a", "worker-b", "beat-a", "beat-b"):
            assert stack.procs[name].poll() is None, stack.tail(name)

        stack.seed, stack.env, stack.nodes, stack.s3_mode = seed, env, nodes, s3_mode
        stack.s3, stack.bucket, stack.redis_url, stack.probe_key = s3, bucket, redis_url, probe_key
        stack.https = {node: f"http://127.0.0.1:{nodes[node]['https']}" for node in nodes}
        stack.http = {node: f"http://127.0.0.1:{nodes[node]['http']}" for node in nodes}
        stack.public = f"http://127.0.0.1:{public_https}"
        stack.state = {}
        print(f"deploy stack: storage {'S3 (moto)' if s3_mode else 'shared disk + X-Accel-Redirect'}; logs in {tmp}")
        yield stack
    finally:
        stack.stop_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()


@pytest.fixture(autouse=True)
def _logs_on_failure(request):
    """Every process's log, printed after each test: pytest shows it only for a test that failed."""
    yield
    stack = request.node.funcargs.get("stack")
    if stack is not None:
        print(stack.report())


def _login(stack, node: str, username: str) -> Browser:
    browser = Browser()
    base = stack.https[node]
    response = browser.post_form(f"{base}/accounts/login/", {"username": username,
                                                             "password": stack.seed["password"]})
    assert response.status_code == 200, (response.status_code, response.text[:1000])
    assert "/accounts/login/" not in response.url, "login failed: " + response.text[:1000]
    return browser


# --- the checks, in order (the last one stops Redis) -----------------------------------------------------------------

def test_healthz_over_plain_http_answers_200_while_everything_else_redirects_to_https(stack):
    import requests

    for node in ("a", "b"):
        response = requests.get(f"{stack.http[node]}/healthz", allow_redirects=False, timeout=10)
        assert response.status_code == 200, (response.status_code, response.headers)
        assert response.json()["database"] == "ok" and response.json()["broker"] == "ok"
        ready = requests.get(f"{stack.http[node]}/healthz/ready", allow_redirects=False, timeout=10)
        assert ready.status_code == 200, ready.text
        page = requests.get(f"{stack.http[node]}/accounts/login/", allow_redirects=False, timeout=10)
        assert page.status_code == 301
        assert page.headers["Location"] == f"https://127.0.0.1:{stack.nodes[node]['https']}/accounts/login/"
    # The app itself redirects plain HTTP (SECURE_SSL_REDIRECT is on): only the health checks are exempt.
    direct = requests.get(f"http://127.0.0.1:{stack.nodes['a']['port']}/accounts/login/",
                          headers={"X-Forwarded-Proto": "http"}, allow_redirects=False, timeout=10)
    assert direct.status_code == 301 and direct.headers["Location"].startswith("https://")
    # the static files collected with DEBUG=0 are served by nginx from STATIC_ROOT, with their hashed names
    manifest = json.loads((stack.tmp / "static" / "staticfiles.json").read_text())["paths"]
    css = requests.get(f"{stack.https['a']}/static/{manifest['vendor/bootstrap/bootstrap.min.css']}", timeout=10)
    assert css.status_code == 200 and "immutable" in css.headers.get("Cache-Control", "")


def test_login_through_nginx_on_a_non_443_port(stack):
    browser = _login(stack, "a", "alice")
    # the session is shared: node B knows alice
    response = browser.get(f"{stack.https['b']}/reception/orders/{stack.seed['order']}/")
    assert response.status_code == 200 and stack.seed["order_number"] in response.text
    # The port matters: nginx passes Host with it ($http_host); without it the CSRF check refuses the login.
    refused = Browser().post_form(f"{stack.https['a']}/accounts/login/",
                                  {"username": "alice", "password": stack.seed["password"]},
                                  origin="https://127.0.0.1")
    assert refused.status_code == 403  # an origin without the port is another origin


def test_the_public_host_serves_booking_and_refuses_staff_pages(stack):
    """deploy/nginx/aftersales-public.conf: online booking works through it end to end up to the SMS code; the staff
    pages, the login and the admin are 404 there (while the intranet host still serves them)."""
    browser = Browser()
    base = f"{stack.public}/book/{stack.seed['station_code']}/"
    assert browser.get(base).status_code == 200
    page = browser.get(f"{base}?service={stack.seed['bookable']}")
    assert page.status_code == 200, page.text[:500]
    slot = re.search(r'name="slot" value="([^"]+)">', page.text).group(1)  # the first open time
    asked = browser.post_form(f"{base}?service={stack.seed['bookable']}", {
        "service": stack.seed["bookable"], "slot": slot, "plate": "沪A12345", "mobile": "13800001111"})
    assert asked.status_code == 200 and "/confirm/" in asked.url, (asked.status_code, asked.text[:800])
    switched = browser.post_form(base, {"language": "zh-hans", "next": f"/book/{stack.seed['station_code']}/"},
                                 action=f"{stack.public}/i18n/setlang/")
    assert switched.status_code == 200 and "在线预约" in switched.text
    manifest = json.loads((stack.tmp / "static" / "staticfiles.json").read_text())["paths"]
    assert browser.get(f"{stack.public}/static/{manifest['vendor/bootstrap/bootstrap.min.css']}").status_code == 200
    for path in ("/", "/reception/", "/reception/appointments/", "/accounts/login/", "/admin/", "/org/",
                 "/kiosk/x/", f"/files/signature/{stack.seed['order']}/", "/healthz/ready", "/jsi18n/"):
        response = Browser().get(stack.public + path)
        assert response.status_code == 404, (path, response.status_code)
        assert "csrfmiddlewaretoken" not in response.text and "password" not in response.text.lower()
    # the same paths are the intranet's
    assert "/accounts/login/" in Browser().get(f"{stack.https['a']}/reception/").url


def test_signature_and_a_5_mb_photo_taken_on_node_a_are_served_by_node_b_only_after_login(stack):
    alice = _login(stack, "a", "alice")
    order = stack.seed["order"]
    signed = alice.post_form(f"{stack.https['a']}/reception/orders/{order}/sign/",
                             {"method": "signature", "signature": _signature_data_url()})
    assert signed.status_code == 200 and signed.url.endswith(f"/reception/orders/{order}/"), signed.text[:2000]

    photo = _photo_of_at_least(5 * 1024 * 1024)
    assert len(photo) >= 5 * 1024 * 1024
    uploaded = alice.post_form(f"{stack.https['a']}/reception/orders/{order}/",
                               {"caption": "前保险杠划痕"}, action=f"{stack.https['a']}/reception/orders/{order}/photos/",
                               files={"image": ("bumper.jpg", photo, "image/jpeg")})
    assert uploaded.status_code == 200, (uploaded.status_code, uploaded.text[:2000])
    detail = alice.get(f"{stack.https['b']}/reception/orders/{order}/").text  # node B lists what A stored
    photo_url = re.search(r'/files/order-photo/\d+/', detail)
    signature_url = re.search(r'/files/estimate-signature/\d+/', detail)
    assert photo_url and signature_url, detail[:3000]

    from PIL import Image

    on_b = alice.get(f"{stack.https['b']}{photo_url.group(0)}")
    assert on_b.status_code == 200 and on_b.headers["Content-Type"] == "image/jpeg"
    stored = Image.open(io.BytesIO(on_b.content))
    assert stored.format == "JPEG" and max(stored.size) <= 1600  # the upload, checked and shrunk by node A
    on_a = alice.get(f"{stack.https['a']}{photo_url.group(0)}")
    assert on_a.content == on_b.content
    signature = alice.get(f"{stack.https['b']}{signature_url.group(0)}")
    assert signature.status_code == 200
    assert Image.open(io.BytesIO(signature.content)).size == (413, 157)
    stack.state["signature_size"] = (413, 157)

    # not without login, and never by the storage path
    import requests

    for url in (photo_url.group(0), signature_url.group(0)):
        anonymous = requests.get(f"{stack.https['b']}{url}", allow_redirects=False, timeout=10)
        assert anonymous.status_code == 404 and anonymous.content != on_b.content
    assert requests.get(f"{stack.https['b']}/media/", timeout=10).status_code == 404
    if stack.s3_mode:
        keys = [o["Key"] for o in stack.s3.list_objects_v2(Bucket=stack.bucket).get("Contents", [])]
        assert any(k.endswith(".jpg") for k in keys), keys
        assert not any((stack.tmp / "media-b").rglob("*.jpg"))  # node B had it only from the bucket
        print("storage: S3 (moto) bucket", stack.bucket, keys)
    else:
        assert on_b.headers.get("X-Accel-Redirect") is None  # nginx consumed it and sent the file
        print("storage: shared MEDIA_ROOT through X-Accel-Redirect (settings have no S3 backend)")


def test_a_dispatch_on_node_a_shows_on_node_b_board_within_a_second(stack):
    dave = _login(stack, "b", "dave")
    board_b = f"{stack.https['b']}/workshop/board/"

    def assigned() -> str:
        page = dave.get(board_b)
        assert page.status_code == 200
        match = ASSIGNED.search(page.text)
        assert match, page.text[:2000]
        return match.group(1).strip()

    before = assigned()
    assert before == assigned()  # B now has the board in the shared cache
    dispatch = f"{stack.https['a']}/workshop/dispatch/line/{stack.seed['line']}/"
    response = dave.post_form(dispatch, {"technicians": [stack.seed["bob"]], "bay": stack.seed["bay"]})
    assert response.status_code == 200 and response.url.startswith(stack.https["a"]), response.url
    dispatched_at = time.monotonic()
    after = before
    while time.monotonic() - dispatched_at < 1.0 and after == before:
        after = assigned()
    assert after != before, f"node B still served the old board ({before}) a second after the dispatch on node A"


def test_the_work_order_pdf_rendered_on_node_b_shows_the_signature_captured_on_node_a(stack):
    alice = _login(stack, "b", "alice")
    response = alice.get(f"{stack.https['b']}/settlement/orders/{stack.seed['order']}/work-order.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = stack.tmp / "work-order.pdf"
    path.write_bytes(response.content)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    sizes = {tuple(int(v) for v in line.split()[3:5]) for line in listing.splitlines()[2:] if line.strip()}
    assert (413, 157) in sizes, listing


def test_a_periodic_task_runs_once_not_twice_with_two_beats(stack):
    import redis

    client = redis.Redis.from_url(stack.redis_url)
    deadline = time.monotonic() + 60
    while client.llen(stack.probe_key) < 1 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert client.llen(stack.probe_key) >= 1, "no beat sent the probe (or no worker ran it)"
    start = client.llen(stack.probe_key)
    window = 12
    time.sleep(window)
    runs = client.llen(stack.probe_key) - start
    expected = window / PROBE_EVERY  # one beat sending: 6; two beats both sending: 12
    assert expected - 3 <= runs <= expected + 2, f"{runs} runs of a task due every {PROBE_EVERY} s in {window} s"
    standby = [name for name in ("beat-a", "beat-b") if "not sending beat-probe" in stack.tail(name, 100000)]
    assert len(standby) == 1, "exactly one beat stands by"
    workers = [name for name in ("worker-a", "worker-b") if "core.tasks.beat_probe" in stack.tail(name, 200000)]
    assert workers, "the probe ran on a real worker"


def test_stopping_redis_makes_ready_answer_503_while_pages_still_load(stack):
    import requests

    alice = _login(stack, "a", "alice")
    stack.stop("redis")
    for node in ("a", "b"):
        ready = requests.get(f"{stack.http[node]}/healthz/ready", allow_redirects=False, timeout=15)
        assert ready.status_code == 503, ready.text
        assert ready.json()["broker"].startswith("error")
        live = requests.get(f"{stack.http[node]}/healthz", allow_redirects=False, timeout=15)
        assert live.status_code == 200  # liveness: the node keeps serving
        page = alice.get(f"{stack.https[node]}/reception/orders/{stack.seed['order']}/")
        assert page.status_code == 200 and stack.seed["order_number"] in page.text
