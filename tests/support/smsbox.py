"""An SMS backend that drops each message into a folder as one JSON file, atomically, after an
optional delay (a slow provider), so a test can count what a worker sent (as mailbox.py)."""

import json
import os
import time
import uuid
from collections import Counter
from pathlib import Path


class SmsboxBackend:
    def __init__(self, **options):
        pass

    def send(self, sms) -> None:
        folder = Path(os.environ["WNH_TEST_SMSBOX"])
        time.sleep(float(os.environ.get("WNH_TEST_SMS_DELAY", "0")))
        name = uuid.uuid4().hex
        temporary = folder / f".{name}.tmp"
        temporary.write_text(json.dumps({"to": sms.to, "kind": sms.kind, "text": sms.text}))
        os.replace(temporary, folder / f"{name}.json")  # whole or not at all


def numbers(folder: Path) -> Counter:
    """How many SMS each number was sent."""
    return Counter(json.loads(path.read_text())["to"] for path in folder.glob("*.json"))
