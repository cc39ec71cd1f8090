"""Writes to centres, pods and seats. A pod's active seats are kept equal to its capacity.

Changes that must first ask whether someone holds a seat, a pod or a day (saving an edited
pod, adding a closure day) are bookings/core/closures.py's.
"""

from django.db import transaction

from .errors import CapacityOutOfRange
from .models import POD_MAX_SEATS, POD_MIN_SEATS, Centre, Pod, Seat


def seat_label(pod: Pod, position: int) -> str:
    return f"{pod.code}-{position:02d}"


@transaction.atomic
def create_pod(*, centre: Centre, code: str, capacity: int, is_active: bool = True) -> Pod:
    """Create a pod and its `capacity` seats."""
    check_capacity(capacity)
    pod = Pod.objects.create(centre=centre, code=code, capacity=capacity, is_active=is_active)
    sync_seats(pod)
    return pod


def check_capacity(capacity: int) -> None:
    if capacity is None or not POD_MIN_SEATS <= capacity <= POD_MAX_SEATS:
        raise CapacityOutOfRange()


def sync_seats(pod: Pod) -> None:
    """Bring a saved pod's seats in step with its capacity: retire the highest-numbered
    ones, revive or make the missing ones. It checks no bookings: bookings.core.closures.save_pod
    does, before it calls this."""
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
