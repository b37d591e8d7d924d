"""bench/load.py: the server environments it starts gunicorn in, the CPU accounting of its report, and its load
profile over a tiny bench/scale.py data set in the test database — every URL of every role opens with the session the
script made for that person, so the benchmark cannot rot silently when a page moves."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _import(name: str):
    # the bench scripts set a benchmark's environment defaults at import (bench/_common.configure): put this
    # process's environment back, or later tests' subprocesses inherit them
    saved = dict(os.environ)
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[f"bench_{name}"] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
        os.environ.clear()
        os.environ.update(saved)
    return module


@pytest.fixture(scope="module")
def load():
    return _import("load")


def test_production_environment_is_the_deployed_one(load, monkeypatch):
    monkeypatch.setenv("AFTERSALES_TESTING", "1")
    monkeypatch.setenv("DB_CONN_MAX_AGE", "0")
    env = load.server_env("production", static_root="/tmp/s", redis_url="redis://127.0.0.1:6379/1", label="a")
    # persistent connections (DB_CONN_MAX_AGE's default), Redis for cache and sessions, the collected static files
    assert "AFTERSALES_TESTING" not in env and "DB_CONN_MAX_AGE" not in env
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/1"
    assert env["STATIC_ROOT"] == "/tmp/s"
    assert env["CACHE_KEY_PREFIX"] == "aftersales-load-a"
    assert env["DEBUG"] == "0"


def test_testing_environment_is_the_earlier_bench(load, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    env = load.server_env("testing", static_root="/tmp/s", redis_url="redis://127.0.0.1:6379/1", label="a")
    assert env["AFTERSALES_TESTING"] == "1"
    assert "REDIS_URL" not in env and "STATIC_ROOT" not in env


def test_cpu_seconds(load):
    sum(i * i for i in range(300_000))  # burn a little CPU
    assert load.cpu_seconds(os.getpid()) > 0
    assert load.cpu_seconds(2**22 + 12345) == 0.0  # no such process


@pytest.mark.django_db
def test_every_url_of_the_profile_opens(load, client):
    scale = _import("scale")
    sizes = scale.Sizes(big_vehicles=12, other_vehicles=4, big_parts=6, other_parts=3, demo_vehicles=4,
                        demo_parts=3)
    with connection.cursor() as c:
        scale.load(c, sizes, log=lambda _s: None)
    config = load.build_config()
    assert set(config["roles"]) == {"front_desk", "technician", "dispatcher", "parts", "care", "manager"}
    opened = set()
    for people in config["roles"].values():
        for person in people:
            client.cookies[config["cookie_name"]] = person["session"]
            for name, url, _weight, htmx in person["urls"]:
                headers = {"HX-Request": "true"} if htmx else {}
                response = client.get(url, headers=headers)
                assert response.status_code == 200, (name, url, response.status_code)
                opened.add(name)
    assert len(opened) == 18


@pytest.mark.django_db
def test_a_phase_counts_the_cpu_of_the_servers_processes(load):
    # this test process stands in for gunicorn's master: a child that burns 1.5 s of CPU during the phase is
    # a worker, and its CPU is counted (read by the sampler while it runs, and at the end)
    def run():
        subprocess.run([sys.executable, "-c", "import time\nt = time.process_time()\nwhile time.process_time() - t < 1.5: pass"],
                       check=True)
        return {"Aggregated": {"Request Count": "3"}}

    result = load.phase(os.getpid(), run)
    assert result["rows"]["Aggregated"]["Request Count"] == "3"
    assert 0.5 < result["cpu"]["gunicorn"] < 5  # a process that ended is counted up to its last reading
    assert result["cpu"]["postgres"] >= 0
