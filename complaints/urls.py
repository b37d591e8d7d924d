from django.urls import path

from complaints import messages_views, retention_views, views

app_name = "complaints"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.intake, name="intake"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/analyse/", views.analyse, name="analyse"),
    path("<int:pk>/handle/", views.handle, name="handle"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/crisis/", views.crisis, name="crisis"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/attempt/", views.call_attempt, name="call_attempt"),
    path("calls/<int:pk>/survey/", views.call_survey, name="call_survey"),
    path("reminders/", views.reminders, name="reminders"),
    path("retention/service/", retention_views.due_service, name="due_service"),
    path("retention/service/<int:pk>/call/", retention_views.due_service_call, name="due_service_call"),
    path("retention/win-back/", retention_views.win_back, name="win_back"),
    path("retention/win-back/<int:pk>/call/", retention_views.win_back_call, name="win_back_call"),
    path("retention/insurance/", retention_views.insurance, name="insurance"),
    path("retention/insurance/<int:pk>/call/", retention_views.insurance_call, name="insurance_call"),
    path("retention/insurance/<int:pk>/sms/", retention_views.insurance_sms, name="insurance_sms"),
    path("settings/", views.care_settings, name="settings"),
    path("reminders/read/", views.reminder_read, name="reminder_read"),
    path("reminders/read-all/", views.reminders_read_all, name="reminders_read_all"),
    path("messages/", messages_views.message_list, name="messages"),
    path("messages/<int:pk>/resend/", messages_views.message_resend, name="message_resend"),
    path("customers/<int:pk>/consent/", messages_views.customer_consent, name="customer_consent"),
    path("messages/receipts/aliyun/<str:token>/", messages_views.receipt_aliyun, name="receipt_aliyun"),
    path("messages/receipts/tencent/<str:token>/", messages_views.receipt_tencent, name="receipt_tencent"),
    path("messages/replies/aliyun/<str:token>/", messages_views.reply_aliyun, name="reply_aliyun"),
    path("messages/replies/tencent/<str:token>/", messages_views.reply_tencent, name="reply_tencent"),
    path("messages/receipts/wechat/", messages_views.receipt_wechat, name="receipt_wechat"),
]
