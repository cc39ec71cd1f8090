"""K-DISC's planning view: its figures computed again here from the raw rows, its order, its
CSV, the change after an opening, who may see it, and a query count that does not grow."""

import csv
import io
import math
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.core import demand as recorded
from bookings.models import SearchDaily, TurnedAway, TurnedAwayDaily
from bookings.operations import demand, planning
from centres.models import Centre, Locality
from tests.bookings.admin.scopes import _staff
from tests.support.factories import CentreFactory, PodFactory, UserFactory
from tests.support.second_factor import force_login_staff

URL = "/admin/bookings/searchdaily/planning/"
Kind = TurnedAway.Kind


def middle(pin_code: str) -> tuple[float, float]:
    offices = list(Locality.objects.filter(pin_code=pin_code).values_list("latitude", "longitude"))
    return (
        sum(float(lat) for lat, _ in offices) / len(offices),
        sum(float(lon) for _, lon in offices) / len(offices),
    )


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The test's own great-circle distance."""
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def centre_at(name, pin_code, status=Centre.Status.OPEN, pods=(), **fields):
    lat, lon = middle(pin_code)
    centre = CentreFactory(
        name=name,
        pin_code=pin_code,
        latitude=Decimal(f"{lat:.6f}"),
        longitude=Decimal(f"{lon:.6f}"),
        status=status,
        **fields,
    )
    for capacity in pods:
        PodFactory(centre=centre, capacity=capacity)
    return centre


def refuse(centre=None, pin_code="", day=None, n=1):
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    TurnedAway.objects.bulk_create(
        TurnedAway(
            kind=Kind.NO_FREE_SEAT if centre else Kind.NO_CENTRE_NEAR,
            centre=centre,
            district=centre.district if centre else "",
            local_body=centre.local_body if centre else "",
            pin_code=centre.pin_code if centre else pin_code,
            day=day,
            hour=hour,
        )
        for _ in range(n)
    )


@pytest.fixture
def kerala(db, today):
    """Two open centres in Kollam, a planned polytechnic in Kozhikode, a college being built
    in Thiruvananthapuram; people turned away and searches from their areas three days ago."""
    day = today - timedelta(days=3)
    kottarakkara = centre_at(
        "Kottarakkara", "691506", pods=(6,), local_body="Kottarakkara Municipality"
    )
    kollam = centre_at("Kollam", "691001", pods=(10, 4), local_body="Kollam Corporation")
    centre_at(
        "Kozhikode Polytechnic",
        "673001",
        status=Centre.Status.PLANNED,
        host_kind=Centre.HostKind.POLYTECHNIC,
        host_name="Govt Polytechnic Kozhikode",
        district="KKD",
        local_body="Kozhikode Corporation",
    )
    centre_at(
        "Thiruvananthapuram College",
        "695001",
        status=Centre.Status.UNDER_CONSTRUCTION,
        host_kind=Centre.HostKind.COLLEGE,
        host_name="University College",
        district="TVM",
        local_body="Thiruvananthapuram Corporation",
    )
    refuse(kottarakkara, day=day, n=5)
    refuse(kollam, day=day, n=2)
    refuse(pin_code="673001", day=day, n=3)
    refuse(pin_code="695001", day=day, n=1)
    searches = [("691506", 4), ("673001", 6)]
    for pin_code, n in searches:
        home = UserFactory(home_pin_code=pin_code)
        home.home_latitude, home.home_longitude = map(Decimal, map(str, middle(pin_code)))
        for _ in range(n):
            recorded.searched(
                user=home,
                latitude=float(home.home_latitude),
                longitude=float(home.home_longitude),
                day=day,
            )
    kollam_point = middle("691001")  # a point search from the Kollam PIN area's middle
    for _ in range(2):
        recorded.searched(user=None, latitude=kollam_point[0], longitude=kollam_point[1], day=day)
    recorded.searched(user=None, latitude=None, longitude=None, day=day)
    demand.nightly()
    return day


def expected_by_pin() -> list[list[str]]:
    """The planning table computed from the raw rows: the records and the searches made."""
    turned_away, searches = {}, {}
    for pin_code in TurnedAway.objects.values_list("pin_code", flat=True):
        turned_away[pin_code] = turned_away.get(pin_code, 0) + 1
    counters = recorded.search_counter()
    for key in counters.keys("wnh:searches:2*"):
        for field, n in counters.hgetall(key).items():
            kind, *place = field.decode().split("|")
            if kind == "home":
                pin_code = place[0]
            elif kind == "point":  # searched from the middle of Kollam's PIN area
                pin_code = "691001"
            else:
                continue
            searches[pin_code] = searches.get(pin_code, 0) + int(n)
    rows = []
    open_centres = Centre.objects.filter(status=Centre.Status.OPEN).prefetch_related("pods")
    for pin_code in {*turned_away, *searches}:
        here = middle(pin_code)
        seats = sum(
            pod.capacity
            for c in open_centres
            if km(here, (float(c.latitude), float(c.longitude))) <= 30
            for pod in c.pods.all()
            if pod.is_active
        )
        ta, s = turned_away.get(pin_code, 0), searches.get(pin_code, 0)
        rows.append((-(ta / seats) if seats else -math.inf, -ta, -s, pin_code, s, ta, seats))
    rows.sort()
    return [[row[3], str(row[4]), str(row[5]), str(row[6])] for row in rows]


def table_of(response) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return [[row[0], row[2], row[3], row[4]] for row in rows[1:]]


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_the_table_agrees_with_the_raw_rows_and_ranks_most_unmet_per_seat_first(
    client, kerala, staff_user
):
    force_login_staff(client, staff_user)

    answer = client.get(URL, {"format": "csv"})

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert table_of(answer) == expected_by_pin()
    # Kozhikode and Thiruvananthapuram have no open centre near: they come first.
    assert [row[0] for row in table_of(answer)] == ["673001", "695001", "691506", "691001"]


@pytest.mark.redis  # counts searches in Redis (without it: bookings/core/demand.py)
def test_the_page_shows_the_same_table_with_the_candidate_hosts(client, kerala, staff_user):
    force_login_staff(client, staff_user)

    page = client.get(URL).content.decode()

    codes = re.findall(r'<th scope="row" data-label="PIN code">(\d{6})</th>', page)
    assert codes == [row[0] for row in expected_by_pin()]
    assert "Govt Polytechnic Kozhikode (Polytechnic), Kozhikode Polytechnic: Planned" in page
    assert "University College (College)" in page
    assert "no seats near" in page


def test_by_local_body_a_body_has_its_centres_refusals_and_their_pin_codes_searches(
    client, kerala, staff_user
):
    force_login_staff(client, staff_user)

    answer = client.get(URL, {"by": "local_body", "format": "csv"})

    rows = {row[0]: row[1:] for row in table_of(answer)}
    # Kottarakkara: its centre turned 5 away; 4 searched from its centre's PIN code; 20 seats
    # (its own 6 and Kollam's 14, 20 km away) within 30 km.
    assert rows["Kottarakkara Municipality"] == ["4", "5", "20"]
    assert rows["Kollam Corporation"] == ["2", "2", "20"]


def test_a_district_narrows_the_table(client, kerala, staff_user):
    force_login_staff(client, staff_user)

    answer = client.get(URL, {"district": "KLM", "format": "csv"})

    assert [row[0] for row in table_of(answer)] == ["691506", "691001"]


def test_the_queries_do_not_grow_with_the_areas(client, kerala, staff_user, today):
    force_login_staff(client, staff_user)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    pins = list(
        Locality.objects.order_by("pin_code").values_list("pin_code", flat=True).distinct()[:40]
    )
    now = timezone.now()
    for pin_code in pins:
        TurnedAwayDaily.objects.get_or_create(
            day=kerala,
            kind=Kind.NO_CENTRE_NEAR,
            pin_code=pin_code,
            defaults={"people": 2, "computed_at": now},
        )
        SearchDaily.objects.get_or_create(
            day=kerala, kind="home", pin_code=pin_code, defaults={"searches": 3, "computed_at": now}
        )
    for n in range(10):
        centre_at(f"More {n}", "691506", pods=(4,))

    with CaptureQueriesContext(connection) as many:
        page = client.get(URL)

    assert page.status_code == 200
    assert len(many) == len(few)


def test_the_change_after_an_opening_counts_the_weeks_before_and_after_near_it(db, today):
    opened = today - timedelta(days=10)
    centre_at("New in Kottarakkara", "691506", pods=(6,), opened_on=opened)
    now = timezone.now()

    def searches(day, n, pin_code="691506"):
        SearchDaily.objects.create(
            day=day, kind="home", pin_code=pin_code, searches=n, computed_at=now
        )

    def people(day, n, pin_code="691506"):
        TurnedAwayDaily.objects.create(
            day=day, kind=Kind.NO_CENTRE_NEAR, pin_code=pin_code, people=n, computed_at=now
        )

    searches(opened - timedelta(days=14), 5)  # two weeks before: counted
    searches(opened - timedelta(days=15), 50)  # before the two weeks: not
    searches(opened, 7)
    people(opened - timedelta(days=1), 9)
    people(opened + timedelta(days=3), 1)
    people(opened + timedelta(days=3), 100, pin_code="673001")  # 300 km away: not near

    (change,) = planning.openings(weeks=2, today=today)

    assert (change.before_searches, change.after_searches) == (5, 7)
    assert (change.before_turned_away, change.after_turned_away) == (9, 1)
    assert change.after_days == 10


def test_staff_who_see_every_centre_alone_may_plan(client, kerala, staff_user, manager):
    from django.contrib.auth.models import Permission

    assert client.get(URL).status_code == 302  # to the login

    force_login_staff(client, UserFactory(email="someone@example.com"))
    assert client.get(URL).status_code == 302

    # A centre manager given the permission by mistake still finds nothing: demand is the
    # whole network's.
    manager.user_permissions.add(Permission.objects.get(codename="view_searchdaily"))
    force_login_staff(client, manager)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403

    force_login_staff(client, _staff("bare@kdisc.example"))
    assert client.get(URL).status_code == 403

    force_login_staff(client, staff_user)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    "query",
    [{"from": "2026-13-01"}, {"by": "everything"}, {"weeks": "0"}, {"district": "XXX"}],
)
def test_bad_input_is_a_clear_400(client, db, staff_user, query):
    force_login_staff(client, staff_user)

    answer = client.get(URL, query)

    assert answer.status_code == 400
    assert next(iter(query)) in answer.content.decode()


def test_the_view_is_in_malayalam_for_a_malayalam_reader(client, kerala, staff_user):
    staff_user.language = "ml"
    staff_user.save(update_fields=["language"])
    force_login_staff(client, staff_user)
    client.cookies["django_language"] = "ml"

    page = client.get(URL).content.decode()
    table = client.get(URL, {"format": "csv"}).content.decode()

    for text in (page, table.splitlines()[0]):
        assert re.search("[\u0d00-\u0d7f]{3}", text)
