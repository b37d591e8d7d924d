"""Parts import benchmark: a 20,000-row catalogue in GBK (what Excel on a Chinese Windows saves as "CSV").

Generates the file (Chinese names, bins, min/max, 1,000 supersessions), then, for a fresh station:

1. the upload request (``parts:part_import`` through the Django test client): stores the file through the storage
   API and queues the check — timed;
2. the check as the worker runs it (``core.imports.job_validate``) — timed; then the job page with the preview;
3. the Import button (``imports:start``): claims the job and queues the apply — timed;
4. the apply as the worker runs it (``core.imports.job_apply``, one transaction) in another process, while this one
   polls the progress endpoint every 0.2 s as the page's htmx does every second — apply and every poll timed, and the
   progress values seen during the transaction counted (the apply runs in a forked process, as on a worker);
5. the same file again on the same station: 20,000 updates;
6. a file with an error on every row: the check and the preview page with the first 1,000 errors.

Tasks are published to the real Redis when ``REDIS_URL_FOR_TESTS``/``BENCH_REDIS`` is set (a queue of the run's own,
deleted afterwards) so the enqueue is part of the request time; the task functions run here, as the worker would.
Targets: the whole import well under two minutes, every request under 1 s.

    .venv/bin/python bench/imports.py [rows]   # DATABASE_URL defaults to .../aftersales_bench_imports
"""

from __future__ import annotations

import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid

import _common

DB_NAME = "aftersales_bench_imports"
_common.configure(DB_NAME)
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-imports-"))  # the uploaded files

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
HEADER = "零件号,品牌,中文名称,英文名称,原厂件,单位,零售价,货位,最低库存,最高库存,替代零件号\n"
NAMES = ["机油滤清器", "空气滤芯", "空调滤芯", "前刹车片", "后刹车片", "火花塞", "雨刮片", "正时皮带", "水泵", "节温器"]


def catalogue(rows: int, *, broken: bool = False) -> bytes:
    rng = random.Random(2026)
    lines = [HEADER]
    for i in range(rows):
        successor = f"BP-{i + 1:06d}" if i % 20 == 0 and i + 1 < rows else ""
        price = "abc" if broken else f"{rng.randint(10, 5000)}.{rng.randint(0, 99):02d}"
        lines.append(f"BP-{i:06d},TOYOTA,{NAMES[i % len(NAMES)]}{i},,是,个,{price},"
                     f"{'ABCDEFGH'[i % 8]}-{i % 50:02d}-{i % 9:02d},{i % 5},{i % 5 + 10},{successor}\n")
    return "".join(lines).encode("gbk")


def _apply(job_id: int, results) -> None:
    """The apply as a worker process runs it (a process of its own: a thread would share this one's GIL and slow the
    progress polls measured here)."""
    from django.db import connections

    from core import imports

    start = time.perf_counter()
    status = imports.job_apply(job_id)
    results.put({"status": status, "seconds": time.perf_counter() - start})
    connections.close_all()


def main() -> None:
    _common.ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from config.celery import app
    from core import imports
    from core.models import ImportJob
    from org.models import DealerGroup, Position, Staff, Station
    from parts.models import Part

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    redis_url = os.environ.get("BENCH_REDIS") or os.environ.get("REDIS_URL_FOR_TESTS", "")
    queue = f"bench-imports-{uuid.uuid4().hex[:8]}"
    if redis_url:  # publish for real (nobody consumes this queue; it is deleted at the end)
        app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False,
                        task_default_queue=queue, task_routes={})
    else:  # no broker: record what would be queued
        app.conf.update(task_always_eager=False, task_default_queue=queue, task_routes={}, broker_url="memory://")

    run = uuid.uuid4().hex[:6]
    group, _ = DealerGroup.objects.get_or_create(code="bench", defaults={"name": "基准集团"})
    station = Station.objects.create(group=group, code=f"bench-imp-{run}", name=f"导入基准站{run}")
    lead = Staff.objects.create_user(f"bench-parts-{run}", password="bench-pass-2026", station=station, group=group,
                                     position=Position.PARTS_LEAD, display_name="配件主管")
    client = Client()
    client.force_login(lead)
    client.get(reverse("parts:part_import"))  # warm up: URL resolver, templates, session
    start = time.perf_counter()
    client.post(reverse("parts:part_import"), {"file": SimpleUploadedFile("warm.csv", catalogue(5))})
    print(f"first upload of the process (connects to the broker, creates the folder): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms — not counted below")

    data = catalogue(ROWS)
    print(f"file: {ROWS} rows, {len(data) / 1e6:.2f} MB GBK; station {station.code}")
    requests: dict[str, list[float]] = {}

    def request(label: str, fn):
        start = time.perf_counter()
        response = fn()
        requests.setdefault(label, []).append((time.perf_counter() - start) * 1000)
        return response

    def one_import(title: str, payload: bytes) -> ImportJob:
        response = request("upload (POST parts:part_import)", lambda: client.post(
            reverse("parts:part_import"), {"file": SimpleUploadedFile("配件目录.csv", payload)}))
        assert response.status_code == 302, response.status_code
        job = ImportJob.objects.filter(station=station).latest("pk")
        t0 = time.perf_counter()
        imports.job_validate(job.pk)
        check_s = time.perf_counter() - t0
        job.refresh_from_db()
        page = request("job page with the preview", lambda: client.get(reverse("imports:job", kwargs={"pk": job.pk})))
        assert page.status_code == 200
        if job.error_count:
            print(f"{title}: check {check_s:.1f} s, {job.error_count} errors ({len(job.errors)} kept), "
                  f"preview page {requests['job page with the preview'][-1]:.0f} ms")
            return job
        response = request("Import (POST imports:start)", lambda: client.post(
            reverse("imports:start", kwargs={"pk": job.pk})))
        assert response.status_code == 302
        connections.close_all()  # the worker process opens its own
        results = multiprocessing.get_context("fork").SimpleQueue()
        worker = multiprocessing.get_context("fork").Process(target=_apply, args=(job.pk, results))
        worker.start()
        progress_url = reverse("imports:progress", kwargs={"pk": job.pk})
        seen = set()
        while worker.is_alive():
            response = request("progress poll (GET imports:progress)",
                               lambda: client.get(progress_url, HTTP_HX_REQUEST="true"))
            if response.status_code == 200:
                seen.add(ImportJob.objects.filter(pk=job.pk).values_list("processed_rows", flat=True).get())
            time.sleep(0.2)
        worker.join()
        done = results.get()
        job.refresh_from_db()
        assert done["status"] == ImportJob.Status.DONE, job.errors
        total = check_s + done["seconds"]
        print(f"{title}: check {check_s:.1f} s + apply {done['seconds']:.1f} s = {total:.1f} s "
              f"({job.created_count} created, {job.updated_count} updated); progress values seen while the "
              f"transaction was open: {len(seen - {0, ROWS})} ({sorted(seen)[:3]}…{sorted(seen)[-2:]}) — "
              f"target well under 120 s: {'OK' if total < 60 else 'SLOW'}")
        return job

    one_import("first import (all new)", data)
    assert Part.objects.filter(station=station).count() == ROWS
    one_import("same file again (all updates)", data)
    one_import("a file with an error on every row", catalogue(ROWS, broken=True))

    slowest = 0.0
    for label, values in requests.items():
        slowest = max(slowest, max(values))
        print(f"request {label}: {len(values)} × — p50 {statistics.median(values):.0f} ms, "
              f"p95 {_common.p95(values):.0f} ms, max {max(values):.0f} ms")
    print(f"every request under 1 s: {'OK' if slowest < 1000 else 'NO'} (slowest {slowest:.0f} ms)")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; broker: "
          f"{'Redis (real publish)' if redis_url else 'none (tasks recorded, not published)'}")
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).delete(queue)


if __name__ == "__main__":
    main()
