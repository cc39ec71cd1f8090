"""A K-DISC staff member adds a security key in Chromium and signs in with password + key.

Chromium's own WebAuthn stack answers, with a virtual authenticator (a USB key that is
always touched) set up through the DevTools protocol. The live server is http://localhost,
the one plain-http origin browsers and fido2 treat as secure, so no insecure-origin switch
is needed."""

import re

from allauth.mfa.models import Authenticator

from tests.e2e.conftest import assert_accessible
from tests.support.second_factor import PASSWORD

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def plug_in_a_virtual_key(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": False,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def assert_fits(page, name: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], (name, page.url, widths)


def look_at(page, artifacts, name: str) -> None:
    """The page at a phone's width and a laptop's: nothing scrolls sideways."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_fits(page, name)
        page.screenshot(
            path=str(artifacts / f"security-key-{name}-{size['width']}.png"), full_page=True
        )


def password_step(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/admin/")
    assert "/accounts/login/" in page.url, page.url
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).first.fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_load_state()


def test_staff_add_a_security_key_and_then_sign_in_with_password_and_key(
    page, live_server, staff_user, artifacts, console_errors, clock
):
    plug_in_a_virtual_key(page)

    # First login: the password alone, and the admin sends staff to set up a second factor.
    password_step(page, live_server, staff_user.email)
    if "/reauthenticate/" in page.url:  # allauth asks for the password again first
        page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
        page.get_by_role("button", name=re.compile("confirm", re.I)).click()
        page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url, page.url
    page.get_by_role("link", name="Add a security key").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/webauthn/add/" in page.url, page.url
    look_at(page, artifacts, "add")
    assert_accessible(page)

    page.get_by_label("Name of the key").fill("Blue USB key")
    page.get_by_role("button", name="Add the key").click()
    # The page the key's answer leads to, not the add page (whose URL holds "webauthn/" too).
    page.wait_for_url(re.compile(r"/accounts/2fa/(recovery-codes|webauthn)/(\?.*)?$"))
    key = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Blue USB key"
    assert "Security key added" in page.content()

    # Signed out, and in again: the password, then the key; the admin opens.
    page.context.clear_cookies()
    password_step(page, live_server, staff_user.email)
    assert "/accounts/2fa/authenticate/" in page.url, page.url
    look_at(page, artifacts, "login")
    assert_accessible(page)
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert page.get_by_role("heading", name=re.compile("work near home", re.I)).count() >= 1
    key.refresh_from_db()
    assert key.last_used_at is not None

    # The list of keys: no Remove for staff, and it fits a phone.
    page.goto(live_server.url + "/accounts/2fa/webauthn/")
    assert page.get_by_text("Blue USB key").count() == 1
    assert page.get_by_role("link", name="Remove").count() == 0
    look_at(page, artifacts, "list")

    # In Malayalam too (longer words): the account's pages still fit a phone.
    page.get_by_label("Language").select_option("ml")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    for path, name in [("/accounts/2fa/webauthn/", "list-ml"), ("/accounts/2fa/", "index-ml")]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "ml"
        look_at(page, artifacts, name)
    assert console_errors == []
