"""A view's tables described once: their DDL, and bulk writes composed from the description."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.view import Statement, TableNames


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    """A PostgreSQL type: ``text``, ``numeric``, ``jsonb``, ..."""
    required: bool = False


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    indexes: tuple[Index, ...] = ()
    unique: tuple[Index, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def ddl(self, tables: TableNames) -> list[Statement]:
        definitions = [
            sql.SQL("{} {}{}").format(
                sql.Identifier(column.name),
                sql.SQL(column.type),
                sql.SQL(" NOT NULL" if column.required or column.name in self.key else ""),
            )
            for column in self.columns
        ]
        definitions.append(sql.SQL("PRIMARY KEY ({})").format(_names(self.key)))
        create = sql.SQL("CREATE TABLE {} ({})").format(
            tables[self.name], sql.SQL(", ").join(definitions)
        )
        indexes: list[Statement] = [
            sql.SQL("CREATE {}INDEX {} ON {} ({})").format(
                sql.SQL("UNIQUE " if index in self.unique else ""),
                tables.local(index.name),
                tables[self.name],
                _names(index.columns),
            )
            for index in (*self.unique, *self.indexes)
        ]
        return [create, *indexes]


def _names(names: Sequence[str]) -> sql.Composed:
    return sql.SQL(", ").join(map(sql.Identifier, names))


@cache
def _upsert(table: Table, tables: TableNames) -> sql.Composed:
    columns = table.column_names
    # Binary parameters: a text array in text format escapes every quote of every JSON text.
    arrays = sql.SQL(", ").join(
        sql.SQL("%b::{}[]").format(sql.SQL(column.type)) for column in table.columns
    )
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = excluded.{0}").format(sql.Identifier(name))
        for name in columns
        if name not in table.key
    )
    return sql.SQL(
        "INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})"
        " ON CONFLICT ({key}) DO UPDATE SET {updates}"
    ).format(
        table=tables[table.name],
        columns=_names(columns),
        arrays=arrays,
        key=_names(table.key),
        updates=updates,
    )


@cache
def _copy(table: Table, tables: TableNames) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(tables[table.name], _names(table.column_names))


def upsert(
    cursor: Cursor[DictRow], table: Table, tables: TableNames, rows: Sequence[tuple[object, ...]]
) -> None:
    """Insert or replace ``rows`` (in the table's column order) in one statement.

    Rows must have distinct keys: one statement cannot change a row twice.
    """
    if rows:
        cursor.execute(_upsert(table, tables), [list(column) for column in zip(*rows, strict=True)])


def append(
    cursor: Cursor[DictRow], table: Table, tables: TableNames, rows: Sequence[tuple[object, ...]]
) -> None:
    """Add ``rows`` (in the table's column order) with COPY."""
    if rows:
        with cursor.copy(_copy(table, tables)) as copy:
            for row in rows:
                copy.write_row(row)


@cache
def _select_any(table: Table, tables: TableNames, column: str) -> sql.Composed:
    return sql.SQL("SELECT {} FROM {} WHERE {} = ANY(%s)").format(
        _names(table.column_names), tables[table.name], sql.Identifier(column)
    )


def rows_where(
    cursor: Cursor[DictRow],
    table: Table,
    tables: TableNames,
    column: str,
    values: Collection[object],
) -> list[DictRow]:
    """The rows whose ``column`` is one of ``values`` (none asked, none read)."""
    if not values:
        return []
    statement = _select_any(table, tables, column)
    return cursor.execute(statement, (list(values),), prepare=True).fetchall()
