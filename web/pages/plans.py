"""``/people/{employee_id}/plans/{cycle_id}``: a plan's KRAs and KPIs with their weights,
the target in force per quarter as ``GET /api/v1/employees/{employee_id}/plans/{cycle_id}``
answers it, the revisions and adjustments of the target-revision register marked at their
quarters with their reason and approver, and the plan's lint warnings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from flask import render_template

from ledger.domain.access import Action
from projections.queries import RegisterFilter, TargetRevisionRow, target_revisions
from projections.queries.reading import MAX_LIMIT
from web.api.plans import lint_view, plan_view
from web.api.read_models import source
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger

MARKED = ("revised", "adjusted")
"""The register's kinds marked at the quarter they concern."""


@pages.route("/people/<employee_id>/plans/<cycle_id>")
def plan(employee_id: str, cycle_id: str) -> str:
    ledger().check_access(current(), Action.READ, employee_id)
    found = ledger().plan(employee_id, cycle_id)
    changes = list(register_of(employee_id, cycle_id))
    return render_template(
        "plan.html",
        plan=plan_view(found),
        lint=lint_view(found),
        changes=changes,
        marks=marks_of(changes),
        anchor=anchor,
    )


def register_of(employee_id: str, cycle_id: str) -> Iterator[TargetRevisionRow]:
    """Every row of the plan's target-revision register, in position order."""
    filters = RegisterFilter(cycle_id=cycle_id, employee_id=employee_id)
    after: int | None = None
    while True:
        page = target_revisions(source(), filters, after=after, limit=MAX_LIMIT)
        yield from page.items
        if page.next is None:
            return
        after = page.next


def marks_of(
    changes: Iterable[TargetRevisionRow],
) -> dict[tuple[str, str], list[TargetRevisionRow]]:
    """The revisions and adjustments of each KPI's quarter, by ``(kpi_id, period)``, oldest
    first: a revision at the quarter it is effective from, an adjustment at the quarter it
    overrides. A KPI removed and defined again keeps only what came after its removal."""
    kept: dict[str, list[TargetRevisionRow]] = defaultdict(list)
    for row in changes:
        if row.kind == "removed":
            kept[row.kpi_id] = []
        elif row.kind in MARKED:
            kept[row.kpi_id].append(row)
    marks: dict[tuple[str, str], list[TargetRevisionRow]] = defaultdict(list)
    for kpi_id, rows in kept.items():
        for row in rows:
            if row.period is not None:
                marks[(kpi_id, row.period)].append(row)
    return dict(marks)


def anchor(row: TargetRevisionRow) -> str:
    """The id of a register row on the page."""
    return f"change-{row.position}-{row.kpi_id}"
