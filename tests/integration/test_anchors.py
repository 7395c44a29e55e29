"""Anchors outside the database: a history cut short, or changed and recomputed by someone
with the database's rights, passes the chain's own check but not the latest anchor."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import cast

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import Profile
from ledger.evidence.anchoring import Anchorer, anchor_now
from ledger.evidence.anchors import AnchorCheck, check_latest
from ledger.evidence.signing import generate_key_file
from ledger.store.chain import GENESIS, event_hash, link_hash
from ledger.store.database import DatabaseAddress
from ledger.store.provision import grow_tree
from tests.integration.support import HR, new_id, run_ledger

TABLES = ("ledger_events", "ledger_events_chain", "ledger_events_leaf_runs", "ledger_events_nodes")


@pytest.fixture
def anchored(own_app: LedgerApp, settings: Settings, tmp_path: Path) -> Settings:
    """Twelve events, an anchor of them, then three more."""
    config = replace(settings, anchor_dir=tmp_path / "anchors")
    register(own_app, 12)
    assert anchor_now(own_app.tree, config) is not None
    register(own_app, 3)
    return config


@pytest.fixture
def superuser(fresh_database: DatabaseAddress) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection that has switched the ledger's guards off, as a superuser can."""
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        for table in TABLES:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        yield conn
        for table in TABLES:
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")


def register(app: LedgerApp, count: int) -> None:
    for _ in range(count):
        app.register_employee(HR, new_id("E"), Profile("Ana Rao", "Sales", "Lead"))


def checked(app: LedgerApp, config: Settings) -> AnchorCheck:
    result = check_latest(app.records, app.tree, config)
    assert result is not None
    return result


def recompute_chain_and_tree(
    conn: psycopg.Connection[tuple[object, ...]], db: DatabaseAddress
) -> None:
    """What someone with database rights does to hide a change: every hash made anew."""
    fetched = conn.execute(
        "SELECT e.notification_id, e.originator_id::text, e.originator_version, e.topic, e.state,"
        " c.recorded_at FROM ledger_events e JOIN ledger_events_chain c"
        " ON c.position = e.notification_id ORDER BY 1"
    ).fetchall()
    rows = cast("list[tuple[int, str, int, str, bytes, datetime]]", fetched)
    previous = GENESIS
    for position, originator, version, topic, state, recorded_at in rows:
        digest = event_hash(originator, version, topic, bytes(state))
        previous = link_hash(previous, digest, position, recorded_at)
        conn.execute(
            "UPDATE ledger_events_chain SET event_hash = %s, chain_hash = %s WHERE position = %s",
            (digest, previous, position),
        )
    conn.execute("DELETE FROM ledger_events_leaf_runs WHERE true")
    conn.execute("DELETE FROM ledger_events_nodes WHERE true")
    grow_tree(db)


def test_a_ledger_that_grew_after_its_anchor_extends_it(
    own_app: LedgerApp, anchored: Settings
) -> None:
    result = checked(own_app, anchored)
    assert (result.ok, result.tree_size) == (True, 12)


def test_the_last_events_deleted_fail_against_the_anchor_naming_it(
    own_app: LedgerApp,
    anchored: Settings,
    superuser: psycopg.Connection[tuple[object, ...]],
    fresh_database: DatabaseAddress,
) -> None:
    last = [
        r[0]
        for r in superuser.execute(
            "SELECT position FROM ledger_events_chain ORDER BY position DESC LIMIT 6"
        ).fetchall()
    ]
    for table, column in (
        ("ledger_events", "notification_id"),
        ("ledger_events_chain", "position"),
    ):
        superuser.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", (last,))
    for table in ("ledger_events_leaf_runs", "ledger_events_nodes"):
        superuser.execute(f"DELETE FROM {table} WHERE true")
    grow_tree(fresh_database)
    assert own_app.verify().ok
    result = checked(own_app, anchored)
    assert not result.ok
    assert result.problem is not None
    assert result.name in result.problem
    assert "cut short" in result.problem


def test_a_changed_event_with_every_hash_recomputed_fails_against_the_anchor(
    own_app: LedgerApp,
    anchored: Settings,
    superuser: psycopg.Connection[tuple[object, ...]],
    fresh_database: DatabaseAddress,
) -> None:
    changed = superuser.execute(
        "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
        " '\"Sales\"', '\"Legal\"'), 'UTF8')"
        " WHERE notification_id = (SELECT min(notification_id) + 4 FROM ledger_events)"
        " AND convert_from(state, 'UTF8') LIKE '%\"Sales\"%'"
    )
    assert changed.rowcount == 1
    recompute_chain_and_tree(superuser, fresh_database)
    assert own_app.verify().ok
    result = checked(own_app, anchored)
    assert not result.ok
    assert result.problem is not None
    assert result.name in result.problem
    assert "changed" in result.problem


def test_an_anchor_of_another_key_does_not_pass(
    own_app: LedgerApp, anchored: Settings, tmp_path: Path
) -> None:
    key = tmp_path / "other-key.pem"
    generate_key_file(key)
    result = checked(own_app, replace(anchored, signing_key=key))
    assert not result.ok
    assert result.problem is not None
    assert "signature" in result.problem


def test_the_command_line_anchors_and_verify_fails_naming_the_anchor_after_a_truncation(
    own_app: LedgerApp,
    fresh_database: DatabaseAddress,
    superuser: psycopg.Connection[tuple[object, ...]],
    tmp_path: Path,
) -> None:
    register(own_app, 5)
    env = {"LEDGER_ANCHOR_DIR": str(tmp_path / "kept")}
    anchored = run_ledger(fresh_database, "anchor", env=env)
    assert anchored.returncode == 0, anchored.stderr
    assert "anchored 5 events" in anchored.stdout
    assert "extends anchor" in run_ledger(fresh_database, "verify", env=env).stdout
    last = own_app.head_position()
    superuser.execute("DELETE FROM ledger_events_chain WHERE position = %s", (last,))
    superuser.execute("DELETE FROM ledger_events WHERE notification_id = %s", (last,))
    refused = run_ledger(fresh_database, "verify", env=env)
    assert refused.returncode == 1
    assert "TAMPERED: anchor tree-head-000000000000005-" in refused.stderr


def test_a_server_anchors_by_itself(own_app: LedgerApp, settings: Settings, tmp_path: Path) -> None:
    register(own_app, 3)
    config = replace(settings, anchor_dir=tmp_path / "auto")
    anchorer = Anchorer(own_app.tree, config)
    anchorer.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list((tmp_path / "auto").glob("tree-head-*")):
            time.sleep(0.05)
    finally:
        anchorer.stop()
    result = checked(own_app, config)
    assert (result.ok, result.tree_size) == (True, 3)


@pytest.fixture
def hole(own_app: LedgerApp, settings: Settings, tmp_path: Path) -> tuple[Settings, int]:
    """Six events, a position left unused (as a rolled-back write leaves one), six more, an
    anchor of them, then three more; with the unused position, inside the anchored history."""
    config = replace(settings, anchor_dir=tmp_path / "anchors")
    register(own_app, 6)
    with own_app.records.datastore.transaction(commit=True) as curs:
        row = curs.execute(
            "SELECT nextval(pg_get_serial_sequence('ledger_events', 'notification_id')) AS n"
        ).fetchone()
    assert row is not None
    register(own_app, 6)
    assert anchor_now(own_app.tree, config) is not None
    register(own_app, 3)
    return config, int(row["n"])


def forge_event(conn: psycopg.Connection[tuple[object, ...]], position: int) -> None:
    """A copy of the first registration as a new event at ``position``."""
    conn.execute(
        "INSERT INTO ledger_events (notification_id, originator_id, originator_version, topic,"
        " state) SELECT %s, originator_id, originator_version + 1000, topic, state"
        " FROM ledger_events ORDER BY notification_id LIMIT 1",
        (position,),
    )


def test_a_forged_event_without_its_chain_row_inside_the_anchored_history_fails_naming_it(
    own_app: LedgerApp,
    hole: tuple[Settings, int],
    superuser: psycopg.Connection[tuple[object, ...]],
    fresh_database: DatabaseAddress,
) -> None:
    config, position = hole
    forge_event(superuser, position)
    result = own_app.verify()
    assert (result.ok, result.first_bad_position) == (False, position)
    assert result.problem == "event without its chain row"
    env = {"LEDGER_ANCHOR_DIR": str(config.anchor_dir)}
    refused = run_ledger(fresh_database, "verify", env=env)
    assert refused.returncode == 1
    assert f"position {position}" in refused.stderr


def test_a_forged_event_with_a_linked_chain_row_and_the_tree_made_anew_fails_against_the_anchor(
    own_app: LedgerApp,
    hole: tuple[Settings, int],
    superuser: psycopg.Connection[tuple[object, ...]],
    fresh_database: DatabaseAddress,
) -> None:
    config, position = hole
    forge_event(superuser, position)
    superuser.execute(
        "INSERT INTO ledger_events_chain (position, recorded_at, event_hash, chain_hash)"
        " SELECT %s, recorded_at, event_hash, chain_hash FROM ledger_events_chain"
        " WHERE position < %s ORDER BY position DESC LIMIT 1",
        (position, position),
    )
    recompute_chain_and_tree(superuser, fresh_database)
    assert own_app.verify().ok
    result = checked(own_app, config)
    assert not result.ok
    assert result.problem is not None
    assert result.name in result.problem
    env = {"LEDGER_ANCHOR_DIR": str(config.anchor_dir)}
    refused = run_ledger(fresh_database, "verify", env=env)
    assert refused.returncode == 1
    assert f"TAMPERED: anchor {result.name}" in refused.stderr


def test_a_forged_event_with_a_made_up_chain_row_inside_the_anchored_history_fails_naming_it(
    own_app: LedgerApp,
    hole: tuple[Settings, int],
    superuser: psycopg.Connection[tuple[object, ...]],
) -> None:
    _, position = hole
    forge_event(superuser, position)
    superuser.execute(
        "INSERT INTO ledger_events_chain (position, recorded_at, event_hash, chain_hash)"
        " VALUES (%s, now(), sha256('forged'), sha256('forged'))",
        (position,),
    )
    result = own_app.verify()
    assert (result.ok, result.first_bad_position) == (False, position)
