"""The parts of an explanation: its points, the stored events it reads, the replay that
scores after each of them, and the comparison of two scorecards."""

from ledger.explanation.comparison import (
    Comparison,
    KpiChange,
    KraChange,
    OverallChange,
    compare,
)
from ledger.explanation.points import Point, Revision, parse_point, resolve_point
from ledger.explanation.result import Explanation, Restatement, Side
from ledger.explanation.stored import StoredEntry, stored_events
from ledger.explanation.subject import Subject
from ledger.explanation.waterfall import Replay, Step, waterfall

__all__ = [
    "Comparison",
    "Explanation",
    "KpiChange",
    "KraChange",
    "OverallChange",
    "Point",
    "Replay",
    "Restatement",
    "Revision",
    "Side",
    "Step",
    "StoredEntry",
    "Subject",
    "compare",
    "parse_point",
    "resolve_point",
    "stored_events",
    "waterfall",
]
