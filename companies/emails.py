"""Emails about companies: rendered from templates/emails/companies/<name>.{subject.txt,txt,html}
and sent after the transaction that caused them commits (a rolled-back change sends nothing),
one message per language, each recipient getting theirs (accounts.selectors.languages_of)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.selectors import languages_of

from .models import Company, Membership


def send_on_commit(*, template: str, to: list[str], context: dict) -> None:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {"base_url": settings.WNH_BASE_URL, **context}
    by_language: dict[str, list[str]] = {}
    for address, language in languages_of(recipients).items():
        by_language.setdefault(language, []).append(address)

    def send() -> None:
        prefix = f"emails/companies/{template}"
        for language, addresses in sorted(by_language.items()):
            with translation.override(language):
                subject = " ".join(render_to_string(f"{prefix}.subject.txt", context).split())
                message = EmailMultiAlternatives(
                    subject=subject,
                    body=render_to_string(f"{prefix}.txt", context),
                    to=addresses,
                )
                html = render_to_string(f"{prefix}.html", context)
            message.attach_alternative(html, "text/html")
            message.send()

    transaction.on_commit(send)


def admin_addresses(company: Company) -> list[str]:
    """The company's contact address and every admin's: the people who act on its status."""
    admins = Membership.admins_of(company.pk).values_list("user__email", flat=True)
    return [company.contact_email, *admins]
