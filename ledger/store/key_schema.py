"""DDL of the data keys beside the events: the one table of the ledger that is not
append-only, since destroying a key is what erases an employee's personal data.

Recording an erasure event destroys its employee's key in the same statement (a trigger on
the events table), so no process can record one without the other: both or neither.
"""

from __future__ import annotations

from psycopg.sql import SQL, Composed, Identifier, Literal

from ledger.domain.personal import ERASURE_TOPIC


def data_keys_table(events_table: str) -> str:
    return f"{events_table}_data_keys"


def master_key_table(events_table: str) -> str:
    return f"{events_table}_master_key"


_TEXTS = [
    # wrapped NULL: destroyed (destroyed_at says when); master_key_id names the wrapping key.
    "CREATE TABLE IF NOT EXISTS {schema}.{keys} ("
    " employee_id text PRIMARY KEY,"
    " wrapped bytea,"
    " master_key_id text,"
    " created_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
    " destroyed_at timestamptz,"
    " CHECK ((wrapped IS NULL) = (destroyed_at IS NOT NULL)))",
    "CREATE TABLE IF NOT EXISTS {schema}.{master} ("
    " singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
    " key_id text NOT NULL,"
    " since timestamptz NOT NULL DEFAULT clock_timestamp())",
    "CREATE OR REPLACE FUNCTION {schema}.{shred}() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ DECLARE subject text; BEGIN"
    " subject := convert_from(NEW.state, 'UTF8')::jsonb ->> 'employee_id';"
    " INSERT INTO {schema}.{keys} (employee_id, wrapped, master_key_id, destroyed_at)"
    " VALUES (subject, NULL, NULL, clock_timestamp())"
    " ON CONFLICT (employee_id) DO UPDATE"
    " SET wrapped = NULL, master_key_id = NULL, destroyed_at = clock_timestamp();"
    " RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER {shred_trigger} AFTER INSERT ON {schema}.{events}"
    " FOR EACH ROW WHEN (NEW.topic = {topic}) EXECUTE FUNCTION {schema}.{shred}()",
]


def key_statements(schema: str, events_table: str) -> list[Composed]:
    names = {
        "schema": Identifier(schema),
        "events": Identifier(events_table),
        "keys": Identifier(data_keys_table(events_table)),
        "master": Identifier(master_key_table(events_table)),
        "shred": Identifier(f"{events_table}_destroy_data_key"),
        "shred_trigger": Identifier(f"{events_table}_erasure_destroys_key"),
        "topic": Literal(ERASURE_TOPIC),
    }
    return [SQL(text).format(**names) for text in _TEXTS]
