"""Forms of the centre pages: which day, how far from home, which seat, which days, the code
at the door. They check the shape of the input and keep days inside the window the rules
core gives (bookings.core.days); the services apply every other rule."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bookings.core.days import booking_window, open_weekdays, search_window
from centres.models import Seat
from centres.selectors import COMMUTE_RADII_KM, MAX_PAGE
from wnh import weekdays
from wnh.ids import is_id
from wnh.weekdays import WeekdaysFormField

ANY_SEAT = "any"
# One request books at most this many days; a longer stretch is booked in parts.
MAX_DAYS_AT_ONCE = 31


def _within_km(km: int) -> str:
    return gettext("Within %(km)s km") % {"km": km}


# Lazy: the choices are made once, at import, in no one's language; each page translates them.
within_km = lazy(_within_km, str)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def validate_day_in_window(day: date, *, window: tuple[date, date]) -> None:
    first, last = window
    if day < first:
        raise forms.ValidationError(_("Pick today or a later date."), code="past")
    if day > last:
        raise forms.ValidationError(
            _("Bookings open %(days)s days ahead: pick a date up to %(last)s.")
            % {"days": (last - first).days, "last": last},
            code="beyond_horizon",
        )


def limit_date_input(field: forms.Field, window: tuple[date, date]) -> None:
    """The browser's date picker offers only the days of the window."""
    field.widget.attrs.update(min=window[0].isoformat(), max=window[1].isoformat())


class NearForm(forms.Form):
    """The filter of "centres near me": a day and a commute radius."""

    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    radius = forms.TypedChoiceField(
        label=_("Distance from home"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any distance"))] + [(km, within_km(km)) for km in COMMUTE_RADII_KM],
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput()
    )

    def clean_day(self):
        day = self.cleaned_data.get("day") or timezone.localdate()
        validate_day_in_window(day, window=search_window())
        return day


class DayForm(forms.Form):
    """The day of a centre's seat map: inside its booking window."""

    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def __init__(self, *args, centre, **kwargs):
        self.centre = centre
        super().__init__(*args, **kwargs)
        limit_date_input(self.fields["day"], booking_window(centre))

    def clean_day(self):
        day = self.cleaned_data.get("day") or timezone.localdate()
        validate_day_in_window(day, window=booking_window(self.centre))
        return day


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
    weekdays = WeekdaysFormField(label=_("On these weekdays"))

    def __init__(self, *args, centre, **kwargs):
        self.centre = centre
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        for name in ("first_day", "last_day"):
            limit_date_input(self.fields[name], booking_window(centre, today=today))
        if not self.is_bound:
            # Next week, on every day the centre opens (Saturdays too where it opens then).
            monday = today + timedelta(days=7 - today.weekday())
            self.initial.setdefault("first_day", monday)
            self.initial.setdefault("last_day", monday + timedelta(days=6))
            self.initial.setdefault("weekdays", open_weekdays(centre))

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        validate_day_in_window(day, window=booking_window(self.centre))
        return day

    def clean_last_day(self):
        day = self.cleaned_data["last_day"]
        validate_day_in_window(day, window=booking_window(self.centre))
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
