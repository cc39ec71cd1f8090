"""The database router: reports and statements may read from the replica; availability,
every booking path and every write stay on the primary. The replica here is a second alias
on the test database itself (a mirror), so each assertion is about which alias a query used.
"""

from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from bookings.core import statements
from bookings.core.pods import free_seats
from bookings.core.services import book_any_seat, book_seat
from bookings.models import SeatBooking
from bookings.operations import occupancy
from centres.models import Centre
from tests.deploy.probe import databases_with
from wnh.routers import REPLICA, replica_reads


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup, django_db_blocker):
    """A `replica` alias on the test database, as DATABASE_REPLICA_URL would add one, with
    Django's TEST MIRROR (not flushed apart from default). Added before each test's database
    setup, which must be told about it (`databases` below)."""
    connections.settings[REPLICA] = {
        **connections["default"].settings_dict,
        "TEST": {"MIRROR": "default"},
    }
    yield
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


# Replicas are PostgreSQL's (DATABASE_REPLICA_URL). On SQLite the mirror alias is a second
# connection to the test database's file, and a flush at teardown now and then failed on a
# foreign key there, leaving rows behind for every later test of the worker.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]


@pytest.fixture
def replica():
    return connections[REPLICA]


@pytest.fixture
def no_replica():
    """The alias away for one test, as with DATABASE_REPLICA_URL unset."""
    saved = connections.settings.pop(REPLICA)
    yield
    connections.settings[REPLICA] = saved


class Queries:
    """The queries each alias ran inside the block."""

    def __init__(self):
        self.on = {}

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in connections}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for alias, context in self.contexts.items():
            context.__exit__(*exc)
            self.on[alias] = [query["sql"] for query in context.captured_queries]


def test_the_occupancy_report_reads_from_the_replica(replica, centre, today):
    with Queries() as queries:
        occupancy.report(
            centres=Centre.objects.filter(pk=centre.pk), first=today - timedelta(7), last=today
        )
    assert queries.on[REPLICA]
    assert queries.on["default"] == []


def test_a_company_statement_reads_from_the_replica(replica, company, today):
    with Queries() as queries:
        statements.monthly_statement(company=company, month=today.replace(day=1))
    assert queries.on[REPLICA]
    assert queries.on["default"] == []


def test_availability_reads_from_the_primary(replica, centre, seat, next_open_day):
    with Queries() as queries:
        list(free_seats(centre=centre, day=next_open_day))
    assert queries.on["default"]
    assert queries.on[REPLICA] == []


def test_booking_stays_on_the_primary_even_when_asked_to_use_the_replica(
    replica, centre, seat, professional, other_professional, next_open_day
):
    with Queries() as queries, replica_reads():
        book_seat(user=professional, seat=seat, day=next_open_day)
        book_any_seat(user=other_professional, centre=centre, day=next_open_day)
    assert queries.on[REPLICA] == []
    assert any(sql.startswith("INSERT") for sql in queries.on["default"])
    assert SeatBooking.objects.using("default").filter(day=next_open_day).count() == 2


def test_a_read_inside_a_transaction_on_the_primary_stays_there(replica, company, today):
    with Queries() as queries, transaction.atomic():
        statements.monthly_statement(company=company, month=today.replace(day=1))
    assert queries.on["default"]
    assert queries.on[REPLICA] == []


def test_without_a_replica_the_reports_read_from_the_primary(centre, today, no_replica):
    with Queries() as queries:
        occupancy.report(centres=Centre.objects.filter(pk=centre.pk), first=today, last=today)
    assert queries.on["default"]


def test_the_replica_alias_exists_only_when_its_url_is_set():
    databases = databases_with(DATABASE_URL="postgres://wnh@primary:5432/wnh")
    assert set(databases) == {"default"}
    databases = databases_with(
        DATABASE_URL="postgres://wnh@primary:5432/wnh",
        DATABASE_REPLICA_URL="postgres://wnh@replica:5432/wnh",
    )
    assert databases["replica"]["ENGINE"] == "django.db.backends.postgresql"
    assert databases["replica"]["TEST"]["MIRROR"] == "default"
