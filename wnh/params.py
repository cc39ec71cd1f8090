"""Query parameters of pages: a month, a week, a range of days (ids: wnh/ids.py).

Anything out of shape or out of range is a 400 with a message saying what was wrong
(`parse_query` raises InvalidInput), never a 500 further down.
"""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wnh.errors import InvalidInput

# Pages that look back or ahead (statements, the team's week, reports) go this many years
# either way from today; anything further is a typo or a probe, and a 400.
BROWSE_YEARS = 10


def _browse_limits() -> tuple[date, date]:
    year = timezone.localdate().year
    return date(year - BROWSE_YEARS, 1, 1), date(year + BROWSE_YEARS, 12, 31)


def validate_browsable(day: date) -> None:
    first, last = _browse_limits()
    if not first <= day <= last:
        raise forms.ValidationError(
            _("Pick a date from %(first)s to %(last)s.") % {"first": first, "last": last},
            code="out_of_range",
        )


class MonthForm(forms.Form):
    """?month=YYYY-MM; empty means this month."""

    month = forms.DateField(required=False, input_formats=["%Y-%m"])

    def clean_month(self) -> date:
        month = self.cleaned_data["month"] or timezone.localdate().replace(day=1)
        validate_browsable(month)
        return month


class WeekForm(forms.Form):
    """?week=YYYY-MM-DD, any day of it; empty means this week. Weeks start on Monday."""

    week = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean_week(self) -> date:
        day = self.cleaned_data["week"] or timezone.localdate()
        validate_browsable(day)
        return day - timedelta(days=day.weekday())


class DateRangeForm(forms.Form):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD, at most `max_days` days; either may be left out."""

    def __init__(self, *args, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_days = max_days
        for name in ("from", "to"):
            self.fields[name] = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self):
        data = super().clean()
        for name in ("from", "to"):
            if data.get(name):
                try:
                    validate_browsable(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        first, last = data.get("from"), data.get("to")
        if first and last and last < first:
            self.add_error("to", _("The last day cannot be before the first."))
        elif first and last and (last - first).days >= self.max_days:
            self.add_error("to", _("Pick at most %(n)d days at once.") % {"n": self.max_days})
        return data


def parse_query(form_class: type[forms.Form], data, **kwargs) -> dict:
    """The cleaned query parameters, or InvalidInput naming what was wrong (a 400 page)."""
    form = form_class(data, **kwargs)
    if form.is_valid():
        return form.cleaned_data
    raise InvalidInput(
        " ".join(
            f"{name}: {message}" if name != "__all__" else str(message)
            for name, messages in form.errors.items()
            for message in messages
        )
    )
