"""Small result types shared by every door (Python, CLI, HTTP)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class NameClaimRecord:
    name: str
    lang: str
    kind: str
    holders: list[str]
    valid_from: Optional[int]
    valid_to: Optional[int]
    certainty: str
    citations: list[str]
    note: Optional[str] = None


@dataclass(frozen=True)
class RelationRecord:
    relation: str
    other: str
    valid_from: Optional[int]
    valid_to: Optional[int]
    view: Optional[str]
    certainty: str
    citations: list[str]
    note: Optional[str] = None


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
    country: Optional[str]
    layer: str
    priority: int
    population: Optional[int]
    external_ids: dict[str, list[str]]
    citations: list[str]
    note: Optional[str]
    names: list[NameClaimRecord] = field(default_factory=list)
    usage_notes: list[UsageNoteRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    polygon: Optional[dict[str, Any]] = None

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
    country: Optional[str]
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
