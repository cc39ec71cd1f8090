"""Reads of centres: "centres near me" with free seats for a day, localities for a home.

The number of queries never grows with the number of centres: free seats are counted by one
correlated subquery per row in the same SELECT, and distances are computed in Python over
the rows already fetched (a bounding box in SQL keeps that set small when a radius is given).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User

from .models import Centre, CentreClosure, Locality, Seat

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = 111.2
COMMUTE_RADII_KM = (10, 20, 30)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def free_seat_count(*, day: date, user: User | None) -> Subquery:
    """A subquery counting the free seats of the outer centre on `day` for `user`.

    Free: an active seat in an active pod, with no active booking that day, in a pod that is
    not reserved that day for a company the person is not a member of.
    """
    from bookings.models import ReservedPodDay, SeatBooking  # bookings depends on centres

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


@dataclass
class NearbyCentre:
    centre: Centre
    distance_km: float | None
    free_seats: int
    bookable: bool  # open on the day and inside the centre's booking window


def _bounding_box(lat: float, lon: float, radius_km: float) -> Q:
    d_lat = radius_km / KM_PER_DEGREE_LATITUDE
    d_lon = radius_km / (KM_PER_DEGREE_LATITUDE * max(math.cos(math.radians(lat)), 0.01))
    return Q(
        latitude__range=(Decimal(str(lat - d_lat)), Decimal(str(lat + d_lat))),
        longitude__range=(Decimal(str(lon - d_lon)), Decimal(str(lon + d_lon))),
    )


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
    """Open centres, nearest first, each with its free seats on `day` (one query)."""
    from wnh import weekdays

    centres = Centre.objects.filter(status=Centre.Status.OPEN).annotate(
        free_seats=free_seat_count(day=day, user=user),
        closed_that_day=Exists(CentreClosure.objects.filter(centre=OuterRef("pk"), day=day)),
    )
    has_home = latitude is not None and longitude is not None
    if has_home and radius_km:
        centres = centres.filter(_bounding_box(latitude, longitude, radius_km))
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
    rows.sort(key=lambda row: (row.distance_km is None, row.distance_km or 0, row.centre.name))
    return rows[:limit]


def coming_centres(
    *, latitude: float | None = None, longitude: float | None = None
) -> list[NearbyCentre]:
    """Planned and under-construction centres, nearest first (one query)."""
    centres = Centre.objects.filter(
        status__in=[Centre.Status.PLANNED, Centre.Status.UNDER_CONSTRUCTION]
    )
    rows = [
        NearbyCentre(
            centre,
            distance_km(latitude, longitude, float(centre.latitude), float(centre.longitude))
            if latitude is not None and longitude is not None
            else None,
            0,
            False,
        )
        for centre in centres
    ]
    rows.sort(key=lambda row: (row.distance_km is None, row.distance_km or 0, row.centre.name))
    return rows


def locality_for_pin_code(pin_code: str) -> Locality | None:
    return Locality.objects.filter(pin_code=pin_code).order_by("name").first()


def localities() -> QuerySet[Locality]:
    return Locality.objects.order_by("district", "name")
