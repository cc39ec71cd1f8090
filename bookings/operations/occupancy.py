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
from django.db.models import (
    Max,
    QuerySet,
    Sum,
)
from django.utils import timezone

from bookings.core.days import closure_days, is_open_day, rows_of_open_days
from bookings.core.hooks import announce_rollup_requested
from bookings.models import OccupancyDaily
from centres.models import Centre
from wnh.routers import replica_reads

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


def request_rollup(*, first: date, last: date) -> None:
    """Have a worker compute `first`..`last` once this transaction commits (the admin's
    "compute the figures" button): bookings/tasks.py queues its rollup task on the hook."""
    announce_rollup_requested(first=first, last=last)


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
    closed: bool = False  # every centre in the report was shut that day

    @property
    def occupancy(self) -> float:
        """Share of seats taken (booked, checked in or no-show), 0..1."""
        return self.booked / self.seats if self.seats else 0.0

    @property
    def attendance(self) -> float:
        return self.checked_in / self.seats if self.seats else 0.0

    @property
    def occupancy_percent(self) -> str:
        return "closed" if self.closed else f"{self.occupancy * 100:.1f}"


@dataclass
class Report:
    """A range of days for some centres: the figures, and the days not yet computed."""

    series: list[DayFigures]
    missing: list[date]  # days some centre was open that have no figures yet
    computed_at: datetime | None


@replica_reads  # figures of past days: a replica a few seconds behind is fine
def report(*, centres: QuerySet[Centre], first: date, last: date) -> Report:
    """The day-by-day figures of `centres` added up, in SQL, from `first` to `last`.

    A centre's closed days are left out of the sums (their empty seats are not empty
    seats); a day on which every centre was closed is shown as closed, not as 0 %. A day
    with no figures at all, not closed, is missing: the rollup has not run for it yet.
    """
    rows = OccupancyDaily.objects.filter(centre__in=centres, day__range=(first, last))
    open_rows = (
        rows_of_open_days(rows).values("day").annotate(**{f: Sum(f) for f in FIGURES}).order_by()
    )
    figures = {row["day"]: DayFigures(**row) for row in open_rows}
    computed = {row["day"] for row in rows.values("day").distinct().order_by()}
    closed = _closed_days(centres=centres, first=first, last=last)
    series, missing = [], []
    day = first
    while day <= last:
        if day in figures:
            series.append(figures[day])
        elif day in closed:
            series.append(DayFigures(day, 0, 0, 0, 0, 0, 0, closed=True))
        elif day not in computed:
            missing.append(day)
        day += timedelta(days=1)
    computed_at = rows.aggregate(at=Max("computed_at"))["at"]
    return Report(series=series if not missing else [], missing=missing, computed_at=computed_at)


def _closed_days(*, centres: QuerySet[Centre], first: date, last: date) -> set[date]:
    """The days on which every one of `centres` was shut (a weekday off or a closure)."""
    centres = list(centres.only("pk", "open_weekdays"))
    if not centres:
        return set()
    shut = closure_days(centres=centres, first=first, last=last)
    closed, day = set(), first
    while day <= last:
        if not any(is_open_day(c, day, closed=(c.pk, day) in shut) for c in centres):
            closed.add(day)
        day += timedelta(days=1)
    return closed


def write_csv(series: Iterable[DayFigures], out) -> None:
    writer = csv.writer(out)
    writer.writerow(["day", *FIGURES, "occupancy_percent"])
    for row in series:
        writer.writerow(
            [row.day.isoformat(), *(getattr(row, f) for f in FIGURES), row.occupancy_percent]
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

    def line(share) -> str:
        # Closed days are left out: the line bridges them instead of dropping to 0 %.
        return " ".join(point(i, share(d)) for i, d in enumerate(series) if not d.closed)

    return {
        "width": width,
        "height": height,
        "pad": pad,
        "occupancy": line(lambda d: d.occupancy),
        "attendance": line(lambda d: d.attendance),
        "closed": [
            {"x": f"{pad + (width - 2 * pad) * i / span:.1f}", "day": d.day}
            for i, d in enumerate(series)
            if d.closed
        ],
        "first": series[0].day,
        "last": series[-1].day,
        "top": pad,
        "middle": height / 2,
        "bottom": height - pad,
        "right": width - pad,
    }
