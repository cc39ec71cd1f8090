"""Forms of the centre pages: which day, how far from home."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .selectors import COMMUTE_RADII_KM, MAX_PAGE

# What a centre may offer; the admin ticks them. A centre keeps any other it already lists.
AMENITIES = [
    _("Air-conditioned"),
    _("Fibre internet"),
    _("Power backup"),
    _("Cafeteria"),
    _("Meeting room"),
    _("Parking"),
    _("Step-free access"),
    _("Lockers"),
]

# "Centres near me" looks at most this far ahead; each centre's own horizon still applies.
SEARCH_HORIZON_DAYS = 365


def _within_km(km: int) -> str:
    return gettext("Within %(km)s km") % {"km": km}


# Lazy: the choices are made once, at import, in no one's language; each page translates them.
within_km = lazy(_within_km, str)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def validate_day_in_window(day: date, *, horizon_days: int) -> None:
    today = timezone.localdate()
    if day < today:
        raise forms.ValidationError(_("Pick today or a later date."), code="past")
    if day > today + timedelta(days=horizon_days):
        raise forms.ValidationError(
            _("Bookings open %(days)s days ahead: pick a date up to %(last)s.")
            % {"days": horizon_days, "last": today + timedelta(days=horizon_days)},
            code="beyond_horizon",
        )


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
        validate_day_in_window(day, horizon_days=SEARCH_HORIZON_DAYS)
        return day


class DayForm(forms.Form):
    """The day of a centre's seat map: inside its booking window."""

    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def __init__(self, *args, centre, **kwargs):
        self.centre = centre
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["day"].widget.attrs.update(
            min=today.isoformat(),
            max=(today + timedelta(days=centre.booking_horizon_days)).isoformat(),
        )

    def clean_day(self):
        day = self.cleaned_data.get("day") or timezone.localdate()
        validate_day_in_window(day, horizon_days=self.centre.booking_horizon_days)
        return day


class AmenitiesField(forms.MultipleChoiceField):
    """A centre's amenities (a JSON list in the model) as checkboxes, never raw JSON."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        for key in ("encoder", "decoder", "max_length"):
            kwargs.pop(key, None)
        kwargs.pop("widget", None)
        kwargs["choices"] = [(str(name), name) for name in AMENITIES]
        kwargs["required"] = False
        super().__init__(**kwargs)

    def keep_choices_of(self, values) -> None:
        """Offer what the centre lists today too, so saving it unchanged keeps them."""
        known = {value for value, _label in self.choices}
        self.choices = [*self.choices, *((v, v) for v in values or [] if v not in known)]
