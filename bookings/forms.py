"""Forms of the booking pages. They check the shape of the input; the services the rules."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.forms import DateInput, DayForm, validate_day_in_window
from centres.models import Seat
from wnh import weekdays
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
            Seat.objects.filter(pk=value, pod__centre=self.centre, is_active=True)
            .select_related("pod__centre")
            .first()
            if value.isdigit()
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
