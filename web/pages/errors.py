"""Errors on the pages: the same refusals as the API's problem details, as a page a person
can read. A 403 page names nothing of what was refused."""

from __future__ import annotations

from flask import Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from ledger.errors import LedgerError
from ledger.store.faults import STORE_FAULTS
from projections.queries import ViewBehind
from web.api.resource import API_PREFIX
from web.pages.blueprint import pages
from web.serving.problems import PositionNotReached, http_problem, refusal_of

TITLES = {
    403: "Not yours to see",
    404: "Not found",
}


@pages.errorhandler(LedgerError)
@pages.errorhandler(PositionNotReached)
@pages.errorhandler(ViewBehind)
def refused(error: Exception) -> tuple[str, int]:
    found = refusal_of(error)
    detail = (
        "This page is not among those your role may read."
        if found.status == 403
        else (found.detail)
    )
    return page(found.status, TITLES.get(found.status, found.title), detail, found.errors)


for _fault in STORE_FAULTS:
    pages.register_error_handler(_fault, refused)


@pages.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    if status >= 500:
        return defect(error)
    return page(status, TITLES.get(status, error.name), error.description or error.name)


@pages.errorhandler(Exception)
def defect(error: Exception) -> tuple[str, int]:
    original = getattr(error, "original_exception", None) or error
    current_app.logger.error("page failed", exc_info=original)
    return page(500, "Something failed", "The server failed on this page; this is a defect.")


def page(
    status: int, title: str, detail: str, errors: dict[str, list[str]] | None = None
) -> tuple[str, int]:
    html = render_template("error.html", status=status, title=title, detail=detail, errors=errors)
    return html, status


def not_found(error: HTTPException) -> tuple[str, int] | Response:
    """A URL nothing serves: a page for a browser, problem details for the API and for
    clients that do not ask for HTML."""
    if request.path.startswith(f"{API_PREFIX}/") or not wants_html():
        return http_problem(error)
    return page(404, TITLES[404], "Nothing is served at this address.")


def wants_html() -> bool:
    accepted = request.accept_mimetypes
    return accepted.quality("text/html") > accepted.quality("application/json")
