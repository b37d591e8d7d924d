"""The organisation pages: chart, staff directory and editing, authority limits."""

from django.urls import path

from org import views

app_name = "org"

urlpatterns = [
    path("", views.org_chart, name="chart"),
    path("staff/", views.staff_directory, name="directory"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/active/", views.staff_toggle_active, name="staff_toggle_active"),
    path("authority/", views.authority_limits, name="authority"),
]

