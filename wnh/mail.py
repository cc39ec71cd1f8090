"""Mail the portal sends people: one message from three templates, in the person's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build_email(
    *,
    template: str,
    context: dict,
    to: str,
    language: str,
    message_id: str | None = None,
    reply_to: str | None = None,
) -> EmailMultiAlternatives:
    """A text and HTML email from templates/emails/<template>{_subject.txt,.txt,.html}."""
    with translation.override(language):
        context = {**context, "base_url": settings.WNH_BASE_URL}
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    headers = {"Message-ID": message_id} if message_id else None
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[to],
        headers=headers,
        reply_to=[reply_to] if reply_to else None,
    )
    email.attach_alternative(html, "text/html")
    return email
