"""Sign-up answers in the same time whether or not the address already has an account, so
its timing does not tell which addresses (staff ones included) are registered."""

import statistics
import time

from django.core import mail

from tests.support.factories import UserFactory

TRIES = 20
# A busy machine (CI shares its cores) can drift one round by more than 50 ms: a round is
# measured again, at most this often. Without the fix every round is hundreds of ms apart.
ROUNDS = 3
PASSWORD = "a-long-new-password-7"


def sign_up(client, email: str, n: int) -> float:
    started = time.perf_counter()
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_privacy_notice": "on",
        },
        REMOTE_ADDR=f"198.51.100.{n + 1}",  # the sign-up rate limit is per address
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/accounts/confirm-email/"
    return elapsed


def measure(client, existing: list[str], round_: int) -> dict[str, float]:
    """Median seconds of sign-ups with `existing` addresses and as many new ones, in pairs."""
    times = {"existing": [], "new": []}
    for n, known in enumerate(existing):
        number = round_ * TRIES + n
        pair = [("existing", known), ("new", f"new{number}@example.com")]
        for k, (kind, email) in enumerate(pair if n % 2 else pair[::-1]):  # drift cancels out
            times[kind].append(sign_up(client.__class__(), email, (2 * number + k) % 250))
    return {kind: statistics.median(seconds) for kind, seconds in times.items()}


def test_sign_up_takes_as_long_for_an_existing_address_as_for_a_new_one(client, settings, db):
    # As someone probing a list of addresses would: each address once. (A second try of any
    # address meets an account either way: the first try of a new one made it.)
    existing = [
        UserFactory(email=f"staff{n}@kdisc.example", is_staff=n % 2 == 0).email
        for n in range(TRIES * ROUNDS)
    ]
    UserFactory(email="warm-up@kdisc.example")
    # The real password hasher from here on: the suite's fast MD5 would hide the difference.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    # First-request costs (templates, connections) are not timed: one of each kind first.
    sign_up(client.__class__(), "warm-up@kdisc.example", 200)
    sign_up(client.__class__(), "warm-up@example.com", 201)

    rounds = []
    for round_ in range(ROUNDS):
        medians = measure(client, existing[round_ * TRIES : (round_ + 1) * TRIES], round_)
        rounds.append(medians)
        if abs(medians["existing"] - medians["new"]) < 0.050:
            break
    assert abs(medians["existing"] - medians["new"]) < 0.050, rounds
    # Both answer with one mail: a confirmation link, or "you already have an account".
    to = [message.to[0] for message in mail.outbox]
    assert all(to.count(address) == 1 for address in existing[: len(rounds) * TRIES])
    assert "warm-up@kdisc.example" in to
    assert all(to.count(f"new{n}@example.com") == 1 for n in range(len(rounds) * TRIES))
