"""How the values carried by events are stored as JSON: one transcoding per type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from ledger.store.sealing import SealedAsDict
from ledger.values import Aggregation, Direction, RatingBand, TargetSpec


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    """One instance per Enum class, named after it, storing the member's value."""

    def __init__(self, enum: type[Enum], name: str) -> None:
        self.type = enum
        self.name = name

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        member: Enum = self.type(data)
        return member


class TargetSpecAsDict(Transcoding):
    type = TargetSpec
    name = "target_spec"

    def encode(self, obj: TargetSpec) -> dict[str, Decimal | None]:
        return {
            "target": obj.target,
            "threshold": obj.threshold,
            "stretch": obj.stretch,
        }

    def decode(self, data: dict[str, Decimal | None]) -> TargetSpec:
        target = data["target"]
        assert target is not None
        return TargetSpec(target, data["threshold"], data["stretch"])


class RatingBandAsDict(Transcoding):
    type = RatingBand
    name = "rating_band"

    def encode(self, obj: RatingBand) -> dict[str, Any]:
        return {"min_score": obj.min_score, "rating": obj.rating, "label": obj.label}

    def decode(self, data: dict[str, Any]) -> RatingBand:
        return RatingBand(data["min_score"], data["rating"], data["label"])


def ledger_transcodings() -> list[Transcoding]:
    """Every transcoding beyond the library's own (UUID, Decimal, datetime)."""
    return [
        DateAsISO(),
        EnumAsValue(Direction, "direction"),
        EnumAsValue(Aggregation, "aggregation"),
        TargetSpecAsDict(),
        RatingBandAsDict(),
    ]


def register_ledger_transcodings(transcoder: JSONTranscoder) -> None:
    for transcoding in [*ledger_transcodings(), SealedAsDict()]:
        transcoder.register(transcoding)
