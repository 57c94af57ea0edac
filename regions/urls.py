from django.urls import path

from . import indicator_views, public, two_factor, views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/calendar/", views.account_calendar, name="account-calendar"),
    path("account/api-token/", views.account_api_token, name="account-api-token"),
    path("account/two-step/", two_factor.setup, name="two-factor"),
    path("account/two-step/off/", two_factor.turn_off, name="two-factor-off"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("indicators/", indicator_views.indicator_list, name="indicator-list"),
    path("indicators/<int:pk>/", indicator_views.indicator_detail, name="indicator-detail"),
    # No sign-in: only regions that opted in, only issued audits (regions/public.py).
    path("public/", public.public_index, name="public-index"),
    path("public/<slug:code>/", public.public_region, name="public-region"),
    path("public/<slug:code>/audits/<int:pk>/report/", public.public_report, name="public-report"),
]
