"""Passwords: at least 12 characters, not a common one and not easy to guess (zxcvbn, with the
reason), on every form that sets one; the help text says what the validators check."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.passwords import minimum_length, password_help_text
from devtools.management.commands.seed_demo import DEMO_PASSWORD
from tests.support import second_factor
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = {
    "wnhseats": "too short",
    "kerala2026": "too short",
    "k3r4l4-wnh!": "too short",  # 11 characters
    "password1234": "too common",
    "qwertyuiop123": "too common",
}


def sign_up(client, password: str):
    return client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": password,
            "password2": password,
            "accept_privacy_notice": "on",
        },
    )


@pytest.mark.parametrize("password", REFUSED)
def test_sign_up_refuses_a_short_or_common_password(client, password):
    response = sign_up(client, password)

    assert response.status_code == 200
    assert REFUSED[password] in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_takes_a_twelve_character_password_that_is_not_common(client):
    response = sign_up(client, "tea-at-kollam")

    assert response.status_code == 302
    assert User.objects.filter(email="new@example.com").exists()


def test_changing_a_password_refuses_a_short_one(client):
    user = UserFactory(email="asha@example.com")
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "a-long-test-password",
            "password1": "kerala2026",
            "password2": "kerala2026",
        },
    )

    assert "too short" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-long-test-password")


def test_the_demo_password_passes_the_rules():
    from devtools.management.commands.seed_demo import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)


def test_the_validators_refuse_what_the_issue_found_accepted():
    for password in ("wnhseats", "kerala2026"):
        with pytest.raises(ValidationError):
            validate_password(password)


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "abcabcabcabc", "keralakerala", "wnhseats2026"]
)
def test_it_refuses_what_a_guesser_tries_first_and_says_why(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any("too guessable" in message for message in refused.value.messages)


def test_it_says_why_in_malayalam():
    with translation.override("ml"), pytest.raises(ValidationError) as refused:
        validate_password("aaaaaaaaaaaa")
    assert "ഊഹിക്കാ" in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "password",
    [second_factor.PASSWORD, DEMO_PASSWORD, "kerala-coast-2026", "a-long-pass-phrase"],
)
def test_the_personas_and_demo_passwords_still_pass(password):
    validate_password(password)


def test_the_help_text_says_the_length_the_validator_keeps(settings):
    assert minimum_length() == 12
    assert "12 characters" in password_help_text()
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 14},
        }
    ]
    assert "At least 14 characters" in password_help_text()
