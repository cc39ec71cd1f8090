"""Bookings, reserved pod-days and their counts partitioned by month on PostgreSQL.

Each table is copied into a partitioned one in this migration's transaction (wnh/partitioning.py):
its months from WNH_PARTITION_MONTHS_BACK before this one to WNH_PARTITION_MONTHS_AHEAD after
it, every month that holds a row, and a default partition. Every uniqueness rule already holds
the day; the primary key becomes (id, day). The nightly "Partitions" task creates the months
ahead from then on (bookings/operations/partitions.py). On a deployed database the copy holds the tables'
locks while it runs: about two minutes for ten million bookings (docs/operations.md, "Upgrade").

The count of booked seats is kept for updates by a statement trigger from here on: a booking
moved to another month is a delete from one partition and an insert into another, which fires
no row UPDATE trigger, but the statement's transition tables hold it.

SQLite (the laptop demo) is not partitioned: nothing changes there.
"""

from datetime import date

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from wnh import partitioning as partitions

TABLES = ["bookings_seatbooking", "bookings_reservedpodday", "bookings_poddaycount"]
ACTIVE = "('booked', 'checked_in')"

COUNT_BY_STATEMENT = f"""
DROP TRIGGER bookings_count_update ON bookings_seatbooking;
DROP FUNCTION bookings_count_updated();
CREATE FUNCTION bookings_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bookings_poddaycount AS c (pod_id, day, booked)
    SELECT pod_id, day, sum(delta) FROM (
        SELECT s.pod_id, o.day, -1 AS delta
        FROM old_rows o JOIN centres_seat s ON s.id = o.seat_id WHERE o.status IN {ACTIVE}
        UNION ALL
        SELECT s.pod_id, n.day, 1
        FROM new_rows n JOIN centres_seat s ON s.id = n.seat_id WHERE n.status IN {ACTIVE}
    ) AS change
    GROUP BY pod_id, day HAVING sum(delta) <> 0 ORDER BY pod_id, day
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked + EXCLUDED.booked;
    RETURN NULL;
END $$;
CREATE TRIGGER bookings_count_update AFTER UPDATE ON bookings_seatbooking
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bookings_count_changed();
"""

COUNT_BY_ROW = f"""
DROP TRIGGER bookings_count_update ON bookings_seatbooking;
DROP FUNCTION bookings_count_changed();
CREATE FUNCTION bookings_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN {ACTIVE} THEN
        INSERT INTO bookings_poddaycount AS c (pod_id, day, booked)
        SELECT s.pod_id, OLD.day, -1 FROM centres_seat s WHERE s.id = OLD.seat_id
        ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked - 1;
    END IF;
    IF NEW.status IN {ACTIVE} THEN
        INSERT INTO bookings_poddaycount AS c (pod_id, day, booked)
        SELECT s.pod_id, NEW.day, 1 FROM centres_seat s WHERE s.id = NEW.seat_id
        ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER bookings_count_update AFTER UPDATE OF status, seat_id, day
    ON bookings_seatbooking FOR EACH ROW
    WHEN ((OLD.status IN {ACTIVE}) IS DISTINCT FROM (NEW.status IN {ACTIVE})
          OR OLD.seat_id IS DISTINCT FROM NEW.seat_id OR OLD.day IS DISTINCT FROM NEW.day)
    EXECUTE FUNCTION bookings_count_updated();
"""


def months_to_create(today: date) -> list[date]:
    this_month = partitions.month_start(today)
    return partitions.months_between(
        partitions.add_months(this_month, -settings.WNH_PARTITION_MONTHS_BACK),
        partitions.add_months(this_month, settings.WNH_PARTITION_MONTHS_AHEAD),
    )


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    months = months_to_create(timezone.localdate())
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(COUNT_BY_STATEMENT)
        for table in TABLES:
            partitions.partition_table(cursor, table, months=months)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            partitions.unpartition_table(cursor, table)
        cursor.execute(COUNT_BY_ROW)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0004_merge_0003_audit_history_0003_pod_day_count")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
