import io
import re

import pytest
from django.core.management import CommandError, call_command

from bookings.models import OccupancyDaily, SeatBooking
from centres.models import Centre


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["bench", "bench_rush"])
def test_the_benches_refuse_anything_but_postgresql(command):
    from unittest import mock

    from django.db import connection

    with (
        mock.patch.object(connection, "vendor", "sqlite"),
        pytest.raises(CommandError, match="PostgreSQL only"),
    ):
        call_command(command)


@pytest.mark.postgres
def test_the_bench_refuses_a_database_with_data(centre):
    with pytest.raises(CommandError, match="has centres or bookings"):
        call_command("bench", "--bookings", "100", "--centres", "2")


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_bench_reports_the_rollup_and_leaves_nothing_behind():
    out = io.StringIO()

    call_command("bench", "--bookings", "2000", "--centres", "5", stdout=out, stderr=io.StringIO())

    report = out.getvalue()
    assert "bookings loaded (2,000 over 5 days)" in report
    assert "rollup of" in report
    assert "ms" in report
    assert not Centre.objects.exists()
    assert not SeatBooking.objects.exists()
    assert not OccupancyDaily.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rush_bench_books_every_seat_it_can_and_leaves_nothing_behind():
    from accounts.models import User

    out = io.StringIO()

    call_command(
        "bench_rush",
        *("--centres", "1", "--people", "100", "--threads", "4", "--popular", "1"),
        stdout=out,
        stderr=io.StringIO(),
    )

    report = out.getvalue()
    # 100 people for one centre's 80 seats: every seat taken, the other 20 told it is full.
    assert re.search(r"bookings made \(checked in the database\)\s+80\n", report)
    assert "no_free_seat 20" in report
    assert "booking call latency p50 / p95 / p99" in report
    assert not Centre.objects.filter(slug__startswith="rush-centre-").exists()
    assert not User.objects.filter(email__endswith="@rush.invalid").exists()
    assert not SeatBooking.objects.exists()
