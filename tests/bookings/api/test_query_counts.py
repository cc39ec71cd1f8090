"""The API's lists and a centre's answers cost the same queries whatever their length: a page
of 3 members, reservations or bookings as many as a page of 40 (and a centre of 2 pods as one
of 12)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.api.tokens import create_token
from bookings.core.services import book_seat
from bookings.models import PodReservation
from companies.models import ApiToken
from tests.support.factories import CentreFactory, MembershipFactory, PodFactory
from wnh import weekdays

pytestmark = pytest.mark.django_db


def queries(client: Client, path: str, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(path, **extra)
    assert answer.status_code == 200, answer.content[:300]
    return len(captured)


def company_world(company_a, admin_a, n: int, first_day):
    """n members, n reservation requests and a read token of company A."""
    for i in range(n):
        MembershipFactory(company=company_a)
        pod = PodFactory(centre=CentreFactory(), capacity=4)
        PodReservation.objects.create(
            company=company_a,
            pod=pod,
            first_day=first_day + timedelta(days=i),
            last_day=first_day + timedelta(days=i),
            weekdays=weekdays.ALL_DAYS,
            requested_by=admin_a,
        )
    return create_token(user=admin_a, company=company_a, scope=ApiToken.Scope.READ, name="r")[1]


@pytest.mark.parametrize("name", ["api-v1-members", "api-v1-reservations"])
def test_a_company_list_costs_the_same_for_3_rows_or_40(
    name, company_a, admin_a, company_b, next_open_day
):
    small = company_world(company_a, admin_a, 3, next_open_day)
    path = reverse(name, kwargs={"slug": company_a.slug})
    header = {"HTTP_AUTHORIZATION": f"Token {small}"}
    Client().get(path, **header)  # the token's first use writes its last-used time
    few = queries(Client(), path, **header)
    company_world(company_a, admin_a, 37, next_open_day)
    many = queries(Client(), path, **header)
    print(f"{name}: {few} queries for a page of 4 rows, {many} for a page of 41")
    assert few == many


def test_my_bookings_cost_the_same_for_3_or_30(professional, next_open_day):
    client = Client()
    client.force_login(professional)
    days = [next_open_day + timedelta(days=i) for i in range(60)]

    def book(n: int):
        booked = 0
        for day in days:
            centre = CentreFactory(open_weekdays=weekdays.ALL_DAYS)
            seat = PodFactory(centre=centre, capacity=4).seats.first()
            if professional.seat_bookings.filter(day=day).exists():
                continue
            book_seat(user=professional, seat=seat, day=day)
            booked += 1
            if booked == n:
                return

    book(3)
    few = queries(client, reverse("api-v1-bookings"))
    book(27)
    many = queries(client, reverse("api-v1-bookings"))
    assert few == many


def test_a_centre_and_its_seat_map_cost_the_same_for_2_pods_or_12(professional, next_open_day):
    client = Client()
    client.force_login(professional)
    centre = CentreFactory(open_weekdays=weekdays.ALL_DAYS)
    for _ in range(2):
        PodFactory(centre=centre, capacity=4)
    detail = reverse("api-v1-centre", kwargs={"slug": centre.slug})
    seat_map = reverse("api-v1-seat-map", kwargs={"slug": centre.slug})
    few = (queries(client, detail), queries(client, f"{seat_map}?day={next_open_day}"))
    for _ in range(10):
        PodFactory(centre=centre, capacity=12)
    many = (queries(client, detail), queries(client, f"{seat_map}?day={next_open_day}"))
    assert few == many
