"""Closing a centre for a day, closing a pod, taking seats out of one: refused while people
or companies hold them for today or later.

The admin's centre and pod forms (bookings/admin/centres.py) call the checks to say so
before saving, and `save_pod` and `add_closure` check again under the pods' locks.
"""

from datetime import date

from django.utils import timezone

from bookings.core.locks import lock_pods_of
from bookings.models import ReservedPodDay, SeatBooking
from centres.errors import ClosureOverBookings, PodStillInUse, SeatsStillBooked
from centres.models import Centre, CentreClosure, Pod
from centres.services import check_capacity, sync_seats
from wnh.db import locking_transaction


def _held(*, bookings: dict, pod_days: dict) -> bool:
    """Whether an active seat booking or a live pod-day matches these filters."""
    return (
        SeatBooking.objects.filter(status__in=SeatBooking.ACTIVE, **bookings).exists()
        or ReservedPodDay.objects.filter(cancelled_at__isnull=True, **pod_days).exists()
    )


def ensure_seats_may_retire(*, pod: Pod, capacity: int) -> None:
    """Refuse a capacity that would retire a seat someone holds for today or later."""
    if not pod.pk:
        return
    if SeatBooking.objects.filter(
        seat__pod=pod,
        seat__position__gt=capacity,
        seat__is_active=True,
        day__gte=timezone.localdate(),
        status__in=SeatBooking.ACTIVE,
    ).exists():
        raise SeatsStillBooked()


def ensure_pod_may_close(*, pod: Pod) -> None:
    """Refuse to deactivate a pod that people or companies hold for today or later."""
    if not pod.pk:
        return
    today = timezone.localdate()
    if _held(
        bookings={"seat__pod": pod, "day__gte": today}, pod_days={"pod": pod, "day__gte": today}
    ):
        raise PodStillInUse()


def ensure_centre_may_close_on(*, centre: Centre, day: date) -> None:
    """A closure day must not strand people who booked it or a company's reserved pods; the
    refusal counts them, so the officer knows what to cancel."""
    bookings = SeatBooking.objects.filter(
        status__in=SeatBooking.ACTIVE, seat__pod__centre=centre, day=day
    ).count()
    pod_days = ReservedPodDay.objects.filter(
        cancelled_at__isnull=True, pod__centre=centre, day=day
    ).count()
    if bookings or pod_days:
        raise ClosureOverBookings(day=day, bookings=bookings, pod_days=pod_days)


@locking_transaction(durable=False)
def save_pod(*, pod: Pod) -> Pod:
    """Save an edited (or new) pod and bring its seats in step with its capacity.

    Lowering the capacity retires the highest-numbered seats; it is refused while any of
    them is booked for today or later, so nobody loses a seat they hold.
    """
    check_capacity(pod.capacity)
    if pod.pk:
        Pod.objects.select_for_update().filter(pk=pod.pk).get()
    pod.save()
    if not pod.is_active:
        ensure_pod_may_close(pod=pod)
    ensure_seats_may_retire(pod=pod, capacity=pod.capacity)
    sync_seats(pod)
    return pod


@locking_transaction(durable=False)
def add_closure(*, centre: Centre, day: date, reason: str = "") -> CentreClosure:
    # Bookings lock the pod, not the centre: lock the centre's pods so no booking for that
    # day lands between the check and the closure.
    lock_pods_of(centre)
    ensure_centre_may_close_on(centre=centre, day=day)
    return CentreClosure.objects.create(centre=centre, day=day, reason=reason)
