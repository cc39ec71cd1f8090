import re

from tests.e2e.conftest import assert_accessible


def test_the_home_page_loads_under_the_csp_with_no_console_errors(
    page, live_server, console_errors, db
):
    page.goto(live_server.url + "/")
    assert re.search("WNH", page.title())
    assert_accessible(page)
    assert console_errors == []


def test_the_admin_login_works_under_the_strict_csp(page, live_server, console_errors, db):
    page.goto(live_server.url + "/admin/login/")
    assert page.locator("#id_username").is_visible()
    assert console_errors == []
