"""Reads of places: distances, the centres coming soon, localities for a home.

"Centres near me" with their free seats for a day, and which days a centre takes bookings,
are rules of bookings (bookings.core): they use the distance, bounding box and ordering
from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Q, QuerySet, When

from .models import Centre, Locality
from .text import in_malayalam

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = 111.2
COMMUTE_RADII_KM = (10, 20, 30)
# "Centres near me" a page at a time; 1,000 pages is 10,000 centres, far beyond the plan.
PER_PAGE = 10
MAX_PAGE = 1000


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass
class NearbyCentre:
    centre: Centre
    distance_km: float | None
    free_seats: int
    bookable: bool  # open on the day and inside the centre's booking window


def bounding_box(lat: float, lon: float, radius_km: float) -> Q:
    d_lat = radius_km / KM_PER_DEGREE_LATITUDE
    d_lon = radius_km / (KM_PER_DEGREE_LATITUDE * max(math.cos(math.radians(lat)), 0.01))
    return Q(
        latitude__range=(Decimal(str(lat - d_lat)), Decimal(str(lat + d_lat))),
        longitude__range=(Decimal(str(lon - d_lon)), Decimal(str(lon + d_lon))),
    )


def nearest_first(rows: list[NearbyCentre]) -> list[NearbyCentre]:
    """Nearest first; without a home (no distance), by name."""
    return sorted(
        rows, key=lambda row: (row.distance_km is None, row.distance_km or 0, row.centre.name)
    )


COMING_SHOWN = 10


def coming_centres(
    *, latitude: float | None = None, longitude: float | None = None
) -> list[NearbyCentre]:
    """Planned and under-construction centres: the nearest few within the longest commute
    of a home, or the first few by name without one (one query, whatever the plan holds)."""
    centres = Centre.objects.filter(
        status__in=[Centre.Status.PLANNED, Centre.Status.UNDER_CONSTRUCTION]
    )
    if latitude is None or longitude is None:
        return [NearbyCentre(c, None, 0, False) for c in centres.order_by("name")[:COMING_SHOWN]]
    radius = max(COMMUTE_RADII_KM)
    rows = [
        NearbyCentre(
            centre,
            distance_km(latitude, longitude, float(centre.latitude), float(centre.longitude)),
            0,
            False,
        )
        for centre in centres.filter(bounding_box(latitude, longitude, radius))
    ]
    return nearest_first([row for row in rows if row.distance_km <= radius])[:COMING_SHOWN]


def post_offices_for_pin_code(pin_code: str) -> QuerySet[Locality]:
    """The post offices of a PIN code: head and sub offices (the towns) first."""
    branch = Case(When(office_type=Locality.OfficeType.BRANCH, then=1), default=0)
    return Locality.objects.filter(pin_code=pin_code).order_by(branch, "name")


def post_office_name(pin_code: str, name: str) -> str:
    """A saved home's post office in the language of the page (its English name when the
    office has no Malayalam name, or is no longer in the list)."""
    if not in_malayalam():
        return name
    office = Locality.objects.filter(pin_code=pin_code, name=name).first()
    return office.local_name if office else name


def towns() -> QuerySet[Locality]:
    """The head and sub post offices (about 1,500): the district-and-town list. The branch
    offices (villages) are reached by their PIN code."""
    return Locality.objects.exclude(office_type=Locality.OfficeType.BRANCH).order_by(
        "district", "name"
    )
