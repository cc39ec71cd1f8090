"""The bench data sets, loaded through the portal's real tables with set-based SQL.

    DJANGO_DEBUG=true DATABASE_URL=... .venv/bin/python -m bench.http load --size small

Centres and pods are a few thousand rows (the ORM's bulk_create); seats, people and bookings
are INSERT ... SELECT over generate_series, one statement a day for the bookings. Every row
goes into the real tables with their triggers on, so whatever a trigger keeps in step
(availability counts, history) is right after the load. Only the bookings table's plain
secondary indexes and foreign keys are dropped while a large set loads, and rebuilt after;
its unique constraints stay, so the load cannot make a double booking either.
"""

import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from centres.models import Centre, District, Pod
from wnh import weekdays

# Bench rows are known by these: centres "bench-0001"..., the people wrk signs in as
# "bench-person-00001@bench.invalid"..., the people the load books for "bench-crowd-1@...".
CENTRE_SLUG = "bench-{:04d}"
# Ten pods a centre, 4 to 12 seats each: 80 seats a centre.
POD_SEATS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 8]
# Past bookings: of 100, these many were cancelled, then these many no-shows; the rest came.
CANCELLED, NO_SHOWS = 4, 5
# Above this many bookings the load drops the bookings table's plain indexes while it runs.
BULK_BOOKINGS = 200_000

# A point near the middle of each district's towns, south to north: centres and homes are
# scattered around it, so a 20 km search finds a district's centres and few of the next one.
DISTRICT_POINTS = {
    District.THIRUVANANTHAPURAM: (8.52, 76.94),
    District.KOLLAM: (8.89, 76.61),
    District.PATHANAMTHITTA: (9.26, 76.78),
    District.ALAPPUZHA: (9.49, 76.33),
    District.KOTTAYAM: (9.59, 76.52),
    District.IDUKKI: (9.85, 76.97),
    District.ERNAKULAM: (10.02, 76.31),
    District.THRISSUR: (10.52, 76.21),
    District.PALAKKAD: (10.78, 76.65),
    District.MALAPPURAM: (11.07, 76.07),
    District.KOZHIKODE: (11.25, 75.78),
    District.WAYANAD: (11.69, 76.13),
    District.KANNUR: (11.87, 75.37),
    District.KASARAGOD: (12.50, 75.00),
}


@dataclass(frozen=True)
class Size:
    centres: int
    crowd: int  # people who hold the loaded bookings
    people: int  # people the bench signs in (they start with no bookings)
    bookings: int  # about this many, spread evenly over the open days
    past_days: int
    future_days: int = 30


SIZES = {
    "tiny": Size(centres=2, crowd=200, people=100, bookings=400, past_days=3),
    "small": Size(centres=7, crowd=1_000, people=1_000, bookings=11_000, past_days=5),
    "kerala": Size(centres=1_250, crowd=100_000, people=5_000, bookings=10_000_000, past_days=335),
}


def log(message: str) -> None:
    stamp = time.strftime("%H:%M:%S", time.gmtime())  # Django set TZ to Asia/Kolkata
    print(f"[load {stamp}] {message}", file=sys.stderr, flush=True)


def execute(sql: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch_row(sql: str, params=None) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def fetch_one(sql: str, params=None):
    return fetch_row(sql, params)[0]


def load(*, size: str, today: date | None = None) -> dict:
    """Load `size` into the database DATABASE_URL names; refuse one that has bench data."""
    spec = SIZES[size]
    if connection.vendor != "postgresql":
        raise SystemExit("The bench data loads into PostgreSQL only: set DATABASE_URL.")
    if Centre.objects.filter(slug__startswith="bench-").exists():
        raise SystemExit("This database already has bench centres: drop it and load again.")
    today = today or timezone.localdate()
    began = time.perf_counter()
    centre_ids = load_centres(spec=spec)
    seats = load_seats(centre_ids=centre_ids)
    first_crowd = load_people(spec=spec)
    if seats > spec.crowd:
        raise SystemExit(f"{seats} seats but {spec.crowd} people to book them: raise the crowd")
    bookings = load_bookings(spec=spec, today=today, first_crowd=first_crowd)
    # Vacuumed, so the first pages measured do not pay for the load's hint bits and the
    # visibility map (index-only scans), and analyzed, so the planner knows the sizes.
    execute("VACUUM ANALYZE")
    figures = {
        "size": size,
        "loaded_on": today.isoformat(),
        "centres": len(centre_ids),
        "seats": seats,
        "people": spec.crowd + spec.people,
        "bookings": bookings,
        "seconds": round(time.perf_counter() - began, 1),
    }
    log(" ".join(f"{key}={value}" for key, value in figures.items()))
    return figures


def load_centres(*, spec: Size) -> list[int]:
    districts = list(DISTRICT_POINTS)
    centres = []
    for i in range(spec.centres):
        district = districts[i % len(districts)]
        latitude, longitude = scatter(DISTRICT_POINTS[district], i, spread=0.25)
        centres.append(
            Centre(
                name=f"WNH {district.label} {i + 1:04d}",
                slug=CENTRE_SLUG.format(i + 1),
                district=district,
                local_body=f"Bench panchayat {i + 1}",
                address=f"Bench building {i + 1}",
                pin_code=str(670001 + i * 13 % 25000),
                latitude=latitude,
                longitude=longitude,
                host_kind=Centre.HostKind.LOCAL_GOVERNMENT,
                status=Centre.Status.OPEN,
                opened_on=date(2026, 1, 19),
            )
        )
    Centre.objects.bulk_create(centres, batch_size=2000)
    ids = list(
        Centre.objects.filter(slug__startswith="bench-").order_by("pk").values_list("pk", flat=True)
    )
    Pod.objects.bulk_create(
        (
            Pod(centre_id=centre_id, code=f"P{p + 1:02d}", capacity=seats)
            for centre_id in ids
            for p, seats in enumerate(POD_SEATS)
        ),
        batch_size=5000,
    )
    return ids


def scatter(point: tuple[float, float], i: int, *, spread: float) -> tuple[Decimal, Decimal]:
    """A point within `spread` degrees of `point`, the same for the same i (a cheap hash)."""
    a, b = (i * 7919 % 1000) / 1000 - 0.5, (i * 104729 % 997) / 997 - 0.5
    return (
        Decimal(f"{point[0] + a * spread * 2:.6f}"),
        Decimal(f"{point[1] + b * spread * 2:.6f}"),
    )


def load_seats(*, centre_ids: list[int]) -> int:
    seats = execute(
        """
        INSERT INTO centres_seat (pod_id, label, position, is_active)
        SELECT p.id, p.code || '-' || n, n, true
        FROM centres_pod p CROSS JOIN LATERAL generate_series(1, p.capacity) AS n
        WHERE p.centre_id = ANY(%s)
        ORDER BY p.id, n
        """,
        [centre_ids],
    )
    log(f"{len(centre_ids):,} centres, {len(centre_ids) * len(POD_SEATS):,} pods, {seats:,} seats")
    return seats


def load_people(*, spec: Size) -> int:
    """The crowd (no password, no home) and the bench people (a verified email and a home
    in one of the districts). Returns the crowd's first id: their ids run on from it."""
    execute(
        """
        INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined,
            email, full_name, phone, home_pin_code, home_place, language, calendar_token)
        SELECT '!', false, false, true, now() - interval '1 year',
               'bench-crowd-' || g || '@bench.invalid',
               'Bench crowd ' || g, NULL, '', '', 'en', md5('crowd' || g) || md5('token' || g)
        FROM generate_series(1, %s) AS g ORDER BY g
        """,
        [spec.crowd],
    )
    first, last = fetch_row(
        "SELECT min(id), max(id) FROM accounts_user WHERE email LIKE 'bench-crowd-%'"
    )
    if last - first + 1 != spec.crowd:
        raise SystemExit("The crowd's ids have gaps: load into a fresh database.")
    points = list(DISTRICT_POINTS.values())
    execute(
        """
        INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined,
            email, full_name, phone, home_pin_code, home_place, home_latitude, home_longitude,
            language, calendar_token)
        SELECT '!', false, false, true, now() - interval '1 month',
               'bench-person-' || lpad(g::text, 5, '0') || '@bench.invalid',
               'Bench person ' || g, NULL, '670001', 'Bench locality ' || g %% 100,
               round(lats[1 + g %% 14] + ((g * 7919) %% 1000 / 1000.0 - 0.5) * 0.6, 6),
               round(lons[1 + g %% 14] + ((g * 104729) %% 997 / 997.0 - 0.5) * 0.4, 6),
               'en', md5('person' || g) || md5('token' || g)
        FROM generate_series(1, %(people)s) AS g,
             (SELECT %(lats)s::numeric[] AS lats, %(lons)s::numeric[] AS lons) AS district
        ORDER BY g
        """,
        {
            "lats": [lat for lat, _ in points],
            "lons": [lon for _, lon in points],
            "people": spec.people,
        },
    )
    verified = execute(
        """
        INSERT INTO account_emailaddress (user_id, email, verified, "primary")
        SELECT id, email, true, true FROM accounts_user WHERE email LIKE 'bench-person-%'
        """
    )
    log(f"{spec.crowd:,} people holding bookings, {verified:,} bench people with a home")
    return first


# One day's bookings: seat n (numbered 0.. over the bench seats) is booked when its hash
# falls under `keep` per mille, by crowd member (n + 7919 i) mod crowd, so no one holds two
# seats on a day. Past days end checked in, cancelled or as no-shows; the days to come are
# booked (or cancelled). The evening-before reminder of tomorrow's bookings is marked sent.
BOOKINGS_SQL = """
INSERT INTO bookings_seatbooking
    (user_id, seat_id, day, status, booked_by_id, created_at, cancelled_at, checked_in_at,
     no_show_at, reminder_sent_at)
SELECT person, seat_id, %(day)s, status, person, booked_at,
       CASE WHEN status = 'cancelled' THEN booked_at + interval '1 hour' END,
       CASE WHEN status = 'checked_in' THEN opening + interval '1 hour' END,
       CASE WHEN status = 'no_show' THEN opening + interval '3 hours 5 minutes' END,
       CASE WHEN %(reminded)s AND status <> 'cancelled' THEN opening - interval '14 hours' END
FROM (
    SELECT seat_id, %(first_crowd)s + (n + %(i)s * 7919) %% %(crowd)s AS person,
           CASE WHEN roll %% 100 < %(cancelled)s THEN 'cancelled'
                WHEN NOT %(past)s THEN 'booked'
                WHEN roll %% 100 < %(cancelled)s + %(no_shows)s THEN 'no_show'
                ELSE 'checked_in' END AS status,
           least(now(), opening - (1 + roll %% 14) * interval '1 day') AS booked_at, opening
    FROM (
        SELECT seat_id, n, (hashint8(n::bigint * 1000003 + %(i)s) & 2147483647) %% 1000 AS roll,
               (%(day)s::date + time '08:00') AT TIME ZONE 'Asia/Kolkata' AS opening
        FROM bench_seat
    ) AS seat_day
    WHERE roll < %(keep)s
) AS booking
"""


def load_bookings(*, spec: Size, today: date, first_crowd: int) -> int:
    first, last = today - timedelta(days=spec.past_days), today + timedelta(days=spec.future_days)
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    open_days = [day for day in days if weekdays.includes(weekdays.MONDAY_TO_SATURDAY, day)]
    execute(
        """
        CREATE TEMP TABLE bench_seat AS
        SELECT s.id AS seat_id, row_number() OVER (ORDER BY s.id) - 1 AS n
        FROM centres_seat s JOIN centres_pod p ON p.id = s.pod_id
        JOIN centres_centre c ON c.id = p.centre_id
        WHERE c.slug LIKE 'bench-%'
        """
    )
    seats = fetch_one("SELECT count(*) FROM bench_seat")
    keep = min(1000, round(1000 * spec.bookings / (seats * len(open_days))))
    rebuild = drop_plain_indexes("bookings_seatbooking") if spec.bookings > BULK_BOOKINGS else []
    total, began = 0, time.perf_counter()
    tomorrow = today + timedelta(days=1)
    for i, day in enumerate(open_days):
        total += execute(
            BOOKINGS_SQL,
            {
                "day": day,
                "i": i,
                "keep": keep,
                "crowd": spec.crowd,
                "first_crowd": first_crowd,
                "past": day < today,
                "reminded": day <= tomorrow,
                "cancelled": CANCELLED,
                "no_shows": NO_SHOWS,
            },
        )
        if i % 50 == 49:
            log(f"bookings up to {day}: {total:,} ({time.perf_counter() - began:.0f} s)")
    log(f"{total:,} bookings on {len(open_days)} open days in {time.perf_counter() - began:.0f} s")
    if rebuild:
        execute("SET maintenance_work_mem = '512MB'")
    for ddl in rebuild:
        began = time.perf_counter()
        execute(ddl)
        log(f"{time.perf_counter() - began:5.1f} s  {ddl[:100]}")
    execute("DROP TABLE bench_seat")
    return total


def drop_plain_indexes(table: str) -> list[str]:
    """Drop `table`'s non-unique indexes and its foreign keys; return the DDL that rebuilds
    them. Unique indexes stay: they are the rules (one active booking a seat and day)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x
            JOIN pg_class c ON c.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass AND NOT x.indisunique ORDER BY c.relname
            """,
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname
            """,
            [table],
        )
        foreign_keys = cursor.fetchall()
        for name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    log(f"dropped {len(indexes)} indexes and {len(foreign_keys)} foreign keys of {table}")
    return [ddl for _, ddl in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}' for name, ddl in foreign_keys
    ]
