"""K-DISC's planning view: where people search for centres and are turned away, by PIN area or
by local body, against the seats of the open centres within a commute; the host institutions
that could take the next centre; and what changed near each centre that opened recently.

Every figure comes from the nightly rollups (SearchDaily, TurnedAwayDaily), in four grouped
queries (or six with the openings) however many areas or centres there are; the distances are
measured here, in Python, between a few hundred centres and the areas with demand.

Where an area is:
- a PIN area: the middle of its post offices (centres.models.Locality);
- a local body: the middle of its centres (of any status). A search is made from a home or a
  point, which has a PIN code but no local body, so a local body's searches are those of the
  PIN codes of its centres; its people turned away are those its centres turned away.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.core.demand import pin_areas
from bookings.models import SearchDaily, TurnedAwayDaily
from centres.models import Centre, District
from centres.selectors import COMMUTE_RADII_KM, distance_km

BY_PIN, BY_LOCAL_BODY = "pin", "local_body"
NEAR_KM = max(COMMUTE_RADII_KM)  # "within 30 km": the longest commute people pick
# Hosts K-DISC gives priority to, first in each area's list of candidates.
PRIORITY_HOSTS = [
    Centre.HostKind.COLLEGE,
    Centre.HostKind.POLYTECHNIC,
    Centre.HostKind.ITI,
    Centre.HostKind.LOCAL_GOVERNMENT,
]
CANDIDATES_SHOWN = 3
COMING = (Centre.Status.PLANNED, Centre.Status.UNDER_CONSTRUCTION)


@dataclass
class Place:
    """A centre as the planning view needs it: where, whose, how many seats."""

    pk: int
    name: str
    status: str
    host_kind: str
    host_name: str
    local_body: str
    pin_code: str
    latitude: float
    longitude: float
    seats: int
    opened_on: date | None

    @property
    def host(self) -> str:
        kind = Centre.HostKind(self.host_kind).label
        return f"{self.host_name} ({kind})" if self.host_name else str(kind)


@dataclass
class Candidate:
    place: Place
    distance_km: float

    @property
    def label(self) -> str:
        status = Centre.Status(self.place.status).label
        return f"{self.place.host}, {self.place.name}: {status}, {self.distance_km:.0f} km"


@dataclass
class AreaRow:
    code: str  # the PIN code or the local body's name
    district: str
    searches: int = 0
    turned_away: int = 0
    seats_near: int = 0
    latitude: float | None = None
    longitude: float | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def district_name(self) -> str:
        return District(self.district).label if self.district in District.values else ""

    @property
    def turned_away_per_100_seats(self) -> float | None:
        """None when no open centre is within NEAR_KM: the most urgent of all."""
        return round(100 * self.turned_away / self.seats_near, 1) if self.seats_near else None

    @property
    def rank_key(self) -> tuple:
        per_seat = self.turned_away / self.seats_near if self.seats_near else math.inf
        return (-per_seat, -self.turned_away, -self.searches, self.code)


def places() -> list[Place]:
    """Every centre but the closed ones, with the seats of its active pods (one query)."""
    centres = (
        Centre.objects.exclude(status=Centre.Status.CLOSED)
        .order_by("pk")
        .annotate(seat_count=Sum("pods__capacity", filter=Q(pods__is_active=True)))
        .values_list(
            "pk",
            "name",
            "status",
            "host_kind",
            "host_name",
            "local_body",
            "pin_code",
            "latitude",
            "longitude",
            "seat_count",
            "opened_on",
        )
    )
    return [Place(*row[:7], float(row[7]), float(row[8]), row[9] or 0, row[10]) for row in centres]


def _near(lat: float, lon: float, place: Place) -> float | None:
    if abs(place.latitude - lat) > NEAR_KM / 100:  # far apart: skip the trigonometry
        return None
    d = distance_km(lat, lon, place.latitude, place.longitude)
    return d if d <= NEAR_KM else None


def _measure(row: AreaRow, every: list[Place]) -> None:
    """Seats of open centres within NEAR_KM, and the candidate hosts there."""
    if row.latitude is None:
        return
    candidates = []
    for place in every:
        d = _near(row.latitude, row.longitude, place)
        if d is None:
            continue
        if place.status == Centre.Status.OPEN:
            row.seats_near += place.seats
        else:
            candidates.append(Candidate(place, d))
    priority = {kind: i for i, kind in enumerate(PRIORITY_HOSTS)}
    candidates.sort(key=lambda c: (priority.get(c.place.host_kind, 9), c.distance_km))
    row.candidates = candidates[:CANDIDATES_SHOWN]


def _searches_by_pin(first: date, last: date) -> dict[str, int]:
    rows = (
        SearchDaily.objects.filter(day__range=(first, last))
        .exclude(pin_code="")
        .order_by()
        .values_list("pin_code")
        .annotate(n=Sum("searches"))
    )
    return dict(rows)


def _turned_away_by(key: str, first: date, last: date) -> dict[str, int]:
    rows = (
        TurnedAwayDaily.objects.filter(day__range=(first, last))
        .exclude(**{key: ""})
        .order_by()
        .values_list(key)
        .annotate(n=Sum("people"))
    )
    return dict(rows)


def table(*, by: str, first: date, last: date) -> list[AreaRow]:
    """Every area with searches or people turned away from `first` to `last`, most turned
    away per seat near first (an area with no open centre near before every other)."""
    every = places()
    searches = _searches_by_pin(first, last)
    rows: dict[str, AreaRow] = {}
    if by == BY_PIN:
        areas = pin_areas()
        turned_away = _turned_away_by("pin_code", first, last)
        for code in {*searches, *turned_away}:
            district, lat, lon = areas.get(code, ("", None, None))
            rows[code] = AreaRow(code, district, latitude=lat, longitude=lon)
            rows[code].searches = searches.get(code, 0)
            rows[code].turned_away = turned_away.get(code, 0)
    else:
        turned_away = _turned_away_by("local_body", first, last)
        bodies: dict[str, list[Place]] = {}
        for place in every:
            bodies.setdefault(place.local_body, []).append(place)
        districts = dict(Centre.objects.order_by().values_list("local_body", "district").distinct())
        for body, its in bodies.items():
            row = AreaRow(
                body,
                districts.get(body, ""),
                latitude=sum(p.latitude for p in its) / len(its),
                longitude=sum(p.longitude for p in its) / len(its),
            )
            row.searches = sum(searches.get(pin, 0) for pin in {p.pin_code for p in its})
            row.turned_away = turned_away.get(body, 0)
            if row.searches or row.turned_away:
                rows[body] = row
    for row in rows.values():
        _measure(row, every)
    return sorted(rows.values(), key=lambda row: row.rank_key)


@dataclass
class Opening:
    place: Place
    weeks: int
    before_searches: int = 0
    before_turned_away: int = 0
    after_searches: int = 0
    after_turned_away: int = 0
    after_days: int = 0  # the weeks after may not all have passed yet
    pin_codes: list[str] = field(default_factory=list)

    @property
    def full_days(self) -> int:
        return 7 * self.weeks


def openings(*, weeks: int, today: date | None = None, within_weeks: int = 26) -> list[Opening]:
    """The centres opened in the last `within_weeks`, each with the searches and people turned
    away in the PIN areas within NEAR_KM of it in the `weeks` before and after it opened
    (two grouped queries for every opening together)."""
    today = today or timezone.localdate()
    last_day = today - timedelta(days=1)  # the rollups cover days that have passed
    opened = [
        Opening(place, weeks)
        for place in places()
        if place.status == Centre.Status.OPEN
        and place.opened_on
        and today - timedelta(weeks=within_weeks) <= place.opened_on <= today
    ]
    if not opened:
        return []
    span = timedelta(weeks=weeks)
    first = min(o.place.opened_on for o in opened) - span
    last = min(max(o.place.opened_on for o in opened) + span - timedelta(days=1), last_day)
    areas = pin_areas()
    for o in opened:
        o.pin_codes = sorted(
            pin for pin, (_, lat, lon) in areas.items() if _near(lat, lon, o.place) is not None
        )
    by_pin_day = {"searches": {}, "people": {}}
    for model, figure in ((SearchDaily, "searches"), (TurnedAwayDaily, "people")):
        rows = (
            model.objects.filter(day__range=(first, last))
            .exclude(pin_code="")
            .order_by()
            .values_list("pin_code", "day")
            .annotate(n=Sum(figure))
        )
        for pin, day, n in rows:
            by_pin_day[figure].setdefault(pin, []).append((day, n))
    for o in opened:
        start, end = o.place.opened_on - span, o.place.opened_on + span
        o.after_days = max(0, min((end - o.place.opened_on).days, (today - o.place.opened_on).days))
        for pin in o.pin_codes:
            for day, n in by_pin_day["searches"].get(pin, []):
                if start <= day < o.place.opened_on:
                    o.before_searches += n
                elif o.place.opened_on <= day < end:
                    o.after_searches += n
            for day, n in by_pin_day["people"].get(pin, []):
                if start <= day < o.place.opened_on:
                    o.before_turned_away += n
                elif o.place.opened_on <= day < end:
                    o.after_turned_away += n
    return sorted(opened, key=lambda o: (o.place.opened_on, o.place.name), reverse=True)


def write_csv(rows: list[AreaRow], by: str, out) -> None:
    """The planning table as CSV, in the order shown."""
    writer = csv.writer(out)
    writer.writerow(
        [
            _("PIN code") if by == BY_PIN else _("Local body"),
            _("District"),
            _("Searches"),
            _("People turned away"),
            _("Seats within %(km)s km") % {"km": NEAR_KM},
            _("Turned away per 100 seats"),
            _("Candidate hosts"),
        ]
    )
    for row in rows:
        per_100 = row.turned_away_per_100_seats
        writer.writerow(
            [
                row.code,
                row.district_name,
                row.searches,
                row.turned_away,
                row.seats_near,
                _("no seats near") if per_100 is None else per_100,
                "; ".join(c.label for c in row.candidates),
            ]
        )
