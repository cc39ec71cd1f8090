"""Occupancy rollups: OccupancyDaily per centre per day, computed from the rows that exist.

`rollup` is one set-based SQL statement per run: it counts the range's bookings and pod
days grouped by centre and day, and upserts the figures with INSERT ... ON CONFLICT
(centre, day) DO UPDATE (PostgreSQL and SQLite both have it). The update only touches rows
whose figures changed, so re-running a range changes nothing, not even computed_at.

Which rows: every open centre for every day of the range, plus any other centre that had
bookings or reserved pods then. `seats` is the centre's active seats at the time of the run
(seat history is not kept), so roll a day up soon after it ends: the nightly task does.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from centres.models import Centre

from .models import OccupancyDaily

FIGURES = ["seats", "booked", "checked_in", "no_shows", "cancelled", "pod_days_reserved"]

# A long on-demand range is rolled up a month per statement, so one statement stays small.
CHUNK_DAYS = 31

ROLLUP_SQL = """
WITH RECURSIVE days(day) AS ({days}),
taken AS (
    SELECT p.centre_id AS centre_id, b.day AS day,
           SUM(CASE WHEN b.status <> 'cancelled' THEN 1 ELSE 0 END) AS booked,
           SUM(CASE WHEN b.status = 'checked_in' THEN 1 ELSE 0 END) AS checked_in,
           SUM(CASE WHEN b.status = 'no_show' THEN 1 ELSE 0 END) AS no_shows,
           SUM(CASE WHEN b.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled
    FROM bookings_seatbooking b
    JOIN centres_seat s ON s.id = b.seat_id
    JOIN centres_pod p ON p.id = s.pod_id
    WHERE b.day BETWEEN {first} AND {last}
    GROUP BY p.centre_id, b.day
),
seats AS (
    SELECT p.centre_id AS centre_id, COUNT(*) AS seats
    FROM centres_seat s
    JOIN centres_pod p ON p.id = s.pod_id
    WHERE s.is_active AND p.is_active
    GROUP BY p.centre_id
),
pod_days AS (
    SELECT p.centre_id AS centre_id, r.day AS day, COUNT(*) AS reserved
    FROM bookings_reservedpodday r
    JOIN centres_pod p ON p.id = r.pod_id
    WHERE r.day BETWEEN {first} AND {last} AND r.cancelled_at IS NULL
    GROUP BY p.centre_id, r.day
)
INSERT INTO bookings_occupancydaily
    (centre_id, day, seats, booked, checked_in, no_shows, cancelled, pod_days_reserved,
     computed_at)
SELECT c.id, days.day, COALESCE(seats.seats, 0), COALESCE(taken.booked, 0),
       COALESCE(taken.checked_in, 0), COALESCE(taken.no_shows, 0),
       COALESCE(taken.cancelled, 0), COALESCE(pod_days.reserved, 0), {now}
FROM centres_centre c
CROSS JOIN days
LEFT JOIN taken ON taken.centre_id = c.id AND taken.day = days.day
LEFT JOIN seats ON seats.centre_id = c.id
LEFT JOIN pod_days ON pod_days.centre_id = c.id AND pod_days.day = days.day
WHERE c.status = 'open' OR taken.centre_id IS NOT NULL OR pod_days.centre_id IS NOT NULL
ON CONFLICT (centre_id, day) DO UPDATE SET
    seats = excluded.seats, booked = excluded.booked, checked_in = excluded.checked_in,
    no_shows = excluded.no_shows, cancelled = excluded.cancelled,
    pod_days_reserved = excluded.pod_days_reserved, computed_at = excluded.computed_at
WHERE bookings_occupancydaily.seats <> excluded.seats
   OR bookings_occupancydaily.booked <> excluded.booked
   OR bookings_occupancydaily.checked_in <> excluded.checked_in
   OR bookings_occupancydaily.no_shows <> excluded.no_shows
   OR bookings_occupancydaily.cancelled <> excluded.cancelled
   OR bookings_occupancydaily.pod_days_reserved <> excluded.pod_days_reserved
"""


def rollup_statement(*, first: date, last: date, now: datetime) -> tuple[str, list]:
    """The one statement for `first`..`last` on this database, and its parameters."""
    ops = connection.ops
    if connection.vendor == "postgresql":
        days = "SELECT generate_series(%s::date, %s::date, interval '1 day')::date"
        first_sql = last_sql = "%s::date"
        now_sql = "%s::timestamptz"
    else:  # SQLite: dates are ISO text, so the next day is date(day, '+1 day')
        days = "SELECT %s UNION ALL SELECT date(day, '+1 day') FROM days WHERE day < %s"
        first_sql = last_sql = now_sql = "%s"
    sql = ROLLUP_SQL.format(days=days, first=first_sql, last=last_sql, now=now_sql)
    first_p, last_p = ops.adapt_datefield_value(first), ops.adapt_datefield_value(last)
    params = [first_p, last_p, first_p, last_p, first_p, last_p]
    params.append(ops.adapt_datetimefield_value(now))
    return sql, params


def rollup(*, first: date, last: date, now: datetime | None = None) -> int:
    """Upsert OccupancyDaily for every centre and day from `first` to `last`.

    Returns how many rows were written or changed (0 when a re-run found nothing new).
    """
    now = now or timezone.now()
    changed = 0
    start = first
    while start <= last:
        end = min(last, start + timedelta(days=CHUNK_DAYS - 1))
        sql, params = rollup_statement(first=start, last=end, now=now)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            count = cursor.rowcount
            if count < 0 and connection.vendor == "sqlite":
                # Python's sqlite3 reports -1 for a statement that starts with WITH.
                cursor.execute("SELECT changes()")
                count = cursor.fetchone()[0]
            changed += max(count, 0)
        start = end + timedelta(days=1)
    return changed


# -- what the admin's occupancy pages show --------------------------------------------


@dataclass
class DayFigures:
    day: date
    seats: int
    booked: int
    checked_in: int
    no_shows: int
    cancelled: int
    pod_days_reserved: int

    @property
    def occupancy(self) -> float:
        """Share of seats taken (booked, checked in or no-show), 0..1."""
        return self.booked / self.seats if self.seats else 0.0

    @property
    def attendance(self) -> float:
        return self.checked_in / self.seats if self.seats else 0.0


def centre_series(*, centre: Centre, first: date, last: date) -> list[DayFigures]:
    rows = OccupancyDaily.objects.filter(centre=centre, day__range=(first, last)).order_by("day")
    return [DayFigures(day=row.day, **{f: getattr(row, f) for f in FIGURES}) for row in rows]


def district_series(*, district: str, first: date, last: date) -> list[DayFigures]:
    """The district's centres added up per day, in SQL."""
    rows = (
        OccupancyDaily.objects.filter(centre__district=district, day__range=(first, last))
        .values("day")
        .annotate(**{f: Sum(f) for f in FIGURES})
        .order_by("day")
    )
    return [DayFigures(**row) for row in rows]


def write_csv(series: Iterable[DayFigures], out) -> None:
    writer = csv.writer(out)
    writer.writerow(["day", *FIGURES, "occupancy_percent"])
    for row in series:
        writer.writerow(
            [row.day.isoformat(), *(getattr(row, f) for f in FIGURES), f"{row.occupancy * 100:.1f}"]
        )


def chart_points(
    series: list[DayFigures], *, width: int = 720, height: int = 240, pad: int = 30
) -> dict:
    """Coordinates for a server-drawn SVG line chart of occupancy and attendance (0-100%)."""
    if not series:
        return {"occupancy": "", "attendance": "", "width": width, "height": height}
    span = max(len(series) - 1, 1)

    def point(i: int, share: float) -> str:
        x = pad + (width - 2 * pad) * i / span
        y = height - pad - (height - 2 * pad) * min(share, 1.0)
        return f"{x:.1f},{y:.1f}"

    return {
        "width": width,
        "height": height,
        "pad": pad,
        "occupancy": " ".join(point(i, d.occupancy) for i, d in enumerate(series)),
        "attendance": " ".join(point(i, d.attendance) for i, d in enumerate(series)),
        "first": series[0].day,
        "last": series[-1].day,
        "top": pad,
        "middle": height / 2,
        "bottom": height - pad,
        "right": width - pad,
    }
