import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_health_reports_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def _run(code: str, **env) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=60)


def test_health_answers_503_when_the_database_is_down():
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings'); django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    # A real, closed port: the database really does not answer.
    result = _run(code, DATABASE_URL="postgres://postgres@127.0.0.1:1/none", DEBUG="1", ALLOWED_HOSTS="testserver")
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["database"].startswith("error")


def test_deploy_check_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
             "DEBUG": "0", "AFTERSALES_TESTING": "", "SECRET_KEY": secrets.token_urlsafe(60),
             "ALLOWED_HOSTS": "service.example.com"},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "AFTERSALES_TESTING")}
    return {**env, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "service.example.com",
            **extra}


def test_collectstatic_passes_with_production_settings(tmp_path):
    """WhiteNoise's manifest storage follows every url() and sourceMappingURL in the vendored files: one missing file
    (a .map, a .woff) fails the whole run, and a production install cannot start."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"], cwd=ROOT,
        env=_production_env(STATIC_ROOT=str(tmp_path)), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
                 "vendor/chartjs/chart.umd.min.js", "vendor/signature_pad/signature_pad.umd.min.js"):
        assert name in manifest


def test_deploy_check_is_clean_with_redis_configured():
    """The shared cache and cached_db sessions chosen when REDIS_URL is set pass the deploy checks too."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
        env=_production_env(REDIS_URL="redis://127.0.0.1:6379/10"), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_serve_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    result = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=ROOT, capture_output=True, text=True,
                            env={**env, "DEBUG": "0", "AFTERSALES_TESTING": ""}, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_flags_the_development_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, capture_output=True,
        text=True, env={**env, "DEBUG": "0", "AFTERSALES_TESTING": "", "ALLOWED_HOSTS": "service.example.com"},
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
