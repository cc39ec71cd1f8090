"""The occupancy report as an officer uses it: no command line; missing figures are
computed on a worker at the press of a button, and the page says when they are ready;
closed days are shown as closed, not as 0 %."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings import tasks
from bookings.models import OccupancyDaily
from bookings.operations import occupancy
from centres.models import CentreClosure
from tests.support.factories import PodFactory, SeatBookingFactory
from tests.support.second_factor import force_login_staff
from wnh import weekdays

REPORT = "admin:bookings_occupancy_report"


@pytest.fixture
def week(centre, today):
    """Seven days ending yesterday; the centre opens Monday to Saturday and closed one of
    its open days for a holiday; one booking a day."""
    centre.open_weekdays = weekdays.MONDAY_TO_SATURDAY
    centre.save(update_fields=["open_weekdays"])
    pod = PodFactory(centre=centre, capacity=4)
    first, last = today - timedelta(days=7), today - timedelta(days=1)
    days = [first + timedelta(days=n) for n in range(7)]
    holiday = next(d for d in days if d.weekday() < 5)
    CentreClosure.objects.create(centre=centre, day=holiday, reason="Onam")
    for day in days:
        SeatBookingFactory(seat=pod.seats.first(), day=day)
    return {"first": first, "last": last, "holiday": holiday, "days": days}


def params(centre, week):
    return {"centre": centre.pk, "from": week["first"], "to": week["last"]}


def test_missing_figures_are_offered_to_be_computed_not_a_command(client, staff_user, centre, week):
    force_login_staff(client, staff_user)

    page = client.get(reverse(REPORT), params(centre, week)).content.decode()

    assert "manage.py" not in page
    assert "rollup_occupancy" not in page
    assert "have not been computed yet" in page
    assert "Compute the figures now" in page
    assert 'method="post"' in page


def test_the_button_queues_the_rollup_on_commit_and_the_page_says_when_ready(
    client, staff_user, centre, week, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, **kwargs: queued.append((task, kwargs)))
    force_login_staff(client, staff_user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse(REPORT), params(centre, week))
    assert queued == []  # nothing is sent before the request's transaction commits
    for callback in callbacks:
        callback()

    assert response.status_code == 302
    assert "requested=1" in response["Location"]
    assert queued == [
        (
            tasks.rollup_occupancy,
            {"first": week["first"].isoformat(), "last": week["last"].isoformat()},
        )
    ]
    waiting = client.get(response["Location"]).content.decode()
    assert "Computing the figures" in waiting
    assert 'http-equiv="refresh"' in waiting

    task, kwargs = queued[0]
    task.run(**kwargs)  # what the worker does with the message

    ready = client.get(response["Location"]).content.decode()
    assert "Figures computed" in ready
    assert "Computing the figures" not in ready
    assert 'http-equiv="refresh"' not in ready
    assert ready.count("<tr><td>") == 7


def test_closed_days_show_as_closed_not_as_zero(client, staff_user, centre, week):
    occupancy.rollup(first=week["first"], last=week["last"])
    force_login_staff(client, staff_user)

    response = client.get(reverse(REPORT), params(centre, week))

    series = {row.day: row for row in response.context["series"]}
    closed = {day for day, row in series.items() if row.closed}
    sunday = next(d for d in week["days"] if d.weekday() == 6)
    assert closed == {week["holiday"], sunday}
    assert response.content.decode().count("<td>Closed</td>") == 2
    assert all(row.booked == 1 for day, row in series.items() if day not in closed)
    csv_rows = client.get(reverse(REPORT), {**params(centre, week), "format": "csv"})
    assert csv_rows.content.decode().count(",closed") == 2


def test_a_districts_closed_centre_does_not_dilute_its_open_neighbour(
    client, staff_user, centre, week
):
    from tests.support.factories import CentreFactory

    shut = CentreFactory(name="Shut on Mondays", open_weekdays=weekdays.ALL_DAYS & ~1)
    PodFactory(centre=shut, capacity=12)
    occupancy.rollup(first=week["first"], last=week["last"])
    monday = next(d for d in week["days"] if d.weekday() == 0)

    report = occupancy.report(
        centres=type(centre).objects.filter(pk__in=[centre.pk, shut.pk]),
        first=monday,
        last=monday,
    )

    assert OccupancyDaily.objects.filter(centre=shut, day=monday).exists()
    if monday == week["holiday"]:
        assert report.series[0].closed
    else:
        assert report.series[0].seats == 4  # the open centre's seats only
