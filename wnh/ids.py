"""Row ids from outside (forms, the admin, URLs, the API): what an id is, in one place.

Every id column is a 64-bit signed integer (BigAutoField, and the foreign keys to it), on
PostgreSQL and on SQLite alike. A number past that range names no row, and must be an
invalid choice or a 404, never a 500. Django already answers "no such row" for
`pk=<too big>`, but not for `pk__in=[<too big>]` or `fk=<too big>`: those reach the
database, and SQLite's driver cannot even bind the number ("OverflowError: Python int too
large to convert to SQLite INTEGER"). Such lookups are how the admin's autocomplete widget,
its many-to-many fields (ModelMultipleChoiceField) and its actions (`_selected_action`)
look submitted ids up, third-party admins' too. So:

- `is_id` / `as_id` for code that parses an id itself (a query parameter, a form field);
- `guard_lookups()` (run once at start-up, centres/apps.py) makes the ORM drop integers
  outside the 64-bit range from `__in` lookups on integer columns and foreign keys, and
  turns `fk=<out of range>` into "no row", as Django does for `pk=<out of range>`. What no
  row can hold matches nothing, whichever form, page or action sent it.
"""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

MIN_INTEGER, MAX_INTEGER = -(2**63), 2**63 - 1
# The largest id a row can have: BigAutoField counts up from 1 to here.
MAX_ID = MAX_INTEGER


def as_id(value) -> int | None:
    """A row id as typed or sent: ASCII digits (or an int) from 1 to MAX_ID, else None.

    Not "²" or "١" (str.isdigit says yes, int() no), not "1.5", "-1" or "0", and nothing
    past MAX_ID, however long (Python refuses to read over 4,300 digits at all)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit()):
            return None
        try:
            value = int(value)
        except ValueError:  # past Python's limit on the digits of an int
            return None
    if isinstance(value, int) and 0 < value <= MAX_ID:
        return value
    return None


def is_id(value) -> bool:
    return as_id(value) is not None


def _beyond_64_bits(value) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not (MIN_INTEGER <= value <= MAX_INTEGER)
    )


class _DropsIntegersBeyond64Bits:
    """An `in` lookup whose list loses the integers no column can hold (an empty list then
    matches nothing, as Django's own `in` does)."""

    def get_prep_lookup(self):
        prepared = super().get_prep_lookup()
        if self.rhs_is_direct_value() and not isinstance(prepared, (str, bytes)):
            try:
                return [value for value in prepared if not _beyond_64_bits(value)]
            except TypeError:  # not a list of values: left to Django
                return prepared
        return prepared


class IntegerIn(_DropsIntegersBeyond64Bits, In):
    pass


class RelatedIntegerIn(_DropsIntegersBeyond64Bits, RelatedIn):
    pass


class RelatedIntegerExact(RelatedExact):
    """`fk=<out of range>` matches no row (Django's IntegerFieldExact, for foreign keys)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and _beyond_64_bits(self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def guard_lookups() -> None:
    """Register the lookups above for every integer column and every foreign key."""
    models.IntegerField.register_lookup(IntegerIn)
    models.ForeignKey.register_lookup(RelatedIntegerIn)
    models.ForeignKey.register_lookup(RelatedIntegerExact)
