"""Achievement in percent of one actual against the target in force.

Where a formula's denominator would be zero (a threshold, target or stretch equal to
its neighbour, which validation refuses) the actual has necessarily crossed that
zero-width segment in the favourable direction, so it scores the cap instead of
dividing by zero. The same holds for ``target / actual`` with an actual of 0 or less.
"""

from __future__ import annotations

from decimal import Decimal

from ledger.scoring.precision import HUNDRED, ZERO, exact
from ledger.values import Direction, TargetSpec


@exact
def achievement(actual: Decimal, spec: TargetSpec, direction: Direction, cap: Decimal) -> Decimal:
    """Unrounded achievement, clamped to ``[0, cap]``."""
    if direction is Direction.INCREASE:
        raw = _increase(actual, spec, cap)
    else:
        raw = _decrease(actual, spec, cap)
    return max(ZERO, min(raw, cap))


def _increase(actual: Decimal, spec: TargetSpec, cap: Decimal) -> Decimal:
    floor = ZERO if spec.threshold is None else spec.threshold
    if actual <= spec.target:
        if actual <= floor:
            return ZERO
        return _share(actual - floor, spec.target - floor, cap)
    if spec.stretch is not None:
        return _beyond(actual - spec.target, spec.stretch - spec.target, cap)
    return _share(actual - floor, spec.target - floor, cap)


def _decrease(actual: Decimal, spec: TargetSpec, cap: Decimal) -> Decimal:
    if actual < spec.target and spec.stretch is not None:
        return _beyond(spec.target - actual, spec.target - spec.stretch, cap)
    if spec.threshold is None:
        return _inverse(spec.target, actual, cap)
    if actual >= spec.target and actual >= spec.threshold:
        return ZERO
    return _share(spec.threshold - actual, spec.threshold - spec.target, cap)


def _share(gained: Decimal, span: Decimal, cap: Decimal) -> Decimal:
    """``gained`` as a percentage of the ``span`` from zero achievement to the target."""
    if span.is_zero():
        return cap
    return gained / span * HUNDRED


def _beyond(gained: Decimal, span: Decimal, cap: Decimal) -> Decimal:
    """100 plus ``gained`` as a share of the ``span`` from target to stretch, which
    earns the ``cap - 100`` above the target."""
    if span.is_zero():
        return cap
    return HUNDRED + gained / span * (cap - HUNDRED)


def _inverse(target: Decimal, actual: Decimal, cap: Decimal) -> Decimal:
    if actual <= ZERO:
        return cap
    return target / actual * HUNDRED
