"""The perspective report of a text: whose names it uses, places it names two ways, fair first mentions."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .index import valid_in
from .labels import Labeller
from .results import Mention, plain


@dataclass(frozen=True)
class HolderUse:
    holder: str
    label: str
    mentions: int
    names: dict[str, int]  # name used -> how often


@dataclass(frozen=True)
class PlaceNaming:
    id: str
    label: str
    names: dict[str, int]  # every name the text used for the place -> how often


@dataclass(frozen=True)
class Suggestion:
    id: str
    label: str
    used: str  # the name the text gives
    used_by: list[str]  # holders of that name
    first_mention: int  # offset of the first mention
    other_names: dict[str, str]  # holder -> the name it uses instead
    suggestion: str
    usage_note: str | None


@dataclass(frozen=True)
class PerspectiveReport:
    mentions: int
    holders: list[HolderUse] = field(default_factory=list)
    unattributed: int = 0  # mentions whose name no holder is recorded to use
    named_two_ways: list[PlaceNaming] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def _holders(mention: Mention, year: int) -> list[str]:
    """Who uses the name as written in ``year``: the holders of the mention's claim and of the place's
    other claims of the same written form, those valid then (Derry: the council and the nationalist
    community; Swaziland in 2024: nobody, its official use ended in 2018)."""
    claim = mention.claim
    holders: dict[str, None] = {}
    for used in (claim, *mention.other_claims):
        if used.name == claim.name and valid_in(used.valid_from, used.valid_to, year):
            holders.update(dict.fromkeys(used.holders))
    return list(holders)


def perspective_report(labeller: Labeller, mentions: list[Mention], year: int) -> PerspectiveReport:
    """The report of a text dated ``year`` whose mentions are ``mentions``."""
    index = labeller.index
    counted = [m for m in mentions if not m.nested and m.mention_type != "demonym"]
    by_holder: dict[str, Counter[str]] = defaultdict(Counter)
    unattributed = 0
    names_by_place: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, Mention] = {}
    for m in counted:
        names_by_place[m.id][m.claim.name] += 1
        first.setdefault(m.id, m)
        holders_used = _holders(m, year)
        if not holders_used:
            unattributed += 1
        for holder in holders_used:
            by_holder[holder][m.claim.name] += 1
    holders = sorted((HolderUse(h, index.holders.get(h, h), sum(c.values()), dict(c.most_common()))
                      for h, c in by_holder.items()), key=lambda u: (-u.mentions, u.holder))
    labels = {m.id: m.label for m in counted}
    two_ways = [PlaceNaming(pid, labels[pid], dict(c.most_common())) for pid, c in names_by_place.items()
                if len({_plain(n) for n in c}) > 1]
    suggestions = []
    for pid, counter in names_by_place.items():
        if len({_plain(n) for n in counter}) > 1:
            continue  # the text already gives more than one name
        mention = first[pid]
        place_index = index.place_by_id[pid]
        used_by = set(_holders(mention, year))
        if not index.places[place_index].curated or not used_by:
            continue
        language = mention.claim.lang.split("-")[0]
        others = {a.holder: a.name for a in labeller.alternatives(place_index, lang=mention.claim.lang)
                  if a.holder not in used_by and valid_in(a.valid_from, a.valid_to, year)
                  and a.lang.split("-")[0] == language
                  and _plain(mention.claim.name) not in _plain(a.name) and _plain(a.name) not in _plain(mention.claim.name)}
        if not others:
            continue
        by_name: dict[str, list[str]] = defaultdict(list)
        for holder, name in sorted(others.items()):
            by_name[name].append(index.holders.get(holder, holder))
        alternative = "; ".join(f"{name} by {', '.join(holder_labels)}" for name, holder_labels in by_name.items())
        suggestions.append(Suggestion(
            pid, labels[pid], mention.claim.name, sorted(used_by), mention.start, dict(sorted(others.items())),
            f"{mention.claim.name} (also called {alternative})", index.places[place_index].usage_notes.get("fair-naming")))
    return PerspectiveReport(len(counted), holders, unattributed, two_ways, suggestions)


def _plain(name: str) -> str:
    return name.casefold().replace("-", " ")
