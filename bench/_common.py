"""What every benchmark script shares: the environment it runs Django in, its own PostgreSQL database (created when
missing), and a timer. Import it first (``import _common``) — it puts the project on sys.path."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(db_name: str) -> None:
    """Defaults for a benchmark run: the script's own database unless DATABASE_URL is set, production-like DEBUG off,
    plain static storage (AFTERSALES_TESTING: no collectstatic manifest), a key and hosts for the test client."""
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{db_name}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("AFTERSALES_TESTING", "1")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")


def ensure_database() -> None:
    """Create the database named in DATABASE_URL when the server does not have it yet."""
    import dj_database_url  # noqa: PLC0415 - after configure()
    import psycopg2  # noqa: PLC0415

    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = psycopg2.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], dbname="postgres",
                             password=cfg.get("PASSWORD") or None)
    admin.autocommit = True
    cursor = admin.cursor()
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
    if not cursor.fetchone():
        cursor.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    admin.close()


def timed(fn: Callable[[], object], runs: int, *, warmup: int = 0) -> list[float]:
    """Wall-clock milliseconds of ``runs`` calls, after ``warmup`` calls that are not counted."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)
