"""Staff pause or re-time the Celery schedules; what a schedule runs only superusers change."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from tests.bookings.admin.forms import submitted_fields
from tests.support.factories import UserFactory
from tests.support.second_factor import force_login_staff


@pytest.fixture
def schedule(db):
    call_command("setup_schedules", verbosity=0)
    return PeriodicTask.objects.get(name="No-show release")


@pytest.fixture
def hourly(db):
    return CrontabSchedule.objects.create(minute="0", hour="*", timezone="Asia/Kolkata")


def edit(client, schedule, **changes):
    url = reverse("admin:django_celery_beat_periodictask_change", args=[schedule.pk])
    data = submitted_fields(client.get(url).content.decode(), form_id="periodictask_form")
    data.pop("enabled", None)  # an unticked box sends nothing
    return client.post(url, {**data, **changes, "_save": "Save"})


def test_staff_pause_a_schedule_and_change_its_time(client, staff_user, schedule, hourly):
    force_login_staff(client, staff_user)

    response = edit(client, schedule, crontab=hourly.pk)

    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.enabled is False
    assert schedule.crontab == hourly


def test_staff_cannot_change_what_a_schedule_runs(client, staff_user, schedule):
    force_login_staff(client, staff_user)
    page = client.get(
        reverse("admin:django_celery_beat_periodictask_change", args=[schedule.pk])
    ).content.decode()
    for name in ("name", "task", "regtask", "args", "kwargs", "queue"):
        assert f'name="{name}"' not in page

    edit(
        client,
        schedule,
        enabled="on",
        name="Renamed",
        task="bookings.send_due_reminders",
        args='["x"]',
        kwargs='{"a": 1}',
    )

    schedule.refresh_from_db()
    assert (schedule.name, schedule.task) == ("No-show release", "bookings.release_no_shows")
    assert (schedule.args, schedule.kwargs) == ("[]", "{}")


def test_a_superuser_may_change_what_a_schedule_runs(client, schedule):
    force_login_staff(client, UserFactory(is_staff=True, is_superuser=True))

    response = edit(client, schedule, enabled="on", name="Renamed", args='["x"]')

    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.name, schedule.args) == ("Renamed", '["x"]')
