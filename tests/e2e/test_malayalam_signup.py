"""Malayalam all the way, in Chromium on a 360 px phone: a visitor picks Malayalam, signs
up, confirms from the email, and sets a home by a PIN code with several post offices; every
page on the way, and the email, are in Malayalam."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
MALAYALAM = re.compile("[\u0d00-\u0d7f]")


def ml(text: str) -> str:
    with translation.override("ml"):
        return gettext(text)


def assert_in_malayalam(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ml")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert MALAYALAM.search(heading), heading


def test_a_sign_up_started_in_malayalam_ends_in_malayalam(
    page, live_server, console_errors, mailoutbox, artifacts
):
    page.set_viewport_size(PHONE)
    base = live_server.url
    page.goto(f"{base}/")
    page.get_by_role("button", name="Menu").click()  # on a phone the language is in the menu
    page.get_by_label("Language").select_option("ml")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "ml")

    page.goto(f"{base}/accounts/signup/")
    assert_in_malayalam(page)
    page.locator("input[name=email]").fill("uma@example.com")
    page.locator("input[name=password1]").fill("kerala-coast-2026")
    page.locator("input[name=password2]").fill("kerala-coast-2026")
    page.locator("input[name=accept_privacy_notice]").check()
    page.locator("form.card button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ml("Check your email"))
    assert_in_malayalam(page)
    page.screenshot(path=str(artifacts / "malayalam-verification-sent-360.png"), full_page=True)
    assert User.objects.get(email="uma@example.com").language == "ml"

    # The email: Malayalam, naming the portal, never example.com.
    (email,) = mailoutbox
    assert "WNH Seats" in email.subject
    assert MALAYALAM.search(email.subject)
    assert "WNH Seats" in email.body
    assert "example.com!" not in email.body
    assert "Hello from" not in email.body
    assert MALAYALAM.search(email.body)

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", email.body).group(0)
    page.goto(link)
    assert_in_malayalam(page)
    page.locator("main form button[type=submit]").click()

    # Signed in, asked for a home, still in Malayalam.
    expect(page.get_by_role("heading", level=1)).to_have_text(ml("Your home and language"))
    assert_in_malayalam(page)
    assert_accessible(page)
    page.get_by_label(ml("Home PIN code")).fill("673 633")
    page.locator("form.card button[type=submit]").click()
    expect(
        page.get_by_text(
            ml("PIN code %(pin)s has %(count)s post offices: pick yours.")
            % {"pin": "673633", "count": 5}
        )
    ).to_be_visible()
    page.get_by_label("Vazhayur", exact=True).check()
    page.screenshot(path=str(artifacts / "malayalam-post-office-picker-360.png"), full_page=True)
    page.locator("form.card button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ml("Centres near me"))
    assert_in_malayalam(page)
    person = User.objects.get(email="uma@example.com")
    assert (person.home_pin_code, person.home_place, person.language) == (
        "673633",
        "Vazhayur",
        "ml",
    )
    assert console_errors == []
