"""The ledger itself: its chain head, the verification of every hash, and digests of the
chain kept outside the database."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Response, current_app
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.access import Action
from ledger.evidence import Digest, SigningKeyError, make_digest, verify_digest
from ledger.evidence.anchors import check_latest
from ledger.store.chain import Verification
from web.api.fields import Instant
from web.api.jobs import LOCATION, JobOut, accepted, jobs
from web.api.resource import Resource
from web.api.scorecards import MAX_POSITION
from web.serving.auth import requires
from web.serving.calls import ledger, principal, settings
from web.serving.jobs import JobState, Outcome, Work, Workspace
from web.serving.problems import problem

resource = Resource("ledger", "The ledger's chain: head, verification and digests")

VERIFICATION = "verification"
PUBLIC_KEY = validate.Regexp("^[0-9a-f]{64}$", error="must be 64 lowercase hex digits")


class HeadOut(Schema):
    position = fields.Integer(required=True)
    chain_hash = fields.String(required=True, metadata={"description": "hex"})
    recorded_at = fields.AwareDateTime(allow_none=True, required=True)


class AnchorCheckOut(Schema):
    anchor = fields.String(required=True, metadata={"description": "the anchor's file name"})
    tree_size = fields.Integer(required=True)
    ok = fields.Boolean(required=True)
    problem = fields.String(allow_none=True, required=True)


class VerificationOut(Schema):
    ok = fields.Boolean(
        required=True, metadata={"description": "the chain holds and extends the latest anchor"}
    )
    checked = fields.Integer(required=True)
    first_bad_position = fields.Integer(allow_none=True, required=True)
    problem = fields.String(allow_none=True, required=True)
    chain_hash = fields.String(required=True, metadata={"description": "hex, where it stopped"})
    anchor = fields.Nested(
        AnchorCheckOut,
        allow_none=True,
        required=True,
        metadata={"description": "the check against the latest anchor; null without one"},
    )


class DigestOut(Schema):
    position = fields.Integer(required=True)
    chain_hash = fields.String(required=True, metadata={"description": "hex"})
    recorded_at = fields.String(
        allow_none=True, required=True, metadata={"description": "YYYY-MM-DDTHH:MM:SS.ffffffZ"}
    )
    signature = fields.String(metadata={"description": "Ed25519, hex; when signed"})
    public_key = fields.String(metadata={"description": "Ed25519, hex; when signed"})


class DigestIn(Schema):
    """A digest as ``GET /ledger/digest`` gave it."""

    position = fields.Integer(strict=True, required=True, validate=validate.Range(0, MAX_POSITION))
    chain_hash = fields.String(
        required=True,
        validate=validate.Regexp("^[0-9a-f]{64}$", error="must be 64 lowercase hex digits"),
    )
    recorded_at = Instant(required=True, allow_none=True)
    signature = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Regexp("^[0-9a-f]{128}$", error="must be 128 lowercase hex digits"),
    )
    public_key = fields.String(allow_none=True, load_default=None, validate=PUBLIC_KEY)

    @validates_schema
    def signed_whole(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("signature") is None) != (data.get("public_key") is None):
            raise ValidationError("signature and public_key come together or not at all")

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Digest:
        return Digest(**data)


class TrustQuery(Schema):
    trusted_public_key = fields.String(
        validate=PUBLIC_KEY,
        metadata={"description": "pass only a digest signed by this Ed25519 key (hex)"},
    )


class DigestCheckOut(Schema):
    ok = fields.Boolean(required=True)
    checked = fields.Integer(required=True)
    first_bad_position = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "where the ledger stops matching; null when the digest is"},
    )
    problem = fields.String(allow_none=True, required=True)


class VerificationIn(Schema):
    digest = fields.Nested(
        DigestIn, metadata={"description": "check the ledger against this digest"}
    )
    trusted_public_key = fields.String(
        validate=PUBLIC_KEY,
        metadata={"description": "with digest: pass only a digest signed by this key (hex)"},
    )

    @validates_schema
    def key_with_digest(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "trusted_public_key" in data and "digest" not in data:
            raise ValidationError("a trusted key applies to a digest; give one", "digest")


@resource.route("/ledger/head", "GET")
@requires(Action.BROWSE)
@resource.response(200, HeadOut)
def head() -> dict[str, Any]:
    """The chain head: the last position, its chain hash and when it was recorded"""
    link = ledger().head()
    return {
        "position": link.position,
        "chain_hash": link.chain_hash.hex(),
        "recorded_at": link.recorded_at,
    }


@resource.route("/ledger/verify", "GET")
@requires(Action.AUDIT)
@resource.response(200, VerificationOut)
def verify() -> dict[str, Any]:
    """Recompute every event and chain hash; name the first position that disagrees"""
    return verification_view(ledger(), ledger().verify(), settings())


@resource.route("/ledger/digest", "GET")
@requires(Action.AUDIT)
@resource.response(200, DigestOut)
def digest() -> dict[str, object]:
    """A digest of the chain head to keep outside the database

    Signed with the ledger's Ed25519 key when it has one.
    """
    return make_digest(ledger(), settings()).to_dict()


@resource.route("/ledger/digest/verify", "POST")
@requires(Action.AUDIT)
@resource.arguments(DigestIn)
@resource.arguments(TrustQuery, location="query")
@resource.response(200, DigestCheckOut)
def verify_against_digest(kept: Digest, query: dict[str, Any]) -> dict[str, object]:
    """Check that nothing up to a digest's position changed since it was taken"""
    return verify_digest(ledger(), kept, query.get("trusted_public_key")).to_dict()


@resource.route("/ledger/verifications", "POST", answers=[HTTPStatus.TOO_MANY_REQUESTS])
@requires(Action.AUDIT)
@resource.arguments(VerificationIn, required=False)
@resource.response(202, JobOut, headers=LOCATION)
def start_verification(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Verify the whole chain, or the ledger against a digest, as a job

    Follow Location for its progress and result.
    """
    return accepted(verification_job(body.get("digest"), body.get("trusted_public_key")))


def verification_job(kept: Digest | None, trusted_public_key: str | None = None) -> JobState:
    """Start verifying the whole chain, or the ledger against ``kept``, as the principal's job."""
    work = (
        verification_work(ledger(), settings())
        if kept is None
        else digest_check_work(ledger(), kept, trusted_public_key)
    )
    return jobs().start(VERIFICATION, principal().actor, work, unit="event")


def verification_view(app: LedgerApp, result: Verification, config: Settings) -> dict[str, Any]:
    """The chain's verification and, when it holds, the check against the latest anchor."""
    anchor = check_latest(app.records, app.tree, config) if result.ok else None
    return {
        "ok": result.ok and (anchor is None or anchor.ok),
        "checked": result.checked,
        "first_bad_position": result.first_bad_position,
        "problem": result.problem if anchor is None or anchor.ok else anchor.problem,
        "chain_hash": result.chain_hash.hex(),
        "anchor": None if anchor is None else anchor.to_dict(),
    }


def verification_work(app: LedgerApp, config: Settings) -> Work:
    def work(space: Workspace) -> Outcome:
        result = app.verify(progress=space.progress)
        if result.ok:
            space.progress(result.checked, result.checked)
        return Outcome(verification_view(app, result, config))

    return work


def digest_check_work(app: LedgerApp, kept: Digest, trusted_public_key: str | None) -> Work:
    def work(space: Workspace) -> Outcome:
        check = verify_digest(app, kept, trusted_public_key, space.progress)
        if check.ok:
            space.progress(check.checked, check.checked)
        return Outcome({**check.to_dict(), "position": kept.position})

    return work


def signing_key_problem(error: SigningKeyError) -> Response:
    """A signing key that cannot be used is the server's fault, not the request's."""
    current_app.logger.error("the ledger's signing key cannot be used: %s", error.message)
    detail = "the ledger's signing key cannot be used; its operator must fix the key file"
    return problem(500, "Internal Server Error", detail, kind="signing-key-unusable")


resource.blueprint.register_error_handler(SigningKeyError, signing_key_problem)
