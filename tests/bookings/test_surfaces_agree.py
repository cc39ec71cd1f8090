"""Every surface of the portal gives one answer to "can this person book a seat at this
centre on this day, and how many seats are free there for them?"

The rules behind that answer are written once, in the rules core (bookings/core/days.py and
pods.py), and every surface is meant to ask it. This module asks every surface the question
at the edges of the day, the window and the week, and holds them all to one answer per case,
written out by hand, never computed the way the code computes it. On the code before the
rules core (0113214) it failed one minute after closing: the API and HTML lists, the seat map
and the pod search still offered that day.

Each surface is asked through one small adapter (SURFACES, tests/bookings/surfaces.py) that
turns what it shows into a Verdict: may this person book there that day, and how many seats
it shows free for them. A surface that shows no count at all (a booking form) gives None;
one that offers nothing that day (a closed day, a refused date) offers 0 seats. When modules
move, only the adapters' imports change. The lists and the seat map are asked first; what a
surface writes (a booking, a place in line, offers) is deleted before the next one is asked,
so no surface's answer depends on another's.

The world: Kottarakkara, open Monday to Saturday 08:00-20:00, bookable 30 days ahead, two
pods of four seats, A and B. Asha asks; she belongs to no company. Where the grid says so,
Binu holds seat B-01 (booked the day before, as people do; nobody could book the other days).
2026-12-02 is a Wednesday and 2026-12-06 a Sunday; every time is Asia/Kolkata.

The grid of cases is TABLE, below: for each, the moment, the day asked about, the situation,
whether Binu holds B-01, and the one answer every surface must give.

Situations: "closure" is a CentreClosure added by bookings.core.closures.add_closure; "pod-
A-reserved" is pod A reserved for Technopark Tiles that day through the reservation service
(request, then staff confirm), so its seats are not Asha's; "booked-elsewhere" is Asha's
seat at Kalamassery that day, booked through the booking service.

The surfaces, and the answer each is held to: P, the person's ("books" and "free" in
TABLE), or C, the centre's (TABLE's "centre" column where it has one, else the same as P).
A surface that shows no count is compared on "books" only.

  surface             asked through                                       answer  count
  api_list            GET /api/centres/?day=D: bookable, free_seats         C      yes
  api_list_today      GET /api/centres/, the day left to default (1)        C      yes
  html_list           GET /centres/?day=D: data-bookable, data-free         C      yes
  html_list_today     GET /centres/, the page picks its day (1)             C      yes
  seat_map_days       bookable_days(), the centre page's day list (2)       C      no
  seat_map_seats      GET /centres/<slug>/?day=D: seats offered, free       P      yes
  api_book_any        POST /api/bookings/ {centre, day}                     P      no
  api_book_seat       POST /api/bookings/ {centre, day, seat: B-02}         P      no
  web_book_any        POST /centres/<slug>/book/ seat=any                   P      no
  web_book_seat       POST /centres/<slug>/book/ seat=B-02                  P      no
  web_book_days       POST /centres/<slug>/book-days/ from D to D           P      no
  waitlist_join       POST /waitlist/<slug>/D/join/ ("book instead": yes)   P      no
  waitlist_offer      serve_waitlist for D, more people waiting than seats  C      yes
  reservation_search  GET /companies/<slug>/reserve/ from D to D (3)        C      no

(1) Asked only when D is today. (2) The page links the first 14 of these days; the
horizon's last day is further on, so the list is read from the selector the page uses.
(3) Asked only within the booking horizon: a company reserves pods up to a year ahead
(MAX_RESERVATION_DAYS), so past the horizon it rightly offers days a person cannot book yet.

Which surfaces each case compares:

  case                                                 compared
  before-opening, during-the-day, one-minute-before-   all 14
  closing, one-minute-after-closing, just-after-
  midnight (D is today)
  the-day-that-just-ended, last-day-of-the-horizon,    12: all but the two "today" ones
  closure-day, closed-weekday, pod-reserved-for-a-
  company
  day-after-the-horizon                                11: nor reservation_search (3)
  already-booked-elsewhere                             12: P ones with (no, 7 free),
                                                       C ones with (yes, 7 free)

Why C: the lists, the day list, the offers to other people waiting and a company's pod
search answer whether the centre takes bookings that day and what is free in the pods the
person may use; none of them knows the person already sits elsewhere that day. In
pod-reserved-for-a-company the person and the centre answer alike (yes, 3 free: pod A is the
company's), so every surface is held to it; the pod search offers the day, pod A shown
reserved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.db.models import Max
from django.test import Client

# The surfaces' own modules: when they move, only these imports change.
from bookings.core.closures import add_closure
from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.core.services import book_seat
from bookings.models import SeatBooking, WaitlistEntry
from tests.bookings.surfaces import PERSON, SURFACES, Asking, Verdict, start_afresh
from tests.support.clock import KOLKATA
from tests.support.factories import CentreFactory, PodFactory, SeatBookingFactory
from wnh import weekdays

# -- the answers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    now: datetime
    day: date
    situation: str
    taken: bool  # Binu holds B-01 that day
    answer: Verdict  # the person's
    centre_answer: Verdict  # the surfaces that do not know the person's own bookings


def _grid(table: str) -> list[Case]:
    cases = []
    for line in table.strip().splitlines()[1:]:
        name, day, hour, asked, situation, taken, books, free, *centre = line.split()
        answer = Verdict(books == "yes", int(free))
        cases.append(
            Case(
                name=name,
                now=datetime.fromisoformat(f"{day}T{hour}").replace(tzinfo=KOLKATA),
                day=date.fromisoformat(asked),
                situation=situation,
                taken=taken != "-",
                answer=answer,
                centre_answer=Verdict(centre[0] == "yes", int(centre[1])) if centre else answer,
            )
        )
    return cases


# "books": may Asha book a seat there that day; "free": the seats free for her there;
# "centre": the answer of the surfaces that do not know her own bookings, where it differs.
TABLE = """
#  case                     now (IST)         day         situation         taken books free centre
before-opening             2026-12-02 07:30  2026-12-02  -                 B-01  yes   7
during-the-day             2026-12-02 10:30  2026-12-02  -                 B-01  yes   7
one-minute-before-closing  2026-12-02 19:59  2026-12-02  -                 B-01  yes   7
one-minute-after-closing   2026-12-02 20:01  2026-12-02  -                 B-01  no    0
just-after-midnight        2026-12-03 00:01  2026-12-03  -                 B-01  yes   7
the-day-that-just-ended    2026-12-03 00:01  2026-12-02  -                 B-01  no    0
last-day-of-the-horizon    2026-12-02 10:30  2027-01-01  -                 B-01  yes   7
day-after-the-horizon      2026-12-02 10:30  2027-01-02  -                 -     no    0
closure-day                2026-12-02 10:30  2026-12-03  closure           -     no    0
closed-weekday             2026-12-02 10:30  2026-12-06  -                 -     no    0
pod-reserved-for-a-company 2026-12-02 10:30  2026-12-03  pod-A-reserved    B-01  yes   3
already-booked-elsewhere   2026-12-02 10:30  2026-12-03  booked-elsewhere  B-01  no    7    yes 7
"""

CASES = _grid(TABLE)


# -- the world at each case's moment ----------------------------------------------------------


@pytest.fixture(params=CASES, ids=[case.name for case in CASES])
def case(request, clock, db) -> Case:
    """The clock stands still at the case's moment."""
    clock.move_to(request.param.now, tick=False)
    return request.param


@pytest.fixture
def asking(
    case, client, professional, other_professional, company, company_admin, staff_user
) -> Asking:
    centre = CentreFactory(name="Kottarakkara", open_weekdays=weekdays.MONDAY_TO_SATURDAY)
    pod_a = PodFactory(centre=centre, code="A", capacity=4)
    pod_b = PodFactory(centre=centre, code="B", capacity=4)
    if case.taken:
        SeatBookingFactory(user=other_professional, seat=pod_b.seats.get(position=1), day=case.day)
    if case.situation == "closure":
        add_closure(centre=centre, day=case.day, reason="Maintenance")
    elif case.situation == "pod-A-reserved":
        reservation = request_pod_reservation(
            company=company,
            pod=pod_a,
            first_day=case.day,
            last_day=case.day,
            weekday_mask=weekdays.ALL_DAYS,
            requested_by=company_admin,
        )
        confirm_pod_reservation(reservation=reservation, decided_by=staff_user)
    elif case.situation == "booked-elsewhere":
        elsewhere = PodFactory(centre=CentreFactory(name="Kalamassery"), code="K", capacity=4)
        book_seat(user=professional, seat=elsewhere.seats.first(), day=case.day)
    else:
        assert case.situation == "-", case.situation
    client.force_login(professional)
    admin_client = Client()
    admin_client.force_login(company_admin)
    return Asking(
        centre=centre,
        day=case.day,
        person=professional,
        person_client=client,
        admin_client=admin_client,
        company_slug=company.slug,
        chosen_seat=pod_b.seats.get(position=2),
    )


# -- the test -------------------------------------------------------------------------------


def test_every_surface_gives_the_same_answer_about_booking_that_day(case, asking):
    marks = {
        model: model.objects.aggregate(last=Max("pk"))["last"] or 0
        for model in (SeatBooking, WaitlistEntry)
    }
    said, expected = {}, {}
    for name, asked in SURFACES.items():
        if not asked.asked_if(asking):
            continue
        said[name] = asked.ask(asking)
        start_afresh(asking, marks)
        answer = case.answer if asked.answers_for == PERSON else case.centre_answer
        expected[name] = Verdict(answer.books, answer.free if asked.shows_a_count else None)

    assert said == expected
