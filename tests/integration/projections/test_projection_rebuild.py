"""Rebuilds build shadow tables while readers keep the live ones, then swap in one go."""

from __future__ import annotations

from threading import Event, Thread
from uuid import UUID

import psycopg

from ledger.application import LedgerApp
from projections import (
    SHADOW,
    EventSource,
    ViewStatus,
    Worker,
    rebuild,
    rebuild_view,
    request_rebuild,
    view_status,
    wait_for,
)
from projections.leadership import Leadership
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import (
    FAST,
    LogContents,
    contents,
    eventually,
    register,
    register_and_promote,
)


def built(app: LedgerApp, view: EventLog, events: int, conninfo: str) -> LogContents:
    with Worker(app, [view], FAST):
        head = register_and_promote(app, events // 2)[-1]
        assert wait_for(conninfo, view.name, head, timeout=30)
    return contents(conninfo, view.name)


def status_of(app: LedgerApp, view: EventLog) -> ViewStatus:
    [status] = view_status(app, [view])
    return status


def table_oid(conninfo: str, table: str) -> int | None:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SELECT to_regclass(%s)::oid", (f"projections.{table}",)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def builders(log: LogContents) -> set[object]:
    return {row[-1] for row in log.rows}


def test_a_new_version_is_rebuilt_when_the_runner_starts(own_app: LedgerApp, conninfo: str) -> None:
    before = built(own_app, EventLog(version=1), 40, conninfo)
    second = EventLog(version=2)

    with Worker(own_app, [second], FAST):
        assert eventually(lambda: status_of(own_app, second).version == 2)

    after = contents(conninfo, second.name)
    assert builders(before) == {1}
    assert builders(after) == {2}
    assert after.without_builder() == before.without_builder()


def test_readers_see_the_old_rows_until_the_swap(own_app: LedgerApp, conninfo: str) -> None:
    before = built(own_app, EventLog(version=1), 60, conninfo)
    second = EventLog(version=2)
    first_page, resume = Event(), Event()

    def pause_after_first_page(done: int, total: int) -> None:
        if not first_page.is_set():
            first_page.set()
            resume.wait(timeout=30)

    rebuilding = Thread(
        target=rebuild_view,
        args=(own_app, second),
        kwargs={"page_size": 10, "progress": pause_after_first_page},
    )
    rebuilding.start()
    try:
        assert first_page.wait(timeout=30)
        assert contents(conninfo, second.name) == before
        shadow = contents(conninfo, second.name, SHADOW)
        assert shadow.positions == before.positions[:10]
        assert builders(shadow) == {2}
        status = status_of(own_app, second)
        assert (status.status, status.version, status.rebuild_position) == (
            "rebuilding",
            1,
            before.positions[9],
        )
    finally:
        resume.set()
        rebuilding.join(timeout=30)
    assert not rebuilding.is_alive()

    after = contents(conninfo, second.name)
    assert builders(after) == {2}
    assert after.without_builder() == before.without_builder()
    assert table_oid(conninfo, f"{second.name}_events__shadow") is None
    assert status_of(own_app, second).rebuild_position is None


def test_a_view_can_be_rebuilt_again_and_again(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    before = built(own_app, view, 20, conninfo)
    for _ in range(3):
        rebuild_view(own_app, view)

    assert contents(conninfo, view.name) == before
    with psycopg.connect(conninfo) as conn:
        indexes = conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'projections'"
            " AND tablename LIKE 'event_log%%' ORDER BY 1"
        ).fetchall()
    assert indexes == [("event_log_counts_pkey",), ("event_log_events_by_position",)]


def test_an_interrupted_rebuild_resumes_where_it_stopped(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    before = built(own_app, view, 50, conninfo)
    stop = Event()
    leader = Leadership(conninfo, view.name).acquire(Event(), timeout=10)
    assert leader is not None
    with leader:
        finished = rebuild(
            leader,
            EventSource.of(own_app),
            view,
            page_size=10,
            progress=lambda done, total: stop.set() if done >= 20 else None,
            stop=stop,
        )
    assert not finished
    reported: list[int] = []

    rebuild_view(own_app, view, page_size=10, progress=lambda done, total: reported.append(done))

    assert reported[0] == 30
    assert reported[-1] == 50
    assert contents(conninfo, view.name) == before


def test_a_running_worker_rebuilds_when_asked(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    with Worker(own_app, [view], FAST):
        head = register(own_app, 30)[-1]
        assert wait_for(conninfo, view.name, head, timeout=30)
        before = contents(conninfo, view.name)
        old_table = table_oid(conninfo, f"{view.name}_events")

        assert request_rebuild(conninfo, view.name)

        assert eventually(
            lambda: (
                table_oid(conninfo, f"{view.name}_events") != old_table
                and status_of(own_app, view).version == view.version
            )
        )
    assert contents(conninfo, view.name) == before


def test_a_rebuild_that_fails_leaves_the_live_rows_in_place(
    own_app: LedgerApp, conninfo: str
) -> None:
    before = built(own_app, EventLog(version=1), 20, conninfo)
    [refused] = {row[3] for row in before.rows if row[0] == before.positions[7]}
    assert isinstance(refused, UUID)
    broken = EventLog(version=2, refuse=frozenset({refused}))
    ended = Event()

    with Worker(own_app, [broken], FAST, stop_event=ended):
        assert ended.wait(timeout=30)

    pairs = zip(before.positions, before.rows, strict=True)
    first_refused = min(position for position, row in pairs if row[3] == refused)
    status = status_of(own_app, broken)
    assert (status.status, status.version, status.error_position) == ("failed", 1, first_refused)
    assert contents(conninfo, broken.name) == before


def test_a_swap_waits_for_a_reader_in_the_middle_of_a_transaction(
    own_app: LedgerApp, conninfo: str
) -> None:
    before = built(own_app, EventLog(version=1), 20, conninfo)
    second = EventLog(version=2)
    with psycopg.connect(conninfo) as reader:
        reader.execute("SELECT count(*) FROM projections.event_log_events").fetchone()
        rebuilding = Thread(target=rebuild_view, args=(own_app, second))
        rebuilding.start()
        try:
            assert eventually(lambda: waits_for_a_lock(conninfo))
            rows = reader.execute("SELECT built_by FROM projections.event_log_events").fetchall()
            assert set(rows) == {(1,)}
        finally:
            reader.rollback()
            rebuilding.join(timeout=30)
    assert not rebuilding.is_alive()
    after = contents(conninfo, second.name)
    assert builders(after) == {2}
    assert after.without_builder() == before.without_builder()


def waits_for_a_lock(conninfo: str) -> bool:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE NOT l.granted AND c.relname = 'event_log_events'"
        ).fetchone()
    return bool(row and row[0])
