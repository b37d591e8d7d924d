"""An import through a REAL Celery worker on the real Redis: the upload request only stores the file and queues the
check; the worker checks it, the Import button queues the apply, the progress endpoint follows it to the end.

Skipped (and CI fails on the skip) when REDIS_URL_FOR_TESTS is not set; bin/test sets it when Redis answers.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob
from parts.models import Part
from tests.workers import REDIS, broker_queue, worker_running

ROWS = 1200  # more than one batch and several progress writes


@pytest.fixture
def worker(tmp_path, settings):
    if not REDIS:
        pytest.skip("REDIS_URL_FOR_TESTS is not set: the real Celery worker test needs Redis (bin/test sets it)")
    settings.MEDIA_ROOT = tmp_path / "media"
    with broker_queue("imports-test") as queue:
        log = Path(settings.BASE_DIR) / f".celery-test-{queue}.log"
        with worker_running(queue, log=log, env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}) as proc:
            yield proc, log


def _wait(job_id: int, status: str, proc, log, seconds: float = 120) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        job = ImportJob.objects.get(pk=job_id)
        if job.status == status:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job not {status} (is {ImportJob.objects.get(pk=job_id).status}); worker said:\n"
                         f"{log.read_text()[-3000:]}")


@pytest.mark.celery_worker
@pytest.mark.postgres
def test_a_real_worker_checks_and_imports_a_gbk_file_with_progress(transactional_db, station, make_staff, client,
                                                                  worker):
    proc, log = worker
    lead = make_staff("parts_lead")
    client.force_login(lead)
    body = "".join(f"W-{i:05d},TOYOTA,配件{i},,是,个,{i}.50,A-{i % 40:02d},1,5,\n" for i in range(ROWS))
    data = ("零件号,品牌,中文名称,英文名称,原厂件,单位,零售价,货位,最低库存,最高库存,替代零件号\n" + body).encode("gbk")
    response = client.post(reverse("parts:part_import"), {"file": SimpleUploadedFile("parts.csv", data)})
    assert response.status_code == 302  # (request times: bench/imports.py)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.UPLOADED  # nothing checked inside the request

    job = _wait(job.pk, ImportJob.Status.PREVIEWED, proc, log)
    assert (job.total_rows, job.error_count, job.encoding) == (ROWS, 0, "gb18030")
    assert job.preview[0]["cells"][2] == "配件0"
    assert not Part.objects.exists()

    client.post(reverse("imports:start", kwargs={"pk": job.pk}))
    progress = reverse("imports:progress", kwargs={"pk": job.pk})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = client.get(progress, HTTP_HX_REQUEST="true")
        if response.status_code == 204:
            break
        assert response.status_code == 200 and b"progress-bar" in response.content
        time.sleep(0.05)
    assert response["HX-Redirect"] == reverse("imports:job", kwargs={"pk": job.pk})
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.created_count, job.processed_rows) == (ROWS, ROWS)
    assert Part.objects.filter(station=station).count() == ROWS
    text = log.read_text()
    assert "core.tasks.import_validate" in text and "core.tasks.import_apply" in text  # the worker ran both
