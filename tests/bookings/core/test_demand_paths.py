"""People turned away through the paths test_demand.py leaves out: a chosen seat on the page
and in the API, and several days at once in the API; each refusal recorded exactly once."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.models import TurnedAway
from tests.support.factories import SeatBookingFactory

Kind = TurnedAway.Kind


@pytest.fixture
def full_centre(small_pod, people, tomorrow):
    """The one-pod centre, every seat booked tomorrow by people[0..3]."""
    for person, seat in zip(people, small_pod.seats.order_by("position"), strict=False):
        SeatBookingFactory(user=person, seat=seat, day=tomorrow)
    return small_pod.centre


def recorded():
    return list(TurnedAway.objects.values_list("kind", "centre_id", "day"))


def test_a_taken_seat_chosen_on_the_page_of_a_full_centre_is_recorded_once(
    client, full_centre, small_pod, people, tomorrow
):
    client.force_login(people[4])
    url = reverse("centres:book", kwargs={"slug": full_centre.slug})
    seat = small_pod.seats.order_by("position").first()

    for _ in range(2):  # a second click
        client.post(url, {"day": tomorrow.isoformat(), "seat": seat.pk})

    assert recorded() == [(Kind.NO_FREE_SEAT, full_centre.pk, tomorrow)]


def test_a_taken_seat_chosen_in_the_api_is_recorded_once(
    client, full_centre, small_pod, people, tomorrow
):
    client.force_login(people[4])
    seat = small_pod.seats.order_by("position").first()
    body = {"centre": full_centre.slug, "day": tomorrow.isoformat(), "seat": seat.pk}

    answer = client.post(reverse("api-v1-bookings"), body, content_type="application/json")

    assert answer.status_code == 409
    assert recorded() == [(Kind.NO_FREE_SEAT, full_centre.pk, tomorrow)]


def test_several_days_in_the_api_record_only_the_full_day(client, full_centre, people, tomorrow):
    client.force_login(people[4])
    free_day = tomorrow + timedelta(days=1)
    body = {"centre": full_centre.slug, "days": [tomorrow.isoformat(), free_day.isoformat()]}

    answer = client.post(reverse("api-v1-book-days"), body, content_type="application/json")

    assert answer.status_code < 500
    assert recorded() == [(Kind.NO_FREE_SEAT, full_centre.pk, tomorrow)]
