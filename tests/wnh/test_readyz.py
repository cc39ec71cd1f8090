"""/readyz: green when the database, the migrations, the cache and the broker are fine; a
503 naming what failed, within seconds, when one is not; green again once it is back."""

import socket
import time

import pytest
from django.db import connection
from django.db.migrations import Migration
from django.test import override_settings

from wnh import health
from wnh.celery import app


def closed_port() -> int:
    """A local port nobody listens on (bound, read, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def readyz(client):
    started = time.monotonic()
    response = client.get("/readyz")
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_it_is_green_when_everything_answers(client):
    response, _ = readyz(client)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_without_asking_anyone(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_it_names_the_cache_when_redis_is_gone(client):
    gone = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    with override_settings(CACHES=gone):
        response, seconds = readyz(client)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"].startswith("error: ")
    assert seconds < 5


@pytest.mark.django_db
def test_it_names_the_broker_when_it_is_gone(client):
    previous = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    try:
        response, seconds = readyz(client)
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
    assert seconds < 5
    assert readyz(client)[0].status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_names_the_database_when_it_is_gone_and_recovers_by_itself(client):
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(closed_port())
    try:
        response, seconds = readyz(client)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database", "migrations"]
    assert body["checks"]["migrations"] == "skipped: no database"
    assert seconds < 5
    # Nothing to restart: the next probe connects afresh.
    assert readyz(client)[0].status_code == 200


@pytest.mark.django_db
def test_it_is_not_ready_while_a_migration_is_not_applied(client, monkeypatch):
    class Unmigrated(health.MigrationExecutor):
        def migration_plan(self, targets, clean_start=False):
            return [(Migration("0999_not_yet", "bookings"), False)]

    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health, "MigrationExecutor", Unmigrated)
    response, _ = readyz(client)
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
