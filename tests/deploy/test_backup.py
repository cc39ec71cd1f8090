"""Backups restore: the commands of docs/operations.md ("Backups and restore") dump a seeded
database with pg_dump, restore it into a fresh one with pg_restore, and every table (the
bookings, the pod reservations and their days, audit rows, sessions, schedules) holds the
same rows, and every sequence the same next value, so new bookings do not collide."""

import shutil
import subprocess
import uuid
from datetime import timedelta

import psycopg2
import pytest
from django.db import connection

from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.core.services import book_seat, cancel_booking
from bookings.models import PodReservation, ReservedPodDay, SeatBooking
from tests.support.factories import PodFactory, UserFactory
from wnh import weekdays

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore"),
]


def libpq_args(name: str) -> list[str]:
    db = connection.settings_dict
    return ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)] + [
        "--username",
        db["USER"] or "postgres",
        "--dbname",
        name,
    ]


def connect(name: str):
    db = connection.settings_dict
    return psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname=name,
    )


def fingerprint(name: str) -> dict[str, tuple]:
    """Per table: the row count and an md5 of all its rows; per sequence: its last value."""
    with connect(name) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608 - names from pg_tables
                f'FROM "{table}" t'
            )
            result[table] = cursor.fetchone()
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        )
        result.update({f"sequence {name}": (value,) for name, value in cursor.fetchall()})
    db.close()
    return result


def rows(name: str, sql: str) -> list[tuple]:
    with connect(name) as db, db.cursor() as cursor:
        cursor.execute(sql)
        found = cursor.fetchall()
    db.close()
    return found


@pytest.fixture
def seeded(centre, company, company_admin, staff_user, professional, other_professional, today):
    """Bookings (one cancelled), a confirmed pod reservation with its days, staff history."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    centre.open_weekdays = weekdays.ALL_DAYS
    centre.save(update_fields=["open_weekdays"])
    pod, company_pod = PodFactory(centre=centre, code="A"), PodFactory(centre=centre, code="B")
    day = today + timedelta(days=2)
    book_seat(user=professional, seat=pod.seats.get(position=1), day=day)
    cancelled = book_seat(user=other_professional, seat=pod.seats.get(position=2), day=day)
    cancel_booking(booking=cancelled, by=other_professional)
    book_seat(user=UserFactory(), seat=pod.seats.get(position=2), day=day)
    reservation = request_pod_reservation(
        company=company,
        pod=company_pod,
        first_day=day,
        last_day=day + timedelta(days=6),
        weekday_mask=weekdays.ALL_DAYS,
        requested_by=company_admin,
    )
    if reservation.status != PodReservation.Status.CONFIRMED:
        confirm_pod_reservation(reservation=reservation, decided_by=staff_user)
    # The admin's own history of staff changes (the audit rows this branch has).
    LogEntry.objects.create(
        user=staff_user,
        content_type=ContentType.objects.get_for_model(reservation),
        object_id=str(reservation.pk),
        object_repr=str(reservation),
        action_flag=CHANGE,
        change_message="Confirmed",
    )
    assert SeatBooking.objects.count() == 3
    assert ReservedPodDay.objects.count() == 7
    return day


def test_a_dump_restores_into_a_fresh_database_with_the_same_rows(seeded, tmp_path):
    source = connection.settings_dict["NAME"]
    fresh = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "wnh.dump"
    # docs/operations.md: the nightly dump ...
    subprocess.run(  # noqa: S603 - our own arguments
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)] + libpq_args(source),
        check=True,
    )
    # ... and the restore into a new, empty database.
    subprocess.run(  # noqa: S603
        ["createdb"] + libpq_args(fresh)[:-2] + [fresh], check=True
    )
    try:
        subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "--exit-on-error", "--jobs", "2"]
            + libpq_args(fresh)
            + [str(dump)],
            check=True,
        )
        before, after = fingerprint(source), fingerprint(fresh)
        assert after == before
        bookings = "SELECT id, user_id, seat_id, day, status FROM bookings_seatbooking ORDER BY id"
        assert rows(fresh, bookings) == rows(source, bookings)
        assert len(rows(fresh, bookings)) == 3
        reservations = (
            "SELECT r.id, r.status, d.day, d.pod_id FROM bookings_podreservation r "
            "JOIN bookings_reservedpodday d ON d.reservation_id = r.id ORDER BY d.day"
        )
        assert rows(fresh, reservations) == rows(source, reservations)
        assert len(rows(fresh, reservations)) == 7
        audit = "SELECT id, user_id, object_id, action_flag FROM django_admin_log ORDER BY id"
        assert rows(fresh, audit) == rows(source, audit)
        assert rows(fresh, audit)
    finally:
        subprocess.run(  # noqa: S603
            ["dropdb", "--if-exists"] + libpq_args(fresh)[:-2] + [fresh], check=True
        )
