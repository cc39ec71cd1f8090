"""A real Celery worker, consuming from a real Redis, working on the test's PostgreSQL database.

Each test starts its own redis-server on a free port (so it can stop it without harming
anyone) and workers as subprocesses whose DATABASE_URL names this test's database. The
worker's email backend writes one file per message into a folder the test reads. The test
publishes the sweeps itself, as beat would. Workers are killed with SIGKILL at the end:
every task is idempotent, and SIGTERM costs 5-9 s per worker.
"""

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from bookings.core.services import book_seat, cancel_booking
from bookings.core.waitlist import join_waitlist
from bookings.models import SeatBooking, WaitlistEntry
from bookings.tasks import send_due_reminders, sweep_waitlists
from tests import ROOT_DIR
from tests.support.db_sessions import end_other_sessions
from tests.support.factories import CentreFactory, PodFactory, UserFactory
from tests.support.mailbox import message_ids
from tests.support.smsbox import numbers as sms_numbers
from wnh import weekdays
from wnh.celery import app

ROOT = ROOT_DIR
REDIS_SERVER = shutil.which("redis-server") or "/usr/sbin/redis-server"

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    # serialized_rollback: later tests find the migrations' rows (the K-DISC group) again.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.path.exists(REDIS_SERVER) and os.environ.get("CI") != "true",
        reason="needs redis-server to start a private Redis",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder, self.process = port, folder, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(free_port(), tmp_path)
    yield server
    server.stop()


@contextlib.contextmanager
def publishing_to(url: str):
    """Point this process's Celery app (and so `enqueue`) at `url` for the test."""
    previous = app.conf.broker_url
    app.conf.broker_url = url
    _reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        _reset_pools()


def _reset_pools() -> None:
    # kombu keeps one connection pool per broker URL in a registry of its own, and app.pool
    # is the registry's entry: closing it without emptying the registry hands the closed
    # pool back to the next publisher of that URL ("Acquire on closed pool").
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class Workers:
    """Start Celery workers on the private Redis and the test's database; kill them all."""

    def __init__(self, redis: PrivateRedis, mailbox: Path, logs: Path) -> None:
        self.redis, self.mailbox, self.logs = redis, mailbox, logs
        self.smsbox = logs / "smsbox"
        self.smsbox.mkdir(exist_ok=True)
        self.running: list[subprocess.Popen] = []

    def start(
        self, *, mail_delay: float = 0.0, sms_delay: float = 0.0, concurrency: int = 2
    ) -> subprocess.Popen:
        log = self.logs / f"worker-{len(self.running)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
            "DATABASE_URL": database_url(),  # the SAME database this test uses
            "REDIS_URL": self.redis.url,
            "WNH_TEST_MAILBOX": str(self.mailbox),
            "WNH_TEST_MAIL_DELAY": str(mail_delay),
            "WNH_TEST_SMSBOX": str(self.smsbox),
            "WNH_TEST_SMS_DELAY": str(sms_delay),
            # The test's clock, not the machine's (tests/support/clock.py).
            "WNH_TEST_NOW": timezone.now().isoformat(),
            # Tomorrow's bookings are due their evening reminder whenever the test runs.
            "WNH_REMINDER_EVENING_AT": "00:00",
            "PYTHONPATH": str(ROOT),
        }
        with log.open("w") as out:
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "celery", "-A", "wnh", "worker", "--loglevel", "INFO"]
                + ["--concurrency", str(concurrency), "-n", f"test-{uuid.uuid4().hex[:8]}@%h"]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill the pool with it
            )
        self.running.append(worker)
        wait_for(lambda: " ready." in log.read_text(), timeout=30, what=f"worker ({log})")
        return worker

    def kill(self, worker: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool, as if the machine died."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def kill_all(self) -> None:
        for worker in self.running:
            self.kill(worker)
        # The test database is flushed and later dropped: wait until their sessions are gone.
        end_other_sessions(timeout=15)


def wait_for(condition, *, timeout: float, what: str, every=None) -> None:
    """Poll `condition`; call `every` (say, publish a sweep) every 2 seconds meanwhile."""
    start = last = time.monotonic()
    while not condition():
        now = time.monotonic()
        if now - start > timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        if every and now - last >= 2:
            every()
            last = now
        time.sleep(0.2)


@pytest.fixture
def mailbox(tmp_path) -> Path:
    folder = tmp_path / "mailbox"
    folder.mkdir()
    return folder


@pytest.fixture
def workers(redis_server, mailbox, tmp_path):
    pool = Workers(redis_server, mailbox, tmp_path)
    yield pool
    pool.kill_all()


@pytest.fixture
def tomorrows_bookings(today):
    """N people, each booked into a seat at one centre (open every day) for tomorrow."""

    def make(n: int) -> list[SeatBooking]:
        centre = CentreFactory(name="Kalamassery", open_weekdays=weekdays.ALL_DAYS)
        seats = [
            seat
            for _ in range(-(-n // 12))
            for seat in PodFactory(centre=centre, capacity=12).seats.all()
        ]
        tomorrow = today + timedelta(days=1)
        return [
            book_seat(user=UserFactory(email=f"p{i}@example.com"), seat=seats[i], day=tomorrow)
            for i in range(n)
        ]

    return make


def reminder_ids(bookings) -> set[str]:
    return {f"<reminder-evening-{booking.pk}@wnh-seats>" for booking in bookings}


def publish(task, url: str) -> None:
    with app.connection_for_write(url) as conn:
        task.apply_async(connection=conn)


def test_a_worker_sends_each_reminder_exactly_once_when_swept_twice(
    redis_server, workers, mailbox, tomorrows_bookings
):
    bookings = tomorrows_bookings(12)
    redis_server.start()
    workers.start(concurrency=2)

    # Two sweeps at once (beat fired twice, or a redelivery): they split the batch.
    publish(send_due_reminders, redis_server.url)
    publish(send_due_reminders, redis_server.url)
    wait_for(lambda: len(message_ids(mailbox)) == 12, timeout=30, what="12 reminders")
    publish(send_due_reminders, redis_server.url)  # and once more, later
    time.sleep(2)

    counts = message_ids(mailbox)
    assert set(counts) == reminder_ids(bookings)
    assert set(counts.values()) == {1}
    assert not SeatBooking.objects.filter(reminder_sent_at=None).exists()


def test_a_worker_killed_mid_batch_loses_and_repeats_no_reminder(
    redis_server, workers, mailbox, tomorrows_bookings
):
    bookings = tomorrows_bookings(16)
    redis_server.start()
    # A slow mail server (0.25 s a message) so the kill lands in the middle of the batch.
    first = workers.start(mail_delay=0.25, concurrency=1)
    publish(send_due_reminders, redis_server.url)
    wait_for(lambda: len(message_ids(mailbox)) >= 4, timeout=30, what="a few reminders")

    workers.kill(first)
    sent_before_the_kill = len(message_ids(mailbox))
    assert 4 <= sent_before_the_kill < 16

    workers.start(concurrency=2)
    wait_for(
        lambda: len(message_ids(mailbox)) == 16,
        timeout=40,
        what="every reminder after the restart",
        every=lambda: publish(send_due_reminders, redis_server.url),  # beat, impatient
    )
    time.sleep(1)

    counts = message_ids(mailbox)
    assert set(counts) == reminder_ids(bookings)
    assert set(counts.values()) == {1}


def test_a_worker_killed_mid_batch_loses_and_repeats_no_sms_reminder(
    redis_server, workers, mailbox, tomorrows_bookings
):
    """The SMS reminder is claimed as the email one is: sent inside the claim's transaction,
    so a worker killed while the provider is answering rolls its claim back."""
    bookings = tomorrows_bookings(16)
    phones = {}
    for i, booking in enumerate(bookings):
        phones[booking.user_id] = f"+9194470{i:05d}"
        User.objects.filter(pk=booking.user_id).update(
            phone=phones[booking.user_id], phone_verified=True, notify_by="sms"
        )
    redis_server.start()
    # A slow SMS provider (0.25 s a message) so the kill lands in the middle of the batch.
    first = workers.start(sms_delay=0.25, concurrency=1)
    publish(send_due_reminders, redis_server.url)
    wait_for(lambda: len(sms_numbers(workers.smsbox)) >= 4, timeout=30, what="a few SMS")

    workers.kill(first)
    sent_before_the_kill = len(sms_numbers(workers.smsbox))
    assert 4 <= sent_before_the_kill < 16

    workers.start(concurrency=2)
    wait_for(
        lambda: len(sms_numbers(workers.smsbox)) == 16,
        timeout=40,
        what="every SMS reminder after the restart",
        every=lambda: publish(send_due_reminders, redis_server.url),
    )
    time.sleep(1)

    counts = sms_numbers(workers.smsbox)
    assert set(counts) == set(phones.values())
    assert set(counts.values()) == {1}
    assert message_ids(mailbox) == {}  # they chose SMS only
    assert not SeatBooking.objects.filter(reminder_sent_at=None).exists()


def test_nothing_is_lost_while_redis_is_down(
    redis_server, workers, mailbox, tomorrows_bookings, today, caplog
):
    caplog.set_level(logging.ERROR, logger="bookings.tasks")
    with publishing_to(redis_server.url):  # ...which is not running
        bookings = tomorrows_bookings(12)  # a full pod tomorrow: bookings still succeed
        centre = bookings[0].seat.pod.centre
        waiting = UserFactory(email="waiting@example.com")
        entry = join_waitlist(user=waiting, centre=centre, day=today + timedelta(days=1))
        # The cancellation commits; its hook fails to enqueue the waitlist task, and says so.
        cancel_booking(booking=bookings[0], by=bookings[0].user)
    assert "Could not enqueue bookings.serve_waitlist" in caplog.text
    assert SeatBooking.objects.filter(status="booked").count() == 11

    redis_server.start()  # Redis is back; beat's next sweeps go through
    workers.start(concurrency=2)
    publish(send_due_reminders, redis_server.url)
    publish(sweep_waitlists, redis_server.url)
    wait_for(lambda: len(message_ids(mailbox)) == 12, timeout=30, what="11 reminders, 1 offer")

    counts = message_ids(mailbox)
    assert set(counts.values()) == {1}
    assert reminder_ids(bookings[1:]) <= set(counts)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert entry.offered_seat_id == bookings[0].seat_id


def test_the_worker_settings_reach_the_test_database():
    """Guards the others: a worker pointed at another database would prove nothing."""
    assert database_url().endswith("/" + connection.settings_dict["NAME"])
    assert connection.settings_dict["NAME"].startswith("test_")
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def test_publishing_to_another_broker_leaves_the_portals_broker_usable_after():
    """A test that points the app at a private Redis must not leave the next test's
    publisher a closed pool ("Acquire on closed pool", logged as a lost enqueue)."""
    app.pool.acquire().release()  # the portal's broker pool is now in kombu's registry
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        app.pool.acquire().release()
    app.pool.acquire(block=False).release()
