"""K-DISC staff and superusers use a second factor: without one set up, and used in this
session, a staff account can do nothing but set one up (or sign out).

A stolen staff password alone must not open the admin, nor the staff powers outside it
(cancelling anyone's booking, the entrance screen). The check is per session: allauth
records each step of a login (password, then "mfa") in the session, and a session that
never passed the second step (an old one, or force_login) is asked for a code or the key first.
A security key (WebAuthn) is a second factor as an authenticator app (TOTP) is; recovery
codes stand in for either when it is lost.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.urls import reverse

# The kinds that count as a second factor at login (recovery codes only stand in for them).
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def needs_second_factor(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def used_second_factor(request) -> bool:
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def second_factor_step(request) -> str | None:
    """Where this request's staff session must go first, or None when it may go on."""
    if not needs_second_factor(request.user):
        return None
    if not has_second_factor(request.user):
        return reverse("mfa_activate_totp")
    if not used_second_factor(request):
        if has_authenticator_app(request.user):
            return reverse("mfa_reauthenticate")
        return reverse("mfa_reauthenticate_webauthn")  # a key is this account's only factor
    return None
