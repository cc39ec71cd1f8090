"""Booking through the API with an Idempotency-Key: a retry gets the first answer again."""

import pytest
from django.urls import reverse

from bookings.core.services import book_seat
from bookings.models import SeatBooking

pytestmark = pytest.mark.django_db


def post_booking(client, seat, day, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = {"centre": seat.pod.centre.slug, "day": day.isoformat(), "seat": seat.pk, **extra}
    return client.post(reverse("api-bookings"), body, content_type="application/json", **headers)


def test_a_retry_with_the_same_key_gets_the_same_booking(api, professional, seat, next_open_day):
    first = post_booking(api, seat, next_open_day, key="attempt-1")
    again = post_booking(api, seat, next_open_day, key="attempt-1")

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert SeatBooking.objects.filter(user=professional).count() == 1


def test_without_a_key_a_retry_is_told_the_day_is_booked(api, seat, next_open_day):
    post_booking(api, seat, next_open_day)

    again = post_booking(api, seat, next_open_day)

    assert again.status_code == 409
    assert again.json()["code"] == "already_booked_that_day"


def test_a_key_reused_for_another_request_is_refused_and_changes_nothing(
    api, professional, pod, next_open_day
):
    first_seat, second_seat = pod.seats.all()[:2]
    post_booking(api, first_seat, next_open_day, key="attempt-1")

    reused = post_booking(api, second_seat, next_open_day, key="attempt-1")

    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert list(SeatBooking.objects.values_list("seat", flat=True)) == [first_seat.pk]


def test_a_refusal_is_replayed_too(api, other_professional, seat, next_open_day):
    book_seat(user=other_professional, seat=seat, day=next_open_day)

    first = post_booking(api, seat, next_open_day, key="attempt-1")
    SeatBooking.objects.all().delete()  # the seat frees up, but the answer to attempt-1 stands
    again = post_booking(api, seat, next_open_day, key="attempt-1")

    assert first.status_code == again.status_code == 409
    assert again.json()["code"] == "seat_taken"


def test_keys_belong_to_one_person(client, professional, other_professional, pod, next_open_day):
    first_seat, second_seat = pod.seats.all()[:2]
    client.force_login(professional)
    post_booking(client, first_seat, next_open_day, key="same-key")
    client.force_login(other_professional)

    theirs = post_booking(client, second_seat, next_open_day, key="same-key")

    assert theirs.status_code == 201
    assert SeatBooking.objects.get(user=other_professional).seat == second_seat


def test_an_overlong_key_is_refused(api, seat, next_open_day):
    response = post_booking(api, seat, next_open_day, key="k" * 256)

    assert response.status_code == 400
    assert not SeatBooking.objects.exists()


def test_a_key_whose_request_died_can_be_retried_soon(
    api, professional, seat, next_open_day, monkeypatch
):
    import time

    from bookings.api import bookings as bookings_api

    def die(self, request):
        raise SystemExit  # the process is killed mid-request: nothing cleans up

    from bookings.api import idempotency

    monkeypatch.setattr(idempotency, "PENDING_TTL_SECONDS", 1)
    with monkeypatch.context() as patch:
        patch.setattr(bookings_api.MyBookings, "book", die)
        with pytest.raises(SystemExit):
            post_booking(api, seat, next_open_day, key="attempt-1")

    assert post_booking(api, seat, next_open_day, key="attempt-1").status_code == 409
    time.sleep(1.1)
    retried = post_booking(api, seat, next_open_day, key="attempt-1")

    assert retried.status_code == 201
    assert SeatBooking.objects.filter(user=professional).count() == 1
