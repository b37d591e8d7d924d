"""The customer's pages: ``/c/…`` (a work order's link) and ``/book/…`` (online booking). No staff login; every view
is marked ``org.permissions.public`` and checks its own token or code. The advisor's link buttons live under
``/portal/`` (staff, intranet)."""

from django.urls import include, path

from portal import link_staff_views, link_views, link_wechat_views

app_name = "portal"

urlpatterns: list = [
    # --- the work order's link (customer, public) ---
    path("c/<str:token>/", link_views.link, name="link"),
    path("c/<str:token>/decide/", link_views.decide, name="link_decide"),
    path("c/<str:token>/sign/", link_views.sign, name="link_sign"),
    path("c/<str:token>/optout/", link_views.optout, name="link_optout"),
    path("c/<str:token>/survey/", link_views.survey, name="link_survey"),
    path("c/<str:token>/complaint/", link_views.complaint, name="link_complaint"),
    path("c/<str:token>/photo/<int:pk>/", link_views.photo, name="link_photo"),
    path("c/<str:token>/video/<int:pk>/", link_views.video, name="link_video"),
    path("c/<str:token>/doc/<slug:kind>/", link_views.document, name="link_document"),
    path("c/<str:token>/receipt/<int:pk>/", link_views.receipt, name="link_receipt"),
    path("c/<str:token>/wechat/", link_wechat_views.wechat_start, name="link_wechat"),
    path("c/<str:token>/wechat/back/", link_wechat_views.wechat_back, name="link_wechat_back"),
    # --- online booking (customer, public; portal/booking_views.py) ---
    path("book/", include("portal.booking_urls")),
    # --- the advisor's buttons (staff) ---
    path("portal/orders/<int:pk>/link/revoke/", link_staff_views.link_revoke_view, name="link_revoke"),
    path("portal/orders/<int:pk>/link/reissue/", link_staff_views.link_reissue_view, name="link_reissue"),
]
