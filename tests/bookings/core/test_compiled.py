"""Statements compiled once (bookings.core.compiled): the same rows as the queryset they come
from, for every person, day and centre, and a refusal for one whose text depends on a value."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bookings.core import booking_statements, services
from bookings.core.compiled import Compiled, NotCompilable
from bookings.core.locks import lock_pod
from bookings.models import PodReservation, ReservedPodDay
from centres.models import Pod
from tests.support.factories import PodFactory, UserFactory


def test_the_pods_of_any_seat_are_those_the_queryset_finds_for_each_person_and_day(
    centre, professional, company_member, company, next_open_day
):
    open_pod, reserved_pod, full_pod = (PodFactory(centre=centre, capacity=4) for _ in range(3))
    reservation = PodReservation.objects.create(
        company=company, pod=reserved_pod, first_day=next_open_day, last_day=next_open_day
    )
    ReservedPodDay.objects.create(
        pod=reserved_pod, day=next_open_day, reservation=reservation, company=company
    )
    for seat in full_pod.seats.all():
        services.book_seat(user=UserFactory(), seat=seat, day=next_open_day)
    for user in (professional, company_member):
        for day in (next_open_day, next_open_day + timedelta(days=1)):
            expected = list(booking_statements.pods_to_try(day=day, user=user, centre_id=centre.pk))
            rows = booking_statements.PODS_TO_TRY.rows(day=day, user=user, centre_id=centre.pk)
            assert [pk for (pk,) in rows] == expected
    member_sees = booking_statements.PODS_TO_TRY.rows(
        day=next_open_day, user=company_member, centre_id=centre.pk
    )
    assert member_sees[0] == (reserved_pod.pk,)  # their company's pod first
    outsider_sees = booking_statements.PODS_TO_TRY.rows(
        day=next_open_day, user=professional, centre_id=centre.pk
    )
    assert outsider_sees == [(open_pod.pk,)]
    assert booking_statements.POD_RESERVED.rows(pod_id=reserved_pod.pk, day=next_open_day)
    assert not booking_statements.POD_RESERVED.rows(pod_id=open_pod.pk, day=next_open_day)
    assert not booking_statements.POD_RESERVED.rows(
        pod_id=reserved_pod.pk, day=next_open_day + timedelta(days=1)
    )


def test_the_first_free_seat_is_the_queryset_s_as_a_seat(professional, pod, next_open_day):
    first = pod.seats.order_by("position")[0]
    services.book_seat(user=professional, seat=first, day=next_open_day)

    (seat,) = booking_statements.FIRST_FREE_SEAT.objects(day=next_open_day, pod_id=pod.pk)

    assert seat == booking_statements.free_seats_of_pod(day=next_open_day, pod_id=pod.pk).first()
    assert (seat.label, seat.position, seat.pod_id, seat.is_active) == (
        pod.seats.order_by("position")[1].label,
        2,
        pod.pk,
        True,
    )


@pytest.mark.postgres  # SQLite has no row locks: no FOR UPDATE to look at
@pytest.mark.django_db(transaction=True)
def test_the_pod_s_lock_locks_the_pod_row_alone(pod):
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        locked = lock_pod(pod.pk)
    assert (locked.pk, locked.code, locked.centre_id) == (pod.pk, pod.code, pod.centre_id)
    (statement,) = [q["sql"] for q in captured if "FOR UPDATE" in q["sql"]]
    assert "centres_centre" not in statement  # Pod's ordering would join, and lock, the centre


@pytest.mark.django_db(transaction=True)
def test_locking_a_pod_that_is_not_there_raises_as_get_did(db):
    with transaction.atomic(), pytest.raises(Pod.DoesNotExist):
        lock_pod(2_000_000_000)


def test_it_refuses_a_statement_whose_text_depends_on_a_value(db):
    ordered = Compiled(
        lambda *, pod_id: Pod.objects.filter(pk=pod_id).order_by(
            "code" if pod_id > -987_654_350 else "-code"
        ),
        pod_id=int,
    )
    with pytest.raises(NotCompilable):
        ordered.rows(pod_id=1)


def test_it_refuses_a_value_that_never_reaches_the_sql(db):
    unused = Compiled(lambda *, pod_id: Pod.objects.filter(capacity__gt=4), pod_id=int)
    with pytest.raises(NotCompilable):
        unused.rows(pod_id=1)
