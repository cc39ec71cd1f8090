"""The pages a government site must have, in Chromium, in English and Malayalam: each is
axe-clean and fits a 360 px phone, the footer names the owner, and a visitor on a phone sends
feedback through /contact/ and sees the thank-you. Screenshots at 360 and 1280 px go to
test-artifacts/."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/about/", "/terms/", "/accessibility/", "/contact/", "/privacy/"]
MALAYALAM = re.compile("[\u0d00-\u0d7f]")


def t(text: str, language: str) -> str:
    with translation.override(language):
        return gettext(text)


def open_browser(browser, language: str, viewport: dict):
    phone = viewport == PHONE
    context = browser.new_context(
        viewport=viewport,
        screen=viewport,
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
        # The browser's language (its Accept-Language) picks the portal's.
        locale={"en": "en-US", "ml": "ml-IN"}[language],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def check_page(page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    heading = page.get_by_role("heading", level=1).inner_text()
    if language == "ml":
        assert MALAYALAM.search(heading), heading
    footer = page.locator("footer.site-footer")
    expect(footer).to_contain_text("K-DISC")
    for name in ["About", "Contact and feedback", "Terms of use", "Privacy notice"]:
        expect(footer.get_by_role("link", name=t(name, language), exact=True)).to_be_visible()
    expect(footer.get_by_role("link", name=t("Sitemap", language), exact=True)).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    assert_accessible(page)


def not_axes(errors: list[str]) -> list[str]:
    # axe-core applies an inline style of its own, which the strict CSP blocks and reports.
    return [e for e in errors if "Applying inline style" not in e]


@pytest.mark.parametrize("language", ["en", "ml"])
def test_the_pages_fit_a_phone_and_pass_axe(browser, live_server, artifacts, language):
    for viewport, size in [(PHONE, 360), (DESKTOP, 1280)]:
        context, page, errors = open_browser(browser, language, viewport)
        for path in PAGES:
            assert page.goto(live_server.url + path).status == 200, path
            check_page(page, language)
            name = path.strip("/")
            page.screenshot(
                path=str(artifacts / f"gigw-{name}-{language}-{size}.png"), full_page=True
            )
        assert not_axes(errors) == []
        context.close()


@pytest.mark.parametrize("language", ["en", "ml"])
def test_a_visitor_on_a_phone_sends_feedback_and_is_thanked(
    browser, live_server, artifacts, mailoutbox, settings, language
):
    settings.FEEDBACK_EMAIL = "feedback@kdisc.example"
    context, page, errors = open_browser(browser, language, PHONE)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name=t("Menu", language)).click()  # then the footer's link
    page.locator("footer").get_by_role("link", name=t("Contact and feedback", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Contact and feedback", language))

    # First without an email: refused, with the reason on the field, nothing sent.
    page.get_by_label(t("Your name (optional)", language)).fill("Lakshmi")
    page.get_by_label(t("Topic", language)).select_option("portal")
    page.get_by_label(t("Message", language)).fill("ബുക്കിംഗ് ബട്ടൺ ഫോണിൽ കാണുന്നില്ല.")
    page.get_by_role("button", name=t("Send feedback", language)).click()
    expect(
        page.get_by_text(t("Give your email address, so we can answer you.", language))
    ).to_be_visible()
    assert mailoutbox == []
    # The refusal is a 400, which the browser reports as a failed load: that one is expected.
    errors[:] = [e for e in errors if "status of 400" not in e]
    assert_accessible(page)
    page.screenshot(
        path=str(artifacts / f"gigw-contact-refused-{language}-360.png"), full_page=True
    )

    page.get_by_label(t("Your email", language)).fill("lakshmi@example.com")
    page.get_by_role("button", name=t("Send feedback", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Thank you for your feedback", language)
    )
    assert_accessible(page)
    page.screenshot(path=str(artifacts / f"gigw-contact-thanks-{language}-360.png"), full_page=True)

    (mail,) = mailoutbox
    assert mail.to == ["feedback@kdisc.example"]
    assert "ബുക്കിംഗ് ബട്ടൺ ഫോണിൽ കാണുന്നില്ല." in mail.body
    assert not_axes(errors) == []
    context.close()
