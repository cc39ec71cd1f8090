"""Personal API tokens: made once and shown once, kept hashed, refused at once when revoked
or expired, and good for booking in a race as a session is."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from bookings.api.tokens import create_token
from bookings.models import SeatBooking
from companies.models import ApiToken
from tests.conftest import race
from tests.support.factories import PodFactory, UserFactory

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_a_token_made_by_the_api_is_shown_once_and_kept_only_as_a_digest(client, professional):
    client.force_login(professional)
    made = client.post(
        reverse("api-v1-tokens"), {"name": "rostering", "days": 30}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    token = made.json()["token"]
    assert token.startswith("wnh_")
    row = ApiToken.objects.get()
    assert token not in (row.digest, row.token_key)
    assert row.expiry.date() == (row.created + timedelta(days=30)).date()
    listed = client.get(reverse("api-v1-tokens")).json()
    assert [t["name"] for t in listed] == ["rostering"]
    assert "token" not in listed[0]

    anonymous = Client()
    mine = anonymous.get(reverse("api-v1-bookings"), **bearer(token))
    assert mine.status_code == 200, mine.content
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_revoked_or_expired_or_wrong_token_is_refused_at_once(professional, clock):
    row, token = create_token(user=professional, name="tool", days=1)
    anonymous = Client()
    assert anonymous.get(reverse("api-v1-bookings"), **bearer(token)).status_code == 200
    wrong = token[:-1] + ("1" if token.endswith("0") else "0")
    assert anonymous.get(reverse("api-v1-bookings"), **bearer(wrong)).status_code == 401

    clock.shift(24 * 3600 + 1)
    expired = anonymous.get(reverse("api-v1-bookings"), **bearer(token))
    assert expired.status_code == 401
    assert expired.json()["code"] == "authentication_failed"

    _row, other = create_token(user=professional, name="other")
    owner = Client()
    owner.force_login(professional)
    revoked = owner.delete(reverse("api-v1-token", kwargs={"token_key": _row.token_key}))
    assert revoked.status_code == 204
    assert anonymous.get(reverse("api-v1-bookings"), **bearer(other)).status_code == 401


def test_nobody_revokes_another_persons_token(professional, other_professional):
    theirs, token = create_token(user=other_professional, name="theirs")
    client = Client()
    client.force_login(professional)
    answer = client.delete(reverse("api-v1-token", kwargs={"token_key": theirs.token_key}))
    assert answer.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert client.get(reverse("api-v1-tokens")).json() == []


def test_a_person_has_at_most_so_many_tokens(professional, settings):
    settings.API_TOKENS_PER_PERSON = 2
    client = Client()
    client.force_login(professional)
    answers = [
        client.post(reverse("api-v1-tokens"), {"name": f"t{i}"}, content_type="application/json")
        for i in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 409]
    assert answers[2].json()["code"] == "too_many_tokens"
    assert ApiToken.objects.count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "x" * 101},
        {"name": "ok", "days": 0},
        {"name": "ok", "days": 9999},
    ],
)
def test_a_bad_token_request_is_a_400_and_makes_nothing(professional, body):
    client = Client()
    client.force_login(professional)
    answer = client.post(reverse("api-v1-tokens"), body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert not ApiToken.objects.exists()


def test_the_profile_page_makes_shows_once_and_revokes_a_token(client, professional):
    client.force_login(professional)
    page = client.post(reverse("api-tokens-page"), {"name": "calendar", "days": "90"})
    assert page.status_code == 200
    token = page.context["new_token"]
    assert token in page.content.decode()
    again = client.get(reverse("api-tokens-page")).content.decode()
    assert token not in again
    assert "calendar" in again
    row = ApiToken.objects.get()
    client.post(reverse("api-token-revoke", kwargs={"token_key": row.token_key}))
    assert not ApiToken.objects.exists()
    refused = client.post(reverse("api-tokens-page"), {"name": "", "days": "7"})
    assert refused.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_company_admin_makes_a_company_token_with_a_scope_on_the_profile_page(
    client, company_a, admin_a, member_a, company_b
):
    client.force_login(admin_a)
    page = client.get(reverse("api-tokens-page"))
    choices = dict(page.context["form"].fields["company"].choices)
    assert company_a.slug in choices
    assert company_b.slug not in choices  # not an admin there

    no_scope = client.post(
        reverse("api-tokens-page"), {"name": "HR", "days": "90", "company": company_a.slug}
    )
    assert no_scope.status_code == 400
    assert "scope" in no_scope.context["form"].errors
    other = client.post(
        reverse("api-tokens-page"),
        {"name": "HR", "days": "90", "company": company_b.slug, "scope": "read"},
    )
    assert other.status_code == 400
    assert not ApiToken.objects.exists()

    made = client.post(
        reverse("api-tokens-page"),
        {"name": "HR", "days": "90", "company": company_a.slug, "scope": "book"},
    )
    assert made.status_code == 200
    assert not made.context["form"].is_bound  # a blank form for the next token
    row = ApiToken.objects.get()
    assert (row.company, row.scope) == (company_a, "book")
    assert "HR" in client.get(reverse("api-tokens-page")).content.decode()

    member = Client()
    member.force_login(member_a)
    assert "company" not in member.get(reverse("api-tokens-page")).context["form"].fields
    member.post(
        reverse("api-token-revoke", kwargs={"token_key": row.token_key}),
        {"company": company_a.slug},
    )
    assert ApiToken.objects.exists()  # a plain member cannot revoke it
    client.post(
        reverse("api-token-revoke", kwargs={"token_key": row.token_key}),
        {"company": company_a.slug},
    )
    assert not ApiToken.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_people_book_one_seat_with_tokens_at_once_and_one_gets_it(next_open_day):
    pod = PodFactory(capacity=4)
    seat = pod.seats.first()
    tokens = [create_token(user=UserFactory(), name="race")[1] for _ in range(20)]
    body = {"centre": pod.centre.slug, "day": next_open_day.isoformat(), "seat": seat.pk}

    def attempt(i):
        return Client().post(
            reverse("api-v1-bookings"), body, content_type="application/json", **bearer(tokens[i])
        )

    answers = race(20, attempt)
    statuses = sorted(getattr(answer, "status_code", answer) for answer in answers)
    assert statuses == [201] + [409] * 19, statuses
    assert SeatBooking.objects.filter(seat=seat, day=next_open_day).count() == 1


def test_the_same_token_request_twice_with_one_key_books_once(professional, next_open_day):
    pod = PodFactory(capacity=4)
    _row, token = create_token(user=professional, name="hr")
    body = {"centre": pod.centre.slug, "day": next_open_day.isoformat()}
    client = Client()
    first, second = (
        client.post(
            reverse("api-v1-bookings"),
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="shift-42",
            **bearer(token),
        )
        for _ in range(2)
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert SeatBooking.objects.filter(user=professional).count() == 1
