"""Every rule about "today", "before closing" or "18:00 IST", at the edges of the day, the
week and the year, in Asia/Kolkata.

The expected answers are written out by hand for each moment, not computed the way the code
computes them. The centres keep the defaults: open 08:00 to 20:00, check-in deadline 11:00,
cancellation until 2 hours before opening (06:00), a 30-day horizon, evening reminders at
18:00, offers held 30 minutes.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from bookings.core.errors import (
    CancellationTooLate,
    CentreClosedThatDay,
    CheckInNotOpen,
    OfferNotOpen,
    OutsideBookingWindow,
)
from bookings.core.noshows import release_no_shows
from bookings.core.services import book_seat, cancel_booking, check_in
from bookings.core.waitlist import accept_offer, serve_waitlist
from bookings.models import SeatBooking, WaitlistEntry
from bookings.operations.reminders import EVENING, due_reminders
from tests.support.clock import KOLKATA
from tests.support.factories import CentreFactory, PodFactory, SeatBookingFactory, UserFactory
from wnh import weekdays


@dataclass(frozen=True)
class Moment:
    name: str
    at: datetime
    first_map_day: date  # the day a Mon-Sat centre's page opens on
    last_bookable: date  # today + the 30-day horizon
    month: date  # the statement shown without ?month=
    week_monday: date  # the team week shown without ?week=
    holds: frozenset[str]  # which of the yes-or-no rules below hold at the moment

    @property
    def today(self) -> date:
        return self.at.date()


# What a centre with the defaults answers at each moment, by hand. After the dates, the rules
# that hold: "book" a Mon-Sat centre still takes bookings for today; "in" today's booking can
# be checked in (at a centre open that day); "cancel" today's booking can still be cancelled;
# "release" today's unchecked booking is a no-show; "remind" today's booking is still owed its
# reminder; "eve" tomorrow's booking is due its evening reminder.
#  moment          at (IST)          map opens  last day   month   week from   holds
TABLE = """
monday-0900       2026-12-07 09:00  2026-12-07 2027-01-06 2026-12 2026-12-07  book in remind
friday-2330       2026-12-04 23:30  2026-12-05 2027-01-03 2026-12 2026-11-30  release eve
saturday-1200     2026-12-05 12:00  2026-12-05 2027-01-04 2026-12 2026-11-30  book in release
sunday-1900       2026-12-06 19:00  2026-12-07 2027-01-05 2026-12 2026-11-30  in release eve
month-end-1930    2026-11-30 19:30  2026-11-30 2026-12-30 2026-11 2026-11-30  book in release eve
dec-31-2359       2026-12-31 23:59  2027-01-01 2027-01-30 2026-12 2026-12-28  release eve
jan-1-0001        2027-01-01 00:01  2027-01-01 2027-01-31 2027-01 2026-12-28  book cancel remind
utc-0001-ist-0531 2026-12-03 05:31  2026-12-03 2027-01-02 2026-12 2026-11-30  book cancel remind
"""


def _moments(table: str) -> dict[str, Moment]:
    moments = {}
    for line in table.strip().splitlines():
        name, day, hour, opens, last, month, monday, *holds = line.split()
        moments[name] = Moment(
            name=name,
            at=datetime.fromisoformat(f"{day}T{hour}").replace(tzinfo=KOLKATA),
            first_map_day=date.fromisoformat(opens),
            last_bookable=date.fromisoformat(last),
            month=date.fromisoformat(f"{month}-01"),
            week_monday=date.fromisoformat(monday),
            holds=frozenset(holds),
        )
    return moments


MOMENTS = _moments(TABLE)


@pytest.fixture(params=MOMENTS.values(), ids=MOMENTS.keys())
def moment(request, clock, db) -> Moment:
    """The clock stands still at the moment (bookings made earlier are made before it)."""
    clock.move_to(request.param.at, tick=False)
    return request.param


@pytest.fixture
def daily_seat(db):
    """A seat at a centre open every day: the time-of-day rules without the weekday one."""
    centre = CentreFactory(name="Kalamassery", open_weekdays=weekdays.ALL_DAYS)
    return PodFactory(centre=centre, capacity=4).seats.first()


@pytest.fixture
def weekday_seat(db):
    centre = CentreFactory(name="Kottarakkara", open_weekdays=weekdays.MONDAY_TO_SATURDAY)
    return PodFactory(centre=centre, capacity=4).seats.first()


def booked(seat, day, email="asha@example.com") -> SeatBooking:
    """A booking made at noon the day before its day (the factory's habit)."""
    return SeatBookingFactory(user=UserFactory(email=email), seat=seat, day=day)


# -- booking --------------------------------------------------------------------------------


def test_the_booking_window_runs_from_today_to_the_horizon(moment, daily_seat, professional):
    assert book_seat(user=professional, seat=daily_seat, day=moment.last_bookable)
    for outside in (moment.last_bookable + timedelta(days=1), moment.today - timedelta(days=1)):
        with pytest.raises(OutsideBookingWindow):
            book_seat(user=professional, seat=daily_seat, day=outside)


def test_today_is_bookable_until_the_centre_closes(moment, weekday_seat, professional):
    if "book" in moment.holds:
        assert book_seat(user=professional, seat=weekday_seat, day=moment.today)
    else:
        closed_today = not weekdays.includes(weekdays.MONDAY_TO_SATURDAY, moment.today)
        with pytest.raises(CentreClosedThatDay if closed_today else OutsideBookingWindow):
            book_seat(user=professional, seat=weekday_seat, day=moment.today)


def test_the_centre_page_opens_on_the_first_day_it_takes_bookings(moment, weekday_seat, client):
    centre = weekday_seat.pod.centre
    response = client.get(reverse("centres:detail", kwargs={"slug": centre.slug}))
    assert response.context["day"] == moment.first_map_day
    assert response.context["bookable_days"][0] == moment.first_map_day


# -- check-in, cancellation, no-shows -------------------------------------------------------


def test_check_in_is_open_while_the_centre_is(moment, daily_seat):
    booking = booked(daily_seat, moment.today)
    if "in" in moment.holds:
        assert check_in(booking=booking).status == SeatBooking.Status.CHECKED_IN
    else:
        with pytest.raises(CheckInNotOpen):
            check_in(booking=booking)
    with pytest.raises(CheckInNotOpen):  # never for tomorrow's seat
        check_in(booking=booked(daily_seat, moment.today + timedelta(days=1), "binu@example.com"))


def test_a_booking_can_be_cancelled_until_two_hours_before_opening(moment, daily_seat):
    todays = booked(daily_seat, moment.today)
    if "cancel" in moment.holds:
        assert cancel_booking(booking=todays, by=todays.user).status == "cancelled"
    else:
        with pytest.raises(CancellationTooLate):
            cancel_booking(booking=todays, by=todays.user)
    tomorrows = booked(daily_seat, moment.today + timedelta(days=1), "binu@example.com")
    assert cancel_booking(booking=tomorrows, by=tomorrows.user).status == "cancelled"


def test_no_shows_are_released_after_the_check_in_deadline(moment, daily_seat):
    yesterdays = booked(daily_seat, moment.today - timedelta(days=1))
    todays = booked(daily_seat, moment.today, "binu@example.com")
    tomorrows = booked(daily_seat, moment.today + timedelta(days=1), "chitra@example.com")

    release_no_shows()

    statuses = dict(SeatBooking.objects.values_list("pk", "status"))
    assert statuses[yesterdays.pk] == "no_show"
    assert statuses[todays.pk] == ("no_show" if "release" in moment.holds else "booked")
    assert statuses[tomorrows.pk] == "booked"


# -- reminders and the waitlist -------------------------------------------------------------


def test_evening_reminders_are_due_from_1800_until_the_check_in_deadline(moment, daily_seat):
    todays = booked(daily_seat, moment.today)
    tomorrows = booked(daily_seat, moment.today + timedelta(days=1), "binu@example.com")
    later = booked(daily_seat, moment.today + timedelta(days=2), "chitra@example.com")

    due = set(due_reminders(kind=EVENING, now=moment.at).values_list("pk", flat=True))

    assert (todays.pk in due) is ("remind" in moment.holds)
    assert (tomorrows.pk in due) is ("eve" in moment.holds)
    assert later.pk not in due


def test_a_waitlist_offer_is_held_for_thirty_minutes(moment, daily_seat, clock):
    tomorrow = moment.today + timedelta(days=1)
    first, second = UserFactory(email="first@example.com"), UserFactory(email="second@example.com")
    for person in (first, second):
        WaitlistEntry.objects.create(user=person, centre=daily_seat.pod.centre, day=tomorrow)

    assert serve_waitlist(centre_id=daily_seat.pod.centre_id, day=tomorrow) == 2
    offers = {entry.user: entry for entry in WaitlistEntry.objects.all()}
    assert {entry.offer_expires_at for entry in offers.values()} == {
        moment.at + timedelta(minutes=30)
    }

    clock.move_to(moment.at + timedelta(minutes=29, seconds=59), tick=False)
    assert accept_offer(entry=offers[first], user=first).day == tomorrow
    clock.move_to(moment.at + timedelta(minutes=30), tick=False)
    with pytest.raises(OfferNotOpen):
        accept_offer(entry=offers[second], user=second)


# -- the company's month and week -----------------------------------------------------------


def test_the_statement_shows_this_months_figures(moment, company, company_admin, client):
    client.force_login(company_admin)
    response = client.get(reverse("companies:statement", kwargs={"slug": company.slug}))
    assert response.context["statement"].month == moment.month
    csv = client.get(reverse("companies:statement_csv", kwargs={"slug": company.slug}))
    assert f"{moment.month:%Y-%m}-statement.csv" in csv["Content-Disposition"]


def test_the_team_week_is_this_week_from_monday(moment, company, company_member, client):
    client.force_login(company_member)
    response = client.get(reverse("companies:team", kwargs={"slug": company.slug}))
    assert response.context["week_start"] == moment.week_monday
    assert response.context["days"][0] == moment.week_monday
