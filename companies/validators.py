from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# GSTIN: 2-digit state code, the 10-character PAN, entity number, "Z", check character.
GSTIN_PATTERN = r"^[0-3][0-9][A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$"

validate_gstin = RegexValidator(
    GSTIN_PATTERN,
    _("Enter a 15-character GSTIN, for example 32AAACK1234L1Z5."),
    code="invalid_gstin",
)
