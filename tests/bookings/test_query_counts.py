"""SQL queries per request of the pages the evening rush uses, at two sizes of network.

A page's query count must not grow with the centres, pods or bookings: the same pages are
asked on a small network and on one ten times larger with thousands of bookings, and the
counts must be equal (and, for a booking, at most eight). The counts are printed, so a
change that adds a query shows in the test's output as well as failing it.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from bookings.models import SeatBooking
from centres.models import Seat
from tests.support.factories import CentreFactory, PodFactory, UserFactory

pytestmark = pytest.mark.django_db

BOOKING_MAX_QUERIES = 8
HOME = (Decimal("9.000000"), Decimal("76.770000"))


def build_network(*, centres: int, days: list, people: int) -> list:
    """`centres` open centres around the home (a few km apart) of three pods each, and a
    booking on most seats on each of `days`, made in bulk."""
    made = []
    for i in range(centres):
        centre = CentreFactory(
            latitude=HOME[0] + Decimal(i % 10) / 50, longitude=HOME[1] + Decimal(i // 10) / 50
        )
        for capacity in (4, 8, 12):
            PodFactory(centre=centre, capacity=capacity)
        made.append(centre)
    User.objects.bulk_create(
        User(email=f"crowd{n}-{centres}@example.com", full_name=f"Crowd {n}") for n in range(people)
    )
    crowd = list(
        User.objects.filter(email__endswith=f"-{centres}@example.com").values_list("pk", flat=True)
    )
    seats = list(
        Seat.objects.filter(pod__centre__in=made).order_by("pk").values_list("pk", flat=True)
    )
    for n, day in enumerate(days):
        SeatBooking.objects.bulk_create(
            SeatBooking(seat_id=seat, user_id=crowd[(i + n) % len(crowd)], day=day)
            for i, seat in enumerate(seats[: len(crowd)])
            if (i + n) % 5  # a fifth of the seats stay free
        )
    return made


def _last(sql: str) -> str:
    return sql.rsplit("; ", 1)[-1].strip()


def count_queries(client, method: str, url: str, data=None) -> tuple[int, list[str]]:
    call = getattr(client, method)
    kwargs = {"content_type": "application/json"} if method == "post" else {}
    call(url, data, **kwargs)  # once to warm what the process caches
    with CaptureQueriesContext(connection) as captured:
        response = call(url, data, **kwargs)
    assert response.status_code in (200, 201), response.content[:300]
    return len(captured), [q["sql"] for q in captured]


def page_counts(client, person, centres, day) -> dict[str, int]:
    centre = centres[len(centres) // 2]
    counts = {}
    for name, url in [
        ("GET /api/centres/", f"{reverse('api-centres')}?day={day}"),
        ("GET /api/centres/?radius=20", f"{reverse('api-centres')}?day={day}&radius=20"),
        ("GET /centres/", f"{reverse('centres:list')}?day={day}"),
        ("GET /centres/<slug>/", f"{centre.get_absolute_url()}?day={day}"),
    ]:
        counts[name], _ = count_queries(client, "get", url)
    # The seat map rendered afresh (its page not in the cache, as after any write there).
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(f"{centre.get_absolute_url()}?day={day}")
    counts["GET /centres/<slug>/ afresh"] = len(captured)
    free_seat = (
        Seat.objects.filter(pod__centre=centre)
        .exclude(bookings__day=day, bookings__status__in=SeatBooking.ACTIVE)
        .order_by("pk")
    )
    for name, body in [
        ("POST /api/bookings/ (any seat)", {"centre": centre.slug, "day": day.isoformat()}),
        (
            "POST /api/bookings/ (a seat)",
            {"centre": centre.slug, "day": day.isoformat(), "seat": free_seat.last().pk},
        ),
    ]:
        client.post(reverse("api-bookings"), body, content_type="application/json")
        SeatBooking.objects.filter(user=person).delete()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(reverse("api-bookings"), body, content_type="application/json")
        assert response.status_code == 201, response.content
        # The test runs in a transaction, so the booking's own transaction is a savepoint
        # here (BEGIN and COMMIT in production, which are not counted): leave out that one
        # pair, and only that one.
        statements = [q["sql"] for q in captured]
        # The audit history (pghistory) puts its context in front of a write, in the same
        # round trip: "SELECT set_config(...); SAVEPOINT ...". The statement is what follows.
        savepoints = [sql for sql in statements if _last(sql).startswith("SAVEPOINT")]
        assert len(savepoints) == 1, "\n".join(s[:90] for s in statements)
        counts[name] = len(statements) - 2
        SeatBooking.objects.filter(user=person).delete()
    return counts


@pytest.fixture
def person(db):
    person = UserFactory(home_latitude=HOME[0], home_longitude=HOME[1], home_place="Kottarakkara")
    return person


def test_every_rush_page_makes_as_many_queries_on_a_large_network_as_on_a_small_one(
    client, person, next_open_day, capsys
):
    client.force_login(person)
    days = [next_open_day + timedelta(days=n) for n in range(0, 10)]
    small = build_network(centres=2, days=days[:1], people=30)
    small_counts = page_counts(client, person, small, next_open_day)

    large = build_network(centres=30, days=days, people=700)
    large_counts = page_counts(client, person, small + large, next_open_day)

    with capsys.disabled():
        print("\nSQL queries per request (small network / large network):")
        for name, count in small_counts.items():
            print(f"  {name:34} {count:3} / {large_counts[name]:3}")
    assert SeatBooking.objects.count() > 3000
    assert small_counts == large_counts
    for name in ("POST /api/bookings/ (any seat)", "POST /api/bookings/ (a seat)"):
        assert large_counts[name] <= BOOKING_MAX_QUERIES, name
