"""``/people/{employee_id}/scorecards/{period}``: the scorecard as the ledger knew it at a
position or an instant, with a control to pick either, and its hash. The same document as
``GET /api/v1/employees/{employee_id}/scorecards/{period}`` for the same parameters."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template

from ledger.domain.access import Action
from web.api.scorecards import ScorecardQuery, scorecard_document
from web.pages.arguments import query_of
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger


@pages.route("/people/<employee_id>/scorecards/<period>")
def scorecard(employee_id: str, period: str) -> str:
    ledger().check_access(current(), Action.READ, employee_id)
    query = query_of(ScorecardQuery(only=("position", "as_of")), instants=("as_of",))
    card = loaded(
        scorecard_document(
            employee_id, period, position=query.get("position"), as_of=query.get("as_of")
        )
    )
    return render_template(
        "scorecard.html",
        card=card,
        query=query,
        head=ledger().head(),
        employee_id=employee_id,
        period=period,
    )


def loaded(document: str | dict[str, Any]) -> dict[str, Any]:
    return json.loads(document) if isinstance(document, str) else dict(document)
