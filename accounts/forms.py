"""The professional's profile: home (by PIN code, or district and locality) and language."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from centres.models import District, Locality
from centres.selectors import localities, locality_for_pin_code
from centres.validators import validate_pin_code

from .models import User
from .privacy import record_acceptance


class LocalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Locality) -> str:
        return f"{obj.name} ({obj.pin_code})"


class HomeForm(forms.ModelForm):
    """Where "centres near me" measures from: a known PIN code, or a locality in a district."""

    pin_code = forms.CharField(
        label=_("Home PIN code"),
        required=False,
        max_length=6,
        validators=[validate_pin_code],
        help_text=_("Six digits, for example 691506. Or pick your locality below."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    locality = LocalityChoiceField(
        label=_("Or your district and locality"),
        required=False,
        queryset=Locality.objects.none(),
        empty_label=_("Choose a locality"),
    )

    class Meta:
        model = User
        fields = ["full_name", "language"]
        labels = {"full_name": _("Your name"), "language": _("Preferred language")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["locality"]
        field.queryset = localities()
        # Grouped by district, so the one list works as "district, then locality".
        names = dict(District.choices)
        groups: dict[str, list] = {}
        for locality in field.queryset:
            groups.setdefault(str(names.get(locality.district, locality.district)), []).append(
                (locality.pk, field.label_from_instance(locality))
            )
        field.choices = [("", field.empty_label), *groups.items()]
        if self.instance.has_home and not self.is_bound:
            self.initial["pin_code"] = self.instance.home_pin_code
            chosen = Locality.objects.filter(
                name=self.instance.home_place, pin_code=self.instance.home_pin_code
            ).first()
            if chosen:
                self.initial["locality"] = chosen.pk

    def clean(self):
        data = super().clean()
        locality, pin_code = data.get("locality"), data.get("pin_code")
        if "pin_code" in self.errors:
            return data
        if locality is None and pin_code:
            locality = locality_for_pin_code(pin_code)
            if locality is None:
                self.add_error(
                    "pin_code",
                    forms.ValidationError(
                        _(
                            "We do not know where PIN code %(pin)s is yet. "
                            "Pick your district and locality instead."
                        )
                        % {"pin": pin_code},
                        code="unknown_pin_code",
                    ),
                )
                return data
        if locality is None:
            raise forms.ValidationError(
                _("Enter your home PIN code or pick your locality."), code="no_home"
            )
        data["home"] = locality
        return data

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        home = self.cleaned_data["home"]
        user.home_pin_code = home.pin_code
        user.home_place = home.name
        user.home_latitude = home.latitude
        user.home_longitude = home.longitude
        if commit:
            user.save(
                update_fields=[
                    "full_name",
                    "language",
                    "home_pin_code",
                    "home_place",
                    "home_latitude",
                    "home_longitude",
                ]
            )
        return user


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, answering in the same time for a known address as for a new one.

    The person accepts the privacy notice (accounts/privacy.py); its version is kept.

    A new address costs a password hash (and rows and a mail); a known one only a mail saying
    "you already have an account". Hash the password for a known address too, and throw the
    hash away, so the time does not tell who has an account (staff addresses included).
    """

    accept_privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice and agree to my data being used as it says."),
        error_messages={"required": _("Please read and accept the privacy notice to sign up.")},
    )

    def custom_signup(self, request, user):
        record_acceptance(user=user)

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
