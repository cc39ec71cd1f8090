"""The installable app on a patchy connection (issue 22, point 4), in Chromium with its
service worker: after one visit, My bookings shows the same upcoming bookings offline, saying
since when; after signing out, offline shows nothing of the person."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in
from tests.support.factories import SeatBookingFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def app_context(browser, viewport=PHONE, locale="en-US"):
    context = browser.new_context(
        viewport=viewport, locale=locale, service_workers="allow", device_scale_factor=1
    )
    return context, context.new_page()


def wait_until_kept(page, path: str) -> None:
    """Until the service worker has put `path` in the person's cache."""
    page.wait_for_function(
        """async (path) => {
            if (!(await caches.has("wnh-person"))) return false;
            const cache = await caches.open("wnh-person");
            return !!(await cache.match(new URL(path, location.href).href));
        }""",
        arg=path,
        timeout=15_000,
    )


def kept_caches(page) -> list[str]:
    return page.evaluate("caches.keys()")


def upcoming(page) -> str:
    return page.locator("ul.cards").inner_text()


@pytest.fixture
def asha_with_bookings(seat, next_open_day):
    asha = UserFactory(email="asha@example.com", full_name="Asha Menon")
    for day in (next_open_day, next_open_day + timedelta(days=7)):
        SeatBookingFactory(user=asha, seat=seat, day=day)
    return asha


def test_my_bookings_offline_after_one_visit_then_nothing_after_signing_out(
    artifacts, browser, live_server, asha_with_bookings, seat
):
    base = live_server.url
    context, page = app_context(browser)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    log_in(page, live_server, asha_with_bookings.email)

    # One visit, online.
    page.goto(f"{base}/bookings/")
    online = upcoming(page)
    fetched = page.locator("#fetched-at").inner_text()
    assert seat.label in online
    assert seat.pod.centre.address in online
    assert re.fullmatch(r"As of \d\d:\d\d\.", fetched)
    assert page.locator("#offline-note").is_hidden()
    wait_until_kept(page, "/bookings/")

    # The connection drops.
    context.set_offline(True)
    page.goto(f"{base}/bookings/")
    assert upcoming(page) == online
    assert page.locator("#fetched-at").inner_text() == fetched
    note = page.locator("#offline-note")
    expect(note).to_be_visible()
    expect(note).to_have_text(re.compile(r"You are offline\. This page was saved at \d\d:\d\d\."))
    page.screenshot(path=f"{artifacts}/offline-my-bookings-360.png", full_page=True)
    # A page never kept: the offline page, accessible, with the way to My bookings.
    page.goto(f"{base}/centres/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{artifacts}/offline-page-360.png", full_page=True)
    assert not errors, errors

    # Back online, she signs out.
    context.set_offline(False)
    page.goto(f"{base}/accounts/logout/")
    said = []
    page.on("console", lambda msg: said.append(msg.text))
    with page.expect_response(lambda r: r.request.method == "POST") as logout:
        page.get_by_role("button", name="Log out").click()
    assert logout.value.all_headers()["clear-site-data"] == '"cache", "storage"'
    page.wait_for_load_state("load")
    # Chromium says so when it has applied the header (a local address counts as secure).
    assert any('Cleared data types: "cache", "storage"' in text for text in said), said
    page.wait_for_timeout(500)  # the next page registers the worker again, empty
    assert "wnh-person" not in kept_caches(page)

    context.set_offline(True)
    for path in ("/bookings/", "/", f"/centres/{seat.pod.centre.slug}/check-in/"):
        try:
            page.goto(f"{base}{path}")
            shown = page.content()
        except Exception:  # noqa: BLE001 - no worker yet: the browser's own offline error
            shown = ""
        for hers in (seat.label, seat.pod.centre.address, "Asha", "asha@example.com"):
            assert hers not in shown, (path, hers)
    context.close()


def test_someone_else_signing_in_on_the_same_phone_never_sees_the_first_persons_copy(
    browser, live_server, asha_with_bookings, seat
):
    """A session that ended without signing out: the next person's pages replace hers."""
    base = live_server.url
    UserFactory(email="binu@example.com")
    context, page = app_context(browser)
    log_in(page, live_server, "asha@example.com")
    page.goto(f"{base}/bookings/")
    wait_until_kept(page, "/bookings/")

    context.clear_cookies()  # her session ends, no sign-out
    log_in(page, live_server, "binu@example.com")
    page.goto(f"{base}/bookings/")
    page.goto(f"{base}/bookings/")  # now through the worker, which keeps Binu's
    wait_until_kept(page, "/bookings/")
    context.set_offline(True)
    page.goto(f"{base}/bookings/")

    expect(page.get_by_text("No upcoming bookings.")).to_be_visible()
    assert seat.pod.centre.address not in page.content()
    context.close()


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "360"), (DESKTOP, "1280")])
def test_the_app_looks_right_in_malayalam_offline(
    artifacts, browser, live_server, asha_with_bookings, viewport, name
):
    base = live_server.url
    context, page = app_context(browser, viewport=viewport)
    asha_with_bookings.language = "ml"  # her profile's language wins once she is signed in
    asha_with_bookings.save(update_fields=["language"])
    log_in(page, live_server, "asha@example.com")
    page.goto(f"{base}/bookings/")
    expect(page.locator("html")).to_have_attribute("lang", "ml")
    page.screenshot(path=f"{artifacts}/online-my-bookings-ml-{name}.png", full_page=True)
    wait_until_kept(page, "/bookings/")
    context.set_offline(True)
    page.goto(f"{base}/bookings/")

    note = page.locator("#offline-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("ഓഫ്‌ലൈനാണ്")
    page.screenshot(path=f"{artifacts}/offline-my-bookings-ml-{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width
    context.close()
