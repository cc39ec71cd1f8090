"""/api/v1/: every path of the API's first version (wnh/urls.py mounts it)."""

from django.urls import path

from bookings.api import bookings, centres, tokens

urlpatterns = [
    path("centres/", centres.NearbyCentres.as_view(), name="api-v1-centres"),
    path("centres/<slug:slug>/", centres.CentreDetail.as_view(), name="api-v1-centre"),
    path("centres/<slug:slug>/seat-map/", centres.CentreSeatMap.as_view(), name="api-v1-seat-map"),
    path("bookings/", bookings.MyBookingsV1.as_view(), name="api-v1-bookings"),
    path("bookings/days/", bookings.BookDays.as_view(), name="api-v1-book-days"),
    path(
        "bookings/<int:booking_id>/cancel/",
        bookings.CancelBooking.as_view(),
        name="api-v1-booking-cancel",
    ),
    path("tokens/", tokens.Tokens.as_view(), name="api-v1-tokens"),
    path("tokens/<str:token_key>/", tokens.Token.as_view(), name="api-v1-token"),
]
