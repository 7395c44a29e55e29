"""A view's tables described once: their DDL, and bulk writes composed from the description."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.statements import composed
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
        return [self._create(tables, keyed=True), *self.index_ddl(tables, self.all_indexes)]

    @property
    def all_indexes(self) -> tuple[Index, ...]:
        return (*self.unique, *self.indexes)

    def loading_ddl(self, tables: TableNames, kept: Collection[str]) -> list[Statement]:
        """The table without its primary key and with only the indexes named in ``kept``:
        for a bulk load, the others built once loaded (see ``build_indexes``)."""
        chosen = tuple(index for index in self.all_indexes if index.name in kept)
        return [self._create(tables, keyed=False), *self.index_ddl(tables, chosen)]

    def _create(self, tables: TableNames, keyed: bool) -> Statement:
        definitions = [
            sql.SQL("{} {}{}").format(
                sql.Identifier(column.name),
                sql.SQL(column.type),
                sql.SQL(" NOT NULL" if column.required or column.name in self.key else ""),
            )
            for column in self.columns
        ]
        if keyed:
            definitions.append(sql.SQL("PRIMARY KEY ({})").format(_names(self.key)))
        return sql.SQL("CREATE TABLE {} ({})").format(
            tables[self.name], sql.SQL(", ").join(definitions)
        )

    def index_ddl(self, tables: TableNames, indexes: Sequence[Index]) -> list[Statement]:
        return [
            sql.SQL("CREATE {}INDEX IF NOT EXISTS {} ON {} ({})").format(
                sql.SQL("UNIQUE " if index in self.unique else ""),
                tables.local(index.name),
                tables[self.name],
                _names(index.columns),
            )
            for index in indexes
        ]

    def key_name(self, tables: TableNames) -> sql.Identifier:
        """The primary key's name: the one PostgreSQL gives it, once the table is live."""
        return tables.local(f"{self.name}_pkey")


_HAS_KEY = sql.SQL(
    "SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = %s::regclass"
    " AND contype = 'p') AS keyed"
)


_SORT_MEMORY = sql.SQL("SET LOCAL maintenance_work_mem = '256MB'")
"""Enough for the sorts of a million rows' indexes to stay in memory, for this transaction."""


def build_indexes(cursor: Cursor[DictRow], table: Table, tables: TableNames) -> None:
    """Give a table loaded without them its primary key and every index it lacks."""
    cursor.execute(_SORT_MEMORY)
    for statement in table.index_ddl(tables, table.all_indexes):
        cursor.execute(statement)
    row = cursor.execute(_HAS_KEY, (tables[table.name].as_string(cursor),)).fetchone()
    if not (row and row["keyed"]):
        cursor.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
                tables[table.name], table.key_name(tables), _names(table.key)
            )
        )


def _names(names: Sequence[str]) -> sql.Composed:
    return sql.SQL(", ").join(map(sql.Identifier, names))


@cache
def _upsert(table: Table, tables: TableNames) -> bytes:
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
    return composed(
        sql.SQL(
            "INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})"
            " ON CONFLICT ({key}) DO UPDATE SET {updates}"
        ).format(
            table=tables[table.name],
            columns=_names(columns),
            arrays=arrays,
            key=_names(table.key),
            updates=updates,
        )
    )


@cache
def _copy(table: Table, tables: TableNames) -> bytes:
    statement = sql.SQL("COPY {} ({}) FROM STDIN")
    return composed(statement.format(tables[table.name], _names(table.column_names)))


def upsert(
    cursor: Cursor[DictRow], table: Table, tables: TableNames, rows: Sequence[tuple[object, ...]]
) -> None:
    """Insert or replace ``rows`` (in the table's column order) in one statement.

    Rows must have distinct keys: one statement cannot change a row twice.
    """
    if rows:
        cursor.execute(_upsert(table, tables), [list(column) for column in zip(*rows, strict=True)])


@contextmanager
def appending(
    cursor: Cursor[DictRow], table: Table, tables: TableNames
) -> Iterator[Callable[[tuple[object, ...]], None]]:
    """Add rows (in the table's column order) with COPY as they are made: the database
    takes in each few rows sent while the next are made. Nothing else may use the cursor's
    connection meanwhile."""
    with cursor.copy(_copy(table, tables)) as copy:
        yield copy.write_row


def append(
    cursor: Cursor[DictRow], table: Table, tables: TableNames, rows: Sequence[tuple[object, ...]]
) -> None:
    """Add ``rows`` (in the table's column order) with COPY."""
    if rows:
        with cursor.copy(_copy(table, tables)) as copy:
            for row in rows:
                copy.write_row(row)


@cache
def _select_any(table: Table, tables: TableNames, column: str) -> bytes:
    statement = sql.SQL("SELECT {} FROM {} WHERE {} = ANY(%s)")
    return composed(
        statement.format(_names(table.column_names), tables[table.name], sql.Identifier(column))
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
