"""The codes at a centre's entrance that prove a person is there to check in.

The entrance screen shows, each minute, a new six-digit code and a QR code of a link with a
new token. Either is good for two minutes (this minute's and the one before, so a code read
at the end of a minute still works a moment later) and only at its own centre: a photo of
the screen shared with someone at home is useless by the time it arrives, unlike the old
day-long code. Codes are HMACs of the centre and the minute under the secret key, so every
web worker agrees on them with nothing stored.

A printed code good all day stays only where the centre's setting allows it (a fallback
for a centre with no screen at the door; a shared photo of it does check people in).
"""

import enum
import hmac
from datetime import date, datetime

from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from centres.models import Centre

STEP_SECONDS = 60
# This minute's code and the previous minute's: a code is good for up to two minutes.
GOOD_STEPS = 2
# How far back a code is recognised as an old one ("expired") rather than a wrong one.
RECOGNISED_STEPS = 60
CODE_DIGITS = 6
_SALT = "wnh.bookings.check-in-code"
_DAY_SALT = "wnh.centres.check-in"  # the printed page's day-long token (as before)


class Verdict(enum.Enum):
    GOOD = "good"
    EXPIRED = "expired"
    WRONG = "wrong"


def step_at(at: datetime | None = None) -> int:
    return int((at or timezone.now()).timestamp()) // STEP_SECONDS


def seconds_to_next_step(at: datetime | None = None) -> int:
    return STEP_SECONDS - int((at or timezone.now()).timestamp()) % STEP_SECONDS


def _mac(centre: Centre, step: int) -> bytes:
    return salted_hmac(_SALT, f"{centre.pk}:{centre.slug}:{step}", algorithm="sha256").digest()


def typed_code(centre: Centre, step: int) -> str:
    """The short code the screen shows in minute `step`, for people to type."""
    number = int.from_bytes(_mac(centre, step)[:8], "big") % 10**CODE_DIGITS
    return f"{number:0{CODE_DIGITS}d}"


def link_token(centre: Centre, step: int) -> str:
    """The token in the QR code's link in minute `step`: the minute and its signature."""
    return f"{step}.{signing.b64_encode(_mac(centre, step)[8:24]).decode()}"


def day_token(centre: Centre, day: date | None = None) -> str:
    """The printed page's token, good all day (only where the centre allows it)."""
    day = day or timezone.localdate()
    return signing.Signer(salt=_DAY_SALT).signature(f"{centre.slug}:{day.isoformat()}")


def check_typed_code(centre: Centre, code: str, *, at: datetime | None = None) -> Verdict:
    code = "".join(code.split())
    if len(code) != CODE_DIGITS or not code.isdigit():
        return Verdict.WRONG
    now = step_at(at)
    for age in range(RECOGNISED_STEPS):
        if constant_time_compare(code, typed_code(centre, now - age)):
            return Verdict.GOOD if age < GOOD_STEPS else Verdict.EXPIRED
    return Verdict.WRONG


def check_link_token(centre: Centre, token: str, *, at: datetime | None = None) -> Verdict:
    if centre.printed_check_in_code_allowed and constant_time_compare(token, day_token(centre)):
        return Verdict.GOOD
    step, _, _signature = token.partition(".")
    # isascii: "²" and other Unicode digits pass isdigit() but not int().
    if not (step.isascii() and step.isdigit()) or len(step) > 12:
        return Verdict.WRONG
    if not hmac.compare_digest(token, link_token(centre, int(step))):
        return Verdict.WRONG
    age = step_at(at) - int(step)
    if 0 <= age < GOOD_STEPS:
        return Verdict.GOOD
    return Verdict.EXPIRED if age >= GOOD_STEPS else Verdict.WRONG


# Six digits are few: a signed-in person gets this many wrong codes in the window, then waits
# (at most 240 guesses a day against two good codes in a million).
MAX_FAILED_CODES = 5
FAILED_CODES_WINDOW_SECONDS = 30 * 60


def _failures_key(user) -> str:
    return f"wnh:check-in-code-failures:{user.pk}"


def too_many_failed_codes(user) -> bool:
    return cache.get(_failures_key(user), 0) >= MAX_FAILED_CODES


def note_failed_code(user) -> None:
    key = _failures_key(user)
    if not cache.add(key, 1, timeout=FAILED_CODES_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=FAILED_CODES_WINDOW_SECONDS)
