"""/bookings/: a person's bookings (bookings.my_bookings) and the history of each in words
(bookings.privacy), under the name space "bookings"."""

from django.urls import path

from bookings.my_bookings.urls import urlpatterns as my_bookings
from bookings.privacy import history_views

app_name = "bookings"

urlpatterns = [
    *my_bookings,
    path("history/", history_views.my_history, name="history"),
]
