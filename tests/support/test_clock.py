"""The suite's clock (tests/support/clock.py): every test starts at its moment, not the
machine's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.clock import KOLKATA, parse_moment, suite_moment


def test_a_test_starts_at_the_suites_moment_and_the_clock_ticks_from_there():
    elapsed = timezone.now() - suite_moment()
    assert timedelta(0) <= elapsed < timedelta(minutes=1)


def test_the_clock_can_be_moved_to_a_named_moment(clock):
    clock.move_to(parse_moment("2026-12-31T23:59"), tick=False)
    assert timezone.localtime().isoformat() == "2026-12-31T23:59:00+05:30"
    assert timezone.localdate().isoformat() == "2026-12-31"
    clock.shift(timedelta(minutes=2))
    assert timezone.localdate().isoformat() == "2027-01-01"


def test_a_moment_without_an_offset_is_in_kolkata_and_one_with_an_offset_is_kept():
    assert parse_moment("2026-12-07T09:00").tzinfo == KOLKATA
    assert parse_moment("2026-12-07T03:30+00:00") == parse_moment("2026-12-07T09:00")


@pytest.mark.parametrize("text", ["monday", "2026-13-01T09:00", "", "9:00"])
def test_a_malformed_wnh_test_now_is_refused_with_the_variables_name(text):
    with pytest.raises(ValueError, match="WNH_TEST_NOW must be an ISO 8601 moment"):
        parse_moment(text)
