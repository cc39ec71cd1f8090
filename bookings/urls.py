from django.urls import path

from . import history_views, views

app_name = "bookings"

urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("history/", history_views.my_history, name="history"),
    path("<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<int:booking_id>/booking.ics", views.booking_ics, name="ics"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("calendar/new-link/", views.rotate_calendar_token, name="rotate_calendar"),
]
