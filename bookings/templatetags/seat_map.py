"""The seats of one pod on the seat map (templates/centres/_seat_map.html), as HTML.

A centre has a hundred seats and more, and the map is the page people load most in the
evening rush: looping over them in the template language cost about 25 ms a page (a dozen
variable lookups, escapes and number formats per seat), this loop about a tenth of that. It
reads the same SeatOnMap rows the template did (seat, state), so the selector is free to
change how it finds them.
"""

from functools import cache
from html import escape  # the standard library's: labels are plain str, no lazy proxies

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

register = template.Library()


@cache
def _words(language: str | None) -> dict[str, str]:
    """What each state says, in `language` (the active one): once per language, not per pod."""
    return {
        "free": escape(gettext("Free")),
        "taken": escape(gettext("Taken")),
        "yours": escape(gettext("Yours")),
        "reserved": escape(gettext("Reserved")),
    }


@register.filter
def pod_seats(seats, choosing: bool) -> SafeString:
    """One <li> a seat: a radio button for a free seat the person may choose, else words."""
    words = _words(get_language())
    free_word = words["free"]
    parts = []
    for row in seats:
        label = escape(row.seat.label)
        state = row.state
        if choosing and state == "free":
            pk = int(row.seat.pk)
            parts.append(
                f'<li class="seat free" data-seat="{label}" data-state="free">'
                f'<input type="radio" name="seat" value="{pk}" id="seat-{pk}">'
                f'<label for="seat-{pk}"><b>{label}</b> {free_word}</label></li>'
            )
        else:
            state = escape(state)
            parts.append(
                f'<li class="seat {state}" data-seat="{label}" data-state="{state}">'
                f"<b>{label}</b> {words.get(state, words['reserved'])}</li>"
            )
    return SafeString("".join(parts))
