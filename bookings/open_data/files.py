"""The open data files: one row per centre (CSV and JSON), and a centre's day per row for a
month. Column names are the data dictionary's (templates/open_data/page.html)."""

import csv
import io
from datetime import date, timedelta

from django.db.models import F

from bookings.core.days import rows_of_open_days
from bookings.models import OccupancyDaily
from bookings.open_data.selectors import (
    LICENCE,
    LICENCE_URL,
    CentreFigures,
    Periods,
    band,
    centre_figures,
    share,
)

CENTRE_COLUMNS = [
    "centre",
    "name",
    "name_ml",
    "district",
    "local_body",
    "pin_code",
    "host_kind",
    "host_name",
    "status",
    "opened_on",
    "pods",
    "seats",
    "bookings_30_days",
    "occupancy_30_days_percent",
    "people_turned_away_30_days",
]

DAY_COLUMNS = [
    "day",
    "centre",
    "district",
    "seats",
    "bookings",
    "checked_in",
    "occupancy_percent",
]

# The first month the network had a centre open (Kottarakkara, 19 January 2026).
FIRST_MONTH = date(2026, 1, 1)


def centre_row(figures: CentreFigures) -> dict:
    centre = figures.centre
    is_open = centre.status == centre.Status.OPEN
    return {
        "centre": centre.slug,
        "name": centre.name,
        "name_ml": centre.name_ml,
        "district": centre.district,
        "local_body": centre.local_body,
        "pin_code": centre.pin_code,
        "host_kind": centre.host_kind,
        "host_name": centre.host_name,
        "status": centre.status,
        "opened_on": centre.opened_on.isoformat() if centre.opened_on else "",
        "pods": centre.pod_count,
        "seats": centre.seat_count,
        "bookings_30_days": figures.bookings_30 if is_open else "",
        "occupancy_30_days_percent": figures.occupancy_30 if is_open else "",
        "people_turned_away_30_days": figures.turned_away_30_shown,
    }


def centre_rows(periods: Periods) -> list[dict]:
    return [centre_row(figures) for figures in centre_figures(periods=periods)]


def centres_csv(periods: Periods) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CENTRE_COLUMNS)
    writer.writeheader()
    writer.writerows(centre_rows(periods))
    return out.getvalue()


def centres_json(periods: Periods) -> dict:
    return {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "period_30_days": {
            "first": periods.last_30[0].isoformat(),
            "last": periods.last_30[1].isoformat(),
        },
        "small_numbers": "Counts from 1 to 4 are given as the band '1-4'.",
        "centres": centre_rows(periods),
    }


def month_days(month: date, today: date) -> tuple[date, date] | None:
    """The days of `month` the rollup has covered (through yesterday); None for a month
    before the network or not yet begun."""
    if month < FIRST_MONTH or month > today.replace(day=1):
        return None
    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return month, min(last, today - timedelta(days=1))


def occupancy_csv(*, first: date, last: date) -> str:
    """Every centre's open days from `first` to `last`, one row each (one query)."""
    rows = (
        rows_of_open_days(OccupancyDaily.objects.filter(day__range=(first, last)))
        .annotate(slug=F("centre__slug"), district=F("centre__district"))
        .values_list("day", "slug", "district", "seats", "booked", "checked_in")
        .order_by("day", "slug")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DAY_COLUMNS)
    for day, slug, district, seats, booked, checked_in in rows:
        writer.writerow(
            [
                day.isoformat(),
                slug,
                district,
                seats,
                band(booked),
                band(checked_in),
                share(booked, seats),
            ]
        )
    return out.getvalue()
