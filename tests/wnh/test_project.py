"""The project's own promises: migrations complete, deploy settings clean, demo data stable."""

import os
import subprocess
import sys
from io import StringIO

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command

from tests import ROOT_DIR

ROOT = ROOT_DIR


def test_no_model_change_is_missing_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_seed_demo_twice_gives_the_same_row_counts(db):
    def counts():
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model._meta.app_label in {"accounts", "centres", "companies", "bookings"}
        }

    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())

    assert counts() == first
    assert first["centres.Centre"] == 7
    assert first["bookings.SeatBooking"] > 0


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-9f8e7d6c5b4a",
        DJANGO_ALLOWED_HOSTS="seats.wnh.kerala.gov.in",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_the_development_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_docker_compose_runs_every_part_of_the_portal_from_real_modules():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert {"web", "worker-mail", "beat", "db", "redis"} <= set(services)
    web, worker, beat = (
        " ".join(services[name]["command"]) for name in ("web", "worker-mail", "beat")
    )
    assert "gunicorn" in web
    assert "wnh.wsgi:application" in web
    assert "celery -A wnh worker" in worker
    assert "celery -A wnh beat" in beat
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat
    import importlib

    for module in ("wnh.wsgi", "wnh.celery", "django_celery_beat.schedulers"):
        importlib.import_module(module)
    for name in ("web", "worker-mail", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")


def test_the_openapi_schema_is_valid_and_warning_free(db, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    schema = yaml.safe_load((tmp_path / "schema.yml").read_text())
    assert {"/api/bookings/", "/api/centres/"} <= set(schema["paths"])


def test_seed_demo_refuses_a_deployment_with_its_own_secret_key(db, settings):
    from django.core.management import CommandError

    settings.SECRET_KEY = "a-real-production-secret-key-that-is-long-and-random-0123456789"

    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=StringIO())
    assert not apps.get_model("centres", "Centre").objects.exists()
