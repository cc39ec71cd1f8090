"""Which version of a place's text a reader sees: the Malayalam one (`<field>_ml`) when the
page's language is Malayalam and the Malayalam text is set; the English one otherwise.

Centres and post offices have optional Malayalam names (centres.models); every page, email,
SMS and calendar entry shows them through `in_language` (the models' `local_*` properties)."""

from django.utils import translation


def in_malayalam() -> bool:
    return (translation.get_language() or "").startswith("ml")


def in_language(obj, field: str) -> str:
    """`obj.<field>_ml` for a Malayalam reader when it is set, else `obj.<field>`."""
    english = getattr(obj, field)
    if in_malayalam():
        return getattr(obj, f"{field}_ml", "") or english
    return english
