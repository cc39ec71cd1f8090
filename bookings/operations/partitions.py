"""The months of the bookings tables on PostgreSQL: made ahead, old ones detached.

The tables (bookings, reserved pod-days, their counts) are split by month by migration 0005;
`maintain` keeps them so, nightly (the "Partitions" schedule, task
`bookings.maintain_partitions`): this month and WNH_PARTITION_MONTHS_AHEAD after it exist
(any rows the default partition took for one of them move into it), months wholly older than
WNH_PARTITION_ONLINE_MONTHS are detached into the `archive` schema (docs/operations.md says
how to dump and drop them), and an index left without its partitions' copies is completed.
Running it twice changes nothing the second time. On SQLite it does nothing.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bookings.models import PodDayCount, ReservedPodDay, SeatBooking
from wnh import partitioning as partitions

log = logging.getLogger(__name__)

TABLES = [model._meta.db_table for model in (SeatBooking, ReservedPodDay, PodDayCount)]
# The nightly DDL waits this long for a table's lock, then tries again the next night: a
# booking rush must not queue behind it.
LOCK_TIMEOUT_MS = 5000


@dataclass
class Maintenance:
    created: list[str] = field(default_factory=list)
    detached: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    in_default: dict[str, int] = field(default_factory=dict)


def applies() -> bool:
    return connection.vendor == "postgresql"


def months_ahead(today: date) -> list[date]:
    this_month = partitions.month_start(today)
    return partitions.months_between(
        this_month, partitions.add_months(this_month, settings.WNH_PARTITION_MONTHS_AHEAD)
    )


def online_from(today: date) -> date | None:
    """The first day kept attached; None when nothing is ever detached."""
    if not settings.WNH_PARTITION_ONLINE_MONTHS:
        return None
    return partitions.add_months(
        partitions.month_start(today), -settings.WNH_PARTITION_ONLINE_MONTHS
    )


def maintain(*, today: date) -> Maintenance:
    done = Maintenance()
    if not applies():
        return done
    keep_from = online_from(today)
    for table in TABLES:
        with transaction.atomic(), connection.cursor() as cursor:
            done.created += partitions.ensure_months(
                cursor, table, months_ahead(today), lock_timeout_ms=LOCK_TIMEOUT_MS
            )
            if keep_from is not None:
                done.detached += partitions.detach_before(
                    cursor, table, keep_from, lock_timeout_ms=LOCK_TIMEOUT_MS
                )
            done.indexes += partitions.complete_indexes(cursor, table)
            done.in_default[table] = partitions.rows_in_default(cursor, table)
    for name in done.created:
        log.info("partition %s created", name)
    for name in done.detached:
        log.warning("partition %s detached into the archive schema", name)
    for name in done.indexes:
        log.warning("index %s was missing from its partition and is made", name)
    for table, rows in done.in_default.items():
        if rows:
            log.warning("%s rows of %s are in its default partition", rows, table)
    return done


def status() -> dict[str, list[partitions.Partition]]:
    """Each table's attached partitions (an empty list on SQLite)."""
    if not applies():
        return {table: [] for table in TABLES}
    with connection.cursor() as cursor:
        return {table: partitions.partitions(cursor, table) for table in TABLES}


# -- read at each scrape of /metrics (bookings/apps.py) -------------------------------------

ROWS_IN_DEFAULT = "wnh_partition_default_rows"
MONTHS_AHEAD = "wnh_partition_months_ahead"
# A scrape counts at most this many rows of a default partition (it should hold none).
COUNT_AT_MOST = 10_000


def default_rows_for_metrics() -> float:
    """Rows in the bookings tables' default partitions (0 on SQLite). Above 0, a month is
    missing: the nightly task moves them when it makes the month."""
    if not applies():
        return 0
    with connection.cursor() as cursor:
        return sum(
            partitions.rows_in_default(cursor, table, at_most=COUNT_AT_MOST) for table in TABLES
        )


def months_ahead_for_metrics() -> float:
    """Whole months after this one the bookings table holds (fewest over the tables): below
    2, the nightly task has not run for weeks."""
    if not applies():
        return settings.WNH_PARTITION_MONTHS_AHEAD
    this_month = partitions.month_start(timezone.localdate())
    ahead = []
    for held in status().values():
        months, count = {p.first for p in held if not p.is_default}, 0
        while partitions.add_months(this_month, count + 1) in months:
            count += 1
        ahead.append(count)
    return min(ahead)
