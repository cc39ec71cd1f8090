"""Versions for the cached seat map, kept by PostgreSQL triggers in the writing transaction.

A centre's seat map on a day is the same for everyone who holds no seat there that day and
is no member of a company with a pod reserved there (bookings/centre_pages/page_cache.py).
It changes only when one of these changes, and each now changes a version:

- a booking taking or giving up a seat of one of its pods that day, or a pod reserved for a
  company or given up that day: `bookings_poddaycount.version` of that pod and day, one more
  (the count triggers of 0003 and 0005 raise it as they count; a reservation's trigger makes
  the row, with no seat booked, when there is none);
- the centre itself, one of its pods or one of its seats (the admin, a bulk update, a
  fixture, a script): `centres_centre.version`, one more.

The map's cache key is the centre's version with the sum of its pods' versions that day.
Versions are only ever raised, and a pod-day row is deleted only with its pod, which raises
the centre's, so every committed write gives a key no earlier read could have stored under.
SQLite (the laptop demo) has no such triggers, and there the seat map is not cached.
"""

from django.db import migrations, models

ACTIVE = "('booked', 'checked_in')"


def count_functions(bump: bool) -> str:
    """The booking-count functions of 0003 and 0005; with `bump`, each raises the version of
    every pod-day a booking takes or gives up a seat on, even when its count ends where it
    was (a booking moved to another seat of the pod)."""
    if not bump:
        cols, one, also = "pod_id, day, booked", "", ""
        changed_body = f"""
    INSERT INTO bookings_poddaycount AS c (pod_id, day, booked)
    SELECT pod_id, day, sum(delta) FROM (
        SELECT s.pod_id, o.day, -1 AS delta
        FROM old_rows o JOIN centres_seat s ON s.id = o.seat_id WHERE o.status IN {ACTIVE}
        UNION ALL
        SELECT s.pod_id, n.day, 1
        FROM new_rows n JOIN centres_seat s ON s.id = n.seat_id WHERE n.status IN {ACTIVE}
    ) AS change
    GROUP BY pod_id, day HAVING sum(delta) <> 0 ORDER BY pod_id, day
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked + EXCLUDED.booked;"""
    else:
        cols, one, also = "pod_id, day, booked, version", ", 1", ", version = c.version + 1"
        # Only the rows whose seat, day or holding a seat changed (a reminder's mark is
        # none of these), each taking one away where it was and adding one where it is.
        changed_body = f"""
    WITH moved AS (
        SELECT o.seat_id AS old_seat, o.day AS old_day, o.status IN {ACTIVE} AS held,
               n.seat_id AS new_seat, n.day AS new_day, n.status IN {ACTIVE} AS holds
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.status IN {ACTIVE}) IS DISTINCT FROM (n.status IN {ACTIVE})
           OR o.seat_id IS DISTINCT FROM n.seat_id OR o.day IS DISTINCT FROM n.day
    )
    INSERT INTO bookings_poddaycount AS c (pod_id, day, booked, version)
    SELECT pod_id, day, sum(delta), 1 FROM (
        SELECT s.pod_id, m.old_day AS day, -1 AS delta
        FROM moved m JOIN centres_seat s ON s.id = m.old_seat WHERE m.held
        UNION ALL
        SELECT s.pod_id, m.new_day, 1
        FROM moved m JOIN centres_seat s ON s.id = m.new_seat WHERE m.holds
    ) AS change
    GROUP BY pod_id, day ORDER BY pod_id, day
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked + EXCLUDED.booked{also};"""
    return f"""
CREATE OR REPLACE FUNCTION bookings_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bookings_poddaycount AS c ({cols})
    SELECT s.pod_id, n.day, count(*){one}
    FROM new_rows n JOIN centres_seat s ON s.id = n.seat_id
    WHERE n.status IN {ACTIVE}
    GROUP BY s.pod_id, n.day ORDER BY s.pod_id, n.day
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked + EXCLUDED.booked{also};
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION bookings_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bookings_poddaycount AS c ({cols})
    SELECT s.pod_id, o.day, -count(*){one}
    FROM old_rows o JOIN centres_seat s ON s.id = o.seat_id
    WHERE o.status IN {ACTIVE}
    GROUP BY s.pod_id, o.day ORDER BY s.pod_id, o.day
    ON CONFLICT (pod_id, day) DO UPDATE SET booked = c.booked + EXCLUDED.booked{also};
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION bookings_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{changed_body}
    RETURN NULL;
END $$;
"""


VERSIONS = """
CREATE FUNCTION bookings_reserved_pod_day_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO bookings_poddaycount AS c (pod_id, day, booked, version)
        VALUES (OLD.pod_id, OLD.day, 0, 1)
        ON CONFLICT (pod_id, day) DO UPDATE SET version = c.version + 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO bookings_poddaycount AS c (pod_id, day, booked, version)
        VALUES (NEW.pod_id, NEW.day, 0, 1)
        ON CONFLICT (pod_id, day) DO UPDATE SET version = c.version + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER bookings_reserved_pod_day_version
    AFTER INSERT OR DELETE OR UPDATE OF pod_id, day, cancelled_at ON bookings_reservedpodday
    FOR EACH ROW EXECUTE FUNCTION bookings_reserved_pod_day_changed();

CREATE FUNCTION centres_centre_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER centres_centre_version BEFORE UPDATE ON centres_centre
    FOR EACH ROW EXECUTE FUNCTION centres_centre_next_version();

CREATE FUNCTION centres_pod_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE centres_centre SET version = version + 1
    WHERE id IN (
        SELECT OLD.centre_id WHERE TG_OP <> 'INSERT'
        UNION SELECT NEW.centre_id WHERE TG_OP <> 'DELETE'
    );
    RETURN NULL;
END $$;
CREATE TRIGGER centres_pod_version AFTER INSERT OR UPDATE OR DELETE ON centres_pod
    FOR EACH ROW EXECUTE FUNCTION centres_pod_changed();

CREATE FUNCTION centres_seats_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE centres_centre SET version = version + 1
    WHERE id IN (SELECT p.centre_id FROM centres_pod p WHERE p.id IN (
        SELECT pod_id FROM changed_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION centres_seats_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE centres_centre SET version = version + 1
    WHERE id IN (SELECT p.centre_id FROM centres_pod p WHERE p.id IN (
        SELECT pod_id FROM changed_rows UNION SELECT pod_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER centres_seat_insert_version AFTER INSERT ON centres_seat
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION centres_seats_changed();
CREATE TRIGGER centres_seat_delete_version AFTER DELETE ON centres_seat
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION centres_seats_changed();
CREATE TRIGGER centres_seat_update_version AFTER UPDATE ON centres_seat
    REFERENCING NEW TABLE AS changed_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION centres_seats_updated();
"""

VERSIONS_DROP = """
DROP TRIGGER IF EXISTS bookings_reserved_pod_day_version ON bookings_reservedpodday;
DROP TRIGGER IF EXISTS centres_centre_version ON centres_centre;
DROP TRIGGER IF EXISTS centres_pod_version ON centres_pod;
DROP TRIGGER IF EXISTS centres_seat_insert_version ON centres_seat;
DROP TRIGGER IF EXISTS centres_seat_delete_version ON centres_seat;
DROP TRIGGER IF EXISTS centres_seat_update_version ON centres_seat;
DROP FUNCTION IF EXISTS bookings_reserved_pod_day_changed();
DROP FUNCTION IF EXISTS centres_centre_next_version();
DROP FUNCTION IF EXISTS centres_pod_changed();
DROP FUNCTION IF EXISTS centres_seats_changed();
DROP FUNCTION IF EXISTS centres_seats_updated();
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(count_functions(bump=True) + VERSIONS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VERSIONS_DROP + count_functions(bump=False))


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0008_searches"),
        ("centres", "0013_versions"),
    ]

    operations = [
        # The column as Django would make it, but added in place: SQLite would rebuild the
        # table for an AddField, which its booking-count triggers (0003) refer to.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="poddaycount",
                    name="version",
                    field=models.BigIntegerField(db_default=0, default=0, editable=False),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE bookings_poddaycount ADD COLUMN version bigint DEFAULT 0 NOT NULL",
                    "ALTER TABLE bookings_poddaycount DROP COLUMN version",
                ),
            ],
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
