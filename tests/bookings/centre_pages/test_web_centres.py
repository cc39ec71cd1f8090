"""Centres near me, the seat map, and their query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.core.services import book_seat
from centres.models import Centre, Locality
from centres.selectors import PER_PAGE, distance_km
from tests.support.factories import CentreFactory, PodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kottarakkara_home(professional):
    home = Locality.objects.get(pin_code="691506")
    professional.home_pin_code = home.pin_code
    professional.home_place = home.name
    professional.home_latitude = home.latitude
    professional.home_longitude = home.longitude
    professional.save()
    return professional


def test_the_great_circle_distance_from_kollam_to_kottarakkara_is_about_25_km():
    assert 20 < distance_km(8.8932, 76.6141, 9.0, 76.77) < 22


def test_localities_are_shipped_for_every_district():
    assert Locality.objects.values("district").distinct().count() == 14
    assert Locality.objects.filter(pin_code="691506", name="Kottarakara").exists()


def test_it_lists_open_centres_nearest_first_with_distance_and_free_seats(
    client, kottarakkara_home, next_open_day
):
    near = CentreFactory(name="Near", latitude=Decimal("9.01"), longitude=Decimal("76.78"))
    far = CentreFactory(name="Far", latitude=Decimal("10.05"), longitude=Decimal("76.32"))
    middle = CentreFactory(name="Middle", latitude=Decimal("8.89"), longitude=Decimal("76.61"))
    PodFactory(centre=near, capacity=4)
    pod = PodFactory(centre=middle, capacity=6)
    book_seat(user=UserFactory(), seat=pod.seats.first(), day=next_open_day)
    CentreFactory(name="Soon", status=Centre.Status.PLANNED)
    client.force_login(kottarakkara_home)

    response = client.get(reverse("centres:list"), {"day": next_open_day.isoformat()})

    rows = response.context["centres"]
    assert [row.centre for row in rows] == [near, middle]
    assert [row.free_seats for row in rows] == [4, 5]
    assert rows[0].distance_km < 2
    assert [row.centre.name for row in response.context["coming"]] == ["Soon"]
    assert "km" in response.content.decode()
    # Kochi is beyond the longest commute: on the next page, "further away".
    assert "More centres further away" in response.content.decode()
    further = client.get(reverse("centres:list") + response.context["next_page"])
    assert [row.centre for row in further.context["centres"]] == [far]
    assert further.context["next_page"] is None


def test_the_radius_filter_keeps_centres_within_the_commute(
    client, kottarakkara_home, next_open_day
):
    CentreFactory(name="Near", latitude=Decimal("9.01"), longitude=Decimal("76.78"))
    CentreFactory(name="Kollam", latitude=Decimal("8.8932"), longitude=Decimal("76.6141"))
    CentreFactory(name="Kochi", latitude=Decimal("10.05"), longitude=Decimal("76.32"))
    client.force_login(kottarakkara_home)

    within_10 = client.get(reverse("centres:list"), {"radius": 10}).context["centres"]
    within_30 = client.get(reverse("centres:list"), {"radius": 30}).context["centres"]

    assert [row.centre.name for row in within_10] == ["Near"]
    assert [row.centre.name for row in within_30] == ["Near", "Kollam"]


def test_the_list_rejects_a_day_in_the_past_with_a_message(client, kottarakkara_home, today):
    client.force_login(kottarakkara_home)
    response = client.get(reverse("centres:list"), {"day": (today - timedelta(days=1))})
    assert "Pick today or a later date." in response.content.decode()
    assert response.context["day"] == today


def test_a_pod_reserved_for_a_company_counts_only_for_its_members(
    client, professional, company, company_member, next_open_day, staff_user
):
    from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
    from tests.support.factories import MembershipFactory

    admin = MembershipFactory(company=company, role="admin").user
    centre = CentreFactory()
    pod = PodFactory(centre=centre, capacity=4)
    PodFactory(centre=centre, capacity=6)
    reservation = request_pod_reservation(
        company=company,
        pod=pod,
        first_day=next_open_day,
        last_day=next_open_day,
        weekday_mask=127,
        requested_by=admin,
    )
    confirm_pod_reservation(reservation=reservation, decided_by=staff_user)

    client.force_login(professional)
    outsider = client.get(reverse("centres:list"), {"day": next_open_day}).context["centres"]
    client.force_login(company_member)
    member = client.get(reverse("centres:list"), {"day": next_open_day}).context["centres"]

    assert outsider[0].free_seats == 6
    assert member[0].free_seats == 10


def _make_centres(n: int, day) -> None:
    for i in range(n):
        centre = CentreFactory(latitude=Decimal("9.0") + Decimal(i) / 100)
        pod = PodFactory(centre=centre, capacity=4)
        book_seat(user=UserFactory(), seat=pod.seats.first(), day=day)


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_the_centre_list_makes_as_many_queries_for_50_centres_as_for_5(
    client, kottarakkara_home, next_open_day
):
    client.force_login(kottarakkara_home)
    params = {"day": next_open_day.isoformat()}
    _make_centres(5, next_open_day)
    few = _queries(client, reverse("centres:list"), params)
    _make_centres(45, next_open_day)
    many = _queries(client, reverse("centres:list"), params)
    assert few == many
    first_page = client.get(reverse("centres:list"), params).context
    assert len(first_page["centres"]) == PER_PAGE
    assert first_page["next_page"]


def test_the_seat_map_makes_as_many_queries_for_50_pods_as_for_5(
    client, professional, next_open_day
):
    centre = CentreFactory()
    client.force_login(professional)

    def add_pods(n):
        for _ in range(n):
            pod = PodFactory(centre=centre, capacity=4)
            book_seat(user=UserFactory(), seat=pod.seats.first(), day=next_open_day)

    params = {"day": next_open_day.isoformat()}
    url = centre.get_absolute_url()
    add_pods(5)
    few = _queries(client, url, params)
    add_pods(45)
    many = _queries(client, url, params)
    assert few == many
    assert "150 seats free" in client.get(url, params).content.decode()


def test_the_500_page_renders_without_a_request_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Something went wrong on our side" in html


def test_the_403_page_is_friendly(client, professional, rf):
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = professional
    response = permission_denied(request, exception=None)
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
