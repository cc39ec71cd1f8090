"""Forms of the centre pages: which day, how far from home."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
