"""The pages' helpers: the score chart's lines, the plan's marks, the history's values."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from projections.queries import AuditEntry, FieldChange, TargetRevisionRow
from projections.queries.reading import like_escaped
from web.pages.history import Change, changes_of, shown
from web.pages.people import score_chart
from web.pages.plans import anchor, marks_of

WHEN = datetime(2026, 7, 1, 9, tzinfo=UTC)


def test_the_chart_has_one_line_per_cycle_over_its_quarters() -> None:
    chart = score_chart(
        [
            ("FY2026", Decimal("88.50")),
            ("FY2026-Q1", Decimal("90.00")),
            ("FY2026-Q3", None),
            ("FY2026-Q4", Decimal("87.25")),
            ("FY2025-Q2", Decimal("70")),
        ]
    )
    assert chart["labels"] == ["Q1", "Q2", "Q3", "Q4"]
    assert chart["series"] == [
        {"cycle": "FY2025", "scores": [None, "70", None, None]},
        {"cycle": "FY2026", "scores": ["90.00", None, None, "87.25"]},
    ]


def test_a_cycle_scored_only_as_a_whole_draws_no_line() -> None:
    assert score_chart([("FY2026", Decimal(80))])["series"] == []


def change(
    position: int, kind: str, period: str | None, kpi_id: str = "retention"
) -> TargetRevisionRow:
    return TargetRevisionRow(
        position=position,
        recorded_at=WHEN,
        employee_id="E1",
        cycle_id="FY2026",
        kra_id="client",
        kpi_id=kpi_id,
        kind=kind,  # type: ignore[arg-type]
        period=period,
        previous_target=None,
        previous_threshold=None,
        previous_stretch=None,
        target=Decimal(90),
        threshold=None,
        stretch=None,
        actor="hr:a",
        reason=f"reason {position}",
        approved_by="hr:b",
        event_hash="00",
    )


def test_revisions_and_adjustments_are_marked_at_their_quarter_oldest_first() -> None:
    rows = [
        change(1, "defined", "FY2026-Q1"),
        change(2, "revised", "FY2026-Q2"),
        change(3, "adjusted", "FY2026-Q2"),
        change(4, "adjusted", "FY2026-Q2"),
        change(5, "revised", "FY2026-Q3", kpi_id="nps"),
    ]
    marks = marks_of(rows)
    assert {key: [row.position for row in found] for key, found in marks.items()} == {
        ("retention", "FY2026-Q2"): [2, 3, 4],
        ("nps", "FY2026-Q3"): [5],
    }
    assert anchor(rows[1]) == "change-2-retention"


def test_a_removed_kpi_keeps_no_mark_of_before_its_removal() -> None:
    rows = [
        change(2, "adjusted", "FY2026-Q1"),
        change(3, "removed", None),
        change(4, "defined", "FY2026-Q1"),
        change(5, "revised", "FY2026-Q4"),
    ]
    assert {key: [row.position for row in found] for key, found in marks_of(rows).items()} == {
        ("retention", "FY2026-Q4"): [5],
    }


def test_history_values_are_text_a_dash_or_json() -> None:
    assert shown(None) == "—"
    assert shown("<b>87</b>") == "<b>87</b>"
    assert shown(True) == "true"
    assert shown({"b": 1, "a": [2, "x"]}) == '{"a": [2, "x"], "b": 1}'


def test_an_entrys_changes_are_listed_by_field() -> None:
    entry = AuditEntry(
        position=7,
        recorded_at=WHEN,
        event_type="Plan.TargetAdjusted",
        actor="hr:a",
        reason="new market",
        approved_by="hr:b",
        employee_id="E1",
        cycle_id="FY2026",
        kra_id="client",
        kpi_id="retention",
        measurement_id=None,
        period="FY2026-Q1",
        effective_date=None,
        changes={"target": FieldChange("90", "85"), "stretch": FieldChange(None, "95")},
        event_hash="00",
    )
    assert changes_of(entry) == [Change("stretch", "—", "95"), Change("target", "90", "85")]


def test_like_patterns_match_their_text_only() -> None:
    assert like_escaped("100%_a\\b") == "100\\%\\_a\\\\b"
    assert like_escaped("rao") == "rao"
