"""Settings for the processes the HTTP bench smoke test starts (loader, sign-in, gunicorn's
workers, the query count): the portal's, on the test's clock. Each process travels to the
moment the test was at when it started the bench (tests/support/clock.py), so "tomorrow" is the
same day in the loaded data, the signed-in sessions and the server."""

import os

import time_machine

from tests.support.clock import parse_moment
from wnh.settings import *  # noqa: F403

if os.environ.get("WNH_TEST_NOW"):
    time_machine.travel(parse_moment(os.environ["WNH_TEST_NOW"]), tick=True).start()
