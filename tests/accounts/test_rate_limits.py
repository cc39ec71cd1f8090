"""Login rate limits count people, not the load balancer: behind one trusted proxy the
client's address is the last X-Forwarded-For entry, and a spray locks only its sender."""

import os
import subprocess
import sys

import pytest

from tests import ROOT_DIR
from tests.support.factories import UserFactory

PASSWORD = "a-long-test-password"

BALANCER = "10.0.0.2"
ROOT = ROOT_DIR


def setting_under(env: dict[str, str], name: str):
    """A setting as a deployment with `env` would have it (settings read in a new process)."""
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "wnh.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return eval(result.stdout)  # noqa: S307 - our own repr() of an int


def log_in(client, email: str, password: str, *, client_ip: str, via: str = BALANCER):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=via,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


@pytest.fixture
def behind_one_balancer(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = setting_under(
        {"WNH_TRUSTED_PROXY_COUNT": "1"}, "ALLAUTH_TRUSTED_PROXY_COUNT"
    )
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 1


def test_no_proxy_is_trusted_unless_the_deployment_says_so():
    assert setting_under({}, "ALLAUTH_TRUSTED_PROXY_COUNT") == 0
    assert setting_under({"WNH_TRUSTED_PROXY_COUNT": "2"}, "ALLAUTH_TRUSTED_PROXY_COUNT") == 2


def test_a_spray_from_one_client_locks_that_client_only(client, behind_one_balancer, db):
    sprayer, innocent = "203.0.113.5", "198.51.100.7"
    victims = [UserFactory(email=f"victim{n}@example.com") for n in range(12)]
    own = UserFactory(email="sprayer@example.com")
    for victim in victims:
        log_in(client, victim.email, "wrong-password-1", client_ip=sprayer)

    refused = log_in(client, own.email, PASSWORD, client_ip=sprayer)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in refused.content.decode()

    other = client.__class__()
    response = log_in(other, victims[0].email, PASSWORD, client_ip=innocent)
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(victims[0].pk)


def test_a_sprayer_cannot_escape_by_writing_its_own_forwarded_for(client, behind_one_balancer, db):
    """The balancer appends the address it saw; what the client wrote before it is ignored."""
    victims = [UserFactory(email=f"victim{n}@example.com") for n in range(12)]
    for n, victim in enumerate(victims):
        log_in(client, victim.email, "wrong-password-1", client_ip=f"192.0.2.{n}, 203.0.113.5")

    log_in(client, victims[0].email, PASSWORD, client_ip="192.0.2.99, 203.0.113.5")

    assert "_auth_user_id" not in client.session


def test_thirty_one_people_behind_the_balancer_log_in_within_a_minute(
    client, behind_one_balancer, db
):
    people = [UserFactory(email=f"person{n}@example.com") for n in range(31)]

    for n, person in enumerate(people):
        session = client.__class__()
        response = log_in(session, person.email, PASSWORD, client_ip=f"198.51.100.{n + 1}")
        assert response.status_code == 302, n
        assert session.session["_auth_user_id"] == str(person.pk)


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, db):
    victims = [UserFactory(email=f"victim{n}@example.com") for n in range(12)]
    for n, victim in enumerate(victims):
        log_in(client, victim.email, "wrong-password-1", client_ip=f"192.0.2.{n}")

    log_in(client, victims[0].email, PASSWORD, client_ip="192.0.2.200")

    assert "_auth_user_id" not in client.session
