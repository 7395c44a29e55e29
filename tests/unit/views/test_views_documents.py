"""The audit trail's changes written as JSON text directly read as the general encoder's."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projections.views.changes import change, recorded_text
from projections.views.documents import Json, changes_text, compact

TEXTS = ["", "manual", 'say "hi"', "tab\there", "back\\slash", "línea\nnext", "\u2028\x00"]


@pytest.mark.parametrize("text", TEXTS)
def test_changes_written_directly_are_the_encoders_text(text: str) -> None:
    changes = {
        "value": change(Decimal("87.50"), Decimal("92")),
        "note": change(None, text),
        "voided": change(False, True),
        "rating_scale": change([1, 2], [1, 2, 3]),
        text: change({"a": text}, None),
    }

    assert changes_text(changes) == compact(changes)


@pytest.mark.parametrize("text", TEXTS)
def test_a_recording_written_at_once_is_its_changes_text(text: str) -> None:
    value = "87.50"
    changes: dict[str, dict[str, Json]] = {
        "value": change(None, value),
        "source": change(None, text),
        "note": change(None, text[::-1]),
    }

    written = recorded_text(value, text, text[::-1])

    assert written == changes_text(changes)
    assert json.loads(written) == changes


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(st.text(), st.fixed_dictionaries({"from": JSON_VALUES, "to": JSON_VALUES})))
def test_any_changes_written_directly_are_the_encoders_text(
    changes: dict[str, dict[str, Json]],
) -> None:
    assert changes_text(changes) == compact(changes)
