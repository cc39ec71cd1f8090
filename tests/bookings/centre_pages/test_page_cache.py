"""The centre page from the cache (bookings/centre_pages/page_cache.py): what it shows is what
a fresh render shows, and every kind of write shows on the next page (issue 25).

On PostgreSQL: the versions the cache is keyed by are kept by its triggers.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from bookings.core import reservations, services
from bookings.core.noshows import release_no_shows
from bookings.models import PodDayCount, PodReservation, SeatBooking
from centres.models import CentreClosure, Pod, Seat
from tests.support.factories import MembershipFactory, PodFactory, UserFactory
from tests.support.personas import at
from tests.support.second_factor import log_in_staff

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SEAT = re.compile(r'data-seat="([^"]+)" data-state="(\w+)"')
# What differs between two renders of one page: the tokens, the nonce, the minute.
PER_REQUEST = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "CSRF"),
    (re.compile(r"\"inlineStyleNonce\": \"[^\"]+\""), "NONCE"),
    (re.compile(r"saved at \d\d:\d\d"), "saved at TIME"),
]


def seats_on(client, centre, day) -> dict[str, str]:
    """{seat label: state} as the centre's page shows them, and whether it was a hit."""
    response = client.get(centre.get_absolute_url(), {"day": day.isoformat()})
    assert response.status_code == 200
    return dict(SEAT.findall(response.content.decode()))


def free_on_list(client, centre, day) -> int:
    html = client.get(reverse("centres:list"), {"day": day.isoformat()}).content.decode()
    found = re.search(
        rf'data-centre="{centre.slug}" data-bookable="(\w+)"(?: data-free="(\d+)")?', html
    )
    return int(found.group(2)) if found.group(1) == "true" else 0


def normalised(html: str) -> str:
    for pattern, replacement in PER_REQUEST:
        html = pattern.sub(replacement, html)
    return html


@pytest.fixture
def a_pod(daily_centre):
    return PodFactory(centre=daily_centre, code="A", capacity=5)


@pytest.fixture
def viewer(client, professional):
    client.force_login(professional)
    return client


@pytest.mark.parametrize("language", ["en", "ml"])
@pytest.mark.parametrize("kind", ["visitor", "professional", "staff"])
def test_the_kept_page_is_the_page_rendered_afresh(
    client, settings, daily_centre, a_pod, next_open_day, professional, staff_user, kind, language
):
    services.book_seat(user=UserFactory(), seat=a_pod.seats.get(position=2), day=next_open_day)
    if kind == "professional":
        client.force_login(professional)
    elif kind == "staff":
        log_in_staff(client, staff_user)
    url = f"{daily_centre.get_absolute_url()}?day={next_open_day}&from=a%22b%3Cc"
    client.cookies["django_language"] = language

    def page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    client.get(reverse("centres:list"))  # the sign-in's message shown
    stored, kept = page(), page()  # a miss that renders into the cache, then a hit
    settings.WNH_PAGE_CACHE_SECONDS = 0
    fresh = page()

    assert normalised(kept) == normalised(fresh) == normalised(stored)
    assert "wnh-hole" not in kept
    assert 'name="next" type="hidden" value="' + url.replace("&", "&amp;") + '"' in kept


def test_each_request_gets_its_own_csrf_token_that_the_booking_accepts(
    client, daily_centre, a_pod, next_open_day, professional
):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(professional)
    url = f"{daily_centre.get_absolute_url()}?day={next_open_day}"
    strict.get(url)
    page = strict.get(url).content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = strict.post(
        reverse("centres:book", args=[daily_centre.slug]),
        {"csrfmiddlewaretoken": token, "day": next_open_day.isoformat(), "seat": "any"},
    )

    assert response.status_code == 302
    assert SeatBooking.objects.filter(user=professional, day=next_open_day).exists()


def test_a_person_with_a_seat_that_day_sees_their_own_map(
    viewer, daily_centre, a_pod, next_open_day, professional
):
    seat = a_pod.seats.get(position=3)
    seats_on(viewer, daily_centre, next_open_day)
    services.book_seat(user=professional, seat=seat, day=next_open_day)

    assert seats_on(viewer, daily_centre, next_open_day)[seat.label] == "yours"
    other = viewer.get(daily_centre.get_absolute_url(), {"day": next_open_day.isoformat()})
    assert "You have seat" in other.content.decode()


def test_a_member_of_the_company_sees_its_reserved_pod_open(
    viewer, daily_centre, a_pod, next_open_day, professional, company, company_admin
):
    MembershipFactory(company=company, user=professional)
    seats_on(viewer, daily_centre, next_open_day)
    reserve_for_the_day(company, a_pod, next_open_day, requested_by=company_admin)

    assert set(seats_on(viewer, daily_centre, next_open_day).values()) == {"free"}
    outsider = type(viewer)()
    outsider.force_login(UserFactory())
    assert set(seats_on(outsider, daily_centre, next_open_day).values()) == {"reserved"}


def reserve_for_the_day(company, pod, day, requested_by):
    """The pod reserved for the company on `day`: asked for, and confirmed by staff where the
    centre does not confirm it by itself. The reservation as it now stands."""
    reservation = reservations.request_pod_reservation(
        company=company,
        pod=pod,
        first_day=day,
        last_day=day,
        weekday_mask=127,
        requested_by=requested_by,
    )
    reservation.refresh_from_db()
    if reservation.status == PodReservation.Status.REQUESTED:
        staff = UserFactory(is_staff=True, is_superuser=True)
        reservation = reservations.confirm_pod_reservation(
            reservation=reservation, decided_by=staff
        )
        reservation.refresh_from_db()
    return reservation


def test_every_kind_of_write_shows_on_the_next_map_and_list(
    viewer, client, daily_centre, a_pod, next_open_day, company, company_admin, staff_user, clock
):
    """Each write follows a page served from the cache: the next page shows it."""
    day = next_open_day
    seat1, seat2 = a_pod.seats.get(position=1), a_pod.seats.get(position=2)
    someone = UserFactory()

    def seen() -> dict[str, str]:
        seats_on(viewer, daily_centre, day)  # into the cache
        return seats_on(viewer, daily_centre, day)  # from it

    assert seen() == {s.label: "free" for s in a_pod.seats.all()}

    # A booking, and its cancellation.
    booking = services.book_seat(user=someone, seat=seat1, day=day)
    assert seen()[seat1.label] == "taken"
    assert free_on_list(viewer, daily_centre, day) == 4
    services.cancel_booking(by=someone, booking=booking)
    assert seen()[seat1.label] == "free"
    assert free_on_list(viewer, daily_centre, day) == 5

    # A bulk update (an admin action, a script) and a row written by SQL.
    SeatBooking.objects.create(user=someone, seat=seat2, day=day)
    assert seen()[seat2.label] == "taken"
    SeatBooking.objects.filter(seat=seat2, day=day).update(
        status=SeatBooking.Status.CANCELLED, cancelled_at=timezone.now()
    )
    assert seen()[seat2.label] == "free"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bookings_seatbooking (user_id, seat_id, day, status, created_at)"
            " VALUES (%s, %s, %s, 'booked', now())",
            [someone.pk, seat2.pk, day],
        )
    assert seen()[seat2.label] == "taken"
    SeatBooking.objects.filter(seat=seat2, day=day).delete()
    assert seen()[seat2.label] == "free"

    # A pod reserved for a company, and given up.
    reservation = reserve_for_the_day(company, a_pod, day, requested_by=company_admin)
    assert set(seen().values()) == {"reserved"}
    assert free_on_list(viewer, daily_centre, day) == 0
    reservations.cancel_pod_reservation(reservation=reservation, by=company_admin)
    assert set(seen().values()) == {"free"}

    # A seat retired in the admin (the pod made smaller), then the pod closed.
    staff = type(viewer)()
    log_in_staff(staff, staff_user)
    form = {"centre": daily_centre.pk, "code": "A", "capacity": 4, "is_active": "on"}
    form.update({"seats-TOTAL_FORMS": 0, "seats-INITIAL_FORMS": 0})
    answer = staff.post(reverse("admin:centres_pod_change", args=[a_pod.pk]), form)
    assert answer.status_code == 302
    assert len(seen()) == 4
    Pod.objects.filter(pk=a_pod.pk).update(is_active=False)
    assert seen() == {}

    # A closure of that day.
    Pod.objects.filter(pk=a_pod.pk).update(is_active=True)
    seen()
    CentreClosure.objects.create(centre=daily_centre, day=day, reason="Onam")
    page = viewer.get(daily_centre.get_absolute_url(), {"day": day.isoformat()})
    assert "closed that day" in page.content.decode() or page.status_code == 400
    assert free_on_list(viewer, daily_centre, day) == 0


def test_a_no_show_release_shows_its_freed_seat(viewer, daily_centre, a_pod, today, clock):
    seat = a_pod.seats.get(position=1)
    clock.move_to(at(today, 8))
    SeatBooking.objects.create(user=UserFactory(), seat=seat, day=today)
    deadline = daily_centre.check_in_deadline
    clock.move_to(at(today, deadline.hour, deadline.minute) + timedelta(minutes=5))
    assert seats_on(viewer, daily_centre, today)[seat.label] == "taken"
    assert seats_on(viewer, daily_centre, today)[seat.label] == "taken"  # from the cache

    before = PodDayCount.objects.get(pod=a_pod, day=today).version
    assert release_no_shows() == 1
    assert PodDayCount.objects.get(pod=a_pod, day=today).version > before

    assert seats_on(viewer, daily_centre, today)[seat.label] == "free"


def test_the_versions_only_ever_rise(daily_centre, a_pod, next_open_day):
    """A booking and its cancellation do not bring the key back to what it was."""
    from bookings.core.selectors import map_version

    def version() -> int:
        return map_version(centre=daily_centre, day=next_open_day, user=None).day_version

    first = version()
    booking = services.book_seat(user=UserFactory(), seat=a_pod.seats.first(), day=next_open_day)
    booked = version()
    SeatBooking.objects.filter(pk=booking.pk).update(
        status=SeatBooking.Status.CANCELLED, cancelled_at=timezone.now()
    )
    assert first < booked < version()
    assert PodDayCount.objects.get(pod=a_pod, day=next_open_day).booked == 0
    before = daily_centre.version
    Seat.objects.filter(pod=a_pod, position=5).update(label="A-last")
    daily_centre.refresh_from_db()
    assert daily_centre.version > before


def test_without_a_cache_the_page_is_rendered(viewer, daily_centre, a_pod, next_open_day):
    away = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=away), translation.override("en"):
        assert set(seats_on(viewer, daily_centre, next_open_day).values()) == {"free"}


def test_the_map_htmx_swaps_in_is_kept_too_and_is_the_map_rendered_afresh(
    viewer, settings, daily_centre, a_pod, next_open_day
):
    url = f"{daily_centre.get_absolute_url()}?day={next_open_day}"

    def swap() -> str:
        response = viewer.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.content.decode()

    stored, kept = swap(), swap()
    settings.WNH_PAGE_CACHE_SECONDS = 0
    fresh = swap()

    assert kept.startswith('<section id="seat-map"')
    assert "<html" not in kept
    assert normalised(kept) == normalised(fresh) == normalised(stored)
    assert "wnh-hole" not in kept


def test_the_key_statement_asks_the_rules_of_the_core(
    daily_centre, a_pod, next_open_day, professional, company, company_admin
):
    """map_version is written in SQL for speed: whether the person's map is their own must be
    what SeatBooking.ACTIVE and pods.reserved_for_mine say, case by case."""
    from django.db.models import OuterRef

    from bookings.core.pods import reserved_for_mine
    from bookings.core.selectors import map_version

    day = next_open_day

    def by_sql(user) -> bool:
        return map_version(centre=daily_centre, day=day, user=user).personal

    def by_rules(user) -> bool:
        holds = SeatBooking.objects.filter(user=user, day=day, status__in=SeatBooking.ACTIVE)
        mine = Pod.objects.filter(centre=daily_centre).filter(
            reserved_for_mine(pod=OuterRef("pk"), day=day, user=user)
        )
        return holds.exists() or mine.exists()

    def agree(user, expected: bool) -> None:
        assert by_sql(user) == by_rules(user) == expected

    agree(professional, False)
    booking = services.book_seat(user=professional, seat=a_pod.seats.first(), day=day)
    agree(professional, True)
    SeatBooking.objects.filter(pk=booking.pk).update(
        status=SeatBooking.Status.CHECKED_IN, checked_in_at=timezone.now()
    )
    agree(professional, True)
    SeatBooking.objects.filter(pk=booking.pk).update(
        status=SeatBooking.Status.CANCELLED, cancelled_at=timezone.now()
    )
    agree(professional, False)
    MembershipFactory(company=company, user=professional)
    reservation = reserve_for_the_day(company, a_pod, day, requested_by=company_admin)
    agree(professional, True)
    agree(UserFactory(), False)
    reservations.cancel_pod_reservation(reservation=reservation, by=company_admin)
    agree(professional, False)
    assert map_version(centre=daily_centre, day=day, user=None).personal is False
