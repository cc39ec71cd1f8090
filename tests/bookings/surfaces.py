"""How each surface of the portal is asked "can this person book at this centre on this
day, and how many seats are free for them": one adapter a surface, each turning what the
surface shows into a Verdict. The grid of cases and the test: test_surfaces_agree.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

# The surfaces' own modules: when they move, only these imports change.
from bookings.core.days import bookable_days
from bookings.core.errors import CentreNotFull
from bookings.core.waitlist import serve_waitlist
from bookings.models import SeatBooking, WaitlistEntry
from centres.models import Centre, Seat
from tests.support.factories import UserFactory


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
    if row["day"] != asking.day.isoformat():
        return Verdict(False, 0, f"answers for {row['day']}")
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
