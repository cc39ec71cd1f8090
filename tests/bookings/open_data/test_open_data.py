"""/open-data/ and its files: figures that agree with the rows, no personal data, small
numbers as a band, a query count that does not grow with the network, light on a phone."""

import csv
import gzip
import io
import math
import random
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import OccupancyDaily, SeatBooking, TurnedAway, TurnedAwayDaily
from bookings.open_data.selectors import Periods
from bookings.operations import demand, occupancy
from centres.models import Centre, District, Pod
from tests import ROOT_DIR
from tests.support.clock import at
from tests.support.factories import CentreFactory, PodFactory, SeatBookingFactory, UserFactory
from wnh import weekdays

pytestmark = pytest.mark.django_db

Kind = TurnedAway.Kind
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?<!\d)(?:\+91[ -]?)?[6-9]\d{9}(?!\d)")


def open_centre(name, district=District.KOLLAM, pods=(6,), **extra):
    centre = CentreFactory(
        name=name,
        district=district,
        open_weekdays=weekdays.ALL_DAYS,
        opened_on=date(2026, 1, 19),
        **extra,
    )
    for n, capacity in enumerate(pods):
        PodFactory(centre=centre, code=f"P{n}", capacity=capacity)
    return centre


@pytest.fixture
def people(db):
    return [
        UserFactory(
            email=f"person{n}@example.com",
            full_name=f"Anjali Menon{n} Kottarathil",
            phone=f"+9198470{n:05d}",
        )
        for n in range(24)
    ]


@pytest.fixture
def network(db, today, people):
    """Two busy centres and a quiet one (3 bookings this month), a planned and an
    under-construction centre, 40 days of bookings rolled up, and people turned away."""
    rng = random.Random(2026)
    busy = [
        open_centre("Kottarakkara", pods=(6, 4), host_kind=Centre.HostKind.LOCAL_GOVERNMENT),
        open_centre(
            "Kalamassery",
            District.ERNAKULAM,
            pods=(8,),
            pin_code="683104",
            host_kind=Centre.HostKind.POLYTECHNIC,
            host_name="Government Polytechnic",
        ),
    ]
    quiet = open_centre("Quiet corner", pods=(4,), host_kind=Centre.HostKind.ITI)
    CentreFactory(name="Planned one", status=Centre.Status.PLANNED, host_kind="college")
    CentreFactory(
        name="Being built", district=District.ERNAKULAM, status=Centre.Status.UNDER_CONSTRUCTION
    )
    first = today - timedelta(days=40)
    for n in range(40):
        day = first + timedelta(days=n)
        for offset, centre in zip((0, 10), busy, strict=True):
            seats = [seat for pod in centre.pods.all() for seat in pod.seats.all()]
            for number, seat in enumerate(seats):
                if rng.random() < 0.4:
                    continue
                status = rng.choice(["booked", "checked_in", "no_show", "cancelled"])
                SeatBookingFactory(user=people[offset + number], seat=seat, day=day, status=status)
    month_start = today.replace(day=1)
    quiet_seat = quiet.pods.get().seats.first()
    for n in range(3):
        SeatBookingFactory(
            user=people[20 + n], seat=quiet_seat, day=month_start + timedelta(days=n)
        )
    hour = timezone.now()
    records = []
    for _ in range(200):
        day = today - timedelta(days=rng.randrange(35))
        centre = rng.choice([*busy, None])
        if centre is None:
            records.append(
                TurnedAway(
                    kind=Kind.NO_CENTRE_NEAR,
                    pin_code="670141",
                    district=District.KANNUR,
                    day=day,
                    hour=hour,
                )
            )
        else:
            records.append(
                TurnedAway(
                    kind=Kind.NO_FREE_SEAT,
                    centre=centre,
                    district=centre.district,
                    local_body=centre.local_body,
                    pin_code=centre.pin_code,
                    day=day,
                    hour=hour,
                )
            )
    TurnedAway.objects.bulk_create(records)
    occupancy.rollup(first=first, last=today - timedelta(days=1))
    demand.rollup(first=today - timedelta(days=40), last=today + timedelta(days=7))
    return {"busy": busy, "quiet": quiet, "records": records}


def expected_occupancy(centre, first, last):
    """From the bookings themselves: booked (not cancelled) seat-days over seats × days."""
    booked = (
        SeatBooking.objects.filter(seat__pod__centre=centre, day__range=(first, last))
        .exclude(status="cancelled")
        .count()
    )
    seats = sum(pod.capacity for pod in centre.pods.all())
    seat_days = seats * ((last - first).days + 1)
    if 0 < booked < 5:  # a small number: the most it can be
        return "1-4", f"≤ {math.ceil(4 * 1000 / seat_days) / 10:.1f}"
    return booked, f"{booked * 100 / seat_days:.1f}"


def centres_by_slug(client):
    rows = csv.DictReader(io.StringIO(client.get("/open-data/centres.csv").content.decode()))
    return {row["centre"]: row for row in rows}


def test_the_files_agree_with_the_bookings_and_the_records(client, network, today):
    periods = Periods.ending(today)
    rows = centres_by_slug(client)
    as_json = {
        row["centre"]: row for row in client.get("/open-data/centres.json").json()["centres"]
    }

    for centre in network["busy"]:
        booked, percent = expected_occupancy(centre, *periods.last_30)
        turned_away = sum(
            1
            for r in network["records"]
            if r.centre == centre and periods.last_30[0] <= r.day <= periods.last_30[1]
        )
        row = rows[centre.slug]
        assert row["bookings_30_days"] == str(booked)
        assert row["occupancy_30_days_percent"] == percent
        assert row["people_turned_away_30_days"] == str(turned_away)
        assert row["seats"] == str(sum(p.capacity for p in centre.pods.all()))
        assert as_json[centre.slug]["bookings_30_days"] == booked
        assert as_json[centre.slug]["occupancy_30_days_percent"] == percent
    assert rows["planned-one"]["status"] == "planned"
    assert rows["planned-one"]["bookings_30_days"] == ""
    assert set(rows) == set(Centre.objects.values_list("slug", flat=True))


def test_the_page_agrees_with_the_bookings_and_the_records(client, network, today):
    periods = Periods.ending(today)
    page = client.get("/open-data/", {"district": District.KOLLAM})
    assert page.status_code == 200
    figures = {row.centre.slug: row for row in page.context["centres"]}

    kottarakkara = network["busy"][0]
    booked, percent = expected_occupancy(kottarakkara, *periods.last_30)
    assert figures[kottarakkara.slug].occupancy_30 == percent
    if periods.this_month:
        _, month_percent = expected_occupancy(kottarakkara, *periods.this_month)
        assert figures[kottarakkara.slug].occupancy_month == month_percent
    weeks = Counter()
    for record in network["records"]:
        for i, (first, last) in enumerate(periods.weeks):
            if record.centre == kottarakkara and first <= record.day <= last:
                weeks[i] += 1
    assert figures[kottarakkara.slug].weeks == [weeks[i] for i in range(len(periods.weeks))]
    html = page.content.decode()
    assert f">{percent}%<" in html

    network_rows = {row.code: row for row in page.context["districts"]}
    assert (network_rows["KLM"].open, network_rows["KLM"].planned) == (2, 1)
    assert (network_rows["EKM"].open, network_rows["EKM"].under_construction) == (1, 1)
    assert (network_rows["KLM"].seats, network_rows["KLM"].pods) == (14, 3)
    near_kannur = sum(
        1
        for r in network["records"]
        if r.centre is None and periods.last_30[0] <= r.day <= periods.last_30[1]
    )
    assert network_rows["KNR"].turned_away_30 == near_kannur


def test_a_centre_with_3_bookings_in_a_month_shows_a_band(clock, client, people):
    clock.move_to(at(2026, 12, 10, 9))
    quiet = open_centre("Quiet corner", pods=(4,), host_kind=Centre.HostKind.ITI)
    seat = quiet.pods.get().seats.first()
    for n in range(3):
        SeatBookingFactory(user=people[n], seat=seat, day=date(2026, 12, 1 + n))
    occupancy.rollup(first=date(2026, 11, 1), last=date(2026, 12, 9))

    page = client.get("/open-data/", {"district": District.KOLLAM})
    row = next(r for r in page.context["centres"] if r.centre == quiet)
    assert row.bookings_month == row.bookings_30 == "1-4"
    assert row.occupancy_month == "≤ 11.2"  # 4 of the 36 seat-days of 1 to 9 December
    assert ">3<" not in page.content.decode()
    assert centres_by_slug(client)[quiet.slug]["bookings_30_days"] == "1-4"
    month = client.get("/open-data/occupancy-2026-12.csv").content.decode()
    days = {r["day"]: r for r in csv.DictReader(io.StringIO(month)) if r["centre"] == quiet.slug}
    assert days["2026-12-01"]["bookings"] == "1-4"
    assert days["2026-12-05"]["bookings"] == "0"
    assert len(days) == 9


def test_the_daily_file_has_every_open_centre_day_of_the_month(client, network, today):
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    answer = client.get(f"/open-data/occupancy-{last_month:%Y-%m}.csv")

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    busy = network["busy"][0]
    day = today - timedelta(days=35)
    if day.month == last_month.month:
        row = next(r for r in rows if r["centre"] == busy.slug and r["day"] == day.isoformat())
        booked = (
            SeatBooking.objects.filter(seat__pod__centre=busy, day=day)
            .exclude(status="cancelled")
            .count()
        )
        assert row["bookings"] == (str(booked) if booked >= 5 or booked == 0 else "1-4")


@pytest.mark.parametrize("month", ["2026-13", "26-01", "2025-12", "2099-01", "nonsense"])
def test_a_bad_month_is_a_400_with_a_message(client, month):
    answer = client.get(f"/open-data/occupancy-{month}.csv")

    assert answer.status_code == 400
    assert "YYYY-MM" in answer.content.decode()


def test_an_unknown_district_is_a_400_with_a_message(client, db):
    answer = client.get("/open-data/", {"district": "XYZ"})

    assert answer.status_code == 400
    assert "There is no such district." in answer.content.decode()


def test_no_open_data_answer_holds_personal_data(client, network, people, today):
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    answers = [
        client.get("/open-data/"),
        *(client.get("/open-data/", {"district": code}) for code in District.values),
        client.get("/open-data/centres.csv"),
        client.get("/open-data/centres.json"),
        client.get(f"/open-data/occupancy-{today:%Y-%m}.csv"),
        client.get(f"/open-data/occupancy-{last_month:%Y-%m}.csv"),
    ]
    for answer in answers:
        assert answer.status_code == 200
        text = answer.content.decode()
        assert not PHONE.search(text)
        found_emails = set(EMAIL.findall(text))
        for person in people:
            assert person.email not in text
            assert person.full_name not in text
            assert person.full_name.split()[1] not in text
            assert person.phone not in text
            assert person.phone[-10:] not in text
        assert not {e for e in found_emails if "example.com" in e}


def test_the_page_is_in_malayalam_for_a_malayalam_reader(client, network):
    page = client.get("/open-data/", {"district": District.KOLLAM}, HTTP_ACCEPT_LANGUAGE="ml")

    assert page.status_code == 200
    assert re.search("[\u0d00-\u0d7f]", page.content.decode())
    assert 'lang="ml"' in page.content.decode()


def grow(extra: int, today, name: str = "More"):
    """`extra` more open centres in Kollam, each with a pod, a day's figures and a refusal."""
    for n in range(extra):
        centre = open_centre(f"{name} {n}", pods=(4,))
        TurnedAway.objects.create(
            kind=Kind.NO_FREE_SEAT,
            centre=centre,
            district="KLM",
            day=today - timedelta(days=2),
            hour=centre.created_at,
        )
    occupancy.rollup(first=today - timedelta(days=3), last=today - timedelta(days=1))
    demand.rollup(first=today - timedelta(days=3), last=today)


@pytest.mark.parametrize(
    "url",
    [
        "/open-data/",
        "/open-data/?district=KLM",
        "/open-data/centres.csv",
        "/open-data/centres.json",
        "/open-data/occupancy-{month}.csv",
    ],
)
def test_the_queries_do_not_grow_with_the_network(
    client, network, today, url, django_assert_max_num_queries
):
    url = url.format(month=f"{today:%Y-%m}")
    grow(3, today)
    with django_assert_max_num_queries(8) as few:
        assert client.get(url).status_code == 200
    grow(60, today, "Yet more")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes()))


def test_a_district_of_120_centres_stays_under_30_kb_on_a_phone(client, network, today):
    grow(120, today)
    page = client.get("/open-data/", {"district": District.KOLLAM}, HTTP_ACCEPT_LANGUAGE="ml")
    assert page.status_code == 200

    weight = len(gzip.compress(page.content))
    weight += gzipped(ROOT_DIR / "static/css/wnh.css") + gzipped(ROOT_DIR / "static/js/menu.js")
    assert weight < 30_000, weight


def test_the_footer_and_the_sitemap_link_the_open_data(client, db):
    assert reverse("open_data:page") in client.get("/about/").content.decode()
    assert "/open-data/</loc>" in client.get("/sitemap.xml").content.decode()


def state_size(today, centres: int = 1_250) -> None:
    """The network the budget plans: 1,250 open centres across the districts, each with a
    pod, 30 days of figures and some people turned away (rows written in bulk)."""
    codes = District.values
    made = Centre.objects.bulk_create(
        Centre(
            name=f"State {n:04d}",
            slug=f"state-{n:04d}",
            district=codes[n % len(codes)],
            local_body=f"Local body {n % 300}",
            address="A college campus",
            pin_code="691506",
            latitude=Decimal("9.0"),
            longitude=Decimal("76.77"),
            host_kind=Centre.HostKind.COLLEGE,
            status=Centre.Status.OPEN,
            open_weekdays=weekdays.ALL_DAYS,
        )
        for n in range(centres)
    )
    Pod.objects.bulk_create(Pod(centre=c, code="A", capacity=12) for c in made)
    now = timezone.now()
    OccupancyDaily.objects.bulk_create(
        OccupancyDaily(
            centre=c,
            day=today - timedelta(days=back),
            seats=12,
            booked=(c.pk + back) % 13,
            checked_in=0,
            no_shows=0,
            cancelled=0,
            pod_days_reserved=0,
            computed_at=now,
        )
        for c in made
        for back in range(1, 31)
    )
    TurnedAwayDaily.objects.bulk_create(
        TurnedAwayDaily(
            centre=c,
            district=c.district,
            day=today - timedelta(days=back),
            kind=Kind.NO_FREE_SEAT,
            people=c.pk % 9,
            computed_at=now,
        )
        for c in made
        for back in (1, 8, 15)
    )


def test_at_state_size_the_page_asks_as_many_queries_and_stays_light(
    client, network, today, django_assert_max_num_queries
):
    urls = ["/open-data/", "/open-data/?district=EKM", "/open-data/centres.csv"]
    small = {}
    for url in urls:
        with django_assert_max_num_queries(8) as counted:
            client.get(url)
        small[url] = len(counted.captured_queries)

    state_size(today)

    for url in urls:
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200
    busiest = client.get("/open-data/?district=EKM", HTTP_ACCEPT_LANGUAGE="ml")
    weight = len(gzip.compress(busiest.content))
    weight += gzipped(ROOT_DIR / "static/css/wnh.css") + gzipped(ROOT_DIR / "static/js/menu.js")
    assert len(busiest.context["centres"]) > 90
    assert weight < 30_000, weight
