"""DDL of the ledger's own tables beside the library's events table, their guards, and the
one function every write goes through.

``{events}_append`` runs a whole write in one statement (one round trip): it takes the
library's exclusive table lock, reads the clock after the lock, inserts the events, computes
each event hash over the exact stored bytes and the chain hash that links it to the one before,
stores the data keys made for the events' employees (a key taken already refuses the
whole write), records the idempotency key if any, adds the events' leaves to the Merkle tree
(a row per run of consecutive positions) with the perfect subtrees of 16 leaves or more they
complete (a statement per level of the tree, whatever the number of events), and notifies
listeners. ``ledger.store.chain`` computes the same hashes in
Python, which is how verification recomputes them.
"""

from __future__ import annotations

from psycopg.sql import SQL, Composed, Identifier, Literal

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
    # The Merkle tree over the chain (RFC 9162 2.1): a leaf per event in chain order, kept as
    # runs of leaves at consecutive positions (leaf first_leaf + k is the event at position
    # first_position + k, its hash SHA-256(0x00 || the chain's event hash)), and the hash of
    # every perfect subtree of 16 leaves or more, so that any tree head or proof needs O(log n)
    # reads and a save adds a row for its leaves and one per eight events for the subtrees.
    "CREATE TABLE IF NOT EXISTS {schema}.{runs} ("
    " first_leaf bigint PRIMARY KEY,"
    " first_position bigint NOT NULL UNIQUE,"
    " leaves integer NOT NULL CHECK (leaves > 0))",
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

# A batch's leaves in one statement (a run per stretch of consecutive positions: one row when,
# as almost always, they all are), then the subtrees of 16 leaves (merkle.STORED_FROM levels)
# the batch completes, hashed in one statement from their leaves (the at most 15 older ones read
# first, from the chain; each level materialized, so that no hash is computed twice), then one
# statement per level above: each pairs an even node with the odd one after it, over the range
# from the first new node (or the older left sibling of it) to the level's last.
_GROW = r"""
CREATE OR REPLACE FUNCTION {schema}.{grow}(
    at_positions bigint[], digests bytea[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    low bigint;
    high bigint;
    older bytea[];
    depth smallint := 4;
BEGIN
    IF coalesce(cardinality(at_positions), 0) = 0 THEN
        RETURN;
    END IF;
    SELECT r.first_leaf + r.leaves INTO low
    FROM {schema}.{runs} r ORDER BY r.first_leaf DESC LIMIT 1;
    low := coalesce(low, 0);
    high := low + cardinality(at_positions) - 1;
    IF at_positions[high - low + 1] - at_positions[1] = high - low THEN
        INSERT INTO {schema}.{runs} (first_leaf, first_position, leaves)
        VALUES (low, at_positions[1], high - low + 1);
    ELSE
        INSERT INTO {schema}.{runs} (first_leaf, first_position, leaves)
        SELECT low + min(t.n) - 1, min(t.p), count(*)
        FROM unnest(at_positions) WITH ORDINALITY AS t(p, n) GROUP BY t.p - t.n;
    END IF;
    IF low / 16 > (high + 1) / 16 - 1 THEN
        RETURN;
    END IF;
    SELECT coalesce(array_agg(sha256('\x00'::bytea || c.event_hash) ORDER BY w.i), '{{}}')
    INTO older
    FROM generate_series(low - low % 16, low - 1) AS w(i)
    CROSS JOIN LATERAL (
        SELECT x.first_leaf, x.first_position FROM {schema}.{runs} x
        WHERE x.first_leaf <= w.i ORDER BY x.first_leaf DESC LIMIT 1
    ) r
    CROSS JOIN LATERAL (
        SELECT e.event_hash FROM {schema}.{chain} e
        WHERE e.position = r.first_position + (w.i - r.first_leaf)
    ) c;
    WITH l0 AS MATERIALIZED (
        SELECT low - low % 16 + t.n - 1 AS i, t.h FROM unnest(older) WITH ORDINALITY AS t(h, n)
        UNION ALL
        SELECT low + t.n - 1, sha256('\x00'::bytea || t.d)
        FROM unnest(digests) WITH ORDINALITY AS t(d, n)
        WHERE low + t.n - 1 < (high + 1) / 16 * 16
    ), l1 AS MATERIALIZED (
        SELECT c.i / 2 AS i, sha256('\x01'::bytea || c.h || c.next_h) AS h
        FROM (SELECT b.i, b.h, lead(b.h) OVER (ORDER BY b.i) AS next_h FROM l0 b) c
        WHERE c.i % 2 = 0
    ), l2 AS MATERIALIZED (
        SELECT c.i / 2 AS i, sha256('\x01'::bytea || c.h || c.next_h) AS h
        FROM (SELECT b.i, b.h, lead(b.h) OVER (ORDER BY b.i) AS next_h FROM l1 b) c
        WHERE c.i % 2 = 0
    ), l3 AS MATERIALIZED (
        SELECT c.i / 2 AS i, sha256('\x01'::bytea || c.h || c.next_h) AS h
        FROM (SELECT b.i, b.h, lead(b.h) OVER (ORDER BY b.i) AS next_h FROM l2 b) c
        WHERE c.i % 2 = 0
    ), l4 AS (
        SELECT c.i / 2 AS i, sha256('\x01'::bytea || c.h || c.next_h) AS h
        FROM (SELECT b.i, b.h, lead(b.h) OVER (ORDER BY b.i) AS next_h FROM l3 b) c
        WHERE c.i % 2 = 0
    )
    INSERT INTO {schema}.{nodes} (level, node_index, node_hash) SELECT 4, i, h FROM l4;
    low := low / 16;
    high := (high + 1) / 16 - 1;
    WHILE low / 2 <= (high + 1) / 2 - 1 LOOP
        INSERT INTO {schema}.{nodes} (level, node_index, node_hash)
        SELECT depth + 1, c.i / 2, sha256('\x01'::bytea || c.h || c.next_h)
        FROM (
            SELECT t.node_index AS i, t.node_hash AS h,
                lead(t.node_hash) OVER (ORDER BY t.node_index) AS next_h
            FROM {schema}.{nodes} t
            WHERE t.level = depth AND t.node_index BETWEEN low - low % 2 AND high
        ) c
        WHERE c.i % 2 = 0 AND c.next_h IS NOT NULL;
        depth := depth + 1;
        low := low / 2;
        high := (high + 1) / 2 - 1;
    END LOOP;
END $$
"""

# A ledger whose tree kept a row per leaf (and every smaller subtree) carries on: its runs are
# made once from those rows; the old rows stay, unread, under their append-only guards.
_RUNS_FROM_LEAVES = r"""
DO $$
BEGIN
    IF to_regclass({leaves_name}) IS NULL THEN
        RETURN;
    END IF;
    LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE;
    IF EXISTS (SELECT FROM {schema}.{runs}) THEN
        RETURN;
    END IF;
    EXECUTE format(
        'INSERT INTO %s (first_leaf, first_position, leaves)'
        ' SELECT min(leaf_index), min(position), count(*) FROM %s GROUP BY position - leaf_index',
        {runs_name}, {leaves_name}
    );
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
    SELECT r.first_position + r.leaves - 1 INTO last_position
    FROM {schema}.{runs} r ORDER BY r.first_leaf DESC LIMIT 1;
    last_position := coalesce(last_position, 0);
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
        "runs": Identifier(f"{events_table}_leaf_runs"),
        "nodes": Identifier(f"{events_table}_nodes"),
        "grow": Identifier(f"{events_table}_tree_grow"),
        "backfill": Identifier(backfill_function_name(events_table)),
        "guard": Identifier(f"{events_table}_refuse_change"),
        "append": Identifier(append_function_name(events_table)),
        "data_keys": Identifier(data_keys_table(events_table)),
        "channel": Identifier(events_table.replace(".", "_")),
        "chain_recorded_at_idx": Identifier(f"{events_table}_chain_recorded_brin"),
    }
    texts = [*_TABLES, _RUNS_FROM_LEAVES, _GUARD, _GROW, _DROP_OLD_GROW, _BACKFILL]
    texts += [_DROP_OLD_APPEND, _APPEND]
    for table in ("events", "chain", "keys", "runs", "nodes"):
        for event, level in (("UPDATE OR DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
            trigger = f"{table}_{level.lower()}_guard"
            names[trigger] = Identifier(f"{events_table}_{trigger}")
            texts.append(
                f"CREATE OR REPLACE TRIGGER {{{trigger}}} BEFORE {event}"
                f" ON {{schema}}.{{{table}}} FOR EACH {level}"
                " EXECUTE FUNCTION {schema}.{guard}()"
            )
    qualified = {
        "leaves_name": Literal(f"{schema}.{events_table}_leaves"),
        "runs_name": Literal(f"{schema}.{events_table}_leaf_runs"),
    }
    return [SQL(text).format(**names, **qualified) for text in texts]
