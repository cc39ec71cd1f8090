from django.urls import path

from bookings.my_bookings import views

# Under /bookings/ and the name space "bookings" (bookings/my_bookings/urls.py).
urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<int:booking_id>/booking.ics", views.booking_ics, name="ics"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("calendar/new-link/", views.rotate_calendar_token, name="rotate_calendar"),
]
