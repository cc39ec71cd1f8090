"""Who is told when a seat frees, or when staff ask for occupancy figures: registries the
rules call and bookings/tasks.py joins.

Every path that frees a seat (a cancellation, a no-show release, pod days given up, a member
removed) calls `announce_seat_freed`; the hooks run on commit with (centre id, day), so the
waitlist can be served. `bookings/tasks.py` registers the waitlist's hook when the app is
ready; the periodic sweep covers a hook whose message was lost. The registry sits below
services, no-shows and the waitlist, so none of them imports another to reach it.
"""

from collections.abc import Callable
from datetime import date

from django.db import transaction

seat_freed_hooks: list[Callable[[int, date], None]] = []


def announce_seat_freed(*, centre_id: int, day: date) -> None:
    for hook in seat_freed_hooks:
        transaction.on_commit(lambda hook=hook: hook(centre_id, day))


# Called with (first, last) when staff ask for occupancy figures of a range: tasks.py hands
# the rollup to a worker.
rollup_requested_hooks: list[Callable[[date, date], None]] = []


def announce_rollup_requested(*, first: date, last: date) -> None:
    for hook in rollup_requested_hooks:
        transaction.on_commit(lambda hook=hook: hook(first, last))
