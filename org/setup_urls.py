"""The first-run set-up: /setup/ (the checklist), the dealer group and its stations. Each station's bays,
warehouses and suppliers are set up on their apps' pages, listed by the checklist."""

from django.urls import path

from org import setup_views as views

app_name = "setup"

urlpatterns = [
    path("", views.index, name="index"),
    path("group/new/", views.group_create, name="group_create"),
    path("group/<int:pk>/", views.group_edit, name="group_edit"),
    path("stations/new/", views.station_create, name="station_create"),
    path("stations/<int:pk>/", views.station_edit, name="station_edit"),
]
