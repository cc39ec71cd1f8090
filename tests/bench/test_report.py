"""The bench's table: what counts as served, and each rate against the baseline's."""

from bench.http.report import counts, markdown, unserved


def figures(statuses: dict, *, served=(200,), socket_errors=0, label="x") -> dict:
    return {
        "requests": sum(statuses.values()),
        "seconds": 2.0,
        "p50_ms": 1.0,
        "p99_ms": 2.0,
        "socket_errors": socket_errors,
        "timeouts": 0,
        "statuses": {str(status): n for status, n in statuses.items()},
        "served": list(served),
        "label": label,
    }


def test_a_409_is_served_where_a_refusal_is_the_right_answer():
    booking = figures({201: 10, 409: 30}, served=(201, 409))

    assert counts(booking) == (30, 30, 0)
    assert unserved(booking) == 0


def test_a_5xx_or_a_lost_connection_is_never_served():
    booking = figures({201: 10, 503: 2}, served=(201, 409), socket_errors=1)

    assert counts(booking) == (2, 0, 2)
    assert unserved(booking) == 3


def test_the_table_puts_each_rate_against_the_baseline_insert_and_select():
    results = {
        "knobs": {
            "when": "2026-12-01 12:00 UTC",
            "machine": "2 cores",
            "threads": 2,
            "conns": 32,
            "warmup_s": 3,
            "duration_s": 15,
        },
        "baseline": {
            "one": figures({200: 4000}),
            "insert": figures({201: 2000}, served=(201, 409)),
        },
        "sizes": {"small": {"near": figures({200: 1000})}},
        "queries": {"small": {"near": {"queries": 3, "status": 200, "ms": 12.0}}},
    }

    table = markdown(results)

    assert "| GET /api/centres/ near home | small | 500 |" in table
    assert "| 50% | 25% |" in table
    assert "| GET /api/centres/ near home | 3 (200, 12 ms) |" in table
