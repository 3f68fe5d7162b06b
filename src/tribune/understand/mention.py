"""A mention of an entity in a text, as the linker reports it (DESIGN §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# the version stored with the linker's mentions (and its stage state); stages that read the
# stored mentions read this version's
LINKER_VERSION = "link-1"


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    surface: str
    type: str  # org, person, event, country
    id: str | None
    confidence: float
    candidates: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "type": self.type,
            "id": self.id,
            "confidence": round(self.confidence, 3),
        }
        if self.id is None:
            out["candidates"] = list(self.candidates)
        return out
