from django.urls import path

from parts import views

app_name = "parts"

urlpatterns = [
    path("", views.index, name="index"),
]
