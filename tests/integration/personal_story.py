"""A full history of one person, every free text of it marked so that it can be searched for."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.application import LedgerApp
from ledger.domain import Profile
from ledger.values import TargetSpec
from tests.integration.support import HR, Seat, new_id, seat_with_active_plan


@dataclass(frozen=True)
class PersonalStory:
    """A seat whose name, notes, reasons and comments all carry ``mark``."""

    seat: Seat
    mark: str
    name: str

    def texts(self) -> list[str]:
        return [self.name, self.mark]


def told(app: LedgerApp) -> PersonalStory:
    """Plan, measurements with notes, a correction with a reason, an adjustment, a calibrated
    review: every text about the person holds the story's mark."""
    mark = f"zq{secrets.token_hex(6)}"
    seat = seat_with_active_plan(app)
    name = f"Ximena {mark}"
    app.change_profile(
        HR,
        seat.employee_id,
        Profile(name, "Sales", "Sales Executive"),
        effective_date=date(2026, 4, 2),
        reason=f"name corrected for {mark}",
    )
    first = app.record_measurement(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        value=Decimal(80),
        effective_date=date(2026, 5, 31),
        note=f"{mark} was on leave for two weeks",
    ).ids["measurement_id"]
    app.correct_measurement(HR, first, value=Decimal(87), reason=f"{mark}'s clients recounted")
    app.adjust_target(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        TargetSpec(Decimal(85)),
        period=seat.q1,
        reason=f"two key accounts of {mark} moved region",
        approved_by="hr:meera",
    )
    app.finalize_review(HR, seat.employee_id, seat.q1, comments=f"{mark} did well")
    app.calibrate_review(HR, seat.employee_id, seat.q1, rating=3, reason=f"{mark} calibrated")
    return PersonalStory(seat, mark, name)


def other_person(app: LedgerApp) -> str:
    employee_id = new_id("E")
    app.register_employee(HR, employee_id, Profile("Noor Das", "Ops", "Analyst"))
    return employee_id
