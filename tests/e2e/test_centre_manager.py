"""A centre manager in Chromium: the occupancy report of their own centre, figures computed
at a button's press (a stand-in worker runs the queued task), closed days marked; the
public centre page names its host. Screenshots at 1280 and 360 px in test-artifacts/."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import StaffScope
from accounts.staff import CENTRE_MANAGERS_GROUP
from bookings import tasks
from centres.models import Centre, CentreClosure
from tests.e2e.conftest import assert_accessible, log_in_staff
from tests.support.factories import CentreFactory, PodFactory, SeatBookingFactory, UserFactory


@pytest.fixture
def manager_world(live_server, monkeypatch):
    mine = CentreFactory(
        name="Kalamassery",
        host_kind=Centre.HostKind.POLYTECHNIC,
        host_name="Government Polytechnic College, Kalamassery",
    )
    CentreFactory(name="Somebody Else's Centre")
    pod = PodFactory(centre=mine, capacity=8)
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(14, 0, -1)]
    for n, day in enumerate(days):
        for position in range(1, 2 + n % 6):
            SeatBookingFactory(seat=pod.seats.get(position=position), day=day)
    holiday = next(d for d in days if d.weekday() < 5)
    CentreClosure.objects.create(centre=mine, day=holiday, reason="Onam")
    manager = UserFactory(email="manager@kalamassery.example", is_staff=True)
    manager.groups.add(Group.objects.get(name=CENTRE_MANAGERS_GROUP))
    StaffScope.objects.create(user=manager, kind=StaffScope.Kind.CENTRE_MANAGER).centres.add(mine)
    # The worker, played here: the queued task runs as soon as it is sent.
    monkeypatch.setattr(tasks, "enqueue", lambda task, **kwargs: task.run(**kwargs))
    return {"centre": mine, "manager": manager, "first": days[0], "last": days[-1]}


def test_a_manager_computes_and_reads_their_centres_occupancy(
    page, live_server, manager_world, artifacts, console_errors
):
    centre = manager_world["centre"]
    log_in_staff(page, live_server, manager_world["manager"])
    page.set_viewport_size({"width": 1280, "height": 900})
    url = (
        f"{live_server.url}/admin/bookings/occupancydaily/report/?centre={centre.pk}"
        f"&from={manager_world['first']}&to={manager_world['last']}"
    )
    page.goto(url)

    options = page.locator("#id_centre option").all_inner_texts()
    assert "Somebody Else's Centre" not in options
    assert "have not been computed yet" in page.content()
    page.screenshot(path=artifacts / "manager-occupancy-missing-1280.png", full_page=True)
    page.get_by_role("button", name="Compute the figures now").click()
    page.wait_for_load_state()

    assert "Figures computed" in page.content()
    assert page.locator("td", has_text="Closed").count() >= 1
    assert page.locator("svg polyline").count() == 2
    assert_accessible(page)
    page.screenshot(path=artifacts / "manager-occupancy-ready-1280.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=artifacts / "manager-occupancy-ready-360.png", full_page=True)
    assert console_errors == []


def test_the_public_centre_page_names_the_host(page, live_server, manager_world, artifacts):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + manager_world["centre"].get_absolute_url())

    assert page.get_by_text("Government Polytechnic College, Kalamassery (Polytechnic)").count()
    page.screenshot(path=artifacts / "centre-host-360.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=artifacts / "centre-host-1280.png")
