"""The booked-seat counts against the bookings: `drifted_counts` finds a count that differs
from its bookings, `repair_counts` sets it right. The periodic task
`bookings.repair_availability_counts` runs the repair over the booking window and logs every
row it fixes (the counts are kept by triggers, so drift means a bug or a hand edit).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, F

from bookings.core.locks import lock_pod
from bookings.models import PodDayCount, SeatBooking

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drift:
    pod_id: int
    day: date
    counted: int  # what PodDayCount says
    booked: int  # what the bookings say


def _live_counts(*, first: date, last: date, pod_ids: Iterable[int] | None = None) -> dict:
    bookings = SeatBooking.objects.filter(day__range=(first, last), status__in=SeatBooking.ACTIVE)
    if pod_ids is not None:
        bookings = bookings.filter(seat__pod_id__in=list(pod_ids))
    rows = bookings.order_by().values("seat__pod_id", "day").annotate(n=Count("pk"))
    return {(row["seat__pod_id"], row["day"]): row["n"] for row in rows}


def drifted_counts(*, first: date, last: date) -> list[Drift]:
    """Every pod-day in [first, last] whose count differs from its bookings (two queries)."""
    live = _live_counts(first=first, last=last)
    counted = {
        (row.pod_id, row.day): row.booked
        for row in PodDayCount.objects.filter(day__range=(first, last)).exclude(booked=0)
    }
    drift = []
    for key in set(live) | set(counted):
        if live.get(key, 0) != counted.get(key, 0):
            drift.append(Drift(key[0], key[1], counted.get(key, 0), live.get(key, 0)))
    return sorted(drift, key=lambda d: (d.day, d.pod_id))


def repair_counts(*, first: date, last: date) -> list[Drift]:
    """Set every drifted count of [first, last] to its bookings, and say which were wrong.

    Each row is recounted again under its pod's lock (every booking path holds it), so a
    booking made while the check runs is neither lost nor counted twice.
    """
    repaired = []
    for drift in drifted_counts(first=first, last=last):
        with transaction.atomic():
            lock_pod(drift.pod_id, bounded=False)
            booked = _live_counts(first=drift.day, last=drift.day, pod_ids=[drift.pod_id]).get(
                (drift.pod_id, drift.day), 0
            )
            row, _ = PodDayCount.objects.select_for_update().get_or_create(
                pod_id=drift.pod_id, day=drift.day
            )
            if row.booked == booked:
                continue  # a booking in flight, not drift: the count caught up
            logger.warning(
                "availability drift repaired: pod %s on %s counted %s, booked %s",
                drift.pod_id,
                drift.day,
                row.booked,
                booked,
            )
            PodDayCount.objects.filter(pk=row.pk).update(booked=booked, version=F("version") + 1)
            repaired.append(Drift(drift.pod_id, drift.day, row.booked, booked))
    return repaired
