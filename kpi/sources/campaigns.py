"""Recalls and service campaigns: the vehicles listed on each day, and of those the ones done since — summed over a
period they give the completion rate of the vehicles listed in it (召回/服务活动完成率)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kpi.sources.base import ONE, Sink, local_day
from reception.models import CampaignVehicle


def campaign_vehicles(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    rows = CampaignVehicle.objects.filter(station_id__in=list(station_ids), listed_at__gte=lo, listed_at__lt=hi
                                          ).values_list("station_id", "listed_at", "done_at")
    for station_id, listed_at, done_at in rows:
        day = local_day(listed_at)
        sink.add(station_id, day, "campaign_vehicles", ONE)
        if done_at is not None:
            sink.add(station_id, day, "campaign_done", ONE)
