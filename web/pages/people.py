"""``/people/{employee_id}``: a person's profile, their plans per cycle, and a chart of their
score per period, from the read models the API's lists use."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask import render_template

from ledger.domain.access import Action
from ledger.errors import NotFound
from ledger.periods import QUARTERS, parse_period
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
    chart = score_chart((card.period, card.scorecard.score) for card in cards)
    return render_template(
        "person.html",
        person=row,
        plans=plans_of(source(), employee_id),
        cards=cards,
        chart=chart,
        whole_cycles={card.period for card in cards if parse_period(card.period).is_whole_cycle},
    )


def score_chart(scores: Iterable[tuple[str, Decimal | None]]) -> dict[str, Any]:
    """The chart of a person's score per quarter: one line per cycle, the quarters along
    the axis, a quarter not scored left a gap. A whole cycle's score is no point among
    quarters (the table lists it)."""
    lines: dict[str, list[str | None]] = {}
    for period_id, score in scores:
        period = parse_period(period_id)
        if period.quarter is None:
            continue
        line = lines.setdefault(period.cycle_id, [None] * len(QUARTERS))
        line[QUARTERS.index(period.quarter)] = None if score is None else str(score)
    return {
        "labels": [f"Q{quarter}" for quarter in QUARTERS],
        "series": [{"cycle": cycle, "scores": line} for cycle, line in sorted(lines.items())],
    }
