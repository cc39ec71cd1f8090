import io

import pytest
from django.core.management import CommandError, call_command

from bookings.models import OccupancyDaily, SeatBooking
from centres.models import Centre


@pytest.mark.django_db
def test_the_bench_refuses_sqlite(settings):
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("runs where the tests run on SQLite")
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("bench")


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
