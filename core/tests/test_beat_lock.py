"""Two real beats against one Redis: the Redis beat lock (config.beat.LockedScheduler) lets only one send.

Each beat gets a probe entry every second (CELERY_BEAT_PROBE_EVERY) sent to a queue of this run's own, with no
worker reading it: the messages waiting in that queue are exactly what the beats sent. Skipped (and CI fails on the
skip) when REDIS_URL_FOR_TESTS is not set; bin/test sets it when Redis answers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REDIS = os.environ.get("REDIS_URL_FOR_TESTS", "")
pytestmark = pytest.mark.celery_worker


@pytest.fixture
def redis_client():
    if not REDIS:
        pytest.skip("REDIS_URL_FOR_TESTS is not set: the two-beats test needs Redis (bin/test sets it)")
    import redis

    return redis.Redis.from_url(REDIS)


def _start_beat(name: str, tmp_path: Path, env: dict) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "config", "beat", "--loglevel=INFO",
             "-s", str(tmp_path / f"{name}-schedule")],
            cwd=Path(__file__).resolve().parents[2], env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return proc, log


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_two_beats_send_each_periodic_task_once_and_the_second_takes_over(redis_client, tmp_path):
    run = uuid.uuid4().hex[:8]
    queue, lock_key, ttl = f"beat-test-{run}", f"aftersales:beat-lock-test-{run}", 3
    env = {
        **os.environ,
        "REDIS_URL": REDIS,
        "AFTERSALES_TESTING": "1",
        "CELERY_QUEUE": queue,
        "CELERY_BEAT_PROBE_EVERY": "1",
        "CELERY_BEAT_LOCK_KEY": lock_key,
        "CELERY_BEAT_LOCK_TTL": str(ttl),
    }
    env.pop("DATABASE_URL", None)  # beat needs no database
    beats = []
    try:
        beats = [_start_beat(name, tmp_path, env) for name in ("beat-a", "beat-b")]
        sent = lambda: redis_client.llen(queue)  # noqa: E731
        # Both beats are up (each logged its start) and one holds the lock and sends.
        assert _wait(lambda: all("beat: Starting" in log.read_text() for _, log in beats) and sent() >= 1, 60), \
            "\n".join(log.read_text() for _, log in beats)
        time.sleep(1)
        before = sent()
        time.sleep(10)
        one_beat = sent() - before
        # One beat every second sends about 10 in 10 s; two unlocked beats would send about 20. The margin is for a
        # loaded machine, where a late tick or a late lock renewal can add a probe or two.
        assert 6 <= one_beat <= 14, f"{one_beat} probes in 10 s"
        holder = redis_client.get(lock_key).decode()
        first = next(proc for proc, _ in beats if holder.split(":")[1] == str(proc.pid))
        standby_log = next(log for proc, log in beats if proc is not first)
        assert "not sending beat-probe" in standby_log.read_text()
        # The holder dies without releasing its lock: the standby takes over when the lock expires.
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at, at_kill = time.monotonic(), sent()
        assert _wait(lambda: sent() > at_kill + 1, ttl + 6), "the standby beat never took over"
        assert time.monotonic() - killed_at <= ttl + 4
        assert "taken" in standby_log.read_text()
    finally:
        for proc, _ in beats:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        redis_client.delete(queue, lock_key)
