from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

import pytest

from ledger.errors import InvalidInput
from ledger.ids import (
    NAMESPACE,
    check_key,
    cycle_uuid,
    employee_uuid,
    measurement_id,
    measurement_log_uuid,
    parse_measurement_id,
    plan_uuid,
    review_uuid,
)


def test_ids_are_uuid5_of_a_namespaced_natural_key() -> None:
    assert uuid5(NAMESPACE_URL, "https://performance-ledger.org/ids") == NAMESPACE
    assert employee_uuid("E1001") == uuid5(NAMESPACE, "employee:E1001")
    assert cycle_uuid("FY2026") == uuid5(NAMESPACE, "cycle:FY2026")
    assert plan_uuid("E1001", "FY2026") == uuid5(NAMESPACE, "plan:E1001/FY2026")
    assert measurement_log_uuid("E1001", "FY2026") == uuid5(
        NAMESPACE, "measurement-log:E1001/FY2026"
    )
    assert review_uuid("E1001", "FY2026-Q3") == uuid5(NAMESPACE, "review:E1001/FY2026-Q3")


def test_a_plan_and_a_measurement_log_of_the_same_keys_have_different_ids() -> None:
    assert plan_uuid("E1001", "FY2026") != measurement_log_uuid("E1001", "FY2026")


@pytest.mark.parametrize("key", ["E1001", "FY2026", "time-to-hire", "a.b_c-d", "9", "x" * 64])
def test_natural_keys_of_letters_digits_and_separators_are_accepted(key: str) -> None:
    assert check_key(key, "kpi_id") == key


@pytest.mark.parametrize(
    "key", ["", "-leading-dash", "_x", "has space", "E1001:FY2026", "a/b", "x" * 65, "é"]
)
def test_malformed_natural_keys_are_refused_naming_the_field(key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_key(key, "kpi_id")
    assert "kpi_id" in refused.value.fields


def test_a_measurement_id_names_its_employee_and_cycle() -> None:
    assert measurement_id("E1001", "FY2026", 7) == "E1001:FY2026:7"
    assert parse_measurement_id("E1001:FY2026:7") == ("E1001", "FY2026")


@pytest.mark.parametrize(
    "value", ["", "E1001", "E1001:FY2026", "E1001:FY2026:0", "E1001:FY2026:x", "a:b:1:2", ":b:1"]
)
def test_malformed_measurement_ids_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput):
        parse_measurement_id(value)
