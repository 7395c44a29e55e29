"""A reviewed history for the review and explain pages, written through the API as a client
would: the history of ``history.py`` finalised, calibrated with a reason holding markup and
reopened; then Q2 measurements that leave Q1 as it was, an adjustment and a Q1 measurement
that move it, and the second revision finalised."""

from __future__ import annotations

from dataclasses import dataclass

from tests.e2e.browser.history import HOSTILE_REASON, write_history
from tests.e2e.client import ApiClient, Seat

CALIBRATION_REASON = HOSTILE_REASON
ADJUSTMENT_REASON = "<i>two accounts</i> moved <script>window.pwned = 2</script>"


@dataclass(frozen=True)
class Reviewed:
    seat: Seat

    @property
    def explain(self) -> str:
        return f"/employees/{self.seat.employee_id}/scorecards/{self.seat.q1}/explain"

    @property
    def explain_page(self) -> str:
        return f"/people/{self.seat.employee_id}/scorecards/{self.seat.q1}/explain"

    @property
    def review_page(self) -> str:
        return f"/people/{self.seat.employee_id}/reviews/{self.seat.q1}"


def write_reviewed(hr: ApiClient, employee_id: str) -> Reviewed:
    seat = write_history(hr, employee_id).seat
    measurements = f"{seat.kpi()}/measurements"
    hr.ok("POST", f"{seat.review}/finalize", {"comments": "first look"})
    hr.ok("POST", f"{seat.review}/calibrate", {"rating": 3, "reason": CALIBRATION_REASON})
    hr.ok("POST", f"{seat.review}/reopen", {"reason": "late data from the CRM"})
    hr.ok("POST", measurements, {"value": 70, "effective_date": "2026-07-31", "source": "CRM"})
    adjustment = {
        "period": seat.q1,
        "target": 88,
        "reason": ADJUSTMENT_REASON,
        "approved_by": "hr:b",
    }
    hr.ok("POST", f"{seat.kpi()}/adjustments", adjustment)
    hr.ok("POST", measurements, {"value": 75, "effective_date": "2026-08-31", "source": "CRM"})
    hr.ok("POST", measurements, {"value": 80, "effective_date": "2026-06-30", "source": "CRM"})
    hr.ok("POST", f"{seat.review}/finalize", {"comments": "with the late data"})
    return Reviewed(seat)
