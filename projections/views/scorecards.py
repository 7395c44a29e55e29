"""``scorecards``: every plan's current scorecard for each quarter and the whole cycle.

Each (employee, cycle) that a page touches is scored once, at the page's end (or, while
rebuilding, once the rebuild has caught up: see ``pending``), for the periods its events
can change (see ``reach``), by the scoring engine from the plan's measurements tallied
by KPI and quarter (see ``tallies``): following the ledger, a measurement changes one
tally, and rescoring costs the plan's KPIs, not its measurements. A cycle's policy
revision rescores every plan of the cycle. A row's ``position`` is the last event that
could change it: the application's scorecard at that position is the row's scorecard,
hash included.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from ledger.domain.cycle import ReviewCycle
from ledger.domain.employee import Employee
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from ledger.periods import Period, quarter_of
from ledger.scoring import Scorecard, Tallies, score_tallied
from ledger.scoring.aggregates import Knowledge, scoring_input
from ledger.scoring.tally import tallies_of
from projections.statements import composed
from projections.view import LIVE, PositionedEvent, Statement, TableNames, View
from projections.views import pending
from projections.views.documents import compact
from projections.views.history import History
from projections.views.measured import MeasuredFacts
from projections.views.pairs import Pair, touched
from projections.views.pending import PENDING
from projections.views.reach import Positions, Reach, measured_periods
from projections.views.states import DEFAULT_CAPACITY, AggregateStates, PageStates
from projections.views.tables import Column, Index, Table, upsert
from projections.views.tallies import (
    DEFAULT_TALLIED,
    FoldedTallies,
    PageTallies,
    TallyCache,
    TallySource,
)
from projections.views.topics import LOG_TOPICS, MEASURING_TOPICS, topic, topics_of

REBUILD_CAPACITY = 250_000
"""Events' worth of plans and cycles a rebuild keeps whole between pages (it keeps no
measurement logs: see ``_note_page``); beyond, states are kept compressed (see ``packed``).
Once the rebuild has scored them, the view keeps what following needs."""

RESCORED_AT_ONCE = 500
"""Plans of a revised cycle scored per batch, so that a large cycle stays within memory."""

SCORECARDS = Table(
    "scorecards",
    columns=(
        Column("employee_id", "text"),
        Column("period", "text"),
        Column("cycle_id", "text", required=True),
        Column("score", "numeric"),
        Column("rating", "integer"),
        Column("rating_label", "text"),
        Column("complete", "boolean", required=True),
        Column("hash", "text", required=True),
        Column("position", "bigint", required=True),
        Column("department", "text"),
        Column("manager_id", "text"),
        Column("scorecard", "jsonb", required=True),
    ),
    key=("employee_id", "period"),
    indexes=(
        Index("scorecards_by_period", ("period", "employee_id")),
        Index("scorecards_by_cycle", ("cycle_id", "employee_id")),
        Index("scorecards_by_department", ("period", "department", "employee_id")),
        Index("scorecards_by_manager", ("period", "manager_id", "employee_id")),
    ),
)
PEOPLE = Table(
    "scorecard_people",
    columns=(
        Column("employee_uuid", "uuid"),
        Column("employee_id", "text", required=True),
        Column("department", "text", required=True),
        Column("manager_id", "text"),
    ),
    key=("employee_uuid",),
    unique=(Index("scorecard_people_by_id", ("employee_id",)),),
)
PEOPLE_TOPICS = (topic(Employee.Registered), topic(Employee.ProfileChanged))
PLACE_FIELDS = frozenset({"department", "manager_id"})
KEPT_TOPICS = frozenset(topics_of(Plan, MeasurementLog, ReviewCycle))
"""The topics of the aggregates the view keeps states of."""


@dataclass(frozen=True)
class Person:
    employee_uuid: UUID
    employee_id: str
    department: str
    manager_id: str | None


@dataclass(frozen=True)
class Statements:
    people: bytes
    places: bytes
    pairs_of_cycles: bytes
    move: bytes


@cache
def statements(tables: TableNames) -> Statements:
    names = {"scorecards": tables[SCORECARDS.name], "people": tables[PEOPLE.name]}
    return Statements(
        people=composed(
            sql.SQL(
                "SELECT employee_uuid, employee_id, department, manager_id FROM {people}"
                " WHERE employee_uuid = ANY(%s)"
            ).format(**names)
        ),
        places=composed(
            sql.SQL(
                "SELECT employee_id, department, manager_id FROM {people}"
                " WHERE employee_id = ANY(%s)"
            ).format(**names)
        ),
        pairs_of_cycles=composed(
            sql.SQL(
                "SELECT DISTINCT employee_id, cycle_id FROM {scorecards} WHERE cycle_id = ANY(%s)"
                " ORDER BY cycle_id, employee_id"
            ).format(**names)
        ),
        move=composed(
            sql.SQL(
                "UPDATE {scorecards} s SET department = p.department, manager_id = p.manager_id"
                " FROM {people} p WHERE p.employee_id = s.employee_id AND s.employee_id = ANY(%s)"
            ).format(**names)
        ),
    )


class ScorecardsView(View):
    name = "scorecards"
    version = 3
    tables = (SCORECARDS.name, PEOPLE.name, PENDING.name)
    topics = (*topics_of(Plan, MeasurementLog, ReviewCycle), *PEOPLE_TOPICS)

    def __init__(
        self,
        history: History,
        capacity: int = DEFAULT_CAPACITY,
        rebuild_capacity: int = REBUILD_CAPACITY,
        tallied: int = DEFAULT_TALLIED,
    ) -> None:
        self.states = AggregateStates(history, capacity)
        self.tallies = TallyCache(tallied)
        self.measured = MeasuredFacts(history.table)
        self.log_pairs: dict[UUID, Pair] = {}
        """The pairs of the measurement logs a rebuild has met (see ``touched``)."""
        self.capacity = capacity
        self.rebuild_capacity = max(capacity, rebuild_capacity)

    def ddl(self, tables: TableNames) -> Sequence[Statement]:
        return [*SCORECARDS.ddl(tables), *PEOPLE.ddl(tables), *PENDING.ddl(tables)]

    def apply(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        people = [event for event in page if event.topic in PEOPLE_TOPICS]
        moved = self._people(cursor, tables, people)
        scoring = [event for event in page if event.topic not in PEOPLE_TOPICS]
        if scoring:
            self._score(cursor, tables, scoring)
        if moved:
            cursor.execute(statements(tables).move, (moved,))

    def _score(
        self, cursor: Cursor[DictRow], tables: TableNames, page: Sequence[PositionedEvent]
    ) -> None:
        if tables != LIVE:
            self._note_page(cursor, tables, page)
            return
        states = self.states.page(cursor, page)
        states.take(dict.fromkeys(event.originator_id for event in page))
        pairs, _ = touched(page, states)
        states.take(aggregate_id for pair in pairs for aggregate_id in pair.ids)
        reach = Reach()
        tallies = self.tallies.page(states)
        for event in page:
            reach.mark(event, states)
            tallies.follow(event)
            states.advance(event)
        self._score_now(cursor, tables, page, reach, pairs, tallies)
        self.tallies.keep(tallies)
        self.states.keep(states)

    def _note_page(
        self, cursor: Cursor[DictRow], tables: TableNames, page: Sequence[PositionedEvent]
    ) -> None:
        """While rebuilding: note the periods the page reaches, to score once caught up.

        Measurement logs are not followed (they are most of the ledger): the page notes
        only that their pairs' measurements changed; settling reads each log's events
        once, by the database (see ``measured``), for its tallies and for the quarters its
        events reached. Plans and cycles are followed and kept."""
        states = self.states.page(cursor, page)
        states.take(dict.fromkeys(e.originator_id for e in page if e.topic not in LOG_TOPICS))
        pairs, _ = touched(page, states, self.log_pairs)
        states.take(
            aggregate_id for pair in pairs for aggregate_id in (pair.plan_id, pair.cycle_uuid)
        )
        reach = Reach()
        logged: dict[UUID, int] = {}
        for event in page:
            if event.topic in MEASURING_TOPICS:
                logged[event.originator_id] = event.position
            elif event.topic not in LOG_TOPICS:
                reach.mark(event, states)
                states.advance(event)
        for pair in pairs:
            position = logged.get(pair.log_id)
            if position is not None:
                reach.logged(pair, position)
        self._note(cursor, tables, reach, pairs)
        self.states.capacity = self.rebuild_capacity
        self.states.keep(states)

    def warm(self, cursor: Cursor[DictRow], position: int) -> None:
        """The plans and measurement logs changed last, their cycles and their tallies, as
        they stand at ``position``: what the first pages of a stream of writes need."""
        states = self.states.warm(cursor, position, KEPT_TOPICS)
        pairs = pairs_held(states)
        states.take(aggregate_id for pair in pairs for aggregate_id in pair.ids)
        tallies = self.tallies.page(states)
        for pair in pairs:
            cycle = states.get(pair.cycle_uuid, ReviewCycle)
            if cycle is not None and states.get(pair.log_id, MeasurementLog) is not None:
                tallies.of(pair.log_id, cycle)
        self.states.keep(states)
        self.tallies.keep(tallies)

    def settle(self, cursor: Cursor[DictRow], tables: TableNames, position: int) -> bool:
        """Score the next plans whose periods the rebuild noted (see ``pending``)."""
        reached = pending.next_batch(cursor, tables, SCORECARDS.name)
        if not reached:
            self.states.shrink(self.capacity)
            self.log_pairs.clear()
            return True
        states = self.states.at(cursor, position)
        states.take(id_ for pair in reached for id_ in (pair.plan_id, pair.cycle_uuid))
        tallies = FoldedTallies(states, self._folded(cursor, reached, states, position))
        self._write(cursor, tables, reached, tallies, states)
        pending.forget(cursor, tables, SCORECARDS.name, reached)
        self.states.keep(states)
        return False

    def _folded(
        self,
        cursor: Cursor[DictRow],
        reached: dict[Pair, Positions],
        states: PageStates,
        position: int,
    ) -> dict[UUID, Tallies]:
        """The tallies of the pairs' logs at ``position``, from one read of their events;
        the quarters those events reached join ``reached``."""
        by_log = {pair.log_id: pair for pair in reached}
        folded: dict[UUID, Tallies] = {}
        for log_id, (facts, changed) in self.measured.of(cursor, by_log, position):
            pair = by_log[log_id]
            cycle = states.get(pair.cycle_uuid, ReviewCycle)
            assert cycle is not None
            folded[log_id] = tallies_of(facts, cycle.start_date)
            positions = reached[pair]
            for day, last in changed.items():
                for period in measured_periods(pair.cycle_id, quarter_of(cycle.start_date, day)):
                    positions[period] = max(positions.get(period, 0), last)
        return folded

    def _score_now(
        self,
        cursor: Cursor[DictRow],
        tables: TableNames,
        page: Sequence[PositionedEvent],
        reach: Reach,
        pairs: Collection[Pair],
        tallies: PageTallies,
    ) -> None:
        scored = reach.settled(pairs)
        self._write(cursor, tables, scored, tallies, tallies.states)
        if reach.cycles:
            self._rescore(cursor, tables, page, reach, scored.keys(), tallies.states)

    def _note(
        self, cursor: Cursor[DictRow], tables: TableNames, reach: Reach, pairs: Collection[Pair]
    ) -> None:
        """Note the periods reached, to score them once the rebuild has caught up."""
        reached = reach.settled(pairs)
        if reach.cycles:
            known = pending.pairs_of_cycles(cursor, tables, SCORECARDS.name, reach.cycles)
            reached |= reach.settled(pair for pair in known if pair not in reached)
        pending.note(cursor, tables, reached)

    def _rescore(
        self,
        cursor: Cursor[DictRow],
        tables: TableNames,
        page: Sequence[PositionedEvent],
        reach: Reach,
        scored: Collection[Pair],
        states: PageStates,
    ) -> None:
        """Score the other plans of changed cycles, a batch at a time."""
        cycle_ids = list(reach.cycles)
        rows = cursor.execute(statements(tables).pairs_of_cycles, (cycle_ids,)).fetchall()
        others = [Pair(row["employee_id"], row["cycle_id"]) for row in rows]
        others = [pair for pair in others if pair not in scored]
        for start in range(0, len(others), RESCORED_AT_ONCE):
            batch = others[start : start + RESCORED_AT_ONCE]
            plans = self.states.page(cursor, page)
            plans.take(id_ for pair in batch for id_ in (pair.plan_id, pair.log_id))
            tallies = self.tallies.page(plans)
            self._write(cursor, tables, reach.settled(batch), tallies, states)
            self.states.keep(plans)
            self.tallies.keep(tallies)

    def _write(
        self,
        cursor: Cursor[DictRow],
        tables: TableNames,
        reached: dict[Pair, Positions],
        tallies: TallySource,
        cycles: PageStates,
    ) -> None:
        """Score the periods reached, each as of the last event that reached it."""
        employee_ids = list({pair.employee_id for pair in reached})
        found = cursor.execute(statements(tables).places, (employee_ids,)).fetchall()
        places = {row["employee_id"]: (row["department"], row["manager_id"]) for row in found}
        rows = []
        for pair, positions in reached.items():
            department, manager_id = places.get(pair.employee_id, (None, None))
            knowledge = knowledge_of(pair, max(positions.values()), tallies.states, cycles)
            tallied = tallies.of(pair.log_id, knowledge.cycle)
            cards = scorecards_tallied(knowledge, list(positions), tallied)
            for card, position in zip(cards, positions.values(), strict=True):
                rows.append(row_of(replace(card, position=position), department, manager_id))
        upsert(cursor, SCORECARDS, tables, rows)

    def _people(
        self, cursor: Cursor[DictRow], tables: TableNames, page: Sequence[PositionedEvent]
    ) -> list[str]:
        """Keep each employee's department and manager; the employees whose place moved."""
        if not page:
            return []
        ids = list({event.originator_id for event in page if event.originator_version > 1})
        rows = cursor.execute(statements(tables).people, (ids,)).fetchall() if ids else []
        people = {row["employee_uuid"]: Person(**row) for row in rows}
        moved: dict[str, None] = {}
        for event in page:
            match event.event:
                case Employee.Registered() as registered:
                    people[event.originator_id] = Person(
                        event.originator_id,
                        registered.employee_id,
                        registered.department,
                        registered.manager_id,
                    )
                case Employee.ProfileChanged() as changed if PLACE_FIELDS & changed.changes.keys():
                    person = moved_to(people[event.originator_id], changed.changes)
                    people[event.originator_id] = person
                    moved[person.employee_id] = None
        upsert(
            cursor,
            PEOPLE,
            tables,
            [(p.employee_uuid, p.employee_id, p.department, p.manager_id) for p in people.values()],
        )
        return list(moved)


def pairs_held(states: PageStates) -> list[Pair]:
    """The pairs of the plans and measurement logs among ``states``."""
    pairs: dict[Pair, None] = {}
    for _, tracked in states.items():
        if isinstance(tracked.aggregate, Plan | MeasurementLog):
            pairs[Pair(tracked.aggregate.employee_id, tracked.aggregate.cycle_id)] = None
    return list(pairs)


def row_of(card: Scorecard, department: str | None, manager_id: str | None) -> tuple[object, ...]:
    return (
        card.employee_id,
        card.period,
        card.cycle_id,
        card.score,
        card.rating,
        card.rating_label,
        card.complete,
        card.hash,
        card.position,
        department,
        manager_id,
        compact(card.to_dict()),
    )


def moved_to(person: Person, changes: dict[str, str | None]) -> Person:
    place: dict[str, Any] = {name: value for name, value in changes.items() if name in PLACE_FIELDS}
    return replace(person, **place)


def scorecards_tallied(
    knowledge: Knowledge, periods: Sequence[Period], tallies: Tallies
) -> list[Scorecard]:
    """The scorecards of several periods of a plan, its measurements given as tallies."""
    if not periods:
        return []
    inp = scoring_input(replace(knowledge, log=None), periods[0])
    return [score_tallied(replace(inp, period=period), tallies) for period in periods]


def knowledge_of(pair: Pair, position: int, plans: PageStates, cycles: PageStates) -> Knowledge:
    """What the pair's scorecards depend on, as the page leaves it."""
    plan = plans.get(pair.plan_id, Plan)
    cycle = cycles.get(pair.cycle_uuid, ReviewCycle)
    if plan is None or cycle is None:
        raise LookupError(f"no plan of {pair.employee_id} in cycle {pair.cycle_id}")
    return Knowledge(position, plan, plans.get(pair.log_id, MeasurementLog), cycle)
