"""A pod's active seats follow its capacity, 4 to 12, through the service."""

import pytest
from django.db import IntegrityError, transaction

from bookings.core.closures import save_pod
from bookings.core.services import book_seat
from centres.errors import CapacityOutOfRange, SeatsStillBooked
from centres.models import Pod
from centres.services import create_pod


def active_labels(pod):
    return list(pod.seats.filter(is_active=True).values_list("label", flat=True))


def test_a_new_pod_gets_one_seat_per_place(centre):
    pod = create_pod(centre=centre, code="A", capacity=6)

    assert active_labels(pod) == [f"A-{n:02d}" for n in range(1, 7)]


@pytest.mark.parametrize("capacity", [0, 3, 13, 40])
def test_a_pod_outside_4_to_12_seats_is_refused(centre, capacity):
    with pytest.raises(CapacityOutOfRange):
        create_pod(centre=centre, code="A", capacity=capacity)
    assert not Pod.objects.exists()


def test_the_database_refuses_a_pod_outside_4_to_12_seats(centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pod.objects.create(centre=centre, code="A", capacity=13)


def test_growing_a_pod_adds_seats_and_shrinking_retires_the_last(centre):
    pod = create_pod(centre=centre, code="A", capacity=6)

    pod.capacity = 8
    save_pod(pod=pod)
    assert len(active_labels(pod)) == 8

    pod.capacity = 4
    save_pod(pod=pod)
    assert active_labels(pod) == ["A-01", "A-02", "A-03", "A-04"]
    assert pod.seats.count() == 8  # retired seats keep their history

    pod.capacity = 5
    save_pod(pod=pod)
    assert active_labels(pod) == ["A-01", "A-02", "A-03", "A-04", "A-05"]
    assert pod.seats.count() == 8


def test_a_pod_cannot_shrink_away_a_booked_seat(centre, professional, next_open_day):
    pod = create_pod(centre=centre, code="A", capacity=6)
    book_seat(user=professional, seat=pod.seats.get(position=6), day=next_open_day)

    pod.capacity = 4
    with pytest.raises(SeatsStillBooked):
        save_pod(pod=pod)
    pod.refresh_from_db()
    assert pod.capacity == 6
    assert len(active_labels(pod)) == 6


def test_a_pod_in_use_cannot_be_closed(centre, professional, next_open_day):
    from centres.errors import PodStillInUse

    pod = create_pod(centre=centre, code="A", capacity=4)
    book_seat(user=professional, seat=pod.seats.first(), day=next_open_day)

    pod.is_active = False
    with pytest.raises(PodStillInUse):
        save_pod(pod=pod)
    pod.refresh_from_db()
    assert pod.is_active


def test_an_unused_pod_can_be_closed(centre):
    pod = create_pod(centre=centre, code="A", capacity=4)

    pod.is_active = False
    save_pod(pod=pod)

    pod.refresh_from_db()
    assert not pod.is_active


def test_a_closure_day_cannot_strand_bookings(centre, professional, next_open_day):
    from bookings.core.closures import add_closure
    from centres.errors import ClosureOverBookings
    from centres.models import CentreClosure

    pod = create_pod(centre=centre, code="A", capacity=4)
    book_seat(user=professional, seat=pod.seats.first(), day=next_open_day)

    with pytest.raises(ClosureOverBookings):
        add_closure(centre=centre, day=next_open_day, reason="Onam")
    assert not CentreClosure.objects.exists()

    from datetime import timedelta

    add_closure(centre=centre, day=next_open_day + timedelta(days=1), reason="Onam")
    assert CentreClosure.objects.count() == 1


def test_the_admin_forms_say_why_a_pod_or_a_day_cannot_close(centre, professional, next_open_day):
    from bookings.admin.centres import CentreClosureForm, PodForm
    from centres.models import CentreClosure

    pod = create_pod(centre=centre, code="A", capacity=4)
    book_seat(user=professional, seat=pod.seats.first(), day=next_open_day)

    pod_form = PodForm(instance=pod, data={"code": "A", "capacity": 4})  # unticked: inactive
    closure_form = CentreClosureForm(
        instance=CentreClosure(centre=centre), data={"day": next_open_day, "reason": "Onam"}
    )

    assert "bookings or company reservations ahead" in pod_form.errors["is_active"][0]
    assert "Cancel them first" in closure_form.errors["day"][0]
