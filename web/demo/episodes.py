"""What an auditor asks about, each on its day and with its reason: target revisions,
quarterly adjustments, a plan reweighted, corrections, a report entered twice and voided,
and reviews reopened after a correction or an appeal."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ledger.application import LedgerApp
from ledger.domain.definitions import Weights
from ledger.values import TargetSpec
from web.demo.calendar import CURRENT, PAST, REPORTED_AFTER, Happening
from web.demo.organisation import HR, Organisation, Person, slug
from web.demo.results import SOURCE, manager_of, measurement_of, value_of
from web.demo.reviews import refinalize, reopen

APPROVER = "hr:priya"
SENT_TWICE = f"{SOURCE} (sent twice)"


def episodes(app: LedgerApp, organisation: Organisation) -> list[Happening]:
    people = organisation.people
    return [
        *entered_twice(app, people["E1010"], "time-to-hire", PAST.month(0), date(2025, 5, 21)),
        Happening(date(2025, 8, 14), lambda: revise_hiring_target(app, people["E1010"])),
        Happening(date(2025, 10, 9), lambda: adjust_festive_response(app, people["E1041"])),
        *reconciled_clients(app, people["E1031"]),
        *appeal(app, people["E1011"]),
        *entered_twice(
            app, people["E1040"], "first-response-time", CURRENT.month(0), date(2026, 11, 18)
        ),
        Happening(date(2026, 5, 15), lambda: reweight_for_on_call(app, people["E1001"])),
        Happening(date(2026, 8, 12), lambda: revise_sales_target(app, people["E1030"])),
        Happening(date(2026, 10, 14), lambda: adjust_migration_bugs(app, people["E1000"])),
        *late_tickets(app, people["E1040"]),
        Happening(date(2026, 11, 25), lambda: reopen_for_survey_audit(app, people["E1041"])),
    ]


def entered_twice(
    app: LedgerApp, person: Person, kpi_id: str, month: tuple[str, date], found: date
) -> list[Happening]:
    """A month's report (the cycle and last day of the month) entered a second time the day
    after it came, and voided when the duplicate was ``found``."""
    cycle_id, month_end = month

    def enter_again() -> None:
        first = measurement_of(app, person.employee_id, cycle_id, kpi_id, month_end)
        app.record_measurement(
            manager_of(person),
            person.employee_id,
            cycle_id,
            kpi_id,
            value=first.value,
            effective_date=month_end,
            source=SENT_TWICE,
        )

    def void() -> None:
        log = app.measurement_log(person.employee_id, cycle_id)
        twice = [m for m in log.measurements_of(kpi_id) if m.source == SENT_TWICE] if log else []
        for measurement in twice:
            reason = f"duplicate of the {month_end:%B} report entered twice"
            app.void_measurement(manager_of(person), measurement.measurement_id, reason=reason)

    entered = month_end + REPORTED_AFTER + timedelta(days=1)
    return [Happening(entered, enter_again), Happening(found, void)]


def revise_hiring_target(app: LedgerApp, person: Person) -> None:
    app.revise_target(
        manager_of(person),
        person.employee_id,
        PAST.cycle_id,
        "time-to-hire",
        TargetSpec(Decimal(25)),
        effective_from=f"{PAST.cycle_id}-Q3",
        reason="hiring for the new Pune office: senior roles take longer to fill",
        approved_by=APPROVER,
    )


def adjust_festive_response(app: LedgerApp, person: Person) -> None:
    app.adjust_target(
        manager_of(person),
        person.employee_id,
        PAST.cycle_id,
        "first-response-time",
        TargetSpec(Decimal(3)),
        period=f"{PAST.cycle_id}-Q3",
        reason="festive-season ticket volume doubled; agreed before the quarter began",
        approved_by=APPROVER,
    )


def reconciled_clients(app: LedgerApp, person: Person) -> list[Happening]:
    """December's new clients corrected after the CRM reconciliation; the Q3 review reopened
    and finalised again."""
    period = f"{PAST.cycle_id}-Q3"

    def correct() -> None:
        december = measurement_of(
            app, person.employee_id, PAST.cycle_id, "new-clients-onboarded", date(2025, 12, 31)
        )
        app.correct_measurement(
            manager_of(person),
            december.measurement_id,
            value=value_of(december) + 4,
            reason="four December sign-ups were booked under January in the CRM",
        )

    why = "December's new-client count corrected after the CRM reconciliation"
    return [
        Happening(date(2026, 1, 20), correct),
        Happening(date(2026, 1, 21), lambda: reopen(app, person.employee_id, period, why)),
        Happening(date(2026, 1, 22), lambda: refinalize(app, person, period, why)),
    ]


def appeal(app: LedgerApp, person: Person) -> list[Happening]:
    """An appeal against the annual review: March's eNPS corrected, the review finalised
    again."""
    period = PAST.cycle_id

    def correct() -> None:
        march = measurement_of(app, person.employee_id, PAST.cycle_id, "enps-score", PAST.end)
        app.correct_measurement(
            HR,
            march.measurement_id,
            value=value_of(march) + 6,
            reason="the March eNPS survey closed before its late responses were counted",
        )

    why = "appeal upheld: March's eNPS counted with its late responses"
    reason = "appeal: the March eNPS survey closed before its late responses were counted"
    return [
        Happening(date(2026, 5, 12), lambda: reopen(app, person.employee_id, period, reason)),
        Happening(date(2026, 5, 13), correct),
        Happening(date(2026, 5, 19), lambda: refinalize(app, person, period, why)),
    ]


def reweight_for_on_call(app: LedgerApp, person: Person) -> None:
    kras = [slug(example.kra) for example in person.kpis]
    first = Decimal(40)
    rest = (Decimal(100) - first) / (len(kras) - 1)
    weights = Weights(
        kra_weights={kra: first if i == 0 else rest for i, kra in enumerate(kras)},
        kpi_weights={slug(example.kpi): Decimal(100) for example in person.kpis},
    )
    app.reweight(
        manager_of(person),
        person.employee_id,
        CURRENT.cycle_id,
        weights,
        reason="on-call lead from May: code quality weighs more this year",
    )


def revise_sales_target(app: LedgerApp, person: Person) -> None:
    app.revise_target(
        manager_of(person),
        person.employee_id,
        CURRENT.cycle_id,
        "quarterly-revenue",
        TargetSpec(Decimal(12_000_000)),
        effective_from=f"{CURRENT.cycle_id}-Q3",
        reason="territory expanded to two new cities",
        approved_by=APPROVER,
    )


def adjust_migration_bugs(app: LedgerApp, person: Person) -> None:
    app.adjust_target(
        manager_of(person),
        person.employee_id,
        CURRENT.cycle_id,
        "production-bug-rate",
        TargetSpec(Decimal(2)),
        period=f"{CURRENT.cycle_id}-Q3",
        reason="platform migration quarter: higher bug rate agreed in advance",
        approved_by=APPROVER,
    )


def late_tickets(app: LedgerApp, person: Person) -> list[Happening]:
    """April's response times corrected once the regional queue's tickets turned up; the Q1
    review reopened and finalised again."""
    period = f"{CURRENT.cycle_id}-Q1"
    _, april = CURRENT.month(0)

    def correct() -> None:
        first = measurement_of(
            app, person.employee_id, CURRENT.cycle_id, "first-response-time", april
        )
        app.correct_measurement(
            manager_of(person),
            first.measurement_id,
            value=value_of(first) + 1,
            reason="late tickets from the regional queue were missing from the first report",
        )

    why = "April's first response times corrected with the regional queue's tickets"
    return [
        Happening(date(2026, 11, 18), correct),
        Happening(date(2026, 11, 19), lambda: reopen(app, person.employee_id, period, why)),
        Happening(date(2026, 11, 20), lambda: refinalize(app, person, period, why)),
    ]


def reopen_for_survey_audit(app: LedgerApp, person: Person) -> None:
    reason = "September's satisfaction survey is under audit for duplicated responses"
    reopen(app, person.employee_id, f"{CURRENT.cycle_id}-Q2", reason)
