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
    staff do once signed in, not about signing in (tests/accounts/test_staff_logins.py)."""
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


class SoftKey:
    """A security key in software, for tests that use the django Client (the browser tests use
    Chromium's virtual authenticator instead). It answers WebAuthn's two ceremonies as a USB
    key would: `register` makes the credential for the options of the "add a key" page,
    `sign` the assertion for the options of a login or reauthentication page."""

    def __init__(self, origin: str = "http://localhost"):
        import os

        from cryptography.hazmat.primitives.asymmetric import ec

        self.origin = origin
        self.rp_id = origin.split("//", 1)[1].split(":", 1)[0]
        self.credential_id = os.urandom(32)
        self._private = ec.generate_private_key(ec.SECP256R1())
        self.counter = 0

    def _rp_id_hash(self) -> bytes:
        import hashlib

        return hashlib.sha256(self.rp_id.encode()).digest()

    def register(self, creation_options: dict) -> dict:
        from fido2.cose import ES256
        from fido2.utils import websafe_encode
        from fido2.webauthn import (
            Aaguid,
            AttestationObject,
            AttestedCredentialData,
            AuthenticatorData,
            CollectedClientData,
        )

        challenge = creation_options["publicKey"]["challenge"]
        client_data = CollectedClientData.create("webauthn.create", challenge, self.origin)
        credential = AttestedCredentialData.create(
            Aaguid.NONE,
            self.credential_id,
            ES256.from_cryptography_key(self._private.public_key()),
        )
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(self._rp_id_hash(), flags, self.counter, credential)
        attestation = AttestationObject.create("none", auth_data, {})
        encoded_id = websafe_encode(self.credential_id)
        return {
            "id": encoded_id,
            "rawId": encoded_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
            },
            "clientExtensionResults": {"credProps": {"rk": False}},
        }

    def sign(self, request_options: dict) -> dict:
        import hashlib

        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from fido2.utils import websafe_encode
        from fido2.webauthn import AuthenticatorData, CollectedClientData

        self.counter += 1
        challenge = request_options["publicKey"]["challenge"]
        client_data = CollectedClientData.create("webauthn.get", challenge, self.origin)
        auth_data = AuthenticatorData.create(
            self._rp_id_hash(), AuthenticatorData.FLAG.UP, self.counter
        )
        signature = self._private.sign(
            bytes(auth_data) + hashlib.sha256(bytes(client_data)).digest(),
            ec.ECDSA(hashes.SHA256()),
        )
        encoded_id = websafe_encode(self.credential_id)
        return {
            "id": encoded_id,
            "rawId": encoded_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }


def js_data(response) -> dict:
    """The WebAuthn options a page hands to allauth's script (its json_script "js_data")."""
    import json
    import re

    found = re.search(
        r'<script id="js_data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, response.content.decode()[:2000]
    return json.loads(found.group(1))


def add_security_key(client, key: SoftKey, name: str = "Blue USB key"):
    """Add `key` on the portal's "add a security key" page, as its script does (after the
    password again, when allauth asks for it)."""
    import json

    page = client.get("/accounts/2fa/webauthn/add/")
    if page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/"):
        # allauth asks for the password again before a new factor is added.
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get("/accounts/2fa/webauthn/add/")
    assert page.status_code == 200, page.get("Location")
    credential = key.register(js_data(page)["creation_options"])
    return client.post(
        "/accounts/2fa/webauthn/add/", {"name": name, "credential": json.dumps(credential)}
    )
