"""/api/v1/: every path of the API's first version (wnh/urls.py mounts it)."""

from django.urls import path

from bookings.api import bookings, centres, companies, company_admin, tokens, waitlist

urlpatterns = [
    path("centres/", centres.NearbyCentres.as_view(), name="api-v1-centres"),
    path("centres/<slug:slug>/", centres.CentreDetail.as_view(), name="api-v1-centre"),
    path("centres/<slug:slug>/seat-map/", centres.CentreSeatMap.as_view(), name="api-v1-seat-map"),
    path("centres/<slug:slug>/check-in/", waitlist.CheckIn.as_view(), name="api-v1-check-in"),
    path("bookings/", bookings.MyBookingsV1.as_view(), name="api-v1-bookings"),
    path("waitlist/", waitlist.Waitlist.as_view(), name="api-v1-waitlist"),
    path(
        "waitlist/<int:entry_id>/", waitlist.WaitlistPlace.as_view(), name="api-v1-waitlist-place"
    ),
    path(
        "waitlist/<int:entry_id>/accept/",
        waitlist.AcceptOffer.as_view(),
        name="api-v1-waitlist-accept",
    ),
    path("bookings/days/", bookings.BookDays.as_view(), name="api-v1-book-days"),
    path(
        "bookings/<int:booking_id>/cancel/",
        bookings.CancelBooking.as_view(),
        name="api-v1-booking-cancel",
    ),
    path("companies/", companies.MyCompanies.as_view(), name="api-v1-companies"),
    path("companies/<slug:slug>/members/", companies.Members.as_view(), name="api-v1-members"),
    path(
        "companies/<slug:slug>/members/<int:membership_id>/",
        companies.Member.as_view(),
        name="api-v1-member",
    ),
    path(
        "companies/<slug:slug>/invitations/",
        companies.Invitations.as_view(),
        name="api-v1-invitations",
    ),
    path(
        "companies/<slug:slug>/reservations/",
        companies.Reservations.as_view(),
        name="api-v1-reservations",
    ),
    path(
        "companies/<slug:slug>/reservations/<int:reservation_id>/cancel/",
        companies.CancelReservation.as_view(),
        name="api-v1-reservation-cancel",
    ),
    path("companies/<slug:slug>/free-pods/", companies.FreePods.as_view(), name="api-v1-free-pods"),
    path(
        "companies/<slug:slug>/seat-assignments/",
        companies.SeatAssignments.as_view(),
        name="api-v1-seat-assignments",
    ),
    path(
        "companies/<slug:slug>/statement/",
        companies.CompanyStatement.as_view(),
        name="api-v1-statement",
    ),
    path(
        "companies/<slug:slug>/tokens/",
        company_admin.CompanyTokens.as_view(),
        name="api-v1-company-tokens",
    ),
    path(
        "companies/<slug:slug>/tokens/<str:token_key>/",
        company_admin.CompanyToken.as_view(),
        name="api-v1-company-token",
    ),
    path(
        "companies/<slug:slug>/webhooks/",
        company_admin.WebhookEndpoints.as_view(),
        name="api-v1-webhooks",
    ),
    path(
        "companies/<slug:slug>/webhooks/<int:endpoint_id>/",
        company_admin.WebhookEndpointDetail.as_view(),
        name="api-v1-webhook",
    ),
    path(
        "companies/<slug:slug>/webhooks/<int:endpoint_id>/test/",
        company_admin.WebhookTest.as_view(),
        name="api-v1-webhook-test",
    ),
    path(
        "companies/<slug:slug>/webhooks/<int:endpoint_id>/deliveries/",
        company_admin.WebhookDeliveries.as_view(),
        name="api-v1-webhook-deliveries",
    ),
    path("tokens/", tokens.Tokens.as_view(), name="api-v1-tokens"),
    path("tokens/<str:token_key>/", tokens.Token.as_view(), name="api-v1-token"),
]
