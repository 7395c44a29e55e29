"""What an explanation and a restatement answer, as frozen values with their JSON shape."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.domain.review import ReviewRevision
from ledger.explanation.comparison import Comparison
from ledger.explanation.waterfall import Step
from ledger.scoring import Scorecard


@dataclass(frozen=True)
class Side:
    """One end of a comparison: a position and the scorecard known there (None when the
    plan or its cycle did not exist yet)."""

    position: int
    scorecard: Scorecard | None

    def to_dict(self) -> dict[str, object]:
        card = self.scorecard
        return {
            "position": self.position,
            "score": None if card is None or card.score is None else str(card.score),
            "rating": None if card is None else card.rating,
            "scorecard": None if card is None else card.to_dict(),
        }


def _differences(comparison: Comparison) -> dict[str, object]:
    return {
        "kpis": [kpi.to_dict() for kpi in comparison.kpis],
        "kras": [kra.to_dict() for kra in comparison.kras],
        "overall": comparison.overall.to_dict(),
    }


@dataclass(frozen=True)
class Explanation:
    """Why a scorecard changed between two positions, event by event.

    Every step carries the overall score after its event, so the last step lands on the
    later score; with no steps the two scorecards are equal. The steps that moved the
    scorecard land there too, and their score deltas add up to the difference.
    """

    employee_id: str
    period: str
    frm: Side
    to: Side
    comparison: Comparison
    steps: tuple[Step, ...]

    @property
    def moving_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.moved)

    @property
    def steps_moved(self) -> int:
        return sum(1 for step in self.steps if step.moved)

    @property
    def steps_unchanged(self) -> int:
        return len(self.steps) - self.steps_moved

    def to_dict(self, *, moved_only: bool = False) -> dict[str, object]:
        """Every step, or with ``moved_only`` those that moved the scorecard; the counts
        are of every step either way."""
        steps = self.moving_steps if moved_only else self.steps
        return {
            "employee_id": self.employee_id,
            "period": self.period,
            "from": self.frm.to_dict(),
            "to": self.to.to_dict(),
            **_differences(self.comparison),
            "steps": [step.to_dict() for step in steps],
            "steps_moved": self.steps_moved,
            "steps_unchanged": self.steps_unchanged,
        }


@dataclass(frozen=True)
class Restatement:
    """A finalised review revision, reproduced, beside the same period under later knowledge."""

    employee_id: str
    period: str
    revision: ReviewRevision
    matches: bool
    """Whether the reproduced scorecard hashes as the finalised one did."""
    frm: Side
    to: Side
    comparison: Comparison

    def to_dict(self) -> dict[str, object]:
        revision = self.revision
        return {
            "employee_id": self.employee_id,
            "period": self.period,
            "revision": revision.revision,
            "stored_hash": revision.scorecard_hash,
            "matches": self.matches,
            "computed_rating": revision.computed_rating,
            "final_rating": revision.final_rating,
            "calibration_reason": revision.calibration_reason,
            "from": self.frm.to_dict(),
            "to": self.to.to_dict(),
            **_differences(self.comparison),
        }
