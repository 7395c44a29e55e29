"""Each plan's measurements tallied by KPI and quarter, kept up to date event by event.

A measurement, its correction or its void changes one KPI's tally in one quarter: a new
measurement merges into it, a correction or void retallies the counted measurements of
that KPI and quarter, a bounded set however long the log. The scoring engine scores a
plan from its tallies (``score_tallied``), so rescoring after a measurement costs the
plan's KPIs, not its measurements.

Tallies stand at the position of the last event of their measurement log they reflect.
Tallies at another position than the log's state, or not kept, are made again from the
log's state, through the engine's own ``tally_of``. A page takes the tallies it
changes out of the cache and gives them back once it has written its rows, so a page
that fails leaves none half-changed behind.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import MeasurementLog
from ledger.scoring import MeasurementFact, Tallies, Tally, TallyKey, tally_of
from ledger.scoring.tally import Counted, quarter_within
from projections.view import PositionedEvent
from projections.views.ids import cycle_id_of
from projections.views.states import PageStates

DEFAULT_TALLIED = 50_000
"""Measurements' worth of tallies kept between pages."""


class LogTallies:
    """One measurement log's counted measurements and their tallies, by KPI and quarter."""

    def __init__(self, start: date, position: int) -> None:
        self.start = start
        self.position = position
        self._counted: dict[TallyKey, dict[str, Counted]] = {}
        self._tallies: dict[TallyKey, Tally] = {}
        self._weight = 0

    @classmethod
    def of(cls, log: MeasurementLog | None, start: date, position: int) -> LogTallies:
        tallies = cls(start, position)
        for measurement in () if log is None else log.measurements:
            tallies._count(measurement)
        tallies._tallies = {key: _tally(facts) for key, facts in tallies._counted.items()}
        return tallies

    @property
    def tallies(self) -> Tallies:
        return self._tallies

    @property
    def weight(self) -> int:
        """How many counted measurements the tallies hold: what the cache is bounded by."""
        return max(1, self._weight)

    def recorded(self, fact: Counted) -> None:
        key = self._count(fact)
        if key is not None:
            held = self._tallies.get(key)
            one = Tally.of(fact)
            self._tallies[key] = one if held is None else held.merged(one)

    def changed(self, before: Counted, after: Counted) -> None:
        """A measurement corrected or voided: retally its KPI in its quarter."""
        key = self._key(before)
        if key is None:
            return
        facts = self._counted.get(key, {})
        if facts.pop(before.measurement_id, None) is not None:
            self._weight -= 1
        if not after.voided:
            facts[after.measurement_id] = after
            self._weight += 1
        if facts:
            self._counted[key] = facts
            self._tallies[key] = _tally(facts)
        else:
            self._counted.pop(key, None)
            self._tallies.pop(key, None)

    def _count(self, fact: Counted) -> TallyKey | None:
        key = self._key(fact)
        if key is None or fact.voided:
            return None
        self._counted.setdefault(key, {})[fact.measurement_id] = fact
        self._weight += 1
        return key

    def _key(self, fact: Counted) -> TallyKey | None:
        quarter = quarter_within(self.start, fact.effective_date)
        return None if quarter is None else (fact.kpi_id, quarter)


def recorded_fact(recorded: MeasurementLog.MeasurementRecorded) -> MeasurementFact:
    """The measurement as its recording counts it."""
    return MeasurementFact(
        recorded.measurement_id,
        recorded.kpi_id,
        recorded.value,
        recorded.effective_date,
        recorded.originator_version,
        numerator=recorded.numerator,
        denominator=recorded.denominator,
    )


def changed_fact(
    changed: MeasurementLog.MeasurementCorrected | MeasurementLog.MeasurementVoided,
    before: Counted,
) -> MeasurementFact:
    """The measurement ``before`` as a correction or a void leaves it."""
    if isinstance(changed, MeasurementLog.MeasurementVoided):
        return counted_as(before, before.value, before.numerator, before.denominator, voided=True)
    return counted_as(before, changed.value, changed.numerator, changed.denominator)


def counted_as(
    fact: Counted,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    *,
    voided: bool = False,
) -> MeasurementFact:
    """The measurement with a new value (a rate: numerator and denominator), or voided."""
    return MeasurementFact(
        fact.measurement_id,
        fact.kpi_id,
        value,
        fact.effective_date,
        fact.sequence,
        voided,
        numerator,
        denominator,
    )


def _tally(facts: dict[str, Counted]) -> Tally:
    tally = tally_of(facts.values())
    assert tally is not None
    return tally


class TallyCache:
    """Tallies of measurement logs, least recently used first out, bounded by weight."""

    def __init__(self, capacity: int = DEFAULT_TALLIED) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[UUID, LogTallies] = OrderedDict()
        self._weight = 0

    @property
    def weight(self) -> int:
        return self._weight

    def page(self, states: PageStates) -> PageTallies:
        """The tallies of a page whose aggregates are ``states``."""
        return PageTallies(self, states)

    def withdraw(self, log_id: UUID) -> LogTallies | None:
        tallies = self._kept.pop(log_id, None)
        if tallies is not None:
            self._weight -= tallies.weight
        return tallies

    def keep(self, page: PageTallies) -> None:
        """Take the page's tallies back; forget the least recent beyond capacity."""
        for log_id, tallies in page.items():
            self.withdraw(log_id)
            self._kept[log_id] = tallies
            self._weight += tallies.weight
        while self._weight > self.capacity and self._kept:
            _, forgotten = self._kept.popitem(last=False)
            self._weight -= forgotten.weight


class TallySource(Protocol):
    """Where scoring finds a log's tallies, beside the states of the plans and cycles."""

    @property
    def states(self) -> PageStates: ...

    def of(self, log_id: UUID, cycle: ReviewCycle) -> Tallies: ...


class FoldedTallies:
    """Tallies counted from logs' stored events (see ``measured``), for scoring without
    the logs: a log without events has none."""

    def __init__(self, states: PageStates, folded: Mapping[UUID, Tallies]) -> None:
        self.states = states
        self._folded = folded

    def of(self, log_id: UUID, cycle: ReviewCycle) -> Tallies:
        return self._folded.get(log_id, {})


class PageTallies:
    """The tallies one page changes or scores from, beside its aggregates' states."""

    def __init__(self, cache: TallyCache, states: PageStates) -> None:
        self.cache = cache
        self.states = states
        self._tallies: dict[UUID, LogTallies] = {}

    def of(self, log_id: UUID, cycle: ReviewCycle) -> Tallies:
        """The log's tallies as its state stands now."""
        return self._current(log_id, cycle.start_date).tallies

    def follow(self, event: PositionedEvent) -> None:
        """Bring the tallies past ``event``; call before ``states`` advance past it."""
        match event.event:
            case MeasurementLog.MeasurementRecorded() as recorded:
                self._before(event).recorded(recorded_fact(recorded))
            case (
                MeasurementLog.MeasurementCorrected() | MeasurementLog.MeasurementVoided()
            ) as changed:
                before = self._measurement(event, changed.measurement_id)
                self._before(event).changed(before, changed_fact(changed, before))
            case MeasurementLog.Started() as started:
                start = self._cycle(started.cycle_id).start_date
                self._tallies[event.originator_id] = LogTallies(start, 0)
            case _:
                return
        self._tallies[event.originator_id].position = event.position

    def items(self) -> list[tuple[UUID, LogTallies]]:
        return list(self._tallies.items())

    def _before(self, event: PositionedEvent) -> LogTallies:
        log = self._log(event.originator_id)
        return self._current(event.originator_id, self._cycle(log.cycle_id).start_date)

    def _current(self, log_id: UUID, start: date) -> LogTallies:
        """The log's tallies at its state's position, made again when not at it."""
        position = self.states.position(log_id)
        tallies = self._tallies.get(log_id) or self.cache.withdraw(log_id)
        if tallies is None or tallies.position != position or tallies.start != start:
            log = self.states.get(log_id, MeasurementLog)
            tallies = LogTallies.of(log, start, position)
        self._tallies[log_id] = tallies
        return tallies

    def _measurement(self, event: PositionedEvent, measurement_id: str) -> Counted:
        """The measurement an event changes, as it stood before the event."""
        return self._log(event.originator_id).measurement(measurement_id)

    def _log(self, log_id: UUID) -> MeasurementLog:
        log = self.states.get(log_id, MeasurementLog)
        assert log is not None
        return log

    def _cycle(self, cycle_id: str) -> ReviewCycle:
        cycle = self.states.get(cycle_id_of(cycle_id), ReviewCycle)
        assert cycle is not None
        return cycle
