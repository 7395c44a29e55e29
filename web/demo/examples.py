"""The example KRAs and KPIs per role, shipped with the package as CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from ledger.values import Aggregation, Direction, TargetSpec


@dataclass(frozen=True)
class ExampleKpi:
    department: str
    role: str
    kra: str
    kpi: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    target: Decimal
    threshold: Decimal | None
    note: str

    @property
    def spec(self) -> TargetSpec:
        return TargetSpec(self.target, self.threshold)


def read_examples() -> list[ExampleKpi]:
    text = resources.files("web.demo").joinpath("kra_kpi_examples.csv").read_text("utf-8")
    return [
        ExampleKpi(
            department=row["department"],
            role=row["role"],
            kra=row["kra"],
            kpi=row["kpi"],
            unit=row["unit"],
            direction=Direction(row["direction"]),
            aggregation=Aggregation(row["aggregation"]),
            target=Decimal(row["target"]),
            threshold=Decimal(row["threshold"]) if row["threshold"] else None,
            note=row["period_note"],
        )
        for row in csv.DictReader(text.splitlines())
    ]


def by_department(examples: list[ExampleKpi]) -> dict[str, list[ExampleKpi]]:
    grouped: dict[str, list[ExampleKpi]] = {}
    for example in examples:
        grouped.setdefault(example.department, []).append(example)
    return grouped
