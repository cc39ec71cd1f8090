"""The statements of every booking, built from the rules of bookings.core.pods and compiled
once per process (bookings.core.compiled): "any seat"'s pods to try and first free seat, and
whether a pod is reserved that day. Used by bookings.core.services."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef

from accounts.models import User
from bookings.core.compiled import Compiled
from bookings.core.pods import open_pods, reserved_for_mine, reserved_for_others, seat_is_booked
from centres.models import Pod, Seat


def pods_to_try(*, day: date, user: User, centre_id: int):
    """The pods of "any seat", in the order they are tried (see book_first_free_seat)."""
    return (
        open_pods(day=day, user=user)
        .filter(centre=centre_id, free__gt=0)
        .annotate(mine=reserved_for_mine(pod=OuterRef("pk"), day=day, user=user))
        .order_by("-mine", "code")
        .values_list("pk", flat=True)
    )


def free_seats_of_pod(*, day: date, pod_id: int):
    """A pod's free seats in seat-map order: the first is the one "any seat" books."""
    return (
        Seat.objects.filter(pod_id=pod_id, is_active=True)
        .exclude(seat_is_booked(day))
        .order_by("position")
    )


# Whether the pod is reserved that day for anyone (for a company nobody is a member of):
# only then does a booking ask whose it is and lock the person's membership
# (company_of_pod_day). Unordered: Pod's ordering would join the centre.
POD_RESERVED = Compiled(
    lambda *, pod_id, day: (
        Pod.objects.filter(pk=pod_id)
        .filter(reserved_for_others(pod=OuterRef("pk"), day=day, user=None))
        .order_by()
        .values_list("pk")
    ),
    pod_id=int,
    day=date,
)
PODS_TO_TRY = Compiled(pods_to_try, day=date, user=User, centre_id=int)
FIRST_FREE_SEAT = Compiled(
    lambda *, day, pod_id: free_seats_of_pod(day=day, pod_id=pod_id)[:1], day=date, pod_id=int
)
