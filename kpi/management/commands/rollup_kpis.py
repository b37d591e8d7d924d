from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from kpi.services.rollup import rollup_days
from org.models import Station


class Command(BaseCommand):
    help = "Backfill the KPI daily facts: rollup_kpis --from 2026-01-01 --to 2026-01-31 [--station CODE]"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, type=date.fromisoformat)
        parser.add_argument("--to", dest="end", required=True, type=date.fromisoformat)
        parser.add_argument("--station", action="append", default=[], help="station code (repeatable)")

    def handle(self, *args, start: date, end: date, station: list[str], **options):
        if end < start:
            raise CommandError("--to is before --from")
        ids = None
        if station:
            ids = list(Station.objects.filter(code__in=station).values_list("id", flat=True))
        written = 0
        # A month per transaction: memory stays flat on long backfills.
        day = start
        while day <= end:
            chunk_end = min(end, day + timedelta(days=30))
            written += rollup_days(start=day, end=chunk_end, station_ids=ids)
            day = chunk_end + timedelta(days=1)
        self.stdout.write(f"{written} station-days rolled up ({start} → {end})")
