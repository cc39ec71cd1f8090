"""The feedback form: what a message to K-DISC may hold (a NUL byte never gets here:
wnh/failures.py answers any request holding one with a 400). Nothing from it reaches a mail
header but the sender's address (as Reply-To, after EmailField's check); the subject is
built from the topic's own label, never from what was typed."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_CHARS = 4000
NAME_MAX_CHARS = 100

TOPICS = [
    ("booking", _("A seat booking or a centre")),
    ("company", _("A company or its pod reservations")),
    ("accessibility", _("An accessibility barrier")),
    ("portal", _("A fault on the portal")),
    ("other", _("Something else")),
]

# Newlines and tabs are fine in a message; no other control character is.
MESSAGE_WHITESPACE = {"\n", "\r", "\t"}


def _control_characters(text: str, allowed: set[str] = frozenset()) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in text)


def validate_one_line(value: str) -> None:
    if _control_characters(value):
        raise ValidationError(
            _("Write your name on one line, without special characters."), code="one_line"
        )


def validate_plain_text(value: str) -> None:
    if _control_characters(value, MESSAGE_WHITESPACE):
        raise ValidationError(
            _("The message holds characters that are not text: type it again."),
            code="plain_text",
        )


class FeedbackForm(forms.Form):
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=NAME_MAX_CHARS,
        validators=[validate_one_line],
        error_messages={
            "max_length": _("Keep the name to %(limit_value)d characters or fewer."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("We answer to this address."),
        error_messages={
            "required": _("Give your email address, so we can answer you."),
            "invalid": _("Enter an email address like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", _("Choose a topic")), *TOPICS],
        error_messages={
            "required": _("Choose the topic closest to your message."),
            "invalid_choice": _("Choose one of the topics on the list."),
        },
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_CHARS,
        validators=[validate_plain_text],
        error_messages={
            "required": _("Write your message."),
            "max_length": _(
                "Keep the message to %(limit_value)d characters or fewer (it has %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def topic_label(self):
        """The topic's label, lazy: the mail to K-DISC renders it in English."""
        return dict(TOPICS)[self.cleaned_data["topic"]]
