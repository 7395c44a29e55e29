"""From typed rows to the events an import writes, each row checked as its command would
be: against the domain's rules, the ledger's state and the rows before it.

The rows are applied in sheet order (``columns.ORDER``) to copies of the ledger's latest
aggregates, so a row sees what the rows before it did. Each row's events get their
provenance, and rows are grouped in chunks of ``chunk_rows``, each written atomically.
Rows of chunks an earlier import of the same file wrote are not applied again: their
effects are in the ledger already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, DomainEventProtocol

from ledger.domain.cycle import ReviewCycle
from ledger.domain.definitions import KpiDefinition, KraDefinition
from ledger.domain.employee import Employee, Profile
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from ledger.errors import InvalidInput, LedgerError
from ledger.imports.provenance import Origin, stamp
from ledger.imports.report import CellError
from ledger.imports.rows import Record
from ledger.values import Aggregation, Direction, TargetSpec

A = TypeVar("A", bound=Aggregate)
IMPORT_SOURCE = "import"


class RowRefused(Exception):
    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@contextmanager
def refusing(columns: Mapping[str, str], default: str | None) -> Iterator[None]:
    """A command's refusal, told at the column its field came from."""
    try:
        yield
    except InvalidInput as error:
        named = [columns.get(name, name) for name in error.fields]
        raise RowRefused(named[0] if named else default, error.message) from None
    except LedgerError as error:
        raise RowRefused(default, error.message) from None


class State:
    """The aggregates an import reads and changes: the ledger's latest, copied on first
    change, and the ones the import creates."""

    def __init__(self, shared: Mapping[UUID, Aggregate]) -> None:
        self.shared = shared
        self.own: dict[UUID, Aggregate] = {}

    def find(self, kind: type[A], aggregate_id: UUID) -> A | None:
        found = self.own.get(aggregate_id) or self.shared.get(aggregate_id)
        return found if isinstance(found, kind) else None

    def change(self, kind: type[A], aggregate_id: UUID) -> A | None:
        if aggregate_id not in self.own:
            shared = self.shared.get(aggregate_id)
            if not isinstance(shared, kind):
                return None
            self.own[aggregate_id] = deepcopy(shared)
        found = self.own[aggregate_id]
        return found if isinstance(found, kind) else None

    def add(self, aggregate: Aggregate) -> None:
        self.own[aggregate.id] = aggregate


@dataclass
class Chunk:
    number: int
    rows: int = 0
    events: list[DomainEventProtocol[UUID]] = field(default_factory=list)


@dataclass
class Planned:
    chunks: list[Chunk] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0

    @property
    def events(self) -> int:
        return sum(len(chunk.events) for chunk in self.chunks)


KRA_COLUMNS = {"title": "kra_title", "description": "kra_description", "weight": "kra_weight"}
KPI_COLUMNS = {"name": "kpi_name", "weight": "kpi_weight"}
TARGET_COLUMNS = {"effective_from": "period"}


def ids_needed(records: Sequence[Record]) -> set[UUID]:
    """Every aggregate the rows may read: one read of the ledger for all of them."""
    pairs = {(record.text("employee_id"), record.text("cycle_id")) for record in records}
    ids: set[UUID] = set()
    for employee_id, cycle_id in pairs:
        if employee_id:
            ids.add(Employee.create_id(employee_id))
        if cycle_id:
            ids.add(ReviewCycle.create_id(cycle_id))
        if employee_id and cycle_id:
            ids.add(Plan.create_id(employee_id, cycle_id))
            ids.add(MeasurementLog.create_id(employee_id, cycle_id))
    return ids


class Planner:
    def __init__(self, state: State, actor: str, origin: Origin, records: Sequence[Record]) -> None:
        self.state = state
        self.actor = actor
        self.origin = origin
        self.activations = _activations(records)
        self.measuring: dict[tuple[str, str], tuple[Plan, ReviewCycle, MeasurementLog]] = {}
        self.handlers: dict[str, Callable[[Record], list[Aggregate]]] = {
            "employees": self.employee,
            "plans": self.plan_row,
            "targets": self.target,
            "measurements": self.measurement,
        }

    def events_of(self, record: Record) -> list[DomainEventProtocol[UUID]]:
        """The row's events, with their provenance; RowRefused or LedgerError if refused."""
        touched = self.handlers[record.sheet](record)
        provenance = self.origin.at(record.sheet, record.number)
        events: list[DomainEventProtocol[UUID]] = []
        for aggregate in touched:
            for event in aggregate.collect_events():
                stamp(event, provenance)
                events.append(event)
        return events

    def employee(self, record: Record) -> list[Aggregate]:
        employee_id = record.required_text("employee_id")
        profile = Profile(
            record.required_text("name"),
            record.required_text("department"),
            record.required_text("role"),
            record.text("manager_id"),
        )
        with refusing({}, "employee_id"):
            checked = profile.checked(employee_id)
        existing = self.state.find(Employee, Employee.create_id(employee_id))
        if existing is not None:
            _check_same(existing.profile.__dict__, checked.__dict__, {}, f"employee {employee_id}")
            return []
        with refusing({}, "employee_id"):
            employee = Employee.register(employee_id, checked, actor=self.actor)
        self.state.add(employee)
        return [employee]

    def plan_row(self, record: Record) -> list[Aggregate]:
        employee_id, cycle_id = record.owner()
        plan = self._plan_to_change(employee_id, cycle_id)
        kra_id, kpi_id = record.required_text("kra_id"), record.required_text("kpi_id")
        kra = KraDefinition(
            record.required_text("kra_title"),
            record.required_decimal("kra_weight"),
            record.text("kra_description") or "",
        )
        with refusing(KRA_COLUMNS, "kra_id"):
            kra = kra.checked()
            if any(known.kra_id == kra_id for known in plan.kras):
                before = plan.kra(kra_id).to_definition().fields()
                _check_same(before, kra.fields(), KRA_COLUMNS, f"KRA {kra_id}")
            else:
                plan.define_kra(kra_id, kra, actor=self.actor)
        kpi = KpiDefinition(
            record.required_text("kpi_name"),
            record.text("unit") or "",
            Direction(record.required_text("direction")),
            Aggregation(record.required_text("aggregation")),
            record.required_decimal("kpi_weight"),
            TargetSpec(
                record.required_decimal("target"),
                record.decimal("threshold"),
                record.decimal("stretch"),
            ),
            scale=record.decimal("scale"),
        )
        with refusing(KPI_COLUMNS, "kpi_id"):
            kpi = kpi.checked()
            if plan.has_kpi(kpi_id):
                known = plan.kpi(kpi_id)
                if known.kra_id != kra_id:
                    raise RowRefused("kra_id", f"KPI {kpi_id} is in KRA {known.kra_id}")
                before = known.to_definition().fields()
                _check_same(before, kpi.fields(), KPI_COLUMNS, f"KPI {kpi_id}")
            else:
                plan.define_kpi(kpi_id, kra_id, kpi, actor=self.actor)
        if self.activations.get((employee_id, cycle_id)) == record.number and not plan.is_active:
            with refusing({}, "activate"):
                plan.activate(actor=self.actor)
        return [plan]

    def _plan_to_change(self, employee_id: str, cycle_id: str) -> Plan:
        if self.state.find(Employee, Employee.create_id(employee_id)) is None:
            message = f"no employee {employee_id}: register them in sheet employees, or before"
            raise RowRefused("employee_id", message)
        if self.state.find(ReviewCycle, ReviewCycle.create_id(cycle_id)) is None:
            raise RowRefused("cycle_id", f"no cycle {cycle_id} in the ledger: open it first")
        plan = self.state.change(Plan, Plan.create_id(employee_id, cycle_id))
        if plan is None:
            plan = Plan.draft(employee_id, cycle_id, actor=self.actor)
            self.state.add(plan)
        return plan

    def target(self, record: Record) -> list[Aggregate]:
        employee_id, cycle_id = record.owner()
        plan = self.state.change(Plan, Plan.create_id(employee_id, cycle_id))
        if plan is None:
            message = f"no plan of employee {employee_id} for cycle {cycle_id}"
            raise RowRefused("cycle_id", message)
        spec = TargetSpec(
            record.required_decimal("target"),
            record.decimal("threshold"),
            record.decimal("stretch"),
        )
        kpi_id, period = record.required_text("kpi_id"), record.required_text("period")
        reason, approved_by = record.text("reason"), record.text("approved_by")
        with refusing(TARGET_COLUMNS, "kpi_id"):
            if record.text("kind") == "revision":
                plan.revise_target(
                    kpi_id,
                    spec,
                    effective_from=period,
                    actor=self.actor,
                    reason=reason,
                    approved_by=approved_by,
                )
            else:
                plan.adjust_target(
                    kpi_id,
                    spec,
                    period=period,
                    actor=self.actor,
                    reason=reason,
                    approved_by=approved_by,
                )
        return [plan]

    def measurement(self, record: Record) -> list[Aggregate]:
        employee_id, cycle_id = record.owner()
        plan, cycle, log = self._measuring(employee_id, cycle_id)
        with refusing({}, "kpi_id"):
            log.record(
                plan,
                cycle,
                kpi_id=record.required_text("kpi_id"),
                value=record.decimal("value"),
                numerator=record.decimal("numerator"),
                denominator=record.decimal("denominator"),
                effective_date=record.day("effective_date"),
                source=record.text("source") or IMPORT_SOURCE,
                note=record.text("note") or "",
                actor=self.actor,
            )
        return [log]

    def _measuring(
        self, employee_id: str, cycle_id: str
    ) -> tuple[Plan, ReviewCycle, MeasurementLog]:
        found = self.measuring.get((employee_id, cycle_id))
        if found is not None:
            return found
        plan = self.state.find(Plan, Plan.create_id(employee_id, cycle_id))
        if plan is None:
            message = f"no plan of employee {employee_id} for cycle {cycle_id}"
            raise RowRefused("cycle_id", message)
        cycle = self.state.find(ReviewCycle, ReviewCycle.create_id(cycle_id))
        assert cycle is not None
        log_id = MeasurementLog.create_id(employee_id, cycle_id)
        log = self.state.change(MeasurementLog, log_id)
        if log is None:
            with refusing({}, "employee_id"):
                log = MeasurementLog.start(employee_id, cycle_id, actor=self.actor)
            self.state.add(log)
        self.measuring[(employee_id, cycle_id)] = (plan, cycle, log)
        return plan, cycle, log


def _activations(records: Sequence[Record]) -> dict[tuple[str, str], int]:
    """For each plan a row of which says activate yes: the number of its last row."""
    last: dict[tuple[str, str], int] = {}
    wanted: set[tuple[str, str]] = set()
    for record in records:
        if record.sheet != "plans":
            continue
        pair = (record.text("employee_id") or "", record.text("cycle_id") or "")
        last[pair] = record.number
        if record.text("activate") == "yes":
            wanted.add(pair)
    return {pair: number for pair, number in last.items() if pair in wanted}


def _check_same(
    before: Mapping[str, object], after: Mapping[str, object], columns: Mapping[str, str], what: str
) -> None:
    for name, value in after.items():
        if before.get(name) != value:
            shown = before.get(name)
            shown = getattr(shown, "value", shown)
            message = (
                f"{what} exists with {name} {shown!r}: an import adds, it does not change;"
                " change it through the API, with a reason"
            )
            raise RowRefused(columns.get(name, name), message)


def plan_rows(
    planner: Planner,
    records: Sequence[Record],
    chunk_rows: int,
    skipped: set[int],
    max_errors: int,
    flawed: set[tuple[str | None, int | None]],
    checked: Callable[[int], None] = lambda rows: None,
) -> Planned:
    """Every record applied in order; the events of each chunk not in ``skipped``.

    A record in ``flawed`` (whose cells are wrong, reported already) is not applied.
    ``checked`` is told how many rows were applied so far, chunk by chunk.
    """
    planned = Planned()
    chunk: Chunk | None = None
    for index, record in enumerate(records):
        number = index // chunk_rows
        if number in skipped:
            continue
        if chunk is None or chunk.number != number:
            checked(sum(c.rows for c in planned.chunks))
            chunk = Chunk(number)
            planned.chunks.append(chunk)
        chunk.rows += 1
        if (record.sheet, record.number) in flawed:
            continue
        try:
            chunk.events.extend(planner.events_of(record))
        except RowRefused as refused:
            _count(planned, record.error(refused.column, refused.message), max_errors)
        except LedgerError as error:
            _count(planned, record.error(None, error.message), max_errors)
    return planned


def _count(planned: Planned, error: CellError, max_errors: int) -> None:
    planned.error_count += 1
    if len(planned.errors) < max_errors:
        planned.errors.append(error)
