"""Where queries read from, how they page, and the checks of what they are asked."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import psycopg
from psycopg import Cursor, sql
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

from ledger.errors import InvalidInput
from ledger.store.writer import library_error
from projections.view import LIVE

Source = psycopg.Connection[Any] | ConnectionPool[Any]
"""A connection of the caller's, or a pool to take one from for the while."""

T = TypeVar("T")
K = TypeVar("K", str, int)

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Listing(Generic[T, K]):
    """A page of a list: its items, and the cursor after them (None on the last page)."""

    items: tuple[T, ...]
    next: K | None


@contextmanager
def connection(source: Source) -> Iterator[psycopg.Connection[Any]]:
    """A connection of the pool's (or the caller's own). A lost connection, a timeout or a
    pool with none free leaves as the library's exception, as the event store's faults do,
    so that a read meeting one answers "try again", not a defect."""
    try:
        if isinstance(source, ConnectionPool):
            with source.connection() as conn:
                yield conn
        else:
            yield source
    except (psycopg.OperationalError, psycopg.InterfaceError) as error:
        raise library_error(error) from error


@contextmanager
def reading(source: Source) -> Iterator[Cursor[DictRow]]:
    """A cursor with dict rows in a transaction of its own (a savepoint inside the caller's)."""
    with connection(source) as conn, conn.transaction():
        yield conn.cursor(row_factory=dict_row)


def check_limit(limit: int) -> int:
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        message = f"must be a whole number from 1 to {MAX_LIMIT}"
        raise InvalidInput(f"limit {message}", {"limit": message})
    return limit


def listing(items: Sequence[T], limit: int, key: Callable[[T], K]) -> Listing[T, K]:
    """The first ``limit`` of ``items`` (fetched one beyond), and the cursor after them."""
    if len(items) <= limit:
        return Listing(tuple(items), None)
    kept = tuple(items[:limit])
    return Listing(kept, key(kept[-1]))


class Where:
    """Conditions joined by AND, with their parameters; a filter left None is no condition."""

    def __init__(self) -> None:
        self.parts: list[sql.Composable] = []
        self.params: list[object] = []

    def compare(self, column: str, operator: str, value: object) -> Where:
        if value is not None:
            self.parts.append(sql.SQL("{} {} %s").format(sql.Identifier(column), sql.SQL(operator)))
            self.params.append(value)
        return self

    def equals(self, column: str, value: object) -> Where:
        return self.compare(column, "=", value)

    def contains(self, columns: Sequence[str], text: str | None) -> Where:
        """Any of ``columns`` holds ``text``, ignoring case; ``%`` and ``_`` are literal."""
        if text is not None:
            either = sql.SQL(" OR ").join(
                sql.SQL("{} ILIKE %s").format(sql.Identifier(column)) for column in columns
            )
            self.parts.append(sql.SQL("({})").format(either))
            self.params.extend([f"%{like_escaped(text)}%"] * len(columns))
        return self

    def clause(self) -> sql.Composable:
        if not self.parts:
            return sql.SQL("")
        return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(self.parts)


def like_escaped(text: str) -> str:
    """``text`` as a LIKE pattern that matches only itself (backslash is LIKE's escape)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def select(table: str, columns: Sequence[str]) -> sql.Composed:
    return sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), LIVE[table]
    )
