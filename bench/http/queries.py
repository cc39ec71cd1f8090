"""SQL queries a page costs, one request at a time, in the full middleware stack.

django.test.Client sends each request through every middleware the portal runs, signed in
as a bench person (the session clients.py made); CaptureQueriesContext counts the queries.
Each GET is asked twice and the second is counted, so a process's first-request work is
left out. The counts must not grow with the data: the table puts the sizes side by side.
"""

import json
import time
from importlib import import_module
from itertools import chain
from pathlib import Path

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bookings.models import SeatBooking
from centres.models import Seat

from .scenarios import PORTAL


def count_queries(*, data: Path) -> dict:
    meta = json.loads((data / "meta.json").read_text())
    people = [line.split("\t") for line in (data / "people.tsv").read_text().splitlines()]
    centres = (data / "centres.txt").read_text().split()
    days = (data / "days.txt").read_text().split()
    day, later = meta["day"], days[-1]
    # The hot spot asks as someone with no booking on its day, so its answer is the full
    # centre's refusal (when the wrk run filled it), not "you have a seat that day".
    free_people = (
        row
        for row in people
        if not SeatBooking.objects.filter(
            user_id=person_of(row[0]), day__in=[day, later], status__in=SeatBooking.ACTIVE
        ).exists()
    )
    seat = free_seat(slug=centres[-1], day=later)
    requests = {
        "healthz": ("get", "/healthz", None),
        "near": ("get", f"/api/centres/?day={day}", None),
        "near_radius": ("get", f"/api/centres/?day={day}&radius=20", None),
        "near_html": ("get", f"/centres/?day={day}", None),
        "seat_map": ("get", f"/centres/{centres[-1]}/?day={day}", None),
        "book_any": ("post", "/api/bookings/", {"centre": centres[0], "day": later}),
        "book_seat": (
            "post",
            "/api/bookings/",
            {"centre": centres[-1], "day": later, "seat": seat},
        ),
        "hot_spot": ("post", "/api/bookings/", {"centre": meta["hot_centre"], "day": day}),
    }
    counted = {}
    free_people = chain(free_people, [None])
    for scenario in PORTAL:
        method, path, body = requests[scenario.name]
        client = Client()
        if scenario.name != "healthz":  # a load balancer's check carries no cookies
            person = next(free_people)
            if person is None:
                raise SystemExit("Every bench person has a booking on the days asked.")
            session_key, csrf_secret, _ = person
            client.cookies["sessionid"] = session_key
            client.cookies["csrftoken"] = csrf_secret
        client.get("/api/bookings/")  # the process is warm, the session cached if it can be
        if method == "get":
            client.get(path)
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            if method == "get":
                answer = client.get(path)
            else:
                answer = client.post(path, body, content_type="application/json")
            milliseconds = (time.perf_counter() - began) * 1000
        counted[scenario.name] = {
            "queries": len(queries),
            "status": answer.status_code,
            "ms": round(milliseconds, 1),
        }
    return counted


def person_of(session_key: str) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return int(store(session_key=session_key).load()[SESSION_KEY])


def free_seat(*, slug: str, day: str) -> int:
    taken = SeatBooking.objects.filter(day=day, status__in=SeatBooking.ACTIVE).values("seat")
    return (
        Seat.objects.filter(pod__centre__slug=slug, is_active=True, pod__is_active=True)
        .exclude(pk__in=taken)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
