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
