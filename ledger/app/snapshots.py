"""Snapshots of long histories, so that a process's first load of one replays little.

Snapshots serve commands only, which need an aggregate's latest state: a state at a given
version is always rebuilt from the stored events, so what is reproduced and audited is what
the chain covers. An aggregate takes snapshots when its class says how (its own ``Snapshot``).
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate

SNAPSHOT_EVERY = 100
"""The fewest events between two snapshots of one aggregate."""

SNAPSHOT_SHARE = 10
"""At most one snapshot per tenth of the history: a snapshot's cost, which grows with the
history, is spread over as many writes, so a write costs the same on a long history."""


def takes_snapshots(aggregate: Aggregate) -> bool:
    return type(aggregate).Snapshot is not Aggregate.Snapshot


def snapshot_due(version: int, snapshot_version: int) -> bool:
    return version - snapshot_version >= max(SNAPSHOT_EVERY, version // SNAPSHOT_SHARE)
