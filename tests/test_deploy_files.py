"""deploy/ (issue 14, item 6): the env template lists every variable the code reads, the systemd units cover every
Celery queue, the nginx site keeps the port in Host and lets /healthz through on plain HTTP, gunicorn's config
reads its environment; and the app side: health checks exempt from the HTTPS redirect, /healthz/ready, ADMINS,
Sentry, JSON logs, and ``check --deploy`` with the template's own values."""

from __future__ import annotations

import json
import logging
import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.logfmt import JsonFormatter

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "aftersales.env.example"
READS = re.compile(r'(?:os\.environ(?:\.get)?[\[(]|getenv\(|env_(?:bool|int|list)\()\s*"([A-Z][A-Z0-9_]*)"')


def _code_files() -> list[Path]:
    skip = {".venv", "tests", "bench", "tools", "node_modules", "migrations", "staticfiles", "media"}
    files = [DEPLOY / "gunicorn.conf.py", ROOT / "manage.py"]
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if not parts & skip and not path.name.startswith(("test_", "conftest")) and path.parent != ROOT / "deploy":
            files.append(path)
    return files


def _env_reads() -> dict[str, set[str]]:
    reads: dict[str, set[str]] = {}
    for path in _code_files():
        for name in READS.findall(path.read_text()):
            reads.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return reads


def _template_names() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", TEMPLATE.read_text(), flags=re.M))


def test_the_env_template_lists_every_variable_the_code_reads():
    reads = _env_reads()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "GUNICORN_WORKERS", "GC_THRESHOLD"} <= set(reads)  # the scan
    missing = {name: sorted(where) for name, where in reads.items() if name not in _template_names()}
    assert not missing, f"read by the code but not in deploy/aftersales.env.example: {missing}"


def test_the_scan_finds_a_variable_missing_from_the_template(tmp_path):
    """The check above can fail: a read the template does not list is found."""
    assert READS.findall('X = env_int(\n    "NOT_IN_TEMPLATE", 3)\nY = os.environ.get("ALSO_NOT")') == [
        "NOT_IN_TEMPLATE", "ALSO_NOT"]
    assert "NOT_IN_TEMPLATE" not in _template_names()


def _units() -> dict[str, str]:
    return {p.name: p.read_text() for p in (DEPLOY / "systemd").glob("*.service")}


def test_one_worker_unit_per_queue_and_one_beat_unit():
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {"celery"}
    assert routed == {"interactive", "escalations", "reports", "celery"}
    served: list[str] = []
    for name, text in _units().items():
        match = re.search(r"^ExecStart=\S+/celery -A config worker -Q (\S+)", text, flags=re.M)
        if match:
            assert name.startswith("aftersales-worker-")
            served += match.group(1).split(",")
    assert sorted(served) == sorted(routed)  # each queue read by exactly one unit
    beats = [name for name, text in _units().items() if " beat " in text.split("ExecStart=", 1)[1].splitlines()[0]]
    assert beats == ["aftersales-beat.service"]
    for text in _units().values():
        assert "EnvironmentFile=/etc/aftersales/aftersales.env" in text
        assert "User=aftersales" in text
    assert "gunicorn -c /opt/aftersales/deploy/gunicorn.conf.py" in _units()["aftersales-web.service"]
    target = (DEPLOY / "systemd" / "aftersales.target").read_text()
    assert all(name in target for name in _units())


def test_the_nginx_site_keeps_the_port_and_answers_healthz_on_plain_http():
    site = (DEPLOY / "nginx" / "aftersales.conf").read_text()
    proxy = (DEPLOY / "nginx" / "aftersales-proxy.conf").read_text()
    media = (DEPLOY / "nginx" / "private-media.conf").read_text()
    assert "proxy_set_header Host $http_host;" in proxy and "$host;" not in proxy
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in proxy
    plain = site.split("listen 80;", 1)[1].split("server {", 1)[0]
    assert "location = /healthz {" in plain and "return 301 https://" in plain
    assert "proxy_set_header X-Forwarded-Proto https;" in site.split("listen 80;", 1)[1].split("server {", 1)[1]
    limit = re.search(r"client_max_body_size (\d+)m;", media).group(1)
    largest = max(settings.UPLOAD_MAX_BYTES, settings.VIDEO_MAX_BYTES)
    assert largest < int(limit) * 1024 * 1024 <= largest + 2 * 1024 * 1024
    assert "internal;" in media and "location /media/ {\n    return 404;" in media
    assert "include @DEPLOY_DIR@/nginx/private-media.conf;" in site
    assert "alias @STATIC_ROOT@/;" in site


def test_the_public_host_passes_only_the_customer_pages():
    """deploy/nginx/aftersales-public.conf: a proxy for /c/, /book/, the language switch, static files and the probe;
    404 for everything else (the served end to end in tests/test_deploy_two_nodes.py)."""
    site = (DEPLOY / "nginx" / "aftersales-public.conf").read_text()
    code = "\n".join(line for line in site.splitlines() if not line.lstrip().startswith("#"))
    https = code.split("listen @PUBLIC_HTTPS_PORT@ ssl http2;", 1)[1]
    proxied = set(re.findall(r"location (?:= )?(\S+) \{[^}]*proxy_pass", https))
    assert proxied == {"/c/", "/book/", "/i18n/setlang/", "/healthz"}
    assert re.search(r"location / \{\s*return 404;\s*\}", https)
    assert "/reception" not in code and "/accounts" not in code and "/admin" not in code
    assert https.count("proxy_set_header X-Forwarded-Proto https;") == len(proxied)
    assert "include @DEPLOY_DIR@/nginx/private-media.conf;" in https  # /media/ closed here too
    plain = code.split("listen 80;", 1)[1].split("server {", 1)[0]
    assert "return 301 https://" in plain and "proxy_pass" not in plain


def test_the_production_nginx_site_passes_nginx_t(tmp_path):
    """The real template (TLS included) with its placeholders filled is a valid nginx configuration."""
    nginx = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
    if subprocess.run(["which", nginx], capture_output=True).returncode and not Path(nginx).exists():
        pytest.skip("nginx is not installed (.ci/run installs nginx-light)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=service.example.com",
                    "-days", "1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    (tmp_path / "deploy" / "nginx").mkdir(parents=True)
    for name in ("aftersales-proxy.conf", "private-media.conf"):
        text = (DEPLOY / "nginx" / name).read_text().replace("@MEDIA_ROOT@", str(tmp_path / "media"))
        (tmp_path / "deploy" / "nginx" / name).write_text(text)
    # the intranet site and the public host's site together, as on one nginx
    site = (DEPLOY / "nginx" / "aftersales.conf").read_text() + (DEPLOY / "nginx" / "aftersales-public.conf").read_text()
    for key_, value in {"@SERVER_NAME@": "service.example.com", "@UPSTREAM@": "127.0.0.1:8001",
                        "@HTTPS_PORT@": "8443", "@STATIC_ROOT@": str(tmp_path / "static"),
                        "@PUBLIC_SERVER_NAME@": "book.example.com", "@PUBLIC_HTTPS_PORT@": "443",
                        "@DEPLOY_DIR@": str(tmp_path / "deploy"), "@TLS_CERT@": str(cert), "@TLS_KEY@": str(key)}.items():
        site = site.replace(key_, value)
    assert not [line for line in site.splitlines() if "@" in line and not line.lstrip().startswith("#")]
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
                    f"http {{ include /etc/nginx/mime.types; access_log off;\n{site}\n}}\n")
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_gunicorn_config_reads_its_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9001")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "45")
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.5")
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["workers"] == 3 and conf["bind"] == ["127.0.0.1:9001"] and conf["timeout"] == 45
    assert conf["forwarded_allow_ips"] == "10.0.0.5"
    assert conf["accesslog"] == "-" and conf["wsgi_app"] == "config.wsgi:application"


# --- app side -------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_health_checks_answer_plain_http_while_other_pages_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("healthz_ready")).status_code == 200
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")


@pytest.mark.django_db
def test_ready_answers_503_when_redis_is_down_while_liveness_stays_200(client, settings):
    settings.REDIS_URL = settings.CACHE_URL = "redis://127.0.0.1:1/0"  # a closed port: Redis really does not answer
    ready = client.get(reverse("healthz_ready"))
    assert ready.status_code == 503
    assert ready.json()["broker"].startswith("error") and ready.json()["database"] == "ok"
    assert client.get(reverse("healthz")).status_code == 200
    assert not client.cookies.get(settings.SESSION_COOKIE_NAME)  # public, writes no session


@pytest.mark.django_db
def test_ready_answers_200_with_a_live_redis(client, settings):
    url = os.environ.get("REDIS_URL_FOR_TESTS")
    if not url:
        pytest.skip("REDIS_URL_FOR_TESTS is not set (bin/test sets it when Redis answers)")
    settings.REDIS_URL = settings.CACHE_URL = url
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 200, response.content
    assert response.json() == {"database": "ok", "broker": "ok", "cache": "ok", "status": "ok"}


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "AFTERSALES_TESTING", "REDIS_URL", "DATABASE_URL")}
    return {**env, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "service.example.com",
            **extra}


def _settings_value(code: str, **env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                               f"'config.settings'); django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT, env=_production_env(**env), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_admins_come_from_the_environment():
    out = _settings_value("print(settings.ADMINS)", ADMINS="IT Desk <it@example.com>, 王工 <wang@example.cn>")
    assert out == "[('IT Desk', 'it@example.com'), ('王工', 'wang@example.cn')]"


def test_sentry_starts_only_with_a_dsn():
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active(), sentry_sdk.get_client().options['dsn'])"
    assert _settings_value(code) == "False None"
    out = _settings_value(code + "; print(sorted(sentry_sdk.get_client().integrations))",
                          SENTRY_DSN="https://public@sentry.example.com/7")
    active, integrations = out.splitlines()
    assert active == "True https://public@sentry.example.com/7"
    assert "'celery'" in integrations and "'django'" in integrations


def test_json_log_lines():
    record = logging.LogRecord("core.access", logging.WARNING, __file__, 1, "denied %s", ("张三",), None)
    record.station = "station-a"
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "core.access" and line["message"] == "denied 张三"
    assert line["station"] == "station-a" and line["time"].endswith("+00:00")
    assert _settings_value("print(settings.LOGGING['handlers']['console']['formatter'])", LOG_FORMAT="json") == "json"


def _template_env() -> dict:
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", TEMPLATE.read_text(), flags=re.M))
    return {**values, "SECRET_KEY": secrets.token_urlsafe(60), "STATIC_ROOT": "/tmp", "MEDIA_ROOT": "/tmp"}


def test_check_deploy_passes_with_the_env_template():
    """``check --deploy`` with the template's own production values (DEBUG=0, Redis, ADMINS, JSON logs): no warning."""
    env = _production_env(**_template_env())
    assert env["DEBUG"] == "0" and env["REDIS_URL"] and env["LOG_FORMAT"] == "json"
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
