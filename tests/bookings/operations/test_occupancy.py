import csv
import io
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command

from bookings.models import OccupancyDaily, PodReservation, ReservedPodDay
from bookings.operations import occupancy
from centres.models import Centre, District
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    PodFactory,
    SeatBookingFactory,
    UserFactory,
)
from tests.support.second_factor import log_in_staff

STATUSES = ["booked", "checked_in", "no_show", "cancelled"]


@pytest.fixture
def seeded_month(db, today):
    """Two centres in two districts, a random month of bookings and reserved pod days."""
    rng = random.Random(20260119)
    first = today.replace(day=1) - timedelta(days=40)
    days = [first + timedelta(days=i) for i in range(30)]
    kottarakkara = CentreFactory(name="Kottarakkara", district=District.KOLLAM)
    kalamassery = CentreFactory(name="Kalamassery", district=District.ERNAKULAM)
    CentreFactory(name="Planned one", status=Centre.Status.PLANNED)  # no rows for it
    pods = [
        PodFactory(centre=kottarakkara, capacity=6),
        PodFactory(centre=kottarakkara, capacity=4),
        PodFactory(centre=kalamassery, capacity=8),
    ]
    retired = pods[1].seats.get(position=4)
    retired.is_active = False  # an inactive seat does not count among the seats
    retired.save()
    people = [UserFactory() for _ in range(30)]
    company = CompanyFactory()
    for day in days:
        for pod in pods:
            for seat in pod.seats.all():
                roll = rng.random()
                if roll < 0.35:
                    continue
                status = rng.choice(STATUSES)
                person = people[rng.randrange(len(people))]
                if (
                    status != "cancelled"
                    and SeatBookingFactory._meta.model.objects.filter(
                        user=person, day=day, status__in=["booked", "checked_in"]
                    ).exists()
                ):
                    status = "cancelled"
                SeatBookingFactory(user=person, seat=seat, day=day, status=status)
        if rng.random() < 0.5:
            reservation = PodReservation.objects.create(
                company=company, pod=pods[0], first_day=day, last_day=day
            )
            ReservedPodDay.objects.create(
                pod=pods[0],
                day=day,
                reservation=reservation,
                company=company,
                cancelled_at=None if rng.random() < 0.8 else reservation.created_at,
            )
    return {"first": days[0], "last": days[-1], "centres": [kottarakkara, kalamassery]}


def expected_figures(centre, day):
    """Counted one row at a time in Python, independently of the rollup's SQL."""
    from bookings.models import SeatBooking

    bookings = Counter(
        SeatBooking.objects.filter(seat__pod__centre=centre, day=day).values_list(
            "status", flat=True
        )
    )
    seats = sum(
        1
        for pod in centre.pods.all()
        for seat in pod.seats.all()
        if seat.is_active and pod.is_active
    )
    return {
        "seats": seats,
        "booked": bookings["booked"] + bookings["checked_in"] + bookings["no_show"],
        "checked_in": bookings["checked_in"],
        "no_shows": bookings["no_show"],
        "cancelled": bookings["cancelled"],
        "pod_days_reserved": ReservedPodDay.objects.filter(
            pod__centre=centre, day=day, cancelled_at__isnull=True
        ).count(),
    }


def test_the_rollup_equals_the_counted_figures(seeded_month):
    written = occupancy.rollup(first=seeded_month["first"], last=seeded_month["last"])

    assert written == 60  # two open centres, 30 days; the planned centre has none
    for row in OccupancyDaily.objects.select_related("centre"):
        figures = {name: getattr(row, name) for name in occupancy.FIGURES}
        assert figures == expected_figures(row.centre, row.day), (row.centre, row.day)
    assert OccupancyDaily.objects.filter(seats=9).count() == 30  # 6 + 4 - 1 retired


def test_re_running_the_rollup_changes_nothing(seeded_month):
    occupancy.rollup(first=seeded_month["first"], last=seeded_month["last"])
    before = list(OccupancyDaily.objects.order_by("pk").values())

    again = occupancy.rollup(first=seeded_month["first"], last=seeded_month["last"])

    assert again == 0
    assert list(OccupancyDaily.objects.order_by("pk").values()) == before


def test_a_re_run_picks_up_a_late_change(seeded_month):
    occupancy.rollup(first=seeded_month["first"], last=seeded_month["last"])
    centre = seeded_month["centres"][1]
    day = seeded_month["first"]
    seat = centre.pods.get().seats.first()
    seat.bookings.filter(day=day).delete()
    SeatBookingFactory(seat=seat, day=day, status="checked_in")

    assert occupancy.rollup(first=day, last=day) == 1
    row = OccupancyDaily.objects.get(centre=centre, day=day)
    assert {n: getattr(row, n) for n in occupancy.FIGURES} == expected_figures(centre, day)


def test_the_command_rolls_up_a_range(seeded_month):
    out = io.StringIO()
    call_command(
        "rollup_occupancy",
        "--from",
        seeded_month["first"].isoformat(),
        "--to",
        (seeded_month["first"] + timedelta(days=4)).isoformat(),
        stdout=out,
    )

    assert OccupancyDaily.objects.count() == 10
    assert "10 rows" in out.getvalue()


def test_the_nightly_task_rolls_up_yesterday(seeded_month, today):
    from bookings.tasks import rollup_occupancy

    assert rollup_occupancy.run() == 2
    assert set(OccupancyDaily.objects.values_list("day", flat=True)) == {today - timedelta(days=1)}


@pytest.fixture
def kdisc_client(client, staff_user):
    log_in_staff(client, staff_user)
    return client


def test_staff_see_a_centres_occupancy_chart(kdisc_client, seeded_month):
    occupancy.rollup(first=seeded_month["first"], last=seeded_month["last"])
    centre = seeded_month["centres"][0]

    response = kdisc_client.get(
        "/admin/bookings/occupancydaily/report/",
        {"centre": centre.pk, "from": seeded_month["first"], "to": seeded_month["last"]},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert "<polyline" in page
    assert "<script" not in page.split("<svg")[1].split("</svg>")[0]
    assert page.count("<tr><td>") == 30


def test_staff_download_a_districts_occupancy_as_csv(kdisc_client, seeded_month):
    occupancy.rollup(first=seeded_month["first"], last=seeded_month["last"])

    response = kdisc_client.get(
        "/admin/bookings/occupancydaily/report/",
        {
            "district": "EKM",
            "from": seeded_month["first"],
            "to": seeded_month["last"],
            "format": "csv",
        },
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 30
    centre = seeded_month["centres"][1]
    first = rows[0]
    expected = expected_figures(centre, seeded_month["first"])
    assert int(first["booked"]) == expected["booked"]
    assert int(first["seats"]) == 8


def test_the_occupancy_pages_are_for_staff_only(client, professional):
    client.force_login(professional)

    response = client.get("/admin/bookings/occupancydaily/report/")

    assert response.status_code == 302  # to the admin login
