"""A history for the pages to show, written through the API as a client would: the
report's plan with a KRA whose title holds markup, two measurements, and an adjustment."""

from __future__ import annotations

from dataclasses import dataclass

from tests.e2e.client import RETENTION_KPI, ApiClient, Seat, new_id

HOSTILE_TITLE = '<script>window.pwned = 1</script><img src="https://example.org/x.png">'
HOSTILE_REASON = "<b>bold</b> & <script>alert(1)</script>"


@dataclass(frozen=True)
class Written:
    seat: Seat
    before: int
    """The position right after the first measurement."""
    after: int
    """The position of the adjustment, the history's last event."""


def exported_at_head(auditor: ApiClient, filters: dict[str, str]) -> bytes:
    """The API's audit-trail export for ``filters`` at the ledger's head, as CSV."""
    params = {**filters, "position": auditor.head_position()}
    api = auditor.get("/exports/audit", params=params)
    assert api.status_code == 200, api.text
    return api.content


def write_history(hr: ApiClient, employee_id: str) -> Written:
    seat = Seat(employee_id, new_id("FY"))
    hr.open_cycle(seat.cycle_id)
    hr.ok("PUT", seat.plan)
    hr.ok("PUT", f"{seat.plan}/kras/client-retention", {"title": HOSTILE_TITLE, "weight": 100})
    hr.ok("PUT", seat.kpi(), RETENTION_KPI)
    hr.ok("POST", f"{seat.plan}/activate")
    first = {"value": 87, "effective_date": "2026-05-31", "source": "CRM"}
    before = hr.ok("POST", f"{seat.kpi()}/measurements", first)["position"]
    second = {"value": 88, "effective_date": "2026-06-30", "source": "CRM"}
    hr.ok("POST", f"{seat.kpi()}/measurements", second)
    adjustment = {"period": seat.q1, "target": 85, "reason": HOSTILE_REASON, "approved_by": "hr:b"}
    after = hr.ok("POST", f"{seat.kpi()}/adjustments", adjustment)["position"]
    return Written(seat, before, after)
