import re

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from bookings.management.commands.setup_schedules import SCHEDULES
from tests.support.second_factor import log_in_staff

pytestmark = pytest.mark.django_db


def test_setup_schedules_creates_every_periodic_task_in_kolkata_time():
    call_command("setup_schedules", stdout=None)

    tasks = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}
    assert set(SCHEDULES) <= set(tasks)
    rollup = tasks["Occupancy rollup (yesterday)"]
    assert rollup.task == "bookings.rollup_occupancy"
    assert (rollup.crontab.minute, rollup.crontab.hour) == ("30", "0")
    assert str(rollup.crontab.timezone) == "Asia/Kolkata"


def test_setup_schedules_twice_keeps_a_time_staff_changed():
    call_command("setup_schedules")
    task = PeriodicTask.objects.get(name="Occupancy rollup (yesterday)")
    task.crontab = CrontabSchedule.objects.create(minute="15", hour="2", timezone="Asia/Kolkata")
    task.enabled = False
    task.save()

    call_command("setup_schedules")

    task.refresh_from_db()
    assert (task.crontab.minute, task.crontab.hour, task.enabled) == ("15", "2", False)
    assert PeriodicTask.objects.filter(name__in=SCHEDULES).count() == len(SCHEDULES)


@pytest.fixture
def kdisc_client(client, staff_user):
    log_in_staff(client, staff_user)
    return client


def test_the_periodic_task_forms_script_carries_the_csp_nonce(kdisc_client):
    call_command("setup_schedules")
    task = PeriodicTask.objects.get(name="Booking reminders")

    response = kdisc_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    [nonce] = re.findall(r"'nonce-([^']+)'", policy.split("script-src")[1].split(";")[0])
    page = response.content.decode()
    assert f'<script id="periodic-task-overrides" nonce="{nonce}">' in page
