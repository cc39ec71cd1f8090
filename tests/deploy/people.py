"""People for the stack's racing clients, each signed in as the stack's web processes will
read the session: made once, in the database, before the race (tests/deploy/test_stack.py and
the fault round, tests/deploy/fault_round.py)."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings
from django.utils.crypto import get_random_string

from accounts.models import User
from tests.deploy.stack import SECRET_KEY


def people(prefix: str, count: int) -> list[User]:
    # One hash for everyone: hashing a password is slow on purpose, and 2,000 people with
    # one each cost minutes before a fault round could start.
    password = make_password("a-long-password")
    return User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.com", password=password) for i in range(count)]
    )


def sign_in(users: list[User]) -> dict[int, dict]:
    """Request headers that carry a signed-in session and a CSRF token for each person,
    made as the stack's processes will read them (their secret key)."""
    headers = {}
    with override_settings(SECRET_KEY=SECRET_KEY):
        for user in users:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            csrf = get_random_string(32)
            headers[user.pk] = {
                "Cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
            }
    return headers
