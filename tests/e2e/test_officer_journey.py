"""A K-DISC officer's morning in the admin, in Chromium at 1280 px: create a centre with two
pods, add a closure day, approve a company from the front page in three clicks, confirm its
pod reservation, check a person in at the desk. Every page axe-clean; screenshots saved."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from bookings.core.reservations import request_pod_reservation
from bookings.core.services import book_seat
from bookings.models import PodReservation, SeatBooking
from bookings.operations import occupancy
from centres.models import Centre, CentreClosure
from companies.models import Company
from tests.e2e.conftest import assert_accessible, log_in_staff
from tests.support.clock import KOLKATA
from tests.support.factories import CompanyFactory, MembershipFactory, UserFactory
from wnh import weekdays

# Neither the page nor the list's own box (the admin lets a wide table scroll inside it).
FITS = """() => [document.documentElement, document.querySelector("#changelist .results")]
    .every(box => box.scrollWidth <= box.clientWidth)"""


def a_wednesday_morning(clock):
    """Centres open, check-in open: the officer's journey needs a working morning."""
    today = timezone.localdate()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7)
    clock.move_to(datetime.combine(wednesday, time(10, 30), tzinfo=KOLKATA))
    return wednesday


class Journey:
    def __init__(self, page, live_server, artifacts, console_errors):
        self.page, self.url, self.artifacts, self.shots = page, live_server.url, artifacts, 0
        self.errors = console_errors

    def goto(self, path: str) -> None:
        assert self.page.goto(self.url + path).status == 200, path

    def click(self, role: str, name: str, inside: str = "#content") -> None:
        self.page.locator(inside).get_by_role(role, name=name, exact=True).click()
        self.page.wait_for_load_state()

    def check(self, name: str) -> None:
        """axe-clean, then a screenshot in test-artifacts/."""
        seen = len(self.errors)
        assert_accessible(self.page)
        # axe-core itself applies an inline style on form pages, which the strict CSP
        # blocks and reports: that is the tool's, not the page's.
        self.errors[seen:] = [e for e in self.errors[seen:] if "Applying inline style" not in e]
        self.shots += 1
        path = self.artifacts / f"officer-{self.shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def message(self) -> str:
        return self.page.locator("ul.messagelist").inner_text()


@pytest.mark.django_db(transaction=True)
def test_an_officer_runs_a_centre_from_the_admin(
    page, live_server, artifacts, staff_user, clock, console_errors
):
    today = a_wednesday_morning(clock)
    company = CompanyFactory(name="Kollam Code Works", status=Company.Status.PENDING)
    founder = MembershipFactory(company=company, role="admin").user
    asha = UserFactory(email="asha@example.com", full_name="Asha Menon")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_staff(page, live_server, staff_user)
    journey = Journey(page, live_server, artifacts, console_errors)

    # 1. A new centre with two pods.
    journey.goto("/admin/centres/centre/add/")
    page.get_by_label("Name:", exact=True).fill("Varkala WNH")
    page.get_by_label("Status:").select_option(label="Open")
    page.get_by_label("Host institution:").select_option(label="College")
    page.get_by_label("Host institution's name:").fill("Sree Narayana College, Varkala")
    page.get_by_label("District:").select_option(label="Thiruvananthapuram")
    page.get_by_label("Local self-government body:").fill("Varkala Municipality")
    page.get_by_label("Address:").fill("SN College campus, Varkala")
    page.get_by_label("PIN code:").fill("695141")
    page.get_by_label("Latitude:").fill("8.7379")
    page.get_by_label("Longitude:").fill("76.7163")
    assert page.get_by_role("checkbox", name="Saturday").is_checked()
    assert not page.get_by_role("checkbox", name="Sunday").is_checked()
    page.get_by_role("checkbox", name="Fibre internet").check()
    for number, capacity in enumerate(["6", "8"]):
        page.get_by_role("button", name="Add another Pod").click()
        page.locator(f"#id_pods-{number}-code").fill(f"P{number + 1}")
        page.locator(f"#id_pods-{number}-capacity").fill(capacity)
    journey.check("new-centre-filled")
    journey.click("button", "Save and continue editing")
    centre = Centre.objects.get(name="Varkala WNH")
    assert centre.slug == "varkala-wnh"  # the admin's script fills it from the name
    assert centre.open_weekdays == weekdays.MONDAY_TO_SATURDAY
    assert centre.amenities == ["Fibre internet"]
    assert [(p.code, p.seats.count()) for p in centre.pods.order_by("code")] == [
        ("P1", 6),
        ("P2", 8),
    ]

    # 2. A closure day, on the centre's page.
    closure_day = today + timedelta(days=3)  # Saturday
    page.get_by_role("button", name="Add another Centre closure").click()
    page.locator("#id_closures-0-day").fill(closure_day.isoformat())
    page.locator("#id_closures-0-reason").fill("Sivagiri pilgrimage")
    journey.check("centre-with-closure")
    journey.click("button", "Save and continue editing")
    assert "was changed successfully" in journey.message()
    assert CentreClosure.objects.get(centre=centre).day == closure_day

    # 3. The pending company approved from the front page in three clicks.
    journey.goto("/admin/")
    journey.check("front-page")
    journey.click("link", "Kollam Code Works", inside="#work-queue")  # 1
    journey.check("company-page")
    journey.click("link", "Approve")  # 2
    journey.check("approve-confirm")
    journey.click("button", "Yes, approve")  # 3
    assert "Kollam Code Works is approved" in journey.message()
    company.refresh_from_db()
    assert company.status == Company.Status.APPROVED

    # 4. Its pod request, confirmed from the front page.
    reservation = request_pod_reservation(
        company=company,
        pod=centre.pods.get(code="P1"),
        first_day=today + timedelta(days=5),  # next Monday to Friday
        last_day=today + timedelta(days=9),
        weekday_mask=weekdays.MONDAY_TO_FRIDAY,
        requested_by=founder,
    )
    journey.goto("/admin/")
    journey.click("link", "Kollam Code Works: Varkala WNH P1", inside="#work-queue")
    journey.click("link", "Confirm")
    journey.check("reservation-confirm")
    journey.click("button", "Yes, confirm")
    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.CONFIRMED
    assert reservation.days.count() == 5

    # 5. Asha at the desk: today's arrivals at Varkala, her booking, check in.
    booking = book_seat(user=asha, seat=centre.pods.get(code="P2").seats.first(), day=today)
    journey.goto("/admin/")
    journey.check("front-page-arrivals")
    journey.click("link", "Varkala WNH", inside="#work-queue")
    journey.check("arrivals-list")
    assert page.evaluate(FITS), "the bookings list scrolls sideways at 1280 px"
    for column in ("Status", "Company"):
        header = page.locator("#result_list thead th", has_text=column).first.bounding_box()
        assert header["x"] + header["width"] <= 1280
    journey.click("link", "Asha Menon")
    journey.click("link", "Check in")
    journey.check("check-in-confirm")
    journey.click("button", "Yes, check in")
    assert "Checked in" in journey.message()
    journey.check("checked-in")
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CHECKED_IN

    # 6. The occupancy chart of the centre's first week, once the nightly rollup has run.
    clock.shift(timedelta(days=7))
    occupancy.rollup(first=today, last=today + timedelta(days=6))
    journey.goto(
        f"/admin/bookings/occupancydaily/report/?centre={centre.pk}"
        f"&from={today}&to={today + timedelta(days=6)}"
    )
    assert page.locator("svg polyline").count() >= 1
    assert page.locator("td", has_text="Closed").count() >= 1  # the closure day, not 0 %
    journey.check("occupancy-chart")

    # The front page and a decision on a phone's width too.
    page.set_viewport_size({"width": 360, "height": 800})
    journey.goto("/admin/")
    journey.check("front-page-360")
    journey.goto(f"/admin/companies/company/{company.pk}/decide/suspend/")
    journey.check("suspend-confirm-360")

    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_bookings_list_fits_1280_px_with_long_names(page, live_server, artifacts, staff_user):
    from tests.support.factories import CentreFactory, PodFactory, SeatBookingFactory

    today = timezone.localdate()
    centre = CentreFactory(name="Kottarakkara Work Near Home Centre")
    pod = PodFactory(centre=centre, code="P01", capacity=12)
    company = CompanyFactory(name="Thiruvananthapuram Technopark Software Services Pvt Ltd")
    for position in range(1, 5):
        person = UserFactory(
            email=f"sreelakshmi.unnikrishnan{position}@technopark-software-services.example",
            full_name=f"Sreelakshmi Unnikrishnan {position}",
        )
        SeatBookingFactory(
            seat=pod.seats.get(position=position), day=today, user=person, company=company
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_staff(page, live_server, staff_user)

    page.goto(f"{live_server.url}/admin/bookings/seatbooking/?when=today")
    page.screenshot(path=str(artifacts / "bookings-list-1280.png"), full_page=True)

    assert page.evaluate(FITS), "the bookings list scrolls sideways at 1280 px"
    for column in ("Status", "Company"):
        header = page.locator("#result_list thead th", has_text=column).first.bounding_box()
        assert header["x"] + header["width"] <= 1280
