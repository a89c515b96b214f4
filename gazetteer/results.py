"""Small result types shared by every door (Python, CLI, HTTP)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class NameClaimRecord:
    name: str
    lang: str
    kind: str
    holders: list[str]
    valid_from: int | None
    valid_to: int | None
    certainty: str
    citations: list[str]
    note: str | None = None


@dataclass(frozen=True)
class RelationRecord:
    relation: str
    other: str
    valid_from: int | None
    valid_to: int | None
    view: str | None
    certainty: str
    citations: list[str]
    note: str | None = None


@dataclass(frozen=True)
class UsageNoteRecord:
    topic: str
    text: str
    citations: list[str]


@dataclass(frozen=True)
class PlaceRecord:
    """A place with every name claim, usage note and relation it has."""

    id: str
    kind: str
    label: str
    lat: float
    lon: float
    country: str | None
    layer: str
    priority: int
    population: int | None
    external_ids: dict[str, list[str]]
    citations: list[str]
    note: str | None
    names: list[NameClaimRecord] = field(default_factory=list)
    usage_notes: list[UsageNoteRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    polygon: dict[str, Any] | None = None

    def to_dict(self, polygon: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not polygon:
            data.pop("polygon")
        return data


@dataclass(frozen=True)
class LookupResult:
    """One place found for a name, with the name claim that matched and how."""

    id: str
    label: str
    kind: str
    lat: float
    lon: float
    country: str | None
    layer: str
    match: str  # "exact" (same written form) or "folded" (case/diacritics/punctuation differ)
    matched_claim: NameClaimRecord
    query: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Status:
    data_version: str
    base_layer: str
    loaded_at: str
    places: int
    curated_places: int
    name_claims: int
    languages: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
