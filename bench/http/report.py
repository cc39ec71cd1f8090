"""The bench's tables in markdown: rates, latencies, answers and queries per page."""

from .scenarios import BASELINE, PORTAL


def counts(figures: dict) -> tuple[int, int, int]:
    """Answers that were not 2xx, of them 409s, and 5xx."""
    statuses = {int(status): n for status, n in figures["statuses"].items()}
    not_2xx = sum(n for status, n in statuses.items() if not 200 <= status < 300)
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    return not_2xx, statuses.get(409, 0), server_errors


def rate(figures: dict) -> float:
    return figures["requests"] / figures["seconds"] if figures["seconds"] else 0.0


def unserved(figures: dict) -> int:
    """Answers outside the scenario's served ones, and requests with no answer at all."""
    served = set(figures["served"])
    wrong = sum(n for status, n in figures["statuses"].items() if int(status) not in served)
    return wrong + figures["socket_errors"] + figures["timeouts"]


def one_line(figures: dict) -> str:
    not_2xx, conflicts, server_errors = counts(figures)
    return (
        f"{rate(figures):,.0f}/s p50 {figures['p50_ms']:.1f} ms p99 {figures['p99_ms']:.1f} ms "
        f"non-2xx {not_2xx} (409 {conflicts}) 5xx {server_errors} "
        f"socket errors {figures['socket_errors']}"
    )


def ratio(value: float, against: float | None) -> str:
    return f"{100 * value / against:.0f}%" if against else "-"


def markdown(results: dict) -> str:
    knobs = results["knobs"]
    baseline = results["baseline"]
    insert = rate(baseline["insert"]) if "insert" in baseline else None
    select = rate(baseline["one"]) if "one" in baseline else None
    lines = [
        f"## HTTP bench, {knobs['when']}",
        "",
        f"{knobs['machine']}; wrk -t{knobs['threads']} -c{knobs['conns']}, "
        f"{knobs['warmup_s']:g} s warm-up, {knobs['duration_s']:g} s measured "
        f"(the median of {knobs.get('runs', 1)} run(s)); "
        "gunicorn -w 2 -k sync, DEBUG off.",
        "",
        "| request | data | req/s | p50 ms | p99 ms | non-2xx | 409 | 5xx | unserved "
        "| / 1 INSERT | / 1 SELECT | app cores | pg cores |",
        "| --- | --- |" + " ---: |" * 11,
    ]
    rows = [(scenario, "-", baseline.get(scenario.name)) for scenario in BASELINE]
    for size, figures in results["sizes"].items():
        rows += [(scenario, size, figures.get(scenario.name)) for scenario in PORTAL]
    for scenario, size, figures in rows:
        if figures is None:
            continue
        not_2xx, conflicts, server_errors = counts(figures)
        lines.append(
            f"| {scenario.label} | {size} | {rate(figures):,.0f} | {figures['p50_ms']:,.1f} "
            f"| {figures['p99_ms']:,.1f} | {not_2xx:,} | {conflicts:,} | {server_errors:,} "
            f"| {unserved(figures):,} | {ratio(rate(figures), insert)} "
            f"| {ratio(rate(figures), select)} | {figures.get('app_cores', '-')} "
            f"| {figures.get('pg_cores', '-')} |"
        )
    lines += between_sizes(results["sizes"])
    lines += targets(results, insert=insert)
    queries = results["queries"]
    if queries:
        sizes = list(queries)
        lines += [
            "",
            "SQL queries per request, one request at a time in the full middleware stack "
            "(answer status, milliseconds):",
            "",
            "| page | " + " | ".join(sizes) + " |",
            "| --- |" + " ---: |" * len(sizes),
        ]
        for scenario in PORTAL:
            cells = []
            for size in sizes:
                page = queries[size].get(scenario.name)
                cells.append(
                    f"{page['queries']} ({page['status']}, {page['ms']:.0f} ms)" if page else "-"
                )
            lines.append(f"| {scenario.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def between_sizes(sizes: dict) -> list[str]:
    """The first size against the last (small against kerala): what grows with the data."""
    if len(sizes) < 2:
        return []
    (first, low), (last, high) = list(sizes.items())[0], list(sizes.items())[-1]
    lines = [
        "",
        f"| request | {first} | {last} | {last} / {first} (p50) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for scenario in PORTAL:
        a, b = low.get(scenario.name), high.get(scenario.name)
        if a and b:
            growth = b["p50_ms"] / a["p50_ms"] if a["p50_ms"] else 0
            lines.append(
                f"| {scenario.label} | {rate(a):,.0f}/s, p50 {a['p50_ms']:,.0f} ms "
                f"| {rate(b):,.0f}/s, p50 {b['p50_ms']:,.0f} ms | {growth:.1f}x |"
            )
    return lines


def targets(results: dict, *, insert: float | None) -> list[str]:
    """Issue 15's targets, each as measured: met or not."""
    sizes = results["sizes"]
    if "kerala" not in sizes:
        return []
    kerala, small = sizes["kerala"], sizes.get("small", {})
    checks = []
    for name in ("near", "near_html"):
        if name in kerala and name in small:
            k, s = kerala[name], small[name]
            checks.append(
                (
                    f"{name}: p50 at kerala at most 1.2x small, at least 150/s",
                    f"{k['p50_ms'] / s['p50_ms']:.1f}x, {rate(k):,.0f}/s",
                    k["p50_ms"] <= 1.2 * s["p50_ms"] and rate(k) >= 150,
                )
            )
    if insert and "book_any" in kerala and "hot_spot" in kerala:
        booking = min(rate(kerala["book_any"]), rate(kerala["book_seat"]))
        hot = kerala["hot_spot"]
        checks.append(
            (
                "bookings at kerala: at least 50% of the bare INSERT",
                ratio(booking, insert),
                booking >= insert / 2,
            )
        )
        checks.append(
            (
                "hot spot: at least the spread booking rate, no 5xx",
                f"{rate(hot):,.0f}/s against {booking:,.0f}/s, {counts(hot)[2]} 5xx",
                rate(hot) >= booking and counts(hot)[2] == 0,
            )
        )
    for size, figures in sizes.items():
        if "seat_map" in figures:
            checks.append(
                (
                    f"seat map at {size}: at least 500/s",
                    f"{rate(figures['seat_map']):,.0f}/s",
                    rate(figures["seat_map"]) >= 500,
                )
            )
    checks += query_targets(results["queries"])
    lines = ["", "| target | measured | met |", "| --- | --- | --- |"]
    for what, measured, met in checks:
        lines.append(f"| {what} | {measured} | {'yes' if met else 'no'} |")
    return lines


def query_targets(queries: dict) -> list[tuple[str, str, bool]]:
    per_size = {
        size: {name: page["queries"] for name, page in pages.items()}
        for size, pages in queries.items()
    }
    if not per_size:
        return []
    seen = list(per_size.values())
    same = all(counted == seen[0] for counted in seen)
    checks = [("SQL queries per request identical at every size", "yes" if same else "no", same)]
    for name in ("book_any", "book_seat"):
        most = max(counted.get(name, 0) for counted in seen)
        checks.append((f"{name}: at most 8 SQL queries", str(most), most <= 8))
    return checks
