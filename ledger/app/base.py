"""The library's Application configured for the ledger, and what every use case shares."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import EventStore, IntegrityError, JSONTranscoder, Mapper
from eventsourcing.utils import Environment, EnvType

from ledger.app.loading import Loader, pick
from ledger.commands import Context, Written
from ledger.config import Settings
from ledger.errors import (
    AlreadyExists,
    Busy,
    Conflict,
    IdempotencyKeyReused,
    NotFound,
    StaleVersion,
)
from ledger.store.catchup import CatchUp
from ledger.store.data_keys import DataKeys
from ledger.store.database import (
    APPLICATION_NAME,
    EVENTS_TABLE,
    SNAPSHOTS,
    DatabaseAddress,
    library_env,
)
from ledger.store.faults import STORE_FAULTS
from ledger.store.feed import ChangeFeed
from ledger.store.keyring import KeyRing
from ledger.store.master_key import MasterKey, load_master_key
from ledger.store.recorder import IdempotencyClaim, LedgerRecorder
from ledger.store.records import LedgerRecords
from ledger.store.rotation import finish_rotation
from ledger.store.sealed_store import SealingEventStore
from ledger.store.sealing import SealingMapper
from ledger.store.tree import MerkleTree
from ledger.transcodings import register_ledger_transcodings

P = ParamSpec("P")
A = TypeVar("A", bound=Aggregate)
L = TypeVar("L", bound="LedgerBase")


def command(
    method: Callable[Concatenate[L, Context, P], Written],
) -> Callable[Concatenate[L, Context, P], Written]:
    """A command answers a repeated idempotency key from its first answer, writing nothing.

    A fault of the event store anywhere in it (the idempotency lookup, the loads, the save)
    becomes Busy: the caller may try again, and with the same key nothing is written twice.
    """

    @wraps(method)
    def run(app: L, ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> Written:
        with store_faults_as_busy():
            replayed = app.replay(ctx)
            if replayed is not None:
                return replayed
            return method(app, ctx, *args, **kwargs)

    return run


@contextmanager
def store_faults_as_busy() -> Iterator[None]:
    try:
        yield
    except STORE_FAULTS as exc:
        raise Busy(
            "the event store did not answer in time; try again"
            " (with the same Idempotency-Key, a write is never made twice)"
        ) from exc


class LedgerBase(Application[UUID]):
    """Saving with idempotency keys and conflicts translated; loading with NotFound."""

    name = APPLICATION_NAME

    def __init__(self, address: DatabaseAddress, settings: Settings) -> None:
        """Raises MasterKeyError, before anything is written, when the master key is missing,
        unreadable or not this ledger's; finishes a key rotation killed after its commit."""
        super().__init__(env=library_env(address, settings, create_table=False))
        recorder = self.recorder
        assert isinstance(recorder, LedgerRecorder)
        keys = DataKeys(recorder.datastore, EVENTS_TABLE)
        try:
            master = self._master_key(settings, keys)
        except Exception:
            super().close()
            raise
        self.records = LedgerRecords(recorder.datastore, EVENTS_TABLE)
        self.tree = MerkleTree(recorder.datastore, EVENTS_TABLE)
        snapshots = self.factory.event_store(
            mapper=self.mapper, recorder=self.factory.aggregate_recorder(purpose=SNAPSHOTS)
        )
        catch_up = CatchUp(recorder.datastore, EVENTS_TABLE)
        schema = recorder.datastore.schema
        feed = ChangeFeed(address.conninfo(), schema, EVENTS_TABLE, recorder.channel_name)
        self.keyring = KeyRing(keys, master, feed)
        self.sealing_mapper.attach(self.keyring)
        self.loader = Loader(
            self.repository, self.mapper, snapshots, catch_up, feed, settings.aggregate_cache_size
        )
        self.loader.watch(self.keyring)

    @staticmethod
    def _master_key(settings: Settings, keys: DataKeys) -> MasterKey | None:
        if settings.master_key is not None:
            finish_rotation(settings.master_key, keys.master_key_id())
        master = load_master_key(settings.master_key) if settings.master_key else None
        keys.check_master(master)
        return master

    @property
    def sealing_mapper(self) -> SealingMapper:
        mapper = self.mapper
        assert isinstance(mapper, SealingMapper)
        return mapper

    @property
    def master_key(self) -> MasterKey | None:
        return self.keyring.master

    def construct_event_store(self) -> EventStore[UUID]:
        """The library's event store, saving new data keys with the events (see
        ``ledger.store.sealed_store``)."""
        return SealingEventStore(mapper=self.mapper, recorder=self.recorder)

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, sealing personal fields (see ``ledger.store.sealing``)."""
        return SealingMapper(self.construct_transcoder())

    def close(self) -> None:
        recorder = self.recorder
        assert isinstance(recorder, LedgerRecorder)
        self.loader.feed.close()
        recorder.writer.close()
        super().close()

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Only the settings given: the process environment never overrides them."""
        return Environment(name, dict(env or {}))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)

    def head_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def replay(self, ctx: Context) -> Written | None:
        """The first answer to this idempotency key, if it was used before."""
        if ctx.idempotency is None:
            return None
        claim = self.records.claim(ctx.idempotency.key)
        if claim is None:
            return None
        if claim.request_hash != ctx.idempotency.fingerprint:
            raise IdempotencyKeyReused(
                f"idempotency key {ctx.idempotency.key!r} was used with another request"
            )
        result = claim.result
        return Written(
            position=claim.position,
            ids=dict(result.get("ids", {})),
            version=result.get("version"),
            created=bool(result.get("created")),
            replayed=True,
        )

    def commit(
        self,
        ctx: Context,
        *aggregates: Aggregate | None,
        main: Aggregate,
        ids: dict[str, str] | None = None,
        created: bool = False,
        label: str | None = None,
    ) -> Written:
        """Save the aggregates' pending events atomically, with the idempotency key if any.

        A new aggregate whose id is taken already is refused by the store's unique key, so
        creating needs no read first: the refusal becomes AlreadyExists (naming ``label``).
        """
        ids = dict(ids or {})
        if not any(a is not None and a.pending_events for a in aggregates):
            return Written(self.head_position(), ids, main.version, created)
        claim = None
        if ctx.idempotency is not None:
            result = {"ids": ids, "version": main.version, "created": created}
            claim = IdempotencyClaim(ctx.idempotency.key, ctx.idempotency.fingerprint, result)
        is_new = main.pending_events[0].originator_version == 1 if main.pending_events else False
        changed = [a for a in aggregates if a is not None and a.pending_events]
        try:
            recordings = self.save(*aggregates, idempotency=claim)
        except IntegrityError:
            # The key taken by a twin request, or by this one: a save whose answer was lost
            # with its connection, retried by the recorder, finds its own events stored.
            replayed = self.replay(ctx)
            if replayed is not None:
                return replayed
            if is_new:
                raise AlreadyExists(f"{label or 'the record'} exists already") from None
            raise Conflict("another writer changed the same record first; try again") from None
        position = recordings[-1].notification.id
        for aggregate in changed:
            self.loader.remember(aggregate, position)
        return Written(position, ids, main.version, created)

    @staticmethod
    def check_version(ctx: Context, aggregate: Aggregate | None) -> None:
        """StaleVersion unless the aggregate is at the version expected; one not yet created
        (None) is at version 0."""
        version = 0 if aggregate is None else aggregate.version
        if ctx.expected_version is not None and ctx.expected_version != version:
            raise StaleVersion(
                f"expected version {ctx.expected_version}, the current one is {version}"
            )

    def load(self, kind: type[A], aggregate_id: UUID, label: str, version: int | None = None) -> A:
        """The aggregate at ``version`` (default: the latest), of ``kind``, or NotFound.

        The latest state is the caller's own copy, to change as a command does; a given
        version is always rebuilt from the stored events, so what is audited is what is stored.
        """
        if version is not None:
            return pick(
                {aggregate_id: self.loader.at(aggregate_id, version, label)},
                kind,
                aggregate_id,
                label,
            )
        return deepcopy(self.read(kind, aggregate_id, label))

    def find(self, kind: type[A], aggregate_id: UUID, label: str) -> A | None:
        """The latest aggregate as ``load`` gives it, or None while it has no events."""
        try:
            return self.load(kind, aggregate_id, label)
        except NotFound:
            return None

    def read(self, kind: type[A], aggregate_id: UUID, label: str) -> A:
        """The latest aggregate shared with other threads: to read, never to change."""
        return pick(self.latest(aggregate_id), kind, aggregate_id, label)

    def latest(self, *aggregate_ids: UUID) -> dict[UUID, Aggregate]:
        """The latest shared states of those aggregates that have events, in one read."""
        return self.loader.latest(aggregate_ids)
