"""The organisation pages: chart, staff directory and editing, authority limits; the bell's notifications."""

from django.urls import path

from org import kiosk_views, meeting_views, people_views, training_views, views

app_name = "org"

urlpatterns = [
    path("", views.org_chart, name="chart"),
    path("staff/", views.staff_directory, name="directory"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/pick/", views.pick_staff, name="pick_staff"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/active/", views.staff_toggle_active, name="staff_toggle_active"),
    path("staff/lockouts/", views.staff_lockouts, name="lockouts"),
    path("staff/<int:pk>/unlock/", views.staff_unlock, name="staff_unlock"),
    path("authority/", views.authority_limits, name="authority"),
    # device links for wall TVs (the board a screen opens is at /kiosk/<token>/)
    path("screens/", kiosk_views.kiosk_links, name="kiosk_links"),
    path("screens/<int:pk>/revoke/", kiosk_views.kiosk_link_revoke, name="kiosk_link_revoke"),
    # training and certification (培训与认证)
    path("training/", training_views.training_page, name="training"),
    path("training/records/new/", training_views.training_record_new, name="training_record_new"),
    path("training/records/<int:pk>/withdraw/", training_views.training_record_withdraw,
         name="training_record_withdraw"),
    path("training/plan/new/", training_views.training_plan_new, name="training_plan_new"),
    path("training/plan/<int:pk>/done/", training_views.training_plan_done, name="training_plan_done"),
    path("training/plan/<int:pk>/cancel/", training_views.training_plan_cancel, name="training_plan_cancel"),
    # meetings, their minutes and follow-up actions
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/actions/<int:pk>/done/", meeting_views.meeting_action_done, name="meeting_action_done"),
    # the people KPIs: the anonymous staff survey, the mystery shop (issue 19 item 4)
    path("survey/", people_views.staff_survey, name="staff_survey"),
    path("people/", people_views.people_page, name="people"),
    path("people/survey/open/", people_views.survey_open, name="staff_survey_open"),
    path("people/mystery/items/new/", people_views.mystery_item_new, name="mystery_item_new"),
    path("people/mystery/items/<int:pk>/retire/", people_views.mystery_item_retire, name="mystery_item_retire"),
    path("people/mystery/visits/new/", people_views.mystery_visit_new, name="mystery_visit_new"),
    path("people/mystery/visits/<int:pk>/", people_views.mystery_visit, name="mystery_visit"),
    # the bell in the top bar
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
]

