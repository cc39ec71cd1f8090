"""`make bench-http`: the portal and the bare baseline under gunicorn, driven by wrk.

For the baseline and then each data size: make the database ready (created, migrated and
loaded once; its COMMENT remembers what was loaded), sign the bench people in, start
gunicorn with the production settings, check each scenario answers what it should with
one request, then warm up and measure it with wrk; last, count the SQL queries per page.
It prints a markdown table and leaves results.json and summary.md in the results folder.
Only 127.0.0.1 is bound; every server it starts is stopped before it returns.
"""

import hashlib
import json
import os
import secrets
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import cpu, report
from .databases import (
    clear_bench_bookings,
    data_mark,
    database_exists,
    database_name,
    fill_hot_centre,
    on_server,
    sql,
)
from .scenarios import BASELINE, PORTAL, Scenario
from .servers import drain, gunicorn, log

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
LUA = Path(__file__).with_name("wrk.lua")
# Bump when the loader makes different data: databases loaded by an older one are reloaded.
DATA_VERSION = 1
BASELINE_SEATS = {"tiny": 1_000}  # else 100,000


@dataclass
class Knobs:
    sizes: list[str]
    duration: float
    warmup: float
    conns: int
    threads: int
    radius: int
    out: Path
    server: str  # PostgreSQL without a database name
    redis_url: str
    port: int
    runs: int = 1
    settings: str = "wnh.settings"  # the portal's processes' DJANGO_SETTINGS_MODULE
    # A manage.py command run after each load (say, one that rebuilds counts kept in Python).
    after_load: str = ""
    databases: dict[str, str] = field(default_factory=dict)  # size (or "baseline") to URL
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    def database(self, name: str) -> tuple[str, bool]:
        """The URL for `name`, and whether the bench owns it (may drop and re-create it)."""
        if name in self.databases:
            return self.databases[name], False
        return f"{self.server.rstrip('/')}/wnh_bench_{name}", True


def run(knobs: Knobs) -> dict:
    knobs.out.mkdir(parents=True, exist_ok=True)
    results: dict = {"knobs": knobs_summary(knobs), "baseline": {}, "sizes": {}, "queries": {}}
    started = time.perf_counter()
    collect_static(knobs)
    # Every database first, so the measured runs follow each other (a load takes minutes).
    urls = {size: prepare_portal(knobs, size) for size in knobs.sizes}
    results["baseline"] = bench_baseline(knobs)
    for size, url in urls.items():
        results["sizes"][size], results["queries"][size] = bench_portal(knobs, size, url)
    results["seconds"] = round(time.perf_counter() - started, 1)
    (knobs.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    summary = report.markdown(results)
    (knobs.out / "summary.md").write_text(summary)
    print(summary)
    return results


def knobs_summary(knobs: Knobs) -> dict:
    return {
        "sizes": knobs.sizes,
        "duration_s": knobs.duration,
        "warmup_s": knobs.warmup,
        "conns": knobs.conns,
        "threads": knobs.threads,
        "runs": knobs.runs,
        "radius_km": knobs.radius,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
    }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    return f"{os.cpu_count()} cores, {cpu}, load {os.getloadavg()[0]:.2f}"


# Environments ----------------------------------------------------------------------------


def portal_env(knobs: Knobs, database_url: str) -> dict:
    """The production settings (wnh/settings.py fails closed without them), on loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": knobs.settings,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": knobs.secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
        "WNH_VAR_DIR": str(ROOT / "var" / "bench"),
        "DATABASE_URL": database_url,
        "REDIS_URL": knobs.redis_url,
        "PYTHONPATH": str(ROOT),
    }


def development_env(knobs: Knobs, database_url: str) -> dict:
    """For the loader and migrate: management work runs in debug mode (HELPERS.md)."""
    return {**portal_env(knobs, database_url), "DJANGO_DEBUG": "true"}


def baseline_env(knobs: Knobs, database_url: str, seats: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.http.baseline.settings",
        "DJANGO_SECRET_KEY": knobs.secret_key,
        "DATABASE_URL": database_url,
        "BASELINE_SEATS": str(seats),
        "PYTHONPATH": str(ROOT),
    }


def python(*args: str, env: dict, timeout: float = 3600) -> None:
    began = time.perf_counter()
    subprocess.run([PYTHON, *args], cwd=ROOT, env=env, check=True, timeout=timeout)  # noqa: S603
    log(f"{' '.join(args[:3])}: {time.perf_counter() - began:.1f} s")


def collect_static(knobs: Knobs) -> None:
    """DEBUG off serves the collected, hashed files (whitenoise's manifest): pages need
    them. Collected again only when the project's static files or packages changed."""
    env = portal_env(knobs, knobs.database("baseline")[0])  # no query is made
    manifest = Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json"
    sources = [ROOT / "requirements.txt", *(ROOT / "static").rglob("*")]
    if manifest.exists() and all(
        source.stat().st_mtime < manifest.stat().st_mtime for source in sources
    ):
        return
    python("manage.py", "collectstatic", "--noinput", "-v0", env=env)


# Databases --------------------------------------------------------------------------------


def prepare_portal(knobs: Knobs, size: str) -> str:
    """A database with `size` loaded: loaded now unless its COMMENT says it was this week.
    A database the bench owns is dropped and made again; one it was given (the test
    suite's) must be migrated already and is loaded only when it has no bench data."""
    url, owned = knobs.database(size)
    mark = f"wnh bench v{DATA_VERSION} size={size} schema={schema()}"
    if owned:
        current = data_mark(url) if database_exists(url) else ""
        if current.startswith(mark) and fresh(current):
            log(f"{database_name(url)}: {current}")
            return url
        log(f"{database_name(url)}: made again for {size} (was: {current or 'nothing'})")
        name = database_name(url)
        sql(on_server(url), f'DROP DATABASE IF EXISTS "{name}"')
        sql(on_server(url), f'CREATE DATABASE "{name}"')
        python("manage.py", "migrate", "--noinput", "-v0", env=development_env(knobs, url))
    elif sql(url, "SELECT 1 FROM centres_centre WHERE slug LIKE 'bench-%%'", fetch=True):
        return url
    began = time.perf_counter()
    python("-m", "bench.http", "load", "--size", size, env=development_env(knobs, url))
    if knobs.after_load:
        python("manage.py", *shlex.split(knobs.after_load), env=development_env(knobs, url))
    loaded = f"{mark} loaded={time.strftime('%Y-%m-%d')}"
    log(f"{size} loaded in {time.perf_counter() - began:.0f} s")
    if owned:
        sql(url, f'COMMENT ON DATABASE "{database_name(url)}" IS %s', [loaded])
    return url


def schema() -> str:
    """The apps' migrations, in short: a database loaded before a new migration is loaded
    again, so whatever the migration adds (a table of counts, say) is filled by the load."""
    names = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("*/migrations/[0-9]*.py"))
    return hashlib.sha1("\n".join(names).encode(), usedforsecurity=False).hexdigest()[:10]


def fresh(mark: str) -> bool:
    """Loaded within the last week: the bookings are laid out around the day of the load."""
    loaded = mark.rsplit("loaded=", 1)[-1]
    try:
        age = time.time() - time.mktime(time.strptime(loaded, "%Y-%m-%d"))
    except ValueError:
        return False
    return age < 7 * 86400


def prepare_baseline(knobs: Knobs, seats: int) -> str:
    url, owned = knobs.database("baseline")
    if owned and not database_exists(url):
        sql(on_server(url), f'CREATE DATABASE "{database_name(url)}"')
    env = baseline_env(knobs, url, seats)
    python("-m", "django", "migrate", "--noinput", "-v0", env=env)
    have = sql(url, "SELECT count(*) FROM baseline_seat", fetch=True)[0][0]
    if have != seats:
        sql(url, "TRUNCATE baseline_booking, baseline_seat RESTART IDENTITY")
        sql(
            url,
            "INSERT INTO baseline_seat (label) SELECT 'S' || g FROM generate_series(1, %s) g",
            [seats],
        )
    sql(url, "VACUUM ANALYZE baseline_seat")
    return url


# Servers -------------------------------------------------------------------------------


def preflight(scenario: Scenario, *, port: int, data: Path | None, meta: dict) -> int:
    """One request the way wrk sends it: its answer must be served, and a page must show
    the person signed in (a lost session would measure the sign-in page instead)."""
    headers, body, method = {}, None, "GET"
    path = {"hello": "/hello", "one": "/one", "insert": "/insert", "healthz": "/healthz"}.get(
        scenario.name
    )
    if data is not None and path is None:
        session, secret, token = (data / "people.tsv").read_text().splitlines()[0].split("\t")
        headers = {"Cookie": f"sessionid={session}; csrftoken={secret}", "X-CSRFToken": token}
        day, centre = meta["day"], meta["hot_centre"]
        path = {
            "near": f"/api/centres/?day={day}",
            "near_radius": f"/api/centres/?day={day}&radius=20",
            "near_html": f"/centres/?day={day}",
            "seat_map": f"/centres/{centre}/?day={day}",
        }.get(scenario.name, "/api/bookings/")
        if scenario.books:
            method = "POST"
            headers["Content-Type"] = "application/json"
            body = json.dumps({"centre": centre, "day": day}).encode()
    if scenario.name == "insert":
        method = "POST"
    request = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{port}{path}", data=body, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
            status, page = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, page = error.code, error.read().decode()
    if status not in scenario.served:
        raise SystemExit(f"{scenario.name}: {method} {path} answered {status}: {page[:300]}")
    if scenario.name in ("near_html", "seat_map") and "/accounts/logout/" not in page:
        raise SystemExit(f"{scenario.name}: {path} does not show the person signed in")
    return status


def wrk(scenario: Scenario, *, knobs: Knobs, seconds: float, data: Path | None, meta: dict):
    env = {
        **os.environ,
        "BENCH_MODE": scenario.name,
        "BENCH_DATA": str(data or ""),
        "BENCH_DAY": meta.get("day", ""),
        "BENCH_HOT_CENTRE": meta.get("hot_centre", ""),
        "BENCH_RADIUS": str(knobs.radius),
    }
    command = [
        "wrk",
        f"-t{min(knobs.threads, knobs.conns)}",
        f"-c{knobs.conns}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{knobs.port}",
    ]
    finished = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, timeout=seconds + 120, check=True
    )
    line = next((line for line in finished.stdout.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result for {scenario.name}:\n{finished.stdout}")
    return json.loads(line.removeprefix("BENCH "))


def measure(scenario: Scenario, *, knobs: Knobs, url: str, app: int, data=None, meta=None) -> dict:
    """Preflight, warm-up, then RUNS measured runs: the one with the median rate is kept,
    with the rate of each run beside it."""
    meta = meta or {}
    cheap = "/healthz" if data is not None else "/hello"
    if scenario.books:
        clear_bench_bookings(url)
    if scenario.name == "hot_spot":
        log(f"hot spot: {fill_hot_centre(url, meta)} seats of {meta['hot_centre']} filled")
    sql(url, "CHECKPOINT")  # not in the middle of the measured seconds
    status = preflight(scenario, port=knobs.port, data=data, meta=meta)
    if knobs.warmup > 0:
        wrk(scenario, knobs=knobs, seconds=knobs.warmup, data=data, meta=meta)
        drain(knobs.port, cheap)
    runs = []
    for _ in range(knobs.runs):
        with cpu.cores(app=app, url=url) as used:
            figures = wrk(scenario, knobs=knobs, seconds=knobs.duration, data=data, meta=meta)
        runs.append({**figures, **used})
        drain(knobs.port, cheap)
    runs.sort(key=report.rate)
    figures = runs[len(runs) // 2]
    figures.update(
        label=scenario.label,
        preflight=status,
        served=sorted(scenario.served),
        rates=[round(report.rate(run), 1) for run in runs],
    )
    log(f"{scenario.name}: {report.one_line(figures)}")
    return figures


def bench_baseline(knobs: Knobs) -> dict:
    seats = min((BASELINE_SEATS.get(size, 100_000) for size in knobs.sizes), default=100_000)
    url = prepare_baseline(knobs, seats)
    results = {}
    env = baseline_env(knobs, url, seats)
    log_file = knobs.out / "baseline.log"
    with gunicorn(
        "bench.http.baseline.wsgi:application",
        env=env,
        port=knobs.port,
        log_file=log_file,
        ready="/hello",
    ) as app:
        for scenario in BASELINE:
            if scenario.name == "insert":
                sql(url, "TRUNCATE baseline_booking")
            results[scenario.name] = measure(scenario, knobs=knobs, url=url, app=app)
    return results


def bench_portal(knobs: Knobs, size: str, url: str) -> tuple[dict, dict]:
    data = knobs.out / size
    env = portal_env(knobs, url)
    python("-m", "bench.http", "clients", "--out", str(data), env=env)
    meta = json.loads((data / "meta.json").read_text())
    results = {}
    try:
        with gunicorn(
            "wnh.wsgi:application",
            env=env,
            port=knobs.port,
            log_file=knobs.out / f"portal-{size}.log",
            ready="/healthz",
        ) as app:
            for scenario in PORTAL:
                results[scenario.name] = measure(
                    scenario, knobs=knobs, url=url, app=app, data=data, meta=meta
                )
        # Right after the hot spot filled its centre: that booking's count is the refusal's.
        counts = data / "queries.json"
        python("-m", "bench.http", "queries", "--data", str(data), "--out", str(counts), env=env)
        queries = json.loads(counts.read_text())
    finally:
        clear_bench_bookings(url)
    return results, queries
