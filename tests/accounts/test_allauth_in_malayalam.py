"""Every template the portal renders through allauth (its pages, their messages and its
emails) has each of its strings translated in our Malayalam catalogue.

The pages are found by walking every allauth journey the portal offers, in Malayalam, with
the django Client, and recording each template rendered; the strings are what makemessages
would extract from those templates (tests/support/i18n_catalogue.py)."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.core import mail
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from tests.support.factories import UserFactory
from tests.support.i18n_catalogue import msgids_of_template, untranslated
from tests.support.second_factor import PASSWORD, give_totp, log_in_staff

pytestmark = pytest.mark.django_db

ALLAUTH_TEMPLATES = ("account/", "mfa/", "allauth/")
NEW_PASSWORD = "another-long-test-password"


@pytest.fixture
def rendered():
    names: set[str] = set()

    def record(sender, template, context, **kwargs):
        if template.name and template.name.startswith(ALLAUTH_TEMPLATES):
            names.add(template.name)

    template_rendered.connect(record, dispatch_uid="allauth-templates")
    yield names
    template_rendered.disconnect(dispatch_uid="allauth-templates")


def in_malayalam() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ml"
    return client


def ok(response, *codes):
    assert response.status_code in (codes or (200, 302)), response.content.decode()[:1500]
    return response


def walk_the_visitor_pages():
    visitor = in_malayalam()
    for name in ["account_login", "account_signup", "account_reset_password"]:
        ok(visitor.get(reverse(name)))
    ok(visitor.post(reverse("account_login"), {"login": "no@example.com", "password": "x"}))
    signup = {
        "email": "new@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_privacy_notice": "on",
    }
    ok(visitor.post(reverse("account_signup"), signup, follow=True))  # verification sent
    ok(visitor.get(reverse("account_email_verification_sent")))
    address = EmailAddress.objects.get(email="new@example.com")
    key = EmailConfirmationHMAC(address).key
    ok(visitor.get(reverse("account_confirm_email", args=[key])))
    ok(visitor.post(reverse("account_confirm_email", args=[key]), follow=True))
    ok(visitor.get(reverse("account_confirm_email", args=["a-bad-key"])))
    ok(visitor.get(reverse("account_logout")))
    ok(visitor.post(reverse("account_logout"), follow=True))
    # Logging in before verifying: the "verify your address" page and a new email.
    UserFactory(email="unverified@example.com")
    EmailAddress.objects.filter(email="unverified@example.com").update(verified=False)
    ok(
        in_malayalam().post(
            reverse("account_login"),
            {"login": "unverified@example.com", "password": PASSWORD},
            follow=True,
        )
    )


def walk_the_password_reset():
    visitor = in_malayalam()
    UserFactory(email="asha@example.com", language="ml")
    # Signing up with a known address: the "you already have an account" email.
    known = {
        "email": "asha@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_privacy_notice": "on",
    }
    ok(in_malayalam().post(reverse("account_signup"), known, follow=True))
    ok(visitor.post(reverse("account_reset_password"), {"email": "asha@example.com"}, follow=True))
    ok(visitor.post(reverse("account_reset_password"), {"email": "nobody@example.com"}))
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[-2].body)
    path = link.group(0)[link.group(0).index("/accounts/") :]
    form = ok(visitor.get(path, follow=True))
    ok(
        visitor.post(
            form.redirect_chain[-1][0] if form.redirect_chain else path,
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            follow=True,
        )
    )
    ok(visitor.get(reverse("account_reset_password_from_key", args=["x", "a-bad-key"])))


def walk_the_account_pages():
    person = UserFactory(email="binu@example.com", language="ml")
    client = in_malayalam()
    client.force_login(person)
    ok(client.get(reverse("account_email")))
    ok(client.post(reverse("account_email"), {"action_add": "", "email": "binu2@example.com"}))
    ok(client.post(reverse("account_email"), {"action_send": "", "email": "binu2@example.com"}))
    ok(client.get(reverse("account_change_password")))
    ok(client.post(reverse("account_change_password"), {"oldpassword": "wrong"}))
    ok(client.get(reverse("account_reauthenticate")))
    ok(client.get(reverse("mfa_index")))


def walk_the_staff_pages(staff_user):
    staff_user.language = "ml"
    staff_user.save(update_fields=["language"])
    give_totp(staff_user)
    step = in_malayalam()
    ok(step.post(reverse("account_login"), {"login": staff_user.email, "password": PASSWORD}))
    ok(step.get(reverse("mfa_authenticate")))  # the second factor's page
    client = in_malayalam()
    log_in_staff(client, staff_user)
    ok(client.get(reverse("mfa_index")))
    ok(client.get(reverse("mfa_generate_recovery_codes"), follow=True))
    ok(client.get(reverse("mfa_deactivate_totp"), follow=True))
    other = UserFactory(email="newstaff@example.com", is_staff=True, language="ml")
    fresh = in_malayalam()
    ok(fresh.post(reverse("account_login"), {"login": other.email, "password": PASSWORD}))
    activate = reverse("mfa_activate_totp")
    ok(fresh.get(activate, follow=True))  # "confirm your password" first
    ok(fresh.post(f"{reverse('account_reauthenticate')}?next={activate}", {"password": PASSWORD}))
    ok(fresh.get(activate))


def test_every_allauth_template_the_portal_renders_is_translated(rendered, staff_user):
    walk_the_visitor_pages()
    walk_the_password_reset()
    walk_the_account_pages()
    walk_the_staff_pages(staff_user)
    # The journeys reach the pages and emails they should (a renamed page would hide here).
    for expected in [
        "account/login.html",
        "account/signup.html",
        "account/verification_sent.html",
        "account/email_confirm.html",
        "account/password_reset.html",
        "account/password_reset_done.html",
        "account/password_reset_from_key.html",
        "account/password_reset_from_key_done.html",
        "account/email.html",
        "account/password_change.html",
        "account/logout.html",
        "account/email/email_confirmation_signup_message.txt",
        "account/email/password_reset_key_message.txt",
        "account/email/unknown_account_message.txt",
        "account/email/account_already_exists_message.txt",
        "mfa/index.html",
        "mfa/authenticate.html",
        "mfa/totp/activate_form.html",
    ]:
        assert expected in rendered
    missing = {name: untranslated(msgids_of_template(name)) for name in sorted(rendered)}
    assert {name: keys for name, keys in missing.items() if keys} == {}


# Reached from the pages above but behind a fresh password (reauthentication) or a state the
# walk does not make: their strings are checked by name.
BEHIND_A_STEP = [
    "account/account_inactive.html",
    "account/password_set.html",
    "account/snippets/already_logged_in.html",
    "account/verified_email_required.html",
    "account/messages/cannot_delete_primary_email.txt",
    "account/messages/email_confirmation_failed.txt",
    "account/messages/email_deleted.txt",
    "account/messages/password_set.txt",
    "account/messages/primary_email_set.txt",
    "mfa/reauthenticate.html",
    "mfa/recovery_codes/generate.html",
    "mfa/recovery_codes/index.html",
    "mfa/totp/deactivate_form.html",
    "mfa/messages/recovery_codes_generated.txt",
    "mfa/messages/totp_activated.txt",
    "mfa/messages/totp_deactivated.txt",
    # Security keys (tests/accounts/test_security_keys.py walks them with a software key).
    "mfa/webauthn/add_form.html",
    "mfa/webauthn/authenticator_list.html",
    "mfa/webauthn/authenticator_confirm_delete.html",
    "mfa/webauthn/edit_form.html",
    "mfa/webauthn/reauthenticate.html",
    "mfa/webauthn/_scripts.html",
    "mfa/webauthn/_key_error.html",
    "mfa/messages/webauthn_added.txt",
    "mfa/messages/webauthn_removed.txt",
]


@pytest.mark.parametrize("name", BEHIND_A_STEP)
def test_the_allauth_pages_behind_a_step_are_translated_too(name):
    assert untranslated(msgids_of_template(name)) == []
