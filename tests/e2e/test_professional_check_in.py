"""Check-in in a real browser: staff print the entrance page, a professional opens its link."""

import re
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import SeatBooking
from bookings.services import book_seat
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import CentreFactory, PodFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_print_the_code_and_scanning_it_checks_the_professional_in(
    browser, live_server, artifacts
):
    from django.contrib.auth.models import Group

    centre = CentreFactory(
        name="Kottarakkara",
        open_weekdays=127,
        opens_at=datetime.min.time(),
        closes_at=datetime.max.time().replace(microsecond=0),
    )
    seat = PodFactory(centre=centre, capacity=4).seats.first()
    professional = UserFactory(email="arun@example.com")
    booking = book_seat(user=professional, seat=seat, day=timezone.localdate())
    staff = UserFactory(email="desk@kdisc.example", is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name="K-DISC staff")[0])

    desk = browser.new_context().new_page()
    errors = []
    desk.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    log_in(desk, live_server, staff.email)
    desk.goto(f"{live_server.url}/centres/{centre.slug}/entrance/")
    qr = desk.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    desk.wait_for_function("document.querySelector('.qr img').naturalWidth > 100")
    assert_accessible(desk)
    desk.screenshot(path=str(artifacts / "entrance-qr.png"))
    qr_svg = desk.evaluate("fetch(document.querySelector('.qr img').src).then(r => r.text())")
    assert qr_svg.startswith("<svg")

    # The code encodes the check-in URL, with its signed token; the phone opens it.
    from bookings.centre_views import check_in_token

    phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    phone.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    log_in(phone, live_server, professional.email)
    phone.goto(f"{live_server.url}/centres/{centre.slug}/check-in/{check_in_token(centre)}/")
    assert_accessible(phone)
    phone.get_by_role("button", name="Check in now").click()
    expect(phone.locator("#messages")).to_contain_text("You are checked in at seat")
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CHECKED_IN

    # A guessed link (the slug alone) leads nowhere.
    response = phone.goto(f"{live_server.url}/centres/{centre.slug}/check-in/{centre.slug}/")
    assert response.status == 404
    assert errors == [] or all("404" in error for error in errors)
    desk.context.close()
    phone.context.close()
