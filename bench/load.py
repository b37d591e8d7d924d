"""Load: the mixed-role profile against gunicorn (-w 3 sync) on loopback, with locust, headless, bounded in time
(issue 15, item 5).

Uses the data of bench/scale.py (run that first; same database ``aftersales_bench_scale`` unless DATABASE_URL is
set): staff of five of its stations — front desk (desk, its htmx panel, order and customer lists, search, a work
order, a customer page, new order), technicians (my jobs), the dispatcher polling the board (htmx) and the dispatch
list, parts (parts desk, stock list), care (call queue, complaints), managers (station dashboard, order list, the
group director's dashboard). Sessions are made in the database beforehand, so no login is timed.

Two phases, each bounded: a moderate run (``--users`` people, each waiting 1–3 s between pages, ``--time`` seconds)
for p50/p95, then a saturation run (``--sat-users`` people with no wait, ``--sat-time`` seconds) for the request rate
the server can sustain. Defaults: 100 users for 40 s, then 20 users for 20 s — 60 s of load in all.

locust is not in requirements.txt (it pulls gevent, Flask and ZeroMQ into the application's environment); it runs
from its own virtualenv, which this script calls:

    python3 -m venv /tmp/locust-venv && /tmp/locust-venv/bin/pip install -r bench/requirements-load.txt
    .venv/bin/python bench/load.py --locust /tmp/locust-venv/bin/locust [--users 100] [--time 40]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import _common

_common.configure("aftersales_bench_scale")
ROOT = _common.ROOT
STATIONS = ["scale-1", "scale-2", "scale-3", "scale-4", "scale-5"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_config() -> dict:
    """Per role, a session cookie for each of its people and the URLs they open (name, url, weight, htmx)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from org.models import Staff, Station
    from reception.models import Customer, WorkOrder

    def session(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    roles: dict[str, list] = {r: [] for r in ("front_desk", "technician", "dispatcher", "parts", "care", "manager")}
    for code in STATIONS:
        station = Station.objects.get(code=code)
        staff = {p: list(Staff.objects.filter(station=station, position=p).order_by("id"))
                 for p in ("service_advisor", "technician", "workshop_lead", "parts_clerk", "parts_lead",
                           "customer_relations", "station_manager")}
        floor = list(WorkOrder.objects.filter(station=station, status__in=["open", "in_progress"])
                     .order_by("-id").values_list("id", flat=True)[:10])
        customers = list(Customer.objects.filter(station=station).order_by("id").values_list("id", flat=True)[:10])
        for advisor in staff["service_advisor"][:4]:
            roles["front_desk"].append({"session": session(advisor), "urls": [
                ["desk", reverse("reception:index"), 2, False],
                ["desk panel (htmx)", reverse("reception:desk_panel"), 3, True],
                ["order list", reverse("reception:order_list"), 2, False],
                ["customer list", reverse("reception:customer_list"), 1, False],
                ["search", reverse("reception:search") + "?q=A12", 2, False],
                ["work order page", reverse("reception:order_detail", args=[floor[advisor.pk % len(floor)]]), 3, False],
                ["customer page", reverse("reception:customer_detail", args=[customers[advisor.pk % 10]]), 1, False],
                ["new order", reverse("reception:order_receive"), 1, False],
            ]})
        for tech in staff["technician"][:4]:
            roles["technician"].append({"session": session(tech), "urls": [
                ["my jobs", reverse("workshop:my_jobs"), 1, False]]})
        roles["dispatcher"].append({"session": session(staff["workshop_lead"][0]), "urls": [
            ["board (htmx poll)", reverse("workshop:board"), 4, True],
            ["dispatch", reverse("workshop:dispatch"), 1, False]]})
        roles["parts"].append({"session": session(staff["parts_clerk"][0]), "urls": [
            ["parts desk", reverse("parts:index"), 2, False]]})
        roles["parts"].append({"session": session(staff["parts_lead"][0]), "urls": [
            ["stock list", reverse("parts:stock_list"), 1, False]]})
        roles["care"].append({"session": session(staff["customer_relations"][0]), "urls": [
            ["call queue", reverse("complaints:calls"), 2, False],
            ["complaints", reverse("complaints:index"), 1, False]]})
        roles["manager"].append({"session": session(staff["station_manager"][0]), "urls": [
            ["station dashboard", reverse("kpi:index"), 2, False],
            ["manager order list", reverse("reception:order_list"), 1, False]]})
    roles["manager"].append({"session": session(Staff.objects.get(username="scale-director")), "urls": [
        ["group dashboard", reverse("kpi:group"), 1, False]]})
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "roles": roles}


def run_locust(locust: str, host: str, config_path: str, users: int, seconds: int, wait: str, out: str) -> dict:
    env = {**os.environ, "LOAD_CONFIG": config_path, "LOAD_WAIT": wait}
    cmd = [locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", host, "-u", str(users),
           "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--stop-timeout", "5", "--csv", out, "--only-summary",
           "--loglevel", "WARNING"]
    subprocess.run(cmd, env=env, check=False, timeout=seconds + 60)
    with open(f"{out}_stats.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {row["Name"]: row for row in rows}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--locust", default=os.environ.get("LOCUST") or shutil.which("locust") or "locust")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--time", type=int, default=40)
    parser.add_argument("--sat-users", type=int, default=20)
    parser.add_argument("--sat-time", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if args.time + args.sat_time > 60:
        parser.error("the two phases are bounded to 60 s together")
    import django

    django.setup()
    config = build_config()
    tmp = tempfile.mkdtemp(prefix="aftersales-load-")
    config_path = os.path.join(tmp, "config.json")
    with open(config_path, "w", encoding="utf-8") as fh:
        json.dump(config, fh)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, loopback only
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", str(args.workers), "-k", "sync",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{host}/healthz", timeout=2)  # noqa: S310 - loopback
                break
            except OSError as exc:
                if getattr(exc, "code", None):  # any HTTP answer: it is up
                    break
                time.sleep(0.5)
        load = os.getloadavg()[0]
        moderate = run_locust(args.locust, host, config_path, args.users, args.time, "think", f"{tmp}/moderate")
        saturated = run_locust(args.locust, host, config_path, args.sat_users, args.sat_time, "none", f"{tmp}/sat")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"gunicorn -w {args.workers} sync on 127.0.0.1; load average before {load:.1f} on {os.cpu_count()} CPUs")
    print(f"{'page':22} {'requests':>8} {'fails':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for name, row in moderate.items():
        print(f"{name:22} {row['Request Count']:>8} {row['Failure Count']:>6} {row['50%']:>7} {row['95%']:>7}")
    agg, sat = moderate["Aggregated"], saturated["Aggregated"]
    print(f"\nmoderate: {args.users} users, {args.time} s, wait 1–3 s: p50 {agg['50%']} ms, p95 {agg['95%']} ms, "
          f"{float(agg['Requests/s']):.1f} req/s, {agg['Failure Count']} failures")
    print(f"saturated: {args.sat_users} users, {args.sat_time} s, no wait: {float(sat['Requests/s']):.1f} req/s, "
          f"p50 {sat['50%']} ms, p95 {sat['95%']} ms, {sat['Failure Count']} failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
