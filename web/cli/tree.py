"""``ledger tree``: the Merkle tree's signed head and RFC 9162 proofs, as JSON."""

from __future__ import annotations

import json

import click

from ledger.bootstrap import open_ledger
from ledger.config import Settings
from ledger.evidence.tree_head import SignedTreeHead
from web.cli.refusals import refusals_as_errors


@click.group()
def tree() -> None:
    """The Merkle tree over the ledger: its signed head and proofs (RFC 9162)."""


@tree.command("head")
@click.option("--size", "tree_size", type=click.IntRange(min=0), help="Default: the whole tree.")
@click.pass_obj
def tree_head(settings: Settings, tree_size: int | None) -> None:
    """Print the tree head, signed when the ledger has a key."""
    with refusals_as_errors(), open_ledger(settings) as ledger:
        head = ledger.tree.head(tree_size)
    show(SignedTreeHead.of(head).signed(settings).to_dict())


@tree.command("inclusion")
@click.option("--position", required=True, type=click.IntRange(min=1))
@click.option("--size", "tree_size", type=click.IntRange(min=0), help="Default: the whole tree.")
@click.pass_obj
def inclusion(settings: Settings, position: int, tree_size: int | None) -> None:
    """Print the audit path proving the event at POSITION is in the tree."""
    with refusals_as_errors(), open_ledger(settings) as ledger:
        proof = ledger.tree.inclusion(position, tree_size)
    show(proof.to_dict())


@tree.command("consistency")
@click.option("--from", "from_size", required=True, type=click.IntRange(min=1))
@click.option("--to", "to_size", type=click.IntRange(min=1), help="Default: the whole tree.")
@click.pass_obj
def consistency(settings: Settings, from_size: int, to_size: int | None) -> None:
    """Print the proof that the tree of FROM leaves is a prefix of the later one."""
    with refusals_as_errors(), open_ledger(settings) as ledger:
        proof = ledger.tree.consistency(from_size, to_size)
    show(proof.to_dict())


def show(document: dict[str, object]) -> None:
    click.echo(json.dumps(document, indent=2))
