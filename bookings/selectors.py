"""Reads of bookings: centres near me with their free seats, a centre's seat map for a day,
a person's own bookings, and a company's pod-days and team week.

Each read is a fixed number of queries, however many pods, seats or bookings there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from centres.models import Centre, CentreClosure, Pod, Seat
from centres.selectors import NearbyCentre, bounding_box, distance_km, nearest_first
from companies.models import Company, Membership
from wnh import weekdays

from .models import ReservedPodDay, SeatBooking

FREE, TAKEN, YOURS, RESERVED = "free", "taken", "yours", "reserved"


def free_seat_count(*, day: date, user: User | None) -> Subquery:
    """A subquery counting the free seats of the outer centre on `day` for `user`.

    Free: an active seat in an active pod, with no active booking that day, in a pod that is
    not reserved that day for a company the person is not a member of.
    """
    booked = SeatBooking.objects.filter(seat=OuterRef("pk"), day=day, status__in=SeatBooking.ACTIVE)
    reserved = ReservedPodDay.objects.filter(pod=OuterRef("pod"), day=day, cancelled_at=None)
    if user is not None and user.is_authenticated:
        reserved = reserved.exclude(company__memberships__user=user)
    seats = (
        Seat.objects.filter(pod__centre=OuterRef("pk"), is_active=True, pod__is_active=True)
        .exclude(Exists(booked))
        .exclude(Exists(reserved))
        .order_by()
        .values("pod__centre")
        .annotate(free=Count("pk"))
        .values("free")
    )
    return Coalesce(Subquery(seats, output_field=IntegerField()), Value(0))


def open_centres_near(
    *,
    day: date,
    today: date,
    user: User | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_km: float | None = None,
    limit: int = 50,
) -> list[NearbyCentre]:
    """Open centres, nearest first, each with its free seats on `day` (one query).

    The number of queries never grows with the number of centres: free seats are counted by
    one correlated subquery per row in the same SELECT, and distances are computed in Python
    over the rows already fetched (a bounding box in SQL keeps that set small for a radius).
    """
    centres = Centre.objects.filter(status=Centre.Status.OPEN).annotate(
        free_seats=free_seat_count(day=day, user=user),
        closed_that_day=Exists(CentreClosure.objects.filter(centre=OuterRef("pk"), day=day)),
    )
    has_home = latitude is not None and longitude is not None
    if has_home and radius_km:
        centres = centres.filter(bounding_box(latitude, longitude, radius_km))
    rows = []
    for centre in centres:
        distance = (
            distance_km(latitude, longitude, float(centre.latitude), float(centre.longitude))
            if has_home
            else None
        )
        if radius_km and distance is not None and distance > radius_km:
            continue
        bookable = (
            not centre.closed_that_day
            and weekdays.includes(centre.open_weekdays, day)
            and (day - today).days <= centre.booking_horizon_days
            and day >= today
        )
        rows.append(NearbyCentre(centre, distance, centre.free_seats if bookable else 0, bookable))
    return nearest_first(rows)[:limit]


@dataclass
class SeatOnMap:
    seat: Seat
    state: str  # free, taken, yours or reserved

    @property
    def bookable(self) -> bool:
        return self.state == FREE


@dataclass
class PodOnMap:
    pod: Pod
    seats: list[SeatOnMap]
    # The company is named only to its own members; everyone else sees "reserved".
    reserved_for: Company | None = None
    members_only: bool = False  # reserved for a company the person belongs to
    reserved: bool = False  # reserved for a company, whether or not the person is in it

    @property
    def free_count(self) -> int:
        return sum(seat.bookable for seat in self.seats)


@dataclass
class SeatMap:
    centre: Centre
    day: date
    pods: list[PodOnMap] = field(default_factory=list)
    your_booking: SeatBooking | None = None  # the person's booking that day, anywhere

    @property
    def free_count(self) -> int:
        return sum(pod.free_count for pod in self.pods)

    @property
    def is_full(self) -> bool:
        return self.free_count == 0


def seat_map(*, centre: Centre, day: date, user: User | None) -> SeatMap:
    """Every active pod and seat of `centre` with its state on `day` for `user` (5 queries)."""
    active_seats = Seat.objects.filter(is_active=True).order_by("position")
    pods = list(
        Pod.objects.filter(centre=centre, is_active=True)
        .order_by("code")
        .prefetch_related(Prefetch("seats", queryset=active_seats))
    )
    holders = dict(
        SeatBooking.objects.filter(
            seat__pod__centre=centre, day=day, status__in=SeatBooking.ACTIVE
        ).values_list("seat_id", "user_id")
    )
    reserved = {
        pod_day.pod_id: pod_day.company
        for pod_day in ReservedPodDay.objects.filter(
            pod__centre=centre, day=day, cancelled_at=None
        ).select_related("company")
    }
    signed_in = user is not None and user.is_authenticated
    my_companies = (
        set(Membership.objects.filter(user=user).values_list("company_id", flat=True))
        if signed_in and reserved
        else set()
    )
    your_booking = (
        SeatBooking.objects.filter(user=user, day=day, status__in=SeatBooking.ACTIVE)
        .select_related("seat__pod__centre")
        .first()
        if signed_in
        else None
    )
    result = SeatMap(centre=centre, day=day, your_booking=your_booking)
    for pod in pods:
        company = reserved.get(pod.pk)
        members_only = company is not None and company.pk in my_companies
        seats = []
        for seat in pod.seats.all():
            holder = holders.get(seat.pk)
            if holder is not None:
                state = YOURS if signed_in and holder == user.pk else TAKEN
            elif company is not None and not members_only:
                state = RESERVED
            else:
                state = FREE
            seats.append(SeatOnMap(seat, state))
        result.pods.append(
            PodOnMap(
                pod,
                seats,
                reserved_for=company if members_only else None,
                members_only=members_only,
                reserved=company is not None,
            )
        )
    return result


def bookable_days(*, centre: Centre, now: datetime | None = None) -> list[date]:
    """The days in the centre's booking window on which it is open (one query); today only
    until the centre closes, as booking itself rules."""
    local = timezone.localtime(now)
    today = local.date()
    last = today + timedelta(days=centre.booking_horizon_days)
    closed = set(centre.closures.filter(day__range=(today, last)).values_list("day", flat=True))
    days = []
    day = today if local.time() < centre.closes_at else today + timedelta(days=1)
    while day <= last:
        if weekdays.includes(centre.open_weekdays, day) and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


def bookings_of(user: User) -> QuerySet[SeatBooking]:
    return SeatBooking.objects.filter(user=user).select_related("seat__pod__centre", "company")


def upcoming_bookings(*, user: User, today: date) -> QuerySet[SeatBooking]:
    return (
        bookings_of(user)
        .filter(day__gte=today, status__in=SeatBooking.ACTIVE)
        .order_by("day", "created_at")
    )


def past_bookings(*, user: User, today: date) -> QuerySet[SeatBooking]:
    """Earlier days, and cancelled bookings of any day, newest first."""
    return (
        bookings_of(user)
        .exclude(day__gte=today, status__in=SeatBooking.ACTIVE)
        .order_by("-day", "-created_at")
    )


def calendar_bookings(*, user: User, today: date) -> QuerySet[SeatBooking]:
    """What the personal feed carries: the last 60 days and everything ahead."""
    return bookings_of(user).filter(day__gte=today - timedelta(days=60)).order_by("day")


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
