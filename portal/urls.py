"""The customer's pages: ``/c/…`` (a work order's link) and ``/book/…`` (online booking). No staff login; every view
is marked ``org.permissions.public`` and checks its own token or code."""

from django.urls import include, path  # noqa: F401

app_name = "portal"

urlpatterns: list = []
urlpatterns += [path("book/", include("portal.booking_urls"))]  # online booking (portal/booking_views.py)
