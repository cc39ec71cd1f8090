"""Staff log in with a password and a TOTP code: helpers that set one up and type it.

The codes are RFC 6238's, computed with allauth.mfa's own HOTP function, at the test's clock.
"""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings

PASSWORD = "a-long-test-password"


def give_totp(user) -> str:
    """Set up an authenticator app for `user` (once); return its secret."""
    from allauth.mfa.utils import decrypt

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, steps_ago: int = 0) -> str:
    """The code the authenticator app shows now (or `steps_ago` periods ago)."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period - steps_ago))


def log_in_staff(client, user, password: str = PASSWORD):
    """Log `user` in as staff do: password on the portal's login, then the TOTP code."""
    secret = give_totp(user)
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/accounts/2fa/authenticate/"), response["Location"]
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.session.get("_auth_user_id") == str(user.pk)
    return client


def force_login_staff(client, user):
    """Sign `user` in as if they had typed their password and TOTP code: for tests about what
    staff do once signed in, not about signing in (tests/security/test_staff_logins.py)."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    client.force_login(user)
    if user.is_staff or user.is_superuser:
        give_totp(user)
        session = client.session
        now = time.time()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client
