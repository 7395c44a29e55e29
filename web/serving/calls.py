"""From a request to a command's Context, and from its Written answer to a response."""

from __future__ import annotations

import hashlib
import re
from typing import Any, cast

from flask import current_app, g, request

from ledger.application import LedgerApp
from ledger.commands import Context, Idempotency, Written
from ledger.config import Settings
from ledger.domain.access import Principal
from ledger.errors import InvalidInput
from web.serving.parsing import canonical_json, json_body

LEDGER = "ledger"
SETTINGS = "ledger.settings"
ENTITY_TAG = re.compile(r'"([0-9]{1,18})"')
IDEMPOTENCY_KEY = re.compile(r"[!-~]{1,200}")

Answer = tuple[dict[str, Any], int, dict[str, str]]


def ledger() -> LedgerApp:
    return cast(LedgerApp, current_app.extensions[LEDGER])


def settings() -> Settings:
    return cast(Settings, current_app.extensions[SETTINGS])


def principal() -> Principal:
    return cast(Principal, g.principal)


def context() -> Context:
    """The acting principal, the retry key with the request's fingerprint, the expected version."""
    actor = principal().actor
    return Context(actor, idempotency(actor), expected_version())


def expected_version() -> int | None:
    value = request.headers.get("If-Match")
    if value is None or value.strip() == "*":
        return None
    match = ENTITY_TAG.fullmatch(value.strip())
    if match is None:
        message = 'must be the entity tag of a version, such as "7"'
        raise InvalidInput(f"If-Match {message}", {"If-Match": message})
    return int(match[1])


def idempotency(actor: str) -> Idempotency | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        message = "1 to 200 visible ASCII characters"
        raise InvalidInput(f"Idempotency-Key: {message}", {"Idempotency-Key": message})
    return Idempotency(key, fingerprint(actor))


def fingerprint(actor: str) -> str:
    """sha256 of the method, the path, the canonical body and the actor."""
    body = json_body()
    parts = [request.method, request.path, "" if body is None else canonical_json(body), actor]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def answer(written: Written) -> Answer:
    """201 when the command created something, 200 otherwise; a replay says so."""
    body: dict[str, Any] = {"position": written.position, "version": written.version}
    body.update(written.ids)
    headers = {"Idempotent-Replayed": "true"} if written.replayed else {}
    return body, 201 if written.created else 200, headers


def tagged(version: int) -> dict[str, str]:
    """The ETag header of a single aggregate's representation."""
    return {"ETag": f'"{version}"'}
