"""The JSON API: centres near a point, book (201 or 409 with the code), list and cancel."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from bookings.api.bookings import BookingSerializer, booking_row
from bookings.core.services import book_seat
from bookings.models import SeatBooking
from tests.support.factories import CentreFactory, PodFactory

pytestmark = pytest.mark.django_db


def test_centres_near_a_point_come_nearest_first_with_free_seats(api, next_open_day):
    far = CentreFactory(name="Far", latitude=Decimal("10.05"), longitude=Decimal("76.32"))
    near = CentreFactory(name="Near", latitude=Decimal("9.01"), longitude=Decimal("76.78"))
    PodFactory(centre=near, capacity=4)
    response = api.get(
        reverse("api-centres"),
        {"latitude": 9.0, "longitude": 76.77, "day": next_open_day.isoformat()},
    )
    rows = response.json()
    assert [row["slug"] for row in rows] == [near.slug]
    assert rows[0]["free_seats"] == 4
    assert rows[0]["distance_km"] < 2
    # Far is beyond the longest commute: the next page, named by the Link header.
    link = response["Link"]
    assert link.endswith('>; rel="next"')
    assert "page=2" in link
    further = api.get(link[1 : link.index(">")]).json()
    assert [row["slug"] for row in further] == [far.slug]


@pytest.mark.parametrize("page", ["0", "-1", "1001", "x", "1e3", "9" * 40])
def test_centres_near_refuses_a_page_out_of_range(api, page):
    response = api.get(reverse("api-centres"), {"page": page})
    assert response.status_code == 400
    assert "page" in response.json()["errors"]


def test_centres_near_refuses_half_a_point(api):
    assert api.get(reverse("api-centres"), {"latitude": 9.0}).status_code == 400


def test_booking_a_seat_answers_201(api, professional, seat, next_open_day):
    response = api.post(
        reverse("api-bookings"),
        {"centre": seat.pod.centre.slug, "day": next_open_day.isoformat(), "seat": seat.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["seat"] == seat.label
    assert SeatBooking.objects.filter(user=professional).count() == 1


def test_a_taken_seat_answers_409_with_the_code(api, other_professional, seat, next_open_day):
    book_seat(user=other_professional, seat=seat, day=next_open_day)
    response = api.post(
        reverse("api-bookings"),
        {"centre": seat.pod.centre.slug, "day": next_open_day.isoformat(), "seat": seat.pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "seat_taken"


def test_a_day_outside_the_window_answers_400(api, seat, today):
    response = api.post(
        reverse("api-bookings"),
        {"centre": seat.pod.centre.slug, "day": "2001-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "outside_booking_window"


def test_list_and_cancel_my_bookings(api, professional, other_professional, pod, next_open_day):
    first, second = pod.seats.all()[:2]
    mine = book_seat(user=professional, seat=first, day=next_open_day)
    theirs = book_seat(user=other_professional, seat=second, day=next_open_day)

    listed = api.get(reverse("api-bookings")).json()["results"]
    refused = api.post(reverse("api-booking-cancel", args=[theirs.pk]))
    cancelled = api.post(reverse("api-booking-cancel", args=[mine.pk]))

    assert [row["id"] for row in listed] == [mine.pk]
    assert refused.status_code == 404
    assert refused.json()["code"] == "not_your_booking"
    assert cancelled.json()["status"] == "cancelled"
    theirs.refresh_from_db()
    assert theirs.status == "booked"


def test_the_api_needs_a_login_or_a_token(client, db):
    response = client.get(reverse("api-bookings"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_near_me_rows_are_what_their_documented_serializer_gives(next_open_day):
    """The answer is written out for speed (bookings.api.centres.nearby_rows); the
    serializer documents it in the schema: the two give the same JSON."""
    from rest_framework.renderers import JSONRenderer

    from bookings.api.centres import NearbyCentreSerializer, nearby_rows
    from centres.selectors import NearbyCentre

    centre = CentreFactory(latitude=Decimal("9.5"), longitude=Decimal("-76.123456"))
    rows = [NearbyCentre(centre, 1.25, 3, True), NearbyCentre(centre, None, 0, False)]
    documented = NearbyCentreSerializer(rows, many=True, context={"day": next_open_day}).data

    assert JSONRenderer().render(nearby_rows(rows, next_open_day)) == JSONRenderer().render(
        documented
    )


def test_the_booking_s_answer_is_the_serializer_s_json(professional, pod, next_open_day):
    """booking_row writes BookingSerializer's output out by hand (the rush's path): the same
    JSON, for a booking made by book_seat and for one read back from the database."""
    seat = pod.seats.order_by("position").last()
    made = book_seat(user=professional, seat=seat, day=next_open_day)
    read = SeatBooking.objects.select_related("seat__pod__centre").get(pk=made.pk)
    for booking in (made, read):
        assert JSONRenderer().render(booking_row(booking)) == JSONRenderer().render(
            BookingSerializer(booking).data
        )
