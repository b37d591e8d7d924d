"""What the real-worker tests share: this process pointed at the real broker on a queue of its own, and real
``celery worker`` processes started on that queue against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

REDIS = os.environ.get("REDIS_URL_FOR_TESTS", "")


def test_database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@contextmanager
def broker_queue(prefix: str):
    """This process sends to the real Redis, on a fresh queue (yielded); the app's settings are put back after."""
    from config.celery import app

    queue = f"{prefix}-{uuid.uuid4().hex[:8]}"
    keys = ("broker_url", "result_backend", "task_always_eager", "task_default_queue", "task_routes")
    saved = {k: app.conf.get(k) for k in keys}
    app.conf.update(broker_url=REDIS, result_backend=REDIS, task_always_eager=False, task_default_queue=queue,
                    task_routes={})
    app.__dict__.pop("amqp", None)  # forget any producer made for the in-memory broker
    app._pool = None
    try:
        yield queue
    finally:
        app.conf.update(saved)
        app.__dict__.pop("amqp", None)
        app._pool = None


def worker_start(queue: str, *, log: Path, name: str = "", env: dict | None = None, **popen) -> subprocess.Popen:
    """A real worker reading ``queue``; what it enqueues itself (a message's send task) comes back to the same queue.

    No quiet hours in the worker (start = end): these tests are about the broker and the worker, and a reminder sent
    after 21:00 local would otherwise wait for the morning (quiet hours have their own tests, core.delivery)."""
    environment = {
        **os.environ, "REDIS_URL": REDIS, "DATABASE_URL": test_database_url(), "AFTERSALES_TESTING": "1",
        "CELERY_QUEUE": queue, "QUIET_HOURS_START": "0", "QUIET_HOURS_END": "0", **(env or {}),
    }
    command = [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-Q", queue, "--pool=solo",
               "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel=INFO"]
    if name:
        command += ["-n", f"{name}@%h"]
    with open(log, "w") as out:
        return subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment, stdout=out,
                                stderr=subprocess.STDOUT, **popen)


@contextmanager
def worker_running(queue: str, *, log: Path, env: dict | None = None):
    """A real worker on ``queue`` for the length of the block (yielded); stopped (killed if it hangs) and its log
    removed after."""
    proc = worker_start(queue, log=log, env=env)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.unlink(missing_ok=True)
