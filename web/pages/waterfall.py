"""The explanation's waterfall as the explain page draws it: the earlier score, one bar per
step that moved the scorecard, and the later score; the steps that left it as it was, apart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Step = Mapping[str, Any]


@dataclass(frozen=True)
class Steps:
    """An explanation's steps parted into those that moved the scorecard and those that did
    not, as each step's ``moved`` says."""

    moved: tuple[Step, ...]
    unchanged: tuple[Step, ...]


def parted(explanation: Mapping[str, Any]) -> Steps:
    """The explanation's steps, parted by whether the explanation says each moved it."""
    steps = explanation["steps"]
    return Steps(
        tuple(step for step in steps if step["moved"]),
        tuple(step for step in steps if not step["moved"]),
    )


def bars(explanation: Mapping[str, Any], moved: Sequence[Step]) -> list[dict[str, Any]]:
    """The chart's bars ``{label, from, to, kind}``: the earlier score standing from zero,
    each moving step floating from the score before it to the score after it, and the
    later score standing from zero."""
    earlier, later = explanation["from"], explanation["to"]
    drawn = [total(f"from, position {earlier['position']}", earlier["score"])]
    score = earlier["score"]
    for step in moved:
        drawn.append(
            {
                "label": f"{step['position']} {step['event_type']}",
                "from": score,
                "to": step["score"],
                "kind": "step",
            }
        )
        score = step["score"]
    drawn.append(total(f"to, position {later['position']}", later["score"]))
    return drawn


def total(label: str, score: str | None) -> dict[str, Any]:
    return {"label": label, "from": "0", "to": score, "kind": "total"}
