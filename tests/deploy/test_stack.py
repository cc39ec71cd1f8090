"""The whole stack of docker-compose.yml on one machine, with its own commands and configs
(tests/deploy/stack.py): PgBouncer in transaction mode in front of this test's database, two
gunicorn processes behind nginx, the mail and waitlist workers and beat on a private Redis.

200 people race for 10 seats through the load balancer, half of them served by each web
process; exactly 10 bookings exist afterwards. Then Redis and PgBouncer each go away and
come back: /readyz fails within 5 seconds and is green again within 10 by itself, a booking
made while Redis is away stands, one tried while PgBouncer is away leaves nothing and goes
through when retried, and every booking's reminder is sent exactly once.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from prometheus_client.parser import text_string_to_metric_families

from tests.deploy.people import people, sign_in
from tests.deploy.stack import (
    COMPOSE,
    NGINX_PORT,
    ROOT,
    WEB_PORTS,
    Stack,
    installed,
    request,
    wait_until,
)
from tests.support.db_sessions import end_other_sessions
from tests.support.factories import CentreFactory, PodFactory
from tests.support.mailbox import message_ids
from wnh import weekdays

MISSING = [name for name in ("nginx", "pgbouncer", "redis-server") if not installed(name)]

pytestmark = [
    pytest.mark.stack,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        bool(MISSING) and os.environ.get("CI") != "true",
        reason=f"needs {', '.join(MISSING)} (make ops-tools)",
    ),
]

RACERS, SEATS = 200, 10


def book(headers: dict, centre, day) -> tuple[int, object]:
    """The portal's answer to a booking. nginx sheds what its web processes cannot take in
    hand (deploy/nginx: max_conns) with a 503 of its own, without the portal's X-Request-ID;
    that request is sent again after its Retry-After, as the API's clients do."""
    while True:
        status, body, answer = request(
            NGINX_PORT,
            "POST",
            "/api/bookings/",
            body={"centre": centre.slug, "day": day.isoformat()},
            headers=headers,
            timeout=60,
        )
        if status != 503 or "X-Request-ID" in answer:
            return status, body
        time.sleep(float(answer["Retry-After"]))


def race(headers: list[dict], centre, day) -> list[tuple[int, object]]:
    barrier = threading.Barrier(len(headers))
    results: list = [None] * len(headers)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = book(headers[i], centre, day)
        except Exception as error:  # recorded: the assertions say what went wrong
            results[i] = (None, repr(error))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(headers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def served_by(stack: Stack, index: int) -> int:
    """Booking POSTs in web process `index`'s access log (gunicorn's JSON lines)."""
    count = 0
    for line in stack.log(f"web-{index}").splitlines():
        if line.startswith("{") and '"path"' in line:
            entry = json.loads(line)
            count += entry["path"] == "/api/bookings/" and entry["method"] == "POST"
    return count


def web_container_healthy(stack: Stack) -> bool:
    """The web service's health check in docker-compose.yml, run against web-0."""
    command = COMPOSE["web"]["healthcheck"]["test"]
    assert command[:2] == ["CMD", "python"]
    done = subprocess.run(  # noqa: S603 - the Compose file's own check
        [sys.executable, *command[2:]],
        cwd=ROOT,
        env=stack.portal_env(WNH_BIND=f"127.0.0.1:{WEB_PORTS[0]}"),
        capture_output=True,
        timeout=10,
    )
    return done.returncode == 0


def scrape(port: int) -> dict[tuple, float]:
    """A web process's /metrics (from 127.0.0.1, an allowed network), by (name, labels)."""
    status, text, _ = request(port, "GET", "/metrics")
    assert status == 200, text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def bookings_by_sql() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT b.id, b.user_id, b.seat_id, b.day, b.status FROM bookings_seatbooking b "
            "ORDER BY b.id"
        )
        return cursor.fetchall()


def test_the_compose_stack_books_exactly_the_seats_it_has_and_survives_outages(
    today, django_db_blocker
):
    day = today + timedelta(days=1)
    centre = CentreFactory(name="Kottarakkara", open_weekdays=weekdays.ALL_DAYS)
    PodFactory(centre=centre, code="A", capacity=SEATS)
    other = CentreFactory(name="Kollam", open_weekdays=weekdays.ALL_DAYS)
    PodFactory(centre=other, code="A", capacity=4)
    racers = people("racer", RACERS)
    late = people("late", 2)
    headers = sign_in(racers + late)
    # Beat publishes the reminder sweep every 2 seconds (the real schedule: 10 minutes).
    every_2s = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="Reminders, often", task="bookings.send_due_reminders", interval=every_2s
    )

    folder = Path(tempfile.mkdtemp(prefix="wnh-ops-stack-"))
    folder.chmod(0o755)  # PgBouncer runs as postgres and reads its files here
    stack = Stack(folder, database=connection.settings_dict["NAME"], now=timezone.now().isoformat())
    passed = False
    try:
        started = time.monotonic()
        stack.start_redis()
        stack.start_portal()
        assert stack.readyz() == (
            200,
            {
                "status": "ok",
                "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "ok"},
            },
        )
        print(f"stack up in {time.monotonic() - started:.1f}s")
        assert web_container_healthy(stack) is True

        # -- 200 racing requests for 10 seats, through the load balancer ---------------------
        results = race([headers[user.pk] for user in racers], centre, day)
        statuses = Counter(status for status, _ in results)
        assert statuses[201] == SEATS, statuses
        assert set(statuses) <= {201, 409, 503}, results
        refused = Counter(body["code"] for status, body in results if status != 201)
        assert set(refused) <= {"no_free_seat", "busy"}, refused
        booked_ids = sorted(body["id"] for status, body in results if status == 201)
        rows = bookings_by_sql()
        assert [row[0] for row in rows] == booked_ids
        assert len({row[2] for row in rows}) == SEATS  # ten different seats
        assert len({row[1] for row in rows}) == SEATS  # ten different people
        # gunicorn writes an access-log line once the answer has gone out: wait for the last.
        wait_until(
            lambda: served_by(stack, 0) + served_by(stack, 1) == RACERS,
            timeout=10,
            what="an access-log line for every request",
        )
        first, second = served_by(stack, 0), served_by(stack, 1)
        assert abs(first - second) <= RACERS // 10, (first, second)
        print(f"race: {dict(statuses)}, {dict(refused)}; served {first} + {second}")

        # -- each web process's /metrics sums its gunicorn workers (multiprocess mode) ------
        scraped = [scrape(port) for port in WEB_PORTS]
        assert sum(m.get(("wnh_bookings_made_total", ()), 0) for m in scraped) == SEATS
        no_free_seat = ("wnh_bookings_refused_total", (("reason", "no_free_seat"),))
        assert sum(m.get(no_free_seat, 0) for m in scraped) == refused["no_free_seat"]
        assert ("wnh_celery_queue_length", (("queue", "mail"),)) in scraped[0]
        # nginx made a request id, the portal answered with it, gunicorn logged it.
        _, _, answer = request(NGINX_PORT, "GET", "/healthz")
        assert len(answer["X-Request-ID"]) == 32
        wait_until(
            lambda: any(answer["X-Request-ID"] in stack.log(f"web-{i}") for i in (0, 1)),
            timeout=10,
            what="the request id in gunicorn's access log",
        )

        # -- every booking's reminder, sent by the mail worker on beat's sweeps --------------
        wait_until(
            lambda: len(message_ids(stack.mailbox)) == SEATS, timeout=30, what="10 reminders"
        )

        # -- Redis goes away: not ready within 5 s, bookings still stand ---------------------
        stack.kill("redis")
        failed_after = wait_until(lambda: not stack.ready(), timeout=5, what="/readyz to fail")
        status, body = stack.readyz()
        assert status == 503
        assert {"cache", "broker"} <= set(body["failed"]), body
        assert book(headers[late[0].pk], other, day)[0] == 201
        stack.start_redis()
        back_after = wait_until(stack.ready, timeout=10, what="/readyz green after Redis")
        print(f"redis: not ready after {failed_after:.1f}s, ready {back_after:.1f}s after return")

        # -- PgBouncer goes away: not ready within 5 s, a booking leaves nothing -------------
        stack.kill("pgbouncer")
        failed_after = wait_until(lambda: not stack.ready(), timeout=5, what="/readyz to fail")
        status, body = stack.readyz()
        assert status == 503
        assert "database" in body["failed"], body
        assert web_container_healthy(stack) is False  # Compose's health check, too
        before = len(bookings_by_sql())
        assert book(headers[late[1].pk], other, day)[0] >= 500
        assert len(bookings_by_sql()) == before
        stack.start_pgbouncer()
        back_after = wait_until(stack.ready, timeout=10, what="/readyz green after PgBouncer")
        print(f"pgbouncer: not ready after {failed_after:.1f}s, ready {back_after:.1f}s after")
        assert book(headers[late[1].pk], other, day)[0] == 201

        # -- nothing lost, nothing twice -------------------------------------------------------
        rows = bookings_by_sql()
        assert len(rows) == SEATS + 2
        assert len({(row[2], row[3]) for row in rows}) == len(rows)
        assert {row[0] for row in rows} >= set(booked_ids)
        wait_until(
            lambda: len(message_ids(stack.mailbox)) == SEATS + 2,
            timeout=30,
            what="the late bookings' reminders",
        )
        time.sleep(5)  # two more sweeps: none may send a reminder again
        sent = message_ids(stack.mailbox)
        assert len(sent) == SEATS + 2
        assert set(sent.values()) == {1}, sent
        passed = True
    finally:
        stack.stop()
        with django_db_blocker.unblock():
            end_other_sessions(timeout=15)
        if passed:  # a failure leaves every process's log in the folder it names
            shutil.rmtree(folder, ignore_errors=True)
