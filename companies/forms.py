from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.models import POD_MAX_SEATS, POD_MIN_SEATS, Centre, Pod, Seat
from wnh import weekdays
from wnh.weekdays import WeekdaysFormField

from .models import Company, Membership
from .webhook_addresses import MAX_URL_LENGTH
from .webhooks import EVENT_TYPES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CompanyRegistrationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Company
        fields = ["name", "contact_email", "gstin", "website"]
        help_texts = {"gstin": _("Optional. 15 characters, for example 32AAACK1234L1Z5.")}

    def clean_gstin(self) -> str:
        # The model's validator and constraint see the same form the service will save.
        return self.cleaned_data["gstin"].strip().upper()


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role, initial="member")


class WebhookEndpointForm(forms.Form):
    """A URL and the events to send it. Whether the portal may post to the URL is the
    service's to say (companies/webhooks.py): the scheme, the host, its addresses."""

    url = forms.CharField(
        label=_("URL"),
        max_length=MAX_URL_LENGTH,
        help_text=_("An https address of your own system, for example https://hr.example.com/wnh."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(EVENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event to send.")},
    )


class ReservationSearchForm(forms.Form):
    """What a company admin asks for: where, how big (or which pod), when."""

    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.filter(status=Centre.Status.OPEN)
    )
    size = forms.IntegerField(
        label=_("Seats needed"),
        min_value=POD_MIN_SEATS,
        max_value=POD_MAX_SEATS,
        required=False,
        help_text=_("4 to 12. Leave empty to see every pod, or pick one below."),
    )
    pod = forms.ModelChoiceField(
        label=_("A specific pod (optional)"),
        queryset=Pod.objects.filter(is_active=True, centre__status=Centre.Status.OPEN)
        .select_related("centre")
        .order_by("centre__name", "code"),
        required=False,
    )
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())
    weekdays = WeekdaysFormField(label=_("Weekdays"), initial=weekdays.MONDAY_TO_FRIDAY)

    def __init__(self, *args, max_days: int, **kwargs):
        # The longest reservation (bookings.models.MAX_RESERVATION_DAYS): a search is capped
        # before any work starts, so no range keeps a web worker busy.
        super().__init__(*args, **kwargs)
        self.max_days = max_days

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            today = timezone.localdate()
            if first < today:
                self.add_error("first_day", _("Pick a day from today on."))
            elif first > today + timedelta(days=self.max_days):
                self.add_error(
                    "first_day", _("Pick a day at most %(n)d days ahead.") % {"n": self.max_days}
                )
            if last < first:
                self.add_error("last_day", _("The last day cannot be before the first."))
            elif (last - first).days >= self.max_days:
                self.add_error(
                    "last_day",
                    _("A reservation covers at most %(n)d days; ask for a longer term in parts.")
                    % {"n": self.max_days},
                )
        pod, centre = data.get("pod"), data.get("centre")
        if pod and centre and pod.centre_id != centre.pk:
            self.add_error("pod", _("That pod is in another centre."))
        return data


class ReservationRequestForm(ReservationSearchForm):
    """The same question, with the pod chosen from the free ones."""

    pod = forms.ModelChoiceField(
        queryset=Pod.objects.filter(is_active=True, centre__status=Centre.Status.OPEN),
        widget=forms.HiddenInput,
    )


class CancelReservationForm(forms.Form):
    from_day = forms.DateField(label=_("Give up days from"), widget=DateInput())


class AssignSeatForm(forms.Form):
    """A company admin puts a member on a seat of one of the company's reserved pods."""

    member = forms.ModelChoiceField(label=_("Member"), queryset=Membership.objects.none())
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=Seat.objects.none())
    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this company's members and seats in pods it has reserved: anything else is
        # "not a valid choice", so no id from another company gets through.
        self.fields["member"].queryset = company.memberships.select_related("user").order_by(
            "user__email"
        )
        self.fields["member"].label_from_instance = lambda m: m.user.get_full_name()
        self.fields["seat"].queryset = (
            Seat.objects.filter(
                is_active=True, pod__reserved_days__company=company, pod__is_active=True
            )
            .select_related("pod__centre")
            .distinct()
            .order_by("pod__centre__name", "pod__code", "position")
        )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first."))
        return data
