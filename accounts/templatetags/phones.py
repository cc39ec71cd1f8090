"""{{ number|readable_phone }}: +919447012345 as a person reads it, +91 94470 12345."""

from django import template

from accounts.phones import readable

register = template.Library()


@register.filter
def readable_phone(number) -> str:
    if not number:
        return ""
    try:
        return readable(str(number))
    except Exception:  # noqa: BLE001 - a page shows what it has rather than fail
        return str(number)
