"""Reads that carry the booking rules: centres near me with their free seats, a centre's seat
map for a day, what a booking starts from, and a person's own bookings.

Each read is a fixed number of queries, however many pods, seats or bookings there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import User
from bookings.core import demand
from bookings.core.days import closure_exists, takes_bookings
from bookings.core.pods import companies_open_to, free_seats_of_centre
from bookings.models import ReservedPodDay, SeatBooking
from centres.models import Centre, Pod, Seat
from centres.selectors import COMMUTE_RADII_KM, PER_PAGE, NearbyCentre, bounding_box, distance_km
from companies.models import Company

FREE, TAKEN, YOURS, RESERVED = "free", "taken", "yours", "reserved"


@dataclass
class NearbyPage:
    """One page of "centres near me": nearest first, `has_more` when further ones exist."""

    rows: list[NearbyCentre]
    page: int
    has_more: bool
    # No open centre lies within this commute (km) of home, so the rows are further away.
    none_within_km: int | None = None


def _open_centres() -> QuerySet[Centre]:
    return Centre.objects.filter(status=Centre.Status.OPEN)


Place = tuple[int, str, float, float]  # a centre's id, name, latitude and longitude


def _places(centres: QuerySet[Centre]) -> list[Place]:
    """Just what sorting by distance needs: no model instances for the rows left out."""
    return [
        (pk, name, float(lat), float(lon))
        for pk, name, lat, lon in centres.values_list("pk", "name", "latitude", "longitude")
    ]


def _nearest(
    places: list[Place], latitude: float, longitude: float, radius_km: float | None
) -> list[tuple[float, Place]]:
    """(distance, place) nearest first, within `radius_km` when given."""
    measured = ((distance_km(latitude, longitude, p[2], p[3]), p) for p in places)
    return sorted(
        ((d, p) for d, p in measured if radius_km is None or d <= radius_km),
        key=lambda pair: (pair[0], pair[1][1], pair[1][0]),
    )


def open_centres_near(
    *,
    day: date,
    now: datetime | None = None,
    user: User | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_km: float | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> NearbyPage:
    """Open centres nearest first, a page at a time, each with its free seats on `day`.

    With a home: a radius searches only the centres inside its bounding box (latitude and
    longitude are indexed); without one, the first page is the centres within the longest
    commute (or, when none is that close, the nearest ones), and the next pages the rest,
    further away. Without a home: by name. Three queries on the first page, whatever the
    size of the network: the places near home, whether any lie further, and the page's
    centres with their free seats (from the counts the booking triggers keep). The search
    itself is counted in Redis, not the database (bookings.core.demand.searched).
    """
    # Every search is counted here, the page's and the API's alike (demand for planning).
    demand.searched(user=user, latitude=latitude, longitude=longitude, day=day, page=page)
    has_home = latitude is not None and longitude is not None
    start = (page - 1) * per_page
    none_within_km = None
    if not has_home:
        places = _places(_open_centres().order_by("name", "pk")[start : start + per_page + 1])
        pairs = [(None, place) for place in places]
        has_more = len(pairs) > per_page
        pairs = pairs[:per_page]
    else:
        within = radius_km or max(COMMUTE_RADII_KM)
        near = _nearest(
            _places(_open_centres().filter(bounding_box(latitude, longitude, within))),
            latitude,
            longitude,
            within,
        )
        if radius_km or (page == 1 and near):
            pairs = near[start : start + per_page]
            # One query more either way, so the page costs the same however many are near.
            beyond = not radius_km and _any_beyond(near)
            has_more = len(near) > start + per_page or beyond
        else:
            # Further than the longest commute: every open centre by distance, the near
            # ones first as on page 1. Only people who ask for more pay for this.
            demand.no_centre_near(
                user=user, latitude=latitude, longitude=longitude, day=day, page=page
            )
            everything = _nearest(_places(_open_centres()), latitude, longitude, None)
            first_page = min(len(near), per_page) or per_page
            start = 0 if page == 1 else first_page + (page - 2) * per_page
            count = first_page if page == 1 else per_page
            pairs = everything[start : start + count]
            has_more = len(everything) > start + count
            if page == 1 and not near and not radius_km:
                none_within_km = within
    centres = _open_centres().filter(pk__in=[place[0] for _, place in pairs])
    centres = centres.annotate(
        closed_that_day=closure_exists(centre=OuterRef("pk"), day=day),
        free_seats=free_seats_of_centre(day=day, user=user),
    )
    by_pk = {centre.pk: centre for centre in centres}
    rows = []
    for distance, place in pairs:
        centre = by_pk.get(place[0])
        if centre is None:
            continue  # closed between the two queries
        bookable = takes_bookings(centre, day, now=now, closed=centre.closed_that_day)
        rows.append(NearbyCentre(centre, distance, centre.free_seats if bookable else 0, bookable))
    return NearbyPage(
        rows=rows,
        page=page,
        has_more=has_more,
        none_within_km=none_within_km if rows else None,
    )


def _any_beyond(near: list) -> bool:
    return _open_centres().exclude(pk__in=[place[0] for _, place in near]).exists()


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
    """Every active pod and seat of `centre` with its state on `day` for `user`.

    Two queries whatever the centre or the bookings table holds: the seats with their pods,
    each with who holds it (one probe of the seat-day index) and the company its pod is
    reserved for that day; and the person's own booking that day, anywhere. A third asks
    which of those companies are the person's (bookings.core.pods.companies_open_to: their
    pods are open to them, every other reserved pod closed), only when a pod is reserved.
    """
    holder = SeatBooking.objects.filter(
        seat=OuterRef("pk"), day=day, status__in=SeatBooking.ACTIVE
    ).values("user_id")[:1]
    reserved_for = ReservedPodDay.objects.filter(
        pod=OuterRef("pod"), day=day, cancelled_at=None
    ).values("company_id")[:1]
    signed_in = user is not None and user.is_authenticated
    seats = list(
        Seat.objects.filter(pod__centre=centre, pod__is_active=True, is_active=True)
        .select_related("pod")
        .annotate(holder_id=Subquery(holder), reserved_for_id=Subquery(reserved_for))
        .order_by("pod__code", "pod_id", "position")
    )
    companies = companies_open_to(user, {seat.reserved_for_id for seat in seats})
    your_booking = (
        SeatBooking.objects.filter(user=user, day=day, status__in=SeatBooking.ACTIVE)
        .select_related("seat__pod__centre")
        .first()
        if signed_in
        else None
    )
    result = SeatMap(centre=centre, day=day, your_booking=your_booking)
    pods: dict[int, PodOnMap] = {}
    for seat in seats:
        pod = pods.get(seat.pod_id)
        if pod is None:
            mine = companies.get(seat.reserved_for_id)
            pod = pods[seat.pod_id] = PodOnMap(
                seat.pod,
                [],
                reserved_for=mine,
                members_only=mine is not None,
                reserved=seat.reserved_for_id is not None,
            )
            result.pods.append(pod)
        if seat.holder_id is not None:
            state = YOURS if signed_in and seat.holder_id == user.pk else TAKEN
        elif pod.reserved and not pod.members_only:
            state = RESERVED
        else:
            state = FREE
        pod.seats.append(SeatOnMap(seat, state))
    return result


@dataclass(frozen=True)
class MapVersion:
    """What a centre's seat map on a day was read at, and whether the person's map is their
    own: they hold a seat that day (anywhere: the map says where), or a company of theirs
    has a pod reserved there that day (its seats are open to them alone)."""

    day_version: int
    personal: bool


# The key of the cached page in one statement, written out: the same question asked through
# the ORM cost three times the statement's own time to compile, at every look at a map.
# The two rules it reads are the ones of SeatBooking.ACTIVE (holds a seat) and of
# bookings.core.pods.reserved_for_mine (a pod reserved for one's company);
# tests/bookings/centre_pages/test_page_cache.py checks it against them.
_MAP_VERSION = """
SELECT
    (SELECT coalesce(sum(d.version), 0) FROM bookings_poddaycount d
        JOIN centres_pod p ON p.id = d.pod_id
        WHERE p.centre_id = %(centre)s AND d.day = %(day)s),
    EXISTS (SELECT 1 FROM bookings_seatbooking b
        WHERE b.user_id = %(user)s AND b.day = %(day)s AND b.status IN %(active)s),
    EXISTS (SELECT 1 FROM bookings_reservedpodday r
        JOIN centres_pod p ON p.id = r.pod_id
        JOIN companies_membership m ON m.company_id = r.company_id
        WHERE p.centre_id = %(centre)s AND r.day = %(day)s AND r.cancelled_at IS NULL
            AND m.user_id = %(user)s)
"""


def map_version(*, centre: Centre, day: date, user: User | None) -> MapVersion:
    """The sum of the versions of `centre`'s pods on `day` (migration bookings 0009: every
    booking, cancellation, release and pod reservation raises one in its own transaction),
    and whether the person's map differs from everyone's. One query."""
    signed_in = user is not None and user.is_authenticated
    with connection.cursor() as cursor:
        cursor.execute(
            _MAP_VERSION,
            {
                "centre": centre.pk,
                "day": day,
                "user": user.pk if signed_in else None,
                "active": tuple(status.value for status in SeatBooking.ACTIVE),
            },
        )
        day_version, holds_seat, company_pod = cursor.fetchone()
    return MapVersion(day_version=int(day_version), personal=holds_seat or company_pod)


# -- what a booking starts from ------------------------------------------------------------


def centre_for_booking(*, slug: str, day: date) -> Centre | None:
    """The centre by its slug, knowing whether it is closed on `day` (one query)."""
    centre = (
        Centre.objects.annotate(closed_that_day=closure_exists(centre=OuterRef("pk"), day=day))
        .filter(slug=slug)
        .first()
    )
    if centre is not None:
        centre.closed_on = {day: centre.closed_that_day}
    return centre


def seat_for_booking(*, seat_id: int, slug: str, day: date) -> Seat | None:
    """A seat of the centre `slug` with its pod and centre, knowing whether the centre is
    closed on `day` (one query)."""
    seat = (
        Seat.objects.select_related("pod__centre")
        .annotate(centre_closed=closure_exists(centre=OuterRef("pod__centre"), day=day))
        .filter(pk=seat_id, pod__centre__slug=slug)
        .first()
    )
    if seat is not None:
        seat.pod.centre.closed_on = {day: seat.centre_closed}
        seat.booking_day = (day,)
    return seat


# -- a person's own bookings ----------------------------------------------------------------


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
