"""A defect answers 500 with a problem that tells nothing of the internals; health sees it too."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.access import Principal, Role
from ledger.store.database import DatabaseAddress
from web import create_app

SECRET = "password=hunter2 at db.internal"


class BrokenLedger:
    """Knows every token; fails on every read with an error that must not leave the server."""

    def principal(self, token: str) -> Principal:
        return Principal("0123456789abcdef", "tester", Role.ADMIN)

    def check_access(self, *args: Any) -> None:
        return None

    def head(self) -> Any:
        raise RuntimeError(SECRET)

    def head_position(self) -> int:
        raise ConnectionError(SECRET)


def test_a_defect_is_a_500_problem_without_internals_and_is_logged(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings, ledger=BrokenLedger())  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get(
            "/api/v1/ledger/head", headers={"Authorization": "Bearer anything"}
        )
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert SECRET not in response.get_data(as_text=True)
    assert response.json is not None
    assert response.json["status"] == 500
    assert SECRET in caplog.text


def test_health_answers_503_when_the_database_does_not(settings: Settings) -> None:
    app = create_app(settings, ledger=BrokenLedger())  # type: ignore[arg-type]
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": False}


def test_the_factory_opens_the_ledger_its_settings_name(
    database: DatabaseAddress, settings: Settings
) -> None:
    app = create_app(replace(settings, database_url=database.url()))
    ledger = app.extensions["ledger"]
    try:
        assert isinstance(ledger, LedgerApp)
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        ledger.close()
