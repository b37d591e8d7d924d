"""Device links for wall TVs: the manager's page (create, revoke) and the public board address a TV opens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from core.registry import registry
from org import kiosk
from org import permissions as perm
from org.models import KioskLink
from org.permissions import kiosk_view, requires
from org.selectors import get_scoped, station_or_404

NEW_LINK_KEY = "kiosk_new_link"


class KioskLinkForm(forms.Form):
    board = forms.ChoiceField(label=gettext_lazy("Board"))
    label = forms.CharField(label=gettext_lazy("Screen"), max_length=80,
                            help_text=gettext_lazy("Where the screen hangs, e.g. \"Lounge TV\" or \"Workshop TV 2\"."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [(b.key, b.label) for b in registry.kiosk_board_list()]


@requires(perm.KIOSK_MANAGE)
def kiosk_links(request: HttpRequest) -> HttpResponse:
    """The station's device links; a form to create one. The new address is shown once, after the redirect."""
    station = station_or_404(request)
    form = KioskLinkForm(request.POST or None)
    if request.method == "POST":
        if submit(form, lambda d: kiosk.kiosk_link_create(station=station, board=d["board"], label=d["label"],
                                                          by=request.user)):
            link, token = form.result
            request.session[NEW_LINK_KEY] = {"pk": link.pk, "url": request.build_absolute_uri(
                reverse("kiosk", kwargs={"token": token}))}
            messages.success(request, _("Device link created. Open the address below on the screen."))
            return redirect("org:kiosk_links")
    new_link = request.session.pop(NEW_LINK_KEY, None)
    boards = {b.key: b.label for b in registry.kiosk_board_list()}
    links = list(kiosk.kiosk_links(station))
    for link in links:
        link.board_label = boards.get(link.board, link.board)
    return render(request, "org/kiosk_links.html", {"form": form, "links": links, "station": station,
                                                    "new_link": new_link},
                  status=400 if form.errors else 200)


@require_POST
@requires(perm.KIOSK_MANAGE)
def kiosk_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_scoped(request, KioskLink.objects.all(), pk=pk)
    act(request, lambda: kiosk.kiosk_link_revoke(link=link, by=request.user),
        _("The link is revoked: the screen stops at its next refresh."))
    return redirect("org:kiosk_links")


@kiosk_view
def kiosk_board(request: HttpRequest, token: str) -> HttpResponse:
    """What a wall TV opens: its station's board, read-only, without a login. A revoked or unknown link answers the
    "link revoked" page; a poll of it makes htmx reload the whole page (``HX-Refresh``) so the screen shows that page
    instead of a fragment."""
    link = kiosk.kiosk_link_for_token(token)
    board = registry.kiosk_boards.get(link.board) if link else None
    if link is None or not link.active or board is None or not link.station.is_active:
        response = render(request, "org/kiosk_revoked.html", status=410 if link else 404)
        if request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"
        return response
    kiosk.kiosk_link_seen(link)
    response = board.render(request, station=link.station, poll_url=request.path)
    response["X-Robots-Tag"] = "noindex"
    return response
