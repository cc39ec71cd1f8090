"""What the sign-up page tells about passwords, read from the validators that check them
(settings.AUTH_PASSWORD_VALIDATORS), so the help text cannot promise a rule they do not keep."""

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)
from django.utils.translation import ngettext


def minimum_length() -> int:
    """The shortest password the validators take (0 when nothing checks the length)."""
    lengths = [
        validator.min_length
        for validator in get_default_password_validators()
        if isinstance(validator, MinimumLengthValidator)
    ]
    return max(lengths, default=0)


def password_help_text() -> str:
    count = minimum_length()
    return ngettext(
        "At least %(count)d character, and hard to guess: we say why when it is not.",
        "At least %(count)d characters, and hard to guess: we say why when it is not.",
        count,
    ) % {"count": count}
