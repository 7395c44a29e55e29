"""DDL of the ledger's own tables beside the library's events table, their guards, and the
one function every write goes through.

``{events}_append`` runs a whole write in one statement (one round trip): it takes the
library's exclusive table lock, reads the clock after the lock, inserts the events, computes
each event hash over the exact stored bytes and the chain hash that links it to the one before,
records the idempotency key if any, and notifies listeners. ``ledger.store.chain`` computes the
same hashes in Python, which is how verification recomputes them.
"""

from __future__ import annotations

from psycopg.sql import SQL, Composed, Identifier

_TABLES = [
    "CREATE TABLE IF NOT EXISTS {schema}.{chain} ("
    " position bigint PRIMARY KEY,"
    " recorded_at timestamptz NOT NULL,"
    " event_hash bytea NOT NULL,"
    " chain_hash bytea NOT NULL)",
    # recorded_at grows with position: a BRIN index costs almost nothing to keep.
    "CREATE INDEX IF NOT EXISTS {chain_recorded_at_idx} ON {schema}.{chain}"
    " USING brin (recorded_at)",
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

_APPEND = """
CREATE OR REPLACE FUNCTION {schema}.{append}(
    originator_ids uuid[], originator_versions bigint[], topics text[], states bytea[],
    claim_key text, claim_hash text, claim_result jsonb, wait text
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
    INSERT INTO {schema}.{chain} (position, recorded_at, event_hash, chain_hash)
    SELECT p, now, e, c FROM unnest(positions, event_hashes, chain_hashes) AS t(p, e, c);
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


def ledger_statements(schema: str, events_table: str) -> list[Composed]:
    """Statements that create the chain and idempotency tables, the guards and the append."""
    names: dict[str, Identifier] = {
        "schema": Identifier(schema),
        "events": Identifier(events_table),
        "chain": Identifier(f"{events_table}_chain"),
        "keys": Identifier(f"{events_table}_idempotency"),
        "guard": Identifier(f"{events_table}_refuse_change"),
        "append": Identifier(append_function_name(events_table)),
        "channel": Identifier(events_table.replace(".", "_")),
        "chain_recorded_at_idx": Identifier(f"{events_table}_chain_recorded_brin"),
    }
    texts = [*_TABLES, _GUARD, _APPEND]
    for table in ("events", "chain", "keys"):
        for event, level in (("UPDATE OR DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
            trigger = f"{table}_{level.lower()}_guard"
            names[trigger] = Identifier(f"{events_table}_{trigger}")
            texts.append(
                f"CREATE OR REPLACE TRIGGER {{{trigger}}} BEFORE {event}"
                f" ON {{schema}}.{{{table}}} FOR EACH {level}"
                " EXECUTE FUNCTION {schema}.{guard}()"
            )
    return [SQL(text).format(**names) for text in texts]
