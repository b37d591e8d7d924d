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

gunicorn runs in production's environment (``--server-env production``: static files collected, persistent database
connections, cache and sessions in Redis) — not in the test client's AFTERSALES_TESTING one, which opens a database
connection per request (``--server-env testing``, the earlier runs; bench/README.md says what that cost). With
``--baseline-ref <commit>`` the same two phases run first against that commit's code, checked out as a git worktree
in a temporary directory, on the same database: the comparison the issue asks for, in one run. The report adds the
server's CPU per request (gunicorn workers and their PostgreSQL backends, from /proc), which does not depend on how
busy the shared machine is.

locust is not in requirements.txt (it pulls gevent, Flask and ZeroMQ into the application's environment); it runs
from its own virtualenv, which this script calls:

    python3 -m venv /tmp/locust-venv && /tmp/locust-venv/bin/pip install -r bench/requirements-load.txt
    .venv/bin/python bench/load.py --locust /tmp/locust-venv/bin/locust [--users 100] [--time 40] \
        [--baseline-ref 2c31063 [--baseline-env testing]]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import _common

_common.configure("aftersales_bench_scale")
ROOT = _common.ROOT
STATIONS = ["scale-1", "scale-2", "scale-3", "scale-4", "scale-5"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_config(backend: str | None = None) -> dict:
    """Per role, a session cookie for each of its people and the URLs they open (name, url, weight, htmx).

    ``backend``: the login backend the sessions name (a tree only accepts sessions of a backend it lists; commits
    before org.auth_backend.StaffBackend list Django's ModelBackend)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from org.models import Staff, Station
    from reception.models import Customer, WorkOrder

    def session(user) -> str:
        client = Client()
        client.force_login(user, backend=backend)
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
                ["customer page", reverse("reception:customer_detail", args=[customers[advisor.pk % len(customers)]]), 1,
                 False],
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
    with open(f"{out}.log", "w", encoding="utf-8") as log:  # locust's own summary: the report below says it all
        subprocess.run(cmd, env=env, check=False, timeout=seconds + 60, stdout=log, stderr=subprocess.STDOUT)
    with open(f"{out}_stats.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {row["Name"]: row for row in rows}


def server_env(mode: str, *, static_root: str, redis_url: str, label: str) -> dict:
    """The gunicorn process's environment. ``production`` is what deploy/aftersales.env.example runs: DEBUG off, the
    collected static files with their manifest, persistent database connections (DB_CONN_MAX_AGE's default, health
    checked), cache and sessions in Redis. ``testing`` is the bench's environment before issue 15's profiling (the
    test client's AFTERSALES_TESTING=1: a new PostgreSQL connection for every request, a cache in each worker's
    memory), kept to reproduce the earlier figures."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("AFTERSALES_TESTING", "REDIS_URL", "CACHE_URL", "DB_CONN_MAX_AGE", "STATIC_ROOT")}
    env.update(DEBUG="0", ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0", LOG_LEVEL="WARNING")
    if mode == "testing":
        env["AFTERSALES_TESTING"] = "1"
    else:
        # each tree its own cache namespace: the baseline's cached values never reach the other code
        env.update(STATIC_ROOT=static_root, REDIS_URL=redis_url, CACHE_KEY_PREFIX=f"aftersales-load-{label}")
    return env


def prepare_tree(tree: Path, env: dict, static_root: str, mode: str) -> None:
    """What a deployment does before starting gunicorn: the translation catalogues compiled (.mo files are not
    committed), and in production mode the static files collected."""
    manage = [str(tree / ".venv" / "bin" / "python"), "manage.py"]
    subprocess.run([*manage, "compile_translations"], cwd=tree, env={**env, "DEBUG": "1"}, check=True,
                   stdout=subprocess.DEVNULL)
    if mode == "production":
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=tree, env=env, check=True)


def baseline_tree(ref: str, tmp: str, venv_path: str | None = None) -> Path:
    """A git worktree of ``ref`` (detached) in the temporary directory, sharing this tree's virtualenv unless the
    commit's own requirements need another one (``--baseline-venv``)."""
    tree = Path(tmp) / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), ref], check=True)
    venv = tree / ".venv"
    if venv.is_symlink() or venv.exists():  # some commits of the history carried a .venv symlink by mistake
        venv.unlink()
    venv.symlink_to(Path(venv_path).resolve() if venv_path else (ROOT / ".venv").resolve())
    # Older commits vendored files still naming source maps and a font they lacked, which the manifest storage of
    # production's collectstatic refuses (fixed in 4989ae8: comments stripped, the font vendored): do the same here.
    for path in (ROOT / "static" / "vendor").rglob("*"):
        twin = tree / path.relative_to(ROOT)
        if path.is_file() and not twin.exists():
            twin.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, twin)
    for path in (p for p in (tree / "static").rglob("*") if p.suffix in (".js", ".css")):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if "sourceMappingURL=" in text:
            kept = [line for line in text.splitlines(keepends=True) if "sourceMappingURL=" not in line]
            path.write_text("".join(kept), encoding="utf-8", errors="surrogateescape")
    return tree


def wait_up(host: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{host}/healthz", timeout=2)  # noqa: S310 - loopback
            return
        except OSError as exc:
            if getattr(exc, "code", None):  # any HTTP answer: it is up
                return
            time.sleep(0.5)


def warm_up(host: str, config: dict, rounds: int) -> None:
    """Each page a few times before anything is timed: the workers import what a first request imports lazily."""
    for _ in range(rounds):
        for people in config["roles"].values():
            person = people[0]
            for _name, url, _weight, htmx in person["urls"]:
                headers = {"Cookie": f"{config['cookie_name']}={person['session']}"}
                if htmx:
                    headers["HX-Request"] = "true"
                with urllib.request.urlopen(urllib.request.Request(host + url, headers=headers), timeout=30) as r:  # noqa: S310
                    r.read()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds this process has used so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def server_cpu(master: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the gunicorn workers under ``master`` and of the PostgreSQL backends connected to this
    database (but this script's own): what the requests cost. A backend that lives for one request only (the testing
    environment's connection per request) is not seen."""
    from django.db import connection

    try:
        with open(f"/proc/{master}/task/{master}/children", encoding="ascii") as fh:
            workers = [int(pid) for pid in fh.read().split()]
    except OSError:
        workers = []
    with connection.cursor() as cursor:
        # this script's own connections (one per thread) are named, and left out
        cursor.execute("SET application_name TO 'aftersales-load-bench'")
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND application_name <> 'aftersales-load-bench'")
        backends = [row[0] for row in cursor.fetchall()]
    return {"gunicorn": {pid: cpu_seconds(pid) for pid in workers},
            "postgres": {pid: cpu_seconds(pid) for pid in backends}}


def phase(master: int, run) -> dict:
    """One locust phase and the server's CPU seconds during it. The processes are read every half second while it
    runs and each one's last reading counts: a persistent connection is replaced when it is DB_CONN_MAX_AGE old, and
    the backend that goes keeps what it used until then (a process that appears during the phase counts from 0)."""
    from django.db import connection

    before = server_cpu(master)
    last = {kind: dict(pids) for kind, pids in before.items()}
    done = threading.Event()

    def sample() -> None:
        try:
            while not done.wait(0.5):
                for kind, pids in server_cpu(master).items():
                    for pid, seconds in pids.items():
                        last[kind][pid] = max(seconds, last[kind].get(pid, 0.0))
        finally:
            connection.close()  # this thread's own connection

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        rows = run()
    finally:
        done.set()
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the locust process, waited for: the load's own cost
    client = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    for kind, pids in server_cpu(master).items():
        for pid, seconds in pids.items():
            last[kind][pid] = max(seconds, last[kind].get(pid, 0.0))
    cpu = {kind: sum(max(0.0, seconds - before[kind].get(pid, 0.0)) for pid, seconds in pids.items())
           for kind, pids in last.items()}
    return {"rows": rows, "cpu": cpu, "seen": {kind: len(pids) for kind, pids in last.items()}, "client": client}


def measure(args, tree: Path, env: dict, config: dict, config_path: str, out: str) -> dict:
    """Start gunicorn from ``tree``, warm it up, run the two locust phases, stop it."""
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, loopback only
        [str(tree / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", str(args.workers), "-k", "sync",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=tree, env=env)
    try:
        wait_up(host)
        warm_up(host, config, args.warmup)
        load = os.getloadavg()[0]
        moderate = phase(server.pid, lambda: run_locust(args.locust, host, config_path, args.users, args.time,
                                                        "think", f"{out}-moderate"))
        sat_load = os.getloadavg()[0]
        saturated = phase(server.pid, lambda: run_locust(args.locust, host, config_path, args.sat_users,
                                                         args.sat_time, "none", f"{out}-sat"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"moderate": moderate, "saturated": saturated, "load": load, "sat_load": sat_load}


def cpu_line(result: dict) -> str:
    """Server CPU per request of a phase: independent of how busy the shared machine is, unlike the rate."""
    count = int(result["rows"]["Aggregated"]["Request Count"]) or 1
    ms = {kind: seconds * 1000 / count for kind, seconds in result["cpu"].items()}
    total = sum(ms.values()) or float("nan")
    seen = result["seen"]
    return (f"server CPU per request {total:.1f} ms (gunicorn {ms['gunicorn']:.1f} in {seen['gunicorn']} workers + "
            f"PostgreSQL {ms['postgres']:.1f} in {seen['postgres']} backends);"
            f" {os.cpu_count()} free CPUs would serve at most {os.cpu_count() * 1000 / total:.0f} req/s; locust itself"
            f" {result['client'] * 1000 / count:.1f} ms per request on the same CPUs")


def report(label: str, args, result: dict) -> None:
    moderate, saturated = result["moderate"]["rows"], result["saturated"]["rows"]
    print(f"\n== {label}: gunicorn -w {args.workers} sync on 127.0.0.1, {result['mode']} environment; "
          f"load average {result['load']:.1f} before, {result['sat_load']:.1f} before saturation, "
          f"{os.cpu_count()} CPUs")
    print(f"{'page':22} {'requests':>8} {'fails':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for name, row in moderate.items():
        print(f"{name:22} {row['Request Count']:>8} {row['Failure Count']:>6} {row['50%']:>7} {row['95%']:>7}")
    agg, sat = moderate["Aggregated"], saturated["Aggregated"]
    print(f"moderate: {args.users} users, {args.time} s, wait 1–3 s: p50 {agg['50%']} ms, p95 {agg['95%']} ms, "
          f"{float(agg['Requests/s']):.1f} req/s, {agg['Failure Count']} failures")
    print(f"saturated: {args.sat_users} users, {args.sat_time} s, no wait: {float(sat['Requests/s']):.1f} req/s, "
          f"p50 {sat['50%']} ms, p95 {sat['95%']} ms, {sat['Failure Count']} failures")
    print(f"  moderate: {cpu_line(result['moderate'])}")
    print(f"  saturated: {cpu_line(result['saturated'])}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--locust", default=os.environ.get("LOCUST") or shutil.which("locust") or "locust")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--time", type=int, default=40)
    parser.add_argument("--sat-users", type=int, default=20)
    parser.add_argument("--sat-time", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds over every page before the runs")
    parser.add_argument("--server-env", choices=("production", "testing"), default="production")
    parser.add_argument("--redis-url", default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/1"),
                        help="cache and sessions of the production environment (a database number of your own)")
    parser.add_argument("--baseline-ref", help="also run the same phases against this commit's code (a git "
                        "worktree in a temporary directory, same database), just before this tree's")
    parser.add_argument("--baseline-auth-backend", default="django.contrib.auth.backends.ModelBackend",
                        help="the login backend the baseline's sessions name (one its settings list)")
    parser.add_argument("--baseline-venv", help="a virtualenv with the baseline commit's requirements (default: this "
                        "tree's .venv)")
    parser.add_argument("--baseline-env", choices=("production", "testing"),
                        help="the baseline's server environment (default: --server-env)")
    args = parser.parse_args()
    if args.time + args.sat_time > 60:
        parser.error("the two phases are bounded to 60 s together")
    import django

    django.setup()
    tmp = tempfile.mkdtemp(prefix="aftersales-load-")

    def config_file(name: str, backend: str | None) -> tuple[dict, str]:
        config = build_config(backend)
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(config, fh)
        return config, path

    configs = {"this tree": config_file("config.json", None)}
    if args.baseline_ref:
        configs["baseline"] = config_file("config-baseline.json", args.baseline_auth_backend)
    trees = [("this tree", ROOT, args.server_env)]
    if args.baseline_ref:
        trees.insert(0, (f"baseline {args.baseline_ref}", baseline_tree(args.baseline_ref, tmp, args.baseline_venv),
                         args.baseline_env or args.server_env))
    results = {}
    try:
        for label, tree, mode in trees:
            static_root = os.path.join(tmp, f"static-{len(results)}")
            env = server_env(mode, static_root=static_root, redis_url=args.redis_url,
                             label=f"{os.getpid()}-{len(results)}")
            prepare_tree(tree, env, static_root, mode)
            config, config_path = configs["baseline" if label.startswith("baseline") else "this tree"]
            results[label] = measure(args, tree, env, config, config_path, f"{tmp}/{len(results)}")
            results[label]["mode"] = mode
    finally:
        if args.baseline_ref:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(Path(tmp) / "baseline")],
                           check=False)
    for label, result in results.items():
        report(label, args, result)
    if args.baseline_ref:
        base, new = (float(r["saturated"]["rows"]["Aggregated"]["Requests/s"]) for r in results.values())
        print(f"\nsaturated throughput: baseline {base:.1f} req/s, this tree {new:.1f} req/s: "
              f"{new / base if base else float('nan'):.2f}×")
        base_cpu, new_cpu = (sum(r["saturated"]["cpu"].values()) / int(r["saturated"]["rows"]["Aggregated"]
                             ["Request Count"] or 1) for r in results.values())
        print(f"server CPU per request, saturated: baseline {base_cpu * 1000:.1f} ms, this tree {new_cpu * 1000:.1f} "
              f"ms: {base_cpu / new_cpu if new_cpu else float('nan'):.2f}× the requests per CPU second")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
