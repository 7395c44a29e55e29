"""Personal fields sealed where events are stored and opened where they are read.

The mapper seals each field ``ledger.domain.personal`` names with the data key of the
employee the event is about (AES-256-GCM; the associated data binds the ciphertext to its
aggregate, version and field, so no sealed text can be moved to another event). A sealed
field is stored as ``{"_type_": "sealed", "_data_": {"e": employee_id, "b": base64}}``;
what the event hash and chain cover is that, as stored. Events stored before sealing began
hold their fields in clear and read as they are. A field whose key was destroyed reads as
``ERASED``; a snapshot whose key was destroyed reads as no snapshot.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder, Transcoding
from eventsourcing.utils import get_topic

from ledger.domain.personal import ERASED, PERSONAL_FIELDS
from ledger.errors import LedgerError
from ledger.ids import employee_uuid
from ledger.store.data_keys import DataKeys
from ledger.store.keyring import KeyRing, PersonalDataErased

NONCE_BYTES = 12


@dataclass(frozen=True)
class Sealed:
    """A personal field as stored: the employee whose key seals it, nonce || ciphertext."""

    employee_id: str
    blob: bytes


class SealedAsDict(Transcoding):
    type = Sealed
    name = "sealed"

    def encode(self, obj: Sealed) -> dict[str, str]:
        return {"e": obj.employee_id, "b": base64.b64encode(obj.blob).decode("ascii")}

    def decode(self, data: dict[str, str]) -> Sealed:
        return Sealed(data["e"], base64.b64decode(data["b"]))


class SnapshotErased(PersonalDataErased):
    """A snapshot sealed with a destroyed key: rebuild the aggregate from its events."""


class SealBroken(LedgerError):
    """A sealed field does not authenticate with its employee's key: it was altered."""


def associated_data(originator_id: UUID | str, version: int, path: str) -> bytes:
    """What a sealed field is bound to (the bundle verifier composes the same bytes)."""
    return f"ledger-sealed-v1\n{originator_id}\n{version}\n{path}".encode()


class SealingMapper(Mapper[UUID]):
    def __init__(self, transcoder: Transcoder) -> None:
        super().__init__(transcoder)
        self.keyring: KeyRing | None = None
        self._subjects: dict[UUID, str] = {}

    def attach(self, keyring: KeyRing) -> None:
        self.keyring = keyring

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        topic = get_topic(domain_event.__class__)
        paths = PERSONAL_FIELDS.get(topic)
        keyring = self.keyring
        subject = getattr(domain_event, "employee_id", None)
        if isinstance(subject, str):
            self._subjects[domain_event.originator_id] = subject
        if not paths or keyring is None or keyring.master is None:
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        originator_id: UUID = state.pop("originator_id")
        version: int = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        employee_id = self._subject(originator_id, state, keyring.keys)
        first = version == 1 and originator_id == employee_uuid(employee_id)
        cipher = keyring.sealing(employee_id, first=first)
        for path in paths:
            where = associated_data(originator_id, version, path)
            _replace(state, path, lambda v, w=where: self._seal(cipher, employee_id, w, v))
        return StoredEvent(originator_id, version, topic, self.transcoder.encode(state))

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        domain_event = super().to_domain_event(stored_event)
        paths = PERSONAL_FIELDS.get(stored_event.topic)
        if paths and self.keyring is not None:
            state = domain_event.__dict__
            for path in paths:
                _replace(state, path, lambda value, p=path: self._open(stored_event, p, value))
        return domain_event

    def _seal(self, cipher: AESGCM, employee_id: str, where: bytes, value: Any) -> Any:
        if value is None or value == "":
            return value
        nonce = os.urandom(NONCE_BYTES)
        sealed = cipher.encrypt(nonce, self.transcoder.encode(value), where)
        return Sealed(employee_id, nonce + sealed)

    def _open(self, stored: StoredEvent, path: str, value: Any) -> Any:
        if not isinstance(value, Sealed):
            return value
        assert self.keyring is not None
        cipher = self.keyring.opening(value.employee_id)
        if cipher is None:
            if path == "state":
                raise SnapshotErased(f"the snapshot of {stored.originator_id} was erased")
            return ERASED
        data = associated_data(stored.originator_id, stored.originator_version, path)
        try:
            plain = cipher.decrypt(value.blob[:NONCE_BYTES], value.blob[NONCE_BYTES:], data)
        except InvalidTag:
            raise SealBroken(
                f"a sealed field of {stored.originator_id} version"
                f" {stored.originator_version} does not authenticate"
            ) from None
        return self.transcoder.decode(plain)

    def _subject(self, originator_id: UUID, state: dict[str, Any], keys: DataKeys) -> str:
        """The employee the event is about: named by it (a snapshot's state names them), or by
        its aggregate's first event."""
        inner = state.get("state")
        employee_id = inner.get("employee_id") if isinstance(inner, dict) else None
        if not isinstance(employee_id, str):
            employee_id = self._subjects.get(originator_id) or keys.subject_of(originator_id)
        if not isinstance(employee_id, str):
            raise LedgerError(f"no employee is known for aggregate {originator_id}")
        self._subjects[originator_id] = employee_id
        return employee_id


def _replace(state: dict[str, Any], path: str, change: Any) -> None:
    """Replace the value at ``path`` (``field`` or ``field.key``) in a copy of its mapping."""
    head, _, key = path.partition(".")
    if head not in state:
        return
    if not key:
        state[head] = change(state[head])
        return
    inner = state[head]
    if isinstance(inner, dict) and key in inner:
        state[head] = {**inner, key: change(inner[key])}
