from django.urls import path

from workshop.views import bays, board, comebacks, dispatch, findings, jobs, qc_report, quality, roster

app_name = "workshop"

urlpatterns = [
    path("", board.index, name="index"),
    path("board/", board.board_page, name="board"),
    path("dispatch/", dispatch.dispatch_list, name="dispatch"),
    path("dispatch/line/<int:pk>/", dispatch.dispatch_line, name="dispatch_line"),
    path("dispatch/order/<int:pk>/", dispatch.dispatch_order, name="dispatch_order"),
    path("parts/<int:pk>/not-needed/", dispatch.part_not_needed, name="part_not_needed"),
    path("orders/<int:pk>/send-to-qc/", dispatch.send_to_qc, name="send_to_qc"),
    path("roster/", roster.roster_page, name="roster"),
    path("roster/copy-last-week/", roster.roster_copy, name="roster_copy"),
    path("roster/<int:pk>/<str:day>/", roster.roster_cell, name="roster_cell"),
    path("my-jobs/", jobs.my_jobs, name="my_jobs"),
    path("my-jobs/shift/", jobs.shift_action, name="shift"),
    path("jobs/<int:pk>/clock/", jobs.clock_action, name="clock"),
    path("jobs/<int:pk>/finding/", findings.finding_create, name="finding_create"),
    path("jobs/<int:pk>/finding/operations/", findings.finding_pick_operations, name="finding_pick_operations"),
    path("jobs/<int:pk>/finding/parts/", findings.finding_pick_parts, name="finding_pick_parts"),
    path("parts-request/<int:pk>/", jobs.parts_request, name="parts_request"),
    path("findings/", findings.finding_list, name="findings"),
    path("findings/<int:pk>/decide/", findings.finding_decide, name="finding_decide"),
    path("qc/", quality.qc_list, name="qc"),
    path("qc/<int:pk>/", quality.qc_order, name="qc_order"),
    path("qc/report/", qc_report.qc_report, name="qc_report"),
    path("comebacks/", comebacks.comeback_list, name="comebacks"),
    path("comebacks/<int:pk>/link/", comebacks.comeback_link, name="comeback_link"),
    path("comebacks/<int:pk>/dismiss/", comebacks.comeback_dismiss, name="comeback_dismiss"),
    # set-up: the station's bays (a step of the /setup/ checklist)
    path("setup/bays/", bays.bay_list, name="bays"),
    path("setup/bays/<int:pk>/", bays.bay_edit, name="bay_edit"),
]
