"""The Celery task that sends a queued text message (wnh.sms.send_later), with retries.

`Unavailable` (a timeout, a connection error, a 5xx) is tried again after SMS_RETRY_SECONDS,
each later wait four times the one before, SMS_MAX_ATTEMPTS times in all; `Refused` (a 4xx)
is not tried again. Either failure, in the end, is logged as an error and raised, so the
task counts as failed (wnh_task_failures_total, wnh/metrics.py). Nothing logged names the
number, the text (it may hold a sign-in code) or the provider's key.
"""

import logging

from celery import shared_task
from django.conf import settings

from wnh.sms import Refused, Sms, Unavailable, send

logger = logging.getLogger("wnh.sms")


def retry_countdown(retries: int) -> float:
    """Seconds before the attempt after `retries` retries: exponential backoff."""
    return settings.SMS_RETRY_SECONDS * 4**retries


@shared_task(name="wnh.send_sms", bind=True, max_retries=None)
def send_sms(self, *, to: str, kind: str, text: str) -> bool:
    try:
        send(Sms(to=to, kind=kind, text=text))
    except Refused as error:
        logger.error("SMS (%s) refused, not retried: %s", kind, error)
        raise
    except Unavailable as error:
        attempt = self.request.retries + 1
        if attempt >= settings.SMS_MAX_ATTEMPTS:
            logger.error("SMS (%s) not sent after %d attempts: %s", kind, attempt, error)
            raise
        countdown = retry_countdown(self.request.retries)
        logger.warning(
            "SMS (%s) attempt %d failed, next in %ss: %s", kind, attempt, countdown, error
        )
        raise self.retry(exc=error, countdown=countdown) from None
    return True
