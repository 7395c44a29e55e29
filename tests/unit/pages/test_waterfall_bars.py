"""The explain page's waterfall: bars from the earlier score through each step that moved it
to the later score; the steps that left it as it was, apart."""

from __future__ import annotations

from typing import Any

from web.pages.waterfall import bars, parted


def step(position: int, score: str | None, moved: bool = True) -> dict[str, Any]:
    return {
        "position": position,
        "event_type": "MeasurementRecorded",
        "score": score,
        "moved": moved,
    }


def explanation(earlier: str | None, later: str | None, *steps: dict[str, Any]) -> dict[str, Any]:
    return {
        "from": {"position": 10, "score": earlier},
        "to": {"position": 20, "score": later},
        "steps": list(steps),
    }


def test_steps_are_parted_as_the_explanation_says_each_moved_the_scorecard() -> None:
    steps = step(11, "96.67", moved=False), step(12, "102.35"), step(13, "90.00")
    found = parted(explanation("96.67", "90.00", *steps))
    assert [s["position"] for s in found.moved] == [12, 13]
    assert [s["position"] for s in found.unchanged] == [11]


def test_the_bars_float_from_each_score_to_the_next_and_land_on_the_later_score() -> None:
    given = explanation("96.67", "90.00", step(12, "102.35"), step(13, "90.00"))
    drawn = bars(given, parted(given).moved)
    assert [(bar["from"], bar["to"], bar["kind"]) for bar in drawn] == [
        ("0", "96.67", "total"),
        ("96.67", "102.35", "step"),
        ("102.35", "90.00", "step"),
        ("0", "90.00", "total"),
    ]
    assert drawn[1]["label"] == "12 MeasurementRecorded"


def test_without_steps_the_two_totals_stand_alone() -> None:
    given = explanation("96.67", "96.67")
    assert [bar["kind"] for bar in bars(given, parted(given).moved)] == ["total", "total"]


def test_a_first_score_that_did_not_exist_yet_floats_from_nothing() -> None:
    given = explanation(None, "96.67", step(11, None, moved=False), step(12, "96.67"))
    found = parted(given)
    assert [s["position"] for s in found.moved] == [12]
    assert bars(given, found.moved)[1]["from"] is None
