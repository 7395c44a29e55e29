from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.scoring import MeasurementFact, tallies_of
from ledger.scoring.tally import quarter_within
from projections.views.tallies import LogTallies

START = date(2026, 4, 1)
KPI_IDS = ("a", "b", "rate")
values = st.decimals(min_value=-1000, max_value=1000, places=2)
volumes = st.decimals(min_value=0, max_value=100000, places=0)


def observed(data: st.DataObject, fact: MeasurementFact) -> MeasurementFact:
    """``fact`` with a new value, or for the rate a new numerator and denominator."""
    if fact.kpi_id != "rate":
        return replace(fact, value=data.draw(values))
    return replace(fact, value=None, numerator=data.draw(values), denominator=data.draw(volumes))


def extreme(facts: dict[str, MeasurementFact], kpi_id: str, quarter: int, which: str) -> str:
    """The measurement that is the current least, greatest or latest of its KPI-quarter."""
    counted = [
        fact
        for fact in facts.values()
        if not fact.voided
        and fact.kpi_id == kpi_id
        and quarter_within(START, fact.effective_date) == quarter
    ]
    if which == "least":
        return min(counted, key=lambda fact: fact.value or 0).measurement_id
    if which == "greatest":
        return max(counted, key=lambda fact: fact.value or 0).measurement_id
    return max(counted, key=lambda fact: (fact.effective_date, fact.sequence)).measurement_id


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_tallies_kept_through_corrections_and_voids_equal_the_tallies_of_the_log(
    data: st.DataObject,
) -> None:
    facts: dict[str, MeasurementFact] = {}
    kept = LogTallies(START, 0)
    for sequence in range(1, data.draw(st.integers(min_value=1, max_value=40)) + 1):
        live = [fact for fact in facts.values() if not fact.voided]
        kind = data.draw(st.sampled_from(("record", "correct", "void") if live else ("record",)))
        if kind == "record":
            fact = observed(
                data,
                MeasurementFact(
                    f"m{sequence}",
                    data.draw(st.sampled_from(KPI_IDS)),
                    None,
                    START + timedelta(days=data.draw(st.integers(min_value=0, max_value=364))),
                    sequence,
                ),
            )
            facts[fact.measurement_id] = fact
            kept.recorded(fact)
            continue
        before = data.draw(st.sampled_from(live))
        quarter = quarter_within(START, before.effective_date)
        assert quarter is not None
        which = data.draw(st.sampled_from(("any", "least", "greatest", "latest")))
        if which != "any":
            before = facts[extreme(facts, before.kpi_id, quarter, which)]
        after = observed(data, before) if kind == "correct" else replace(before, voided=True)
        facts[after.measurement_id] = after
        kept.changed(before, after)

        assert kept.tallies == tallies_of(facts.values(), START)
    assert kept.tallies == tallies_of(facts.values(), START)
    assert kept.weight == max(1, sum(1 for fact in facts.values() if not fact.voided))


def test_tallies_made_from_no_log_are_empty() -> None:
    made = LogTallies.of(None, START, 0)

    assert made.tallies == {}
    assert made.position == 0
