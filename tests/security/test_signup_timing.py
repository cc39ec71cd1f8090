"""Sign-up answers in the same time whether or not the address already has an account, so
its timing does not tell which addresses (staff ones included) are registered."""

import statistics
import time

from django.core import mail

from tests.factories import UserFactory

TRIES = 20
PASSWORD = "a-long-new-password-7"


def sign_up(client, email: str, n: int) -> float:
    started = time.perf_counter()
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": "a-long-new-password-7",
            "password2": "a-long-new-password-7",
        },
        REMOTE_ADDR=f"198.51.100.{n + 1}",  # the sign-up rate limit is per address
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/accounts/confirm-email/"
    return elapsed


def test_sign_up_takes_as_long_for_an_existing_address_as_for_a_new_one(client, settings, db):
    # The real password hasher: the suite's fast MD5 would hide the difference.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    UserFactory(email="staff@kdisc.example", is_staff=True)
    sign_up(client.__class__(), "warm-up@example.com", 200)  # first-request costs, not timed

    existing, new = [], []
    for n in range(TRIES):
        existing.append(sign_up(client.__class__(), "staff@kdisc.example", 2 * n))
        new.append(sign_up(client.__class__(), f"new{n}@example.com", 2 * n + 1))

    gap = abs(statistics.median(existing) - statistics.median(new))
    assert gap < 0.050, (statistics.median(existing), statistics.median(new))
    # Both answer with a mail: a confirmation link, or "you already have an account" (that
    # one at most once in a few minutes per address, as allauth's cooldown has it).
    to = [message.to[0] for message in mail.outbox]
    assert all(to.count(f"new{n}@example.com") == 1 for n in range(TRIES))
    assert to.count("staff@kdisc.example") == 1
