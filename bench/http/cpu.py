"""Where the CPU went in a measured run: gunicorn (the master and its workers) and the
PostgreSQL backends serving the bench's database, in cores (CPU seconds per second).

Read from /proc, so it sees every process on a shared machine apart: a PostgreSQL that
uses 1.7 of the 2 cores says the page waits on SQL, whatever else runs beside it."""

import os
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def with_children(pid: int) -> set[int]:
    family = {pid}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        if parent == pid:
            family.add(int(stat.parent.name))
    return family


def backends(url: str) -> set[int]:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return {pid for (pid,) in cursor.fetchall()}
    finally:
        connection.close()


@contextmanager
def cores(*, app: int, url: str):
    """Fills the dict it yields with "app_cores" and "pg_cores" when the block ends."""
    app_pids, pg_pids = with_children(app), backends(url)
    before = {pid: cpu_seconds(pid) for pid in app_pids | pg_pids}
    began = time.monotonic()
    used: dict = {}
    yield used
    seconds = time.monotonic() - began
    app_pids |= with_children(app)
    pg_pids |= backends(url)

    def spent(pids: set[int]) -> float:
        return sum(cpu_seconds(pid) - before.get(pid, 0.0) for pid in pids)

    used["app_cores"] = round(spent(app_pids) / seconds, 2)
    used["pg_cores"] = round(spent(pg_pids) / seconds, 2)
