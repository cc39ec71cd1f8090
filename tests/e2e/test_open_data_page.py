"""/open-data/ in Chromium, in English and Malayalam: the network by district, a district's
centres with their occupancy and the people turned away, on a 360 px phone and at 1280 px,
axe-clean, with no sideways scrolling. Screenshots go to test-artifacts/."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import TurnedAway
from bookings.operations import demand, occupancy
from centres.models import Centre, District
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_gigw_pages import MALAYALAM, not_axes, open_browser, t
from tests.support.factories import CentreFactory, PodFactory, SeatBookingFactory, UserFactory
from wnh import weekdays

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network(today):
    """Three open centres in Kollam with a fortnight of bookings, a planned one, and people
    turned away, all rolled up."""
    people = [UserFactory() for _ in range(24)]
    centres = []
    for n, name in enumerate(["Kottarakkara", "Kollam city", "Karunagappally"]):
        centre = CentreFactory(
            name=name,
            name_ml=["കൊട്ടാരക്കര", "കൊല്ലം നഗരം", "കരുനാഗപ്പള്ളി"][n],
            open_weekdays=weekdays.ALL_DAYS,
            opened_on=date(2026, 1, 19),
            host_kind=Centre.HostKind.POLYTECHNIC,
        )
        PodFactory(centre=centre, capacity=8)
        centres.append(centre)
    CentreFactory(name="Chathannoor", status=Centre.Status.PLANNED)
    CentreFactory(
        name="Kalamassery", district=District.ERNAKULAM, status=Centre.Status.UNDER_CONSTRUCTION
    )
    for back in range(1, 15):
        day = today - timedelta(days=back)
        for n, (centre, taken) in enumerate(zip(centres, (8, 5, 2), strict=True)):
            for person, seat in zip(
                people[8 * n :], centre.pods.get().seats.all()[:taken], strict=False
            ):
                SeatBookingFactory(user=person, seat=seat, day=day)
        TurnedAway.objects.bulk_create(
            TurnedAway(
                kind=TurnedAway.Kind.NO_FREE_SEAT,
                centre=centres[0],
                district=centres[0].district,
                local_body=centres[0].local_body,
                pin_code=centres[0].pin_code,
                day=day,
                hour=timezone.now(),
            )
            for _ in range(back % 7)
        )
    occupancy.rollup(first=today - timedelta(days=30), last=today - timedelta(days=1))
    demand.rollup(first=today - timedelta(days=40), last=today)
    return centres


@pytest.mark.parametrize("language", ["en", "ml"])
def test_the_open_data_fits_a_phone_and_passes_axe(
    browser, live_server, artifacts, network, language
):
    for viewport, size in [(PHONE, 360), (DESKTOP, 1280)]:
        context, page, errors = open_browser(browser, language, viewport)
        assert page.goto(live_server.url + "/open-data/").status == 200
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(t("Open data: the Work Near Home network", language))
        if language == "ml":
            assert MALAYALAM.search(heading.inner_text())
        page.get_by_role("link", name=t("Kollam", language), exact=True).click()
        expect(page.get_by_role("heading", name=t("Occupancy", language))).to_be_visible()
        expect(page.get_by_text("Government Open Data License")).to_be_visible()
        footer = page.locator("footer.site-footer")
        expect(footer.get_by_role("link", name=t("Open data", language))).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        assert_accessible(page)
        page.screenshot(path=str(artifacts / f"open-data-{language}-{size}.png"), full_page=True)
        if viewport == PHONE:  # the first screen, and the district's tables, at full size
            page.screenshot(path=str(artifacts / f"open-data-{language}-360-top.png"))
            for region in ("occupancy", "turned-away"):
                page.locator(f"[aria-labelledby={region}]").screenshot(
                    path=str(artifacts / f"open-data-{language}-360-{region}.png")
                )
        assert not_axes(errors) == []
        context.close()
