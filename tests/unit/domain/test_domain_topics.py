from __future__ import annotations

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import TopicError, get_topic, resolve_topic

from ledger.domain import Employee, MeasurementLog, Plan, Review, ReviewCycle, explicit_topics


def test_event_topics_name_the_aggregate_and_the_event_not_the_module() -> None:
    assert get_topic(Plan.TargetRevised) == "ledger:Plan.TargetRevised"
    assert resolve_topic("ledger:Plan.TargetRevised") is Plan.TargetRevised


@pytest.mark.parametrize(
    ("aggregate", "name"),
    [
        (Employee, "Employee"),
        (ReviewCycle, "ReviewCycle"),
        (Plan, "Plan"),
        (MeasurementLog, "MeasurementLog"),
        (Review, "Review"),
    ],
)
def test_every_aggregate_and_each_of_its_events_has_an_explicit_topic(
    aggregate: type[Aggregate], name: str
) -> None:
    assert get_topic(aggregate) == f"ledger:{name}"
    assert resolve_topic(f"ledger:{name}") is aggregate
    events = [v for v in vars(aggregate).values() if isinstance(v, type) and v is not aggregate]
    assert events
    for event_class in events:
        topic = f"ledger:{name}.{event_class.__name__}"
        assert get_topic(event_class) == topic
        assert resolve_topic(topic) is event_class


def test_a_created_event_records_the_aggregate_by_its_explicit_topic() -> None:
    plan = Plan.draft("E1001", "FY2026", actor="hr:priya")
    (drafted,) = plan.collect_events()
    assert isinstance(drafted, Plan.Drafted)
    assert drafted.originator_topic == "ledger:Plan"


def test_a_topic_taken_by_another_class_cannot_be_registered_again() -> None:
    class Impostor(Aggregate):
        pass

    with pytest.raises(TopicError, match="already registered"):
        explicit_topics("Plan")(Impostor)
