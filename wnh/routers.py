"""Reads that may lag go to the replica; everything else stays on the primary.

With DATABASE_REPLICA_URL set, settings.py adds the `replica` alias. A read goes there only
inside `replica_reads` (a decorator or a `with`): the occupancy report over the rollups and
the company statements, which are about past days and may be a few seconds behind.
Availability, every booking path and every write read and write the primary: a seat
counted free on a lagging replica would be sold twice over. A read inside a transaction on
the primary stays there as well, whatever asked for it: it belongs to that transaction.
Without a replica, every query is on `default`, as before.
"""

import contextlib
import functools
from collections.abc import Callable
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def has_replica() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def _replica_reads_block():
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_reads(func: Callable | None = None):
    """Let the reads of `func` (or of a `with replica_reads():` block) use the replica."""
    if func is None:
        return _replica_reads_block()

    @functools.wraps(func)
    def run(*args, **kwargs):
        with _replica_reads_block():
            return func(*args, **kwargs)

    return run


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _replica_reads.get()
            and has_replica()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's WAL, schema too
