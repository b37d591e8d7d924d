from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aftersales import permissions as perm
from aftersales.permissions import requires


@requires(perm.COMPLAINTS_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/index.html")
