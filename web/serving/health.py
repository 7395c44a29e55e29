"""Liveness and database reachability, outside the API and without a token."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from ledger.application import LedgerApp
from web.serving.calls import ledger

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    """200 when the process serves and its database answers, 503 when the database does not."""
    reachable = database_answers(ledger())
    body = {"status": "ok" if reachable else "unavailable", "database": reachable}
    return body, 200 if reachable else 503


def database_answers(ledger: LedgerApp) -> bool:
    try:
        ledger.head_position()
    except Exception:
        return False
    return True
