"""A check-in link whose minute is a Unicode digit ("²") is a wrong code, not a server error."""

import pytest

from bookings.core.check_in_codes import Verdict, check_link_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["².abc", "١٢٣.abc", "x.abc", ""])
def test_a_token_with_a_non_ascii_minute_is_wrong(centre, token):
    assert check_link_token(centre, token) is Verdict.WRONG
