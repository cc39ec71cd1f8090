"""The free-seat counts (PodDayCount, kept by triggers) against the bookings themselves.

After any mix of bookings, cancellations, no-show releases, pod reservations, admin-style
bulk updates and deletes, sequential or concurrent, the free seats people are shown equal a
count of the bookings; and the nightly check finds and repairs a count that drifted.
"""

import logging
import random
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from bookings.core import noshows as noshow
from bookings.core import pods as availability
from bookings.core import pods as core_pods
from bookings.core import reservations, services
from bookings.models import PodDayCount, PodReservation, SeatBooking
from bookings.operations import counts
from bookings.tasks import repair_availability_counts
from centres.models import Pod
from tests.conftest import race
from tests.support.clock import KOLKATA
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    UserFactory,
)
from wnh import weekdays
from wnh.errors import DomainError


def live_free_seats(centre, day, user) -> int:
    """Free seats counted from the rows, the way the seat map counts them."""
    return core_pods.free_seats(centre=centre, day=day, user=user).count()


def assert_counts_match(centres, days, people) -> None:
    assert counts.drifted_counts(first=min(days), last=max(days)) == []
    for day in days:
        for person in people:
            shown = availability.free_seats_by_centre(
                centre_ids=[c.pk for c in centres], day=day, user=person
            )
            assert shown == {c.pk: live_free_seats(c, day, person) for c in centres}


def open_days(start, count):
    days, day = [], start
    while len(days) < count:
        if weekdays.includes(weekdays.MONDAY_TO_SATURDAY, day):
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.mark.django_db
def test_the_counts_equal_the_bookings_after_a_random_mix_of_every_change(clock, today):
    # A morning before the check-in deadline, so today's bookings can become no-shows.
    while not weekdays.includes(weekdays.MONDAY_TO_SATURDAY, today):
        today += timedelta(days=1)
    clock.move_to(datetime.combine(today, time(8, 0), tzinfo=KOLKATA), tick=False)
    rng = random.Random(2026)
    centres = [CentreFactory() for _ in range(2)]
    pods = [PodFactory(centre=c, capacity=cap) for c in centres for cap in (4, 6)]
    company = CompanyFactory()
    admin = MembershipFactory(company=company, role="admin").user
    members = [MembershipFactory(company=company).user for _ in range(3)]
    outsiders = [UserFactory() for _ in range(12)]
    people = members + outsiders
    staff = UserFactory(is_staff=True, is_superuser=True)
    days = [today, *open_days(today + timedelta(days=1), 3)]

    done = Counter()
    for _ in range(300):
        action = rng.choice(
            ["any"] * 4 + ["seat"] * 4 + ["cancel", "reserve", "unreserve", "bulk", "delete"]
        )
        person, day = rng.choice(people), rng.choice(days)
        try:
            if action == "any":
                services.book_any_seat(user=person, centre=rng.choice(centres), day=day)
            elif action == "seat":
                seat = rng.choice(rng.choice(pods).seats.all())
                services.book_seat(user=person, seat=seat, day=day)
            elif action == "cancel" and (active := _an_active_booking(rng)):
                services.cancel_booking(booking=active, by=staff, enforce_cutoff=False)
            elif action == "reserve" and day > today:
                reservation = reservations.request_pod_reservation(
                    company=company,
                    pod=rng.choice(pods),
                    first_day=day,
                    last_day=day,
                    weekday_mask=weekdays.ALL_DAYS,
                    requested_by=admin,
                )
                reservations.confirm_pod_reservation(reservation=reservation, decided_by=staff)
            elif action == "unreserve":
                confirmed = PodReservation.objects.filter(status="confirmed").order_by("?")
                if reservation := confirmed.first():
                    reservations.cancel_pod_reservation(reservation=reservation, by=staff)
            elif action == "bulk" and (active := _an_active_booking(rng)):
                # The admin's "cancel selected" and other queryset updates skip the services.
                SeatBooking.objects.filter(pk=active.pk).update(
                    status=SeatBooking.Status.CANCELLED, cancelled_at=timezone.now()
                )
            elif action == "delete" and (active := _an_active_booking(rng)):
                SeatBooking.objects.filter(pk=active.pk).delete()
        except DomainError:
            continue  # refused: full, already booked, reserved, held by outsiders...
        done[action] += 1
    # Every kind of change happened, many times.
    assert min(done.values()) >= 3, done
    assert len(done) == 7, done
    assert SeatBooking.objects.filter(status__in=SeatBooking.ACTIVE).count() > 20
    assert_counts_match(centres, days, [outsiders[0], members[0]])

    clock.move_to(datetime.combine(today, time(12, 0), tzinfo=KOLKATA), tick=False)
    assert noshow.release_no_shows() > 0
    # A booking moved to another seat and day by an admin edit counts where it went.
    moved = SeatBooking.objects.filter(status="booked", day=days[1]).first()
    SeatBooking.objects.filter(user=moved.user, day=days[-1]).delete()
    seat = core_pods.free_seats(centre=centres[1], day=days[-1]).first()
    SeatBooking.objects.filter(pk=moved.pk).update(seat=seat, day=days[-1])
    assert_counts_match(centres, days, [outsiders[0], members[0]])


def _an_active_booking(rng):
    active = list(SeatBooking.objects.filter(status__in=SeatBooking.ACTIVE).order_by("pk"))
    return rng.choice(active) if active else None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_counts_equal_the_bookings_after_concurrent_bookings_and_cancellations(
    next_open_day,
):
    centre = CentreFactory()
    for capacity in (4, 8, 12):  # 24 seats: room for every booker, whoever cancels first
        PodFactory(centre=centre, capacity=capacity)
    people = [UserFactory() for _ in range(24)]
    staff = UserFactory(is_staff=True, is_superuser=True)
    # Half the people already hold a seat; in the race they cancel it while the others book.
    for person in people[:12]:
        services.book_any_seat(user=person, centre=centre, day=next_open_day)

    def attempt(i):
        if i < 12:
            booking = SeatBooking.objects.get(user=people[i], day=next_open_day)
            return services.cancel_booking(booking=booking, by=staff, enforce_cutoff=False)
        return services.book_any_seat(user=people[i], centre=centre, day=next_open_day)

    results = race(24, attempt)

    assert results.count_of(SeatBooking) == 24
    active = SeatBooking.objects.filter(day=next_open_day, status__in=SeatBooking.ACTIVE)
    assert active.count() == 12
    assert availability.free_seats_by_centre(
        centre_ids=[centre.pk], day=next_open_day, user=None
    ) == {centre.pk: 24 - 12}
    assert counts.drifted_counts(first=next_open_day, last=next_open_day) == []


@pytest.mark.django_db
def test_the_nightly_check_repairs_a_count_that_drifted_and_says_so(
    next_open_day, caplog, professional
):
    centre = CentreFactory()
    pod = PodFactory(centre=centre, capacity=6)
    services.book_any_seat(user=professional, centre=centre, day=next_open_day)
    services.book_any_seat(user=UserFactory(), centre=centre, day=next_open_day)
    # Broken by hand (a restore, a trigger dropped by mistake): says 5 booked, not 2.
    PodDayCount.objects.filter(pod=pod, day=next_open_day).update(booked=5)
    # And a pod-day whose row went missing altogether.
    other = PodFactory(centre=centre, capacity=4)
    services.book_seat(user=UserFactory(), seat=other.seats.first(), day=next_open_day)
    PodDayCount.objects.filter(pod=other).delete()
    assert availability.free_seats_by_centre(
        centre_ids=[centre.pk], day=next_open_day, user=None
    ) == {centre.pk: 1 + 4}

    drift = counts.drifted_counts(first=next_open_day, last=next_open_day)
    assert {(d.pod_id, d.counted, d.booked) for d in drift} == {(pod.pk, 5, 2), (other.pk, 0, 1)}
    with caplog.at_level(logging.WARNING, logger="bookings.core.pods"):
        assert repair_availability_counts() == 2
    assert f"pod {pod.pk} on {next_open_day} counted 5, booked 2" in caplog.text

    assert counts.drifted_counts(first=next_open_day, last=next_open_day) == []
    assert availability.free_seats_by_centre(
        centre_ids=[centre.pk], day=next_open_day, user=None
    ) == {centre.pk: 4 + 3}
    assert repair_availability_counts() == 0  # nothing left to repair


@pytest.mark.django_db
def test_a_pod_with_its_seats_retired_or_closed_shows_no_free_seats(next_open_day):
    centre = CentreFactory()
    open_pod = PodFactory(centre=centre, capacity=4)
    closed = PodFactory(centre=centre, capacity=8)
    Pod.objects.filter(pk=closed.pk).update(is_active=False)
    assert availability.free_seats_by_centre(
        centre_ids=[centre.pk], day=next_open_day, user=None
    ) == {centre.pk: open_pod.capacity}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deleting_the_counts_before_the_bookings_leaves_no_count_behind(next_open_day):
    """A test database's flush deletes the tables in an order that changes with each run's hash
    seed; the counts before the bookings once left a count of -1 pointing at a deleted pod, and
    the flush failed on its foreign key (on SQLite, whose flush is a DELETE per table)."""
    from django.core.management.color import no_style
    from django.db import connection

    pod = PodFactory(capacity=4)
    services.book_any_seat(user=UserFactory(), centre=pod.centre, day=next_open_day)
    assert PodDayCount.objects.get(pod=pod, day=next_open_day).booked == 1

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    counts_first = sorted(tables, key=lambda table: table != PodDayCount._meta.db_table)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), counts_first))
    assert not PodDayCount.objects.exists()
    assert not Pod.objects.exists()
