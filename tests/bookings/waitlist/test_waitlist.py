from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from bookings.core import waitlist
from bookings.core.errors import AlreadyOnWaitlist, CentreNotFull, NoFreeSeat, OfferNotOpen
from bookings.core.services import book_seat, cancel_booking
from bookings.models import SeatBooking, WaitlistEntry
from tests.conftest import race
from tests.support.factories import UserFactory
from tests.support.personas import at


@pytest.fixture
def full_day(small_pod, people, tomorrow):
    """Every seat of the one-pod centre booked tomorrow by people[0..3]."""
    return [
        book_seat(user=person, seat=seat, day=tomorrow)
        for person, seat in zip(people, small_pod.seats.order_by("position"), strict=False)
    ]


@pytest.fixture
def line(full_day, daily_centre, people, tomorrow):
    """people[4], then people[5], waiting for a seat."""
    return [
        waitlist.join_waitlist(user=people[4], centre=daily_centre, day=tomorrow),
        waitlist.join_waitlist(user=people[5], centre=daily_centre, day=tomorrow),
    ]


def test_a_person_can_join_the_line_of_a_full_centre(line, people):
    assert [entry.user for entry in line] == people[4:6]
    assert all(entry.status == WaitlistEntry.Status.WAITING for entry in line)


def test_nobody_waits_while_a_seat_is_free(small_pod, daily_centre, people, tomorrow):
    book_seat(user=people[0], seat=small_pod.seats.get(position=1), day=tomorrow)

    with pytest.raises(CentreNotFull):
        waitlist.join_waitlist(user=people[4], centre=daily_centre, day=tomorrow)


def test_a_person_is_in_one_line_once(line, daily_centre, people, tomorrow):
    with pytest.raises(AlreadyOnWaitlist):
        waitlist.join_waitlist(user=people[4], centre=daily_centre, day=tomorrow)


def test_a_cancellation_offers_the_seat_to_the_first_in_line(
    line, full_day, people, tasks_inline, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=full_day[2], by=people[2])

    first, second = (WaitlistEntry.objects.get(pk=entry.pk) for entry in line)
    assert first.status == WaitlistEntry.Status.OFFERED
    assert first.offered_seat == full_day[2].seat
    assert second.status == WaitlistEntry.Status.WAITING
    [email] = mail.outbox
    assert email.to == [people[4].email]
    assert reverse("waitlist:offer", kwargs={"entry_id": first.pk}) in email.body
    assert [name for name, _ in tasks_inline] == ["bookings.serve_waitlist"]


def test_serving_the_line_twice_makes_one_offer(line, full_day, people, tomorrow, today):
    cancel_booking(booking=full_day[0], by=people[0])
    centre_id = full_day[0].seat.pod.centre_id

    assert waitlist.serve_waitlist(centre_id=centre_id, day=tomorrow) == 1
    assert waitlist.serve_waitlist(centre_id=centre_id, day=tomorrow) == 0
    assert len(mail.outbox) == 1


def test_accepting_the_offer_books_the_seat(line, full_day, people, tomorrow):
    cancel_booking(booking=full_day[1], by=people[1])
    waitlist.serve_all()

    booking = waitlist.accept_offer(entry=line[0], user=people[4])

    assert (booking.user, booking.seat, booking.day) == (people[4], full_day[1].seat, tomorrow)
    assert WaitlistEntry.objects.get(pk=line[0].pk).status == WaitlistEntry.Status.ACCEPTED


def test_only_the_person_offered_can_accept(line, full_day, people):
    cancel_booking(booking=full_day[1], by=people[1])
    waitlist.serve_all()

    with pytest.raises(OfferNotOpen):
        waitlist.accept_offer(entry=line[0], user=people[5])


def test_an_offer_not_taken_in_time_passes_to_the_next_person(
    line, full_day, people, today, settings
):
    settings.WNH_WAITLIST_OFFER_MINUTES = 30
    cancel_booking(booking=full_day[3], by=people[3], now=at(today, 9))
    waitlist.serve_all(now=at(today, 9))

    later = at(today, 9, 31)
    assert waitlist.serve_all(now=later) == 1

    first, second = (WaitlistEntry.objects.get(pk=entry.pk) for entry in line)
    assert first.status == WaitlistEntry.Status.EXPIRED
    assert second.status == WaitlistEntry.Status.OFFERED
    assert second.offered_seat == full_day[3].seat
    with pytest.raises(OfferNotOpen):
        waitlist.accept_offer(entry=first, user=people[4], now=later)


def test_a_seat_taken_meanwhile_sends_the_person_back_to_the_line(line, full_day, people, tomorrow):
    cancel_booking(booking=full_day[0], by=people[0])
    waitlist.serve_all()
    # Someone books the offered seat directly (the offer does not lock it out of the map).
    book_seat(user=people[6], seat=full_day[0].seat, day=tomorrow)

    with pytest.raises(NoFreeSeat):
        waitlist.accept_offer(entry=line[0], user=people[4])

    entry = WaitlistEntry.objects.get(pk=line[0].pk)
    assert entry.status == WaitlistEntry.Status.WAITING
    assert entry.created_at == line[0].created_at  # keeps its place


def test_leaving_with_an_offer_passes_it_on(
    line, full_day, people, tasks_inline, django_capture_on_commit_callbacks
):
    cancel_booking(booking=full_day[0], by=people[0])
    waitlist.serve_all()

    with django_capture_on_commit_callbacks(execute=True):
        waitlist.leave_waitlist(entry=line[0], user=people[4])

    assert WaitlistEntry.objects.get(pk=line[1].pk).status == WaitlistEntry.Status.OFFERED


def test_lines_for_past_days_are_closed(line, tomorrow):
    assert waitlist.expire_past_entries(today=tomorrow + timedelta(days=1)) == 2


def test_the_join_page_puts_the_person_in_line(client, full_day, daily_centre, people, tomorrow):
    client.force_login(people[6])
    url = reverse("waitlist:join", kwargs={"slug": daily_centre.slug, "day": tomorrow.isoformat()})

    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    assert WaitlistEntry.objects.filter(user=people[6], day=tomorrow).exists()
    assert daily_centre.name in client.get(reverse("waitlist:mine")).content.decode()


def test_the_join_page_says_why_not(client, small_pod, daily_centre, people, tomorrow):
    client.force_login(people[6])
    url = reverse("waitlist:join", kwargs={"slug": daily_centre.slug, "day": tomorrow.isoformat()})

    response = client.post(url)

    assert response.status_code == 409
    assert "free seats" in response.content.decode()


def test_the_offer_link_books_on_post_only(client, line, full_day, people):
    cancel_booking(booking=full_day[2], by=people[2])
    waitlist.serve_all()
    client.force_login(people[4])
    url = reverse("waitlist:offer", kwargs={"entry_id": line[0].pk})

    assert "Book this seat" in client.get(url).content.decode()
    assert not SeatBooking.objects.filter(user=people[4]).exists()
    assert client.post(url).status_code == 302
    assert SeatBooking.objects.filter(user=people[4], status="booked").count() == 1


def test_nobody_else_sees_an_offer(client, line, full_day, people):
    cancel_booking(booking=full_day[2], by=people[2])
    waitlist.serve_all()
    client.force_login(people[5])

    url = reverse("waitlist:offer", kwargs={"entry_id": line[0].pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_taking_offers_for_one_seat_at_once_one_gets_it(small_pod, people, tomorrow):
    seats = list(small_pod.seats.order_by("position"))
    for person, seat in zip(people[:3], seats[:3], strict=False):
        book_seat(user=person, seat=seat, day=tomorrow)
    centre = small_pod.centre
    # Both hold an offer for the last seat: say the first offer ran out while its email
    # sat unread, the seat was offered on, and both clicked at the same moment.
    entries = [
        WaitlistEntry.objects.create(
            user=person,
            centre=centre,
            day=tomorrow,
            status=WaitlistEntry.Status.OFFERED,
            offered_seat=seats[3],
            offered_at=at(tomorrow, 0) - timedelta(days=2),
            offer_expires_at=at(tomorrow, 23),
        )
        for person in (people[4], UserFactory(email="late@example.com"))
    ]

    results = race(2, lambda i: waitlist.accept_offer(entry=entries[i], user=entries[i].user))

    assert results.count_of(SeatBooking) == 1
    assert results.count_of(NoFreeSeat) == 1
    assert SeatBooking.objects.filter(seat=seats[3], day=tomorrow, status="booked").count() == 1
    statuses = sorted(WaitlistEntry.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "waiting"]


def test_a_message_about_a_centre_that_is_gone_does_nothing(db, tomorrow):
    assert waitlist.serve_waitlist(centre_id=987654, day=tomorrow) == 0
