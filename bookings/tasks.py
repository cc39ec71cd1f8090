"""Celery tasks: thin interfaces that take ids and call a service (STYLE.md).

Every task is idempotent and the database says what is due, so a task that runs twice
(acks_late redelivery) changes nothing the second time, and one that is lost is redone by
the next periodic sweep (DESIGN.md rule 8).
"""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from bookings.core.hooks import rollup_requested_hooks, seat_freed_hooks

logger = logging.getLogger(__name__)


def enqueue(task, **kwargs) -> bool:
    """Publish `task`; a broker that is down is logged, never raised.

    Called on commit from web requests: the booking has happened and must not turn into
    an error page because Redis is away. The periodic sweeps pick the work up later.
    """
    try:
        task.apply_async(kwargs=kwargs)
    except Exception:
        logger.exception("Could not enqueue %s(%s); the next sweep will do it", task.name, kwargs)
        return False
    return True


@shared_task(name="bookings.send_due_reminders")
def send_due_reminders() -> int:
    from bookings.operations import reminders

    return reminders.send_due()


@shared_task(name="bookings.serve_waitlist")
def serve_waitlist_task(*, centre_id: int, day: str) -> int:
    from bookings.core import waitlist

    return waitlist.serve_waitlist(centre_id=centre_id, day=date.fromisoformat(day))


def on_seat_freed(centre_id: int, day: date) -> None:
    """The waitlist's seat_freed hook (bookings/core/hooks.py): runs on commit, hands the serving
    to a worker."""
    enqueue(serve_waitlist_task, centre_id=centre_id, day=day.isoformat())


if on_seat_freed not in seat_freed_hooks:
    seat_freed_hooks.append(on_seat_freed)


@shared_task(name="bookings.sweep_waitlists")
def sweep_waitlists() -> int:
    from bookings.core import waitlist

    waitlist.expire_past_entries(today=timezone.localdate())
    return waitlist.serve_all()


@shared_task(name="bookings.release_no_shows")
def release_no_shows() -> int:
    from bookings.core import noshows as noshow

    return noshow.release_no_shows()


@shared_task(name="bookings.apply_retention")
def apply_retention() -> dict:
    from bookings.privacy import retention

    return retention.apply_retention()


@shared_task(name="bookings.rollup_occupancy")
def rollup_occupancy(*, first: str | None = None, last: str | None = None) -> int:
    """Nightly: yesterday. With dates (ISO), that range."""
    from bookings.operations import occupancy

    yesterday = timezone.localdate() - timedelta(days=1)
    first_day = date.fromisoformat(first) if first else yesterday
    last_day = date.fromisoformat(last) if last else first_day
    return occupancy.rollup(first=first_day, last=last_day)


def on_rollup_requested(first: date, last: date) -> None:
    """The occupancy report's "compute the figures" hook: runs on commit, queues the rollup."""
    enqueue(rollup_occupancy, first=first.isoformat(), last=last.isoformat())


if on_rollup_requested not in rollup_requested_hooks:
    rollup_requested_hooks.append(on_rollup_requested)


@shared_task(name="bookings.rollup_turned_away")
def rollup_turned_away(*, first: str | None = None, last: str | None = None) -> int:
    """Nightly: the days wanted that people were turned away for since yesterday began, the
    searches counted since, and the old records deleted (bookings.operations.demand.nightly).
    With dates (ISO), that range of people turned away alone."""
    from bookings.operations import demand

    if first is None:
        return demand.nightly()
    first_day = date.fromisoformat(first)
    return demand.rollup(first=first_day, last=date.fromisoformat(last) if last else first_day)


@shared_task(name="bookings.repair_availability_counts")
def repair_availability_counts(*, days_back: int = 1, days_ahead: int = 366) -> int:
    """Nightly: the booked-seat counts against the bookings, from yesterday to a year
    ahead; every count that drifted is set right and logged as a warning."""
    from bookings.operations import counts

    today = timezone.localdate()
    repaired = counts.repair_counts(
        first=today - timedelta(days=days_back), last=today + timedelta(days=days_ahead)
    )
    return len(repaired)


@shared_task(name="bookings.maintain_partitions")
def maintain_partitions() -> dict[str, int]:
    """Nightly: the bookings tables' months ahead made, old ones detached (PostgreSQL)."""
    from bookings.operations import partitions

    done = partitions.maintain(today=timezone.localdate())
    return {
        "created": len(done.created),
        "detached": len(done.detached),
        "indexes": len(done.indexes),
        "in_default": sum(done.in_default.values()),
    }
