"""A mobile number as the way in (issue 22), in Chromium on a 360 px phone, in English and in
Malayalam: sign up with a number alone, type the code from the SMS, sign out, sign in again
with the number (typed another way) and a new code, no password, and book a seat.

The SMS go through the console backend, the demo's, and the code is read from what it printed
(the live server runs in this process, so its output is the test's). Screenshots of each step
go to test-artifacts/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.models import User
from bookings.models import SeatBooking
from tests.e2e.conftest import assert_accessible
from tests.support.factories import CentreFactory, PodFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}


def say(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def code_printed_for(number: str, capsys) -> str:
    """The code in the last SMS the console backend printed for `number` since the last read."""
    printed = capsys.readouterr().out
    messages = re.findall(rf"SMS to {re.escape(number)} \(code\):\n(.*?)\n-{{40}}", printed, re.S)
    assert messages, printed
    return re.search(r"\b(\d{6})\b", messages[-1]).group(1)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


@pytest.mark.parametrize(
    ("language", "typed", "typed_again", "number"),
    [
        ("en", "94470 12345", "+91-94470-12345", "+919447012345"),
        ("ml", "09847012345", "+91 98470 12345", "+919847012345"),
    ],
)
def test_sign_up_and_sign_in_by_mobile_number_and_code_then_book(
    page,
    live_server,
    console_errors,
    artifacts,
    settings,
    capsys,
    language,
    typed,
    typed_again,
    number,
):
    settings.SMS_BACKEND = "wnh.sms.backends.ConsoleBackend"
    shots = artifacts
    centre = CentreFactory(name="Kottarakkara")
    PodFactory(centre=centre, code="A", capacity=4)
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])

    def shot(name):
        page.screenshot(path=str(shots / f"{language}-{name}-360.png"), full_page=True)

    # Sign up with the number alone.
    page.goto(f"{base}/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    phone_box = page.locator("input[name=phone]")
    assert phone_box.get_attribute("inputmode") == "tel"
    assert phone_box.get_attribute("autocomplete") == "tel"
    phone_box.fill(typed)
    page.locator("input[name=accept_privacy_notice]").check()
    no_sideways_scroll(page)
    shot("signup")
    capsys.readouterr()
    page.locator("form.card button[type=submit]").click()

    # The code from the SMS.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        say(language, "Confirm your mobile number")
    )
    code_box = page.locator("input[name=code]")
    assert code_box.get_attribute("autocomplete") == "one-time-code"
    assert code_box.get_attribute("inputmode") == "numeric"
    no_sideways_scroll(page)
    assert_accessible(page)
    shot("verify")
    code_box.fill(code_printed_for(number, capsys))
    page.locator("form.code-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        say(language, "Your home and language")
    )
    user = User.objects.get(phone=number)
    assert (user.email, user.phone_verified, user.language) == (None, True, language)
    shot("welcome")

    # Sign out.
    page.goto(f"{base}/accounts/logout/")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("main a[href='/accounts/signup/']")).to_be_visible()  # signed out

    # Sign in again: the number typed another way, a new code, no password.
    page.goto(f"{base}/accounts/login/")
    shot("login")
    page.get_by_role("link", name=say(language, "Sign in with your mobile number")).click()
    page.locator("input[name=phone]").fill(typed_again)
    no_sideways_scroll(page)
    assert_accessible(page)
    shot("request-code")
    capsys.readouterr()
    page.locator("form.card button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say(language, "Enter your code"))
    shot("enter-code")
    page.locator("input[name=code]").fill(code_printed_for(number, capsys))
    page.locator("form.code-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        say(language, "Your home and language")
    )

    # Book a seat.
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() == 6:  # the factory's centres open Monday to Saturday
        day += timedelta(days=1)
    page.goto(f"{base}{centre.get_absolute_url()}?day={day.isoformat()}")
    page.locator("#book-button").click()
    expect(page.locator("li.seat[data-state='yours']")).to_have_count(1)
    no_sideways_scroll(page)
    shot("booked")
    assert SeatBooking.objects.filter(user=user, day=day, status="booked").count() == 1
    assert console_errors == []
