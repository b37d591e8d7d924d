"""What the import tests share: a CSV file taken through core.imports as the pages and workers do (upload, check,
claim, apply), in this process."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from core import imports
from core.models import ImportJob


def import_job(kind: str, *, station, by, text: str, encoding: str = "gbk", name: str = "file.csv") -> ImportJob:
    """The job after the check and, when no row had an error, after applying the file."""
    job = imports.job_create(importer=imports.importer_for(kind), station=station, by=by,
                             upload=SimpleUploadedFile(name, text.encode(encoding)), language="en")
    imports.job_validate(job.pk)
    job.refresh_from_db()
    if job.error_count == 0:
        assert imports.job_start(job)
        imports.job_apply(job.pk)
        job.refresh_from_db()
    return job
