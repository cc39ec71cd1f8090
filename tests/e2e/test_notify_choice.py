"""On a 360 px phone, in English and in Malayalam: the profile's choice of email, SMS or both
for reminders and waitlist offers, picked with the keyboard and saved."""

import re

import pytest

from tests.e2e.conftest import log_in, phone
from tests.support.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LABELS = {
    "en": ("Send reminders and waitlist offers by", "Email and SMS", "Save"),
    "ml": ("ഓർമ്മപ്പെടുത്തലുകളും വെയ്റ്റ്‌ലിസ്റ്റ് ഓഫറുകളും അയയ്ക്കേണ്ടത്", "ഇമെയിലും എസ്എംഎസും", None),
}


@pytest.mark.parametrize("language", ["en", "ml"])
def test_choosing_sms_and_email_on_a_phone(browser, live_server, artifacts, language):
    person = UserFactory(
        email=f"asha-{language}@example.com",
        language=language,
        phone="+919447012345",
        phone_verified=True,
    )
    person.home_pin_code, person.home_place = "691506", "Kottarakara"
    person.home_latitude, person.home_longitude = 9.0, 76.78
    person.save()
    context, page = phone(browser)
    log_in(page, live_server, person.email)
    page.goto(f"{live_server.url}/me/")

    question, both, _ = LABELS[language]
    assert page.get_by_text(question).is_visible()
    choice = page.get_by_label(both)
    choice.focus()
    page.keyboard.press("Space")
    assert choice.is_checked()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=artifacts / f"notify-choice-360-{language}.png", full_page=True)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()
    context.close()

    person.refresh_from_db()
    assert person.notify_by == "both"
    assert re.search(r"/centres/", page.url)
