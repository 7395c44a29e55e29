"""What a person sees, as the README shows it: the scorecard with its as-of control, and the
waterfall between two review revisions. ``scripts/screens`` writes them to docs/screens;
every test run makes them too (in a temporary folder), so the README's stay makeable."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tests.e2e.browser.conftest import Tab
from tests.e2e.client import ApiClient, Seat, new_id

PNG = b"\x89PNG\r\n\x1a\n"
KRAS = {
    "client-retention": {"title": "Client Retention", "weight": 60},
    "new-business": {"title": "New Business", "weight": 40},
}
KPIS = {
    "retention": {
        "kra_id": "client-retention",
        "name": "Accounts retained",
        "unit": "%",
        "direction": "increase",
        "aggregation": "last",
        "weight": 100,
        "target": 90,
    },
    "new-revenue": {
        "kra_id": "new-business",
        "name": "New revenue",
        "unit": "INR lakh",
        "direction": "increase",
        "aggregation": "sum",
        "weight": 100,
        "target": 30,
    },
}


def folder(tmp_path: Path) -> Path:
    named = os.environ.get("LEDGER_SCREENSHOTS")
    target = Path(named) if named else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target


def account_manager(hr: ApiClient) -> tuple[Seat, int]:
    """An account manager's Q1: measured, reviewed, then an adjustment with its reason and
    late data, and the review finalised again. Returns the seat and the first review's
    position."""
    seat = Seat(new_id("E"), new_id("FY"))
    profile = {"name": "Ravi Kumar", "department": "Sales", "role": "Account Manager"}
    hr.ok("PUT", f"/employees/{seat.employee_id}", profile)
    hr.open_cycle(seat.cycle_id)
    hr.ok("PUT", seat.plan)
    for kra_id, kra in KRAS.items():
        hr.ok("PUT", f"{seat.plan}/kras/{kra_id}", kra)
    for kpi_id, kpi in KPIS.items():
        hr.ok("PUT", seat.kpi(kpi_id), kpi)
    hr.ok("POST", f"{seat.plan}/activate")
    measure = [
        ("retention", 86, "2026-04-30"),
        ("new-revenue", 9, "2026-04-30"),
        ("retention", 87, "2026-05-31"),
        ("new-revenue", 11, "2026-05-31"),
    ]
    for kpi_id, value, day in measure:
        body = {"value": value, "effective_date": day, "source": "CRM export"}
        hr.ok("POST", f"{seat.kpi(kpi_id)}/measurements", body)
    first = hr.ok("POST", f"{seat.review}/finalize", {"comments": "May figures"})["position"]
    hr.ok("POST", f"{seat.review}/reopen", {"reason": "June figures arrived late"})
    adjustment = {
        "period": seat.q1,
        "target": 85,
        "reason": "two key accounts moved to a new region",
        "approved_by": "hr:priya",
    }
    hr.ok("POST", f"{seat.kpi()}/adjustments", adjustment)
    for kpi_id, value in (("retention", 88), ("new-revenue", 12)):
        body = {"value": value, "effective_date": "2026-06-30", "source": "CRM export"}
        hr.ok("POST", f"{seat.kpi(kpi_id)}/measurements", body)
    hr.ok("POST", f"{seat.review}/finalize", {"comments": "with June"})
    return seat, first


def test_the_readmes_pictures_are_made_from_real_pages(
    tab_of: Callable[[str], Tab], hr: ApiClient, tmp_path: Path
) -> None:
    seat, first = account_manager(hr)
    target = folder(tmp_path)
    tab = tab_of("auditor")
    tab.page.set_viewport_size({"width": 1100, "height": 800})
    tab.open(f"/people/{seat.employee_id}/scorecards/{seat.q1}?position={first}")
    tab.page.screenshot(path=target / "scorecard.png", full_page=True)
    tab.open(f"/people/{seat.employee_id}/scorecards/{seat.q1}/explain?from=r1&to=r2")
    tab.page.wait_for_function("document.getElementById('waterfall').chart !== undefined")
    tab.page.screenshot(path=target / "waterfall.png", full_page=True)
    for name in ("scorecard.png", "waterfall.png"):
        assert (target / name).read_bytes().startswith(PNG)
