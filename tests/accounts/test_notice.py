"""Sign-up shows the privacy notice and keeps the version the person accepted."""

from django.urls import reverse

from accounts import notice as privacy
from accounts.models import User

SIGN_UP = {
    "email": "new@example.com",
    "password1": "a-long-pass-phrase",
    "password2": "a-long-pass-phrase",
}


def test_the_sign_up_page_says_what_is_kept_and_links_the_notice(client, db):
    html = client.get(reverse("account_signup")).content.decode()
    assert "email or mobile number, name, home locality and bookings" in html
    assert f'href="{reverse("privacy_notice")}"' in html


def test_the_notice_says_what_why_how_long_and_whom_to_ask(client, db, settings):
    settings.WNH_RETENTION_DAYS = 400
    html = client.get(reverse("privacy_notice")).content.decode()
    for words in ["What we collect", "Why", "How long", "Whom to contact", "400 days"]:
        assert words in html
    assert settings.WNH_PRIVACY_CONTACT in html
    assert privacy.VERSION in html


def test_the_notice_tells_of_the_anonymous_demand_records_in_both_languages(client, db, settings):
    settings.WNH_DEMAND_RECORDS_DAYS = 45
    english = client.get(reverse("privacy_notice")).content.decode()
    client.cookies["django_language"] = "ml"
    malayalam = client.get(reverse("privacy_notice")).content.decode()

    assert "Anonymous records for planning" in english
    assert "deleted 45 days after the day they are for" in english
    assert "ആസൂത്രണത്തിനുള്ള അജ്ഞാത രേഖകൾ" in malayalam
    assert "45 ദിവസത്തിന് ശേഷം മായ്ക്കുന്നു" in malayalam


def test_sign_up_without_accepting_the_notice_is_refused(client, db):
    response = client.post(reverse("account_signup"), SIGN_UP)
    assert response.status_code == 200
    assert "Please read and accept the privacy notice" in response.content.decode()
    assert not User.objects.exists()


def test_the_accepted_version_is_kept_on_the_account(client, db):
    response = client.post(reverse("account_signup"), {**SIGN_UP, "accept_privacy_notice": "on"})
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.privacy_notice_version == privacy.VERSION
    assert user.privacy_notice_accepted_at is not None
