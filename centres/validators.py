from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# An Indian PIN code: six digits, the first not zero. Kerala's start with 67, 68 or 69.
PIN_CODE_PATTERN = r"^[1-9][0-9]{5}$"

validate_pin_code = RegexValidator(
    PIN_CODE_PATTERN, _("Enter a 6-digit PIN code, for example 691506."), code="invalid_pin_code"
)
