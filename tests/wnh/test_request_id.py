"""A request id on every log line: taken from X-Request-ID or made, sent back, and carried
into the Celery tasks the request enqueued, whose records name it too (JSON logs)."""

import io
import json
import logging

import pytest
from django.urls import reverse

from bookings.core.services import book_seat
from tests.bookings.operations.test_worker import (
    PrivateRedis,
    Workers,
    free_port,
    publishing_to,
    wait_for,
)
from wnh.db import Busy
from wnh.logs import JsonFormatter, RequestIdFilter


def test_it_keeps_a_plain_id_and_sends_it_back(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.12")
    assert response["X-Request-ID"] == "lb-7f3a.12"


def test_it_makes_an_id_when_none_or_a_strange_one_is_given(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz")["X-Request-ID"] != made
    strange = client.get("/healthz", HTTP_X_REQUEST_ID='"><script>')["X-Request-ID"]
    assert strange.isalnum()
    assert len(strange) == 32


@pytest.fixture
def json_log():
    """What is logged, through the production handler's filter and formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_the_records_of_a_request_are_json_lines_with_its_id(
    client, professional, seat, next_open_day, monkeypatch, json_log
):
    def busy(**kwargs):
        raise Busy()

    monkeypatch.setattr("bookings.core.services.book_seat", busy)
    client.force_login(professional)
    response = client.post(
        reverse("api-bookings"),
        {"centre": seat.pod.centre.slug, "day": next_open_day.isoformat(), "seat": seat.pk},
        content_type="application/json",
        HTTP_X_REQUEST_ID="trace-busy-1",
    )
    assert response.status_code == 503
    client.get("/healthz")  # a request after it, with an id of its own
    logging.getLogger("wnh").warning("outside any request")
    records = json_log()
    # Django's own "Service Unavailable" line is written after the middleware returned.
    served = [r for r in records if r["logger"] == "django.request"]
    assert served
    assert served[0]["request_id"] == "trace-busy-1"
    assert served[0]["level"] == "ERROR"
    assert records[-1]["message"] == "outside any request"
    assert records[-1]["request_id"] == "-"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_id_follows_a_cancellation_into_the_waitlist_task(
    client, professional, seat, next_open_day, tmp_path, monkeypatch
):
    monkeypatch.setenv("DJANGO_LOG_FORMAT", "json")
    redis = PrivateRedis(free_port(), tmp_path)
    redis.start()
    (tmp_path / "mailbox").mkdir()
    workers = Workers(redis, tmp_path / "mailbox", tmp_path)
    try:
        booking = book_seat(user=professional, seat=seat, day=next_open_day)
        worker = workers.start()
        client.force_login(professional)
        with publishing_to(redis.url):
            response = client.post(
                reverse("api-booking-cancel", args=[booking.pk]),
                HTTP_X_REQUEST_ID="trace-cancel-42",
            )
        assert response.status_code == 200
        assert response["X-Request-ID"] == "trace-cancel-42"
        log = tmp_path / "worker-0.log"

        def task_records():
            lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
            return [
                record
                for record in map(json.loads, lines)
                if record.get("task") == "bookings.serve_waitlist"
            ]

        wait_for(lambda: task_records(), timeout=20, what=f"the waitlist task's log ({log})")
        assert {record["request_id"] for record in task_records()} == {"trace-cancel-42"}
        assert worker.poll() is None
    finally:
        workers.kill_all()
        redis.stop()
