"""My waitlist and check-in through the API: the same rules as the pages (a full centre's
line, one place a person, offers taken while they hold; the entrance code of now, five wrong
codes and a pause)."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings.core import check_in_codes, waitlist
from bookings.core.services import book_seat, cancel_booking
from bookings.models import SeatBooking, WaitlistEntry
from tests.support.factories import CentreFactory, PodFactory

pytestmark = pytest.mark.django_db


def as_person(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def full_day(small_pod, people, tomorrow):
    return [
        book_seat(user=person, seat=seat, day=tomorrow)
        for person, seat in zip(people, small_pod.seats.order_by("position"), strict=False)
    ]


def test_a_person_joins_a_full_centre_s_line_takes_the_offer_and_nobody_else_can(
    full_day, daily_centre, people, tomorrow
):
    waiting = as_person(people[4])
    body = {"centre": daily_centre.slug, "day": tomorrow.isoformat()}
    joined = waiting.post(reverse("api-v1-waitlist"), body, content_type="application/json")
    assert joined.status_code == 201, joined.content
    again = waiting.post(reverse("api-v1-waitlist"), body, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_on_waitlist"
    entry_id = joined.json()["id"]
    listed = waiting.get(reverse("api-v1-waitlist")).json()["results"]
    assert [row["id"] for row in listed] == [entry_id]

    cancel_booking(booking=full_day[0], by=people[0])
    waitlist.serve_waitlist(centre_id=daily_centre.pk, day=tomorrow)
    accept = reverse("api-v1-waitlist-accept", kwargs={"entry_id": entry_id})
    assert as_person(people[5]).post(accept).status_code == 404  # not theirs
    taken = waiting.post(accept)
    assert taken.status_code == 201, taken.content
    assert SeatBooking.objects.get(pk=taken.json()["id"]).user == people[4]


def test_a_centre_with_a_free_seat_has_no_line_and_leaving_is_for_the_person_only(
    full_day, daily_centre, small_pod, people, tomorrow
):
    roomy = CentreFactory(name="Roomy", open_weekdays=127)
    PodFactory(centre=roomy, capacity=4)
    free = as_person(people[6]).post(
        reverse("api-v1-waitlist"),
        {"centre": roomy.slug, "day": tomorrow.isoformat()},
        content_type="application/json",
    )
    assert free.status_code == 409
    assert free.json()["code"] == "centre_not_full"
    entry = waitlist.join_waitlist(user=people[4], centre=daily_centre, day=tomorrow)
    place = reverse("api-v1-waitlist-place", kwargs={"entry_id": entry.pk})
    assert as_person(people[5]).delete(place).status_code == 404
    left = as_person(people[4]).delete(place)
    assert left.status_code == 200
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.WITHDRAWN


@pytest.fixture
def open_now():
    return CentreFactory(
        name="Always",
        open_weekdays=127,
        opens_at=datetime.min.time(),
        closes_at=datetime.max.time().replace(microsecond=0),
    )


def test_check_in_by_the_entrance_code_of_now_and_a_pause_after_five_wrong(
    open_now, professional, clock
):
    seat = PodFactory(centre=open_now, capacity=4).seats.first()
    booking = book_seat(user=professional, seat=seat, day=timezone.localdate())
    client = as_person(professional)
    path = reverse("api-v1-check-in", kwargs={"slug": open_now.slug})
    now = check_in_codes.typed_code(open_now, check_in_codes.step_at())
    wrong = "000000" if now != "000000" else "111111"

    refused = client.post(path, {"code": wrong}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "wrong_check_in_code"
    assert client.post(path, {"code": "12ab"}, content_type="application/json").status_code == 400
    done = client.post(path, {"code": now}, content_type="application/json")
    assert done.status_code == 200, done.content
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CHECKED_IN

    for _ in range(5):
        client.post(path, {"code": wrong}, content_type="application/json")
    paused = client.post(path, {"code": now}, content_type="application/json")
    assert paused.status_code == 429
    assert paused.json()["code"] == "too_many_wrong_codes"
