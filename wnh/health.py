"""Is this process alive (`/healthz`), and can it serve (`/readyz`)?

`/healthz` answers "ok" whenever the process runs: a load balancer's liveness check, which
must not take every web process out when PostgreSQL has a bad minute (restarting them would
not help). `/readyz` asks what a request needs: the database answers, every migration on
disk is applied, and the cache and the Celery broker (Redis) answer. Each check is bounded
by a short timeout (settings: DJANGO_DB_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT,
CELERY_BROKER_CONNECTION_TIMEOUT), so a dead dependency makes it fail within seconds, and
nothing is cached but a success of the migrations check, so it recovers on its own.

The answer is JSON: 200 with every check "ok", or 503 naming what failed. It names the
kind of error only; the details go to the log, not to whoever can reach the URL.
"""

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# Once every migration is applied it stays so for this process (a newer schema than the
# code is what a rolling upgrade looks like). A new process, with new migrations on disk,
# asks again: it is not ready before `migrate` has run.
_migrations_applied = False

# The longest one check may take where its client has no timeout of its own.
CHECK_TIMEOUT_SECONDS = 3


def check_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # A persistent connection (CONN_MAX_AGE) that broke must not be reused by the next
        # check: close it, so the check after the database returns connects afresh.
        connection.close()
        raise


def check_migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} migration(s) not applied: {names}")
    _migrations_applied = True


def check_cache() -> None:
    key = "wnh:readyz"
    cache.set(key, "1", timeout=30)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")


def check_broker() -> None:
    from wnh.celery import app

    with app.connection_for_write() as connection:
        # Connect (Redis: a PING) within the broker's connect timeout, without retrying:
        # the next probe is the retry.
        connection.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT_SECONDS)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "broker": check_broker,
}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "skipped: no database"
            continue
        started = time.monotonic()
        try:
            check()
        except Exception as error:
            logger.warning(
                "readyz: %s failed after %.2fs: %r", name, time.monotonic() - started, error
            )
            results[name] = f"error: {type(error).__name__}"
        else:
            results[name] = "ok"
    return results


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    checks = run_checks()
    failed = [name for name, result in checks.items() if result != "ok"]
    if failed:
        body = {"status": "unavailable", "failed": failed, "checks": checks}
        return JsonResponse(body, status=503)
    return JsonResponse({"status": "ok", "checks": checks})
