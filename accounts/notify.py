"""Telling a person something by the channels they chose in their profile (User.notify_by):
email, SMS, or both. The reminders (bookings/operations/reminders.py) and the waitlist offers
(bookings/core/waitlist.py) call `tell` inside the transaction of their claim, so what the
claim records is what was sent.

- SMS go to `sms_number(user)`; a person who chose SMS but has no number gets email, and a
  person with no email address (who signed up with a mobile number alone) gets the SMS
  whatever the choice says. With neither, nothing is sent: the offer or booking is on their
  pages.
- The SMS goes first: if the provider is unavailable (a timeout, a 5xx), `Unavailable` rises
  before any email went out, the caller's transaction rolls back and its next sweep sends
  both; nothing is sent twice. If the email fails after the SMS went, the rollback means the
  SMS goes again with the email on the next sweep: a second copy, never none (the reminders'
  rule).
- A refused SMS (a 4xx: a bad number, a template the operator rejects) is logged as an error
  and the person gets the email instead, if they had not chosen it anyway.
"""

import logging

from django.core.mail import EmailMessage

from wnh import sms

from .models import User
from .selectors import sms_number

logger = logging.getLogger(__name__)


def tell(*, user: User, email: EmailMessage, sms_kind: str, sms_text: str) -> list[str]:
    """Send `email` and/or the SMS by the person's choice; returns the channels that went."""
    number = sms_number(user)
    chose_sms = user.notify_by in (User.NotifyBy.SMS, User.NotifyBy.BOTH)
    by_sms = number is not None and (chose_sms or not user.email)
    by_email = bool(user.email) and (not by_sms or user.notify_by == User.NotifyBy.BOTH)
    sent = []
    if by_sms:
        try:
            sms.send(sms.Sms(to=number, kind=sms_kind, text=sms_text))
        except sms.Refused as error:
            logger.error("SMS (%s) to user %s refused, sending email: %s", sms_kind, user.pk, error)
            by_email = bool(user.email)
        else:
            sent.append("sms")
    if by_email:
        email.send()
        sent.append("email")
    return sent
