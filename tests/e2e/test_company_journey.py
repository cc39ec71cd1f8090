"""A company's whole journey in the browser, under the strict CSP: register, K-DISC approval
in the Django admin, invite and accept, reserve a pod for two weeks (confirmed in the admin),
a member books a seat in it on the professional seat map (centres:detail), and the admin
sees it on the team view."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import PodReservation, SeatBooking
from companies.models import Company
from tests.e2e.conftest import assert_accessible, log_in, log_in_staff
from tests.support.factories import CentreFactory, PodFactory, UserFactory


def watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def next_monday():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 0:
        day += timedelta(days=1)
    return day


def admin_action(page, live_server, changelist: str, row_text: str, action: str) -> None:
    page.goto(f"{live_server.url}/admin/{changelist}/")
    row = page.locator("#result_list tbody tr", has_text=row_text)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", action)
    page.get_by_role("button", name="Go").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_company_registers_is_approved_reserves_a_pod_and_its_member_books_in_it(
    page, browser, live_server, console_errors, settings
):
    settings.WNH_BASE_URL = live_server.url
    centre = CentreFactory(name="Kottarakkara WNH", slug="kottarakkara")
    pod = PodFactory(centre=centre, code="P1", capacity=6)
    PodFactory(centre=centre, code="P2", capacity=4)
    UserFactory(email="founder@kcw.example", full_name="Meera Nair")
    UserFactory(email="dev@kcw.example", full_name="Arun Pillai")
    kdisc = UserFactory(email="kdisc@kdisc.example", is_staff=True, is_superuser=True)
    first = next_monday()
    last = first + timedelta(days=11)  # two working weeks, Monday to Friday

    # 1. The founder registers the company.
    log_in(page, live_server, "founder@kcw.example")
    page.goto(f"{live_server.url}/companies/")
    assert page.url.endswith("/companies/register/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Kollam Code Works")
    page.get_by_label("Contact email").fill("hello@kcw.example")
    page.get_by_label("GSTIN").fill("32AAACK1234L1Z5")
    page.get_by_role("button", name="Register the company").click()
    page.wait_for_load_state()
    assert page.get_by_text("Waiting for K-DISC approval").is_visible()
    assert_accessible(page)
    slug = Company.objects.get().slug

    # 2. K-DISC staff approve it in the Django admin.
    staff = browser.new_page()
    staff_errors = watch(staff)
    log_in_staff(staff, live_server, kdisc)
    admin_action(staff, live_server, "companies/company", "Kollam Code Works", "approve")
    assert Company.objects.get().status == Company.Status.APPROVED
    assert any("approved" in m.subject for m in mail.outbox)

    # 3. The founder invites a developer.
    page.goto(f"{live_server.url}/companies/{slug}/members/")
    assert_accessible(page)
    page.get_by_label("Email").fill("dev@kcw.example")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    invitation = next(m for m in mail.outbox if m.to == ["dev@kcw.example"])
    link = re.search(r"(/companies/invitations/[^/\s]+/)", invitation.body).group(1)

    # 4. The developer accepts it, logged in with the invited address.
    member = browser.new_page()
    member_errors = watch(member)
    log_in(member, live_server, "dev@kcw.example")
    member.goto(live_server.url + link)
    assert_accessible(member)
    member.get_by_role("button", name="Accept and join").click()
    member.wait_for_load_state()
    assert member.get_by_role("heading", name="Kollam Code Works").is_visible()

    # 5. The founder reserves a six-seat pod for two weeks; K-DISC confirms it.
    page.goto(f"{live_server.url}/companies/{slug}/reserve/")
    page.get_by_label("Centre").select_option(label="Kottarakkara WNH")
    page.get_by_label("Seats needed").fill("6")
    page.get_by_label("First day").fill(first.isoformat())
    page.get_by_label("Last day").fill(last.isoformat())
    page.get_by_role("button", name="Show free pods").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Request pod P1").click()
    expect(page.get_by_role("heading", name="Send this pod request?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    assert page.get_by_text("K-DISC will confirm it").is_visible()
    assert_accessible(page)
    admin_action(
        staff, live_server, "bookings/podreservation", "Kollam Code Works", "confirm_selected"
    )
    reservation = PodReservation.objects.get()
    assert reservation.status == PodReservation.Status.CONFIRMED
    assert reservation.days.count() == 10

    # 6. The developer books a seat in the pod on the professional seat map.
    seat = pod.seats.get(position=2)
    member.goto(f"{live_server.url}/centres/{centre.slug}/?day={first.isoformat()}")
    assert member.get_by_text("Reserved for your company, Kollam Code Works.").is_visible()
    member.check(f"#seat-{seat.pk}")
    member.get_by_role(
        "button", name=re.compile(r"^Book (any free seat|the chosen seat|[A-Z0-9-]+) ·")
    ).click()
    member.locator(".your-booking").wait_for()  # the seat map may answer through htmx
    booking = SeatBooking.objects.get()
    assert (booking.seat, booking.day, booking.company.slug) == (seat, first, slug)

    # 7. The founder sees who sits where on the team view, and the dashboard counts it.
    page.goto(f"{live_server.url}/companies/{slug}/team/?week={first.isoformat()}")
    team_table = page.locator("table.team-week")
    assert team_table.get_by_text("Arun Pillai").is_visible()
    assert team_table.get_by_text("empty").count() == 5 * 6 - 1
    assert_accessible(page)
    page.goto(f"{live_server.url}/companies/{slug}/?month={first:%Y-%m}")
    assert page.get_by_role("cell", name="1 / 6").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/companies/{slug}/statement/?month={first:%Y-%m}")
    assert_accessible(page)
    page.goto(f"{live_server.url}/companies/{slug}/reservations/")
    assert_accessible(page)

    # Close the extra pages before the live server stops, so no request of theirs is
    # still being served (on SQLite's shared connection) when the test database goes.
    member.close()
    staff.close()
    assert console_errors == []
    assert member_errors == []
    assert staff_errors == []
