from django.urls import path

from . import two_factor, views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/calendar/", views.account_calendar, name="account-calendar"),
    path("account/two-step/", two_factor.setup, name="two-factor"),
    path("account/two-step/off/", two_factor.turn_off, name="two-factor-off"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
