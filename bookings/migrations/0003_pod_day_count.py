"""Booked seats per pod and day, kept by triggers on the bookings table.

PostgreSQL: inserts and deletes are counted once per statement from its transition table
(a bulk load of a day's bookings is one upsert per pod, not one per row); updates once per
row, and only those that change whether a booking holds a seat, or which seat or day.
SQLite (the laptop demo) has row triggers only, with the same effect.
"""

import django.db.models.deletion
from django.db import migrations, models

ACTIVE = "('booked', 'checked_in')"

POSTGRESQL = f"""
CREATE FUNCTION bookings_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bookings_poddaycount AS c (pod_id, day, booked)
    SELECT s.pod_id, n.day, count(*)
    FROM new_rows n JOIN centres_seat s ON s.id = n.seat_id
    WHERE n.status IN {ACTIVE}
    GROUP BY s.pod_id, n.day ORDER BY s.pod_id, n.day
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked + EXCLUDED.booked;
    RETURN NULL;
END $$;

CREATE FUNCTION bookings_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bookings_poddaycount AS c (pod_id, day, booked)
    SELECT s.pod_id, o.day, -count(*)
    FROM old_rows o JOIN centres_seat s ON s.id = o.seat_id
    WHERE o.status IN {ACTIVE}
    GROUP BY s.pod_id, o.day ORDER BY s.pod_id, o.day
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked + EXCLUDED.booked;
    RETURN NULL;
END $$;

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

CREATE TRIGGER bookings_count_insert AFTER INSERT ON bookings_seatbooking
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bookings_count_inserted();
CREATE TRIGGER bookings_count_delete AFTER DELETE ON bookings_seatbooking
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bookings_count_deleted();
CREATE TRIGGER bookings_count_update AFTER UPDATE OF status, seat_id, day
    ON bookings_seatbooking FOR EACH ROW
    WHEN ((OLD.status IN {ACTIVE}) IS DISTINCT FROM (NEW.status IN {ACTIVE})
          OR OLD.seat_id IS DISTINCT FROM NEW.seat_id OR OLD.day IS DISTINCT FROM NEW.day)
    EXECUTE FUNCTION bookings_count_updated();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS bookings_count_insert ON bookings_seatbooking;
DROP TRIGGER IF EXISTS bookings_count_delete ON bookings_seatbooking;
DROP TRIGGER IF EXISTS bookings_count_update ON bookings_seatbooking;
DROP FUNCTION IF EXISTS bookings_count_inserted();
DROP FUNCTION IF EXISTS bookings_count_deleted();
DROP FUNCTION IF EXISTS bookings_count_updated();
"""

SQLITE = [
    f"""
CREATE TRIGGER bookings_count_insert AFTER INSERT ON bookings_seatbooking
WHEN NEW.status IN {ACTIVE}
BEGIN
    INSERT INTO bookings_poddaycount (pod_id, day, booked)
    SELECT pod_id, NEW.day, 1 FROM centres_seat WHERE id = NEW.seat_id
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = booked + 1;
END
""",
    f"""
CREATE TRIGGER bookings_count_delete AFTER DELETE ON bookings_seatbooking
WHEN OLD.status IN {ACTIVE}
BEGIN
    INSERT INTO bookings_poddaycount (pod_id, day, booked)
    SELECT pod_id, OLD.day, -1 FROM centres_seat WHERE id = OLD.seat_id
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = booked - 1;
END
""",
    f"""
CREATE TRIGGER bookings_count_update AFTER UPDATE OF status, seat_id, day
ON bookings_seatbooking
BEGIN
    INSERT INTO bookings_poddaycount (pod_id, day, booked)
    SELECT pod_id, OLD.day, -1 FROM centres_seat
    WHERE id = OLD.seat_id AND OLD.status IN {ACTIVE}
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = booked - 1;
    INSERT INTO bookings_poddaycount (pod_id, day, booked)
    SELECT pod_id, NEW.day, 1 FROM centres_seat
    WHERE id = NEW.seat_id AND NEW.status IN {ACTIVE}
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = booked + 1;
END
""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS bookings_count_insert",
    "DROP TRIGGER IF EXISTS bookings_count_delete",
    "DROP TRIGGER IF EXISTS bookings_count_update",
]

# The bookings already made, counted once (a deployed database, the demo's).
FILL = f"""
INSERT INTO bookings_poddaycount (pod_id, day, booked)
SELECT s.pod_id, b.day, count(*)
FROM bookings_seatbooking b JOIN centres_seat s ON s.id = b.seat_id
WHERE b.status IN {ACTIVE}
GROUP BY s.pod_id, b.day
"""


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"no booking-count triggers for {vendor}")
    schema_editor.execute(FILL)
    if vendor == "postgresql":
        schema_editor.execute("ANALYZE bookings_poddaycount")  # plans for the new table now


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_morning_reminder"),
        ("centres", "0005_merge_check_in_code_and_rates"),
    ]

    operations = [
        migrations.CreateModel(
            name="PodDayCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("booked", models.IntegerField(default=0, verbose_name="seats booked")),
                (
                    "pod",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="centres.pod",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("pod", "day"), name="one_count_per_pod_day")
                ],
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
