"""K-DISC's planning view in Chromium, in English and Malayalam, on a 360 px phone and at
1280 px: no sideways scrolling, axe-clean, nothing blocked by the CSP. Screenshots go to
test-artifacts/."""

import pytest
from playwright.sync_api import expect

from tests.bookings.admin.test_planning import URL, kerala  # noqa: F401 - the seeded areas
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in_staff
from tests.e2e.test_gigw_pages import MALAYALAM, not_axes, open_browser

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "ml"])
def test_the_planning_view_reads_on_a_phone_and_a_desktop(
    browser,
    live_server,
    artifacts,
    kerala,  # noqa: F811 - the fixture imported above
    staff_user,
    language,
):
    staff_user.set_password("a-long-test-password")
    staff_user.language = language
    staff_user.save()
    # One sign-in (a TOTP code is good once), in English; then the profile's language speaks.
    context, page, errors = open_browser(browser, "en", PHONE)
    log_in_staff(page, live_server, staff_user)
    for viewport, size in [(PHONE, 360), (DESKTOP, 1280)]:
        page.set_viewport_size(viewport)
        assert page.goto(live_server.url + URL).status == 200
        expect(page.locator("html")).to_have_attribute("lang", language)
        heading = page.get_by_role("heading", level=1)
        if language == "ml":
            assert MALAYALAM.search(heading.inner_text())
        # Kozhikode, with no open centre near, is first; its planned polytechnic is named.
        first_row = page.locator("table.planning-table tbody tr").first
        expect(first_row).to_contain_text("673001")
        expect(first_row).to_contain_text("Govt Polytechnic Kozhikode")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        assert_accessible(page)
        page.screenshot(path=str(artifacts / f"planning-{language}-{size}.png"), full_page=True)
    assert not_axes(errors) == []
    context.close()
