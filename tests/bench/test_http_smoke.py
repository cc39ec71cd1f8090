"""The HTTP bench runs end to end on tiny data, so it cannot rot between the runs that
matter (`make bench-http`): every scenario is served, none answers 5xx, the table prints.

The bench runs as the operator runs it, in a process of its own (its own session, so a
timeout here stops it and every server it started), on this test's database, and every
Python process it starts runs on this test's clock (tests/support/clock_settings.py)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench.http.report import counts, unserved
from bench.http.scenarios import BASELINE, PORTAL
from tests import ROOT_DIR

ROOT = ROOT_DIR

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def this_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def wrk():
    if shutil.which("wrk") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI=true but wrk is not installed (apt-get install wrk)")
        pytest.skip("needs wrk (apt-get install wrk)")


def run_bench(out: Path, port: int) -> subprocess.CompletedProcess:
    url = this_database_url()
    command = [
        sys.executable,
        "-m",
        "bench.http",
        "run",
        "--sizes=tiny",
        "--duration=2",
        "--warmup=0",
        "--conns=4",
        f"--port={port}",
        f"--database=tiny={url}",
        f"--database=baseline={url}",
        f"--redis-url={settings.REDIS_URL}",
        f"--out={out}",
        "--settings=tests.support.clock_settings",
    ]
    bench = subprocess.Popen(  # noqa: S603 - our own venv's python
        command,
        cwd=ROOT,
        # Every process the bench starts travels to this test's moment (clock_settings.py).
        env={**os.environ, "WNH_TEST_NOW": timezone.now().isoformat()},
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = bench.communicate(timeout=180)
    finally:
        # The bench stops its servers itself; this is for a bench that could not (a
        # timeout here): its whole process group goes, gunicorn and wrk included.
        with suppress(ProcessLookupError):
            os.killpg(bench.pid, signal.SIGTERM)
        bench.wait(timeout=30)
        with suppress(ProcessLookupError):
            os.killpg(bench.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(command, bench.returncode, output)


def test_the_http_bench_serves_every_scenario_on_tiny_data(wrk, tmp_path, next_open_day):
    port = free_port()

    finished = run_bench(tmp_path, port)

    assert finished.returncode == 0, finished.stdout[-4000:]
    with pytest.raises(ConnectionRefusedError):  # its servers are stopped
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    # The bench asked about the first open day after this test's today, not the machine's.
    meta = json.loads((tmp_path / "tiny" / "meta.json").read_text())
    assert meta["day"] == next_open_day.isoformat()
    results = json.loads((tmp_path / "results.json").read_text())
    measured = [("baseline", results["baseline"])] + list(results["sizes"].items())
    assert [name for name, _ in measured] == ["baseline", "tiny"]
    for where, scenarios in measured:
        expected = BASELINE if where == "baseline" else PORTAL
        assert list(scenarios) == [scenario.name for scenario in expected]
        for scenario in expected:
            figures = scenarios[scenario.name]
            assert figures["requests"] > 0, (where, scenario.name)
            assert counts(figures)[2] == 0, (where, scenario.name, figures["statuses"])
            assert unserved(figures) == 0, (where, scenario.name, figures)
    # Everyone at one full centre is refused, correctly, and never fails.
    assert set(results["sizes"]["tiny"]["hot_spot"]["statuses"]) == {"409"}
    summary = (tmp_path / "summary.md").read_text()
    for scenario in BASELINE + PORTAL:
        assert f"| {scenario.label} |" in summary
    assert summary in finished.stdout

    queries = json.loads((tmp_path / "tiny" / "queries.json").read_text())
    assert list(queries) == [scenario.name for scenario in PORTAL]
    assert all(page["queries"] >= 0 and page["status"] < 500 for page in queries.values())
    assert queries["hot_spot"]["status"] == 409
