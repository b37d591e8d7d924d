"""The workshop's landing page and the board (维修管理看板)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from reception.models import WorkOrder
from workshop import selectors
from workshop.board import cache as board_cache
from workshop.board import data as board_data
from workshop.models import Finding
from workshop.services import comebacks

S = WorkOrder.Status


@requires(perm.WORKSHOP_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    counts = WorkOrder.objects.filter(station=station).aggregate(
        open=Count("pk", filter=Q(status=S.OPEN)),
        in_progress=Count("pk", filter=Q(status=S.IN_PROGRESS)),
        quality_check=Count("pk", filter=Q(status=S.QUALITY_CHECK)),
        ready=Count("pk", filter=Q(status=S.READY)),
    )
    context = {
        "station": station,
        "counts": counts,
        "pending_findings": Finding.objects.filter(station=station, decision=Finding.Decision.PENDING).count(),
        "capacity": selectors.capacity_hours(station=station, day=timezone.localdate()),
        **_comeback_context(request, station),
    }
    return render(request, "workshop/index.html", context)


def _comeback_context(request: HttpRequest, station) -> dict:
    """The possible comebacks waiting for review, for those who review them (bounded count, this station only)."""
    if not perm.has_action(request.user, perm.WORKSHOP_COMEBACK):
        return {}
    count = comebacks.unreviewed_comebacks(station=station)
    return {"comebacks_waiting": count, "comebacks_more": count > comebacks.COMEBACK_COUNT_LIMIT,
            "comebacks_limit": comebacks.COMEBACK_COUNT_LIMIT}


@requires(perm.WORKSHOP_VIEW)
def board_page(request: HttpRequest) -> HttpResponse:
    """The board; htmx polls get the fragment alone. Built at most once per cache period per station, language,
    TV mode and whether the viewer may dispatch (workshop.board.cache)."""
    station = station_or_404(request)
    tv = request.GET.get("tv") == "1"
    # The dispatcher's cards link to the dispatch form (not on the TV): a variant of its own in the cache.
    may_dispatch = not tv and perm.has_action(request.user, perm.WORKSHOP_DISPATCH)
    dispatch_url = ""
    if may_dispatch:
        board_url = reverse("workshop:board")
        dispatch_url = reverse("workshop:dispatch_order", args=[0]).replace("/0/", "/{}/") + f"?next={board_url}"
    poll_url = reverse("workshop:board") + ("?tv=1" if tv else "")
    # The comebacks waiting are on the page around the board, not in the fragment a poll fetches: counted for the page.
    extra = {} if tv or request.headers.get("HX-Request") else _comeback_context(request, station)
    return _board_response(request, station=station, tv=tv, poll_url=poll_url,
                           variant=f"{int(tv)}:{int(may_dispatch)}", dispatch_url=dispatch_url, extra=extra)


def board_kiosk(request: HttpRequest, *, station, poll_url: str) -> HttpResponse:
    """The board on a workshop TV through a device link (org.kiosk_views): TV mode, no staff menu, no buttons but
    full screen. The fragment polls the link's own address, so it is cached per link."""
    variant = "kiosk:" + hashlib.sha256(poll_url.encode()).hexdigest()[:16]
    return _board_response(request, station=station, tv=True, poll_url=poll_url, variant=variant, kiosk=True)


def _board_response(request: HttpRequest, *, station, tv: bool, poll_url: str, variant: str, kiosk: bool = False,
                    dispatch_url: str = "", extra: dict | None = None) -> HttpResponse:
    def build() -> str:
        context = {"board": board_data.board(station=station), "station": station, "tv": tv, "poll_url": poll_url,
                   "poll_seconds": settings.BOARD_POLL_SECONDS, "dispatch_url": dispatch_url}
        return render_to_string("workshop/_board.html", context, request=request)

    fragment = board_cache.board_cached(station.pk, f"{get_language()}:{variant}", build)
    if request.headers.get("HX-Request"):
        return HttpResponse(fragment)
    context = {"fragment": mark_safe(fragment), "station": station, "tv": tv, "kiosk": kiosk,  # noqa: S308 - our own rendered template
               **(extra or {})}
    return render(request, "workshop/board.html", context)
