"""``/people?department=&manager_id=&q=``: the directory, filtered and paged as
``GET /api/v1/employees`` answers for the same parameters; a manager sees their reports."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for

from ledger.domain.access import AccessDenied, Role
from web.api.lists import EmployeeQuery, employee_list
from web.pages.arguments import query_of
from web.pages.blueprint import pages
from web.pages.layout import current

FILTERS = ("department", "manager_id", "q")
DEFAULT_LIMIT = 50


@pages.route("/people")
def people() -> str:
    who = current()
    if who.role is Role.EMPLOYEE:
        raise AccessDenied(f"{who.actor} may not list the ledger's records")
    query = query_of(EmployeeQuery(only=(*FILTERS, "after", "limit")))
    page = employee_list(dict(query))
    return render_template(
        "people.html",
        rows=page.items,
        query=query,
        scoped=who.role is Role.MANAGER,
        default_limit=DEFAULT_LIMIT,
        next_url=None if page.next is None else page_url(query, page.next),
        first_url=page_url(query, None) if "after" in query else None,
    )


def page_url(query: dict[str, Any], after: str | None) -> str:
    """The directory's URL for the same filters, from the cursor ``after`` (None: the first)."""
    kept = {name: query[name] for name in FILTERS if query.get(name) is not None}
    if query.get("limit", DEFAULT_LIMIT) != DEFAULT_LIMIT:
        kept["limit"] = query["limit"]
    if after is not None:
        kept["after"] = after
    return url_for("pages.people", **kept)
