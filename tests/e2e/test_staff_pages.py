"""K-DISC staff pages in Chromium under the strict CSP: nothing blocked, nothing broken."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from tests.e2e.conftest import assert_accessible, log_in_staff


@pytest.fixture
def staff_session(page, live_server, staff_user):
    call_command("setup_schedules", verbosity=0)
    log_in_staff(page, live_server, staff_user)
    return page


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/bookings/seatbooking/",
        "/admin/bookings/podreservation/",
        "/admin/bookings/occupancydaily/report/",
        "/admin/bookings/occupancydaily/no-shows/",
        "/admin/centres/centre/add/",
    ],
)
def test_staff_pages_load_with_no_console_errors(staff_session, live_server, console_errors, path):
    response = staff_session.goto(live_server.url + path)

    assert response.status == 200
    assert console_errors == []


def test_the_schedule_form_runs_its_script_under_the_csp(
    staff_session, live_server, console_errors
):
    task = PeriodicTask.objects.exclude(name="celery.backend_cleanup").first()

    staff_session.goto(f"{live_server.url}/admin/django_celery_beat/periodictask/{task.pk}/change/")

    assert staff_session.locator("#periodic-task-overrides").count() == 1
    assert console_errors == []


def test_the_api_documentation_renders_under_the_csp(staff_session, live_server, console_errors):
    staff_session.goto(live_server.url + "/api/docs/")
    staff_session.wait_for_selector(".swagger-ui .info", timeout=10000)

    assert console_errors == []


def test_the_admin_index_is_accessible(staff_session, live_server):
    staff_session.goto(live_server.url + "/admin/")

    assert_accessible(staff_session)
