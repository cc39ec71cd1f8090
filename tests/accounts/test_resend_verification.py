"""Someone who logs in before confirming the address can have the email sent again (issue 14),
without learning whether an address has an account."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unconfirmed(db):
    user = UserFactory(email="new@example.com")
    EmailAddress.objects.filter(user=user).update(verified=False)
    return user


def test_logging_in_unconfirmed_offers_to_send_the_email_again(client, unconfirmed):
    response = client.post(
        reverse("account_login"),
        {"login": "new@example.com", "password": "a-long-test-password"},
        follow=True,
    )
    html = response.content.decode()
    assert "Check your email" in html
    assert f'action="{reverse("account_resend_verification")}"' in html


def test_it_sends_the_confirmation_email_again(client, unconfirmed, mailoutbox):
    response = client.post(
        reverse("account_resend_verification"), {"email": "NEW@example.com"}, follow=True
    )
    assert "a new email with the link is on its way" in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_it_sends_at_most_one_every_few_minutes(client, unconfirmed, mailoutbox):
    for _ in range(3):
        client.post(reverse("account_resend_verification"), {"email": "new@example.com"})
    assert len(mailoutbox) == 1


def test_it_answers_the_same_for_an_unknown_or_confirmed_address(client, mailoutbox):
    UserFactory(email="done@example.com")  # confirmed by the factory
    answers = [
        client.post(reverse("account_resend_verification"), {"email": email}, follow=True)
        for email in ("nobody@example.com", "done@example.com")
    ]
    assert mailoutbox == []
    assert all("is on its way" in a.content.decode() for a in answers)
