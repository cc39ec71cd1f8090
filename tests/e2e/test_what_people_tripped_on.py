"""What people tripped on (issue 22, point 5), tried as a new user would: on a 360 px phone,
in Malayalam, with a keyboard. Each test failed before its fix."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, phone
from tests.support.factories import CentreFactory, PodFactory, UserFactory
from wnh import weekdays

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

pytestmark = pytest.mark.django_db(transaction=True)

MALAYALAM = re.compile("[\u0d00-\u0d7f]")


def ml(text: str) -> str:
    with translation.override("ml"):
        return gettext(text)


def sign_up(page, base: str, password: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.locator("input[name=email]").fill("anu@example.com")
    page.locator("input[name=password1]").fill(password)
    page.locator("input[name=password2]").fill(password)
    page.locator("input[name=accept_privacy_notice]").check()
    page.locator("form.card button[type=submit]").click()


# -- 1. passwords -------------------------------------------------------------------------


def test_sign_up_tells_the_real_length_and_why_a_guessable_password_is_refused(
    browser, live_server, artifacts
):
    context, page = phone(browser)
    base = live_server.url
    page.goto(f"{base}/accounts/signup/")
    expect(page.locator("#password-help")).to_contain_text("At least 12 characters")

    sign_up(page, base, "keralakerala")
    errors = page.locator("form.card .errorlist")
    expect(errors).to_contain_text("Your password is too guessable")
    expect(errors).to_contain_text('Repeats like "abcabcabc"')
    page.screenshot(path=str(artifacts / "tripped-weak-password-360.png"), full_page=True)

    # In Malayalam, the reason too.
    context.add_cookies([{"name": "django_language", "value": "ml", "url": base}])
    sign_up(page, base, "aaaaaaaaaaaa")
    expect(page.locator("html")).to_have_attribute("lang", "ml")
    errors = page.locator("form.card .errorlist")
    expect(errors).to_contain_text(ml("Your password is too guessable:"))
    assert MALAYALAM.search(page.locator("#password-help").inner_text())
    page.screenshot(path=str(artifacts / "tripped-weak-password-ml-360.png"), full_page=True)
    context.close()


# -- 2. check-in before opening time ------------------------------------------------------


def test_a_professional_early_at_the_door_is_told_when_check_in_opens(
    browser, live_server, artifacts, clock
):
    from bookings.core import check_in_codes
    from bookings.core.services import book_seat
    from bookings.models import SeatBooking
    from tests.support.clock import at

    clock.move_to(at(2026, 12, 2, 7, 30))  # a Wednesday; the centre opens at 08:00
    centre = CentreFactory(name="Kottarakkara", slug="kottarakkara")
    seat = PodFactory(centre=centre, capacity=4).seats.first()
    professional = UserFactory(email="arun@example.com")
    booking = book_seat(user=professional, seat=seat, day=timezone.localdate())

    context, page = phone(browser)
    log_in(page, live_server, professional.email)
    page.goto(f"{live_server.url}/centres/{centre.slug}/check-in/")
    page.get_by_label("Code on the entrance screen").fill(
        check_in_codes.typed_code(centre, check_in_codes.step_at())
    )
    page.get_by_role("button", name="Check in now").click()
    expect(page.locator("#messages")).to_contain_text(
        "Check-in opens at 8 a.m. today, when the centre opens."
    )
    expect(page.locator("#messages")).not_to_contain_text("on the day of the booking")
    page.screenshot(path=str(artifacts / "tripped-check-in-early-360.png"), full_page=True)
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.BOOKED
    context.close()


# -- 3. "Book several days" ticks the centre's open weekdays ------------------------------


@pytest.mark.parametrize(
    ("open_weekdays", "ticked"),
    [
        (weekdays.MONDAY_TO_SATURDAY, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]),
        (weekdays.mask_of([1, 2, 3, 4, 5]), ["Tue", "Wed", "Thu", "Fri", "Sat"]),
    ],
)
def test_book_several_days_ticks_the_days_the_centre_opens(
    browser, live_server, artifacts, open_weekdays, ticked
):
    centre = CentreFactory(name="Kottarakkara", slug="kottarakkara", open_weekdays=open_weekdays)
    PodFactory(centre=centre, capacity=4)
    UserFactory(email="arun@example.com")
    context, page = phone(browser)
    log_in(page, live_server, "arun@example.com")
    page.goto(f"{live_server.url}/centres/{centre.slug}/")
    boxes = page.locator("#several-days ~ form input[name=weekdays]")
    expect(boxes).to_have_count(7)
    shown = [
        WEEKDAYS[int(value)]
        for value in boxes.evaluate_all("boxes => boxes.filter(b => b.checked).map(b => b.value)")
    ]
    assert shown == ticked
    # The range shown is a whole week, so every ticked day is in it.
    first = date.fromisoformat(page.locator("input[name=first_day]").input_value())
    last = date.fromisoformat(page.locator("input[name=last_day]").input_value())
    assert (last - first).days == 6
    page.locator("#several-days").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"tripped-several-days-{open_weekdays}-360.png"))
    context.close()


# -- 4. no open centre within a commute ---------------------------------------------------


def test_the_list_says_no_centre_is_within_a_commute_before_showing_far_ones(
    browser, live_server, artifacts
):
    CentreFactory(name="Kottarakkara", slug="kottarakkara")  # 9.0, 76.77
    person = UserFactory(email="anu@example.com")
    # Thrissur: about 180 km from Kottarakkara.
    person.home_pin_code, person.home_place = "680001", "Thrissur"
    person.home_latitude, person.home_longitude = 10.52, 76.21
    person.save()
    context, page = phone(browser)
    log_in(page, live_server, person.email)
    page.goto(f"{live_server.url}/centres/")
    notice = page.locator("#none-within-commute")
    expect(notice).to_contain_text("No open centre is within 30 km of your home")
    # Said before the far centre, not after it.
    assert notice.evaluate(
        "n => !!(n.compareDocumentPosition(document.querySelector('li.centre'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    expect(page.locator("li.centre")).to_have_count(1)
    page.screenshot(path=str(artifacts / "tripped-no-centre-within-commute-360.png"))

    # Near home, no notice.
    person.home_latitude, person.home_longitude = 9.01, 76.78
    person.save()
    page.goto(f"{live_server.url}/centres/")
    expect(page.locator("li.centre")).to_have_count(1)
    expect(page.locator("#none-within-commute")).to_have_count(0)
    context.close()


# -- 5. where signing in leads ------------------------------------------------------------


def test_signing_in_leads_a_company_admin_to_their_company_and_staff_to_their_queue(
    browser, live_server, artifacts, company, company_admin, staff_user
):
    from tests.e2e.conftest import log_in_staff

    context, page = phone(browser)
    log_in(page, live_server, company_admin.email)
    assert page.url == f"{live_server.url}/companies/{company.slug}/", page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text(company.name)
    page.screenshot(path=str(artifacts / "tripped-company-admin-signed-in-360.png"))
    context.close()

    context, page = phone(browser)
    log_in_staff(page, live_server, staff_user)
    assert page.url == f"{live_server.url}/admin/", page.url
    page.screenshot(path=str(artifacts / "tripped-staff-signed-in-360.png"))
    context.close()

    # A `next` still wins.
    context, page = phone(browser)
    page.goto(f"{live_server.url}/accounts/login/?next=/bookings/")
    page.get_by_label(re.compile("email", re.I)).fill(company_admin.email)
    page.get_by_label(re.compile("password", re.I)).first.fill("a-long-test-password")
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    page.wait_for_url(f"{live_server.url}/bookings/")
    context.close()


# -- 6. a closure refused for bookings names them ----------------------------------------


def test_a_closure_refused_for_bookings_names_and_links_them_at_the_top(
    browser, live_server, artifacts, staff_user, next_open_day
):
    from bookings.core.services import book_seat
    from tests.e2e.conftest import log_in_staff

    centre = CentreFactory(name="Kottarakkara", slug="kottarakkara")
    seats = list(PodFactory(centre=centre, capacity=4).seats.all())
    for n, seat in enumerate(seats[:2]):
        book_seat(user=UserFactory(email=f"p{n}@example.com"), seat=seat, day=next_open_day)

    context, page = phone(browser)
    log_in_staff(page, live_server, staff_user)
    page.goto(f"{live_server.url}/admin/centres/centre/{centre.pk}/change/")
    page.get_by_role("button", name="Add another Centre closure").click()
    page.locator("#id_closures-0-day").fill(next_open_day.isoformat())
    page.locator("#id_closures-0-reason").fill("Onam")
    page.get_by_role("button", name="Save and continue editing").click()

    refused = page.locator(".closure-refused")
    expect(refused).to_contain_text("2 seat bookings at this centre on")
    expect(refused).to_contain_text(next_open_day.strftime("%A"))
    # At the top: seen without scrolling.
    assert refused.bounding_box()["y"] < 740
    page.screenshot(path=str(artifacts / "tripped-closure-refused-360.png"))
    refused.get_by_role("link", name="the bookings").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    context.close()


# -- 8. the seat map with a keyboard -----------------------------------------------------


def test_the_seat_map_keeps_keyboard_focus_and_tab_reaches_an_opened_pods_seats(
    browser, live_server, artifacts, big_centre
):
    UserFactory(email="arun@example.com")
    context, page = phone(browser)
    log_in(page, live_server, "arun@example.com")
    page.goto(f"{live_server.url}/centres/{big_centre.slug}/")
    expect(page.locator("#seat-keys")).to_contain_text("arrow keys")

    # Enter on the second day button: the map changes, focus stays on that day.
    second = page.locator("#seat-map .days a").nth(1)
    day = second.get_attribute("data-day")
    second.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#seat-map")).to_have_attribute("data-day", day, timeout=15_000)
    page.wait_for_function(
        "day => document.activeElement && document.activeElement.dataset.day === day", arg=day
    )

    # Open the first pod from the keyboard, then Tab: its first seat, not the next pod.
    summary = page.locator("details.pod summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.pod").first).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    first_seat = page.locator("details.pod").first.locator("input[name=seat]").first
    assert focused == first_seat.get_attribute("id")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.checked")
    page.screenshot(path=str(artifacts / "tripped-seat-map-keyboard-360.png"))
    context.close()


# -- 8. tables on a 360 px phone ----------------------------------------------------------

WIDER_THAN_ITS_BOX = """() => [...document.querySelectorAll('main table')]
    .filter(t => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1
              || t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(t => (t.caption ? t.caption.textContent : t.className) + ': '
              + Math.round(t.getBoundingClientRect().width))"""


def test_the_tables_fit_a_360_px_phone(
    browser,
    live_server,
    artifacts,
    company,
    company_admin,
    member,
    company_pod,
    past_bookings,
    last_month,
    centre,
):
    from centres.models import Centre

    Centre.objects.filter(pk=centre.pk).update(latitude=9.0, longitude=76.77)
    CentreFactory(name="Kalamassery", slug="kalamassery", status=Centre.Status.PLANNED)
    company_admin.home_pin_code, company_admin.home_place = "691506", "Kottarakkara"
    company_admin.home_latitude, company_admin.home_longitude = 9.0, 76.77
    company_admin.save()
    month = last_month[0].strftime("%Y-%m")
    monday = last_month[0] - timedelta(days=last_month[0].weekday())
    pages = {
        "statement": f"/companies/{company.slug}/statement/?month={month}",
        "reservations": f"/companies/{company.slug}/reservations/",
        "team": f"/companies/{company.slug}/team/?week={monday.isoformat()}",
        "members": f"/companies/{company.slug}/members/",
        "coming-soon": "/centres/",
    }
    context, page = phone(browser)
    log_in(page, live_server, company_admin.email)
    wide = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main table").first).to_be_visible()
        page.screenshot(path=str(artifacts / f"tripped-table-{name}-360.png"), full_page=True)
        wide[name] = page.evaluate(WIDER_THAN_ITS_BOX)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    assert not any(wide.values()), wide

    # The statement's total is on screen, labelled.
    page.goto(f"{live_server.url}{pages['statement']}")
    total = page.locator("tfoot td", has_text="₹").last
    box = total.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360
    expect(total).to_have_attribute("data-label", "Total (₹)")  # shown before the amount

    # Radio buttons big enough for a thumb (24 px).
    page.goto(f"{live_server.url}/centres/{centre.slug}/")
    radio = page.locator("input[type=radio]").first
    assert radio.bounding_box()["width"] >= 24
    context.close()


# -- 8. English left for a Malayalam reader -----------------------------------------------


def test_a_malayalam_reader_sees_the_password_rules_and_the_centre_in_malayalam(
    browser, live_server, artifacts, next_open_day
):
    from bookings.core.services import book_seat

    centre = CentreFactory(name="Kottarakkara", slug="kottarakkara", name_ml="കൊട്ടാരക്കര")
    seat = PodFactory(centre=centre, capacity=4).seats.first()
    person = UserFactory(email="uma@example.com", language="ml")
    booking = book_seat(user=person, seat=seat, day=next_open_day)
    context, page = phone(browser)
    log_in(page, live_server, person.email)

    page.goto(f"{live_server.url}/accounts/password/change/")
    main = page.locator("main")
    for english in (
        "too similar to your other personal information",
        "commonly used password",
        "entirely numeric",
        "at least 12 characters",
    ):
        expect(main).not_to_contain_text(english)
    expect(main).to_contain_text(ml("Your password can’t be entirely numeric."))
    page.screenshot(path=str(artifacts / "tripped-password-change-ml-360.png"), full_page=True)

    page.goto(f"{live_server.url}/bookings/{booking.pk}/cancel/")
    expect(main).to_contain_text("കൊട്ടാരക്കര")
    expect(main).not_to_contain_text("Kottarakkara")
    page.screenshot(path=str(artifacts / "tripped-cancel-ml-360.png"), full_page=True)
    page.goto(f"{live_server.url}/bookings/history/")
    expect(main).to_contain_text("കൊട്ടാരക്കര")
    context.close()
