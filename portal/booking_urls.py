"""Online booking: ``/book/<station code>/`` (choose, then the SMS code), ``/book/a/<token>/`` (the link of the
confirmation SMS). Included from portal/urls.py, names in the ``portal`` namespace."""

from django.urls import path

from portal import booking_views as views

urlpatterns = [
    path("a/<str:token>/", views.book_manage, name="book_manage"),
    path("<slug:code>/", views.book, name="book"),
    path("<slug:code>/confirm/<str:token>/", views.book_confirm, name="book_confirm"),
]
