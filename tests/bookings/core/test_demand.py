"""People turned away are recorded once, without personal data, through every path that
refuses: a booking on the page and in the API, the waitlist, "centres near me"."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.core import waitlist
from bookings.core.errors import NoFreeSeat, SeatTaken
from bookings.core.services import book_any_seat, book_seat
from bookings.models import TurnedAway
from centres.models import Locality
from tests.support.factories import CentreFactory, PodFactory, SeatBookingFactory
from tests.support.personas import reserve

Kind = TurnedAway.Kind


@pytest.fixture
def full_centre(small_pod, people, tomorrow):
    """The one-pod centre, every seat booked tomorrow by people[0..3]."""
    for person, seat in zip(people, small_pod.seats.order_by("position"), strict=False):
        SeatBookingFactory(user=person, seat=seat, day=tomorrow)
    return small_pod.centre


def recorded():
    return list(TurnedAway.objects.values_list("kind", "centre_id", "day"))


@pytest.mark.django_db(transaction=True)
def test_a_refusal_is_recorded_although_its_transaction_rolled_back(full_centre, people, tomorrow):
    with pytest.raises(NoFreeSeat):
        book_any_seat(user=people[4], centre=full_centre, day=tomorrow)

    record = TurnedAway.objects.get()
    assert (record.kind, record.centre_id, record.day) == (
        Kind.NO_FREE_SEAT,
        full_centre.pk,
        tomorrow,
    )
    assert (record.district, record.local_body, record.pin_code) == (
        full_centre.district,
        full_centre.local_body,
        full_centre.pin_code,
    )
    assert record.hour.minute == record.hour.second == 0  # kept to the hour, no more


def test_the_same_person_turned_away_again_counts_once(full_centre, people, tomorrow):
    for _ in range(3):
        with pytest.raises(NoFreeSeat):
            book_any_seat(user=people[4], centre=full_centre, day=tomorrow)
    with pytest.raises(NoFreeSeat):
        book_any_seat(user=people[5], centre=full_centre, day=tomorrow)

    assert recorded() == [(Kind.NO_FREE_SEAT, full_centre.pk, tomorrow)] * 2


def test_a_taken_seat_is_not_going_without_while_others_are_free(small_pod, people, tomorrow):
    seat = small_pod.seats.get(position=1)
    book_seat(user=people[0], seat=seat, day=tomorrow)

    with pytest.raises(SeatTaken):
        book_seat(user=people[1], seat=seat, day=tomorrow)

    assert recorded() == []


def test_the_last_seat_taken_is_going_without(full_centre, small_pod, people, tomorrow):
    with pytest.raises(SeatTaken):
        book_seat(user=people[4], seat=small_pod.seats.get(position=1), day=tomorrow)

    assert recorded() == [(Kind.NO_FREE_SEAT, full_centre.pk, tomorrow)]


def test_free_seats_only_in_a_company_pod_count_as_pod_reserved(
    full_centre, company, company_admin, staff_user, people, tomorrow
):
    company_pod = PodFactory(centre=full_centre, code="B", capacity=4)
    reserve(
        company=company,
        admin=company_admin,
        pod=company_pod,
        first=tomorrow,
        last=tomorrow,
        staff=staff_user,
    )

    with pytest.raises(NoFreeSeat):
        book_any_seat(user=people[4], centre=full_centre, day=tomorrow)

    assert recorded() == [(Kind.POD_RESERVED, full_centre.pk, tomorrow)]


def test_the_page_records_a_refused_booking_once(client, full_centre, people, tomorrow):
    client.force_login(people[4])
    url = reverse("centres:book", kwargs={"slug": full_centre.slug})

    client.post(url, {"day": tomorrow.isoformat(), "seat": "any"})

    assert recorded() == [(Kind.NO_FREE_SEAT, full_centre.pk, tomorrow)]


def test_the_api_records_a_refusal_once_however_often_it_is_retried(
    client, full_centre, people, tomorrow, monkeypatch
):
    # Without the once-a-day rule, so only the Idempotency-Key keeps a retry from counting.
    monkeypatch.setattr("bookings.core.demand._first_time", lambda **kwargs: True)
    client.force_login(people[4])
    body = {"centre": full_centre.slug, "day": tomorrow.isoformat()}

    def post(key):
        return client.post(
            reverse("api-v1-bookings"),
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    answers = [post("attempt-1"), post("attempt-1")]
    assert [answer.status_code for answer in answers] == [409, 409]
    assert recorded() == [(Kind.NO_FREE_SEAT, full_centre.pk, tomorrow)]

    post("attempt-2")  # a new attempt is a new refusal
    assert len(recorded()) == 2


def test_a_refusal_that_cannot_be_recorded_is_still_a_refusal(
    full_centre, people, tomorrow, monkeypatch
):
    def broken(**kwargs):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr("bookings.core.demand.turned_away_at_centre", broken)

    with pytest.raises(NoFreeSeat):
        book_any_seat(user=people[4], centre=full_centre, day=tomorrow)


# -- the waitlist ------------------------------------------------------------------------


@pytest.fixture
def waiting(full_centre, people, tomorrow):
    return [
        waitlist.join_waitlist(user=person, centre=full_centre, day=tomorrow)
        for person in people[4:6]
    ]


def test_an_offer_not_taken_in_time_is_a_person_not_served(
    waiting, full_centre, people, tomorrow, clock, mailoutbox
):
    seat_booking = people[0].seat_bookings.get()
    seat_booking.delete()  # a seat frees
    waitlist.serve_waitlist(centre_id=full_centre.pk, day=tomorrow)
    offered = waiting[0].__class__.objects.get(pk=waiting[0].pk)
    later = offered.offer_expires_at + timedelta(minutes=1)

    waitlist.serve_waitlist(centre_id=full_centre.pk, day=tomorrow, now=later)
    waitlist.serve_waitlist(centre_id=full_centre.pk, day=tomorrow, now=later)

    assert recorded() == [(Kind.WAITLIST_NOT_SERVED, full_centre.pk, tomorrow)]


def test_people_still_waiting_when_the_day_passes_were_not_served(
    waiting, full_centre, people, tomorrow
):
    elsewhere = PodFactory(centre=CentreFactory(name="Elsewhere"), capacity=4)
    SeatBookingFactory(user=people[5], seat=elsewhere.seats.first(), day=tomorrow)

    waitlist.expire_past_entries(today=tomorrow + timedelta(days=1))
    waitlist.expire_past_entries(today=tomorrow + timedelta(days=1))

    # people[5] found a seat at another centre: only people[4] went without.
    assert recorded() == [(Kind.WAITLIST_NOT_SERVED, full_centre.pk, tomorrow)]


# -- centres near me ---------------------------------------------------------------------


def live_at(person, pin_code: str):
    home = Locality.objects.filter(pin_code=pin_code).first()
    person.home_pin_code, person.home_place = home.pin_code, home.name
    person.home_latitude, person.home_longitude = home.latitude, home.longitude
    person.save()
    return home


def test_a_home_with_no_centre_within_a_commute_is_recorded_once_by_its_area(
    client, professional, next_open_day
):
    CentreFactory(name="Far south", latitude=Decimal("8.50"), longitude=Decimal("76.95"))
    home = live_at(professional, "670141")  # Taliparamba, Kannur: 400 km north
    client.force_login(professional)

    for _ in range(2):
        client.get(reverse("centres:list"), {"day": next_open_day.isoformat()})
    client.get(reverse("api-v1-centres"), {"day": next_open_day.isoformat()})

    record = TurnedAway.objects.get()
    assert (record.kind, record.centre, record.day) == (Kind.NO_CENTRE_NEAR, None, next_open_day)
    assert (record.pin_code, record.district) == (home.pin_code, home.district)


def test_the_api_records_a_home_with_no_centre_near(client, professional, next_open_day):
    CentreFactory(name="Far south", latitude=Decimal("8.50"), longitude=Decimal("76.95"))
    live_at(professional, "670141")
    client.force_login(professional)

    client.get(reverse("api-v1-centres"), {"day": next_open_day.isoformat()})

    assert recorded() == [(Kind.NO_CENTRE_NEAR, None, next_open_day)]


def test_a_home_with_a_centre_near_or_a_search_from_elsewhere_records_nothing(
    client, professional, next_open_day
):
    CentreFactory(name="Kottarakkara")
    live_at(professional, "691506")
    client.force_login(professional)
    client.get(reverse("centres:list"), {"day": next_open_day.isoformat()})
    anonymous_far = {"latitude": 12.04, "longitude": 75.36, "day": next_open_day.isoformat()}
    client.logout()
    client.get(reverse("api-v1-centres"), anonymous_far)

    assert recorded() == []


def test_no_record_holds_a_person(full_centre, people, tomorrow):
    with pytest.raises(NoFreeSeat):
        book_any_seat(user=people[4], centre=full_centre, day=tomorrow)

    fields = {field.name for field in TurnedAway._meta.get_fields()}
    assert fields == {"id", "kind", "centre", "district", "local_body", "pin_code", "day", "hour"}
    assert timezone.now() - TurnedAway.objects.get().hour < timedelta(hours=1)


def test_a_refused_any_seat_asks_the_free_counts_once(full_centre, people, tomorrow):
    """The rush's hot spot is a full centre: "any seat" found no pod with a free seat, so
    recording the refusal does not count the free seats again."""
    with CaptureQueriesContext(connection) as queries, pytest.raises(NoFreeSeat):
        book_any_seat(user=people[4], centre=full_centre, day=tomorrow)

    counts = [q["sql"] for q in queries.captured_queries if "bookings_poddaycount" in q["sql"]]
    assert len(counts) == 1, counts
    assert recorded() == [(Kind.NO_FREE_SEAT, full_centre.pk, tomorrow)]
