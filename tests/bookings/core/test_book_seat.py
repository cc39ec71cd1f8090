"""book_seat, book_any_seat, cancel_booking and check_in: each rule, and nothing half-done."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from bookings.core.errors import (
    AlreadyBookedThatDay,
    BookingNotActive,
    CancellationTooLate,
    CentreClosedThatDay,
    CentreNotOpen,
    CheckInNotOpen,
    NoBookingHereToday,
    NoFreeSeat,
    NotYourBooking,
    OutsideBookingWindow,
    SeatNotBookable,
    SeatTaken,
)
from bookings.core.services import (
    book_any_seat,
    book_seat,
    cancel_booking,
    check_in,
    check_in_at_centre,
)
from bookings.models import SeatBooking
from centres.models import Centre, CentreClosure
from tests.support.factories import PodFactory
from wnh import weekdays


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_it_books_a_free_seat(professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    assert booking.status == SeatBooking.Status.BOOKED
    assert booking.booked_by == professional
    assert booking.company is None


def test_it_rejects_a_taken_seat(professional, other_professional, seat, next_open_day):
    book_seat(user=professional, seat=seat, day=next_open_day)

    with pytest.raises(SeatTaken):
        book_seat(user=other_professional, seat=seat, day=next_open_day)
    assert SeatBooking.objects.count() == 1


def test_a_cancelled_booking_frees_the_seat(professional, other_professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    cancel_booking(booking=booking, by=professional)

    again = book_seat(user=other_professional, seat=seat, day=next_open_day)

    assert again.user == other_professional


def test_a_person_cannot_hold_two_seats_on_one_day(professional, pod, next_open_day):
    first, second = pod.seats.all()[:2]
    book_seat(user=professional, seat=first, day=next_open_day)

    with pytest.raises(AlreadyBookedThatDay):
        book_seat(user=professional, seat=second, day=next_open_day)
    assert SeatBooking.objects.count() == 1


def test_it_rejects_a_day_in_the_past(professional, seat, today):
    with pytest.raises(OutsideBookingWindow):
        book_seat(user=professional, seat=seat, day=today - timedelta(days=1))
    assert not SeatBooking.objects.exists()


def test_it_rejects_a_day_beyond_the_horizon(professional, seat, today):
    centre = seat.pod.centre
    centre.open_weekdays = weekdays.ALL_DAYS
    centre.save()
    last = today + timedelta(days=centre.booking_horizon_days)

    book_seat(user=professional, seat=seat, day=last)
    with pytest.raises(OutsideBookingWindow):
        book_seat(user=professional, seat=seat, day=last + timedelta(days=1))


def test_it_rejects_a_weekday_the_centre_is_shut(professional, seat, today):
    centre = seat.pod.centre
    centre.open_weekdays = weekdays.MONDAY_TO_FRIDAY
    centre.save()
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)

    with pytest.raises(CentreClosedThatDay):
        book_seat(user=professional, seat=seat, day=sunday)


def test_it_rejects_a_closure_day(professional, seat, next_open_day):
    CentreClosure.objects.create(centre=seat.pod.centre, day=next_open_day, reason="Onam")

    with pytest.raises(CentreClosedThatDay):
        book_seat(user=professional, seat=seat, day=next_open_day)


@pytest.mark.parametrize(
    "status", [Centre.Status.PLANNED, Centre.Status.UNDER_CONSTRUCTION, Centre.Status.CLOSED]
)
def test_it_rejects_a_centre_that_is_not_open(professional, seat, next_open_day, status):
    Centre.objects.filter(pk=seat.pod.centre_id).update(status=status)

    with pytest.raises(CentreNotOpen):
        book_seat(user=professional, seat=seat, day=next_open_day)


def test_it_rejects_an_inactive_seat_or_pod(professional, pod, next_open_day):
    seat = pod.seats.first()
    seat.is_active = False
    seat.save()
    with pytest.raises(SeatNotBookable):
        book_seat(user=professional, seat=seat, day=next_open_day)

    other = PodFactory(centre=pod.centre, is_active=False).seats.first()
    with pytest.raises(SeatNotBookable):
        book_seat(user=professional, seat=other, day=next_open_day)


def test_any_seat_takes_the_first_free_one(professional, other_professional, pod, next_open_day):
    first = book_any_seat(user=professional, centre=pod.centre, day=next_open_day)
    second = book_any_seat(user=other_professional, centre=pod.centre, day=next_open_day)

    assert first.seat.position == 1
    assert second.seat.position == 2


def test_any_seat_in_a_full_centre_says_so(pod, next_open_day):
    from tests.support.factories import UserFactory

    for _ in range(pod.capacity):
        book_any_seat(user=UserFactory(), centre=pod.centre, day=next_open_day)

    with pytest.raises(NoFreeSeat):
        book_any_seat(user=UserFactory(), centre=pod.centre, day=next_open_day)
    assert SeatBooking.objects.count() == pod.capacity


def test_only_the_person_can_cancel_their_booking(
    professional, other_professional, seat, next_open_day
):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    with pytest.raises(NotYourBooking):
        cancel_booking(booking=booking, by=other_professional)
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.BOOKED


def test_cancelling_after_the_cutoff_is_refused(professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    centre = seat.pod.centre  # opens 08:00, cutoff 2 hours before

    with pytest.raises(CancellationTooLate):
        cancel_booking(booking=booking, by=professional, now=at(next_open_day, 6, 1))
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.BOOKED

    cancel_booking(booking=booking, by=professional, now=at(next_open_day, 5, 59))
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CANCELLED
    assert centre.cancellation_cutoff_hours == 2


def test_staff_may_cancel_after_the_cutoff(professional, staff_user, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    cancel_booking(booking=booking, by=staff_user, now=at(next_open_day, 9), enforce_cutoff=False)
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CANCELLED


def test_check_in_before_opening_says_when_it_opens(professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    with pytest.raises(CheckInNotOpen) as early:
        check_in(booking=booking, now=at(next_open_day, 7, 30))
    assert early.value.message == "Check-in opens at 8 a.m. today, when the centre opens."
    with pytest.raises(CheckInNotOpen) as late:
        check_in(booking=booking, now=at(next_open_day, 20, 0))
    assert late.value.message == "Check-in closed at 8 p.m. today, when the centre closed."
    with pytest.raises(CheckInNotOpen) as eve:
        check_in(booking=booking, now=at(next_open_day - timedelta(days=1), 9))
    assert "on the day of the booking" in eve.value.message


def test_a_cancelled_booking_cannot_be_cancelled_again(professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    cancel_booking(booking=booking, by=professional)

    with pytest.raises(BookingNotActive):
        cancel_booking(booking=booking, by=professional)


def test_check_in_works_on_the_day_only(professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    with pytest.raises(CheckInNotOpen):
        check_in(booking=booking, now=at(next_open_day - timedelta(days=1), 9))
    checked_in = check_in(booking=booking, now=at(next_open_day, 9))

    assert checked_in.status == SeatBooking.Status.CHECKED_IN
    assert check_in(booking=booking, now=at(next_open_day, 9, 5)).checked_in_at == at(
        next_open_day, 9
    )


def test_check_in_at_the_centre_needs_a_booking_there_today(professional, seat, next_open_day):
    with pytest.raises(NoBookingHereToday):
        check_in_at_centre(user=professional, centre=seat.pod.centre, now=at(next_open_day, 9))

    book_seat(user=professional, seat=seat, day=next_open_day)
    booking = check_in_at_centre(
        user=professional, centre=seat.pod.centre, now=at(next_open_day, 9)
    )
    assert booking.status == SeatBooking.Status.CHECKED_IN


def test_the_database_refuses_a_second_active_booking_for_a_seat(
    professional, other_professional, seat, next_open_day
):
    """The constraint, not the service, is the last word (DESIGN.md rule 2)."""
    from django.db import IntegrityError, transaction

    SeatBooking.objects.create(user=professional, seat=seat, day=next_open_day)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatBooking.objects.create(user=other_professional, seat=seat, day=next_open_day)
    SeatBooking.objects.create(
        user=other_professional,
        seat=seat,
        day=next_open_day,
        status=SeatBooking.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )


def test_any_seat_costs_the_same_queries_in_a_small_or_a_large_centre(db, next_open_day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.support.factories import CentreFactory, UserFactory

    def queries_to_book_in_a_centre_of(pods: int) -> int:
        centre = CentreFactory()
        for _ in range(pods):
            PodFactory(centre=centre, capacity=12)
        with CaptureQueriesContext(connection) as queries:
            book_any_seat(user=UserFactory(), centre=centre, day=next_open_day)
        return len(queries)

    assert queries_to_book_in_a_centre_of(2) == queries_to_book_in_a_centre_of(20)


def test_check_in_waits_for_the_centre_to_open(professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)  # opens 08:00

    with pytest.raises(CheckInNotOpen):
        check_in(booking=booking, now=at(next_open_day, 7, 59))
    assert check_in(booking=booking, now=at(next_open_day, 8)).status == "checked_in"
