"""Two scorecards side by side: the difference per KPI, per KRA and overall."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ledger.scoring import KpiScore, KraScore, Scorecard
from ledger.scoring.precision import reported


def _difference(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    if before is None or after is None:
        return None
    return reported(after - before)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(reported(value))


@dataclass(frozen=True)
class KpiChange:
    kpi_id: str
    kra_id: str
    name: str
    achievement_from: Decimal | None
    achievement_to: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return _difference(self.achievement_from, self.achievement_to)

    def to_dict(self) -> dict[str, object]:
        return {
            "kpi_id": self.kpi_id,
            "kra_id": self.kra_id,
            "name": self.name,
            "achievement_from": _text(self.achievement_from),
            "achievement_to": _text(self.achievement_to),
            "difference": _text(self.difference),
        }


@dataclass(frozen=True)
class KraChange:
    kra_id: str
    title: str
    score_from: Decimal | None
    score_to: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return _difference(self.score_from, self.score_to)

    def to_dict(self) -> dict[str, object]:
        return {
            "kra_id": self.kra_id,
            "title": self.title,
            "score_from": _text(self.score_from),
            "score_to": _text(self.score_to),
            "difference": _text(self.difference),
        }


@dataclass(frozen=True)
class OverallChange:
    score_from: Decimal | None
    score_to: Decimal | None
    rating_from: int | None
    rating_to: int | None

    @property
    def difference(self) -> Decimal | None:
        return _difference(self.score_from, self.score_to)

    def to_dict(self) -> dict[str, object]:
        return {
            "score_from": _text(self.score_from),
            "score_to": _text(self.score_to),
            "difference": _text(self.difference),
            "rating_from": self.rating_from,
            "rating_to": self.rating_to,
        }


@dataclass(frozen=True)
class Comparison:
    """Every KPI and KRA of either scorecard: those of the later one first, in its order."""

    kpis: tuple[KpiChange, ...]
    kras: tuple[KraChange, ...]
    overall: OverallChange


def compare(before: Scorecard | None, after: Scorecard | None) -> Comparison:
    """``before`` is None when the plan or its cycle did not exist yet."""
    kras_before = _kras(before)
    kras_after = _kras(after)
    kpis_before = _kpis(before)
    kpis_after = _kpis(after)
    kras = tuple(
        KraChange(
            kra_id,
            (kras_after.get(kra_id) or kras_before[kra_id]).title,
            _kra_score(kras_before.get(kra_id)),
            _kra_score(kras_after.get(kra_id)),
        )
        for kra_id in _union(kras_after, kras_before)
    )
    kpis = tuple(
        KpiChange(
            kpi_id,
            (kpis_after.get(kpi_id) or kpis_before[kpi_id])[0],
            (kpis_after.get(kpi_id) or kpis_before[kpi_id])[1].name,
            _achievement(kpis_before.get(kpi_id)),
            _achievement(kpis_after.get(kpi_id)),
        )
        for kpi_id in _union(kpis_after, kpis_before)
    )
    overall = OverallChange(
        None if before is None else before.score,
        None if after is None else after.score,
        None if before is None else before.rating,
        None if after is None else after.rating,
    )
    return Comparison(kpis, kras, overall)


def _kras(card: Scorecard | None) -> dict[str, KraScore]:
    return {} if card is None else {kra.kra_id: kra for kra in card.kras}


def _kpis(card: Scorecard | None) -> dict[str, tuple[str, KpiScore]]:
    if card is None:
        return {}
    return {kpi.kpi_id: (kra.kra_id, kpi) for kra in card.kras for kpi in kra.kpis}


def _union(first: Mapping[str, object], second: Mapping[str, object]) -> list[str]:
    return [*first, *(key for key in second if key not in first)]


def _kra_score(kra: KraScore | None) -> Decimal | None:
    return None if kra is None else kra.score


def _achievement(entry: tuple[str, KpiScore] | None) -> Decimal | None:
    return None if entry is None else entry[1].achievement
