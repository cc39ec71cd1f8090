"""Writes to centres, pods and seats. A pod's active seats are kept equal to its capacity."""

from django.db import transaction
from django.utils import timezone

from .errors import CapacityOutOfRange, ClosureOverBookings, PodStillInUse, SeatsStillBooked
from .models import POD_MAX_SEATS, POD_MIN_SEATS, Centre, CentreClosure, Pod, Seat


def seat_label(pod: Pod, position: int) -> str:
    return f"{pod.code}-{position:02d}"


@transaction.atomic
def create_pod(*, centre: Centre, code: str, capacity: int, is_active: bool = True) -> Pod:
    """Create a pod and its `capacity` seats."""
    _check_capacity(capacity)
    pod = Pod.objects.create(centre=centre, code=code, capacity=capacity, is_active=is_active)
    _sync_seats(pod)
    return pod


@transaction.atomic
def save_pod(*, pod: Pod) -> Pod:
    """Save an edited (or new) pod and bring its seats in step with its capacity.

    Lowering the capacity retires the highest-numbered seats; it is refused while any of
    them is booked for today or later, so nobody loses a seat they hold.
    """
    _check_capacity(pod.capacity)
    if pod.pk:
        Pod.objects.select_for_update().filter(pk=pod.pk).get()
    pod.save()
    _sync_seats(pod)
    return pod


def _check_capacity(capacity: int) -> None:
    if capacity is None or not POD_MIN_SEATS <= capacity <= POD_MAX_SEATS:
        raise CapacityOutOfRange()


def ensure_seats_may_retire(*, pod: Pod, capacity: int) -> None:
    """Refuse a capacity that would retire a seat someone holds for today or later."""
    from bookings.models import SeatBooking  # bookings depends on centres, not the reverse

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
    from bookings.models import ReservedPodDay, SeatBooking

    if not pod.pk:
        return
    today = timezone.localdate()
    if (
        SeatBooking.objects.filter(
            seat__pod=pod, day__gte=today, status__in=SeatBooking.ACTIVE
        ).exists()
        or ReservedPodDay.objects.filter(
            pod=pod, day__gte=today, cancelled_at__isnull=True
        ).exists()
    ):
        raise PodStillInUse()


def ensure_centre_may_close_on(*, centre: Centre, day) -> None:
    """A closure day must not strand people who booked it or a company's reserved pods."""
    from bookings.models import ReservedPodDay, SeatBooking

    if (
        SeatBooking.objects.filter(
            seat__pod__centre=centre, day=day, status__in=SeatBooking.ACTIVE
        ).exists()
        or ReservedPodDay.objects.filter(
            pod__centre=centre, day=day, cancelled_at__isnull=True
        ).exists()
    ):
        raise ClosureOverBookings()


@transaction.atomic
def add_closure(*, centre: Centre, day, reason: str = "") -> CentreClosure:
    # Bookings lock the pod, not the centre: lock the centre's pods so no booking for that
    # day lands between the check and the closure.
    list(Pod.objects.select_for_update().filter(centre=centre).values_list("pk", flat=True))
    ensure_centre_may_close_on(centre=centre, day=day)
    return CentreClosure.objects.create(centre=centre, day=day, reason=reason)


def _sync_seats(pod: Pod) -> None:
    if not pod.is_active:
        ensure_pod_may_close(pod=pod)
    ensure_seats_may_retire(pod=pod, capacity=pod.capacity)
    seats = {seat.position: seat for seat in pod.seats.all()}
    retiring = [
        seat.pk for position, seat in seats.items() if position > pod.capacity and seat.is_active
    ]
    Seat.objects.filter(pk__in=retiring).update(is_active=False)
    reviving = [
        seat.pk
        for position, seat in seats.items()
        if position <= pod.capacity and not seat.is_active
    ]
    Seat.objects.filter(pk__in=reviving).update(is_active=True)
    Seat.objects.bulk_create(
        Seat(pod=pod, position=position, label=seat_label(pod, position))
        for position in range(1, pod.capacity + 1)
        if position not in seats
    )
