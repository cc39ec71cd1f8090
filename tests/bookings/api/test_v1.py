"""/api/v1/: a centre, its seat map for a day as data, several days at once; and the same
answers as the pages (the rules core's)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.core.days import bookable_days
from bookings.core.services import book_seat
from bookings.models import SeatBooking
from centres.models import Centre
from tests.support.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_centre_lists_its_pods_and_the_days_it_takes_bookings(client, pod):
    answer = client.get(reverse("api-v1-centre", kwargs={"slug": pod.centre.slug}))
    assert answer.status_code == 200
    body = answer.json()
    assert [p["code"] for p in body["pods"]] == [pod.code]
    assert body["bookable_days"] == [d.isoformat() for d in bookable_days(centre=pod.centre)]
    assert client.get(reverse("api-v1-centre", kwargs={"slug": "nowhere"})).status_code == 404


def test_the_seat_map_says_free_taken_and_yours(api, professional, pod, next_open_day):
    first, second, *_ = pod.seats.order_by("position")
    book_seat(user=professional, seat=first, day=next_open_day)
    book_seat(user=UserFactory(), seat=second, day=next_open_day)
    answer = api.get(
        reverse("api-v1-seat-map", kwargs={"slug": pod.centre.slug}),
        {"day": next_open_day.isoformat()},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    states = {seat["id"]: seat["state"] for seat in body["pods"][0]["seats"]}
    assert states[first.pk] == "yours"
    assert states[second.pk] == "taken"
    assert body["free_seats"] == pod.capacity - 2
    assert body["bookable"] is True
    assert body["your_booking"] == SeatBooking.objects.get(user=professional).pk


@pytest.mark.parametrize("day", ["yesterday", "beyond", "not-a-day", "2026-02-30"])
def test_a_seat_map_day_outside_the_window_is_a_400(api, pod, today, day):
    value = {
        "yesterday": (today - timedelta(days=1)).isoformat(),
        "beyond": (today + timedelta(days=400)).isoformat(),
    }.get(day, day)
    answer = api.get(reverse("api-v1-seat-map", kwargs={"slug": pod.centre.slug}), {"day": value})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"


def test_a_centre_not_open_has_no_seat_map(api):
    centre = CentreFactory(status=Centre.Status.UNDER_CONSTRUCTION)
    answer = api.get(reverse("api-v1-seat-map", kwargs={"slug": centre.slug}))
    assert answer.status_code == 404


def test_several_days_are_each_booked_or_refused_with_the_reason(api, professional, pod):
    days = bookable_days(centre=pod.centre)[:2]
    taken = days[1]
    for seat in pod.seats.all():
        book_seat(user=UserFactory(), seat=seat, day=taken)
    answer = api.post(
        reverse("api-v1-book-days"),
        {"centre": pod.centre.slug, "days": [d.isoformat() for d in days]},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    rows = {row["day"]: row for row in answer.json()}
    assert rows[days[0].isoformat()]["booking"]["centre"] == pod.centre.slug
    assert rows[taken.isoformat()]["booking"] is None
    assert rows[taken.isoformat()]["code"] == "no_free_seat"
    assert SeatBooking.objects.filter(user=professional).count() == 1


@pytest.mark.parametrize(
    "days", [[], ["2026-13-01"], ["x"], ["2026-12-08"] * 32], ids=["none", "month", "x", "many"]
)
def test_several_days_refuse_a_bad_list(api, pod, days):
    answer = api.post(
        reverse("api-v1-book-days"),
        {"centre": pod.centre.slug, "days": days},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert not SeatBooking.objects.exists()


def test_upcoming_bookings_come_a_cursor_page_at_a_time(api, professional, pod, settings):
    from bookings.api.bookings import UpcomingCursor

    days = bookable_days(centre=pod.centre)[:3]
    for day in days:
        book_seat(user=professional, seat=pod.seats.first(), day=day)
    UpcomingCursor.page_size = 2
    try:
        first = api.get(reverse("api-v1-bookings")).json()
        second = api.get(first["next"]).json()
    finally:
        UpcomingCursor.page_size = 50
    assert [row["day"] for row in first["results"] + second["results"]] == [
        d.isoformat() for d in days
    ]
    assert second["next"] is None


def test_a_refused_item_of_a_list_is_named_in_a_flat_list_of_messages(api, pod):
    """The error shape is {field: [text]} even for a list's items (the schema says so)."""
    answer = api.post(
        reverse("api-v1-book-days"),
        {"centre": pod.centre.slug, "days": ["2026-12-01", "not a day"]},
        content_type="application/json",
    )
    assert answer.status_code == 400
    messages = answer.json()["errors"]["days"]
    assert all(isinstance(message, str) for message in messages)
    assert messages[0].startswith("#2: ")
