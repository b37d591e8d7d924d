"""Human-facing document numbers: per station and year, sequential, no gap, no duplicate.

A counter row per (station, kind, year) is locked with SELECT … FOR UPDATE inside the caller's transaction, so two
clerks at the same moment get consecutive numbers and a rolled-back transaction gives its number back.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.models import DocumentCounter


def next_number(*, station, kind: str, prefix: str, year: int | None = None) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that saves the document")
    year = year or timezone.localdate().year
    DocumentCounter.objects.get_or_create(station=station, kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(station=station, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{station.code[:2].upper()}{year}{counter.last:06d}"
