"""Weekdays as a bitmask: bit 0 is Monday (date.weekday() == 0) ... bit 6 is Sunday.

One small integer holds a centre's open days or a reservation's weekdays, works the same on
SQLite and PostgreSQL, and can be checked by a constraint (1 to 127).
"""

from collections.abc import Iterable
from datetime import date

from django import forms
from django.db import models
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
ALL_DAYS = 0b1111111
MONDAY_TO_FRIDAY = 0b0011111
MONDAY_TO_SATURDAY = 0b0111111


def mask_of(weekdays: Iterable[int]) -> int:
    mask = 0
    for weekday in weekdays:
        mask |= 1 << int(weekday)
    return mask


def weekdays_of(mask: int) -> list[int]:
    return [day for day in range(7) if mask & (1 << day)]


def includes(mask: int, day: date) -> bool:
    return bool(mask & (1 << day.weekday()))


def describe(mask: int) -> str:
    """ "Mon, Tue, Wed" in English; in Malayalam whole names, as Django's own catalogue
    abbreviates them (cutting a Malayalam name at three characters cuts a letter in two)."""
    return ", ".join(str(WEEKDAYS_ABBR[day]) for day in weekdays_of(mask))


class WeekdaysFormField(forms.TypedMultipleChoiceField):
    """Checkboxes in forms, an integer mask in the model."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        for key in ("max_length", "min_value", "max_value", "empty_value"):
            kwargs.pop(key, None)
        kwargs["choices"] = [(day, name) for day, name in enumerate(WEEKDAY_NAMES)]
        kwargs["coerce"] = int
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return weekdays_of(value)
        return value

    def clean(self, value):
        days = super().clean(value)
        if not days:
            raise forms.ValidationError(_("Pick at least one weekday."), code="required")
        return mask_of(days)

    def has_changed(self, initial, data):
        initial_mask = initial if isinstance(initial, int) else mask_of(initial or [])
        return initial_mask != mask_of(data or [])


class WeekdaysField(models.PositiveSmallIntegerField):
    def formfield(self, **kwargs):
        # Whoever builds the form (the admin gives integer fields a number box) gets the
        # checkboxes: a number box cannot show, or send back, a set of weekdays.
        widget = kwargs.pop("widget", None)
        if not _is_multiple_choice(widget):
            widget = forms.CheckboxSelectMultiple
        return super().formfield(**{**kwargs, "form_class": WeekdaysFormField, "widget": widget})


def _is_multiple_choice(widget) -> bool:
    return getattr(widget, "allow_multiple_selected", False)
