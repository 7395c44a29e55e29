"""DDL of the ledger's own tables beside the library's events table, their guards, and the
one function every write goes through.

``{events}_append`` runs a whole write in one statement (one round trip): it takes the
library's exclusive table lock, reads the clock after the lock, inserts the events, computes
each event hash over the exact stored bytes and the chain hash that links it to the one before,
stores the data keys made for the events' employees (a key taken already refuses the
whole write), records the idempotency key if any, adds each event's leaf to the Merkle tree with the
perfect subtrees it completes, and notifies listeners. ``ledger.store.chain`` computes the
same hashes in Python, which is how verification recomputes them.
"""

from __future__ import annotations

from psycopg.sql import SQL, Composed, Identifier

from ledger.store.key_schema import data_keys_table

_TABLES = [
    "CREATE TABLE IF NOT EXISTS {schema}.{chain} ("
    " position bigint PRIMARY KEY,"
    " recorded_at timestamptz NOT NULL,"
    " event_hash bytea NOT NULL,"
    " chain_hash bytea NOT NULL)",
    # recorded_at grows with position: a BRIN index costs almost nothing to keep.
    "CREATE INDEX IF NOT EXISTS {chain_recorded_at_idx} ON {schema}.{chain}"
    " USING brin (recorded_at)",
    # The Merkle tree over the chain (RFC 9162 2.1): a leaf per event in chain order, and
    # every perfect subtree's hash, so that any tree head or proof needs O(log n) reads.
    "CREATE TABLE IF NOT EXISTS {schema}.{leaves} ("
    " leaf_index bigint PRIMARY KEY,"
    " position bigint NOT NULL UNIQUE,"
    " leaf_hash bytea NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {schema}.{nodes} ("
    " level smallint NOT NULL,"
    " node_index bigint NOT NULL,"
    " node_hash bytea NOT NULL,"
    " PRIMARY KEY (level, node_index))",
    "CREATE TABLE IF NOT EXISTS {schema}.{keys} ("
    " key text PRIMARY KEY,"
    " request_hash text NOT NULL,"
    " result jsonb NOT NULL,"
    " position bigint NOT NULL,"
    " recorded_at timestamptz NOT NULL)",
]

_GUARD = (
    "CREATE OR REPLACE FUNCTION {schema}.{guard}() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " RAISE EXCEPTION 'the ledger is append-only: % on % refused',"
    " TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';"
    " END $$"
)

_GROW = r"""
CREATE OR REPLACE FUNCTION {schema}.{grow}(
    new_leaf bigint, at_position bigint, digest bytea
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    node bytea := sha256('\x00'::bytea || digest);
    sibling bytea;
    depth smallint := 0;
    here bigint := new_leaf;
BEGIN
    INSERT INTO {schema}.{leaves} (leaf_index, position, leaf_hash)
    VALUES (new_leaf, at_position, node);
    WHILE here % 2 = 1 LOOP
        IF depth = 0 THEN
            SELECT l.leaf_hash INTO sibling FROM {schema}.{leaves} l WHERE l.leaf_index = here - 1;
        ELSE
            SELECT t.node_hash INTO sibling FROM {schema}.{nodes} t
            WHERE t.level = depth AND t.node_index = here - 1;
        END IF;
        node := sha256('\x01'::bytea || sibling || node);
        depth := depth + 1;
        here := here / 2;
        INSERT INTO {schema}.{nodes} (level, node_index, node_hash) VALUES (depth, here, node);
    END LOOP;
END $$
"""

_BACKFILL = """
CREATE OR REPLACE FUNCTION {schema}.{backfill}() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    link record;
    next_leaf bigint;
    last_position bigint;
    added bigint := 0;
BEGIN
    LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE;
    SELECT coalesce(max(l.leaf_index) + 1, 0), coalesce(max(l.position), 0)
    INTO next_leaf, last_position FROM {schema}.{leaves} l;
    FOR link IN SELECT c.position, c.event_hash FROM {schema}.{chain} c
        WHERE c.position > last_position ORDER BY c.position
    LOOP
        PERFORM {schema}.{grow}(next_leaf + added, link.position, link.event_hash);
        added := added + 1;
    END LOOP;
    RETURN added;
END $$
"""

# The append before it stored data keys, replaced (not overloaded) by the one below.
_DROP_OLD_APPEND = (
    "DROP FUNCTION IF EXISTS {schema}.{append}"
    "(uuid[], bigint[], text[], bytea[], text, text, jsonb, text)"
)

_APPEND = """
CREATE OR REPLACE FUNCTION {schema}.{append}(
    originator_ids uuid[], originator_versions bigint[], topics text[], states bytea[],
    claim_key text, claim_hash text, claim_result jsonb, wait text,
    key_subjects text[], key_wrapped bytea[], key_master text
) RETURNS SETOF bigint LANGUAGE plpgsql AS $$
DECLARE
    now timestamptz;
    stamp text;
    previous bytea;
    positions bigint[];
    event_hashes bytea[];
    chain_hashes bytea[] := '{{}}';
    next_leaf bigint;
BEGIN
    PERFORM set_config('lock_timeout', wait, true);
    LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE;
    now := clock_timestamp();
    stamp := to_char(now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
    SELECT c.chain_hash INTO previous FROM {schema}.{chain} c ORDER BY c.position DESC LIMIT 1;
    previous := coalesce(previous, decode(repeat('00', 32), 'hex'));
    WITH inserted AS (
        INSERT INTO {schema}.{events} (originator_id, originator_version, topic, state)
        SELECT * FROM unnest(originator_ids, originator_versions, topics, states)
        RETURNING notification_id, originator_id, originator_version, topic, state
    )
    SELECT
        array_agg(i.notification_id ORDER BY i.notification_id),
        array_agg(sha256(convert_to(
            'ledger-event-v1' || chr(10) || i.originator_id::text || chr(10)
            || i.originator_version::text || chr(10) || i.topic || chr(10), 'UTF8'
        ) || i.state) ORDER BY i.notification_id)
    INTO positions, event_hashes FROM inserted i;
    FOR n IN 1 .. array_length(positions, 1) LOOP
        previous := sha256(
            previous || event_hashes[n] || convert_to(positions[n]::text || '|' || stamp, 'UTF8')
        );
        chain_hashes := chain_hashes || previous;
    END LOOP;
    IF key_subjects IS NOT NULL THEN
        INSERT INTO {schema}.{data_keys} (employee_id, wrapped, master_key_id)
        SELECT s, w, key_master FROM unnest(key_subjects, key_wrapped) AS k(s, w);
    END IF;
    INSERT INTO {schema}.{chain} (position, recorded_at, event_hash, chain_hash)
    SELECT p, now, e, c FROM unnest(positions, event_hashes, chain_hashes) AS t(p, e, c);
    SELECT coalesce(max(l.leaf_index) + 1, 0) INTO next_leaf FROM {schema}.{leaves} l;
    FOR n IN 1 .. array_length(positions, 1) LOOP
        PERFORM {schema}.{grow}(next_leaf + n - 1, positions[n], event_hashes[n]);
    END LOOP;
    IF claim_key IS NOT NULL THEN
        INSERT INTO {schema}.{keys} (key, request_hash, result, position, recorded_at)
        VALUES (claim_key, claim_hash, claim_result, positions[array_length(positions, 1)], now);
    END IF;
    NOTIFY {channel};
    RETURN QUERY SELECT unnest(positions);
END $$
"""


def append_function_name(events_table: str) -> str:
    return f"{events_table}_append"


def backfill_function_name(events_table: str) -> str:
    """The function that adds the tree's leaves of events recorded before the tree existed."""
    return f"{events_table}_tree_backfill"


def ledger_statements(schema: str, events_table: str) -> list[Composed]:
    """Statements that create the chain and idempotency tables, the guards and the append."""
    names: dict[str, Identifier] = {
        "schema": Identifier(schema),
        "events": Identifier(events_table),
        "chain": Identifier(f"{events_table}_chain"),
        "keys": Identifier(f"{events_table}_idempotency"),
        "leaves": Identifier(f"{events_table}_leaves"),
        "nodes": Identifier(f"{events_table}_nodes"),
        "grow": Identifier(f"{events_table}_tree_grow"),
        "backfill": Identifier(backfill_function_name(events_table)),
        "guard": Identifier(f"{events_table}_refuse_change"),
        "append": Identifier(append_function_name(events_table)),
        "data_keys": Identifier(data_keys_table(events_table)),
        "channel": Identifier(events_table.replace(".", "_")),
        "chain_recorded_at_idx": Identifier(f"{events_table}_chain_recorded_brin"),
    }
    texts = [*_TABLES, _GUARD, _GROW, _BACKFILL, _DROP_OLD_APPEND, _APPEND]
    for table in ("events", "chain", "keys", "leaves", "nodes"):
        for event, level in (("UPDATE OR DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
            trigger = f"{table}_{level.lower()}_guard"
            names[trigger] = Identifier(f"{events_table}_{trigger}")
            texts.append(
                f"CREATE OR REPLACE TRIGGER {{{trigger}}} BEFORE {event}"
                f" ON {{schema}}.{{{table}}} FOR EACH {level}"
                " EXECUTE FUNCTION {schema}.{guard}()"
            )
    return [SQL(text).format(**names) for text in texts]
