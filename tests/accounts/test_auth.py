"""Email login through allauth: sign-up with verification, login, logout, password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signing_up_sends_a_verification_mail_and_login_waits_for_it(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "accept_privacy_notice": "on",
        },
    )

    assert response.status_code == 302
    assert User.objects.filter(email="new@example.com").exists()
    assert len(mail.outbox) == 1
    assert "new@example.com" in mail.outbox[0].to
    # Not verified yet: logging in leads to "verify your email", not into the portal.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.com", "password": "a-long-pass-phrase"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302


def test_following_the_verification_link_logs_the_person_in(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "accept_privacy_notice": "on",
        },
    )
    confirm = link_in(mail.outbox[0])

    client.post(confirm)

    user = User.objects.get(email="new@example.com")
    assert user.emailaddress_set.get().verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_same_email_cannot_sign_up_twice_whatever_its_case(client):
    """allauth does not say the address is taken (no account enumeration): it mails the
    owner instead, and no second account is made."""
    UserFactory(email="asha@example.com")

    response = client.post(
        reverse("account_signup"),
        {
            "email": "ASHA@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "accept_privacy_notice": "on",
        },
    )

    assert response.status_code == 302
    assert User.objects.count() == 1
    assert mail.outbox[0].to == ["asha@example.com"]


def test_a_verified_person_logs_in_and_out_with_their_email(client):
    user = UserFactory(email="asha@example.com")

    client.post(
        reverse("account_login"), {"login": "asha@example.com", "password": "a-long-test-password"}
    )
    assert client.session["_auth_user_id"] == str(user.pk)

    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused(client):
    UserFactory(email="asha@example.com")

    response = client.post(
        reverse("account_login"), {"login": "asha@example.com", "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_password_reset_mail_lets_the_person_choose_a_new_password(client):
    user = UserFactory(email="asha@example.com")

    client.post(reverse("account_reset_password"), {"email": "asha@example.com"})
    assert len(mail.outbox) == 1
    reset = link_in(mail.outbox[0])
    form_page = client.get(reset, follow=True)
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset,
        {"password1": "a-brand-new-phrase", "password2": "a-brand-new-phrase"},
    )

    user.refresh_from_db()
    assert user.check_password("a-brand-new-phrase")


def test_users_are_made_with_an_email_and_no_username():
    user = User.objects.create_user(email="Someone@EXAMPLE.com", password="x")
    admin = User.objects.create_superuser(email="root@example.com", password="x")

    assert user.email == "Someone@example.com"
    assert not user.is_staff
    assert admin.is_staff
    assert admin.is_superuser
    assert user.calendar_token != admin.calendar_token
