"""A database out of reach (a restart, a failover) answers 503 with Retry-After, never a 500,
whichever layer first asks it: a view, the API, or a middleware loading the signed-in person
(wnh/db.py `is_unavailable`, wnh/failures.py)."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from wnh.db import Busy, DatabaseUnavailable, as_busy, is_unavailable

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_down(monkeypatch):
    """Every new connection is refused as PostgreSQL refuses one while it shuts down."""

    def refuse():
        def get_new_connection(params):
            raise connection.Database.OperationalError("the database system is shutting down")

        connection.close()
        monkeypatch.setattr(connection, "get_new_connection", get_new_connection)

    yield refuse
    monkeypatch.undo()
    connection.close()


def test_a_page_that_reads_the_database_answers_503_with_retry_after(database_down):
    client = Client(raise_request_exception=False)
    database_down()

    response = client.get("/centres/", {"lat": "9.0", "lon": "76.7"})

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "briefly unavailable" in response.content.decode()


def test_a_signed_in_person_whose_account_cannot_be_read_gets_503_not_500(
    database_down, professional
):
    client = Client(raise_request_exception=False)
    client.force_login(professional)
    database_down()

    response = client.get("/bookings/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"


def test_the_api_answers_503_in_its_error_shape(database_down, professional):
    client = Client(raise_request_exception=False)
    client.force_login(professional)
    database_down()

    response = client.post(
        "/api/v1/bookings/", {"centre": "x", "day": "2026-12-09"}, content_type="application/json"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json()["code"] == "unavailable"


class _DriverError(Exception):
    def __init__(self, pgcode):
        self.pgcode = pgcode


def _wrapped(pgcode) -> OperationalError:
    error = OperationalError("driver error")
    error.__cause__ = _DriverError(pgcode)
    return error


@pytest.mark.parametrize(
    ("pgcode", "meaning"),
    [
        (None, DatabaseUnavailable),  # connection refused, server closed the connection
        ("57P01", DatabaseUnavailable),  # admin_shutdown: terminated by a restart
        ("57P03", DatabaseUnavailable),  # cannot_connect_now: starting up
        ("08006", DatabaseUnavailable),  # connection_failure
        ("55P03", Busy),  # lock_not_available: a lock wait ran out
        ("57014", None),  # query_canceled: a statement timeout is no outage
        ("42601", None),  # a syntax error is ours to mend: a 500
    ],
)
def test_which_database_errors_mean_unavailable(pgcode, meaning):
    busy = as_busy(_wrapped(pgcode))

    assert type(busy) is meaning if meaning else busy is None
    assert is_unavailable(_wrapped(pgcode)) is (meaning is DatabaseUnavailable)
