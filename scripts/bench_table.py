"""The benchmark's table: one row per figure, printed as markdown."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Row:
    measure: str
    value: float
    unit: str
    against: str
    ratio: str
    goal: str


def print_table(rows: list[Row]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    machine = f"{platform.machine()} {platform.system()}, Python {platform.python_version()}"
    print(f"Measured {stamp} on {machine}\n")
    print("| measure | value | unit | against | ratio | goal |")
    print("|---|---:|---|---|---:|---|")
    for row in rows:
        value = f"{row.value:,.1f}" if row.value < 100 else f"{row.value:,.0f}"
        print(
            f"| {row.measure} | {value} | {row.unit} | {row.against} | {row.ratio} | {row.goal} |"
        )
