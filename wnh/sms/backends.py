"""The backends SMS_URL chooses between (wnh/sms/__init__.py)."""

import logging
import sys

import wnh.sms

logger = logging.getLogger("wnh.sms")


class ConsoleBackend:
    """Writes each message to stdout, as Django's console mail backend does, and to the log."""

    def __init__(self, **options):
        pass

    def send(self, sms) -> None:
        sys.stdout.write(f"SMS to {sms.to} ({sms.kind}):\n{sms.text}\n{'-' * 40}\n")
        sys.stdout.flush()
        logger.info("SMS (%s) written to the console", sms.kind)


class MemoryBackend:
    """Keeps each message in `wnh.sms.outbox`."""

    def __init__(self, **options):
        pass

    def send(self, sms) -> None:
        wnh.sms.outbox.append(sms)
