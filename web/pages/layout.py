"""What every page's frame knows: who is signed in, what their role may open, the CSRF token."""

from __future__ import annotations

from typing import Any

from flask import current_app, g

from ledger.domain.access import Principal, Role
from web.api.read_models import audited
from web.pages.blueprint import pages
from web.pages.safety import csrf_token

BROWSE_NAV = (("People", "pages.people"),)
AUDIT_NAV = (
    ("Audit trail", "pages.audit_trail"),
    ("Target revisions", "pages.target_revisions"),
    ("Ledger", "pages.ledger_page"),
    ("Read models", "pages.projections_page"),
)
WRITER_NAV = (("Import", "pages.imports_page"),)


@pages.context_processor
def frame() -> dict[str, Any]:
    principal: Principal | None = g.get("principal")
    audits = principal is not None and audited()
    extra: list[tuple[str, str]] = []
    if principal is not None and principal.role is not Role.EMPLOYEE:
        extra.extend(BROWSE_NAV)
    if audits:
        extra.extend(AUDIT_NAV)
    if principal is not None and principal.role in (Role.HR, Role.ADMIN):
        extra.extend(WRITER_NAV)
    return {
        "principal": principal,
        "audits": audits,
        "nav": [item for item in extra if has_page(item[1])],
        "has_page": has_page,
        "csrf_token": csrf_token,
    }


def has_page(endpoint: str) -> bool:
    """Whether the app serves ``endpoint``: links to pages not served are left out."""
    return endpoint in current_app.view_functions


def current() -> Principal:
    """The principal signed in (every page but sign-in has one)."""
    who: Principal = g.principal
    return who
