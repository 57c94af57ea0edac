from django.urls import path

from . import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/calendar/", views.account_calendar, name="account-calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
