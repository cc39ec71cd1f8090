"""Races decided by the database: real concurrent transactions, each on its own connection."""

from datetime import timedelta

import pytest

from bookings.core.errors import (
    AlreadyBookedThatDay,
    PodAlreadyReserved,
    PodHeldByOutsiders,
    PodReserved,
    SeatTaken,
)
from bookings.core.reservations import confirm_pod_reservation
from bookings.core.services import book_any_seat, book_seat
from bookings.models import PodReservation, ReservedPodDay, SeatBooking
from tests.conftest import race
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    UserFactory,
)
from wnh import weekdays

# serialized_rollback: the rows migrations made (K-DISC group, localities, Site) come back
# after this module's flushes, for whatever runs next.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RACERS = 20


def test_it_lets_one_of_twenty_racers_have_the_seat(next_open_day):
    seat = PodFactory(centre=CentreFactory()).seats.first()
    people = [UserFactory() for _ in range(RACERS)]

    results = race(RACERS, lambda i: book_seat(user=people[i], seat=seat, day=next_open_day))

    assert results.count_of(SeatBooking) == 1
    assert results.count_of(SeatTaken) == RACERS - 1
    assert SeatBooking.objects.filter(seat=seat, day=next_open_day).count() == 1


def test_one_person_racing_for_twenty_seats_gets_one(next_open_day):
    centre = CentreFactory()
    seats = [seat for _ in range(2) for seat in PodFactory(centre=centre, capacity=10).seats.all()]
    person = UserFactory()

    results = race(RACERS, lambda i: book_seat(user=person, seat=seats[i], day=next_open_day))

    assert results.count_of(SeatBooking) == 1
    assert results.count_of(AlreadyBookedThatDay) == RACERS - 1
    assert SeatBooking.objects.filter(user=person, day=next_open_day).count() == 1


def test_twenty_people_asking_for_any_seat_in_a_pod_of_twelve_get_twelve_seats(next_open_day):
    centre = CentreFactory()
    PodFactory(centre=centre, capacity=12)
    people = [UserFactory() for _ in range(RACERS)]

    results = race(
        RACERS, lambda i: book_any_seat(user=people[i], centre=centre, day=next_open_day)
    )

    booked = [result for result in results if isinstance(result, SeatBooking)]
    assert len(booked) == 12
    assert len({booking.seat_id for booking in booked}) == 12
    assert all(not isinstance(result, SeatBooking) for result in results if result not in booked)


def requested(company, pod, first, last):
    admin = MembershipFactory(company=company, role="admin").user
    return PodReservation.objects.create(
        company=company,
        pod=pod,
        first_day=first,
        last_day=last,
        weekdays=weekdays.ALL_DAYS,
        requested_by=admin,
    )


def test_two_companies_confirmed_at_once_for_overlapping_days_one_wins(next_open_day):
    pod = PodFactory(centre=CentreFactory())
    staff = UserFactory(is_staff=True, is_superuser=True)
    reservations = [
        requested(CompanyFactory(name="Alpha"), pod, next_open_day, next_open_day + timedelta(9)),
        requested(
            CompanyFactory(name="Beta"),
            pod,
            next_open_day + timedelta(5),
            next_open_day + timedelta(14),
        ),
    ]
    # Ten racers: each reservation confirmed five times at once.
    results = race(
        10,
        lambda i: confirm_pod_reservation(reservation=reservations[i % 2], decided_by=staff),
    )

    winners = {result.pk for result in results if isinstance(result, PodReservation)}
    assert len(winners) == 1
    assert results.count_of(PodAlreadyReserved) >= 5  # every try of the loser, at least
    [winner] = winners
    loser = next(r for r in reservations if r.pk != winner)
    assert not ReservedPodDay.objects.filter(reservation=loser).exists()
    loser.refresh_from_db()
    assert loser.status == PodReservation.Status.REQUESTED


def race_a_booking_against_a_reservation(day):
    pod = PodFactory(centre=CentreFactory())
    staff = UserFactory(is_staff=True, is_superuser=True)
    reservation = requested(CompanyFactory(), pod, day, day)
    outsider = UserFactory()
    attempts = [
        lambda: book_seat(user=outsider, seat=pod.seats.first(), day=day),
        lambda: confirm_pod_reservation(reservation=reservation, decided_by=staff),
    ]
    return race(2, lambda i: attempts[i]())


def test_an_outsider_booking_and_a_reservation_racing_for_a_pod_cannot_both_win(next_open_day):
    """Rule 5 under a race: the pod's row lock orders them, so never both."""
    for _ in range(5):
        results = race_a_booking_against_a_reservation(next_open_day)

        booked = isinstance(results[0], SeatBooking)
        reserved = isinstance(results[1], PodReservation)
        assert booked != reserved, results
        assert booked or isinstance(results[0], PodReserved)
        assert reserved or isinstance(results[1], PodHeldByOutsiders)


def test_a_booking_that_waits_too_long_for_the_pod_is_told_to_try_again(next_open_day, settings):
    """A bounded lock wait: under a rush, "busy" beats a web worker stuck in a queue."""
    import threading

    from django.db import connection, transaction

    from centres.models import Pod
    from wnh.db import Busy

    settings.WNH_LOCK_TIMEOUT_MS = 200
    seat = PodFactory(centre=CentreFactory()).seats.first()
    holding, release = threading.Event(), threading.Event()

    def hold_the_pod():
        try:
            with transaction.atomic():
                Pod.objects.select_for_update().get(pk=seat.pod_id)
                holding.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_pod)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        with pytest.raises(Busy):
            book_seat(user=UserFactory(), seat=seat, day=next_open_day)
    finally:
        release.set()
        holder.join()
    assert not SeatBooking.objects.exists()


def race_a_booking_against_a_removal(day):
    from bookings.core.services import remove_member

    company = CompanyFactory()
    admin = MembershipFactory(company=company, role="admin").user
    member = MembershipFactory(company=company).user
    pod = PodFactory(centre=CentreFactory())
    confirm_pod_reservation(
        reservation=requested(company, pod, day, day),
        decided_by=UserFactory(is_staff=True, is_superuser=True),
    )
    attempts = [
        lambda: book_seat(user=member, seat=pod.seats.first(), day=day),
        lambda: remove_member(company=company, user=member, by=admin),
    ]
    return member, pod, race(2, lambda i: attempts[i]())


def test_a_member_removed_while_booking_keeps_no_seat_in_the_company_pod(next_open_day):
    """Either the booking lands first and the removal cancels it, or the removal lands first
    and the booking is refused: never a booking left behind in the pod."""
    for _ in range(8):
        member, pod, results = race_a_booking_against_a_removal(next_open_day)

        assert not isinstance(results[1], Exception), results
        assert not SeatBooking.objects.filter(
            user=member, seat__pod=pod, status__in=SeatBooking.ACTIVE
        ).exists(), results
