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
    # As someone probing a list of addresses would: each address once. (A second try of any
    # address meets an account either way: the first try of a new one made it.)
    existing = [
        UserFactory(email=f"staff{n}@kdisc.example", is_staff=n % 2 == 0).email
        for n in range(TRIES)
    ]
    # First-request costs (templates, connections) are not timed: one of each kind first.
    UserFactory(email="warm-up@kdisc.example")
    sign_up(client.__class__(), "warm-up@kdisc.example", 200)
    sign_up(client.__class__(), "warm-up@example.com", 201)

    times = {"existing": [], "new": []}
    for n in range(TRIES):
        pair = [("existing", existing[n]), ("new", f"new{n}@example.com")]
        for k, (kind, email) in enumerate(pair if n % 2 else pair[::-1]):  # drift cancels out
            times[kind].append(sign_up(client.__class__(), email, 2 * n + k))

    medians = {kind: statistics.median(seconds) for kind, seconds in times.items()}
    assert abs(medians["existing"] - medians["new"]) < 0.050, medians
    # Both answer with one mail: a confirmation link, or "you already have an account".
    to = [message.to[0] for message in mail.outbox]
    assert all(to.count(address) == 1 for address in existing)
    assert "warm-up@kdisc.example" in to
    assert all(to.count(f"new{n}@example.com") == 1 for n in range(TRIES))
