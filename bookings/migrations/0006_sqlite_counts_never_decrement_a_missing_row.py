"""SQLite: a booking that stops holding a seat lowers its pod-day count, and never makes one.

A booking that holds a seat always has its count row (the insert trigger made it), so taking
one away is an UPDATE. The triggers of 0003 took it away with an upsert, which made a row of
-1 when the count row was already gone: when the count rows were deleted before the bookings,
as a delete of a pod's rows or a test database's flush may order them, that new row pointed at
a pod about to be deleted, and the transaction failed on the foreign key when it committed.

PostgreSQL is unchanged: its flush is a TRUNCATE, which fires no row triggers.
"""

from importlib import import_module

from django.db import migrations

ACTIVE = "('booked', 'checked_in')"

TAKE_AWAY = """
    UPDATE bookings_poddaycount SET booked = booked - 1
    WHERE day = OLD.day AND pod_id = (SELECT pod_id FROM centres_seat WHERE id = OLD.seat_id);
"""

SQLITE = [
    f"""
CREATE TRIGGER bookings_count_delete AFTER DELETE ON bookings_seatbooking
WHEN OLD.status IN {ACTIVE}
BEGIN{TAKE_AWAY}END
""",
    f"""
CREATE TRIGGER bookings_count_update AFTER UPDATE OF status, seat_id, day
ON bookings_seatbooking
BEGIN
    UPDATE bookings_poddaycount SET booked = booked - 1
    WHERE OLD.status IN {ACTIVE} AND day = OLD.day
        AND pod_id = (SELECT pod_id FROM centres_seat WHERE id = OLD.seat_id);
    INSERT INTO bookings_poddaycount (pod_id, day, booked)
    SELECT pod_id, NEW.day, 1 FROM centres_seat
    WHERE id = NEW.seat_id AND NEW.status IN {ACTIVE}
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = booked + 1;
END
""",
]

DROP = [
    "DROP TRIGGER IF EXISTS bookings_count_delete",
    "DROP TRIGGER IF EXISTS bookings_count_update",
]


def replace(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in DROP + statements():
            schema_editor.execute(statement)

    return run


def the_old_ones():
    old = import_module("bookings.migrations.0003_pod_day_count").SQLITE
    return [statement for statement in old if "bookings_count_insert" not in statement]


class Migration(migrations.Migration):
    dependencies = [("bookings", "0005_partition_by_month")]

    operations = [
        migrations.RunPython(replace(lambda: SQLITE), replace(the_old_ones)),
    ]
