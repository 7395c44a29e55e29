"""``ledger import``: a killed import finished by importing the same file again, every row
once; mistakes listed by sheet, row and column, with nothing written."""

from __future__ import annotations

import json
import signal
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.application import LedgerApp
from ledger.imports import DEFAULT_LIMITS
from ledger.store.database import DatabaseAddress
from tests.import_files import filled_template
from tests.integration.support import HR, new_id, run_ledger

MEASUREMENTS = 2 * DEFAULT_LIMITS.chunk_rows + 500


def workbook(employee_id: str, cycle_id: str, count: int) -> bytes:
    owner = {"employee_id": employee_id, "cycle_id": cycle_id}
    return filled_template(
        {
            "employees": [{"employee_id": employee_id, "name": "Ana Rao", "department": "Sales",
                           "role": "Sales Executive"}],
            "plans": [{**owner, "kra_id": "sales", "kra_title": "Sales", "kra_weight": 100,
                       "kpi_id": "calls", "kpi_name": "Calls", "unit": "count",
                       "direction": "increase", "aggregation": "sum", "kpi_weight": 100,
                       "target": 100, "activate": "yes"}],
            "measurements": [
                {**owner, "kpi_id": "calls", "value": n + 0.5,
                 "effective_date": date(2026, 4, 1) + timedelta(days=n % 300)}
                for n in range(count)
            ],
        }
    )  # fmt: skip


def values(app: LedgerApp, employee_id: str, cycle_id: str) -> list[Decimal | None]:
    log = app.measurement_log(employee_id, cycle_id)
    return [] if log is None else [m.value for m in log.measurements]


def report_of(output: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(output)
    return report


def test_an_import_killed_after_a_chunk_is_finished_by_importing_the_file_again(
    app: LedgerApp, database: DatabaseAddress, tmp_path: Path
) -> None:
    employee_id, cycle_id = new_id("E"), new_id("FY")
    app.open_cycle(HR, cycle_id, name="FY 2026-27", start_date=date(2026, 4, 1))
    path = tmp_path / "measurements.xlsx"
    path.write_bytes(workbook(employee_id, cycle_id, MEASUREMENTS))
    head = app.head_position()

    killed = run_ledger(database, "import", str(path), "--json", "--kill-after-chunks", "1")
    assert killed.returncode == -signal.SIGKILL
    assert app.head_position() > head
    first_chunk = DEFAULT_LIMITS.chunk_rows - 2
    assert len(values(app, employee_id, cycle_id)) == first_chunk

    finished = run_ledger(database, "import", str(path), "--json")
    assert finished.returncode == 0, finished.stderr
    report = report_of(finished.stdout)
    assert report["status"] == "complete"
    assert report["already_imported"] == DEFAULT_LIMITS.chunk_rows
    assert report["events"] == MEASUREMENTS - first_chunk
    assert values(app, employee_id, cycle_id) == [
        Decimal(n) + Decimal("0.5") for n in range(MEASUREMENTS)
    ]


def test_mistakes_are_listed_by_sheet_row_and_column_and_nothing_is_written(
    app: LedgerApp, database: DatabaseAddress, tmp_path: Path
) -> None:
    employee_id, cycle_id = new_id("E"), new_id("FY")
    app.open_cycle(HR, cycle_id, name="FY 2026-27", start_date=date(2026, 4, 1))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(
        filled_template(
            {"measurements": [{"employee_id": employee_id, "cycle_id": cycle_id,
                               "kpi_id": "calls", "value": "1,5", "effective_date": "soon"}]}
        )
    )  # fmt: skip
    head = app.head_position()
    result = run_ledger(database, "import", str(broken))
    assert result.returncode == 1
    assert "measurements:2:value: a decimal comma" in result.stderr
    assert "measurements:2:effective_date: not a date" in result.stderr
    assert "invalid: 2 mistakes, nothing written" in result.stdout
    assert app.head_position() == head


def test_a_dry_run_writes_nothing_and_a_csv_takes_its_sheet_from_its_name(
    app: LedgerApp, database: DatabaseAddress, tmp_path: Path
) -> None:
    employee_id = new_id("E")
    path = tmp_path / "employees.csv"
    path.write_text(f"employee_id,name,department,role\n{employee_id},Ana Rao,Sales,Exec\n")
    head = app.head_position()
    dry = run_ledger(database, "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "valid: 1 rows would write 1 events" in dry.stdout
    assert app.head_position() == head
    done = run_ledger(database, "import", str(path))
    assert done.returncode == 0, done.stderr
    assert app.has_employee(employee_id)
