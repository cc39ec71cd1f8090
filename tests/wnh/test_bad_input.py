"""Bad input answers a clear 4xx and changes nothing: never a 500, never a worker held.

Each known 500 of issue 13 is a case here; the fuzz (test_fuzz.py) looks for the others.
"""

import json
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from bookings.models import MAX_RESERVATION_DAYS, PodReservation, SeatBooking
from companies.models import Company
from tests.support.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_of(client, company, company_admin):
    client.force_login(company_admin)
    return client


def assert_refused_page(response, *words):
    assert response.status_code == 400, response.status_code
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    for word in words:
        assert word in text, text


def assert_refused_json(response, code=None, status=400):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) >= {"code", "detail"}
    if code:
        assert body["code"] == code, body
    return body


# -- months and weeks of the company pages -------------------------------------------------


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "2026-1x", "99999-01"])
@pytest.mark.parametrize("page", ["companies:dashboard", "companies:statement"])
def test_a_month_out_of_range_or_not_a_month_is_a_400_page(admin_client_of, company, page, month):
    response = admin_client_of.get(reverse(page, args=[company.slug]), {"month": month})
    assert_refused_page(response, "month", "Nothing was changed")


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_the_statement_csv_refuses_a_month_out_of_range(admin_client_of, company, month):
    response = admin_client_of.get(
        reverse("companies:statement_csv", args=[company.slug]), {"month": month}
    )
    assert_refused_page(response, "month")


def test_a_month_nearby_still_shows(admin_client_of, company, today):
    response = admin_client_of.get(
        reverse("companies:statement", args=[company.slug]), {"month": f"{today:%Y-%m}"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31", "2026-02-30", "tomorrow"])
def test_a_week_out_of_range_or_not_a_date_is_a_400_page(admin_client_of, company, week):
    response = admin_client_of.get(reverse("companies:team", args=[company.slug]), {"week": week})
    assert_refused_page(response, "week")


# -- the reservation search: capped before any work starts ------------------------------------


def _search(client, slug, centre, first, last):
    return client.get(
        reverse("companies:reserve", args=[slug]),
        {
            "centre": centre.pk,
            "first_day": first,
            "last_day": last,
            "weekdays": [0, 1, 2, 3, 4],
        },
    )


def test_a_search_to_the_last_day_of_the_calendar_is_a_400(admin_client_of, company, pod, today):
    response = _search(admin_client_of, company.slug, pod.centre, today.isoformat(), "9999-12-31")
    assert_refused_page(response, f"at most {MAX_RESERVATION_DAYS} days")


def test_a_pending_company_asking_for_two_thousand_years_gets_a_400_at_once(client, pod):
    """The issue's worker killer: 2026-12-01 to 4026-12-01 by a company not yet approved."""
    pending = CompanyFactory(name="Pending Pixels", status=Company.Status.PENDING)
    admin = MembershipFactory(company=pending, role="admin").user
    client.force_login(admin)
    began = time.perf_counter()
    response = _search(client, pending.slug, pod.centre, "2026-12-01", "4026-12-01")
    assert time.perf_counter() - began < 2
    assert_refused_page(response, f"at most {MAX_RESERVATION_DAYS} days")


def test_a_search_of_the_longest_reservation_still_answers(admin_client_of, company, pod, today):
    last = today + timedelta(days=MAX_RESERVATION_DAYS - 1)
    response = _search(admin_client_of, company.slug, pod.centre, today.isoformat(), last)
    assert response.status_code == 200


def test_a_reservation_request_far_in_the_future_is_refused_and_nothing_saved(
    admin_client_of, company, pod
):
    response = admin_client_of.post(
        reverse("companies:reserve", args=[company.slug]),
        {
            "centre": pod.centre_id,
            "pod": pod.pk,
            "first_day": "9999-12-01",
            "last_day": "9999-12-31",
            "weekdays": [0, 1, 2, 3, 4],
        },
    )
    assert response.status_code == 400
    assert not PodReservation.objects.exists()


# -- the booking form -----------------------------------------------------------------------


@pytest.mark.parametrize("seat", ["²", "١", "99999999999999999999999", "-1", "1e3", ""])
def test_a_seat_that_is_no_seat_id_is_a_400_and_books_nothing(
    client, professional, seat, next_open_day, pod
):
    client.force_login(professional)
    response = client.post(
        reverse("centres:book", args=[pod.centre.slug]), {"day": next_open_day, "seat": seat}
    )
    assert response.status_code == 400
    assert not SeatBooking.objects.exists()


def test_a_day_that_is_no_date_on_the_seat_map_is_a_400(client, pod):
    response = client.get(pod.centre.get_absolute_url(), {"day": "9999-99-99"})
    assert response.status_code == 400


# -- the admin's occupancy report -------------------------------------------------------------


@pytest.fixture
def officer_client(client):
    force_login_staff(
        client, UserFactory(email="officer@kdisc.example", is_staff=True, is_superuser=True)
    )
    return client


@pytest.mark.parametrize(
    "query",
    [
        {"to": "0001-01-01"},
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"from": "2020-01-01", "to": "2026-12-01"},
        {"from": "2026-13-01"},
        {"centre": "²"},
        {"centre": "99999999999999999999999"},
    ],
)
def test_the_occupancy_report_refuses_dates_and_centres_it_cannot_use(officer_client, query):
    response = officer_client.get(reverse("admin:bookings_occupancy_report"), query)
    assert response.status_code == 400


def test_the_occupancy_report_still_shows_a_month(officer_client, centre, today):
    query = {"centre": centre.pk, "from": today - timedelta(days=30), "to": today}
    response = officer_client.get(reverse("admin:bookings_occupancy_report"), query)
    assert response.status_code == 200


# -- the API ---------------------------------------------------------------------------------


@pytest.fixture
def api(client, professional):
    client.force_login(professional)
    return client


@pytest.mark.parametrize("page", ["0", "-1", "abc", "²", "99999999999999999999"])
def test_a_page_that_is_no_page_number_is_a_400_in_json(api, page):
    body = assert_refused_json(api.get(reverse("api-bookings"), {"page": page}), "invalid")
    assert "page" in body["errors"]


def test_a_page_past_the_last_is_a_404_in_json(api):
    assert_refused_json(api.get(reverse("api-bookings"), {"page": "7"}), "not_found", 404)


@pytest.mark.parametrize("path", ["api-bookings", "api-booking-cancel"])
def test_json_nested_fifty_thousand_deep_is_a_4xx_in_json_on_every_post(api, path):
    """The issue's body (100 kB): refused as too large before Python's parser sees it."""
    url = reverse(path, kwargs={"booking_id": 1} if "cancel" in path else {})
    body = "[" * 50_000 + "]" * 50_000
    response = api.post(url, body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert_refused_json(response, status=response.status_code)
    assert not SeatBooking.objects.exists()


def test_json_nested_too_deep_within_the_size_limit_is_a_400_in_json(api):
    body = "[" * 30_000 + "]" * 30_000
    response = api.post(reverse("api-bookings"), body, content_type="application/json")
    assert_refused_json(response, "json_too_deep")


def test_json_strings_with_brackets_are_not_depth(api, pod, next_open_day):
    body = {"centre": pod.centre.slug, "day": str(next_open_day), "note": "[[[{{{" * 100}
    response = api.post(reverse("api-bookings"), body, content_type="application/json")
    assert response.status_code == 201


def test_a_body_too_large_is_a_400_in_json(api, pod, next_open_day):
    body = json.dumps({"centre": pod.centre.slug, "day": str(next_open_day), "x": "a" * 70_000})
    response = api.post(reverse("api-bookings"), body, content_type="application/json")
    assert_refused_json(response, "body_too_large")
    assert not SeatBooking.objects.exists()


def test_a_body_that_is_not_json_is_a_400_in_json(api):
    response = api.post(reverse("api-bookings"), "{nope", content_type="application/json")
    assert_refused_json(response, "parse_error")


@pytest.mark.parametrize("seat", [0, -5, 2**70, "²"])
def test_a_seat_id_out_of_range_is_a_400_in_json(api, pod, next_open_day, seat):
    body = {"centre": pod.centre.slug, "day": str(next_open_day), "seat": seat}
    response = api.post(reverse("api-bookings"), body, content_type="application/json")
    errors = assert_refused_json(response, "invalid")["errors"]
    assert "seat" in errors


def test_a_booking_id_past_bigint_is_a_404_in_json(api):
    url = reverse("api-booking-cancel", kwargs={"booking_id": 2**70})
    assert_refused_json(api.post(url), status=404)


def test_an_unknown_api_address_answers_json(api):
    assert_refused_json(api.get("/api/nothing-here/"), "not_found", 404)


def test_an_unhandled_exception_in_the_api_answers_json_not_html(professional, monkeypatch):
    from bookings.api import bookings as bookings_api

    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(bookings_api, "upcoming_bookings", boom)
    client = Client(raise_request_exception=False)
    client.force_login(professional)
    body = assert_refused_json(client.get(reverse("api-bookings")), "server_error", 500)
    assert "a bug" not in body["detail"]


def test_the_schema_lists_each_operations_error_answers(client):
    import yaml

    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    book = schema["paths"]["/api/bookings/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404", "409", "422", "429", "503"} <= set(book)
    assert "Retry-After" in book["503"]["headers"]
    assert "Retry-After" in book["429"]["headers"]
    listing = schema["paths"]["/api/bookings/"]["get"]["responses"]
    assert {"200", "400", "403", "404", "503"} <= set(listing)
    near = schema["paths"]["/api/centres/"]["get"]["responses"]
    assert {"200", "400", "403", "503"} <= set(near)
    public = schema["paths"]["/api/v1/centres/{slug}/"]["get"]["responses"]
    assert "401" not in public  # anyone may read a centre
    assert "429" in public
    cancel = schema["paths"]["/api/bookings/{booking_id}/cancel/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409", "503"} <= set(cancel)
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "detail"}


# -- found by the fuzz (test_fuzz.py) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/bookings/calendar/%00.ics", {}),
        ("/centres/", {"day": "a\x00b"}),
        ("/admin/bookings/seatbooking/", {"q": "\x00"}),
    ],
)
def test_a_nul_byte_in_a_path_or_a_query_is_a_400(officer_client, path, query):
    assert officer_client.get(path, query).status_code == 400


def test_a_nul_byte_in_an_api_query_is_a_400_in_json(api):
    assert_refused_json(api.get(reverse("api-centres"), {"day": "\x00"}), "invalid_input")


def test_an_empty_to_field_on_an_admin_change_page_is_a_400(officer_client, professional):
    url = reverse("admin:accounts_user_change", args=[professional.pk])
    assert officer_client.get(url, {"_to_field": ""}).status_code == 400
