"""Rows of a view rewritten when an employee's personal data is erased, to read exactly as a
rebuild from the events (whose personal fields then decode as ``ERASED``) writes them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg import Cursor, sql
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from ledger.domain.employee import Employee
from ledger.domain.personal import ERASED
from projections.view import PositionedEvent, TableNames
from projections.views.topics import topic

ERASED_TOPIC = topic(Employee.Erased)


@dataclass(frozen=True)
class PersonalColumns:
    """Where a table keeps an employee's personal texts: whole text columns, and the keys
    inside JSON columns whose values (strings at any depth) are personal."""

    table: str
    key: tuple[str, ...]
    texts: tuple[str, ...] = ()
    json: dict[str, frozenset[str]] = field(default_factory=dict)
    kept: str | None = None
    """A condition (SQL) for rows left as they are, such as the erasure's own entry."""


def erased_in(page: Sequence[PositionedEvent]) -> list[str]:
    """The employees whose erasure the page holds, in order."""
    erased = (e.event for e in page if e.topic == ERASED_TOPIC)
    return [event.employee_id for event in erased if isinstance(event, Employee.Erased)]


def erase_rows(
    cursor: Cursor[DictRow], tables: TableNames, columns: PersonalColumns, employee_id: str
) -> None:
    """Every personal text of the employee's rows read as erased."""
    names = [*columns.key, *columns.texts, *columns.json]
    kept = sql.SQL(f" AND NOT ({columns.kept})" if columns.kept else "")
    select = sql.SQL("SELECT {} FROM {} WHERE employee_id = %s{}").format(
        sql.SQL(", ").join(map(sql.Identifier, names)), tables[columns.table], kept
    )
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = %s").format(sql.Identifier(name)) for name in [*columns.texts, *columns.json]
    )
    where = sql.SQL(" AND ").join(
        sql.SQL("{} = %s").format(sql.Identifier(name)) for name in columns.key
    )
    update = sql.SQL("UPDATE {} SET {} WHERE {}").format(tables[columns.table], assignments, where)
    rows = cursor.execute(select, (employee_id,)).fetchall()
    changed = [
        (
            *(_erased(row[name]) for name in columns.texts),
            *(Jsonb(_erased_under(row[name], keys)) for name, keys in columns.json.items()),
            *(row[name] for name in columns.key),
        )
        for row in rows
    ]
    if changed:
        cursor.executemany(update, changed)


def _erased(value: Any) -> Any:
    """Strings (at any depth) as ERASED; empty strings and everything else as they are."""
    if isinstance(value, str):
        return ERASED if value else value
    if isinstance(value, list):
        return [_erased(item) for item in value]
    if isinstance(value, dict):
        return {name: _erased(item) for name, item in value.items()}
    return value


def _erased_under(value: Any, keys: frozenset[str]) -> Any:
    """The values under ``keys`` (at any depth) erased, the rest as they are."""
    if isinstance(value, list):
        return [_erased_under(item, keys) for item in value]
    if isinstance(value, dict):
        return {
            name: _erased(item) if name in keys else _erased_under(item, keys)
            for name, item in value.items()
        }
    return value
