"""The demo's bearer tokens, one per role, each with the principal it acts as.

They are kept in a file of the data folder (readable by its owner only), so a restart on
the same data prints the same tokens; one that no longer works (revoked, or granted on
another database) is replaced by a new grant.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain.access import Principal, Role
from ledger.errors import NotFound
from web.demo.organisation import reports_of

TOKENS_FILE = "demo-tokens"
FILE_MODE = 0o600
GRANTER = Context(actor="admin:demo")


@dataclass(frozen=True)
class DemoPrincipal:
    role: Role
    name: str
    employee_id: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.name}"

    def is_held_by(self, principal: Principal | None) -> bool:
        return principal is not None and (
            principal.role,
            principal.name,
            principal.employee_id,
        ) == (self.role, self.name, self.employee_id)


PRINCIPALS = (
    DemoPrincipal(Role.ADMIN, "demo-admin"),
    DemoPrincipal(Role.HR, "priya"),
    DemoPrincipal(Role.MANAGER, "M103", "M103"),
    DemoPrincipal(Role.EMPLOYEE, "E1030", "E1030"),
    DemoPrincipal(Role.AUDITOR, "external-audit"),
)


@dataclass(frozen=True)
class DemoToken:
    principal: DemoPrincipal
    token: str
    acts_as: str
    """Who the principal is in the demo, in words."""

    def line(self) -> str:
        """``role token actor, who``: the role and token are the first two words."""
        return f"{self.principal.role.value:<9} {self.token}  {self.acts_as}"


def tokens_path(data_dir: Path) -> Path:
    return data_dir / TOKENS_FILE


def demo_tokens(ledger: LedgerApp, data_dir: Path) -> list[DemoToken]:
    """The demo's tokens: those kept in ``data_dir`` that still work, new ones for the rest
    (kept there in turn)."""
    path = tokens_path(data_dir)
    kept = read_kept(path)
    tokens = [
        DemoToken(principal, kept_or_granted(ledger, principal, kept), acts_as(ledger, principal))
        for principal in PRINCIPALS
    ]
    if [token.token for token in tokens] != [kept.get(p.role.value) for p in PRINCIPALS]:
        write_kept(path, tokens)
    return tokens


def kept_or_granted(ledger: LedgerApp, principal: DemoPrincipal, kept: dict[str, str]) -> str:
    token = kept.get(principal.role.value)
    if token is not None and principal.is_held_by(ledger.principal(token)):
        return token
    granted = ledger.issue_token(
        GRANTER, name=principal.name, role=principal.role, employee_id=principal.employee_id
    )
    return granted.token


def acts_as(ledger: LedgerApp, principal: DemoPrincipal) -> str:
    """``manager:M103, Meera Nair (Head of Sales), manager of E1030 and E1031`` and the like."""
    if principal.employee_id is None:
        return principal.actor
    try:
        profile = ledger.employee(principal.employee_id).profile
    except NotFound:
        return principal.actor
    who = f"{principal.actor}, {profile.name} ({profile.role})"
    if principal.role is Role.MANAGER:
        return f"{who}, manager of {' and '.join(reports_of(principal.employee_id))}"
    return f"{who}, reporting to {profile.manager_id}" if profile.manager_id else who


def read_kept(path: Path) -> dict[str, str]:
    """The kept token of each role, by role; none when there is no file."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    kept: dict[str, str] = {}
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 2 and not line.startswith("#"):
            kept[words[0]] = words[1]
    return kept


def write_kept(path: Path, tokens: Sequence[DemoToken]) -> None:
    """Writes the file whole, readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.new")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as output:
        os.fchmod(output.fileno(), FILE_MODE)
        output.write("".join(f"{token.line()}\n" for token in tokens))
    os.replace(partial, path)
