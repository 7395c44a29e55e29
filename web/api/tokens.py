"""Bearer tokens: granted and revoked by admins, as the same ledger events as the CLI's."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from ledger.domain.access import NAME_PATTERN, NAME_RULE, Action, Role
from web.api.fields import key_field, required_reason
from web.api.resource import Resource
from web.serving.auth import requires
from web.serving.calls import Answer, answer, context, ledger

resource = Resource("tokens", "Bearer tokens, granted and revoked as ledger events (admins)")

ROLES = [role.value for role in Role]


class GrantSchema(Schema):
    name = fields.String(
        required=True,
        validate=validate.Regexp(f"^{NAME_PATTERN.pattern}$", error=NAME_RULE),
        metadata={"description": "whom the token is for"},
    )
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    employee_id = key_field(
        load_default=None,
        allow_none=True,
        metadata={"description": "the employee a manager or employee token acts as"},
    )


class RevokeSchema(Schema):
    reason = required_reason()


class IssuedOut(Schema):
    token_id = fields.String(required=True)
    token = fields.String(
        required=True, metadata={"description": "the bearer token: shown this once, stored nowhere"}
    )
    position = fields.Integer(required=True)


class TokenOut(Schema):
    token_id = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    employee_id = fields.String(allow_none=True, required=True)
    granted_by = fields.String(required=True)
    granted_at = fields.DateTime(required=True)
    revoked = fields.Boolean(required=True)
    revoked_reason = fields.String(allow_none=True, required=True)


class TokenListOut(Schema):
    items = fields.List(fields.Nested(TokenOut), required=True)
    next = fields.String(allow_none=True, required=True)


@resource.route("/tokens", "POST", answers=(404, 409, 422))
@requires(Action.MANAGE_TOKENS)
@resource.arguments(GrantSchema)
@resource.response(201, IssuedOut)
def grant(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Grant a new token; its text is in this answer only"""
    issued = ledger().issue_token(context(), **body)
    return {
        "token_id": issued.token_id,
        "token": issued.token,
        "position": issued.written.position,
    }, 201


@resource.route("/tokens", "GET")
@requires(Action.MANAGE_TOKENS)
@resource.response(200, TokenListOut)
def listing() -> dict[str, Any]:
    """Every token granted, in the order granted, with its holder and state (never its text)"""
    entries = [{**vars(entry), "role": entry.role.value} for entry in ledger().tokens()]
    return {"items": entries, "next": None}


@resource.write("/tokens/<token_id>", "DELETE", answers=(404,))
@requires(Action.MANAGE_TOKENS)
@resource.arguments(RevokeSchema)
@resource.response(200)
def revoke(body: dict[str, Any], token_id: str) -> Answer:
    """Revoke a token (with a reason): every process refuses it from now on"""
    return answer(ledger().revoke_token(context(), token_id, **body))
