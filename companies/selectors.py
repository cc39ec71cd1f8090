"""Reads that carry the rule "you see only your own company".

Every portal lookup of a company goes through `membership_for`: a company the person is
not a member of is a 404, so ids and slugs cannot be probed; a plain member asking for an
admin page of their own company gets a 403.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from bookings.models import ReservedPodDay, SeatBooking
from centres.models import Pod, Seat

from .models import Company, Membership


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("company").order_by("company__name")


def membership_for(*, user: User, slug: str, admin: bool = False) -> Membership:
    """The person's membership of the company `slug`: 404 when they have none (whether or
    not the company exists), 403 when `admin` is asked for and they are a plain member."""
    membership = memberships_of(user).filter(company__slug=slug).first()
    if membership is None:
        raise Http404("No such company.")
    if admin and membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Only the company's admins can do that.")
    return membership


# -- a company's pods, day by day ----------------------------------------------------------


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
