"""/metrics: requests per view, bookings made and refused, busy answers, Celery queue
lengths, task failures and reminder lag, in Prometheus's text format, for allowed scrapers
only."""

from datetime import datetime, time, timedelta

import pytest
from celery.signals import task_failure
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from bookings.core.services import book_seat
from bookings.tasks import rollup_occupancy
from tests.support.clock import KOLKATA
from tests.support.factories import CentreFactory, PodFactory
from wnh import metrics, weekdays
from wnh.db import Busy

pytestmark = pytest.mark.django_db


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    """Every sample of a scrape, keyed by (name, sorted labels)."""
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def book(client, seat, day):
    return client.post(
        reverse("api-bookings"),
        {"centre": seat.pod.centre.slug, "day": day.isoformat(), "seat": seat.pk},
        content_type="application/json",
    )


def test_a_scrape_counts_a_booking_made_and_one_refused_by_reason(
    client,
    professional,
    other_professional,
    seat,
    next_open_day,
    django_capture_on_commit_callbacks,
):
    before = scrape(client)
    client.force_login(professional)
    with django_capture_on_commit_callbacks(execute=True):
        assert book(client, seat, next_open_day).status_code == 201
    client.force_login(other_professional)
    with django_capture_on_commit_callbacks(execute=True):
        refused = book(client, seat, next_open_day)
    assert refused.json()["code"] == "seat_taken"
    client.logout()

    after = scrape(client)
    assert value(after, "wnh_bookings_made_total") == value(before, "wnh_bookings_made_total") + 1
    refusals = ("wnh_bookings_refused_total", {"reason": "seat_taken"})
    assert value(after, refusals[0], **refusals[1]) == value(before, refusals[0], **refusals[1]) + 1
    # django-prometheus: requests and latency per view.
    per_view = {"view": "api-bookings", "method": "POST", "transport": "http"}
    name = "django_http_requests_total_by_view_transport_method_total"
    assert value(after, name, **per_view) == value(before, name, **per_view) + 2
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert value(after, latency, view="api-bookings", method="POST") >= 2


def test_a_lock_wait_answered_busy_is_counted(
    client, professional, seat, next_open_day, monkeypatch
):
    def busy(**kwargs):
        raise Busy()

    monkeypatch.setattr("bookings.core.services.book_seat", busy)
    before = value(scrape(client), "wnh_busy_answers_total", surface="api")
    client.force_login(professional)
    response = book(client, seat, next_open_day)
    assert response.status_code == 503
    assert response["Retry-After"]
    client.logout()
    assert value(scrape(client), "wnh_busy_answers_total", surface="api") == before + 1


def test_reminder_lag_is_how_long_the_oldest_due_reminder_waited(
    client, professional, today, settings
):
    settings.WNH_REMINDER_EVENING_AT = time(0, 0)
    assert value(scrape(client), "wnh_reminder_lag_seconds") == 0
    centre = CentreFactory(open_weekdays=weekdays.ALL_DAYS)
    seat = PodFactory(centre=centre, capacity=4).seats.first()
    book_seat(user=professional, seat=seat, day=today + timedelta(days=1))
    # Tomorrow's evening reminder fell due at 00:00 today, and nobody has sent it.
    waited = timezone.now() - datetime.combine(today, time(0, 0), tzinfo=KOLKATA)
    lag = value(scrape(client), "wnh_reminder_lag_seconds")
    assert abs(lag - waited.total_seconds()) < 60


@pytest.mark.redis
def test_queue_lengths_and_task_failures_are_read_from_redis(client):
    broker = metrics.broker_redis()
    broker.delete("rollups", metrics.TASK_FAILURES_KEY)
    try:
        rollup_occupancy.apply_async(kwargs={})  # routed to "rollups"; no worker here
        task_failure.send(sender=rollup_occupancy, task_id="t", exception=RuntimeError("x"))
        samples = scrape(client)
        assert value(samples, "wnh_celery_queue_length", queue="rollups") == 1
        assert value(samples, "wnh_celery_queue_length", queue="mail") == 0
        failures = value(
            samples, "wnh_celery_task_failures_total", task="bookings.rollup_occupancy"
        )
        assert failures == 1
    finally:
        broker.delete("rollups", metrics.TASK_FAILURES_KEY)


def test_only_allowed_networks_or_the_token_may_scrape(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 403
    settings.WNH_METRICS_TOKEN = "a-long-scrape-token"
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", **outside)
    assert wrong.status_code == 403
    scrape(client, HTTP_AUTHORIZATION="Bearer a-long-scrape-token", **outside)
