"""Fixtures every test folder shares: people, a centre with pods, dates, and a race runner."""

import fcntl
import os
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone, translation

from tests.support.clock import suite_moment
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    UserFactory,
)
from wnh import sms, weekdays
from wnh.sms.tasks import send_sms

# The shared personas and situations beyond the ones below (companies, background work), and
# the world the fuzz runs in.
pytest_plugins = ["tests.support.personas", "tests.support.fuzz"]


def pytest_configure(config):
    _sqlite_test_database_in_a_file()
    _a_redis_database_per_worker()


def _sqlite_test_database_in_a_file() -> None:
    """On SQLite the tests use a database file beside the portal's (var/test_wnh.sqlite3, with
    _gw0, _gw1 after it under xdist), not Django's shared in-memory database.

    With the in-memory one, the live server's request threads and the test's own thread all
    share ONE connection (nothing else can see that database): a request still running when a
    browser test ends, or two requests at once, ran inside another's transaction, and the flush
    after a browser test failed on a foreign key, and every later browser test with it. Seen
    under xdist, where two workers slow each other down. With a file, every thread opens its
    own connection, as on PostgreSQL.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3" or database.get("TEST", {}).get("NAME"):
        return
    test_file = Path(database["NAME"]).with_name(f"test_{Path(database['NAME']).name}")
    test_file.parent.mkdir(parents=True, exist_ok=True)
    database.setdefault("TEST", {})["NAME"] = str(test_file)


# -- the fuzz's summary line: how many requests it sent (tests/support/fuzz.py) ---------------

FUZZ_REQUESTS_OF_WORKERS: list[int] = []


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands its count to the main process, which prints the line: a
    worker's own summary is never shown."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from tests.support.fuzz import SENT

        workeroutput["fuzz_requests"] = SENT["requests"]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's main process: what a worker's fuzz sent."""
    FUZZ_REQUESTS_OF_WORKERS.append(getattr(node, "workeroutput", {}).get("fuzz_requests", 0))


def pytest_terminal_summary(terminalreporter):
    from tests.support.fuzz import SENT

    if sent := sum(FUZZ_REQUESTS_OF_WORKERS) + SENT["requests"]:
        terminalreporter.write_line(f"fuzz: {sent} requests, none answered 5xx")


def _a_redis_database_per_worker() -> None:
    """Under pytest-xdist, worker gwN uses the Redis database N above REDIS_URL's (CI: 0, 1).

    Every test ends with cache.clear(), a FLUSHDB: on one database the workers would wipe each
    other's rate limits, sessions and idempotency keys in mid-test, read each other's cached
    seat maps (both test databases have a centre 1), and share one broker's queues.
    """
    from django.conf import settings
    from django.test import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not settings.REDIS_URL:
        return
    offset = int(worker.removeprefix("gw"))

    def moved(url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        number = int(parts.path.strip("/") or 0) + offset
        if number > 15:
            raise pytest.UsageError(
                f"{worker} would use Redis database {number} of {url}: a Redis has 16 (0-15). "
                "Point REDIS_URL at a lower database or run fewer workers (-n)."
            )
        return urllib.parse.urlunsplit(parts._replace(path=f"/{number}"))

    redis_url, cache_url = moved(settings.REDIS_URL), moved(settings.REDIS_CACHE_URL)
    caches = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": cache_url}}
    # Before any test: the cache handler is rebuilt from the new CACHES (setting_changed).
    override_settings(
        REDIS_URL=redis_url, REDIS_CACHE_URL=cache_url, CACHES=caches, CELERY_BROKER_URL=redis_url
    ).enable()
    from wnh.celery import app

    app.conf.broker_url = redis_url
    # Processes the tests start with this environment (the HTTP bench) use it too.
    os.environ["REDIS_URL"] = redis_url
    if "REDIS_CACHE_URL" in os.environ:
        os.environ["REDIS_CACHE_URL"] = cache_url


def pytest_collection_modifyitems(config, items):
    """PostgreSQL- and Redis-only tests skip with a reason on a laptop; under CI they run."""
    from django.conf import settings

    _serialize_every_transactional_test(items)

    on_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    engine = settings.DATABASES["default"]["ENGINE"]
    missing = {
        "postgres": "postgresql" not in engine and "needs PostgreSQL: set DATABASE_URL",
        "redis": not settings.REDIS_URL and "needs Redis: set REDIS_URL",
    }
    for item in items:
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker):
                if on_ci:
                    raise pytest.UsageError(f"CI=true but {item.nodeid} {reason}")
                item.add_marker(pytest.mark.skip(reason=reason))


def _serialize_every_transactional_test(items) -> None:
    """Give every transactional test serialized_rollback, so the rows migrations made (the
    Site, the K-DISC group, the localities) are back after its flush; browser tests last.

    A flush without serialized rollback lets post_migrate remake content types under new
    ids, and a later test that restores the serialized rows then collides with them. Browser
    tests cannot have it: Playwright's sync API runs the test in another context, whose
    database connection never saw the serialized copy. So they run after every other test
    and restore what they need themselves (tests/e2e/conftest.py).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        if "live_server" in getattr(item, "fixturenames", ()):
            continue
        if kwargs.get("transaction") and not kwargs.get("serialized_rollback"):
            kwargs.update(serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    items.sort(key=lambda item: "live_server" in getattr(item, "fixturenames", ()))


# One per machine: the stack's ports are.
STACK_LOCK = Path(tempfile.gettempdir()) / "wnh-ops-stack.lock"


@pytest.fixture(autouse=True)
def _one_stack_at_a_time(request):
    """A test that starts the Compose stack binds its fixed ports (tests/deploy/stack.py): two at
    once, from the two xdist workers of `make test` or two runs on one machine, would take each
    other's. The second waits for the first here. (xdist_group cannot say it: pytest-xdist
    3.8.0's --dist loadgroup sets a node id that pytest 9.2 no longer reads.)"""
    if request.node.get_closest_marker("stack") is None:
        yield
        return
    with STACK_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, monkeypatch):
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SMS_BACKEND = "wnh.sms.backends.MemoryBackend"
    settings.SMS_OPTIONS = {}
    sms.outbox.clear()
    # A queued SMS (wnh.sms.send_later) is sent at once in this process, as a worker would
    # send it; tests/wnh/sms/ test the task's retries and the broker themselves.
    monkeypatch.setattr(
        send_sms, "apply_async", lambda kwargs, **options: send_sms.apply(kwargs=kwargs)
    )
    # A request leaves its language active in the thread (the profile's, LocaleMiddleware's):
    # each test starts in the default one, whatever the test before it asked for.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
    # allauth keeps its rate limits in the cache: one test's sign-ups must not limit the next.
    cache.clear()


@pytest.fixture(autouse=True)
def _rows_migrations_made(request):
    """The rows data migrations make (the K-DISC staff groups, the Site, the localities) are
    there for every database test, even after a transactional test's flush left the tables
    empty for the tests that follow it (the localities are not serialized: 5,000 rows)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if "live_server" in names:
        return  # browser tests restore them themselves (tests/e2e/conftest.py)
    if marker is not None:
        transactional = marker.kwargs.get("transaction", False)
    elif "transactional_db" in names or "db" in names:
        transactional = "transactional_db" in names
    else:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group

    from accounts.site import sync_site
    from accounts.staff import KDISC_STAFF_GROUP, sync_kdisc_staff_group
    from centres.models import Locality
    from centres.post_offices import load_localities

    if not Group.objects.filter(name=KDISC_STAFF_GROUP).exists():
        sync_site()
        sync_kdisc_staff_group(django_apps)
    if not Locality.objects.exists():
        load_localities(Locality)


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at the suite's moment (tests/support/clock.py), never the machine's clock.

    The clock ticks from there. A test about a moment moves it: `clock.move_to(at(...))`.
    """
    with time_machine.travel(suite_moment(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def today(clock) -> date:
    return timezone.localdate()


@pytest.fixture
def next_open_day(today) -> date:
    """The first day after today on which the default centre (Mon-Sat) is open."""
    day = today + timedelta(days=1)
    while not weekdays.includes(weekdays.MONDAY_TO_SATURDAY, day):
        day += timedelta(days=1)
    return day


@pytest.fixture
def centre(db):
    return CentreFactory()


@pytest.fixture
def pod(centre):
    return PodFactory(centre=centre, capacity=4)


@pytest.fixture
def seat(pod):
    return pod.seats.get(position=1)


@pytest.fixture
def professional(db):
    return UserFactory(email="asha@example.com")


@pytest.fixture
def other_professional(db):
    return UserFactory(email="binu@example.com")


@pytest.fixture
def staff_user(db):
    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.staff import KDISC_STAFF_GROUP, sync_kdisc_staff_group

    # The group comes from a data migration; a transactional test's flush empties it, so
    # remake it the way the migration does.
    sync_kdisc_staff_group(apps)
    user = UserFactory(email="staff@kdisc.example", is_staff=True)
    user.groups.add(Group.objects.get(name=KDISC_STAFF_GROUP))
    return user


@pytest.fixture
def company(db):
    return CompanyFactory(name="Technopark Tiles")


@pytest.fixture
def company_admin(company):
    return MembershipFactory(company=company, role="admin").user


@pytest.fixture
def company_member(company):
    return MembershipFactory(company=company, role="member").user


class RaceResults(list):
    def count_of(self, kind: type) -> int:
        return sum(isinstance(result, kind) for result in self)


def race(n: int, attempt: Callable[[int], object]) -> RaceResults:
    """Run `attempt(i)` for i in 0..n-1 in n threads released at once, each on its own
    database connection. Returns what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = attempt(i)
        except Exception as error:  # the race's losers: recorded, not raised
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return RaceResults(results)
