"""The professional's profile: home (by PIN code, or district and locality) and language;
the security key forms of allauth.mfa (settings.MFA_FORMS), in the portal's words."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    EditWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from allauth.mfa.webauthn.internal.auth import (
    parse_authentication_response,
    parse_registration_response,
)
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from centres.models import District, Locality
from centres.post_offices import normalise_pin_code
from centres.selectors import post_offices_for_pin_code, towns
from centres.validators import validate_pin_code

from .models import User
from .notice import record_acceptance
from .passwords import password_help_text


class LocalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Locality) -> str:
        return f"{obj.local_name} ({obj.pin_code})"


class PostOfficeField(forms.ModelChoiceField):
    """The post offices of the PIN code typed. An office of another PIN (the picker of an
    earlier PIN, still ticked) is no choice at all, not an error: the new PIN decides."""

    def label_from_instance(self, obj: Locality) -> str:
        return obj.local_name

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class HomeForm(forms.ModelForm):
    """Where "centres near me" measures from: a PIN code (then the post office, when the PIN
    covers several), or a town in a district.

    The PIN code box and the town list start at the saved home, so only what the person
    changed counts: a new PIN wins over the town still showing the old home, a new town
    over the PIN box still showing the old PIN, and a new PIN with a different new town is
    refused, never guessed.
    """

    pin_code = forms.CharField(
        label=_("Home PIN code"),
        required=False,
        # "691 506" is seven characters: spaces and a hyphen are taken out before the check.
        max_length=12,
        help_text=_("Six digits, for example 691506. Or pick your locality below."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    post_office = PostOfficeField(
        label=_("Your post office"),
        required=False,
        queryset=Locality.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    locality = LocalityChoiceField(
        label=_("Or your district and locality"),
        required=False,
        queryset=Locality.objects.none(),
        empty_label=_("Choose a locality"),
    )

    class Meta:
        model = User
        fields = ["full_name", "language", "notify_by"]
        labels = {
            "full_name": _("Your name"),
            "language": _("Preferred language"),
            "notify_by": _("Send reminders and waitlist offers by"),
        }
        help_texts = {
            "notify_by": _("SMS go to your mobile number; without one, we send email."),
        }
        widgets = {"notify_by": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notify_by"].required = False
        field = self.fields["locality"]
        field.queryset = towns()
        # Grouped by district, so the one list works as "district, then town".
        names = dict(District.choices)
        groups: dict[str, list] = {}
        for locality in field.queryset:
            groups.setdefault(str(names.get(locality.district, locality.district)), []).append(
                (locality.pk, field.label_from_instance(locality))
            )
        field.choices = [("", field.empty_label), *groups.items()]
        saved = self.instance
        if saved.has_home:
            home = Locality.objects.filter(pin_code=saved.home_pin_code, name=saved.home_place)
            home = home.first()
            self.initial.setdefault("pin_code", saved.home_pin_code)
            if home is not None:
                self.initial.setdefault("post_office", home.pk)
                if home.is_town:
                    self.initial.setdefault("locality", home.pk)
        pin_code = normalise_pin_code(
            self.data.get(self.add_prefix("pin_code"), "")
            if self.is_bound
            else self.initial.get("pin_code", "")
        )
        offices = (
            post_offices_for_pin_code(pin_code) if len(pin_code) == 6 else Locality.objects.none()
        )
        self.fields["post_office"].queryset = offices
        # The picker shows only when the PIN code covers more than one post office.
        self.offers_post_offices = offices.count() > 1

    def clean_notify_by(self) -> str:
        # A form that does not send the choice (an older page, a script) keeps the saved one.
        return self.cleaned_data.get("notify_by") or self.instance.notify_by

    def clean_pin_code(self) -> str:
        pin_code = normalise_pin_code(self.cleaned_data.get("pin_code", ""))
        if pin_code:
            validate_pin_code(pin_code)
        return pin_code

    def clean(self):
        data = super().clean()
        if "pin_code" in self.errors:
            return data
        pin_code, locality = data.get("pin_code"), data.get("locality")
        pin_changed = pin_code != normalise_pin_code(self.initial.get("pin_code") or "")
        if pin_code and locality is not None and locality.pin_code != pin_code:
            if not pin_changed:
                pin_code = ""  # a new town; the PIN box still showed the old home's
            elif "locality" in self.changed_data:
                raise forms.ValidationError(
                    _(
                        "PIN code %(pin)s is not the PIN code of %(place)s (%(its_pin)s). "
                        "Clear the PIN code or the locality, and save again."
                    )
                    % {"pin": pin_code, "place": locality.name, "its_pin": locality.pin_code},
                    code="pin_code_and_locality_disagree",
                )
            else:
                locality = None  # a new PIN code; the list still showed the old home
        if pin_code:
            data["home"] = self._office_of(pin_code, locality, data.get("post_office"))
            return data
        if locality is None:
            raise forms.ValidationError(
                _("Enter your home PIN code or pick your locality."), code="no_home"
            )
        data["home"] = locality
        return data

    def _office_of(self, pin_code: str, locality, post_office) -> Locality | None:
        offices = list(post_offices_for_pin_code(pin_code))
        if not offices:
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
            return None
        for chosen in (post_office, locality):
            if chosen is not None and chosen.pin_code == pin_code:
                return chosen
        if len(offices) == 1:
            return offices[0]
        self.add_error(
            "post_office",
            forms.ValidationError(
                _("PIN code %(pin)s has %(count)s post offices: pick yours.")
                % {"pin": pin_code, "count": len(offices)},
                code="pick_a_post_office",
            ),
        )
        return None

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
                    "notify_by",
                    "home_pin_code",
                    "home_place",
                    "home_latitude",
                    "home_longitude",
                ]
            )
        return user


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, answering in the same time for a known address as for a new one.

    The person accepts the privacy notice (accounts/notice.py); its version is kept.

    A new address costs a password hash (and rows and a mail); a known one only a mail saying
    "you already have an account". Hash the password for a known address too, and throw the
    hash away, so the time does not tell who has an account (staff addresses included).
    """

    accept_privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice and agree to my data being used as it says."),
        error_messages={"required": _("Please read and accept the privacy notice to sign up.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth is told email is required (settings.py says why); here it is one way of two.
        self.fields["email"].required = False

    def password_help_text(self) -> str:
        return password_help_text()

    def clean(self):
        data = super().clean()
        if self.errors.get("email") or self.errors.get("phone"):
            return data
        # A way in: a mobile number (a code by SMS), or an email address with a password.
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(
                _("Give your mobile number, or your email address and a password."),
                code="no_way_in",
            )
        if data.get("email") and not data.get("password1") and "password1" not in self.errors:
            self.add_error("password1", _("Choose a password to sign in with your email address."))
        return data

    def custom_signup(self, request, user):
        record_acceptance(user=user)

    def try_save(self, request):
        if self.account_already_exists and self.cleaned_data.get("password1"):
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


# allauth names a key's field by its English field name ("Name") and takes any length.
_KEY_NAME_LABEL = _("Name of the key")
_KEY_NAME_HELP = _("So that you can tell your keys apart, for example “Blue USB key”.")
KEY_NAME_MAX_LENGTH = 60


def _readable(parse, credential):
    """The browser's answer, if fido2 can read it. allauth turns only some of fido2's errors
    into "Incorrect code." (a missing field is a KeyError: a 500); this turns them all."""
    if not isinstance(credential, dict):
        raise forms.ValidationError(_("Incorrect code."), code="incorrect_code")
    try:
        parse(credential)
    except (KeyError, TypeError, ValueError, AttributeError, forms.ValidationError) as error:
        raise forms.ValidationError(_("Incorrect code."), code="incorrect_code") from error
    return credential


class AddSecurityKeyForm(AddWebAuthnForm):
    """allauth's form to add a WebAuthn key (a USB or NFC key, or a device's passkey): its
    browser script fills `credential`; a name left empty becomes allauth's default."""

    name = forms.CharField(
        label=_KEY_NAME_LABEL,
        help_text=_KEY_NAME_HELP,
        required=False,
        max_length=KEY_NAME_MAX_LENGTH,
    )

    def clean_credential(self):
        return _readable(parse_registration_response, self.cleaned_data["credential"])


class RenameSecurityKeyForm(EditWebAuthnForm):
    name = forms.CharField(
        label=_KEY_NAME_LABEL, help_text=_KEY_NAME_HELP, max_length=KEY_NAME_MAX_LENGTH
    )


class SecurityKeyLoginForm(AuthenticateWebAuthnForm):
    """The login's second step with a key. The page offers the key only to an account that
    has one (allauth offers it to every account, and a browser then asks for any passkey)."""

    def clean_credential(self):
        _readable(parse_authentication_response, self.cleaned_data["credential"])
        return super().clean_credential()

    @property
    def has_keys(self) -> bool:
        return (
            self.user is not None
            and Authenticator.objects.filter(
                user_id=self.user.pk, type=Authenticator.Type.WEBAUTHN
            ).exists()
        )


class SecurityKeyReauthenticateForm(ReauthenticateWebAuthnForm):
    def clean_credential(self):
        _readable(parse_authentication_response, self.cleaned_data["credential"])
        return super().clean_credential()
