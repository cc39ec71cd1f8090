"""python -m bench.http run | load | clients | queries (bench/README.md)."""

import argparse
import json
import os
import sys
import time
from pathlib import Path


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wnh.settings")
    import django

    django.setup()


def knob(name: str, default: str) -> str:
    return os.environ.get(name) or default


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http", description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)

    run = steps.add_parser("run", help="the whole bench: baseline, then each size")
    run.add_argument("--sizes", default=knob("SIZES", "small,kerala"))
    run.add_argument("--duration", type=float, default=float(knob("DURATION", "15")))
    run.add_argument("--warmup", type=float, default=float(knob("WARMUP", "3")))
    run.add_argument("--conns", type=int, default=int(knob("CONNS", "32")))
    run.add_argument("--threads", type=int, default=int(knob("THREADS", "2")))
    run.add_argument("--runs", type=int, default=int(knob("RUNS", "1")))
    run.add_argument("--radius", type=int, default=int(knob("RADIUS", "20")))
    run.add_argument("--port", type=int, default=int(knob("BENCH_PORT", "8700")))
    run.add_argument("--server", default=knob("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    run.add_argument("--redis-url", default=knob("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"))
    run.add_argument(
        "--database",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="use this (migrated) database for a size or for 'baseline' instead of "
        "wnh_bench_<name>; it is loaded when empty, never dropped",
    )
    run.add_argument("--out", type=Path, default=None)
    run.add_argument(
        "--after-load",
        default=knob("BENCH_AFTER_LOAD", ""),
        help="a manage.py command (and its arguments) to run after each load",
    )
    run.add_argument(
        "--settings",
        default="wnh.settings",
        help="DJANGO_SETTINGS_MODULE of the portal's processes (the smoke test's sets a clock)",
    )

    load = steps.add_parser("load", help="load a data set into DATABASE_URL")
    load.add_argument("--size", required=True, choices=["tiny", "small", "kerala"])

    clients = steps.add_parser("clients", help="sign the bench people in, write wrk's files")
    clients.add_argument("--out", type=Path, required=True)

    queries = steps.add_parser("queries", help="count SQL queries per page")
    queries.add_argument("--data", type=Path, required=True)
    queries.add_argument("--out", type=Path, required=True)

    args = parser.parse_args(argv)
    if args.step == "run":
        return run_bench(args)
    django_setup()
    if args.step == "load":
        from .data import load as load_data

        load_data(size=args.size)
    elif args.step == "clients":
        from .clients import write_client_files

        meta = write_client_files(out=args.out)
        print(f"clients: {json.dumps(meta)}", file=sys.stderr)
    elif args.step == "queries":
        from .queries import count_queries

        args.out.write_text(json.dumps(count_queries(data=args.data), indent=1) + "\n")
    return 0


def run_bench(args) -> int:
    from . import driver, report

    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    databases = dict(pair.split("=", 1) for pair in args.database)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    knobs = driver.Knobs(
        sizes=sizes,
        duration=args.duration,
        warmup=args.warmup,
        conns=args.conns,
        threads=args.threads,
        radius=args.radius,
        out=args.out or Path("var/bench/results") / stamp,
        server=args.server,
        redis_url=args.redis_url,
        port=args.port,
        runs=max(1, args.runs),
        settings=args.settings,
        after_load=args.after_load,
        databases=databases,
    )
    results = driver.run(knobs)
    bad = [
        f"{where} {name}"
        for where, figures in [("baseline", results["baseline"]), *results["sizes"].items()]
        for name, scenario in figures.items()
        if report.counts(scenario)[2] or report.unserved(scenario)
    ]
    if bad:
        print(f"unserved answers or 5xx in: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


def stop_on_sigterm() -> None:
    """A SIGTERM (a test's timeout, Ctrl-C from make) unwinds, so the servers are stopped."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


if __name__ == "__main__":
    stop_on_sigterm()
    sys.exit(main())
