"""What the HTTP bench asks for: one scenario a wrk mode (bench/http/wrk.lua)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str  # the wrk mode
    label: str
    served: frozenset[int]  # the answers that count as served (409: refused, correctly)
    books: bool = False  # the bench people's bookings are cleared before it runs


def scenario(name: str, label: str, *served: int, books: bool = False) -> Scenario:
    return Scenario(name, label, frozenset(served), books)


BASELINE = [
    scenario("hello", "baseline: JSON, no database", 200),
    scenario("one", "baseline: one SELECT by pk", 200),
    scenario("insert", "baseline: one INSERT (unique seat-day)", 201, 409),
]
PORTAL = [
    scenario("healthz", "GET /healthz", 200),
    scenario("near", "GET /api/centres/ near home", 200),
    scenario("near_radius", "GET /api/centres/?radius=20", 200),
    scenario("near_html", "GET /centres/ (HTML near me)", 200),
    scenario("seat_map", "GET /centres/<slug>/ (seat map)", 200),
    scenario("book_any", "POST /api/bookings/ any seat", 201, 409, books=True),
    scenario("book_seat", "POST /api/bookings/ a chosen seat", 201, 409, books=True),
    scenario("hot_spot", "POST /api/bookings/ everyone at one full centre", 201, 409, books=True),
]
