"""Tables split by month on PostgreSQL: the bookings grow by 25-30 million rows a year.

A partitioned table keeps one partition a month, named `<table>_pYYYY_MM`, for the months
from a few back to a year ahead, and a DEFAULT partition (`<table>_default`) that takes any
row no month holds (an officer's typo for 2099, a reservation beyond the months created), so
no write ever fails for want of a partition. Nothing here knows which tables: bookings says
(bookings/operations/partitions.py), and its migration converts them.

- `partition_table` turns a plain table into a partitioned one in one transaction: the same
  columns, defaults, checks, indexes, constraints, triggers and id sequence, every row copied.
  The primary key becomes (id, day): PostgreSQL wants the partition key in every unique key,
  and every uniqueness rule of ours already holds the day.
- `ensure_months` creates the months asked for; rows the default partition holds for such a
  month are moved into it first, with the default's triggers off, so the move is neither an
  insert nor a delete for the counts or the audit history.
- `detach_before` detaches whole months older than a day and moves them into the `archive`
  schema, without their foreign keys: out of every query of the live tables, kept until an
  operator has dumped and dropped them (docs/operations.md).
- `complete_indexes` finishes an index of the parent left without its partitions' indexes
  (`CREATE INDEX ... ON ONLY`, as a hand-rebuilt index from `pg_get_indexdef` is).

Every statement is PostgreSQL's; callers check the vendor. DDL takes a short ACCESS
EXCLUSIVE lock on the parent; `lock_timeout` bounds the wait so a busy hour is not blocked
behind it (the nightly task tries again the next night).
"""

import re
from dataclasses import dataclass
from datetime import date

KEY = "day"
ARCHIVE_SCHEMA = "archive"
_BOUND = re.compile(r"FROM \('(\d{4}-\d{2}-\d{2})'\) TO \('(\d{4}-\d{2}-\d{2})'\)")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first`'s to `last`'s, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month.year:04d}_{month.month:02d}"


def default_name(table: str) -> str:
    return f"{table}_default"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Partition:
    name: str
    first: date | None  # None for the default partition
    end: date | None  # exclusive

    @property
    def is_default(self) -> bool:
        return self.first is None


def is_partitioned(cursor, table: str) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions(cursor, table: str) -> list[Partition]:
    """The table's partitions, months in order, then the default (if any)."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = %s::regclass
        """,
        [table],
    )
    months, default = [], []
    for name, bound in cursor.fetchall():
        found = _BOUND.search(bound)
        if found:
            months.append(
                Partition(name, date.fromisoformat(found[1]), date.fromisoformat(found[2]))
            )
        else:
            default.append(Partition(name, None, None))
    return sorted(months, key=lambda p: p.first) + default


def _prepare_for_ddl(cursor, lock_timeout_ms: int | None) -> None:
    # ALTER TABLE refuses while checks of this transaction's earlier writes wait for commit.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    if lock_timeout_ms:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{lock_timeout_ms}ms"])


@dataclass
class _Shape:
    """What a table has besides its columns, written for its own name."""

    indexes: list[str]
    constraints: list[tuple[str, str]]
    triggers: list[str]
    key: list[str]
    sequence: str | None


def _shape(cursor, table: str) -> _Shape:
    cursor.execute(
        "SELECT conname, conrelid::regclass::text FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f' AND conparentid = 0",
        [table],
    )
    pointing = cursor.fetchall()
    if pointing:
        raise RuntimeError(f"cannot rebuild {table}: foreign keys point at it: {pointing}")
    cursor.execute(
        """
        SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x
        WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
                          AND c.conrelid = x.indrelid)
        ORDER BY x.indexrelid
        """,
        [table],
    )
    # An index of a partitioned table reads "ON ONLY": rebuilt, it is for every partition.
    indexes = [row[0].replace(" ON ONLY ", " ON ", 1) for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f', 'x') ORDER BY contype, conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
        [table],
    )
    triggers = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        """
        SELECT a.attname FROM pg_constraint c
        JOIN unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) ON true
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.conrelid = %s::regclass AND c.contype = 'p' ORDER BY k.n
        """,
        [table],
    )
    key = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    return _Shape(indexes, constraints, triggers, key, cursor.fetchone()[0])


def _rebuild(cursor, table: str, *, months: list[date] | None) -> None:
    """A copy of `table` takes its place: partitioned by month when `months` is given (those
    months, every month holding a row, and the default partition), plain otherwise."""
    shape = _shape(cursor, table)
    key = [c for c in shape.key if c != KEY] + ([KEY] if months is not None else [])
    old = f"{table}__old"
    cursor.execute(f"ALTER TABLE {_quote(table)} RENAME TO {_quote(old)}")
    cursor.execute(
        f"CREATE TABLE {_quote(table)} (LIKE {_quote(old)} INCLUDING DEFAULTS "
        "INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE "
        "INCLUDING COMMENTS)"
        + (f" PARTITION BY RANGE ({_quote(KEY)})" if months is not None else "")
    )
    if months is not None:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', {_quote(KEY)})::date FROM {_quote(old)}"
        )
        held = {row[0] for row in cursor.fetchall()}
        for month in sorted({month_start(m) for m in months} | held):
            _create_month(cursor, table, month)
        cursor.execute(
            f"CREATE TABLE {_quote(default_name(table))} PARTITION OF {_quote(table)} DEFAULT"
        )
    cursor.execute(f"INSERT INTO {_quote(table)} SELECT * FROM {_quote(old)}")
    cursor.execute(f"DROP TABLE {_quote(old)}")

    # The names are free again: the key, indexes, constraints and triggers as they were.
    columns = ", ".join(_quote(c) for c in key)
    cursor.execute(
        f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(table + '_pkey')} "
        f"PRIMARY KEY ({columns})"
    )
    for ddl in shape.indexes:
        cursor.execute(ddl)
    for name, ddl in shape.constraints:
        cursor.execute(f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(name)} {ddl}")
    for ddl in shape.triggers:
        cursor.execute(ddl)
    if months is not None:
        name_indexes(cursor, table)
    if shape.sequence:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT setval(%s, coalesce((SELECT max(id) FROM {_quote(table)}), 0) + 1, false)",
            [sequence],
        )
        if sequence != shape.sequence:
            cursor.execute(
                f"ALTER SEQUENCE {sequence} RENAME TO {_quote(shape.sequence.split('.')[-1])}"
            )
    cursor.execute(f"ANALYZE {_quote(table)}")


def partition_table(cursor, table: str, *, months: list[date]) -> None:
    """Turn `table` into one partitioned by month on `day`, in the caller's transaction:
    `months` are created, so is every month that holds a row, and the default partition.
    Refuses (and changes nothing) when another table's foreign key points at this one: a
    key to a partitioned table would need the day too."""
    if not is_partitioned(cursor, table):
        _rebuild(cursor, table, months=months)


def unpartition_table(cursor, table: str) -> None:
    """The way back: one plain table with every row of every attached partition."""
    if is_partitioned(cursor, table):
        _rebuild(cursor, table, months=None)


def _create_month(cursor, table: str, month: date) -> None:
    name = partition_name(table, month)
    cursor.execute(
        f"CREATE TABLE {_quote(name)} PARTITION OF {_quote(table)} FOR VALUES FROM (%s) TO (%s)",
        [month, add_months(month, 1)],
    )
    name_indexes(cursor, table)


def name_indexes(cursor, table: str) -> None:
    """Each partition's copy of an index is named after it: a broken rule names the rule
    (`one_active_booking_per_seat_day_p2026_12`), as the services read it from the error."""
    cursor.execute(
        """
        SELECT ci.relname, pi.relname, c.relname
        FROM pg_index px JOIN pg_class pi ON pi.oid = px.indexrelid
        JOIN pg_inherits h ON h.inhparent = px.indexrelid
        JOIN pg_class ci ON ci.oid = h.inhrelid
        JOIN pg_index cx ON cx.indexrelid = ci.oid
        JOIN pg_class c ON c.oid = cx.indrelid
        WHERE px.indrelid = %s::regclass
        """,
        [table],
    )
    for child, parent, partition in cursor.fetchall():
        wanted = f"{parent}_{partition.removeprefix(table + '_')}"[:63]
        if child != wanted:
            cursor.execute(f"ALTER INDEX {_quote(child)} RENAME TO {_quote(wanted)}")


def ensure_months(
    cursor, table: str, months: list[date], *, lock_timeout_ms: int | None = None
) -> list[str]:
    """Create the months of `months` the table lacks; the names created."""
    _prepare_for_ddl(cursor, lock_timeout_ms)
    existing = partitions(cursor, table)
    have = {p.first for p in existing if not p.is_default}
    default = next((p.name for p in existing if p.is_default), None)
    created = []
    for month in sorted({month_start(m) for m in months} - have):
        end = add_months(month, 1)
        held = False
        if default:
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {_quote(default)} "
                f"WHERE {_quote(KEY)} >= %s AND {_quote(KEY)} < %s)",
                [month, end],
            )
            held = cursor.fetchone()[0]
        if held:
            _move_out_of_default(cursor, table, default, month)
        else:
            _create_month(cursor, table, month)
        created.append(partition_name(table, month))
    return created


def _move_out_of_default(cursor, table: str, default: str, month: date) -> None:
    """The month's rows leave the default partition for their own: moved, not re-made."""
    name, end = partition_name(table, month), add_months(month, 1)
    cursor.execute(f"LOCK TABLE {_quote(table)} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(
        f"CREATE TABLE {_quote(name)} (LIKE {_quote(table)} INCLUDING DEFAULTS "
        "INCLUDING CONSTRAINTS INCLUDING STORAGE)"
    )
    where = f"{_quote(KEY)} >= %s AND {_quote(KEY)} < %s"
    cursor.execute(
        f"INSERT INTO {_quote(name)} SELECT * FROM {_quote(default)} WHERE {where}", [month, end]
    )
    # The rows stay in the table throughout: the count and history triggers must not see
    # a delete (the insert into the detached table fires none).
    cursor.execute(f"ALTER TABLE {_quote(default)} DISABLE TRIGGER USER")
    cursor.execute(f"DELETE FROM {_quote(default)} WHERE {where}", [month, end])
    cursor.execute(f"ALTER TABLE {_quote(default)} ENABLE TRIGGER USER")
    cursor.execute(
        f"ALTER TABLE {_quote(table)} ATTACH PARTITION {_quote(name)} FOR VALUES FROM (%s) TO (%s)",
        [month, end],
    )


def detach_before(
    cursor, table: str, before: date, *, lock_timeout_ms: int | None = None
) -> list[str]:
    """Detach every month that ends on or before `before` into the archive schema."""
    _prepare_for_ddl(cursor, lock_timeout_ms)
    detached = []
    for partition in partitions(cursor, table):
        if partition.is_default or partition.end > before:
            continue
        if not detached:
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {ARCHIVE_SCHEMA}")
        cursor.execute(f"ALTER TABLE {_quote(table)} DETACH PARTITION {_quote(partition.name)}")
        # A record on its own: its foreign keys would make a seat, company or person the
        # portal deletes fail on rows it no longer shows.
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [partition.name],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {_quote(partition.name)} DROP CONSTRAINT {_quote(name)}")
        cursor.execute(f"ALTER TABLE {_quote(partition.name)} SET SCHEMA {ARCHIVE_SCHEMA}")
        detached.append(partition.name)
    return detached


def rows_in_default(cursor, table: str, *, at_most: int | None = None) -> int:
    """Rows the default partition holds (counted up to `at_most`)."""
    limit = f" LIMIT {int(at_most)}" if at_most else ""
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {_quote(default_name(table))}{limit}) AS held"
    )
    return cursor.fetchone()[0]


def archived(cursor, table: str) -> list[str]:
    """The months of `table` detached into the archive schema, oldest first."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = 'r' AND c.relname LIKE %s ORDER BY c.relname",
        [ARCHIVE_SCHEMA, table.replace("_", r"\_") + r"\_p%"],
    )
    return [row[0] for row in cursor.fetchall()]


def complete_indexes(cursor, table: str) -> list[str]:
    """Give every partition the indexes of the parent it lacks; the indexes made."""
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass AND NOT x.indisvalid
        """,
        [table],
    )
    made = []
    for index, ddl in cursor.fetchall():
        cursor.execute(
            """
            SELECT c.relname FROM pg_inherits p JOIN pg_class c ON c.oid = p.inhrelid
            WHERE p.inhparent = %s::regclass
              AND NOT EXISTS (
                SELECT 1 FROM pg_inherits pi JOIN pg_index ci ON ci.indexrelid = pi.inhrelid
                WHERE pi.inhparent = %s::regclass AND ci.indrelid = c.oid)
            """,
            [table, index],
        )
        for (partition,) in cursor.fetchall():
            child = f"{index}_{partition.removeprefix(table + '_')}"[:63]
            statement = re.sub(
                r" ON ONLY \S+ ", f" ON {_quote(partition)} ", ddl.replace(index, _quote(child), 1)
            )
            cursor.execute(statement)
            cursor.execute(f"ALTER INDEX {_quote(index)} ATTACH PARTITION {_quote(child)}")
            made.append(child)
    return made
