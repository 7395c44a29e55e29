"""What every command carries besides its fields, and what every command answers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Idempotency:
    """A client's idempotency key and a fingerprint of the request it came with."""

    key: str
    fingerprint: str


@dataclass(frozen=True)
class Context:
    """Who acts, and under which retry key and expected version (If-Match), if any."""

    actor: str
    idempotency: Idempotency | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class Written:
    """The answer to a command: the position of its last event, and the ids it made.

    ``replayed`` is true when an earlier request with the same idempotency key answered
    already and nothing was written this time.
    """

    position: int
    ids: dict[str, str] = field(default_factory=dict)
    version: int | None = None
    created: bool = False
    replayed: bool = False
