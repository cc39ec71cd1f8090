"""The profile's choice of how reminders and waitlist offers come: email, SMS or both."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def post(client, **fields):
    data = {"pin_code": "691506", "language": "en", "full_name": "Asha", **fields}
    return client.post(reverse("accounts:profile"), data)


@pytest.mark.parametrize("choice", ["email", "sms", "both"])
def test_the_choice_is_saved(client, professional, choice):
    client.force_login(professional)

    assert post(client, notify_by=choice).status_code == 302

    professional.refresh_from_db()
    assert professional.notify_by == choice


def test_a_form_without_the_choice_keeps_the_saved_one(client, professional):
    professional.notify_by = "both"
    professional.save()
    client.force_login(professional)

    post(client)

    professional.refresh_from_db()
    assert professional.notify_by == "both"


def test_an_unknown_choice_is_refused_and_changes_nothing(client, professional):
    client.force_login(professional)

    response = post(client, notify_by="pigeon")

    assert response.status_code == 200
    assert "notify_by" in response.context["form"].errors
    professional.refresh_from_db()
    assert professional.notify_by == "email"


def test_the_page_offers_the_choice_and_says_where_sms_go(client, professional):
    professional.phone, professional.phone_verified = "+919447012345", True
    professional.save()
    client.force_login(professional)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "Send reminders and waitlist offers by" in page
    assert 'value="sms"' in page
    assert "SMS go to +919447012345." in page


def test_in_malayalam(client, professional):
    professional.language = "ml"
    professional.save()
    client.force_login(professional)

    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="ml").content.decode()

    assert "ഓർമ്മപ്പെടുത്തലുകളും വെയ്റ്റ്‌ലിസ്റ്റ് ഓഫറുകളും അയയ്ക്കേണ്ടത്" in page
    assert "ഇമെയിലും എസ്എംഎസും" in page
    assert "നിങ്ങളുടെ മൊബൈൽ നമ്പർ ഞങ്ങളുടെ പക്കലില്ല" in page
