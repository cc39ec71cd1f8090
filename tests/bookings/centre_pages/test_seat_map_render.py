"""The seats of a pod on the seat map, rendered in Python (bookings/templatetags/seat_map.py)."""

from django.utils import translation

from bookings.core.selectors import FREE, RESERVED, TAKEN, YOURS, SeatOnMap
from bookings.templatetags.seat_map import pod_seats
from centres.models import Seat


def seats(*states):
    return [SeatOnMap(Seat(pk=n, label=f"P01-{n:02d}"), state) for n, state in enumerate(states, 1)]


def test_a_free_seat_is_a_radio_button_only_while_the_person_may_choose():
    html = pod_seats(seats(FREE, TAKEN), True)
    assert '<input type="radio" name="seat" value="1" id="seat-1">' in html
    assert '<label for="seat-1"><b>P01-01</b> Free</label>' in html
    assert 'data-seat="P01-02" data-state="taken"><b>P01-02</b> Taken</li>' in html
    assert "radio" not in pod_seats(seats(FREE), False)


def test_every_state_says_what_it_is_in_words_in_the_persons_language():
    html = pod_seats(seats(FREE, TAKEN, YOURS, RESERVED), False)
    assert [w in html for w in ("Free", "Taken", "Yours", "Reserved")] == [True] * 4
    with translation.override("ml"):
        html = pod_seats(seats(TAKEN), False)
    assert "Taken" not in html


def test_a_label_is_escaped():
    row = SeatOnMap(Seat(pk=7, label='<b>"x"</b>'), FREE)
    html = pod_seats([row], True)
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in html
    assert '<b>"x"</b>' not in html
