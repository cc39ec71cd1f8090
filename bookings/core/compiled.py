"""The booking path's statements, built and compiled once per process.

Building a queryset from the rules' expressions (bookings.core.pods) and compiling it to SQL
costs more Python than PostgreSQL spends running it: "the pods a person may use at a centre,
their company's first" takes about 2 ms of CPU to build and compile and 0.1 ms to run, on
every "any seat" of the evening rush. The text of such a statement does not depend on the
day, the person or the centre, only its parameters do. So it is built from the very same
rule functions once, with stand-in values, and each booking sends that text with its own
values: a rule changed in bookings.core.pods changes the statement with it.

A statement whose text would depend on a value is refused when it is compiled: it is built
twice, with two sets of stand-ins, and the two texts must be the same and each stand-in found
at the same places among the parameters. Only plain selects qualify: a values_list, or a
model's own columns (no select_related, no annotations). The rows go through the converters
the ORM would apply (SQLite's booleans, for one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

from accounts.models import User

# Two sets of stand-ins that no real value, and no constant of a statement, equals.
_STAND_INS = (
    {int: -987_654_301, date: date(1901, 2, 3)},
    {int: -987_654_401, date: date(1902, 4, 5)},
)


class NotCompilable(Exception):
    """The statement's text depends on its values, or it is not a plain select."""


def _stand_in(kind: type, set_index: int, position: int) -> Any:
    if kind is User:
        return User(pk=_STAND_INS[set_index][int] - position)
    if kind is int:
        return _STAND_INS[set_index][int] - position
    if kind is date:
        return _STAND_INS[set_index][date].replace(day=1 + position)
    raise TypeError(f"No stand-in for {kind!r}.")


def _as_parameter(value: Any, connection) -> Any:
    """A value as the compiler puts it among the parameters."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class _Statement:
    sql: str
    parameters: list[tuple[str | None, Any]]  # (the value's name, or None and a constant)
    converters: dict
    model: type[Model] | None  # rows as instances of it, with `fields` in the row's order
    fields: list[str] | None


class Compiled:
    """`build(**values)` returns a queryset; `rows(**values)` sends its SQL, compiled once.

    `kinds` names each keyword and its type (int, date or User); each must reach the SQL as a
    parameter."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self.build = build
        self.kinds = kinds
        self._statements: dict[str, _Statement] = {}

    def _compile(self, alias: str, set_index: int) -> _Statement:
        values = {
            name: _stand_in(kind, set_index, position)
            for position, (name, kind) in enumerate(self.kinds.items())
        }
        queryset = self.build(**values).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        names = {_as_parameter(value, compiler.connection): name for name, value in values.items()}
        parameters = [(names.get(param), None if param in names else param) for param in params]
        missing = set(self.kinds) - {name for name, _ in parameters}
        if missing:
            raise NotCompilable(f"No parameter for {sorted(missing)}.")
        model = fields = None
        if not queryset.query.values_select:  # model instances: their own columns only
            if compiler.klass_info.get("related_klass_infos") or queryset.query.annotations:
                raise NotCompilable("Only a model's own columns.")
            model = queryset.model
            fields = [column.target.attname for column, _, _ in compiler.select]
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return _Statement(sql, parameters, converters, model, fields)

    def statement(self, alias: str = "default") -> _Statement:
        statement = self._statements.get(alias)
        if statement is None:
            statement, again = self._compile(alias, 0), self._compile(alias, 1)
            if statement.sql != again.sql or [name for name, _ in statement.parameters] != [
                name for name, _ in again.parameters
            ]:
                raise NotCompilable("Its text depends on the values.")
            self._statements[alias] = statement
        return statement

    def rows(self, *, using: str = "default", **values: Any) -> list[tuple]:
        statement = self.statement(using)
        connection = connections[using]
        params = [
            _as_parameter(values[name], connection) if name else constant
            for name, constant in statement.parameters
        ]
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            rows = cursor.fetchall()
        if statement.converters:
            rows = [_converted(row, statement.converters, connection) for row in rows]
        return rows

    def objects(self, *, using: str = "default", **values: Any) -> list[Model]:
        """The rows as model instances (of a statement that selects a model's columns)."""
        statement = self.statement(using)
        if statement.model is None:
            raise NotCompilable("It selects no model.")
        rows = self.rows(using=using, **values)
        return [statement.model.from_db(using, statement.fields, row) for row in rows]


def _converted(row: tuple, converters: dict, connection) -> tuple:
    row = list(row)
    for position, (functions, expression) in converters.items():
        for function in functions:
            row[position] = function(row[position], expression, connection)
    return tuple(row)
