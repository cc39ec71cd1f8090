"""The nightly demand task: searches copied from Redis idempotently, old records deleted once
rolled up (WNH_DEMAND_RECORDS_DAYS), the daily figures kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import tasks
from bookings.core import demand as recorded
from bookings.models import SearchDaily, TurnedAway, TurnedAwayDaily
from bookings.operations import demand
from tests.support.factories import CentreFactory

Kind = TurnedAway.Kind


def turned_away(centre, day, n=1):
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    TurnedAway.objects.bulk_create(
        TurnedAway(
            kind=Kind.NO_FREE_SEAT,
            centre=centre,
            district=centre.district,
            local_body=centre.local_body,
            pin_code=centre.pin_code,
            day=day,
            hour=hour,
        )
        for _ in range(n)
    )


def search(day, field="home|691506", n=1):
    client = recorded.search_counter()
    client.hincrby(recorded.SEARCHES_KEY.format(day=day.isoformat()), field, n)
    client.sadd(recorded.SEARCH_DAYS_KEY, day.isoformat())


def searches():
    return sorted(SearchDaily.objects.values_list("pk", "day", "kind", "pin_code", "searches"))


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_copying_the_searches_twice_leaves_the_same_rows(db, today):
    search(today, n=3)
    search(today + timedelta(days=1), "point|9.00|76.77", n=2)
    search(today + timedelta(days=1), "no_place")

    assert demand.flush_searches() == 3
    first = searches()
    assert demand.flush_searches() == 0
    assert searches() == first
    assert {(day, kind, pin, n) for _, day, kind, pin, n in first} == {
        (today, "home", "691506", 3),
        (today + timedelta(days=1), "point", "691506", 2),
        (today + timedelta(days=1), "no_place", "", 1),
    }


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_more_searches_the_next_night_set_the_row_to_the_new_count(db, today):
    search(today, n=3)
    demand.flush_searches()
    search(today, n=4)

    assert demand.flush_searches() == 1
    assert SearchDaily.objects.get().searches == 7


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_two_points_of_one_pin_area_add_up_in_its_row(db, today):
    search(today, "point|9.00|76.77", n=2)
    search(today, "point|9.01|76.77", n=5)

    demand.flush_searches()

    assert SearchDaily.objects.get(kind="point").searches == 7


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_a_search_counter_expires_after_the_records_period(db, settings, today):
    settings.WNH_DEMAND_RECORDS_DAYS = 30
    recorded.searched(user=None, latitude=None, longitude=None, day=today)

    client = recorded.search_counter()
    expires = client.expiretime(recorded.SEARCHES_KEY.format(day=today.isoformat()))
    expected = timezone.now() + timedelta(days=31)
    assert abs(expires - expected.timestamp()) < 2 * 24 * 3600


def test_old_records_are_deleted_once_rolled_up_and_their_figures_stay(db, settings, today):
    settings.WNH_DEMAND_RECORDS_DAYS = 30
    centre = CentreFactory()
    old, recent = today - timedelta(days=31), today - timedelta(days=29)
    turned_away(centre, old, 3)  # never rolled up yet
    turned_away(centre, recent, 2)

    assert demand.delete_old_records() == 3

    assert list(TurnedAway.objects.values_list("day", flat=True)) == [recent] * 2
    assert TurnedAwayDaily.objects.get(day=old).people == 3
    assert demand.delete_old_records() == 0


def test_a_rollup_never_reaches_back_past_the_deleted_records(db, settings, today):
    settings.WNH_DEMAND_RECORDS_DAYS = 30
    centre = CentreFactory()
    old = today - timedelta(days=40)
    turned_away(centre, old, 3)
    demand.delete_old_records()

    # Its records are gone; re-counting the day would wipe its figure.
    assert demand.rollup(first=old, last=today) == 0
    assert TurnedAwayDaily.objects.get(day=old).people == 3


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_the_nightly_task_rolls_up_copies_and_deletes_and_a_second_run_does_nothing(
    db, settings, today
):
    settings.WNH_DEMAND_RECORDS_DAYS = 30
    centre = CentreFactory()
    turned_away(centre, today, 2)
    turned_away(centre, today - timedelta(days=45), 1)
    search(today, n=4)

    assert tasks.rollup_turned_away() > 0
    assert tasks.rollup_turned_away() == 0

    assert TurnedAway.objects.filter(day__lt=today - timedelta(days=30)).count() == 0
    assert TurnedAwayDaily.objects.get(day=today).people == 2
    assert SearchDaily.objects.get(day=today).searches == 4


def test_a_records_period_under_a_week_stops_the_start():
    import os
    import subprocess
    import sys

    from tests import ROOT_DIR

    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "wnh.settings",
            "DJANGO_DEBUG": "true",
            "WNH_DEMAND_RECORDS_DAYS": "3",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "WNH_DEMAND_RECORDS_DAYS must be at least 7." in result.stderr
