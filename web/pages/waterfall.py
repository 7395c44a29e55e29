"""The explanation's waterfall as the explain page draws it: the earlier score, one bar per
step that moved the score, and the later score; the steps that left it as it was, apart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Step = Mapping[str, Any]


@dataclass(frozen=True)
class Steps:
    """An explanation's steps parted into those that moved the score and those that did not."""

    moved: tuple[Step, ...]
    unchanged: tuple[Step, ...]


def parted(explanation: Mapping[str, Any]) -> Steps:
    """The explanation's steps, each where the score before and after it puts it."""
    moved: list[Step] = []
    unchanged: list[Step] = []
    score = explanation["from"]["score"]
    for step in explanation["steps"]:
        (moved if step["score"] != score else unchanged).append(step)
        score = step["score"]
    return Steps(tuple(moved), tuple(unchanged))


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
