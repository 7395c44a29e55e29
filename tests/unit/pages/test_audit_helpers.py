"""Helpers of the audit and ledger pages: how a change's values and a form's instants are
written, and the verification page naming the position where the chain fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from flask import Flask, render_template

from ledger.config import Settings
from web.pages import register_pages
from web.pages.audit import change_value, form_instant
from web.serving.jobs import JobState


def test_a_change_value_is_its_text_or_its_json() -> None:
    assert change_value("87") == "87"
    assert change_value(None) == "—"
    assert change_value({"b": 1, "a": [2]}) == '{"a": [2], "b": 1}'
    assert change_value(True) == "true"


def test_a_form_instant_is_written_in_utc_for_a_date_time_picker() -> None:
    assert form_instant(None) == ""
    later = datetime(2026, 7, 1, 14, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert form_instant(later) == "2026-07-01T09:00:00"
    assert form_instant(datetime(2026, 7, 1, 9, 0, 5, tzinfo=UTC)) == "2026-07-01T09:00:05"


def failed_job(result: dict[str, object]) -> JobState:
    moment = datetime(2026, 7, 1, tzinfo=UTC)
    return JobState(
        id="a" * 32, kind="verification", owner="auditor:x", unit="event", state="done",
        done=41, total=41, started_at=moment, finished_at=moment, result=result,
        problem=None, has_file=False,
    )  # fmt: skip


def test_the_verification_page_names_the_position_where_the_chain_fails(tmp_path: Path) -> None:
    app = Flask(__name__)
    register_pages(app, Settings(data_dir=tmp_path))
    result = {
        "ok": False, "checked": 41, "first_bad_position": 42, "chain_hash": "ab" * 32,
        "problem": "the event hash at position 42 does not match its content", "anchor": None,
    }  # fmt: skip
    with app.test_request_context("/ledger/verifications/x"):
        html = render_template(
            "verification.html", job=failed_job(result), result=result, refresh=None,
            status_url="/ledger/verifications/x/status",
        )  # fmt: skip
    assert 'data-ok="false"' in html
    assert "<span data-first-bad-position>42</span>" in html
    assert "does not match its content" in html
    assert 'http-equiv="refresh"' not in html
