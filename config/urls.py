from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from core import files, import_views
from core.middleware import server_error
from org import kiosk_views, views
from org.permissions import login_only, public
from settlement import urls as settlement_urls

handler500 = server_error

# The pages of an import job (core.import_views), the same for every kind. Login only at the middleware: each view
# checks the permission of the job's kind (403) and the job's station (404) itself. The upload pages are the
# departments' own (parts:part_import, reception:catalogue_import, reception:customer_import).
imports_urlpatterns = ([
    path("<int:pk>/", login_only(import_views.job), name="job"),
    path("<int:pk>/start/", login_only(import_views.start), name="start"),
    path("<int:pk>/progress/", login_only(import_views.progress), name="progress"),
    path("template/<slug:kind>.<slug:fmt>", login_only(import_views.template), name="template"),
], "imports")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", views.healthz_ready, name="healthz_ready"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/password/done/", views.password_change_done, name="password_change_done"),
    path("station/switch/", views.switch_station, name="switch_station"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("jsi18n/", public(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("kiosk/<str:token>/", kiosk_views.kiosk_board, name="kiosk"),  # a wall TV's board (device link, no login)
    path("org/", include("org.urls")),
    path("setup/", include("org.setup_urls")),  # the first-run set-up checklist, the group and its stations
    path("reception/", include("reception.urls")),
    path("reception/", include(settlement_urls.moved_urlpatterns)),  # settlement's old addresses redirect
    path("settlement/", include("settlement.urls")),  # settlement, payments, claims, printed documents
    path("workshop/", include("workshop.urls")),
    path("parts/", include("parts.urls")),
    path("complaints/", include("complaints.urls")),
    path("kpi/", include("kpi.urls")),
    path("imports/", include(imports_urlpatterns)),
    path("", include("portal.urls")),  # the customer's pages, /c/ and /book/ (no staff login; deploy/nginx)
    # Uploaded files: public at the middleware so anonymous users get a logged 404; core.files checks login,
    # permission and station itself. Nothing under MEDIA_URL is served, in development either.
    path("files/<slug:kind>/<int:pk>/", public(files.serve), name="private_file"),
    path("admin/", admin.site.urls),
]
