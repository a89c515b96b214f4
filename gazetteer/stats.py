"""Evidence figures of the curated layer: how much of "who uses this name" is proven.

A claim that names holders is *proven* when one of its citations is a source that attests usage (a law,
an official site, a style guide, an outlet's own text, an encyclopedia article saying who uses the name),
not only a gazetteer record of the spelling. ``db validate`` refuses unproven holder claims, so a loaded
database shows 100 %; the figures say so, and how many claims carry years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .datafiles import Citation
from .mapview import place_status
from .results import PlaceRecord, plain

# Map statuses that mean a place is contested in name or in sovereignty.
CONTESTED = ("disputed", "named-two-ways", "renamed")


@dataclass(frozen=True)
class DisputeEvidence:
    """One contested curated place: whose names it records and how well they are proven."""

    id: str
    label: str
    status: str
    holders: list[str]
    languages: int
    holder_claims: int
    with_usage_evidence: int
    with_years: int
    fair_naming_note: bool

    @property
    def complete(self) -> bool:
        """Names of at least one holder, all proven, and a note on how to write the place fairly."""
        return bool(self.holder_claims) and self.with_usage_evidence == self.holder_claims and self.fair_naming_note


@dataclass(frozen=True)
class EvidenceStats:
    curated_places: int
    curated_claims: int
    languages: int
    holders: int
    holder_claims: int
    with_usage_evidence: int
    with_years: int
    disputes: list[DisputeEvidence] = field(default_factory=list)

    @property
    def usage_evidence_share(self) -> float:
        return self.with_usage_evidence / self.holder_claims if self.holder_claims else 1.0

    @property
    def years_share(self) -> float:
        return self.with_years / self.holder_claims if self.holder_claims else 0.0

    def to_dict(self, *, disputes: bool = True) -> dict[str, Any]:
        out = {k: v for k, v in plain(self).items() if k != "disputes"}
        out["usage_evidence_share"] = round(self.usage_evidence_share, 4)
        out["years_share"] = round(self.years_share, 4)
        out["contested_places"] = len(self.disputes)
        out["contested_places_complete"] = sum(d.complete for d in self.disputes)
        if disputes:
            out["disputes"] = [{**plain(d), "complete": d.complete} for d in self.disputes]
        return out


def evidence_stats(places: Iterable[PlaceRecord], attests: dict[str, str]) -> EvidenceStats:
    """The figures for the curated ``places``; ``attests`` maps a source id to "usage" or "spelling"."""

    def proven(citations: list[str]) -> bool:
        return any(attests.get(Citation.parse(c).source) == "usage" for c in citations)

    n_places = n_claims = n_held = n_proven = n_years = 0
    languages: set[str] = set()
    holders: set[str] = set()
    disputes = []
    for place in places:
        n_places += 1
        n_claims += len(place.names)
        held = [c for c in place.names if c.holders]
        place_proven = sum(proven(c.citations) for c in held)
        place_years = sum(c.valid_from is not None or c.valid_to is not None for c in held)
        n_held += len(held)
        n_proven += place_proven
        n_years += place_years
        languages.update(c.lang for c in place.names)
        place_holders = sorted({h for c in held for h in c.holders})
        holders.update(place_holders)
        status, _ = place_status(place)
        if status in CONTESTED:
            disputes.append(DisputeEvidence(
                place.id, place.label, status, place_holders, len({c.lang for c in place.names}), len(held),
                place_proven, place_years, any(n.topic == "fair-naming" for n in place.usage_notes)))
    return EvidenceStats(n_places, n_claims, len(languages), len(holders), n_held, n_proven, n_years,
                         sorted(disputes, key=lambda d: d.id))
