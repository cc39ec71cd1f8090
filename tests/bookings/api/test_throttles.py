"""The API's throttles: a person, each of their tokens, and an address without a sign-in each
have a rate; past it the answer is 429 with Retry-After in the one error shape, and nobody
else's budget is spent."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bookings.api import throttles
from bookings.api.tokens import create_token
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()  # a person's id may have been another test's person's this minute (SQLite)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_a_person_past_their_rate_is_told_to_wait_and_others_are_not(api, settings):
    settings.API_RATE_PER_PERSON = "3/min"
    answers = [api.get(reverse("api-v1-bookings")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = api.get(reverse("api-v1-bookings"))
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"

    other = Client()
    other.force_login(UserFactory())
    assert other.get(reverse("api-v1-bookings")).status_code == 200


def test_each_token_has_a_rate_of_its_own(professional, settings):
    settings.API_RATE_PER_TOKEN = "2/min"
    _row, first = create_token(user=professional, name="roster")
    _row, second = create_token(user=professional, name="dashboard")
    client = Client()
    answers = [client.get(reverse("api-v1-bookings"), **bearer(first)).status_code for _ in "abc"]
    assert answers == [200, 200, 429]
    assert client.get(reverse("api-v1-bookings"), **bearer(second)).status_code == 200


def test_a_person_s_tokens_together_stay_within_the_person_s_rate(professional, settings):
    settings.API_RATE_PER_PERSON = "3/min"
    _row, first = create_token(user=professional, name="roster")
    _row, second = create_token(user=professional, name="dashboard")
    client = Client()
    for token in (first, second, first):
        assert client.get(reverse("api-v1-bookings"), **bearer(token)).status_code == 200
    assert client.get(reverse("api-v1-bookings"), **bearer(second)).status_code == 429


def test_an_address_without_a_sign_in_has_a_rate(pod, settings):
    settings.API_RATE_ANONYMOUS = "2/min"
    page = reverse("api-v1-centre", kwargs={"slug": pod.centre.slug})
    client = Client()
    answers = [client.get(page, REMOTE_ADDR="203.0.113.7").status_code for _ in "abc"]
    assert answers == [200, 200, 429]
    assert client.get(page, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_a_cache_that_does_not_answer_lets_requests_through(api, settings, monkeypatch):
    """Redis down must not turn every API request into a 500 (the stack test kills it)."""
    settings.API_RATE_PER_PERSON = "1/min"

    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to the cache")

    monkeypatch.setattr(cache, "get", down)  # DRF's throttle, on a cache that is not Redis
    monkeypatch.setattr(throttles, "_script", lambda: down)  # the script, on Redis
    answers = [api.get(reverse("api-v1-bookings")).status_code for _ in "ab"]
    assert answers == [200, 200]


@pytest.mark.redis
def test_on_redis_a_place_frees_when_the_oldest_request_leaves_the_minute(
    api, settings, monkeypatch
):
    settings.API_RATE_PER_PERSON = "2/min"
    clock = [1_000_000.0]
    monkeypatch.setattr(throttles.PerPerson, "timer", staticmethod(lambda: clock[0]))
    answers = []
    for at in (0, 10, 20, 59.5, 60.5):
        clock[0] = 1_000_000.0 + at
        answers.append(api.get(reverse("api-v1-bookings")))
    assert [a.status_code for a in answers] == [200, 200, 429, 429, 200]
    assert int(answers[2]["Retry-After"]) == 40  # the first request leaves the minute then
    assert throttles._script() is not None  # the script's count, not DRF's
