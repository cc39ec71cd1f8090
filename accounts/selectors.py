"""Reads about people used by more than one caller."""

from django.conf import settings
from django.utils import translation

from .models import User


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
