"""Free seats per centre and pod for a day, from the booked-seat counts (PodDayCount).

The counts are kept by triggers on the bookings table (migration 0003), so reading "how
many seats are free" costs a few index lookups per pod, however many bookings there are:
the same at 7 centres as at 1,250. What they say is exact at commit, but they only tell
people what is free: a booking is decided under the pod's lock by the unique constraints.

A free seat: an active seat of an active pod with no active booking that day, in a pod
that is not reserved that day for a company the person is not a member of. Active seats of
an active pod are as many as its capacity (centres.services keeps them in step), so a
pod's free seats are its capacity less its count.

`drifted_counts` and `repair_counts` compare the counts with the bookings; the periodic
task in tasks.py runs the repair over the booking window and logs every row it fixes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from accounts.models import User
from centres.models import Pod
from companies.models import Membership

from .models import PodDayCount, ReservedPodDay, SeatBooking

logger = logging.getLogger(__name__)


def _my_companies(user: User | None):
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user).values("company_id")


def open_pods(*, day: date, user: User | None):
    """Active pods whose seats `user` may book on `day`, each annotated with `free`."""
    reserved = ReservedPodDay.objects.filter(pod=OuterRef("pk"), day=day, cancelled_at=None)
    companies = _my_companies(user)
    if companies is not None:
        reserved = reserved.exclude(company_id__in=companies)
    booked = PodDayCount.objects.filter(pod=OuterRef("pk"), day=day).values("booked")
    return (
        Pod.objects.filter(is_active=True)
        .exclude(Exists(reserved))
        .annotate(
            free=Greatest(
                F("capacity") - Coalesce(Subquery(booked, output_field=IntegerField()), 0),
                Value(0),
            )
        )
    )


def free_seats_of_centre(*, day: date, user: User | None) -> Coalesce:
    """An annotation for centres: the outer centre's free seats on `day` for `user`."""
    pods = (
        open_pods(day=day, user=user)
        .filter(centre=OuterRef("pk"))
        .order_by()
        .values("centre")
        .annotate(total=Sum("free"))
        .values("total")
    )
    return Coalesce(Subquery(pods, output_field=IntegerField()), Value(0))


def free_seats_by_centre(
    *, centre_ids: Iterable[int], day: date, user: User | None
) -> dict[int, int]:
    """{centre id: free seats on `day` for `user`} for the centres given (one query)."""
    ids = list(centre_ids)
    if not ids:
        return {}
    rows = (
        open_pods(day=day, user=user)
        .filter(centre_id__in=ids)
        .order_by()
        .values("centre_id")
        .annotate(total=Sum("free"))
    )
    free = dict.fromkeys(ids, 0)
    free.update({row["centre_id"]: row["total"] or 0 for row in rows})
    return free


# -- the counts against the bookings ----------------------------------------------------


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
            Pod.objects.select_for_update().filter(pk=drift.pod_id).first()
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
            PodDayCount.objects.filter(pk=row.pk).update(booked=booked)
            repaired.append(Drift(drift.pod_id, drift.day, row.booked, booked))
    return repaired
