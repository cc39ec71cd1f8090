"""Reads about people used by more than one caller."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .models import User


def home_first_url(user) -> str | None:
    """Where a signed-in professional without a home goes first: setting it, since "centres
    near me" measures from it (staff need none)."""
    if user.is_authenticated and not user.has_home and not user.is_staff:
        return reverse("accounts:profile") + "?welcome=1"
    return None


def sms_number(user) -> str | None:
    """The number SMS go to, E.164, or None: only a number the person confirmed with a code
    sent to it. Every sender of an SMS asks here."""
    return user.phone if user.phone and user.phone_verified else None


def languages_of(addresses: list[str]) -> dict[str, str]:
    """Each address's language: its account's, or for an address with no account (an
    invitation's) the language active now, that is the sender's (one query)."""
    known = {
        email.lower(): language
        for email, language in User.objects.filter(
            email__in=[a for a in addresses if a]
        ).values_list("email", "language")
    }
    fallback = translation.get_language() or settings.LANGUAGE_CODE
    if fallback not in dict(settings.LANGUAGES):
        fallback = settings.LANGUAGE_CODE
    return {address: known.get(address.lower(), fallback) for address in addresses}
