"""``/people/{employee_id}``: a person's profile, their plans per cycle, and a chart of their
score per period, from the read models the API's lists use."""

from __future__ import annotations

from flask import render_template

from ledger.domain.access import Action
from ledger.errors import NotFound
from projections.queries import employee
from projections.queries.plans import plans_of
from projections.queries.scorecards import scorecards_of
from web.api.read_models import source
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger


@pages.route("/people/<employee_id>")
def person(employee_id: str) -> str:
    ledger().check_access(current(), Action.READ, employee_id)
    row = employee(source(), employee_id)
    if row is None:
        raise NotFound(f"no employee {employee_id}")
    cards = scorecards_of(source(), employee_id)
    chart = {
        "labels": [card.period for card in cards],
        "scores": [
            None if card.scorecard.score is None else str(card.scorecard.score) for card in cards
        ],
    }
    return render_template(
        "person.html", person=row, plans=plans_of(source(), employee_id), cards=cards, chart=chart
    )
