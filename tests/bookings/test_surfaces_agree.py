"""Every surface of the portal gives one answer to "can this person book a seat at this
centre on this day, and how many seats are free there for them?"

The rules behind that answer are written in several places today (the services, the
selectors, the free-seat counts, the forms, the waitlist, the pod reservation search). This
module asks every surface the question at the edges of the day, the window and the week, and
holds them all to one answer per case, written out by hand, never computed the way the code
computes it.

Each surface is asked through one small adapter (SURFACES, below) that turns what it shows
into a Verdict: may this person book there that day, and how many seats it shows free for
them. A surface that shows no count at all (a booking form) gives None; one that offers
nothing that day (a closed day, a refused date) offers 0 seats. When modules move, only the
adapters' imports change. The lists and the seat map are asked first; what a surface writes
(a booking, a place in line, offers) is deleted before the next one is asked, so no surface's
answer depends on another's.

The world: Kottarakkara, open Monday to Saturday 08:00-20:00, bookable 30 days ahead, two
pods of four seats, A and B. Asha asks; she belongs to no company. Where the grid says so,
Binu holds seat B-01 (booked the day before, as people do; nobody could book the other days).
2026-12-02 is a Wednesday and 2026-12-06 a Sunday; every time is Asia/Kolkata.

The grid of cases is TABLE, below: for each, the moment, the day asked about, the situation,
whether Binu holds B-01, and the one answer every surface must give.

Situations: "closure" is a CentreClosure added by bookings.closures.add_closure; "pod-A-reserved"
is pod A reserved for Technopark Tiles that day through the reservation service (request,
then staff confirm), so its seats are not Asha's; "booked-elsewhere" is Asha's seat at
Kalamassery that day, booked through the booking service.

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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

# The surfaces' own modules: when they move, only these imports change.
from bookings.closures import add_closure
from bookings.errors import CentreNotFull
from bookings.models import SeatBooking, WaitlistEntry
from bookings.selectors import bookable_days
from bookings.services import book_seat, confirm_pod_reservation, request_pod_reservation
from bookings.waitlist import serve_waitlist
from centres.models import Centre, Seat
from tests.clock import KOLKATA
from tests.factories import CentreFactory, PodFactory, SeatBookingFactory, UserFactory
from wnh import weekdays

# -- the answers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One surface's answer, normalised."""

    books: bool  # the person may book a seat there that day, now
    free: int | None  # seats free there that day for the person; None: no count shown
    said: str = field(default="", compare=False)  # what the surface said, for the report

    def __repr__(self) -> str:
        answer = "bookable" if self.books else "not bookable"
        count = "" if self.free is None else f", {self.free} free"
        said = f" [{self.said}]" if self.said else ""
        return f"{answer}{count}{said}"


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


# -- how each surface is asked ----------------------------------------------------------------


@dataclass
class Asking:
    """What every adapter needs: who asks, about which centre and day."""

    centre: Centre
    day: date
    person: User  # Asha
    person_client: Client  # signed in as her
    admin_client: Client  # signed in as Technopark Tiles' admin, for the pod search
    company_slug: str
    chosen_seat: Seat  # B-02: free whenever the centre takes bookings that day

    @property
    def today(self) -> date:
        return timezone.localdate()


PERSON, CENTRE = "person", "centre"


@dataclass(frozen=True)
class Surface:
    ask: Callable[[Asking], Verdict]
    answers_for: str  # PERSON or CENTRE
    shows_a_count: bool
    asked_if: Callable[[Asking], bool]


SURFACES: dict[str, Surface] = {}


def surface(
    name: str,
    *,
    answers_for: str,
    shows_a_count: bool = False,
    asked_if: Callable[[Asking], bool] = lambda asking: True,
):
    def register(ask: Callable[[Asking], Verdict]) -> Callable[[Asking], Verdict]:
        SURFACES[name] = Surface(ask, answers_for, shows_a_count, asked_if)
        return ask

    return register


def about_today(asking: Asking) -> bool:
    return asking.day == asking.today


def within_the_booking_horizon(asking: Asking) -> bool:
    return asking.day <= asking.today + timedelta(days=asking.centre.booking_horizon_days)


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def start_tags(response) -> list[tuple[str, dict[str, str | None]]]:
    parser = _StartTags()
    parser.feed(response.content.decode())
    return parser.tags


def messages_of(response) -> str:
    return " | ".join(str(message) for message in get_messages(response.wsgi_request))


def holds_a_seat_here(asking: Asking) -> bool:
    """Whether the person now has a seat at this centre that day: what a booking page did."""
    return SeatBooking.objects.filter(
        user=asking.person,
        day=asking.day,
        seat__pod__centre=asking.centre,
        status__in=SeatBooking.ACTIVE,
    ).exists()


def _api_list_row(asking: Asking, query: dict) -> Verdict:
    response = asking.person_client.get(reverse("api-centres"), query)
    if response.status_code != 200:
        return Verdict(False, 0, f"{response.status_code} {response.json().get('code')}")
    row = next((r for r in response.json() if r["slug"] == asking.centre.slug), None)
    if row is None:
        return Verdict(False, 0, "not listed")
    return Verdict(row["bookable"], row["free_seats"])


@surface("api_list", answers_for=CENTRE, shows_a_count=True)
def ask_the_api_list(asking: Asking) -> Verdict:
    return _api_list_row(asking, {"day": asking.day.isoformat()})


@surface("api_list_today", answers_for=CENTRE, shows_a_count=True, asked_if=about_today)
def ask_the_api_list_without_a_day(asking: Asking) -> Verdict:
    return _api_list_row(asking, {})


def _html_list_row(asking: Asking, query: dict) -> Verdict:
    response = asking.person_client.get(reverse("centres:list"), query)
    tags = start_tags(response)
    shown = next((a["data-day"] for tag, a in tags if tag == "ol" and "data-day" in a), None)
    if shown != asking.day.isoformat():
        return Verdict(False, 0, f"{response.status_code}, the page shows {shown}")
    row = next((a for _, a in tags if a.get("data-centre") == asking.centre.slug), None)
    if row is None:
        return Verdict(False, 0, "not listed")
    if row["data-bookable"] != "true":
        return Verdict(False, 0, "closed or not bookable that day")
    return Verdict(True, int(row["data-free"]))


@surface("html_list", answers_for=CENTRE, shows_a_count=True)
def ask_the_centre_list_page(asking: Asking) -> Verdict:
    return _html_list_row(asking, {"day": asking.day.isoformat()})


@surface("html_list_today", answers_for=CENTRE, shows_a_count=True, asked_if=about_today)
def ask_the_centre_list_page_without_a_day(asking: Asking) -> Verdict:
    return _html_list_row(asking, {})


@surface("seat_map_days", answers_for=CENTRE)
def ask_the_seat_maps_day_list(asking: Asking) -> Verdict:
    # The page links the first 14 of these days; the horizon's last day is further on.
    return Verdict(asking.day in bookable_days(centre=asking.centre), None)


@surface("seat_map_seats", answers_for=PERSON, shows_a_count=True)
def ask_the_seat_map(asking: Asking) -> Verdict:
    url = reverse("centres:detail", kwargs={"slug": asking.centre.slug})
    response = asking.person_client.get(url, {"day": asking.day.isoformat()})
    tags = start_tags(response)
    section = next((a for _, a in tags if a.get("id") == "seat-map"), {})
    if response.status_code != 200 or section.get("data-day") != asking.day.isoformat():
        shown = section.get("data-day")
        return Verdict(False, 0, f"{response.status_code}, the map shows {shown}")
    free = sum(tag == "li" and a.get("data-state") == "free" for tag, a in tags)
    offered = sum(
        tag == "input" and a.get("type") == "radio" and a.get("name") == "seat" for tag, a in tags
    )
    return Verdict(offered > 0, free, f"{offered} radio buttons")


def _api_book(asking: Asking, **seat) -> Verdict:
    response = asking.person_client.post(
        reverse("api-bookings"),
        {"centre": asking.centre.slug, "day": asking.day.isoformat(), **seat},
        content_type="application/json",
    )
    body = response.json()
    said = body.get("code") or f"seat {body.get('seat')}"
    return Verdict(response.status_code == 201, None, f"{response.status_code} {said}")


@surface("api_book_any", answers_for=PERSON)
def book_any_seat_by_api(asking: Asking) -> Verdict:
    return _api_book(asking)


@surface("api_book_seat", answers_for=PERSON)
def book_the_chosen_seat_by_api(asking: Asking) -> Verdict:
    return _api_book(asking, seat=asking.chosen_seat.pk)


def _web_book(asking: Asking, seat: str) -> Verdict:
    response = asking.person_client.post(
        reverse("centres:book", kwargs={"slug": asking.centre.slug}),
        {"day": asking.day.isoformat(), "seat": seat},
    )
    return Verdict(holds_a_seat_here(asking), None, messages_of(response))


@surface("web_book_any", answers_for=PERSON)
def book_any_seat_on_the_page(asking: Asking) -> Verdict:
    return _web_book(asking, "any")


@surface("web_book_seat", answers_for=PERSON)
def book_the_chosen_seat_on_the_page(asking: Asking) -> Verdict:
    return _web_book(asking, str(asking.chosen_seat.pk))


@surface("web_book_days", answers_for=PERSON)
def book_the_day_as_one_of_several(asking: Asking) -> Verdict:
    response = asking.person_client.post(
        reverse("centres:book_days", kwargs={"slug": asking.centre.slug}),
        {
            "first_day": asking.day.isoformat(),
            "last_day": asking.day.isoformat(),
            "weekdays": [str(asking.day.weekday())],
        },
    )
    return Verdict(holds_a_seat_here(asking), None, messages_of(response))


@surface("waitlist_join", answers_for=PERSON)
def join_the_waitlist(asking: Asking) -> Verdict:
    """Joining is refused with "book one instead" exactly when the person can book."""
    url = reverse(
        "waitlist:join", kwargs={"slug": asking.centre.slug, "day": asking.day.isoformat()}
    )
    response = asking.person_client.post(url)
    said = messages_of(response)
    return Verdict(str(CentreNotFull.message) in said, None, f"{response.status_code} {said}")


@surface("waitlist_offer", answers_for=CENTRE, shows_a_count=True)
def serve_the_waitlist(asking: Asking) -> Verdict:
    """More people wait than the centre has seats (as if they joined while it was full):
    serving the line offers each free seat once, and no seat on a day that cannot be booked."""
    for n in range(9):
        waiting = UserFactory(email=f"waiting{n}@example.com")
        WaitlistEntry.objects.create(user=waiting, centre=asking.centre, day=asking.day)
    offers = serve_waitlist(centre_id=asking.centre.pk, day=asking.day)
    return Verdict(offers > 0, offers, f"{offers} offers")


@surface("reservation_search", answers_for=CENTRE, asked_if=within_the_booking_horizon)
def search_pods_to_reserve(asking: Asking) -> Verdict:
    response = asking.admin_client.get(
        reverse("companies:reserve", kwargs={"slug": asking.company_slug}),
        {
            "centre": asking.centre.pk,
            "first_day": asking.day.isoformat(),
            "last_day": asking.day.isoformat(),
            "weekdays": [str(n) for n in range(7)],
        },
    )
    days = response.context["days"]
    offered = [day.isoformat() for day in days]
    return Verdict(asking.day in days, None, f"{response.status_code}, days offered {offered}")


def start_afresh(asking: Asking, marks: dict) -> None:
    """Undo what a surface wrote (a booking, waitlist entries and their offers), and drop the
    messages a page left for the next one, so the next surface meets the world as it was."""
    for model, last_pk in marks.items():
        model.objects.filter(pk__gt=last_pk).delete()
    asking.person_client.cookies.pop("messages", None)


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
