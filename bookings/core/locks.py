"""The row locks the services take, and their order.

Lock order, everywhere: a pod reservation (or a waitlist line's centre), then its pod. A
seat booking locks only its pod. The pod's row lock is what makes rule 5 of DESIGN.md hold:
a seat booking and a pod reservation of the same pod check each other's rows under it, so an
outsider's booking and a company's reservation of one pod and day cannot both pass their
checks. The unique constraints decide every other race (seat taken, person already booked,
pod-day already reserved). Every wait is bounded, and a wait that runs out is "busy, try
again" (wnh.db.lock_waits_as_busy, the one place that says so).
"""

from bookings.core.compiled import Compiled
from bookings.models import PodReservation, SeatBooking
from centres.models import Centre, Pod
from wnh.db import lock_waits_as_busy

# Every booking takes it: compiled once (bookings.core.compiled). Unordered, as get() is:
# Pod's default ordering joins the centre, whose row FOR UPDATE would lock as well.
_POD_FOR_UPDATE = Compiled(
    lambda *, pod_id: Pod.objects.select_for_update().filter(pk=pod_id).order_by(), pod_id=int
)


def lock_pod(pod_id: int, *, bounded: bool = True) -> Pod:
    """The pod's row lock. `bounded=False` inside a locking_transaction, which has already
    bounded the wait."""
    with lock_waits_as_busy(bounded=bounded):
        pods = _POD_FOR_UPDATE.objects(pod_id=pod_id)
    if not pods:
        raise Pod.DoesNotExist(f"No pod {pod_id}.")
    return pods[0]


def lock_pods_of(centre: Centre) -> None:
    """Every pod of `centre`: bookings lock a pod, not the centre, so a change to the whole
    centre (a closure day) locks them all before it checks the bookings."""
    with lock_waits_as_busy(bounded=False):
        list(Pod.objects.select_for_update().filter(centre=centre).values_list("pk", flat=True))


def lock_centre(centre_id: int) -> Centre | None:
    """A centre's row: serving one centre's waitlist is one at a time, so two servers never
    offer one seat twice."""
    with lock_waits_as_busy():
        return Centre.objects.select_for_update().filter(pk=centre_id).first()


def locked_booking(pk: int) -> SeatBooking:
    return (
        SeatBooking.objects.select_for_update(of=("self",))
        .select_related("seat__pod__centre")
        .get(pk=pk)
    )


def locked_reservation(pk: int) -> PodReservation:
    return (
        PodReservation.objects.select_for_update(of=("self",))
        .select_related("company", "pod__centre")
        .get(pk=pk)
    )
