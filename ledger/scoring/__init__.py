"""The scoring engine: a pure function from a plan and its measurements to a scorecard."""

from __future__ import annotations

from ledger.scoring.achievement import achievement
from ledger.scoring.canonical import canonical_json, scorecard_hash
from ledger.scoring.engine import score, score_tallied
from ledger.scoring.inputs import (
    CyclePolicy,
    KpiPlan,
    KraPlan,
    MeasurementFact,
    ScoringInput,
)
from ledger.scoring.rating import band_for
from ledger.scoring.scorecard import KpiScore, KraScore, Scorecard
from ledger.scoring.tally import Tallies, Tally, TallyKey, tallies_of, tally_of
from ledger.scoring.target import target_in_force
from ledger.values import TargetChange

__all__ = [
    "CyclePolicy",
    "KpiPlan",
    "KpiScore",
    "KraPlan",
    "KraScore",
    "MeasurementFact",
    "Scorecard",
    "ScoringInput",
    "Tallies",
    "Tally",
    "TallyKey",
    "TargetChange",
    "achievement",
    "band_for",
    "canonical_json",
    "score",
    "score_tallied",
    "scorecard_hash",
    "tallies_of",
    "tally_of",
    "target_in_force",
]
