"""What the open data shows: the network by district, each centre's occupancy over the last
30 days and this month, and the people turned away by centre and week.

Every figure comes from the nightly rollups (OccupancyDaily, TurnedAwayDaily), never from the
bookings, in a fixed number of grouped queries however many centres there are. A centre's
closed days are left out of its occupancy (bookings.core.days.rows_of_open_days).

Small numbers: a count from 1 to 4 (bookings, or people turned away, of one centre in one
period) could point at a person, so it is published as the band "1-4", and an occupancy
computed from it as "at most" the share that 4 would be.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from bookings.core.days import rows_of_open_days
from bookings.models import OccupancyDaily, TurnedAway, TurnedAwayDaily
from centres.models import Centre, District, Pod

SMALL = 5  # counts below this (but above 0) are shown as a band
BAND = "1-4"
WEEKS = 5  # the last four weeks and this one
LICENCE = "Government Open Data License - India (GODL)"
LICENCE_URL = "https://data.gov.in/government-open-data-license-india"


def band(count: int) -> int | str:
    """`count`, or "1-4" when it is small enough to point at a person."""
    return BAND if 0 < count < SMALL else count


def share(booked: int, seat_days: int) -> str:
    """Occupancy in percent with one decimal; "≤ x" when the bookings are a small number;
    "" without open seat-days."""
    if not seat_days:
        return ""
    if 0 < booked < SMALL:
        return f"≤ {math.ceil((SMALL - 1) * 1000 / seat_days) / 10:.1f}"
    return f"{booked * 100 / seat_days:.1f}"


@dataclass(frozen=True)
class Periods:
    """The days the figures cover: rolled up through yesterday."""

    today: date
    last_30: tuple[date, date]
    this_month: tuple[date, date] | None  # None on the 1st: nothing rolled up yet
    weeks: list[tuple[date, date]]  # Monday to Sunday, oldest first, this week last

    @classmethod
    def ending(cls, today: date | None = None) -> Periods:
        today = today or timezone.localdate()
        yesterday = today - timedelta(days=1)
        month = (today.replace(day=1), yesterday) if today.day > 1 else None
        monday = today - timedelta(days=today.weekday())
        weeks = [
            (monday - timedelta(weeks=n), monday - timedelta(weeks=n) + timedelta(days=6))
            for n in range(WEEKS - 1, -1, -1)
        ]
        return cls(today, (yesterday - timedelta(days=29), yesterday), month, weeks)


@dataclass
class DistrictRow:
    code: str
    name: str
    open: int = 0
    under_construction: int = 0
    planned: int = 0
    seats: int = 0
    pods: int = 0
    hosts: dict[str, int] = field(default_factory=dict)  # host kind label -> centres
    turned_away_30: int = 0

    @property
    def turned_away_30_shown(self) -> int | str:
        return band(self.turned_away_30)


def network_by_district(periods: Periods) -> list[DistrictRow]:
    """Every district: its centres by status and host, the seats and pods of its open centres
    and the people turned away in the last 30 days (three queries)."""
    rows = {code: DistrictRow(code, str(name)) for code, name in District.choices}
    hosts = dict(Centre.HostKind.choices)
    counted = (
        Centre.objects.values_list("district", "status", "host_kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for district, status, host_kind, n in counted:
        row = rows[district]
        if status in (Centre.Status.OPEN, Centre.Status.UNDER_CONSTRUCTION, Centre.Status.PLANNED):
            setattr(row, status, getattr(row, status) + n)
            label = str(hosts[host_kind])
            row.hosts[label] = row.hosts.get(label, 0) + n
    capacity = (
        Pod.objects.filter(is_active=True, centre__status=Centre.Status.OPEN)
        .values_list("centre__district")
        .annotate(pods=Count("pk"), seats=Sum("capacity"))
        .order_by()
    )
    for district, pods, seats in capacity:
        rows[district].pods, rows[district].seats = pods, seats or 0
    turned_away = (
        TurnedAwayDaily.objects.filter(day__range=periods.last_30)
        .values_list("district")
        .annotate(people=Sum("people"))
        .order_by()
    )
    for district, people in turned_away:
        if district in rows:
            rows[district].turned_away_30 = people
    return list(rows.values())


@dataclass
class CentreFigures:
    centre: Centre
    booked_30: int = 0
    seat_days_30: int = 0
    booked_month: int = 0
    seat_days_month: int = 0
    turned_away_30: int = 0
    weeks: list[int] = field(default_factory=list)  # people turned away, per week of Periods

    @property
    def bookings_30(self) -> int | str:
        return band(self.booked_30)

    @property
    def occupancy_30(self) -> str:
        return share(self.booked_30, self.seat_days_30)

    @property
    def bookings_month(self) -> int | str:
        return band(self.booked_month)

    @property
    def occupancy_month(self) -> str:
        return share(self.booked_month, self.seat_days_month)

    @property
    def turned_away_30_shown(self) -> int | str:
        return band(self.turned_away_30)

    @property
    def weeks_shown(self) -> list[int | str]:
        return [band(n) for n in self.weeks]


def _sum_within(figure: str, first: date, last: date) -> Sum:
    return Coalesce(
        Sum(Case(When(day__range=(first, last), then=figure), output_field=IntegerField())), 0
    )


def centre_figures(*, periods: Periods, district: str | None = None) -> list[CentreFigures]:
    """Every centre (of `district`, if given), by district and name, with its pods, seats and
    figures: three queries, however many centres."""
    pods = Pod.objects.filter(centre=OuterRef("pk"), is_active=True).order_by().values("centre")
    centres = Centre.objects.annotate(
        pod_count=Coalesce(Subquery(pods.annotate(n=Count("pk")).values("n")), 0),
        seat_count=Coalesce(Subquery(pods.annotate(n=Sum("capacity")).values("n")), 0),
    ).order_by("district", "name", "pk")
    if district:
        centres = centres.filter(district=district)
    figures = {centre.pk: CentreFigures(centre, weeks=[0] * WEEKS) for centre in centres}
    occupancy = OccupancyDaily.objects.filter(day__range=periods.last_30)
    reported = Q(centre__status=Centre.Status.OPEN)
    if district:
        reported &= Q(centre__district=district)
    month = periods.this_month or (periods.today, periods.today)  # an empty range on the 1st
    occupied = (
        rows_of_open_days(occupancy.filter(reported))
        .values("centre_id")
        .annotate(
            booked_30=Sum("booked"),
            seat_days_30=Sum("seats"),
            booked_month=_sum_within("booked", *month),
            seat_days_month=_sum_within("seats", *month),
        )
        .order_by()
    )
    for row in occupied:
        found = figures.get(row.pop("centre_id"))
        if found is not None:
            for name, value in row.items():
                setattr(found, name, value or 0)
    weeks = {f"week_{i}": _sum_within("people", *week) for i, week in enumerate(periods.weeks)}
    first = min(periods.last_30[0], periods.weeks[0][0])
    turned_away = TurnedAwayDaily.objects.filter(
        centre__isnull=False, day__range=(first, periods.weeks[-1][1])
    )
    if district:
        turned_away = turned_away.filter(centre__district=district)
    per_centre = (
        turned_away.values("centre_id")
        .annotate(last_30=_sum_within("people", *periods.last_30), **weeks)
        .order_by()
    )
    for row in per_centre:
        found = figures.get(row["centre_id"])
        if found is not None:
            found.turned_away_30 = row["last_30"]
            found.weeks = [row[f"week_{i}"] for i in range(WEEKS)]
    return list(figures.values())


def homes_without_centre(*, periods: Periods, district: str) -> list[tuple[str, int | str]]:
    """The PIN codes of `district` whose people found no open centre within a commute in the
    last 30 days, most first (at most 20; one query)."""
    rows = (
        TurnedAwayDaily.objects.filter(
            centre__isnull=True,
            kind=TurnedAway.Kind.NO_CENTRE_NEAR,
            district=district,
            day__range=periods.last_30,
        )
        .values_list("pin_code")
        .annotate(people=Sum("people"))
        .order_by("-people", "pin_code")[:20]
    )
    return [(pin_code, band(people)) for pin_code, people in rows]
