from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

from ledger.scoring import KpiScore, KraScore, Scorecard, canonical_json, scorecard_hash
from ledger.values import Aggregation, Direction

KPI = KpiScore(
    kpi_id="retain",
    name="Kundenbindung ✓",
    unit="%",
    direction=Direction.INCREASE,
    aggregation=Aggregation.LAST,
    weight=Decimal(100),
    target=Decimal("90"),
    threshold=None,
    stretch=Decimal("99.5"),
    actual=Decimal("87.005"),
    achievement=Decimal("96.666666"),
    measurement_count=1,
)
CARD = Scorecard(
    employee_id="E1",
    cycle_id="FY2026",
    period="FY2026-Q1",
    score=Decimal("96.67"),
    rating=3,
    rating_label="Meets expectations",
    complete=True,
    kras=(KraScore("cr", "Client Retention", Decimal(100), None, (KPI,)),),
)
EXPECTED = (
    '{"complete":true,"cycle_id":"FY2026","employee_id":"E1","kras":[{"kpis":[{'
    '"achievement":"96.67","actual":"87.01","aggregation":"last","direction":"increase",'
    '"kpi_id":"retain","measurement_count":1,"name":"Kundenbindung ✓","stretch":"99.50",'
    '"target":"90.00","threshold":null,"unit":"%","weight":"100.00"}],"kra_id":"cr",'
    '"score":null,"title":"Client Retention","weight":"100.00"}],"period":"FY2026-Q1",'
    '"rating":3,"rating_label":"Meets expectations","score":"96.67"}'
).encode()


def test_canonical_json_has_sorted_keys_compact_separators_and_two_place_decimals() -> None:
    assert canonical_json(CARD) == EXPECTED


def test_canonical_json_keeps_text_as_utf8_rather_than_escapes() -> None:
    assert "✓".encode() in canonical_json(CARD)


def test_the_hash_is_the_sha256_of_the_canonical_json() -> None:
    expected = "sha256:" + hashlib.sha256(EXPECTED).hexdigest()

    assert scorecard_hash(CARD) == expected
    assert CARD.hash == expected


def test_position_and_as_of_are_not_part_of_the_hash() -> None:
    read_later = replace(CARD, position=42, as_of="2026-01-01T00:00:00+00:00")

    assert canonical_json(read_later) == canonical_json(CARD)
    assert read_later.hash == CARD.hash


def test_a_different_figure_gives_a_different_hash() -> None:
    assert replace(CARD, score=Decimal("96.68")).hash != CARD.hash


def test_decimals_equal_after_rounding_give_equal_hashes() -> None:
    assert replace(CARD, score=Decimal("96.666")).hash == CARD.hash


def test_to_dict_reports_decimals_as_strings_with_the_hash_and_reading_point() -> None:
    read = replace(CARD, position=7, as_of="2026-01-01T00:00:00+00:00")

    data = read.to_dict()

    assert data["score"] == "96.67"
    assert data["rating"] == 3
    assert data["hash"] == CARD.hash
    assert (data["position"], data["as_of"]) == (7, "2026-01-01T00:00:00+00:00")
    assert data["kras"] == [
        {
            "kra_id": "cr",
            "title": "Client Retention",
            "weight": "100.00",
            "score": None,
            "kpis": [
                {
                    "kpi_id": "retain",
                    "name": "Kundenbindung ✓",
                    "unit": "%",
                    "direction": "increase",
                    "aggregation": "last",
                    "weight": "100.00",
                    "target": "90.00",
                    "threshold": None,
                    "stretch": "99.50",
                    "actual": "87.01",
                    "achievement": "96.67",
                    "measurement_count": 1,
                }
            ],
        }
    ]
