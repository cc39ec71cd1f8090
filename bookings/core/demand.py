"""Demand the network did not meet: each time a person went without, recorded without
personal data (bookings.models.TurnedAway) from the one place the refusal is decided.

    a seat or "any seat" refused   `records_turned_away` around book_seat and book_any_seat
    the waitlist did not serve     `waitlist_not_served`, where an entry expires
    no centre near a home          `no_centre_near`, in "centres near me"

and each search for centres (`searched`, in "centres near me": the page and the API), counted
per day searched for, kind and PIN area, never stored one by one (see `searched`).

A booking refusal rolls its service's transaction back, so a record written inside it would
go too: the decorator writes after the service has returned, outside its transaction, and a
refusal is therefore recorded whether the transaction committed or not. The waitlist's record
is written in the expiry's own transaction: it commits with the expiry or not at all.

One person turned away again by the same centre for the same day (a second click, a retried
request), or told again that no centre is near their home, counts once: a keyed digest of the
person, the centre or home PIN code and the day is kept in the cache for two days, never in
the database.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Avg, Exists, F, Max, OuterRef
from django.utils import timezone

from accounts.models import User
from bookings.core.errors import NoFreeSeat, PodReserved, SeatTaken
from bookings.core.pods import free_seats_by_centre, reserved_for_others
from bookings.models import SearchDaily, SeatBooking, TurnedAway, WaitlistEntry
from centres.models import Centre, Locality, Pod
from centres.selectors import distance_km

logger = logging.getLogger(__name__)

Kind = TurnedAway.Kind
SEEN_SECONDS = 2 * 24 * 3600


def _first_time(*, user: User | None, place: str, day: date) -> bool:
    """Whether this person has not been turned away by `place` for `day` before (see the
    module's note)."""
    if user is None or not user.is_authenticated:
        return True
    text = f"{user.pk}:{place}:{day.isoformat()}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), text, hashlib.sha256).hexdigest()
    try:
        return cache.add(f"wnh:turned-away:{digest}", 1, SEEN_SECONDS)
    except Exception:  # a cache that does not answer: count it rather than lose it
        logger.warning("Could not check a refusal against the cache", exc_info=True)
        return True


def _write(row: TurnedAway) -> None:
    """Never turns a refusal into an error page: a record that cannot be written is logged.

    Outside a transaction (a request) the row is one INSERT in autocommit, without the
    BEGIN and COMMIT of an atomic block; inside one, a savepoint keeps a failed insert from
    breaking the caller's transaction."""
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                row.save(force_insert=True)
        else:
            row.save(force_insert=True)
    except DatabaseError:
        logger.exception("Could not record a person turned away (%s)", row.kind)


def _hour():
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def _at_centre(centre: Centre, kind: str, day: date) -> TurnedAway:
    return TurnedAway(
        kind=kind,
        centre_id=centre.pk,
        district=centre.district,
        local_body=centre.local_body,
        pin_code=centre.pin_code,
        day=day,
        hour=_hour(),
    )


def turned_away_at_centre(
    *, user: User, centre: Centre, day: date, known_full: bool = False
) -> TurnedAway | None:
    """After a refused booking: record it if the person is left with no free seat at the
    centre that day (a seat taken while others are free is not going without). "Pod reserved"
    when pods reserved for companies were closed to them, "no free seat" otherwise.

    `known_full`: the refusal itself found no free seat for the person ("any seat" refused),
    so the count is not asked again: on the rush's hot spot every request is such a one."""
    if (
        not known_full
        and free_seats_by_centre(centre_ids=[centre.pk], day=day, user=user)[centre.pk] > 0
    ):
        return None
    if not _first_time(user=user, place=f"centre {centre.pk}", day=day):
        return None  # a second click at the same full centre costs no more than this
    closed_pods = Pod.objects.filter(centre=centre, is_active=True).filter(
        reserved_for_others(pod=OuterRef("pk"), day=day, user=user)
    )
    kind = Kind.POD_RESERVED if closed_pods.exists() else Kind.NO_FREE_SEAT
    row = _at_centre(centre, kind, day)
    _write(row)
    return row


def records_turned_away(service: Callable) -> Callable:
    """Around book_seat and book_any_seat, outside their transaction: a refusal for want of a
    seat is recorded (turned_away_at_centre) and raised on."""

    @functools.wraps(service)
    def run(**kwargs):
        try:
            return service(**kwargs)
        except (NoFreeSeat, SeatTaken, PodReserved) as refusal:
            centre = kwargs.get("centre") or kwargs["seat"].pod.centre
            try:
                turned_away_at_centre(
                    user=kwargs["user"],
                    centre=centre,
                    day=kwargs["day"],
                    known_full=isinstance(refusal, NoFreeSeat),
                )
            except DatabaseError:  # the person is told why; the figure is what is lost
                logger.exception("Could not record a person turned away at %s", centre.pk)
            raise

    return run


def waitlist_not_served(*, entry_ids: Iterable[int]) -> int:
    """Waitlist entries about to expire, inside the expiry's transaction: each person who
    holds no seat that day (at this centre or another) went without."""
    booked = SeatBooking.objects.filter(
        user=OuterRef("user"), day=OuterRef("day"), status__in=SeatBooking.ACTIVE
    )
    entries = (
        WaitlistEntry.objects.filter(pk__in=list(entry_ids))
        .exclude(Exists(booked))
        .select_related("centre")
        .only("day", "centre__district", "centre__local_body", "centre__pin_code")
    )
    rows = [_at_centre(entry.centre, Kind.WAITLIST_NOT_SERVED, entry.day) for entry in entries]
    if rows:
        TurnedAway.objects.bulk_create(rows)
    return len(rows)


def no_centre_near(
    *, user: User | None, latitude: float, longitude: float, day: date, page: int
) -> TurnedAway | None:
    """ "Centres near me" found no open centre within the longest commute: recorded when the
    search is from the person's own home, by its PIN code and district."""
    if (
        page != 1
        or user is None
        or not user.is_authenticated
        or not user.has_home
        or not user.home_pin_code
        or (float(user.home_latitude), float(user.home_longitude)) != (latitude, longitude)
    ):
        return None
    pin_code = user.home_pin_code
    if not _first_time(user=user, place=f"home {pin_code}", day=day):
        return None
    district = Locality.objects.filter(pin_code=pin_code).values_list("district", flat=True).first()
    row = TurnedAway(
        kind=Kind.NO_CENTRE_NEAR,
        district=district or "",
        pin_code=pin_code,
        day=day,
        hour=_hour(),
    )
    _write(row)
    return row


# -- searches -------------------------------------------------------------------------------

SearchKind = SearchDaily.Kind
# One Redis hash per day searched for: field "home|<PIN code>", "point|<lat>|<lon>" (rounded
# to 0.01 degree, about a kilometre) or "no_place" -> searches. The set lists the days that
# have one, for the nightly flush (bookings.operations.demand), which turns a point into the
# PIN area nearest it: the search itself asks the database nothing.
SEARCHES_KEY = "wnh:searches:{day}"
SEARCH_DAYS_KEY = "wnh:searches:days"
# A point further than this from every PIN area's middle is outside Kerala: no area.
POINT_AREA_KM = 15
_clients: dict = {}


def pin_areas() -> dict[str, tuple[str, float, float]]:
    """{PIN code: (district, latitude, longitude)}, the middle of its post offices (one query)."""
    rows = (
        Locality.objects.order_by()
        .values("pin_code")
        .annotate(district=Max("district"), lat=Avg("latitude"), lon=Avg("longitude"))
    )
    return {r["pin_code"]: (r["district"], float(r["lat"]), float(r["lon"])) for r in rows}


def nearest_pin_area(areas: dict, latitude: float, longitude: float) -> str:
    """The PIN area of `areas` whose middle is nearest the point, "" when none is within
    POINT_AREA_KM."""
    best, best_km = "", POINT_AREA_KM
    for pin_code, (_, lat, lon) in areas.items():
        km = distance_km(latitude, longitude, lat, lon)
        if km < best_km:
            best, best_km = pin_code, km
    return best


def search_field(user: User | None, latitude: float | None, longitude: float | None) -> str:
    """What a search is counted by (see SEARCHES_KEY): nothing of the person but their home's
    PIN code, when the search is from home."""
    if latitude is None or longitude is None:
        return SearchKind.NO_PLACE
    at_home = (
        user is not None
        and user.is_authenticated
        and user.has_home
        and (float(user.home_latitude), float(user.home_longitude)) == (latitude, longitude)
    )
    if at_home and user.home_pin_code:
        return f"{SearchKind.HOME}|{user.home_pin_code}"
    return f"{SearchKind.POINT}|{latitude:.2f}|{longitude:.2f}"


def search_area(field: str, areas: dict) -> tuple[str, str, str]:
    """A counted field as (kind, district, PIN code), a point as its nearest PIN area."""
    kind, *place = field.split("|")
    if kind == SearchKind.HOME:
        pin_code = place[0]
    elif kind == SearchKind.POINT:
        pin_code = nearest_pin_area(areas, float(place[0]), float(place[1]))
    else:
        return SearchKind.NO_PLACE, "", ""
    return kind, areas.get(pin_code, ("",))[0], pin_code


def search_counter():
    """A Redis client on REDIS_URL (the broker's Redis, which never evicts, unlike the cache's),
    or None on a laptop without Redis."""
    url = settings.REDIS_URL
    if not url:
        return None
    if url not in _clients:
        import redis

        _clients[url] = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    return _clients[url]


def _count_in_database(day: date, field: str) -> None:
    """Without Redis (a laptop): one upsert per search, which a laptop can afford."""
    kind, district, pin_code = search_area(field, pin_areas())
    rows = SearchDaily.objects.filter(day=day, kind=kind, pin_code=pin_code)
    if rows.update(searches=F("searches") + 1):
        return
    try:
        with transaction.atomic():
            SearchDaily.objects.create(
                day=day,
                kind=kind,
                district=district,
                pin_code=pin_code,
                searches=1,
                computed_at=timezone.now(),
            )
    except IntegrityError:  # another search made the row first
        rows.update(searches=F("searches") + 1)


def searched(
    *,
    user: User | None,
    latitude: float | None,
    longitude: float | None,
    day: date,
    page: int = 1,
) -> str | None:
    """Count one search for centres (its first page; the next pages are the same search) by
    the day searched for and its place (search_field).

    The list is the rush-hour page, so a search costs one round trip to Redis (HINCRBY on the
    day's hash, its expiry, the set of days), no database query; the nightly task copies the
    counts into SearchDaily. Returns the field counted, None when nothing was."""
    if page != 1:
        return None
    field = search_field(user, latitude, longitude)
    try:
        client = search_counter()
        if client is None:
            _count_in_database(day, field)
            return field
        keep_until = timezone.make_aware(
            datetime.combine(day + timedelta(days=settings.WNH_DEMAND_RECORDS_DAYS + 1), time())
        )
        key = SEARCHES_KEY.format(day=day.isoformat())
        pipe = client.pipeline(transaction=False)
        pipe.hincrby(key, field, 1)
        pipe.expireat(key, int(keep_until.timestamp()))
        pipe.sadd(SEARCH_DAYS_KEY, day.isoformat())
        pipe.execute()
    except Exception:  # a search is never refused for want of counting it
        logger.warning("Could not count a search for centres", exc_info=True)
        return None
    return field
