"""Where an imported event came from: the import, the file, the sheet and the row.

The provenance travels inside the event itself, as one more attribute of its state. The
library's mapper stores ``vars(event)`` and restores it as the event's ``__dict__``, so the
attribute is in the stored bytes, hence in the event hash and the chain, and comes back
when the event is read. Events without it (every event not imported, and every event
stored before imports existed) read as having none: no stored event changes, no event
class changes, and no upcasting is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ATTRIBUTE = "provenance"


@dataclass(frozen=True)
class Origin:
    """The file an import reads."""

    import_id: str
    file_name: str
    file_sha256: str

    def at(self, sheet: str, row: int) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "file_name": self.file_name,
            "file_sha256": self.file_sha256,
            "sheet": sheet,
            "row": row,
        }


def stamp(event: object, provenance: dict[str, Any]) -> None:
    """Gives a new, not yet saved event its provenance.

    Events are frozen dataclasses; this sets the attribute the way their own ``__init__``
    sets fields, once, before anything else sees the event.
    """
    object.__setattr__(event, ATTRIBUTE, provenance)


def provenance_of(event: object) -> dict[str, Any] | None:
    """The event's provenance, or None for an event not imported."""
    found = vars(event).get(ATTRIBUTE)
    return found if isinstance(found, dict) else None
