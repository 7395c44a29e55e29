"""The ``ledger`` commands of auditors: digests, checking against one, keys, evidence, and
explaining a change of a scorecard or restating a review.

``register(main)`` adds them to the ``ledger`` group; ``python -m web.cli.audit`` runs the
group with them registered.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import click
from tqdm import tqdm

from ledger.bootstrap import open_ledger
from ledger.config import Settings
from ledger.errors import LedgerError
from ledger.evidence import (
    Digest,
    generate_key_file,
    make_digest,
    public_key_path,
    read_public_key,
    verify_digest,
    write_evidence,
)
from ledger.explanation import Side, Step, parse_point
from ledger.explanation.explaining import explain, restate
from ledger.scoring.precision import reported


def _settings(obj: object) -> Settings:
    return obj if isinstance(obj, Settings) else Settings.from_env()


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


@click.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write it here.")
@click.pass_obj
def digest(obj: object, out: Path | None) -> None:
    """Print (or write) a digest of the chain head, signed when LEDGER_SIGNING_KEY is set."""
    settings = _settings(obj)
    try:
        with open_ledger(settings) as ledger:
            made = make_digest(ledger, settings)
    except LedgerError as exc:
        _fail(f"error: {exc.message}")
    if out is None:
        click.echo(made.to_json(), nl=False)
        return
    out.write_text(made.to_json())
    signed = f", signed by {made.public_key}" if made.public_key else ", unsigned"
    click.echo(f"digest of position {made.position} written to {out}{signed}")


@click.command("verify-digest")
@click.argument("digest_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    "public_key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The key the digest must be signed by (PEM public or private key, or hex).",
)
@click.pass_obj
def verify_digest_command(obj: object, digest_file: Path, public_key_file: Path | None) -> None:
    """Check that nothing in the ledger up to a digest's position has changed since."""
    settings = _settings(obj)
    try:
        kept = Digest.from_json(digest_file.read_text())
        trusted = None if public_key_file is None else read_public_key(public_key_file)
        with open_ledger(settings) as ledger, tqdm(unit="event", desc="verify") as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            check = verify_digest(ledger, kept, trusted, progress)
    except LedgerError as exc:
        _fail(f"error: {exc.message}")
    if check.ok:
        signer = f"; signed by {kept.public_key}" if kept.public_key else "; unsigned"
        click.echo(
            f"ok: the ledger matches the digest at position {kept.position}"
            f" ({check.checked} events verified{signer})"
        )
        return
    if check.first_bad_position is None:
        _fail(f"DIGEST REJECTED: {check.problem}")
    _fail(
        f"TAMPERED at position {check.first_bad_position}: {check.problem}"
        f" (the digest names position {kept.position})"
    )


@click.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def keygen(out: Path) -> None:
    """Write a new Ed25519 signing key (and its public key beside it, as FILE.pub)."""
    try:
        public_key = generate_key_file(out)
    except LedgerError as exc:
        _fail(f"error: {exc.message}")
    click.echo(f"private key written to {out} (keep it secret; set LEDGER_SIGNING_KEY={out})")
    click.echo(f"public key written to {public_key_path(out)}")
    click.echo(f"public_key {public_key}")


@click.group()
def export() -> None:
    """Files to be checked against the ledger later."""


@export.command()
@click.option("--employee", "employee_id", required=True)
@click.option("--period", "period_id", required=True, help="FY2026-Q3, or FY2026 for the cycle.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--with-key",
    "include_key",
    is_flag=True,
    help="Carry the employee's data key, so the verifier opens each sealed text.",
)
@click.pass_obj
def evidence(obj: object, employee_id: str, period_id: str, out: Path, include_key: bool) -> None:
    """Write an evidence bundle (zip) of one employee's period, checkable offline."""
    settings = _settings(obj)
    try:
        with open_ledger(settings) as ledger, tqdm(unit="part", desc="evidence") as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            bundle = write_evidence(
                ledger,
                employee_id,
                period_id,
                out,
                progress,
                settings=settings,
                include_key=include_key,
            )
    except LedgerError as exc:
        _fail(f"error: {exc.message}")
    signed = "signed" if bundle.signed else "unsigned"
    click.echo(
        f"evidence of {bundle.employee_id} for {bundle.period} at position {bundle.position}"
        f" written to {bundle.path}: {bundle.events} events,"
        f" {len(bundle.revisions)} review revisions, {signed}"
    )
    click.echo(f"check it with: python3 verify_bundle.py {bundle.path.name}  (it is inside)")


@click.command("explain")
@click.argument("employee_id")
@click.argument("period_id", metavar="PERIOD")
@click.option("--from", "frm", required=True, help="A position, an instant with a zone, or r2.")
@click.option("--to", help="A position, an instant with a zone, or r2 (default: the latest).")
@click.option(
    "--moved", "moved_only", is_flag=True, help="Only the steps that moved the scorecard."
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole explanation as JSON.")
@click.pass_obj
def explain_command(
    obj: object,
    employee_id: str,
    period_id: str,
    frm: str,
    to: str | None,
    moved_only: bool,
    as_json: bool,
) -> None:
    """Why a scorecard changed between two points: every event between them, each with the
    period it concerns, the overall score after it, and whether it moved the scorecard
    (marked *)."""
    settings = _settings(obj)
    try:
        start = parse_point(frm, "from")
        with open_ledger(settings) as ledger:
            end = ledger.head_position() if to is None else parse_point(to, "to")
            explanation = explain(ledger, employee_id, period_id, start, end)
    except LedgerError as exc:
        _fail(f"error: {exc.message}")
    if as_json:
        click.echo(json.dumps(explanation.to_dict(moved_only=moved_only), indent=2))
        return
    click.echo(
        f"{explanation.employee_id} {explanation.period}: {explanation.steps_moved} of"
        f" {len(explanation.steps)} steps moved the scorecard"
    )
    click.echo(f"  from {_side(explanation.frm)}")
    for step in explanation.moving_steps if moved_only else explanation.steps:
        click.echo(_step_line(step))
    click.echo(f"  to {_side(explanation.to)}")


def _step_line(step: Step) -> str:
    """Moving steps are marked ``*``; each names the period it concerns."""
    mark = "*" if step.moved else " "
    reason = f"  reason: {step.reason}" if step.reason else ""
    return (
        f" {mark}{step.position:>9}  {step.period or '-'}  {step.event_type} by {step.actor}:"
        f" {_score(step.score, step.rating)}{reason}"
    )


@click.command("restate")
@click.argument("employee_id")
@click.argument("period_id", metavar="PERIOD")
@click.argument("revision", type=click.IntRange(min=1))
@click.option("--position", type=click.IntRange(min=0), help="The later knowledge.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole restatement as JSON.")
@click.pass_obj
def restate_command(
    obj: object,
    employee_id: str,
    period_id: str,
    revision: int,
    position: int | None,
    as_json: bool,
) -> None:
    """A finalised review revision, reproduced, beside the same period under later knowledge."""
    settings = _settings(obj)
    try:
        with open_ledger(settings) as ledger:
            restatement = restate(ledger, employee_id, period_id, revision, position)
    except LedgerError as exc:
        _fail(f"error: {exc.message}")
    if as_json:
        click.echo(json.dumps(restatement.to_dict(), indent=2))
        return
    matches = "reproduces exactly" if restatement.matches else "DOES NOT REPRODUCE"
    click.echo(
        f"{restatement.employee_id} {restatement.period}"
        f" revision {restatement.revision.revision} ({matches})"
    )
    click.echo(f"  finalised {_side(restatement.frm)}")
    click.echo(f"  restated  {_side(restatement.to)}")


def _side(side: Side) -> str:
    card = side.scorecard
    if card is None:
        return f"position {side.position}: no plan yet"
    return f"position {side.position}: {_score(card.score, card.rating)}"


def _score(score: Decimal | None, rating: int | None) -> str:
    figure = "unscored" if score is None else str(reported(score))
    return f"{figure} (rating {'-' if rating is None else rating})"


def register(main: click.Group) -> None:
    """Adds the commands to ``main``; ``evidence`` joins an ``export`` group already there."""
    for command in (digest, verify_digest_command, keygen, explain_command, restate_command):
        if command.name not in main.commands:
            main.add_command(command)
    existing = main.commands.get("export")
    if existing is None:
        main.add_command(export)
    elif isinstance(existing, click.Group) and "evidence" not in existing.commands:
        existing.add_command(evidence)


def run() -> None:
    from web.cli.main import main

    register(main)
    main()


if __name__ == "__main__":
    run()
