"""Plain and weighted means of exact decimals."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ledger.scoring.precision import ZERO, exact


@exact
def weighted_mean(parts: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """``sum(weight * score) / sum(weight)`` over the ``(weight, score)`` pairs whose
    score is not None.

    None when no part is scored, and also when the scored parts weigh nothing in total:
    parts of weight zero carry no evidence, so they cannot make a score on their own.
    """
    scored = [(weight, score) for weight, score in parts if score is not None]
    total_weight = sum((weight for weight, _ in scored), ZERO)
    if total_weight.is_zero():
        return None
    total = sum((weight * score for weight, score in scored), ZERO)
    return total / total_weight


@exact
def mean(values: Iterable[Decimal]) -> Decimal | None:
    """The arithmetic mean; None for no values."""
    collected = list(values)
    if not collected:
        return None
    return sum(collected, ZERO) / len(collected)
