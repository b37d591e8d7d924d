"""The customer's WeChat binding from their link (/c/<token>/wechat/…), see ``portal.services.link_wechat``.

Both views need the link's verified session (the gate passed in this browser): without it, 404 like any other page of
the link behind the gate."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from core.errors import DomainError
from portal.link_views import _guarded
from portal.services import link as links
from portal.services import link_wechat


@_guarded
def wechat_start(request: HttpRequest, link) -> HttpResponse:
    """Off to WeChat's silent authorisation (snsapi_base), which comes back to ``wechat_back`` with a code."""
    if not link_wechat.wechat_enabled():
        raise Http404
    back = request.build_absolute_uri(reverse("portal:link_wechat_back", args=[links.link_token(link)]))
    return redirect(link_wechat.authorize_url(link=link, session=request.session, redirect_uri=back))


@_guarded
def wechat_back(request: HttpRequest, link) -> HttpResponse:
    page = reverse("portal:link", args=[links.link_token(link)])
    try:
        link_wechat.wechat_bind(link=link, session=request.session, state=request.GET.get("state", ""),
                                code=request.GET.get("code", ""))
    except DomainError:
        return redirect(f"{page}?wechat=failed#wechat")
    return redirect(f"{page}?wechat=bound#wechat")
