"""Other processes' sessions on the test database, which must be gone before it is flushed
or dropped: the workers, servers and poolers a test started and stopped."""

import time

from django.db import connection, connections


def _own_backend_pids() -> list[int]:
    """This process's own connections (a second alias, such as the routing tests' replica,
    stays open on the same database)."""
    return [
        alias.connection.get_backend_pid()
        for alias in connections.all(initialized_only=True)
        if alias.connection is not None and alias.vendor == "postgresql"
    ]


def _others(columns: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM pg_stat_activity WHERE datname = current_database() "  # noqa: S608
            "AND pid <> pg_backend_pid() AND NOT pid = ANY(%s)",
            [_own_backend_pids()],
        )
        return cursor.fetchall()


def other_sessions() -> int:
    return len(_others("pid"))


def end_other_sessions(*, timeout: float = 15) -> list[tuple]:
    """Wait up to `timeout` s for the other sessions to close; end those still there (a
    stopped process whose session the server has not reaped yet) and say which they were."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not other_sessions():
            return []
        time.sleep(0.2)
    left = _others("pid, application_name, backend_type, state, left(query, 80)")
    with connection.cursor() as cursor:
        for pid, *_ in left:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    print(f"sessions still open after {timeout}s, ended: {left}")
    return left
