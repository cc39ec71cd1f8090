"""Mobile numbers: what a person types, read as one Indian mobile number in E.164.

`94470 12345`, `+91 9447012345`, `09447012345` and `+91-94470-12345` are all +919447012345,
so the same number typed two ways is one account. Only Indian mobile numbers are taken: the
codes go out by SMS through an Indian (TRAI DLT) provider, and a landline cannot receive them.
"""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What a person may type: ASCII digits, one leading +, and the spaces, hyphens, dots and
# brackets people write numbers with. Anything else (letters, other scripts' digits) is a
# typing slip or a probe, refused before parsing. 25 characters hold any real spelling.
TYPED = re.compile(r"^\+?[0-9 ().-]{1,24}$")
# The shape stored (a database constraint holds it too): an Indian mobile number.
E164_INDIA_MOBILE = r"^\+91[6-9][0-9]{9}$"

NOT_A_MOBILE = _("Enter an Indian mobile number of 10 digits, for example 94470 12345.")
LANDLINE = _("This is not a mobile number. Enter a mobile number that can receive SMS.")


def to_e164(typed: str) -> str:
    """The number typed, as +91XXXXXXXXXX; a ValidationError saying why not."""
    typed = (typed or "").strip()
    if not TYPED.match(typed):
        raise ValidationError(NOT_A_MOBILE, code="invalid_phone")
    try:
        number = phonenumbers.parse(typed, "IN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(NOT_A_MOBILE, code="invalid_phone") from error
    if number.country_code != 91 or not phonenumbers.is_valid_number(number):
        raise ValidationError(NOT_A_MOBILE, code="invalid_phone")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError(LANDLINE, code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164_or_none(typed: str) -> str | None:
    try:
        return to_e164(typed)
    except ValidationError:
        return None


def readable(e164: str) -> str:
    """+919447012345 as a person reads it: +91 94470 12345."""
    number = phonenumbers.parse(e164, "IN")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class MobileNumberField(forms.CharField):
    """allauth's phone field (adapter.phone_form_field), reading numbers as people type them.

    allauth's own PhoneField wants E.164 before it cleans; this one takes the Indian
    spellings and gives allauth E.164."""

    def __init__(self, **kwargs):
        # allauth passes its own label ("Phone", untranslated in Malayalam): ours, always.
        kwargs["label"] = _("Mobile number")
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        )
        kwargs.setdefault("help_text", _("10 digits, for example 94470 12345."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return to_e164(value)
