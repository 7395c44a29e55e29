"""Access tokens: granted and revoked as events, listed from a directory, looked up by hash.

The token directory is a small aggregate holding the id of every token ever granted; it is
saved with each grant, so listing tokens reads one aggregate and then each token, and two
grants racing each other conflict like any two writers of one aggregate.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from ledger.app.base import LedgerBase, command
from ledger.commands import Context, Written
from ledger.domain.access import (
    TOKEN_PREFIX,
    AccessDenied,
    AccessToken,
    Action,
    Principal,
    Role,
    TokenDirectory,
    check_role,
    may,
    token_hash,
    token_id_of,
)
from ledger.domain.employee import Employee
from ledger.errors import AlreadyExists, NotFound

CACHE_LIMIT = 10_000


@dataclass(frozen=True)
class IssuedToken:
    """A new token: its text is shown once, here, and stored nowhere."""

    token_id: str
    token: str
    written: Written


@dataclass(frozen=True)
class TokenEntry:
    """A token as listed: never its text, never its hash."""

    token_id: str
    name: str
    role: Role
    employee_id: str | None
    granted_by: str
    granted_at: datetime
    revoked: bool
    revoked_reason: str | None


class AccessCommands(LedgerBase):
    def issue_token(
        self, ctx: Context, *, name: str, role: Role | str, employee_id: str | None = None
    ) -> IssuedToken:
        """A new random token for a principal; only its hash is recorded."""
        token_id = secrets.token_hex(8)
        token = f"{TOKEN_PREFIX}_{token_id}_{secrets.token_hex(32)}"
        written = self.grant_token(
            ctx,
            token_id,
            name=name,
            role=role if isinstance(role, Role) else check_role(role),
            employee_id=employee_id,
            digest=token_hash(token),
        )
        if written.replayed:
            granted = written.ids.get("token_id")
            raise AlreadyExists(
                f"this request granted token {granted} already; a token is shown only once"
            )
        return IssuedToken(token_id, token, written)

    @command
    def grant_token(
        self,
        ctx: Context,
        token_id: str,
        *,
        name: str,
        role: Role,
        employee_id: str | None,
        digest: str,
    ) -> Written:
        if employee_id is not None:
            self.load(Employee, Employee.create_id(employee_id), f"employee {employee_id}")
        token = AccessToken.grant(
            token_id,
            name=name,
            role=role,
            employee_id=employee_id,
            token_hash=digest,
            actor=ctx.actor,
        )
        directory = self.token_directory()
        if directory is None:
            directory = TokenDirectory.start(actor=ctx.actor)
        directory.add(token_id, actor=ctx.actor)
        ids = {"token_id": token_id}
        return self.commit(ctx, token, directory, main=directory, ids=ids, created=True)

    @command
    def revoke_token(self, ctx: Context, token_id: str, *, reason: str | None) -> Written:
        token = self.access_token(token_id)
        self.check_version(ctx, token)
        token.revoke(reason=reason, actor=ctx.actor)
        return self.commit(ctx, token, main=token, ids={"token_id": token_id})

    def access_token(self, token_id: str) -> AccessToken:
        return self.load(AccessToken, AccessToken.create_id(token_id), f"token {token_id}")

    def token_directory(self) -> TokenDirectory | None:
        return self.find(TokenDirectory, TokenDirectory.create_id(), "token directory")

    def tokens(self) -> list[TokenEntry]:
        """Every token ever granted, in the order granted."""
        directory = self.token_directory()
        if directory is None:
            return []
        return [self._entry(self.access_token(token_id)) for token_id in directory.token_ids]

    @staticmethod
    def _entry(token: AccessToken) -> TokenEntry:
        return TokenEntry(
            token_id=token.token_id,
            name=token.name,
            role=token.role,
            employee_id=token.employee_id,
            granted_by=token.granted_by,
            granted_at=token.created_on,
            revoked=token.is_revoked,
            revoked_reason=token.revoked_reason,
        )

    def principal(self, token: str) -> Principal | None:
        """Who presents ``token``; None for a malformed, unknown or revoked one.

        The token is read afresh every time (one read of its events since the state this
        process keeps), so a revocation by any process is refused at once, here too.
        """
        token_id = token_id_of(token)
        if token_id is None:
            return None
        return self.session_principal(token_id, token_hash(token))

    def session_principal(self, token_id: str, hashed: str) -> Principal | None:
        """Who holds a session signed in with the token ``token_id`` whose hash is
        ``hashed``; None once that token is revoked, read afresh like ``principal``."""
        aggregate_id = AccessToken.create_id(token_id)
        stored = self.loader.latest([aggregate_id], fresh=True).get(aggregate_id)
        if not isinstance(stored, AccessToken) or stored.is_revoked:
            return None
        if not hmac.compare_digest(stored.token_hash, hashed):
            return None
        return stored.principal

    def check_access(
        self, principal: Principal, action: Action, employee_id: str | None = None
    ) -> None:
        """Raises AccessDenied unless the principal's role allows ``action`` here."""
        if not may(principal, action, employee_id, self._manager_of):
            raise AccessDenied(f"{principal.actor} may not {action.value} here")

    def _manager_of(self, employee_id: str) -> str | None:
        try:
            employee = self.read(Employee, Employee.create_id(employee_id), "employee")
        except NotFound:
            return None
        return employee.profile.manager_id
