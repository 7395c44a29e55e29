"""Lists, the audit trail, the register and their exports, served from the read models."""

from __future__ import annotations

import csv
import json

from tests.e2e.client import ApiClient, active_seat
from tests.workbooks import workbook_rows

REASON = "two key accounts moved to a new region"


def adjusted_seat(hr: ApiClient) -> tuple[str, str, int]:
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"})
    adjusted = hr.ok(
        "POST",
        f"{seat.kpi()}/adjustments",
        {"period": seat.q1, "target": 85, "reason": REASON, "approved_by": "hr:priya"},
    )
    return seat.employee_id, seat.cycle_id, int(adjusted["position"])


def test_the_audit_trail_names_the_adjustment_with_its_actor_reason_and_change(
    hr: ApiClient, auditor: ApiClient
) -> None:
    employee_id, _, position = adjusted_seat(hr)
    page = auditor.ok("GET", f"/audit?employee_id={employee_id}&min_position={position}")
    entries = {entry["event_type"]: entry for entry in page["items"]}
    adjustment = entries["Plan.TargetAdjusted"]
    assert adjustment["position"] == position
    assert adjustment["reason"] == REASON
    assert adjustment["approved_by"] == "hr:priya"
    assert adjustment["actor"].startswith("hr:")
    assert adjustment["changes"]["target"]["to"] == "85"
    assert {"Plan.Drafted", "Plan.Activated", "MeasurementLog.MeasurementRecorded"} <= set(entries)


def test_the_audit_trail_pages_by_position(hr: ApiClient, auditor: ApiClient) -> None:
    employee_id, _, position = adjusted_seat(hr)
    query = f"/audit?employee_id={employee_id}&min_position={position}&limit=2"
    first = auditor.ok("GET", query)
    second = auditor.ok("GET", f"{query}&after={first['next']}")
    positions = [entry["position"] for entry in first["items"] + second["items"]]
    assert positions == sorted(positions)
    assert len(set(positions)) == 4


def test_the_register_lists_the_definition_and_the_adjustment(
    hr: ApiClient, auditor: ApiClient
) -> None:
    employee_id, _, position = adjusted_seat(hr)
    page = auditor.ok("GET", f"/target-revisions?employee_id={employee_id}&min_position={position}")
    kinds = [(row["kind"], row["target"], row["previous_target"]) for row in page["items"]]
    assert kinds == [("defined", "90", None), ("adjusted", "85", "90")]


def test_exports_at_a_position_are_identical_bytes_and_name_their_chain_hash(
    hr: ApiClient, auditor: ApiClient
) -> None:
    employee_id, cycle_id, position = adjusted_seat(hr)
    query = f"/exports/target-revisions?cycle_id={cycle_id}&position={position}"
    first = auditor.request("GET", f"{query}&format=csv")
    second = auditor.request("GET", f"{query}&format=csv")
    assert first.status_code == 200
    assert first.content == second.content
    assert first.headers["X-Ledger-Position"] == str(position)
    head = auditor.ok("GET", "/ledger/head")
    assert len(first.headers["X-Ledger-Chain-Hash"]) == 64
    assert head["position"] >= position
    rows = list(csv.DictReader(first.content.decode().splitlines()))
    assert {row["export_chain_hash"] for row in rows} == {first.headers["X-Ledger-Chain-Hash"]}
    assert [row["kind"] for row in rows] == ["defined", "adjusted"]
    assert rows[1]["reason"] == REASON
    workbook = auditor.request("GET", f"{query}&format=xlsx")
    values = workbook_rows(workbook.content)
    assert any(REASON in row for row in values)
    lines = auditor.request("GET", f"{query}&format=jsonl").content.decode().splitlines()
    assert {json.loads(line)["export_position"] for line in lines} == {position}
    assert employee_id in lines[0]


def test_an_auditors_audit_export_streams_every_event_of_the_employee(
    hr: ApiClient, auditor: ApiClient
) -> None:
    employee_id, _, position = adjusted_seat(hr)
    response = auditor.request(
        "GET", f"/exports/audit?employee_id={employee_id}&position={position}&format=jsonl"
    )
    assert response.status_code == 200
    entries = [json.loads(line) for line in response.content.decode().splitlines()]
    assert entries[-1]["position"] == position
    assert entries[-1]["reason"] == REASON


def test_lists_of_employees_and_scorecards_filter_and_scope(
    hr: ApiClient, manager: ApiClient, auditor: ApiClient
) -> None:
    employee_id, cycle_id, position = adjusted_seat(hr)
    cards = auditor.ok("GET", f"/scorecards?period={cycle_id}-Q1&min_position={position}")
    assert [card["score"] for card in cards["items"]] == ["102.35"]
    assert cards["items"][0]["employee_id"] == employee_id
    everyone = auditor.ok("GET", f"/employees?limit=1000&min_position={position}")
    assert employee_id in {row["employee_id"] for row in everyone["items"]}
    theirs = manager.ok("GET", "/employees?limit=1000")
    assert employee_id not in {row["employee_id"] for row in theirs["items"]}


def test_writers_and_managers_may_not_read_the_whole_audit_trail(
    manager: ApiClient, hr: ApiClient
) -> None:
    assert manager.request("GET", "/audit").status_code == 403
    assert manager.request("GET", "/exports/audit").status_code == 403


def test_a_min_position_beyond_the_head_is_a_problem_not_a_wait_forever(
    auditor: ApiClient,
) -> None:
    head = auditor.ok("GET", "/ledger/head")["position"]
    response = auditor.request("GET", f"/audit?min_position={head + 1000}")
    assert response.status_code == 409
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_bad_export_queries_are_refused(auditor: ApiClient) -> None:
    for query in ("format=pdf", "position=-1", "recorded_from=yesterday", "cycle_id=%20x"):
        response = auditor.request("GET", f"/exports/audit?{query}")
        assert response.status_code == 422, query
