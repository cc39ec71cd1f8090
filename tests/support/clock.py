"""The clock every test runs under: a fixed moment in Asia/Kolkata, never the machine's.

The whole suite starts each test at the same moment, `WNH_TEST_NOW` (ISO 8601; a time without
an offset is Asia/Kolkata), default `DEFAULT_NOW`. CI runs the suite under the default; to
prove nothing leans on one weekday or hour, run it under others:

    WNH_TEST_NOW=2026-12-07T09:00 make test   # a Monday morning
    WNH_TEST_NOW=2026-12-10T20:30 make test   # a Thursday evening, centres closed
    WNH_TEST_NOW=2026-12-13T11:00 make test   # a Sunday, centres closed all day

time-machine moves the clock of the whole process (the browser tests' live server runs in a
thread of it), and the clock ticks from there, so timeouts and durations still work. The
Celery workers that tests start as subprocesses are handed the test's current moment and
travel there too (tests/support/worker_settings.py).
"""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

KOLKATA = ZoneInfo("Asia/Kolkata")

# A Wednesday, mid-morning: centres are open, check-in is open, the deadline is ahead.
DEFAULT_NOW = "2026-12-02T10:30"


def parse_moment(text: str) -> datetime:
    """An aware datetime from ISO 8601 text; a moment without an offset is in Kolkata."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(
            f"WNH_TEST_NOW must be an ISO 8601 moment such as 2026-12-07T09:00, not {text!r}"
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KOLKATA)
    return moment


def suite_moment() -> datetime:
    """Where every test's clock starts: WNH_TEST_NOW, else DEFAULT_NOW."""
    return parse_moment(os.environ.get("WNH_TEST_NOW") or DEFAULT_NOW)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware moment in Kolkata, for tests that name their moment."""
    return datetime(year, month, day, hour, minute, tzinfo=KOLKATA)
