"""Malayalam all the way: a sign-up started in Malayalam stays in Malayalam, pages and
emails, and every email names the portal, never example.com."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.site import sync_site
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

MALAYALAM = re.compile("[\u0d00-\u0d7f]")


def visible_text(html: str) -> str:
    # Place names (the list of post offices) are in Latin letters in either language.
    html = re.sub(r"<(script|style|select)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def malayalam_share(text: str) -> float:
    """Of the letters, how many are Malayalam (email addresses and the portal's name aside)."""
    text = re.sub(r"\S+@\S+|WNH Seats|https?://\S+", " ", visible_text(text))
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if MALAYALAM.match(c)) / max(len(letters), 1)


def sign_up_in_malayalam(client, email="uma@example.com"):
    client.post(reverse("set_language"), {"language": "ml", "next": "/"})
    page = client.get(reverse("account_signup"))
    assert page.context["LANGUAGE_CODE"] == "ml"
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            "accept_privacy_notice": "on",
        },
        follow=True,
    )


def confirmation_path(body: str) -> str:
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)
    return link[link.index("/accounts/") :]


def test_the_site_is_the_portal_at_its_base_url():
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == ("WNH Seats", "localhost:8000")


def test_the_site_follows_the_configured_base_url(settings):
    settings.WNH_BASE_URL = "https://seats.wnh.kerala.gov.in"
    sync_site()
    assert Site.objects.get_current().domain == "seats.wnh.kerala.gov.in"


def test_a_sign_up_started_in_malayalam_ends_in_malayalam(client):
    """django Client, not a browser: the pages' language is checked in their HTML."""
    sent = sign_up_in_malayalam(client)
    user = User.objects.get(email="uma@example.com")
    assert user.language == "ml"
    assert sent.context["LANGUAGE_CODE"] == "ml"
    assert malayalam_share(sent.content.decode()) > 0.5  # "verification sent", in Malayalam

    (email,) = mail.outbox
    body = email.body
    assert "example.com!" not in body
    assert "Hello from" not in body
    assert "WNH Seats" in email.subject
    assert "WNH Seats" in body
    assert malayalam_share(email.subject) > 0.5
    assert malayalam_share(body) > 0.5

    # The link, opened on the same phone: confirmed, signed in, asked for a home, in Malayalam.
    path = confirmation_path(body)
    page = client.get(path)
    assert page.context["LANGUAGE_CODE"] == "ml"
    assert malayalam_share(page.content.decode()) > 0.5
    confirmed = client.post(path, follow=True)
    assert confirmed.redirect_chain[-1][0] == reverse("accounts:profile") + "?welcome=1"
    assert confirmed.context["user"] == user
    assert confirmed.context["LANGUAGE_CODE"] == "ml"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ml"
    assert malayalam_share(confirmed.content.decode()) > 0.5
    assert client.get(reverse("centres:list")).context["LANGUAGE_CODE"] == "ml"


def test_the_link_opened_in_another_browser_is_in_the_language_signed_up_in(client):
    sign_up_in_malayalam(client)
    path = confirmation_path(mail.outbox[0].body)
    other = Client()  # no language cookie: its browser would ask for English
    page = other.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["LANGUAGE_CODE"] == "ml"
    assert malayalam_share(page.content.decode()) > 0.5
    login = other.post(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert login.context["LANGUAGE_CODE"] == "ml"
    assert EmailAddress.objects.get(email="uma@example.com").verified


def test_a_sign_up_in_english_stays_english(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "eve@example.com",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            "accept_privacy_notice": "on",
        },
    )
    assert User.objects.get(email="eve@example.com").language == "en"
    assert "Please Confirm Your Email Address" in mail.outbox[0].subject


def test_a_password_reset_goes_out_in_the_account_language_not_the_page_language(client):
    UserFactory(email="mal@example.com", language="ml")
    client.post(reverse("account_reset_password"), {"email": "mal@example.com"})
    (email,) = mail.outbox
    assert malayalam_share(email.subject) > 0.5
    assert malayalam_share(email.body) > 0.4
    assert "WNH Seats" in email.body
    assert "example.com!" not in email.body
