"""The nightly rollup of people turned away: figures counted from the records, the same rows
however often it runs."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import tasks
from bookings.models import TurnedAway, TurnedAwayDaily
from bookings.operations import demand
from centres.models import District
from tests.support.factories import CentreFactory
from wnh.celery import app as celery_app

Kind = TurnedAway.Kind


@pytest.fixture
def records(db, today):
    """A fortnight of people turned away at two centres and from three home areas."""
    rng = random.Random(24)
    centres = [
        CentreFactory(name="Kottarakkara", district=District.KOLLAM),
        CentreFactory(name="Kalamassery", district=District.ERNAKULAM, pin_code="683104"),
    ]
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = []
    for _ in range(300):
        day = today - timedelta(days=rng.randrange(14))
        if rng.random() < 0.3:
            pin = rng.choice(["670141", "671121", "685501"])
            rows.append(TurnedAway(kind=Kind.NO_CENTRE_NEAR, pin_code=pin, day=day, hour=hour))
        else:
            centre = rng.choice(centres)
            kind = rng.choice([Kind.NO_FREE_SEAT, Kind.POD_RESERVED, Kind.WAITLIST_NOT_SERVED])
            rows.append(
                TurnedAway(
                    kind=kind,
                    centre=centre,
                    district=centre.district,
                    local_body=centre.local_body,
                    pin_code=centre.pin_code,
                    day=day,
                    hour=hour,
                )
            )
    TurnedAway.objects.bulk_create(rows)
    return rows


def rolled_up():
    return sorted(
        TurnedAwayDaily.objects.values_list("pk", "day", "kind", "centre_id", "pin_code", "people"),
        key=str,
    )


def test_the_rollup_counts_what_was_recorded(records, today):
    demand.rollup(first=today - timedelta(days=20), last=today)

    expected = Counter(
        (r.day, r.kind, r.centre_id, "" if r.centre_id else r.pin_code) for r in records
    )
    got = {
        (row.day, row.kind, row.centre_id, "" if row.centre_id else row.pin_code): row.people
        for row in TurnedAwayDaily.objects.all()
    }
    assert got == dict(expected)


def test_running_the_rollup_twice_leaves_the_same_rows(records, today):
    first_run = demand.rollup(first=today - timedelta(days=20), last=today)
    before = rolled_up()
    computed = set(TurnedAwayDaily.objects.values_list("computed_at", flat=True))

    second_run = demand.rollup(first=today - timedelta(days=20), last=today)

    assert first_run > 0
    assert second_run == 0
    assert rolled_up() == before
    assert set(TurnedAwayDaily.objects.values_list("computed_at", flat=True)) == computed


def test_a_new_record_changes_only_its_row_and_a_removed_one_its_row(records, today):
    demand.rollup(first=today - timedelta(days=20), last=today)
    TurnedAway.objects.create(
        kind=Kind.NO_CENTRE_NEAR, pin_code="999999", day=today, hour=timezone.now()
    )

    assert demand.rollup(first=today - timedelta(days=20), last=today) == 1
    TurnedAway.objects.filter(pin_code="999999").delete()
    assert demand.rollup(first=today - timedelta(days=20), last=today) == 1
    assert not TurnedAwayDaily.objects.filter(pin_code="999999").exists()


def test_the_nightly_task_rolls_up_the_days_recorded_since_yesterday(records, today):
    assert tasks.rollup_turned_away() > 0
    assert tasks.rollup_turned_away() == 0
    assert sum(TurnedAwayDaily.objects.values_list("people", flat=True)) == len(records)


def test_the_rollup_is_scheduled_nightly_like_the_occupancy_one(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedules", stdout=None)

    task = PeriodicTask.objects.select_related("crontab").get(name="People turned away rollup")
    assert task.task == "bookings.rollup_turned_away"
    assert (task.crontab.minute, task.crontab.hour) == ("40", "0")
    assert task.task in celery_app.tasks


def test_the_command_rolls_up_a_range_and_refuses_a_backward_one(records, today):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    first = (today - timedelta(days=20)).isoformat()
    call_command("rollup_turned_away", "--from", first, "--to", today.isoformat(), stdout=out)
    assert sum(TurnedAwayDaily.objects.values_list("people", flat=True)) == len(records)
    call_command("rollup_turned_away", "--from", first, "--to", today.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[-1].endswith(": 0 rows changed.")
    with pytest.raises(CommandError):
        call_command("rollup_turned_away", "--from", today.isoformat(), "--to", first)
