"""The portal on a 360 x 740 touch phone (issue 14): the seat map's Book button and answers
stay in view, the day shown is the same everywhere, no page scrolls sideways, the header is
small (and pages are light: test_light_on_a_phone.py). Screenshots go to test-artifacts/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.core.days import bookable_days
from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.core.services import book_seat
from bookings.models import SeatBooking
from tests.e2e.conftest import DESKTOP, log_in, phone
from tests.support.factories import (
    CompanyFactory,
    MembershipFactory,
    UserFactory,
)
from wnh import weekdays

pytestmark = pytest.mark.django_db(transaction=True)


def open_days(centre, count):
    days, day = [], timezone.localdate()
    while len(days) < count:
        day += timedelta(days=1)
        if weekdays.includes(centre.open_weekdays, day):
            days.append(day)
    return days


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_book_button_stays_in_view_and_the_answer_too(
    browser, live_server, big_centre, artifacts
):
    UserFactory(email="asha@example.com")
    context, page = phone(browser)
    log_in(page, live_server, "asha@example.com")
    day = open_days(big_centre, 1)[0]
    page.goto(f"{live_server.url}{big_centre.get_absolute_url()}?day={day.isoformat()}")
    page.screenshot(path=str(artifacts / "phone-seat-map-folded-360.png"), full_page=True)
    # Pods are folded lines with their free count.
    expect(page.locator("details.pod summary").first).to_contain_text("12 free")
    page.locator("details.pod", has_text="Pod P07").locator("summary").tap()
    page.locator("li.seat[data-seat='P07-04'] input").tap()
    button = page.locator("#book-button")
    expect(button).to_have_accessible_name(f"Book P07-04 · {day:%a} {day.day} {day:%b}")
    assert button.inner_text().strip() == f"Book P07-04 · {day:%a} {day.day} {day:%b}"
    assert in_viewport(page, button)
    page.screenshot(path=str(artifacts / "phone-seat-chosen-360.png"))
    button.tap()
    expect(page.locator("#map-messages")).to_contain_text("Seat P07-04 is yours")
    expect(page.locator("#map-messages")).to_be_in_viewport()  # waits for the scroll
    expect(page.locator("#map-messages")).to_be_focused()
    page.screenshot(path=str(artifacts / "phone-booked-360.png"))
    context.close()


def test_a_refusal_is_shown_in_view_next_to_the_map(browser, live_server, big_centre, artifacts):
    UserFactory(email="asha@example.com")
    day = open_days(big_centre, 1)[0]
    context, page = phone(browser)
    log_in(page, live_server, "asha@example.com")
    page.goto(f"{live_server.url}{big_centre.get_absolute_url()}?day={day.isoformat()}")
    page.locator("details.pod", has_text="Pod P10").locator("summary").tap()
    page.locator("li.seat[data-seat='P10-12'] input").tap()
    seat = big_centre.pods.get(code="P10").seats.get(label="P10-12")
    book_seat(user=UserFactory(), seat=seat, day=day)  # someone else was quicker
    page.locator("#book-button").tap()
    messages = page.locator("#map-messages")
    expect(messages).to_contain_text("that seat was just taken")
    expect(messages).to_be_in_viewport()
    page.screenshot(path=str(artifacts / "phone-refused-360.png"))
    assert not SeatBooking.objects.filter(user__email="asha@example.com").exists()
    context.close()


def shown_day(page) -> set[str]:
    """The day as the map, its heading, the date box and the highlighted day button say it."""
    map_day = page.locator("#seat-map").get_attribute("data-day")
    heading = page.locator("#seat-map-heading").inner_text()
    box = page.locator("#id_day").input_value()
    current = page.locator(".days a[aria-current='date']")
    highlighted = current.get_attribute("data-day") if current.count() else None
    said = timezone.datetime.fromisoformat(map_day).date()
    assert f"{said:%A} {said.day} {said:%B} {said.year}" in heading, heading
    return {map_day, box, highlighted}


def test_the_day_shown_is_the_same_everywhere_whichever_way_it_changes(
    browser, live_server, big_centre
):
    UserFactory(email="asha@example.com")
    first, second, third, fourth = bookable_days(centre=big_centre)[:4]
    context, page = phone(browser)
    log_in(page, live_server, "asha@example.com")
    page.goto(f"{live_server.url}{big_centre.get_absolute_url()}")
    assert shown_day(page) == {first.isoformat()}
    history = page.evaluate("history.length")

    # A day button.
    page.locator(f".days a[data-day='{third.isoformat()}']").tap()
    expect(page.locator("#seat-map")).to_have_attribute("data-day", third.isoformat())
    assert shown_day(page) == {third.isoformat()}
    assert page.url.endswith(f"?day={third.isoformat()}")

    # A typed date: one load, one history entry, however many digits.
    loads = []
    page.on("request", lambda r: "day=" in r.url and loads.append(r.url))
    box = page.locator("#id_day")
    box.focus()  # the month, first in en-US
    box.press_sequentially(f"{second:%m%d%Y}", delay=60)
    expect(page.locator("#seat-map")).to_have_attribute("data-day", second.isoformat())
    page.wait_for_timeout(1200)
    assert shown_day(page) == {second.isoformat()}
    assert len(loads) == 1, loads
    assert page.evaluate("history.length") == history + 2
    assert page.url.endswith(f"?day={second.isoformat()}")

    # Back.
    page.go_back()
    expect(page.locator("#seat-map")).to_have_attribute("data-day", third.isoformat())
    assert shown_day(page) == {third.isoformat()}

    # The Show seats button after typing, and a reload of the address.
    box.fill(fourth.isoformat())
    page.get_by_role("button", name="Show seats").tap()
    expect(page.locator("#seat-map")).to_have_attribute("data-day", fourth.isoformat())
    assert shown_day(page) == {fourth.isoformat()}
    page.reload()
    assert shown_day(page) == {fourth.isoformat()}
    context.close()

    # Without JavaScript: links and a form.
    context, page = phone(browser, java_script_enabled=False)
    log_in(page, live_server, "asha@example.com")
    page.goto(f"{live_server.url}{big_centre.get_absolute_url()}")
    page.locator(f".days a[data-day='{second.isoformat()}']").click()
    assert shown_day(page) == {second.isoformat()}
    page.locator("#id_day").fill(third.isoformat())
    page.get_by_role("button", name="Show seats").click()
    assert shown_day(page) == {third.isoformat()}
    context.close()


@pytest.fixture
def portal(big_centre, staff_user):
    """A professional who is her company's admin, with a booking, a confirmed pod
    reservation, a waitlist entry and a member: every page has something to show."""
    from bookings.models import WaitlistEntry

    asha = UserFactory(email="asha@example.com", full_name="Asha Kurian Thekkekara")
    company = CompanyFactory(name="Kottarakkara Code Works and Analytics", slug="kcw")
    MembershipFactory(company=company, user=asha, role="admin")
    MembershipFactory(company=company, user=UserFactory(email="a.very.long.name@kcw.example"))
    days = bookable_days(centre=big_centre)
    pod = big_centre.pods.get(code="P01")
    reservation = request_pod_reservation(
        company=company,
        pod=pod,
        first_day=days[1],
        last_day=days[6],
        weekday_mask=weekdays.ALL_DAYS,
        requested_by=asha,
    )
    confirm_pod_reservation(reservation=reservation, decided_by=staff_user)
    booking = book_seat(user=asha, seat=big_centre.pods.get(code="P02").seats.first(), day=days[0])
    WaitlistEntry.objects.create(user=asha, centre=big_centre, day=days[2])
    return {
        "asha": asha,
        "company": company,
        "centre": big_centre,
        "days": days,
        "booking": booking,
    }


def pages_of(portal) -> dict[str, str]:
    centre, days, slug = portal["centre"], portal["days"], "kcw"
    first, last = days[1].isoformat(), days[6].isoformat()
    return {
        "home": "/",
        "centres": "/centres/",
        "centres-far": f"/centres/?day={days[3].isoformat()}",
        "seat-map": f"{centre.get_absolute_url()}?day={days[1].isoformat()}",
        "check-in": f"{centre.get_absolute_url()}check-in/",
        "my-bookings": "/bookings/",
        "cancel-question": f"/bookings/{portal['booking'].pk}/cancel/",
        "my-waitlist": "/waitlist/",
        "my-history": "/bookings/history/",
        "profile": "/me/",
        "erase-question": "/me/erase/",
        "company-home": "/companies/",
        "company-register": "/companies/register/",
        "company-dashboard": f"/companies/{slug}/",
        "company-members": f"/companies/{slug}/members/",
        "company-reserve": f"/companies/{slug}/reserve/?centre={centre.pk}&size=4"
        f"&first_day={first}&last_day={last}&weekdays=0&weekdays=1&weekdays=2&weekdays=3"
        "&weekdays=4&weekdays=5",
        "company-reservations": f"/companies/{slug}/reservations/",
        "company-team": f"/companies/{slug}/team/?week={first}",
        "company-statement": f"/companies/{slug}/statement/",
        "account-email": "/accounts/email/",
        "account-password": "/accounts/password/change/",
        "account-logout": "/accounts/logout/",
    }


LOGGED_OUT = {
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
    "privacy-notice": "/privacy/",
    "home-out": "/",
    "centres-out": "/centres/",
}


def assert_no_sideways_scroll(page, name: str) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, screen.width, document.body.scrollWidth]"
    )
    assert widths[0] <= widths[1], (name, page.url, widths)
    assert widths[2] <= widths[1], (name, page.url, widths)


def speaking(portal, language: str):
    asha = portal["asha"]
    asha.language = language
    asha.save(update_fields=["language"])
    return asha


@pytest.mark.parametrize("language", ["en", "ml"])
def test_no_page_scrolls_sideways_on_a_360_px_phone(
    browser, live_server, portal, artifacts, language
):
    asha = speaking(portal, language)
    folder = artifacts / "phone-pages"
    folder.mkdir(exist_ok=True)
    context, page = phone(browser)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    for name, path in LOGGED_OUT.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, (name, response.status)
        assert_no_sideways_scroll(page, name)
        page.screenshot(path=str(folder / f"{name}-{language}-360.png"), full_page=True)
    # A refusal is a page too: the 400 page of a request the portal cannot use.
    response = page.goto(f"{live_server.url}/centres/?radius=%00")
    assert response.status == 400
    assert_no_sideways_scroll(page, "bad-request")
    page.screenshot(path=str(folder / f"bad-request-{language}-360.png"), full_page=True)
    # The login below reads English labels; after it the profile's language rules.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, live_server, asha.email)
    for name, path in pages_of(portal).items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, (name, response.status)
        assert "/accounts/login/" not in page.url, name
        assert_no_sideways_scroll(page, name)
        page.screenshot(path=str(folder / f"{name}-{language}-360.png"), full_page=True)
    # A wrong entrance code, refused on the check-in page (a POST's answer, 400).
    page.goto(f"{live_server.url}{pages_of(portal)['check-in']}")
    page.locator("input[name=code]").fill("000000")
    page.locator("form:has(input[name=code]) [type=submit]").tap()
    expect(page.locator("input[name=code]")).to_be_visible()
    assert_no_sideways_scroll(page, "check-in-refused")
    page.screenshot(path=str(folder / f"check-in-refused-{language}-360.png"), full_page=True)
    # The price of a pod request, before it is sent (a POST's answer).
    page.goto(f"{live_server.url}{pages_of(portal)['company-reserve']}")
    page.locator("ul.free-pods button").first.tap()
    expect(page.locator(".quote-total")).to_contain_text("₹")
    assert_no_sideways_scroll(page, "pod-request-question")
    page.screenshot(path=str(folder / f"pod-request-question-{language}-360.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("language", ["en", "ml"])
def test_the_header_takes_at_most_a_sixth_of_a_phone_screen(
    browser, live_server, portal, artifacts, language
):
    asha = speaking(portal, language)
    context, page = phone(browser)
    log_in(page, live_server, asha.email)
    page.goto(f"{live_server.url}/bookings/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= 740 / 6
    menu = page.locator(".menu-button")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Log out|ലോഗ് ഔട്ട്"))).to_be_hidden()
    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(artifacts / f"phone-menu-open-{language}-360.png"))
    page.locator(".site-menu a[href='/centres/']").tap()
    expect(page).to_have_url(re.compile("/centres/$"))
    # On a wide screen the menu is simply there.
    page.set_viewport_size(DESKTOP)
    expect(menu).to_be_hidden()
    expect(page.locator(".site-menu a[href='/bookings/']")).to_be_visible()
    page.screenshot(path=str(artifacts / f"desktop-centres-{language}-1280.png"), full_page=True)
    page.goto(f"{live_server.url}/companies/kcw/statement/")
    page.screenshot(path=str(artifacts / f"desktop-statement-{language}-1280.png"), full_page=True)
    page.goto(f"{live_server.url}{portal['centre'].get_absolute_url()}")
    page.screenshot(path=str(artifacts / f"desktop-seat-map-{language}-1280.png"), full_page=True)
    context.close()
