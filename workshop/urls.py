from django.urls import path

from workshop import views, views_roster

app_name = "workshop"

urlpatterns = [
    path("", views.index, name="index"),
    path("board/", views.board, name="board"),
    path("dispatch/", views.dispatch_list, name="dispatch"),
    path("dispatch/line/<int:pk>/", views.dispatch_line, name="dispatch_line"),
    path("orders/<int:pk>/send-to-qc/", views.send_to_qc, name="send_to_qc"),
    path("roster/", views_roster.roster_page, name="roster"),
    path("roster/copy-last-week/", views_roster.roster_copy, name="roster_copy"),
    path("roster/<int:pk>/<str:day>/", views_roster.roster_cell, name="roster_cell"),
    path("my-jobs/", views.my_jobs, name="my_jobs"),
    path("my-jobs/shift/", views.shift_action, name="shift"),
    path("jobs/<int:pk>/clock/", views.clock_action, name="clock"),
    path("jobs/<int:pk>/finding/", views.finding_create, name="finding_create"),
    path("parts-request/<int:pk>/", views.parts_request, name="parts_request"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/decide/", views.finding_decide, name="finding_decide"),
    path("findings/photos/<int:pk>/", views.finding_photo, name="finding_photo"),
    path("qc/", views.qc_list, name="qc"),
    path("qc/<int:pk>/", views.qc_order, name="qc_order"),
    path("comebacks/", views.comeback_list, name="comebacks"),
    path("comebacks/<int:pk>/link/", views.comeback_link, name="comeback_link"),
    path("comebacks/<int:pk>/dismiss/", views.comeback_dismiss, name="comeback_dismiss"),
]
