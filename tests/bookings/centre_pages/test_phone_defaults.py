"""The defaults a person on a phone expects (issue 14): the centre list opens on the next
day a centre opens, and offers a larger distance only when there is one."""

from datetime import date, time
from decimal import Decimal

import pytest

from centres.models import CentreClosure
from tests.support.clock import at
from tests.support.factories import CentreFactory, PodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    centre = CentreFactory(name="Kottarakkara", closes_at=time(18, 0))  # Monday to Saturday
    PodFactory(centre=centre, capacity=4)
    return centre


def shown_day(client) -> date:
    return client.get("/centres/").context["day"]


def test_the_centre_list_shows_today_while_a_centre_is_open(client, clock, centre):
    clock.move_to(at(2026, 12, 7, 17, 59), tick=False)  # a Monday, a minute before closing
    assert shown_day(client) == date(2026, 12, 7)


def test_after_closing_the_centre_list_shows_the_next_open_day(client, clock, centre):
    clock.move_to(at(2026, 12, 7, 18, 0), tick=False)
    assert shown_day(client) == date(2026, 12, 8)


def test_on_a_sunday_the_centre_list_shows_monday(client, clock, centre):
    clock.move_to(at(2026, 12, 13, 11, 0), tick=False)
    response = client.get("/centres/")
    assert response.context["day"] == date(2026, 12, 14)
    assert 'value="2026-12-14"' in response.content.decode()


def test_a_closure_day_is_skipped_and_a_chosen_day_is_kept(client, clock, centre):
    clock.move_to(at(2026, 12, 12, 19, 0), tick=False)  # Saturday evening
    CentreClosure.objects.create(centre=centre, day=date(2026, 12, 14), reason="Onam")
    assert shown_day(client) == date(2026, 12, 15)
    assert client.get("/centres/?day=2026-12-13").context["day"] == date(2026, 12, 13)
    assert client.get("/centres/?radius=").context["day"] == date(2026, 12, 15)


def test_a_larger_distance_is_offered_only_below_the_largest(client, professional, centre):
    professional.home_latitude, professional.home_longitude = Decimal("11.25"), Decimal("75.78")
    professional.home_place = "Kozhikode"
    professional.save()
    client.force_login(professional)
    html = client.get("/centres/?radius=10").content.decode()
    assert "No open centre within 10 km of your home. Try a larger distance." in html
    html = client.get("/centres/?radius=30").content.decode()
    assert "No open centre within 30 km of your home." in html
    assert "Try a larger distance" not in html
