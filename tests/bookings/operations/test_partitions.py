"""The bookings tables split by month on PostgreSQL (wnh/partitioning.py and
bookings/operations/partitions.py).

Every uniqueness rule still holds across the months; a day no month holds lands in the
default partition and moves into its month when that is made, unseen by the counts and the
history; old months are detached into the archive schema; the migration goes both ways with
every row, id and count kept; an index left without its partitions' copies is completed.
"""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bookings.core import services
from bookings.models import PodDayCount, ReservedPodDay, SeatBooking
from bookings.operations import partitions as booking_partitions
from bookings.operations.counts import drifted_counts
from bookings.tasks import maintain_partitions
from tests.support.factories import SeatBookingFactory, UserFactory
from wnh import partitioning as partitions

pytestmark = [pytest.mark.postgres]

TABLE = SeatBooking._meta.db_table


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("partitions are PostgreSQL's")


def where_is(booking) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s",  # noqa: S608
            [booking.pk],
        )
        return cursor.fetchone()[0]


def events_of(booking) -> list[str]:
    return list(booking.events.order_by("pgh_id").values_list("pgh_label", flat=True))


def count_of(seat, day) -> int | None:
    row = PodDayCount.objects.filter(pod=seat.pod, day=day).first()
    return row.booked if row else None


def test_every_table_is_split_by_month_from_now_to_a_year_ahead_with_a_default(today):
    for table in booking_partitions.TABLES:
        with connection.cursor() as cursor:
            assert partitions.is_partitioned(cursor, table)
            held = partitions.partitions(cursor, table)
        months = [p.first for p in held if not p.is_default]
        assert months == sorted(months)
        for month in booking_partitions.months_ahead(today):
            assert month in months, (table, month)
        assert [p.name for p in held if p.is_default] == [partitions.default_name(table)]


def test_a_booking_goes_to_its_month(seat, professional, next_open_day):
    booking = services.book_seat(user=professional, seat=seat, day=next_open_day)
    assert where_is(booking) == partitions.partition_name(
        TABLE, partitions.month_start(next_open_day)
    )


@pytest.mark.parametrize("month_apart", [0, 1, 40])
def test_a_seat_and_a_person_hold_one_active_booking_a_day_in_any_month(
    seat, professional, other_professional, today, month_apart
):
    # Today, next month, and beyond every month made (the default partition).
    day = partitions.add_months(partitions.month_start(today), month_apart) + timedelta(days=20)
    SeatBookingFactory(user=professional, seat=seat, day=day)
    with (
        pytest.raises(IntegrityError, match="one_active_booking_per_seat_day"),
        transaction.atomic(),
    ):
        SeatBookingFactory(user=other_professional, seat=seat, day=day)
    other_seat = seat.pod.seats.exclude(pk=seat.pk).first()
    with (
        pytest.raises(IntegrityError, match="one_active_booking_per_person_day"),
        transaction.atomic(),
    ):
        SeatBookingFactory(user=professional, seat=other_seat, day=day)
    # A cancelled booking holds nothing: the seat is booked again that day.
    SeatBooking.objects.filter(seat=seat, day=day).update(
        status="cancelled", cancelled_at=timezone.now()
    )
    SeatBookingFactory(user=other_professional, seat=seat, day=day)
    assert SeatBooking.objects.filter(seat=seat, day=day).count() == 2


def test_a_day_beyond_the_months_made_lands_in_the_default_and_moves_into_its_month_unseen(
    seat, professional, today, settings
):
    # Beyond the year made ahead (even if the test database was made on a later real day).
    far = partitions.add_months(partitions.month_start(today), 40) + timedelta(days=4)
    booking = SeatBookingFactory(user=professional, seat=seat, day=far)
    assert where_is(booking) == partitions.default_name(TABLE)
    assert count_of(seat, far) == 1
    assert events_of(booking) == ["insert"]

    # Forty months on, the nightly task makes that month: the booking moves into it.
    done = booking_partitions.maintain(today=far - timedelta(days=60))
    month = partitions.partition_name(TABLE, partitions.month_start(far))
    assert month in done.created
    assert where_is(booking) == month
    booking.refresh_from_db()
    assert booking.status == "booked"
    assert booking.day == far
    assert count_of(seat, far) == 1  # neither a delete nor an insert for the counts
    assert events_of(booking) == ["insert"]  # nor for the history
    assert done.in_default[TABLE] == 0
    # Its uniqueness rules hold in the month it moved to.
    with (
        pytest.raises(IntegrityError, match="one_active_booking_per_seat_day"),
        transaction.atomic(),
    ):
        SeatBookingFactory(user=UserFactory(), seat=seat, day=far)


def test_the_nightly_task_is_idempotent_and_makes_the_months_ahead(today, settings):
    # The test database was migrated on the real day: the months it lacks are counted.
    settings.WNH_PARTITION_MONTHS_AHEAD = 30
    wanted = booking_partitions.months_ahead(today)
    with connection.cursor() as cursor:
        missing = [
            m
            for table in booking_partitions.TABLES
            for m in set(wanted) - {p.first for p in partitions.partitions(cursor, table)}
        ]
    assert missing
    assert maintain_partitions()["created"] == len(missing)
    again = maintain_partitions()
    assert again == {"created": 0, "detached": 0, "indexes": 0, "in_default": 0}
    with connection.cursor() as cursor:
        for table in booking_partitions.TABLES:
            months = {p.first for p in partitions.partitions(cursor, table)}
            assert set(wanted) <= months


def test_months_older_than_the_online_period_are_detached_into_the_archive(
    seat, professional, today, settings
):
    settings.WNH_PARTITION_ONLINE_MONTHS = 13
    old_day = partitions.add_months(partitions.month_start(today), -2) + timedelta(days=9)
    old = SeatBookingFactory(user=professional, seat=seat, day=old_day, status="checked_in")
    kept = SeatBookingFactory(user=professional, seat=seat, day=today)

    # Fourteen months on, the month of the old booking is past the online period.
    later = partitions.add_months(partitions.month_start(today), 12)
    done = booking_partitions.maintain(today=later)
    old_month = partitions.partition_name(TABLE, partitions.month_start(old_day))
    assert old_month in done.detached
    assert not SeatBooking.objects.filter(pk=old.pk).exists()
    assert SeatBooking.objects.filter(pk=kept.pk).exists()
    with connection.cursor() as cursor:
        assert old_month in partitions.archived(cursor, TABLE)
        # Archived, not deleted: the row is in the archive schema, and no delete was recorded.
        cursor.execute(
            f"SELECT status FROM archive.{old_month} WHERE id = %s",  # noqa: S608
            [old.pk],
        )
        assert cursor.fetchone() == ("checked_in",)
        # A record on its own: no foreign key holds the live seats, people or companies.
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = %s::regclass",
            [f"archive.{old_month}"],
        )
        assert cursor.fetchone() == (0,)
    assert events_of(old) == ["insert"]
    # Months of the other tables went with it.
    assert (
        partitions.partition_name(ReservedPodDay._meta.db_table, partitions.month_start(old_day))
        in done.detached
    )


def test_nothing_is_detached_when_the_online_period_is_zero(seat, professional, today, settings):
    settings.WNH_PARTITION_ONLINE_MONTHS = 0
    SeatBookingFactory(user=professional, seat=seat, day=today - timedelta(days=40))
    done = booking_partitions.maintain(today=today + timedelta(days=3000))
    assert done.detached == []


def test_a_booking_moved_to_another_month_is_counted_where_it_went(seat, professional, today):
    here = today + timedelta(days=1)
    there = partitions.add_months(partitions.month_start(today), 1) + timedelta(days=2)
    booking = services.book_seat(user=professional, seat=seat, day=here)
    SeatBooking.objects.filter(pk=booking.pk).update(day=there)
    assert where_is(booking) == partitions.partition_name(TABLE, partitions.month_start(there))
    assert count_of(seat, here) == 0
    assert count_of(seat, there) == 1
    assert drifted_counts(first=today, last=there) == []


def test_an_index_rebuilt_on_the_parent_only_is_completed_for_every_partition(
    seat, professional, next_open_day
):
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX one_active_booking_per_seat_day")
        # As a bulk loader rebuilds it from pg_get_indexdef: "ON ONLY", no partition has it.
        cursor.execute(
            f"CREATE UNIQUE INDEX one_active_booking_per_seat_day ON ONLY {TABLE} (seat_id, day) "
            "WHERE status IN ('booked', 'checked_in')"
        )
        made = partitions.complete_indexes(cursor, TABLE)
        assert len(made) == len(partitions.partitions(cursor, TABLE))
        cursor.execute(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = "
            "'one_active_booking_per_seat_day'::regclass"
        )
        assert cursor.fetchone() == (True,)
    SeatBookingFactory(user=professional, seat=seat, day=next_open_day)
    with (
        pytest.raises(IntegrityError, match="one_active_booking_per_seat_day"),
        transaction.atomic(),
    ):
        SeatBookingFactory(user=UserFactory(), seat=seat, day=next_open_day)


@pytest.mark.django_db(transaction=True)
def test_the_migration_goes_back_and_forth_keeping_every_row_id_and_count(
    seat, professional, other_professional, today
):
    days = [today + timedelta(days=n) for n in (1, 2, 40)] + [date(2031, 5, 6)]
    made = [SeatBookingFactory(user=professional, seat=seat, day=day) for day in days]
    SeatBookingFactory(user=other_professional, seat=seat, day=days[0], status="cancelled")
    before = sorted(SeatBooking.objects.values_list("id", "day", "status", "user_id"))
    counts = sorted(PodDayCount.objects.values_list("pod_id", "day", "booked"))

    call_command("migrate", "bookings", "0004", verbosity=0)
    with connection.cursor() as cursor:
        assert not partitions.is_partitioned(cursor, TABLE)
    assert sorted(SeatBooking.objects.values_list("id", "day", "status", "user_id")) == before
    other_seat = seat.pod.seats.exclude(pk=seat.pk).first()
    unpartitioned = SeatBookingFactory(user=other_professional, seat=other_seat, day=days[1])
    assert unpartitioned.pk > max(b.pk for b in made)

    call_command("migrate", "bookings", verbosity=0)
    with connection.cursor() as cursor:
        assert partitions.is_partitioned(cursor, TABLE)
        months = {p.first for p in partitions.partitions(cursor, TABLE) if not p.is_default}
    assert date(2031, 5, 1) in months  # a month that held a row was made for it
    after = sorted(SeatBooking.objects.values_list("id", "day", "status", "user_id"))
    assert after == sorted([*before, (unpartitioned.pk, days[1], "booked", other_professional.pk)])
    assert sorted(PodDayCount.objects.values_list("pod_id", "day", "booked")) == sorted(
        [(p, d, n + 1 if d == days[1] else n) for p, d, n in counts]
    )
    # The id sequence goes on from the highest id; the rules still hold.
    assert SeatBookingFactory(user=UserFactory(), seat=seat, day=days[2] + timedelta(days=1)).pk > (
        unpartitioned.pk
    )
    with pytest.raises(IntegrityError, match="one_active_booking_per_seat_day"):
        SeatBookingFactory(user=UserFactory(), seat=seat, day=days[0])


def test_the_command_lists_the_months_and_maintains_them(today, settings, capsys):
    settings.WNH_PARTITION_MONTHS_AHEAD = 24
    call_command("partitions", "--maintain")
    out = capsys.readouterr().out
    assert out.startswith("created ")
    assert f"{TABLE}: " in out
    assert "0 rows in the default partition" in out
    call_command("partitions")
    assert "0 months in the archive schema" in capsys.readouterr().out


def test_a_scrape_shows_rows_in_the_default_partition_and_the_months_ahead(
    client, seat, professional, today, settings
):
    from tests.wnh.test_metrics import scrape, value

    assert value(scrape(client), "wnh_partition_default_rows") == 0
    ahead = value(scrape(client), "wnh_partition_months_ahead")
    assert ahead >= settings.WNH_PARTITION_MONTHS_AHEAD - 1  # the test database's real month
    SeatBookingFactory(
        user=professional, seat=seat, day=partitions.add_months(today, 40).replace(day=3)
    )
    # The booking and its pod-day count.
    assert value(scrape(client), "wnh_partition_default_rows") == 2


@pytest.mark.django_db(transaction=True)
def test_bookings_written_while_their_month_is_made_all_land_in_it(today, settings):
    from tests.conftest import race
    from tests.support.factories import CentreFactory, PodFactory

    settings.WNH_PARTITION_ONLINE_MONTHS = 0  # forty months on, nothing is detached
    far = partitions.add_months(partitions.month_start(today), 40) + timedelta(days=9)
    seats = list(PodFactory(centre=CentreFactory(), capacity=12).seats.all())
    people = [UserFactory() for _ in seats]
    # The default partition already holds one booking of that month: making it moves rows.
    SeatBookingFactory(user=people[0], seat=seats[0], day=far)

    def attempt(i):
        if i == 0:
            return booking_partitions.maintain(today=far - timedelta(days=30))
        return SeatBookingFactory(user=people[i], seat=seats[i], day=far + timedelta(days=i % 3))

    results = race(len(seats), attempt)

    assert [r for r in results if isinstance(r, Exception)] == []
    booked = SeatBooking.objects.filter(day__gte=far, day__lt=far + timedelta(days=3))
    assert booked.count() == len(seats)
    month = partitions.partition_name(TABLE, partitions.month_start(far))
    assert {where_is(b) for b in booked} == {month}
    assert drifted_counts(first=far, last=far + timedelta(days=3)) == []
    assert sum(PodDayCount.objects.filter(day__gte=far).values_list("booked", flat=True)) == 12
