"""DDL of the ledger's own tables beside the library's events table, their guards, and the
one function every write goes through.

``{events}_append`` runs a whole write in one statement (one round trip): it takes the
library's exclusive table lock, reads the clock after the lock, inserts the events, computes
each event hash over the exact stored bytes and the chain hash that links it to the one before,
stores the data keys made for the events' employees (a key taken already refuses the
whole write), records the idempotency key if any, adds the events' leaves to the Merkle tree
with the perfect subtrees they complete (a statement per level of the tree, whatever the
number of events), and notifies listeners. ``ledger.store.chain`` computes the same hashes in
Python, which is how verification recomputes them.
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

# A batch's leaves in one statement, then one statement per level for the perfect subtrees
# the batch completes there: each pairs an even node with the odd one after it, over the range
# from the first new node (or the older left sibling of it) to the level's last.
_GROW = r"""
CREATE OR REPLACE FUNCTION {schema}.{grow}(
    at_positions bigint[], digests bytea[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    low bigint;
    high bigint;
    depth smallint := 0;
BEGIN
    IF coalesce(cardinality(at_positions), 0) = 0 THEN
        RETURN;
    END IF;
    SELECT coalesce(max(l.leaf_index) + 1, 0) INTO low FROM {schema}.{leaves} l;
    high := low + cardinality(at_positions) - 1;
    INSERT INTO {schema}.{leaves} (leaf_index, position, leaf_hash)
    SELECT low + t.n - 1, t.p, sha256('\x00'::bytea || t.d)
    FROM unnest(at_positions, digests) WITH ORDINALITY AS t(p, d, n);
    WHILE low / 2 <= (high + 1) / 2 - 1 LOOP
        IF depth = 0 THEN
            INSERT INTO {schema}.{nodes} (level, node_index, node_hash)
            SELECT 1, c.i / 2, sha256('\x01'::bytea || c.h || c.next_h)
            FROM (
                SELECT l.leaf_index AS i, l.leaf_hash AS h,
                    lead(l.leaf_hash) OVER (ORDER BY l.leaf_index) AS next_h
                FROM {schema}.{leaves} l WHERE l.leaf_index BETWEEN low - low % 2 AND high
            ) c
            WHERE c.i % 2 = 0 AND c.next_h IS NOT NULL;
        ELSE
            INSERT INTO {schema}.{nodes} (level, node_index, node_hash)
            SELECT depth + 1, c.i / 2, sha256('\x01'::bytea || c.h || c.next_h)
            FROM (
                SELECT t.node_index AS i, t.node_hash AS h,
                    lead(t.node_hash) OVER (ORDER BY t.node_index) AS next_h
                FROM {schema}.{nodes} t
                WHERE t.level = depth AND t.node_index BETWEEN low - low % 2 AND high
            ) c
            WHERE c.i % 2 = 0 AND c.next_h IS NOT NULL;
        END IF;
        depth := depth + 1;
        low := low / 2;
        high := (high + 1) / 2 - 1;
    END LOOP;
END $$
"""

# The grow before it took a whole batch, one leaf a call; nothing calls it any more.
_DROP_OLD_GROW = "DROP FUNCTION IF EXISTS {schema}.{grow}(bigint, bigint, bytea)"

_BACKFILL = """
CREATE OR REPLACE FUNCTION {schema}.{backfill}() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    last_position bigint;
    positions bigint[];
    event_hashes bytea[];
BEGIN
    LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE;
    SELECT coalesce(max(l.position), 0) INTO last_position FROM {schema}.{leaves} l;
    SELECT array_agg(c.position ORDER BY c.position), array_agg(c.event_hash ORDER BY c.position)
    INTO positions, event_hashes FROM {schema}.{chain} c WHERE c.position > last_position;
    PERFORM {schema}.{grow}(positions, event_hashes);
    RETURN coalesce(cardinality(positions), 0);
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
    PERFORM {schema}.{grow}(positions, event_hashes);
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
    texts = [*_TABLES, _GUARD, _GROW, _DROP_OLD_GROW, _BACKFILL, _DROP_OLD_APPEND, _APPEND]
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
