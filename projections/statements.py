"""Statements composed once, for the ones a view executes on every page."""

from __future__ import annotations

from psycopg import sql


def composed(statement: sql.Composable) -> bytes:
    """The statement's text: executed as ``sql.Composed``, psycopg would quote and join
    its parts again on every execution (a few hundred microseconds for a long one)."""
    return statement.as_bytes(None)
