from django.urls import path

from kpi import views, views_pay

app_name = "kpi"

urlpatterns = [
    path("", views.index, name="index"),
    path("board/<slug:name>/", views.board, name="board"),
    path("board/<slug:name>/export.<str:fmt>", views.export, name="export"),
    path("group/", views.group, name="group"),
    path("group/export.<str:fmt>", views.group_export, name="group_export"),
    path("drill/<slug:code>/", views.drill, name="drill"),
    path("targets/", views.targets, name="targets"),
    path("overhead/", views.overhead, name="overhead"),
    path("settings/", views.settings, name="settings"),
    path("appraisals/", views.appraisals, name="appraisals"),
    path("appraisals/settings/", views.appraisal_settings, name="appraisal_settings"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
    path("pay/", views_pay.pay, name="pay"),
    path("pay/<int:pk>/approve/", views_pay.pay_approve, name="pay_approve"),
    path("pay/mine/", views_pay.pay_mine, name="pay_mine"),
]
