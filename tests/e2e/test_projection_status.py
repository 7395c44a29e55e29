"""The read models' status over HTTP: every view of the catalogue, with its position and lag."""

from __future__ import annotations

from ledger.application import LedgerApp
from projections.catalog import all_views
from tests.e2e.client import ApiClient

FIELDS = {
    "name",
    "position",
    "head",
    "lag",
    "version",
    "code_version",
    "status",
    "error",
    "error_position",
    "updated_at",
}


def test_the_status_lists_every_view_with_its_position_head_and_lag(
    auditor: ApiClient, e2e_ledger: LedgerApp
) -> None:
    head = e2e_ledger.head_position()
    listing = auditor.ok("GET", "/projections")
    assert listing["next"] is None
    views = {view.name: view for view in all_views(e2e_ledger)}
    assert {item["name"] for item in listing["items"]} >= set(views)
    for item in listing["items"]:
        assert set(item) >= FIELDS
        assert item["head"] >= head
        assert item["lag"] == max(item["head"] - item["position"], 0)
        if item["name"] in views:
            assert item["code_version"] == views[item["name"]].version
