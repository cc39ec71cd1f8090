"""Settings for the Celery worker that the worker tests start: the portal's, plus a mailbox
and an SMS box the test reads (one file per message), for the kill tests a slow mail server
or SMS provider, and the test's
clock: the worker travels to the moment the test was at when it started it (tests/support/clock.py),
so "tomorrow" means the same day in both processes."""

import os

import time_machine

from tests.support.clock import parse_moment
from wnh.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.support.mailbox.MailboxBackend"
if os.environ.get("WNH_TEST_SMSBOX"):
    SMS_BACKEND = "tests.support.smsbox.SmsboxBackend"

if os.environ.get("WNH_TEST_NOW"):
    # Settings load before the prefork pool forks, so its children inherit the travel.
    time_machine.travel(parse_moment(os.environ["WNH_TEST_NOW"]), tick=True).start()
