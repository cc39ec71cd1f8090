"""`make bench`: how long the nightly occupancy rollup takes over a million bookings.

Loads a network the size DESIGN.md plans for (default: 1,250 centres, 100,000 seats and
people, 1,000,000 bookings over 10 days; the bookings with one INSERT ... SELECT over
generate_series), runs the rollup for one day of all centres, and reports the SQL time.
Everything happens in one transaction that is rolled back at the end, so the database is
left as it was. It refuses SQLite, and a database with centres or bookings in it unless
given --allow-existing-data (the rows it adds are still rolled back).
"""

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from bookings.models import OccupancyDaily, SeatBooking
from bookings.operations import occupancy
from centres.models import Centre, Pod, Seat

from ._network import make_open_centres

SEATS_PER_POD = 10
PODS_PER_CENTRE = 8

BOOKINGS_SQL = """
WITH seats AS (
    SELECT s.id, row_number() OVER (ORDER BY s.id) AS n
    FROM centres_seat s JOIN centres_pod p ON p.id = s.pod_id
    WHERE p.code LIKE 'BENCH-%%'
),
plan AS (
    SELECT %(first_user)s + seats.n - 1 AS user_id, seats.id AS seat_id,
           (%(first)s::date + d.i) AS day, (seats.id * 7 + d.i * 13) %% 20 AS roll
    FROM generate_series(0, %(days)s - 1) AS d(i) CROSS JOIN seats
    LIMIT %(limit)s
)
INSERT INTO bookings_seatbooking
    (user_id, seat_id, day, status, booked_by_id, created_at, cancelled_at, checked_in_at,
     no_show_at)
SELECT user_id, seat_id, day,
       CASE WHEN roll < 2 THEN 'cancelled' WHEN roll < 4 THEN 'no_show'
            WHEN roll < 14 THEN 'checked_in' ELSE 'booked' END,
       user_id, now(),
       CASE WHEN roll < 2 THEN now() END,
       CASE WHEN roll >= 4 AND roll < 14 THEN now() END,
       CASE WHEN roll >= 2 AND roll < 4 THEN now() END
FROM plan
"""


class Rollback(Exception):
    """Raised at the end to undo everything the bench loaded."""


class Command(BaseCommand):
    help = "Measure the occupancy rollup over a million bookings (PostgreSQL; rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--bookings", type=int, default=1_000_000)
        parser.add_argument("--centres", type=int, default=1250)
        parser.add_argument(
            "--allow-existing-data",
            action="store_true",
            help="Run even though the database has centres or bookings (still rolled back).",
        )

    def handle(self, *args, bookings, centres, allow_existing_data, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The bench runs on PostgreSQL only: set DATABASE_URL.")
        if not allow_existing_data and (Centre.objects.exists() or SeatBooking.objects.exists()):
            raise CommandError(
                "This database has centres or bookings in it. Point DATABASE_URL at an empty "
                "database, or pass --allow-existing-data (everything is rolled back anyway)."
            )
        self.figures: list[tuple[str, str]] = []
        try:
            with transaction.atomic():
                self.run(bookings=bookings, centres=centres)
                raise Rollback()
        except Rollback:
            pass
        self.stdout.write(f"Database: {connection.settings_dict['NAME']} (all changes rolled back)")
        for label, value in self.figures:
            self.stdout.write(f"  {label:<52} {value}")

    def note(self, label: str, value: str) -> None:
        self.figures.append((label, value))
        self.stderr.write(f"{label}: {value}")

    def run(self, *, bookings: int, centres: int) -> None:
        started = time.perf_counter()
        seat_count, first_user = self.load_network(centres=centres)
        days = -(-bookings // seat_count)
        first = timezone.localdate() - timedelta(days=days)
        self.note("network loaded (centres, pods, seats, people)", self.since(started))

        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                BOOKINGS_SQL,
                {"first": first, "days": days, "limit": bookings, "first_user": first_user},
            )
            loaded = cursor.rowcount
            cursor.execute(
                "ANALYZE bookings_seatbooking; ANALYZE centres_seat; ANALYZE centres_pod; "
                "ANALYZE centres_centre; ANALYZE accounts_user"
            )
        self.note(f"bookings loaded ({loaded:,} over {days} days)", self.since(started))

        day = first + timedelta(days=days // 2)
        day_bookings = SeatBooking.objects.filter(day=day).count()
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            occupancy.rollup(first=day, last=day)
            timings.append(time.perf_counter() - started)
        rows = OccupancyDaily.objects.filter(day=day).count()
        self.note(
            f"rollup of {day} ({rows:,} centres, {day_bookings:,} bookings), first run",
            f"{timings[0] * 1000:.0f} ms",
        )
        self.note(
            "  the same day re-run (nothing changes), best of 2",
            f"{min(timings[1:]) * 1000:.0f} ms",
        )
        self.note("  PostgreSQL execution time (EXPLAIN ANALYZE)", self.explain(day))

        started = time.perf_counter()
        occupancy.rollup(first=first, last=first + timedelta(days=days - 1))
        self.note(
            f"rollup of all {days} days ({loaded:,} bookings)",
            f"{(time.perf_counter() - started) * 1000:.0f} ms",
        )

    def since(self, started: float) -> str:
        return f"{time.perf_counter() - started:.1f} s"

    def explain(self, day: date) -> str:
        # Rows now exist with the same figures, so this measures the statement's full work
        # (read, aggregate, compare) without rewriting them; force a rewrite for the figure.
        OccupancyDaily.objects.filter(day=day).update(booked=0)
        sql, params = occupancy.rollup_statement(first=day, last=day, now=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            import json

            plan = json.loads(plan)
        return f"{plan[0]['Execution Time']:.0f} ms"

    def load_network(self, *, centres: int) -> int:
        centre_ids = make_open_centres(count=centres, slug_prefix="bench-centre-")
        Pod.objects.bulk_create(
            (
                Pod(centre_id=centre_id, code=f"BENCH-{p}", capacity=SEATS_PER_POD)
                for centre_id in centre_ids
                for p in range(PODS_PER_CENTRE)
            ),
            batch_size=5000,
        )
        pod_ids = list(Pod.objects.filter(code__startswith="BENCH-").values_list("pk", flat=True))
        Seat.objects.bulk_create(
            (
                Seat(pod_id=pod_id, label=f"S{position:02d}", position=position)
                for pod_id in pod_ids
                for position in range(1, SEATS_PER_POD + 1)
            ),
            batch_size=10000,
        )
        seat_count = len(pod_ids) * SEATS_PER_POD
        unusable = "!"  # nobody logs in as a bench person
        User.objects.bulk_create(
            (User(email=f"bench-{i}@bench.invalid", password=unusable) for i in range(seat_count)),
            batch_size=10000,
        )
        people = User.objects.filter(email__endswith="@bench.invalid").order_by("pk")
        ids = people.values_list("pk", flat=True)
        first_user, last_user = ids.first(), ids.last()
        # The bookings pair the n-th seat with the n-th person by arithmetic, not a join.
        if last_user - first_user + 1 != seat_count:
            raise CommandError("The bench people did not get consecutive ids; run it again.")
        return seat_count, first_user
