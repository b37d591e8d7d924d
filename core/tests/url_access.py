"""Who may open the pages of an import job (core.import_views): those who may import the job's kind — here a parts
catalogue job, so PARTS_MANAGE (the parts lead) — and only for a station they see (404 otherwise). The upload
pages are the departments' own rows (parts:part_import, reception:catalogue_import, reception:customer_import)."""

from org.tests.access import Row

PARTS_MANAGE = frozenset({"parts_lead"})


def _job(w):
    return {"pk": w.import_job.pk}


ROWS = {
    "imports:job": Row(other_station=404, allowed=PARTS_MANAGE, kwargs=_job),
    # The job has an error, so the Import button does nothing but show the job again (nothing is queued).
    "imports:start": Row(other_station=404, allowed=PARTS_MANAGE, status=302, method="post", kwargs=_job),
    "imports:progress": Row(other_station=404, allowed=PARTS_MANAGE, kwargs=_job, query="?while=previewed"),
    "imports:template": Row(allowed=PARTS_MANAGE, kwargs=lambda w: {"kind": "parts", "fmt": "xlsx"}),
}


def setup(world):
    from core.models import ImportJob

    world.import_job = ImportJob.objects.create(
        kind="parts", station=world.station, created_by=world.staff["parts_lead"], file="imports/none.csv",
        status=ImportJob.Status.PREVIEWED, total_rows=2, error_count=1,
        errors=[{"row": 3, "column": "list_price", "message": "x"}],
    )
