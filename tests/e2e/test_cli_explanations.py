"""``ledger explain`` and ``ledger restate``: the same explanation as the API, at a terminal."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from tests.e2e.client import ApiClient, Seat, active_seat
from web.cli.audit import explain_command, restate_command

REASON = "two key accounts moved to a new region"


@pytest.fixture
def cli_settings(database: DatabaseAddress, e2e_settings: Settings) -> Settings:
    return replace(e2e_settings, database_url=database.url())


@pytest.fixture
def adjusted(hr: ApiClient) -> Seat:
    """Revision 1 finalised at 96.67 (rating 3), then the target adjusted to 85."""
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"})
    hr.ok("POST", f"{seat.review}/finalize")
    adjustment = {"period": seat.q1, "target": "85", "reason": REASON}
    hr.ok("POST", f"{seat.kpi()}/adjustments", adjustment)
    return seat


def test_explain_prints_each_event_with_its_actor_reason_and_the_score_after_it(
    cli_settings: Settings, adjusted: Seat
) -> None:
    args = [adjusted.employee_id, adjusted.q1, "--from", "r1"]
    result = CliRunner().invoke(explain_command, args, obj=cli_settings)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith(": 1 of 3 steps moved the scorecard")
    assert lines[1].endswith("96.67 (rating 3)")
    [adjustment] = [line for line in lines if "TargetAdjusted" in line]
    assert adjustment.startswith(" *")
    assert adjustment.endswith(
        f"{adjusted.q1}  Plan.TargetAdjusted by hr:e2e-hr: 102.35 (rating 4)  reason: {REASON}"
    )
    assert lines[-1].endswith("102.35 (rating 4)")


def test_explain_with_moved_prints_only_the_steps_that_moved_the_scorecard(
    cli_settings: Settings, adjusted: Seat
) -> None:
    args = [adjusted.employee_id, adjusted.q1, "--from", "r1", "--moved"]
    result = CliRunner().invoke(explain_command, args, obj=cli_settings)
    assert result.exit_code == 0, result.output
    header, _, adjustment, _ = result.output.splitlines()
    assert header.endswith(": 1 of 3 steps moved the scorecard")
    assert "TargetAdjusted" in adjustment
    assert adjustment.startswith(" *")


def test_explain_as_json_is_the_explanation_the_api_gives(
    cli_settings: Settings, adjusted: Seat, auditor: ApiClient
) -> None:
    head = str(auditor.head_position())
    args = [adjusted.employee_id, adjusted.q1, "--from", "r1", "--to", head, "--json"]
    result = CliRunner().invoke(explain_command, args, obj=cli_settings)
    assert result.exit_code == 0, result.output
    over_http = auditor.ok(
        "GET", f"{adjusted.scorecard}/explain", params={"from": "r1", "to": head}
    )
    assert json.loads(result.output) == over_http
    moved = CliRunner().invoke(explain_command, [*args, "--moved"], obj=cli_settings)
    moving_over_http = auditor.ok(
        "GET",
        f"{adjusted.scorecard}/explain",
        params={"from": "r1", "to": head, "steps": "moved"},
    )
    assert json.loads(moved.output) == moving_over_http


def test_explain_refuses_a_point_it_cannot_read(cli_settings: Settings, adjusted: Seat) -> None:
    args = [adjusted.employee_id, adjusted.q1, "--from", "last week"]
    result = CliRunner().invoke(explain_command, args, obj=cli_settings)
    assert result.exit_code == 1
    assert "from must be a position" in result.output


def test_restate_prints_the_finalised_revision_beside_todays_knowledge(
    cli_settings: Settings, adjusted: Seat
) -> None:
    args = [adjusted.employee_id, adjusted.q1, "1"]
    result = CliRunner().invoke(restate_command, args, obj=cli_settings)
    assert result.exit_code == 0, result.output
    header, finalised, restated = result.output.splitlines()
    assert header.endswith("revision 1 (reproduces exactly)")
    assert finalised.endswith("96.67 (rating 3)")
    assert restated.endswith("102.35 (rating 4)")


def test_restate_of_a_revision_that_does_not_exist_fails(
    cli_settings: Settings, adjusted: Seat
) -> None:
    result = CliRunner().invoke(
        restate_command, [adjusted.employee_id, adjusted.q1, "2"], obj=cli_settings
    )
    assert result.exit_code == 1
    assert "has no revision 2" in result.output
