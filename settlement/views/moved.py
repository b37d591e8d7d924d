"""Settlement's pages lived under /reception/ until issue 12: their old addresses redirect here, query kept."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect

from org.permissions import login_only

OLD, NEW = "/reception/", "/settlement/"


class HttpResponsePermanentRedirectKeepMethod(HttpResponsePermanentRedirect):
    status_code = 308  # a form posted to an old address is posted again, not turned into a GET


@login_only
def to_settlement(request: HttpRequest, **kwargs) -> HttpResponsePermanentRedirect:
    """/reception/orders/7/settlement/?tab=x → /settlement/orders/7/settlement/?tab=x (301; 308 for a POST)."""
    prefix = request.path[: len(request.path) - len(request.path_info)]  # the script prefix, when mounted under one
    target = prefix + NEW + request.get_full_path()[len(prefix) + len(OLD):]
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(target)
    return HttpResponsePermanentRedirectKeepMethod(target)
