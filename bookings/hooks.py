"""Who is told when a seat frees: a registry the booking paths call and the waitlist joins.

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
