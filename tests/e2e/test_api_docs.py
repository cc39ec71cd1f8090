"""The API's documentation (/api/v1/docs/, Swagger UI from the vendored sidecar) works in
Chromium under the portal's strict CSP: no CDN, no blocked script, the v1 operations listed."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_load_from_our_own_files_and_list_every_v1_operation(
    page, live_server, console_errors
):
    outside = []
    page.on(
        "request",
        lambda request: (
            request.url.startswith(("http://", "https://"))
            and not request.url.startswith(live_server.url)
            and outside.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("WNH Seats API")
    expect(page.locator(".opblock-summary-path[data-path='/api/v1/bookings/days/']")).to_have_count(
        1
    )
    expect(
        page.locator(".opblock-summary-path[data-path^='/api/v1/companies/']").first
    ).to_be_visible()
    assert not outside, outside
    assert not console_errors, console_errors
