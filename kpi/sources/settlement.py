"""Settlement's measure: statements issued, and those later corrected (credit note or supplement)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, OuterRef

from kpi.sources.base import ONE, Sink, local_day
from settlement.models import Statement


def settlements(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Settlement accuracy: statements issued on the day, and those later corrected (credit note or supplement)."""
    corrected = Statement.objects.filter(original_id=OuterRef("pk")).exclude(kind="statement")
    rows = Statement.objects.filter(
        station_id__in=list(station_ids), kind="statement", issued_at__gte=lo, issued_at__lt=hi
    ).annotate(corrected=Exists(corrected)).values("station_id", "issued_at", "order__advisor_id", "corrected")
    for row in rows:
        day = local_day(row["issued_at"])
        sink.add(row["station_id"], day, "settlements", ONE, advisor=row["order__advisor_id"])
        if row["corrected"]:
            sink.add(row["station_id"], day, "settlements_corrected", ONE, advisor=row["order__advisor_id"])
