import re

from tests.e2e.conftest import assert_accessible


def test_the_home_page_loads_under_the_csp_with_no_console_errors(
    page, live_server, console_errors, db
):
    page.goto(live_server.url + "/")
    assert re.search("WNH", page.title())
    assert_accessible(page)
    assert console_errors == []


def test_the_admin_login_is_the_portals_and_works_under_the_strict_csp(
    page, live_server, console_errors, db
):
    page.goto(live_server.url + "/admin/")
    assert "/accounts/login/" in page.url
    assert page.locator("#id_login").is_visible()
    assert console_errors == []


def test_staff_set_up_their_authenticator_app_under_the_strict_csp(
    page, live_server, console_errors, artifacts, staff_user, clock
):
    from allauth.mfa.models import Authenticator

    from tests.e2e.conftest import log_in
    from tests.support.second_factor import totp_code

    log_in(page, live_server, staff_user.email)
    page.goto(live_server.url + "/admin/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password again first
        page.get_by_label(re.compile("password", re.I)).fill("a-long-test-password")
        page.get_by_role("button", name=re.compile("confirm", re.I)).click()
        page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url, page.url
    page.screenshot(path=str(artifacts / "staff-totp-setup.png"), full_page=True)
    key = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label(re.compile("authenticator code", re.I)).fill(totp_code(key))
    page.get_by_role("button", name=re.compile("activate", re.I)).click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=staff_user, type="totp").exists()
    # This session has not used the new factor yet: the admin asks for a code first.
    page.goto(live_server.url + "/admin/")
    assert "/accounts/2fa/reauthenticate/" in page.url, page.url
    clock.shift(31)  # the code typed at set-up is spent: the app's next one
    page.get_by_label(re.compile("code", re.I)).fill(totp_code(key))
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/admin/"
    page.screenshot(path=str(artifacts / "staff-admin-after-totp.png"))
    assert console_errors == []
