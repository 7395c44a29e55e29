"""The Merkle tree over the ledger (RFC 9162): signed tree heads, inclusion and consistency
proofs, and the public key that checks the signatures."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from ledger.domain.access import Action
from ledger.errors import NotFound
from ledger.evidence.signing import read_public_key
from ledger.evidence.tree_head import SignedTreeHead
from web.api.resource import Resource
from web.api.scorecards import MAX_POSITION
from web.serving.auth import requires
from web.serving.calls import ledger, settings

resource = Resource("proofs", "The Merkle tree over the ledger: tree heads and proofs")

HEX = {"description": "SHA-256, lowercase hex"}


def tree_size(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=False, validate=validate.Range(0, MAX_POSITION), **kwargs)


class TreeHeadQuery(Schema):
    tree_size = tree_size(metadata={"description": "default: every leaf there is"})


class InclusionQuery(Schema):
    position = fields.Integer(required=True, validate=validate.Range(1, MAX_POSITION))
    tree_size = tree_size(metadata={"description": "default: the current tree"})


class ConsistencyQuery(Schema):
    from_size = fields.Integer(
        required=True, data_key="from", validate=validate.Range(1, MAX_POSITION)
    )
    to_size = tree_size(data_key="to", metadata={"description": "default: the current tree"})


class TreeHeadOut(Schema):
    tree_size = fields.Integer(required=True)
    root_hash = fields.String(required=True, metadata=HEX)
    position = fields.Integer(required=True, metadata={"description": "of the last leaf"})
    recorded_at = fields.String(allow_none=True, required=True)
    signature = fields.String(allow_none=True, required=True, metadata={"description": "hex"})
    public_key = fields.String(allow_none=True, required=True, metadata={"description": "hex"})


class InclusionOut(Schema):
    position = fields.Integer(required=True)
    leaf_index = fields.Integer(required=True)
    tree_size = fields.Integer(required=True)
    event_hash = fields.String(required=True, metadata=HEX)
    leaf_hash = fields.String(required=True, metadata=HEX)
    audit_path = fields.List(fields.String(metadata=HEX), required=True)
    root_hash = fields.String(required=True, metadata=HEX)


class ConsistencyOut(Schema):
    from_size = fields.Integer(required=True, data_key="from", attribute="from")
    to_size = fields.Integer(required=True, data_key="to", attribute="to")
    from_root = fields.String(required=True, metadata=HEX)
    to_root = fields.String(required=True, metadata=HEX)
    proof = fields.List(fields.String(metadata=HEX), required=True)


class PublicKeyOut(Schema):
    public_key = fields.String(required=True, metadata={"description": "Ed25519, hex"})


@resource.route("/ledger/tree-head", "GET", answers=(422,))
@requires(Action.BROWSE)
@resource.arguments(TreeHeadQuery, location="query")
@resource.response(200, TreeHeadOut)
def tree_head(query: dict[str, Any]) -> dict[str, object]:
    """The Merkle tree's size and root hash, signed with the ledger's key when it has one"""
    return tree_head_document(query.get("tree_size"))


@resource.route("/ledger/proofs/inclusion", "GET", answers=(404, 422))
@requires(Action.AUDIT)
@resource.arguments(InclusionQuery, location="query")
@resource.response(200, InclusionOut)
def inclusion(query: dict[str, Any]) -> dict[str, object]:
    """The audit path proving the event at a position is in the tree of a given size"""
    return ledger().tree.inclusion(query["position"], query.get("tree_size")).to_dict()


@resource.route("/ledger/proofs/consistency", "GET", answers=(422,))
@requires(Action.AUDIT)
@resource.arguments(ConsistencyQuery, location="query")
@resource.response(200, ConsistencyOut)
def consistency(query: dict[str, Any]) -> dict[str, object]:
    """The proof that an earlier tree is a prefix of a later one (RFC 9162 2.1.4)"""
    return ledger().tree.consistency(query["from_size"], query.get("to_size")).to_dict()


@resource.route("/ledger/public-key", "GET", answers=(404,))
@requires(Action.BROWSE)
@resource.response(200, PublicKeyOut)
def public_key() -> dict[str, str]:
    """The Ed25519 public key that checks the ledger's signed tree heads and digests"""
    key = public_key_hex()
    if key is None:
        raise NotFound("this ledger has no signing key")
    return {"public_key": key}


def tree_head_document(size: int | None = None) -> dict[str, object]:
    """The tree head of ``size`` leaves (None: every leaf), signed when the ledger has a key."""
    head = ledger().tree.head(size)
    return SignedTreeHead.of(head).signed(settings()).to_dict()


def public_key_hex() -> str | None:
    """The Ed25519 public key (hex) that checks the ledger's signatures; None without a key."""
    key_file = settings().signing_key
    return None if key_file is None else read_public_key(key_file)
