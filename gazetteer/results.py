"""Small result types shared by every door (Python, CLI, HTTP)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def plain(value: Any) -> Any:
    """A result as plain dicts and lists for JSON. Like ``dataclasses.asdict`` but without its deep
    copies of every leaf (measured: 40% of an HTTP lookup went there)."""
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return {name: plain(getattr(value, name)) for name in fields}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


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
    other_label: str | None = None


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
        data = plain(self)
        if not polygon:
            data.pop("polygon")
        return data


@dataclass(frozen=True)
class AlternativeName:
    """The name one holder uses for a place (the label's alternatives)."""

    holder: str
    holder_label: str
    name: str
    lang: str
    kind: str
    valid_from: int | None
    valid_to: int | None


@dataclass(frozen=True)
class LookupResult:
    """One place found for a name: how it matched, the claim it matched, and the label shown with its basis.

    ``match`` is ``exact`` (same written form), ``folded`` (case, diacritics, special letters or
    punctuation differ), ``transliterated`` (same name in another script or romanization), ``fuzzy``
    (a typo; ``score`` 0-100) or ``prefix`` (autocomplete).
    """

    id: str
    label: str
    label_basis: str
    kind: str
    lat: float
    lon: float
    country: str | None
    layer: str
    match: str
    score: float
    matched_claim: NameClaimRecord
    label_claim: NameClaimRecord | None = None
    alternatives: list[AlternativeName] = field(default_factory=list)
    query: str = ""

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass(frozen=True)
class NearbyPlace:
    """A place near a point (reverse lookup), with its geodesic distance."""

    id: str
    label: str
    kind: str
    lat: float
    lon: float
    country: str | None
    layer: str
    distance_km: float

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass(frozen=True)
class ContainingArea:
    """A polygon that contains a point, with every recorded relation of the area and whose view each is.

    ``relations`` keep their ``view`` (a holder id, or None where no single holder's view is meant,
    e.g. the internationally recognised status); ``disputed`` is True when the relations of the area
    disagree (more than one holder's view, or more than one place it belongs to or is run by).
    """

    id: str
    label: str
    kind: str
    country: str | None
    note: str | None
    relations: list[RelationRecord]
    disputed: bool
    citations: list[str]

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass(slots=True)
class MentionAlternative:
    """Another place a mention's name could denote, with the score it got."""

    id: str
    label: str
    score: float


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to make, and a text has thousands
class Mention:
    """A place mention in a text: where it is, which place, and which name variant the writer chose.

    ``start``/``end`` are Python ``str`` offsets (end exclusive). ``claim`` is the name claim of the
    variant used (language, kind, holders, validity, citations); ``usage_note`` the place's fair-naming
    note. ``mention_type`` is ``toponym``, ``demonym`` or ``metonym`` (a capital or country standing
    for its government). ``nested`` marks a name inside a longer one (Karabakh in Nagorno-Karabakh).
    ``alternatives`` are the other places the name could denote, when it was ambiguous.
    """

    start: int
    end: int
    surface: str
    id: str
    label: str
    lat: float
    lon: float
    kind: str
    country: str | None
    layer: str
    claim: NameClaimRecord
    usage_note: str | None
    mention_type: str
    nested: bool
    score: float
    alternatives: list[MentionAlternative] = field(default_factory=list)
    # The place's other claims of this written form that carry holders or years (an expired official
    # name, another holder's use of the same spelling), best first.
    other_claims: list[NameClaimRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        # Written out rather than plain(self): a text has hundreds of mentions and this is half of
        # what annotate --format jsonl spends (same keys, in field order).
        return {
            "start": self.start, "end": self.end, "surface": self.surface, "id": self.id, "label": self.label,
            "lat": self.lat, "lon": self.lon, "kind": self.kind, "country": self.country, "layer": self.layer,
            "claim": _claim_dict(self.claim),
            "usage_note": self.usage_note, "mention_type": self.mention_type, "nested": self.nested,
            "score": self.score,
            "alternatives": [{"id": a.id, "label": a.label, "score": a.score} for a in self.alternatives],
            "other_claims": [_claim_dict(c) for c in self.other_claims],
        }


def _claim_dict(claim: NameClaimRecord) -> dict[str, Any]:
    return {"name": claim.name, "lang": claim.lang, "kind": claim.kind, "holders": list(claim.holders),
            "valid_from": claim.valid_from, "valid_to": claim.valid_to, "certainty": claim.certainty,
            "citations": list(claim.citations), "note": claim.note}


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
        return plain(self)
