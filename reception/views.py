from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aftersales import permissions as perm
from aftersales.permissions import requires


@requires(perm.RECEPTION_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reception/index.html")
