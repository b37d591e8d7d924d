"""Request and response hardening shared by every page.

- :class:`NulBytesMiddleware`: a NUL byte in a query or form value is dropped (PostgreSQL refuses NUL in text, so a
  search for ``"a\\x00"`` used to answer 500).
- :class:`ResponseHeadersMiddleware`: the Content-Security-Policy on every HTML page and ``Cache-Control: no-store``
  on every HTML page answered to someone logged in. Sits below WhiteNoise, so static files keep their caching.
- :class:`DatabaseUnavailableMiddleware` and :func:`server_error`: a translated 503 page that needs no database while
  the database cannot be reached (from a view, or from loading the session or the user in a middleware).
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # style attributes in the templates, and htmx's indicator <style>, need 'unsafe-inline' (styles run no code)
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-src 'self'",  # the print preview embeds our own PDF
    "base-uri 'self'",
    "form-action 'self'",
])


def _without_nul(data: QueryDict) -> QueryDict:
    if not any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()):
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    clean._mutable = False
    return clean


class NulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _without_nul(request.GET)
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                   "multipart/form-data"):
            try:
                post = request.POST
            except Exception:  # noqa: BLE001 - an unreadable body is refused later, where it always was
                post = None
            if post is not None:
                request.POST = _without_nul(post)
        return self.get_response(request)


def _logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    try:
        return bool(user is not None and user.is_authenticated)
    except DATABASE_ERRORS:
        return False


class ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if "Content-Security-Policy" not in response:
            # Pages that may be framed by our own pages say so with X-Frame-Options: SAMEORIGIN.
            ancestors = "'self'" if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN" else "'none'"
            response["Content-Security-Policy"] = f"{CONTENT_SECURITY_POLICY}; frame-ancestors {ancestors}"
        if _logged_in(request):
            patch_cache_control(response, no_store=True, private=True)
        return response


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page: a template with no context processors and nothing from the database."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        html = render_to_string("core/unavailable.html", {"retry_after": RETRY_AFTER_SECONDS,
                                                          "LANGUAGE_CODE": language})
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database that cannot be reached during a view into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("database unavailable: %s", exception)
            return unavailable(request)
        return None


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: an exception outside the view (the session or the user loaded by a middleware) that comes from
    an unreachable database answers the 503 page too; everything else the plain 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return unavailable(request)
    return defaults.server_error(request, template_name=template_name)
