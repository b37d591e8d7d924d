"""Recalls and service campaigns (召回 / 服务活动): the station's campaigns, their import, and the open vehicles for
customer care to call."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import import_views
from core.paging import keyset_page
from core.params import id_or_none
from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from reception import selectors


@requires(perm.RECEPTION_VIEW)
def campaign_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    page = keyset_page(selectors.campaigns(station), request.GET, key="created_at", descending=True)
    return render(request, "reception/campaigns/list.html", {"page": page})


@requires(perm.RECEPTION_SETUP)
def campaign_import(request: HttpRequest) -> HttpResponse:
    """The carmaker's campaign with its VIN list: the upload page; checked and imported on the workers."""
    return import_views.upload(request, kind="campaigns", station=station_or_404(request))


@requires(perm.RECEPTION_VIEW)
def campaign_open_vehicles(request: HttpRequest) -> HttpResponse:
    """The listed vehicles not done yet, oldest listing first: customer care calls their owners."""
    station = station_or_404(request)
    campaign_id = id_or_none(request.GET.get("campaign"))
    page = keyset_page(selectors.open_campaign_vehicles(station, campaign_id=campaign_id), request.GET,
                       key="listed_at")
    selectors.with_vehicles(page.object_list, station)
    return render(request, "reception/campaigns/open_vehicles.html", {"page": page, "campaign_id": campaign_id})
