"""The bench's databases, in SQL: made, named, marked with what was loaded, and the bench
people's bookings cleared or the hot centre filled between scenarios."""

from urllib.parse import urlsplit, urlunsplit

import psycopg2


def sql(url: str, statement: str, params=None, *, fetch: bool = False):
    connection = psycopg2.connect(url)
    connection.autocommit = True  # CREATE DATABASE and CHECKPOINT refuse a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if fetch else cursor.rowcount
    finally:
        connection.close()


def on_server(url: str) -> str:
    """The same server, the `postgres` database: for CREATE and DROP DATABASE."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def database_exists(url: str) -> bool:
    return bool(
        sql(
            on_server(url),
            "SELECT 1 FROM pg_database WHERE datname = %s",
            [database_name(url)],
            fetch=True,
        )
    )


def data_mark(url: str) -> str:
    rows = sql(
        url,
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [database_name(url)],
        fetch=True,
    )
    return (rows[0][0] or "") if rows else ""


# Every free seat of the hot centre on the day, to a bench person free that day.
FILL_SQL = """
WITH free_seat AS (
    SELECT s.id, row_number() OVER (ORDER BY s.id) AS n
    FROM centres_seat s JOIN centres_pod p ON p.id = s.pod_id
    JOIN centres_centre c ON c.id = p.centre_id
    WHERE c.slug = %(centre)s AND s.is_active AND p.is_active AND NOT EXISTS (
        SELECT 1 FROM bookings_seatbooking b
        WHERE b.seat_id = s.id AND b.day = %(day)s AND b.status IN ('booked', 'checked_in'))
),
free_person AS (
    SELECT u.id, row_number() OVER (ORDER BY u.id) AS n
    FROM accounts_user u
    WHERE u.email LIKE 'bench-person-%%' AND NOT EXISTS (
        SELECT 1 FROM bookings_seatbooking b
        WHERE b.user_id = u.id AND b.day = %(day)s AND b.status IN ('booked', 'checked_in'))
)
INSERT INTO bookings_seatbooking (user_id, seat_id, day, status, booked_by_id, created_at)
SELECT free_person.id, free_seat.id, %(day)s, 'booked', free_person.id, now()
FROM free_seat JOIN free_person USING (n)
"""


def fill_hot_centre(url: str, meta: dict) -> int:
    """The hot spot is "everyone at one full centre": full before the first request, so a
    short run measures the refusal too (through the real table, its triggers on)."""
    return sql(url, FILL_SQL, {"centre": meta["hot_centre"], "day": meta["day"]})


def clear_bench_bookings(url: str) -> int:
    """The bench people start every booking scenario with no bookings (through the real
    table: its triggers see the delete)."""
    return sql(
        url,
        """
        DELETE FROM bookings_seatbooking WHERE user_id IN
            (SELECT id FROM accounts_user WHERE email LIKE 'bench-person-%%')
        """,
    )
