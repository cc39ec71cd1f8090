from datetime import timedelta

import pytest

from bookings.core import noshows as noshow
from bookings.core import waitlist
from bookings.core.errors import NoShowLimitReached
from bookings.core.services import book_seat, check_in
from bookings.models import SeatBooking, WaitlistEntry
from tests.support.factories import SeatBookingFactory
from tests.support.personas import at


@pytest.fixture
def todays_bookings(small_pod, people, today):
    """people[0..3] hold every seat today; people[0] has checked in."""
    bookings = [
        SeatBookingFactory(user=person, seat=seat, day=today)
        for person, seat in zip(people, small_pod.seats.order_by("position"), strict=False)
    ]
    check_in(booking=bookings[0], now=at(today, 9))
    return bookings


def statuses(bookings):
    return [SeatBooking.objects.get(pk=b.pk).status for b in bookings]


def test_bookings_not_checked_in_by_the_deadline_become_no_shows(todays_bookings, today):
    released = noshow.release_no_shows(now=at(today, 11, 0))

    assert released == 3
    assert statuses(todays_bookings) == ["checked_in", "no_show", "no_show", "no_show"]
    assert SeatBooking.objects.get(pk=todays_bookings[1].pk).no_show_at == at(today, 11)


def test_nothing_is_released_before_the_deadline(todays_bookings, today):
    assert noshow.release_no_shows(now=at(today, 10, 59)) == 0
    assert statuses(todays_bookings) == ["checked_in", "booked", "booked", "booked"]


def test_a_seat_booked_after_the_deadline_is_not_a_no_show(small_pod, professional, today):
    booking = SeatBookingFactory(user=professional, seat=small_pod.seats.first(), day=today)
    SeatBooking.objects.filter(pk=booking.pk).update(created_at=at(today, 14, 0))

    assert noshow.release_no_shows(now=at(today, 14, 5)) == 0
    assert noshow.release_no_shows(now=at(today + timedelta(days=1), 11)) == 0
    assert statuses([booking]) == ["booked"]


def test_the_deadline_is_the_centres_own(todays_bookings, daily_centre, today):
    daily_centre.check_in_deadline = at(today, 12).time()
    daily_centre.save()

    assert noshow.release_no_shows(now=at(today, 11, 30)) == 0
    assert noshow.release_no_shows(now=at(today, 12, 0)) == 3


def test_releasing_twice_changes_nothing_the_second_time(todays_bookings, today):
    noshow.release_no_shows(now=at(today, 11))
    before = list(SeatBooking.objects.order_by("pk").values())

    assert noshow.release_no_shows(now=at(today, 11, 5)) == 0
    assert list(SeatBooking.objects.order_by("pk").values()) == before


def test_a_missed_sweep_is_caught_up_the_next_day(todays_bookings, today):
    assert noshow.release_no_shows(now=at(today + timedelta(days=1), 0, 5)) == 3


def test_release_frees_the_seats_for_the_waitlist(
    todays_bookings,
    daily_centre,
    people,
    today,
    tasks_inline,
    django_capture_on_commit_callbacks,
    clock,
):
    clock.move_to(at(today, 8))
    waiting = waitlist.join_waitlist(user=people[5], centre=daily_centre, day=today)

    # The sweep at the deadline; the waitlist task it enqueues runs then too, on the clock.
    clock.move_to(at(today, 11))
    with django_capture_on_commit_callbacks(execute=True):
        noshow.release_no_shows()

    waiting.refresh_from_db()
    assert waiting.status == WaitlistEntry.Status.OFFERED
    freed = {b.seat_id for b in todays_bookings[1:]}
    assert waiting.offered_seat_id in freed


def test_a_person_sees_their_recent_no_shows(small_pod, professional, other_professional, today):
    seat = small_pod.seats.get(position=1)
    for days_ago in (1, 5, 29, 30, 45):
        SeatBookingFactory(
            user=professional, seat=seat, day=today - timedelta(days=days_ago), status="no_show"
        )
    SeatBookingFactory(
        user=professional, seat=seat, day=today - timedelta(days=2), status="checked_in"
    )
    SeatBookingFactory(
        user=other_professional, seat=seat, day=today - timedelta(days=3), status="no_show"
    )

    assert noshow.recent_no_shows(user=professional) == 3  # within the last 30 days
    assert noshow.recent_no_shows(user=other_professional) == 1


@pytest.fixture
def three_no_shows(small_pod, professional, today):
    seat = small_pod.seats.get(position=4)
    for days_ago in (1, 2, 3):
        SeatBookingFactory(
            user=professional, seat=seat, day=today - timedelta(days=days_ago), status="no_show"
        )


def test_three_no_shows_limit_booking_ahead(three_no_shows, small_pod, professional, today):
    with pytest.raises(NoShowLimitReached) as refused:
        book_seat(
            user=professional, seat=small_pod.seats.get(position=1), day=today + timedelta(days=5)
        )

    assert "3" in str(refused.value.message)


def test_the_limited_may_still_book_for_tomorrow(three_no_shows, small_pod, professional, today):
    booking = book_seat(
        user=professional, seat=small_pod.seats.get(position=1), day=today + timedelta(days=1)
    )

    assert booking.status == "booked"


def test_two_no_shows_do_not_limit(small_pod, professional, today):
    seat = small_pod.seats.get(position=4)
    for days_ago in (1, 2):
        SeatBookingFactory(
            user=professional, seat=seat, day=today - timedelta(days=days_ago), status="no_show"
        )

    book_seat(
        user=professional, seat=small_pod.seats.get(position=1), day=today + timedelta(days=5)
    )


def test_the_rule_is_configurable(three_no_shows, small_pod, professional, today, settings):
    settings.WNH_NO_SHOW_LIMIT = 0  # off

    book_seat(
        user=professional, seat=small_pod.seats.get(position=1), day=today + timedelta(days=5)
    )


def test_staff_see_no_shows_in_the_admin(client, staff_user, three_no_shows, professional):
    from tests.support.second_factor import log_in_staff

    log_in_staff(client, staff_user)
    response = client.get("/admin/bookings/occupancydaily/no-shows/")

    assert response.status_code == 200
    page = response.content.decode()
    assert professional.email in page
    assert "(limited)" in page
