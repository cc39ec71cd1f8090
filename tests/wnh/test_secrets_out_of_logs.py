"""Tokens that travel in URLs never reach a log: the portal's own nor gunicorn's access log."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from gunicorn.config import Config

from wnh.logs import REDACTED, RedactingGunicornLogger, redact

SECRET = "s3cr3t-T0KEN.value_42"
LINKS = [
    f"/centres/kottarakkara/check-in/{SECRET}/",
    f"/companies/invitations/{SECRET}/",
    f"/accounts/password/reset/key/1a-{SECRET}/",
    f"/accounts/confirm-email/{SECRET}/",
    f"/bookings/calendar/{SECRET}.ics",
    f"/centres/kottarakkara/?day=2026-12-03&token={SECRET}",
]


@pytest.mark.parametrize("link", LINKS)
def test_a_secret_in_a_link_is_redacted(link):
    assert SECRET not in redact(link)
    assert REDACTED in redact(link)


def test_links_without_secrets_stay_readable():
    assert redact("/centres/kottarakkara/check-in/") == "/centres/kottarakkara/check-in/"
    assert redact("/bookings/calendar/new-link/") == "/bookings/calendar/new-link/"
    assert redact("/bookings/calendar/abc.ics") == f"/bookings/calendar/{REDACTED}.ics"


def test_the_portals_log_of_a_missing_page_leaves_the_token_out(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/companies/invitations/{SECRET}/nothing-here/")

    assert response.status_code == 404
    assert caplog.records, "Django logs a 404"
    assert all(SECRET not in record.getMessage() for record in caplog.records)


def test_a_calendar_feed_request_logged_by_django_is_redacted(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("bookings:feed", args=[SECRET]))

    assert all(SECRET not in record.getMessage() for record in caplog.records)


def test_gunicorns_access_log_leaves_the_token_out():
    logger = RedactingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": LINKS[0] + "?next=" + SECRET,
        "PATH_INFO": LINKS[0],
        "QUERY_STRING": f"next={SECRET}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://seats.example{LINKS[1]}",
        "REMOTE_ADDR": "203.0.113.9",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=12))

    line = logger.cfg.access_log_format % atoms
    assert SECRET not in line
    assert "/centres/kottarakkara/check-in/" in line
    leaked = [name for name, value in atoms.items() if SECRET in str(value)]
    assert leaked == []
