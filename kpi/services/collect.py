"""Compute the additive measures of ``kpi.models.MEASURES`` from the other apps' records, per local day.

``collect(station_ids=, start=, end=)`` returns ``{(grain, station_id, subject_id, day): {measure: Decimal}}`` with
``grain`` one of ``station``/``advisor``/``technician`` (``subject_id`` 0 for the station). It reads only; the rollup
(``kpi.services.rollup``) stores the result, and the live comparison in the benchmark sums it directly.

The sources live in ``kpi.sources``, one module per department; this module runs them in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kpi.sources import campaigns, complaints, parts, people, reception, settlement, workshop
from kpi.sources.base import ADVISOR, STATION, TECHNICIAN, Facts, Sink, Source, day_bounds

__all__ = ["ADVISOR", "SOURCES", "STATION", "TECHNICIAN", "collect"]  # the grains name the keys of the result

SOURCES: list[Source] = [
    reception.orders_in, reception.delivered, complaints.followups, complaints.surveys, complaints.complaints,
    parts.first_fill, parts.stock, workshop.technician_hours, workshop.comebacks, reception.appointments,
    settlement.settlements, complaints.two_week_closure, reception.customer_loss, complaints.servqual,
    parts.purchases, settlement.corrections, settlement.package_uses, settlement.receivables,
    campaigns.campaign_vehicles, people.turnover, people.staff_survey, people.mystery_shop, complaints.win_back,
]


def collect(*, station_ids: Iterable[int], start: date, end: date) -> Facts:
    station_ids = list(station_ids)
    lo, hi = day_bounds(start, end)
    sink = Sink()
    for source in SOURCES:
        source(sink, station_ids, lo, hi)
    return sink.facts
