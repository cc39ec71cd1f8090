"""Forms of the booking pages. They check the shape of the input; the services the rules."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.forms import DateInput, DayForm, validate_day_in_window
from centres.models import Seat
from wnh import weekdays
from wnh.errors import InvalidInput
from wnh.ids import is_id
from wnh.weekdays import WeekdaysFormField

ANY_SEAT = "any"
# One request books at most this many days; a longer stretch is booked in parts.
MAX_DAYS_AT_ONCE = 31


class BookSeatForm(DayForm):
    """A day and a seat of this centre, or any free seat."""

    seat = forms.CharField(label=_("Seat"), initial=ANY_SEAT)

    def clean_seat(self):
        value = self.cleaned_data["seat"]
        if value == ANY_SEAT:
            return None
        seat = (
            Seat.objects.filter(pk=int(value), pod__centre=self.centre, is_active=True)
            .select_related("pod__centre")
            .first()
            if is_id(value)
            else None
        )
        if seat is None:
            raise forms.ValidationError(_("Pick a seat from the map."), code="invalid_seat")
        return seat


class BookDaysForm(forms.Form):
    """Several days at one centre: a date range and the weekdays in it."""

    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("Until"), widget=DateInput())
    weekdays = WeekdaysFormField(label=_("On these weekdays"), initial=weekdays.MONDAY_TO_FRIDAY)

    def __init__(self, *args, centre, **kwargs):
        self.centre = centre
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        last = (today + timedelta(days=centre.booking_horizon_days)).isoformat()
        for name in ("first_day", "last_day"):
            self.fields[name].widget.attrs.update(min=today.isoformat(), max=last)
        if not self.is_bound:
            # Next week, Monday to Friday: the common case.
            monday = today + timedelta(days=7 - today.weekday())
            self.initial.setdefault("first_day", monday)
            self.initial.setdefault("last_day", monday + timedelta(days=4))
            self.initial.setdefault("weekdays", weekdays.MONDAY_TO_FRIDAY)

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        validate_day_in_window(day, horizon_days=self.centre.booking_horizon_days)
        return day

    def clean_last_day(self):
        day = self.cleaned_data["last_day"]
        validate_day_in_window(day, horizon_days=self.centre.booking_horizon_days)
        return day

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                raise forms.ValidationError(
                    _("The last day must not be before the first."), code="range"
                )
            if (last - first).days >= MAX_DAYS_AT_ONCE:
                raise forms.ValidationError(
                    _("Book at most %(n)s days at once.") % {"n": MAX_DAYS_AT_ONCE},
                    code="too_many_days",
                )
            if "weekdays" in data and not self.days():
                raise forms.ValidationError(
                    _("No day in that range falls on the chosen weekdays."), code="no_days"
                )
        return data

    def days(self):
        data = self.cleaned_data
        day, days = data["first_day"], []
        while day <= data["last_day"]:
            if weekdays.includes(data["weekdays"], day):
                days.append(day)
            day += timedelta(days=1)
        return days


class CheckInCodeForm(forms.Form):
    """The six digits on the centre's entrance screen."""

    code = forms.CharField(
        label=_("Code on the entrance screen"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError(_("Type the digits shown on the screen."), code="digits")
        return code


# -- query parameters of pages: a month, a week, a range of days --------------------------

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
