"""``/``: the start page by role. HR, admins and auditors see departments, recent changes
and the ledger's head; a manager their reports; an employee their plans."""

from __future__ import annotations

from flask import render_template

from ledger.domain.access import Principal, Role
from projections.queries import audit_trail, employees
from projections.queries.employees import departments
from projections.queries.plans import plans_of
from projections.queries.scorecards import scorecards_of
from web.api.jobs import jobs
from web.api.ledger import VERIFICATION
from web.api.read_models import audited, source
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger

RECENT = 12
REPORTS = 500


@pages.route("/")
def home() -> str:
    who = current()
    if audited():
        return ledger_home()
    return render_template("home_person.html", **own_view(who))


def ledger_home() -> str:
    head = ledger().head()
    after = max(0, head.position - RECENT)
    recent = list(audit_trail(source(), after=after, limit=RECENT).items)
    return render_template(
        "home_ledger.html",
        head=head,
        verification=jobs().latest(VERIFICATION),
        departments=departments(source()),
        recent=list(reversed(recent)),
    )


def own_view(who: Principal) -> dict[str, object]:
    reports = []
    if who.role is Role.MANAGER and who.employee_id is not None:
        reports = list(employees(source(), manager_id=who.employee_id, limit=REPORTS).items)
    mine = who.employee_id
    return {
        "reports": reports,
        "plans": plans_of(source(), mine) if mine else [],
        "cards": scorecards_of(source(), mine) if mine else [],
    }
