"""Searches for centres are counted, without personal data, by day searched for and PIN area,
through one function for the page and the API (bookings.core.demand.searched)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.core import demand
from bookings.models import SearchDaily
from bookings.operations.demand import flush_searches
from centres.models import Locality
from tests.support.factories import CentreFactory

Kind = SearchDaily.Kind


def live_at(person, pin_code: str) -> Locality:
    home = Locality.objects.filter(pin_code=pin_code).first()
    person.home_pin_code, person.home_place = home.pin_code, home.name
    person.home_latitude, person.home_longitude = home.latitude, home.longitude
    person.save()
    return home


def counted(day) -> dict[str, int]:
    raw = demand.search_counter().hgetall(demand.SEARCHES_KEY.format(day=day.isoformat()))
    return {field.decode(): int(n) for field, n in raw.items()}


def daily() -> set[tuple]:
    return set(SearchDaily.objects.values_list("day", "kind", "district", "pin_code", "searches"))


@pytest.fixture
def kollam(db):
    return CentreFactory(name="Kottarakkara")


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_a_search_from_home_on_the_page_counts_once_by_its_pin_code(
    client, kollam, professional, next_open_day
):
    home = live_at(professional, "691506")
    client.force_login(professional)
    query = {"day": next_open_day.isoformat()}

    client.get(reverse("centres:list"), query)
    client.get(reverse("centres:list"), {**query, "page": 2})  # the same search, read further

    assert counted(next_open_day) == {f"home|{home.pin_code}": 1}
    flush_searches()
    assert daily() == {(next_open_day, Kind.HOME, home.district, home.pin_code, 1)}


def test_the_api_counts_through_the_same_function_a_point_by_its_nearest_pin_area(
    client, kollam, professional, next_open_day
):
    client.force_login(professional)  # no home: a point, or no place
    near_kottarakkara = {"latitude": 9.0012, "longitude": 76.7704, "day": next_open_day}

    for _ in range(3):
        assert client.get(reverse("api-v1-centres"), near_kottarakkara).status_code == 200
    client.get(reverse("api-v1-centres"), {"day": next_open_day.isoformat()})  # no place
    client.get(reverse("api-v1-centres"), {"latitude": 1.0, "longitude": 1.0})  # not Kerala

    flush_searches()
    areas = demand.pin_areas()
    nearest = demand.nearest_pin_area(areas, 9.0012, 76.7704)
    assert nearest  # a Kerala point has a PIN area
    rows = daily()
    assert (next_open_day, Kind.POINT, areas[nearest][0], nearest, 3) in rows
    assert (next_open_day, Kind.NO_PLACE, "", "", 1) in rows
    assert any(row[1] == Kind.POINT and row[3] == "" for row in rows)  # outside: no area


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_a_search_keeps_nothing_of_the_person_but_the_home_pin_code(
    client, kollam, professional, next_open_day
):
    live_at(professional, "691506")
    client.force_login(professional)
    client.get(reverse("centres:list"), {"day": next_open_day.isoformat()})
    client.get(reverse("api-v1-centres"), {"latitude": 9.0123456, "longitude": 76.7654321})

    stored = " ".join(counted(next_open_day)) + " ".join(
        str(key) for key in demand.search_counter().keys("wnh:searches:*")
    )
    for personal in (professional.email, professional.full_name, professional.home_place):
        assert personal not in stored
    assert "9.0123456" not in stored  # a point is kept to about a kilometre
    fields = {field.name for field in SearchDaily._meta.get_fields()}
    assert fields == {"id", "day", "kind", "district", "pin_code", "searches", "computed_at"}


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_counting_a_search_asks_the_database_nothing(
    client, kollam, professional, next_open_day, monkeypatch
):
    client.force_login(professional)
    query = {"latitude": 9.0, "longitude": 76.77, "day": next_open_day.isoformat()}
    client.get(reverse("api-v1-centres"), query)  # sessions and the like settle first

    with CaptureQueriesContext(connection) as counting:
        client.get(reverse("api-v1-centres"), query)
    assert sum(counted(next_open_day).values()) == 2
    monkeypatch.setattr(demand, "searched", lambda **kwargs: None)
    with CaptureQueriesContext(connection) as not_counting:
        client.get(reverse("api-v1-centres"), query)

    assert len(counting) == len(not_counting)


def test_a_redis_that_does_not_answer_loses_the_count_not_the_page(
    client, kollam, next_open_day, monkeypatch
):
    class Down:
        def pipeline(self, **kwargs):
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(demand, "search_counter", lambda: Down())

    page = client.get(reverse("centres:list"), {"day": next_open_day.isoformat()})

    assert page.status_code == 200
    assert "Kottarakkara" in page.content.decode()


def test_without_redis_a_search_is_counted_in_the_table(
    client, kollam, settings, professional, next_open_day
):
    settings.REDIS_URL = ""
    home = live_at(professional, "691506")
    client.force_login(professional)

    for _ in range(2):
        client.get(reverse("centres:list"), {"day": next_open_day.isoformat()})

    assert daily() == {(next_open_day, Kind.HOME, home.district, home.pin_code, 2)}
    assert flush_searches() == 0


def test_the_point_of_a_search_is_its_nearest_pin_area_within_15_km():
    areas = {"691506": ("KLM", 9.0, 76.77), "691001": ("KLM", 8.88, 76.6)}

    assert demand.nearest_pin_area(areas, 9.01, 76.76) == "691506"
    assert demand.nearest_pin_area(areas, 8.89, 76.61) == "691001"
    assert demand.nearest_pin_area(areas, 10.0, 76.77) == ""  # 110 km away


def test_a_home_search_is_a_home_only_from_the_home_itself(professional, db):
    professional.home_pin_code = "691506"
    professional.home_latitude, professional.home_longitude = Decimal("9.0"), Decimal("76.77")

    assert demand.search_field(professional, 9.0, 76.77) == "home|691506"
    assert demand.search_field(professional, 9.5, 76.77) == "point|9.50|76.77"
    assert demand.search_field(None, None, None) == "no_place"
