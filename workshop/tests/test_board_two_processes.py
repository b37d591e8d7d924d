"""The board stays coherent across processes: two real gunicorn processes share the cache and sessions in Redis.

A dispatcher logs in on process A; the same session cookie works on process B (sessions are shared). B serves the
board (now cached in Redis); a dispatch posted to A shows on B's next board within a second, because the write bumps
the station's board version in the shared cache.

Needs PostgreSQL (the processes read the test database, committed by ``transactional_db``) and Redis
(REDIS_URL_FOR_TESTS, which bin/test sets when Redis answers); skipped, and said so, without them.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from tests.workers import test_database_url
from workshop.factories import BayFactory
from workshop.models import JobAssignment

REDIS = os.environ.get("REDIS_URL_FOR_TESTS", "")
ASSIGNED = re.compile(r'data-testid="assigned">([^<]*)<')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _wait_until_up(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"gunicorn on {port} exited:\n{log.read_text()[-3000:]}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn on {port} did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture
def two_servers(tmp_path):
    """Two gunicorn processes (one worker each) on free loopback ports, same database, same Redis cache."""
    if not REDIS or not _redis_answers(REDIS):
        pytest.skip("REDIS_URL_FOR_TESTS is not set or Redis does not answer: the two-process board test needs Redis")
    prefix = f"test-{uuid.uuid4().hex[:8]}"  # this run's keys only, whatever else uses the Redis database
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": prefix,
        "AFTERSALES_TESTING": "1",  # plain static storage, no persistent connections
        "DEBUG": "0",
        "SECRET_KEY": f"two-process-test-{uuid.uuid4().hex}-{uuid.uuid4().hex}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LANGUAGE_CODE": "en",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    procs: list[subprocess.Popen] = []
    ports = []
    try:
        for name in ("a", "b"):
            port = _free_port()
            log = tmp_path / f"gunicorn-{name}.log"
            with open(log, "w") as out:
                proc = subprocess.Popen(
                    [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                     "--timeout", "60"],
                    cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                )
            procs.append(proc)
            _wait_until_up(port, proc, log)
            ports.append(port)
        yield [f"http://127.0.0.1:{port}" for port in ports], tmp_path, env
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        import redis

        client = redis.Redis.from_url(REDIS, socket_connect_timeout=1, socket_timeout=1)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


class Browser:
    """A cookie-keeping HTTP client that may talk to either process with the same cookies."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=20) as response:
            return response.read().decode()

    def post(self, url: str, form_url: str, data: dict) -> tuple[int, str]:
        """The form's page first (its CSRF token), then the POST; redirects followed: (status, final URL)."""
        page = self.get(form_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": form_url})
        with self.opener.open(request, timeout=20) as response:
            return response.status, response.url


def _assigned(page: str) -> str:
    match = ASSIGNED.search(page)
    assert match, page[:2000]
    return match.group(1).strip()


@pytest.mark.postgres
def test_a_dispatch_on_one_process_shows_on_the_others_board_within_a_second(
    transactional_db, two_servers, station, make_staff, carol, alice, bob
):
    (a, b), logs, env = two_servers
    dispatcher = make_staff("workshop_lead", username="dave", reports_to=carol)
    # the servers use the real hashers, not the test settings' MD5
    dispatcher.password = PBKDF2PasswordHasher().encode("test-pass-2026", PBKDF2PasswordHasher().salt())
    dispatcher.save(update_fields=["password"])
    bay = BayFactory(station=station, code="A1", name="一号举升机")
    order = WorkOrderFactory(signed=True, station=station, advisor=alice)
    line = WorkOrderLineFactory(labour=True, order=order, hours="2.00")

    browser = Browser()
    login = f"{a}/accounts/login/"
    status, landed = browser.post(login, login, {"username": "dave", "password": "test-pass-2026"})
    assert status == 200 and "/accounts/login/" not in landed, landed
    board_b = f"{b}/workshop/board/"
    before = _assigned(browser.get(board_b))  # logged in on A, served by B: the session is shared
    assert before == _assigned(browser.get(board_b))  # and B now has the board in the (shared) cache

    dispatch_url = f"{a}/workshop/dispatch/line/{line.pk}/"
    status, landed = browser.post(dispatch_url, dispatch_url, {"technicians": [bob.pk], "bay": bay.pk})
    assert status == 200 and landed.startswith(a), landed
    assert JobAssignment.objects.filter(line=line, technician=bob).exists()  # process A did dispatch

    deadline = time.monotonic() + 1.0
    after = before
    while time.monotonic() < deadline and after == before:
        after = _assigned(browser.get(board_b))
    assert after != before, (
        f"process B still served the old board ({before}) a second after the dispatch on A;\n"
        f"{(logs / 'gunicorn-b.log').read_text()[-2000:]}"
    )

    # A write from a third process that serves no page (a Celery worker, a management command) reaches B's board too.
    working = 'text-bg-success">' + order.vehicle.plate
    assert working not in browser.get(board_b)
    code = ("from workshop.models import JobAssignment; from workshop.services.clock import clock_on; "
            f"a = JobAssignment.objects.select_related('line', 'technician').get(line_id={line.pk}); "
            "clock_on(line=a.line, technician=a.technician)")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    deadline = time.monotonic() + 1.0
    page = ""
    while time.monotonic() < deadline and working not in page:
        page = browser.get(board_b)
    assert working in page, "process B still served the board from before the clock-on in another process"
