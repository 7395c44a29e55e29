"""``/projections``: each read model's position, the head, its lag, status and last error:
the list of ``GET /api/v1/projections``."""

from __future__ import annotations

from flask import render_template

from ledger.domain.access import Action
from web.api.projections import view_statuses
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger


@pages.route("/projections")
def projections_page() -> str:
    ledger().check_access(current(), Action.AUDIT)
    return render_template("projections.html", views=view_statuses(), head=ledger().head())
