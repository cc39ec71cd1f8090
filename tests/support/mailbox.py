"""An email backend that drops each message into a folder as one file, atomically, after an
optional delay (a slow mail server), so a test can count what a worker delivered."""

import email
import os
import time
import uuid
from collections import Counter
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(os.environ["WNH_TEST_MAILBOX"])
        delay = float(os.environ.get("WNH_TEST_MAIL_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay)
            name = uuid.uuid4().hex
            temporary = folder / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes())
            os.replace(temporary, folder / f"{name}.eml")  # whole or not at all
        return len(email_messages)


def delivered(folder: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(path.read_bytes()) for path in folder.glob("*.eml")]


def message_ids(folder: Path) -> Counter:
    return Counter(message["Message-ID"] for message in delivered(folder))
