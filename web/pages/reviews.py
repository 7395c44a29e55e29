"""``/people/{employee_id}/reviews/{period}``: every revision of a review, with its computed
and final rating, calibration and reopen reasons, who and when; each revision reproduced on
demand (``?reproduce=N``) with both hashes. The same review and reproduction as the API's."""

from __future__ import annotations

from typing import Any

from flask import render_template
from marshmallow import Schema, fields, validate

from ledger.domain.access import Action
from web.api.reviews import reproduction_document, review_view
from web.pages.arguments import query_of
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger


class ReviewPageQuery(Schema):
    reproduce = fields.Integer(
        validate=validate.Range(1, 999_999_999),
        metadata={"description": "the revision to score again from the versions it pinned"},
    )


@pages.route("/people/<employee_id>/reviews/<period>")
def review(employee_id: str, period: str) -> str:
    ledger().check_access(current(), Action.READ, employee_id)
    query = query_of(ReviewPageQuery())
    document = review_view(ledger(), ledger().review(employee_id, period))
    reproduction: dict[str, Any] | None = None
    if "reproduce" in query:
        reproduction = reproduction_document(employee_id, period, query["reproduce"])
    return render_template("review.html", review=document, reproduction=reproduction)
