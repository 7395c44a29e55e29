"""``/people/{employee_id}/scorecards/{period}/explain?from=&to=``: why the scorecard changed
between two points, as a waterfall from the earlier score to the later one, the steps that
moved it (the others counted and listed on demand) and the differences per KPI. The same
explanation as the API's ``…/explain`` for the same ``from`` and ``to``."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from ledger.domain.access import Action
from web.api.explanations import ExplainQuery, explanation_document
from web.api.reviews import review_view
from web.pages.arguments import query_of
from web.pages.blueprint import pages
from web.pages.layout import current
from web.pages.waterfall import bars, parted
from web.serving.calls import ledger

POINTS = ("from", "to")


@pages.route("/people/<employee_id>/scorecards/<period>/explain")
def explain(employee_id: str, period: str) -> str:
    ledger().check_access(current(), Action.READ, employee_id)
    found = ledger().review_or_none(employee_id, period)
    revisions = review_view(ledger(), found)["revisions"] if found is not None else []
    page: dict[str, Any] = {
        "employee_id": employee_id,
        "period": period,
        "revisions": revisions,
        "head": ledger().head(),
        "picked": picked(revisions),
        "explanation": None,
    }
    if "from" in request.args:
        query = query_of(ExplainQuery(only=("frm", "to")), instants=POINTS)
        explanation = explanation_document(employee_id, period, query)
        steps = parted(explanation)
        page.update(
            explanation=explanation,
            steps=steps,
            chart={"bars": bars(explanation, steps.moved)},
        )
    return render_template("explain.html", **page)


def picked(revisions: list[dict[str, Any]]) -> dict[str, str]:
    """The points in the pickers: those asked for, else the last two revisions (or the last
    one and the latest knowledge)."""
    asked = {name: request.args[name] for name in POINTS if name in request.args}
    if asked:
        return {name: asked.get(name, "") for name in POINTS}
    numbers = [revision["revision"] for revision in revisions]
    if len(numbers) >= 2:
        return {"from": f"r{numbers[-2]}", "to": f"r{numbers[-1]}"}
    return {"from": f"r{numbers[-1]}" if numbers else "", "to": ""}
