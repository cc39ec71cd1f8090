"""Reads of a company's pods: each reserved pod-day with its seats booked and no-shows, and
who sits where over a week. A fixed number of queries, whatever the range or the team."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from bookings.models import ReservedPodDay, SeatBooking
from centres.models import Pod, Seat
from companies.models import Company


@dataclass
class PodDayUse:
    pod_day: ReservedPodDay
    booked: int
    no_shows: int

    @property
    def capacity(self) -> int:
        return self.pod_day.pod.capacity


def pod_day_use(*, company: Company, first_day: date, last_day: date) -> list[PodDayUse]:
    """Each of the company's reserved pod-days in the range with seats booked (booked or
    checked in) and no-shows: two queries, whatever the range."""
    pod_days = list(
        ReservedPodDay.objects.filter(
            company=company, day__range=(first_day, last_day), cancelled_at__isnull=True
        )
        .select_related("pod__centre")
        .order_by("day", "pod__centre__name", "pod__code")
    )
    counts = (
        SeatBooking.objects.filter(
            seat__pod__in={pd.pod_id for pd in pod_days},
            day__range=(first_day, last_day),
        )
        .values("seat__pod_id", "day")
        .annotate(
            booked=Count("pk", filter=Q(status__in=SeatBooking.ACTIVE)),
            no_shows=Count("pk", filter=Q(status=SeatBooking.Status.NO_SHOW)),
        )
        .order_by()
    )
    by_pod_day = {(row["seat__pod_id"], row["day"]): row for row in counts}
    empty = {"booked": 0, "no_shows": 0}
    return [
        PodDayUse(
            pod_day=pd,
            booked=by_pod_day.get((pd.pod_id, pd.day), empty)["booked"],
            no_shows=by_pod_day.get((pd.pod_id, pd.day), empty)["no_shows"],
        )
        for pd in pod_days
    ]


@dataclass
class TeamPod:
    pod: Pod
    reserved: set[date]
    # rows: one per seat, each a list of (day, cell) where cell is a SeatBooking, "free"
    # (reserved, nobody booked) or None (not reserved that day)
    rows: list[tuple[Seat, list[tuple[date, object]]]]


def team_week(*, company: Company, week_start: date) -> tuple[list[date], list[TeamPod]]:
    """Who sits where in the company's reserved pods over the week from `week_start`, and
    which seats are empty. Three queries, whatever the team or the pods."""
    days = [week_start + timedelta(days=n) for n in range(7)]
    reserved: dict[int, set[date]] = defaultdict(set)
    pods: dict[int, Pod] = {}
    for pod_day in ReservedPodDay.objects.filter(
        company=company, day__range=(days[0], days[-1]), cancelled_at__isnull=True
    ).select_related("pod__centre"):
        reserved[pod_day.pod_id].add(pod_day.day)
        pods[pod_day.pod_id] = pod_day.pod
    seats = Seat.objects.filter(pod__in=pods, is_active=True).order_by("pod_id", "position")
    bookings = {
        (b.seat_id, b.day): b
        for b in SeatBooking.objects.filter(
            seat__pod__in=pods,
            day__range=(days[0], days[-1]),
            status__in=(*SeatBooking.ACTIVE, SeatBooking.Status.NO_SHOW),
        ).select_related("user")
    }
    rows: dict[int, list] = defaultdict(list)
    for seat in seats:
        cells = []
        for day in days:
            if day not in reserved[seat.pod_id]:
                cells.append((day, None))
            else:
                cells.append((day, bookings.get((seat.pk, day), "free")))
        rows[seat.pod_id].append((seat, cells))
    ordered = sorted(pods.values(), key=lambda p: (p.centre.name, p.code))
    return days, [TeamPod(pod=p, reserved=reserved[p.pk], rows=rows[p.pk]) for p in ordered]
