"""Which name to show for a place, and why: a label always comes with its basis and the alternatives.

The rules, in order:

1. ``perspective=HOLDER``: the name that holder uses (valid in ``at`` if given, else its current one,
   else its latest), preferring the display language.
2. ``at=YEAR``: the name with recorded dates that was valid that year (official first), written in the
   display language where the place has the same name in it (Степанакерт, ru, 1923–1991 → Stepanakert).
3. ``lang=xx``: the name in that language; where holders use different names in it, all of them.
4. Otherwise the curated label (for a disputed place it gives the names of both sides), or the
   GeoNames name of a base-layer place.

The display language is ``lang``, or English.
"""

from __future__ import annotations

from dataclasses import dataclass

from .index import KIND_RANK, NameIndex, PlaceEntry, primary_language
from .results import AlternativeName

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Label:
    name: str
    basis: str
    claim: int | None  # the claim the label comes from; None for the curated or GeoNames label


def years(start: int | None, end: int | None) -> str:
    if start is not None and end is not None:
        return f"{start}–{end}"
    if start is not None:
        return f"since {start}"
    if end is not None:
        return f"until {end}"
    return ""


def _with_years(text: str, start: int | None, end: int | None) -> str:
    span = years(start, end)
    return f"{text}, {span}" if span else text


class Labeller:
    def __init__(self, index: NameIndex) -> None:
        self.index = index

    def _rank(self, claim: int, display: str) -> tuple:
        ix = self.index
        return (primary_language(ix.c_lang[claim]) != display, KIND_RANK.get(ix.c_kind[claim], 9),
                claim not in ix.c_holders, claim)

    def _holder_names(self, claim: int) -> str:
        return ", ".join(self.index.holders.get(h, h) for h in self.index.c_holders.get(claim, ())) or "no named holder"

    def _render(self, place: PlaceEntry, claim: int, display: str) -> str:
        """The claim's name as written in the display language, where the place has it in that language."""
        ix = self.index
        if primary_language(ix.c_lang[claim]) == display:
            return ix.c_name[claim]
        target = ix.c_cross[claim]
        same = [c for c in place.claims if primary_language(ix.c_lang[c]) == display and ix.c_cross[c] == target]
        if not same:
            return ix.c_name[claim]
        return ix.c_name[min(same, key=lambda c: self._rank(c, display))]

    def default(self, place: PlaceEntry) -> Label:
        if not place.curated:
            return Label(place.label, "GeoNames name (base layer)", None)
        both = " / " in place.label
        return Label(place.label, "curated label of this gazetteer" + (
            " giving the names used by both sides" if both else "") + "; alternatives listed", None)

    def choose(self, place_index: int, lang: str | None = None, at: int | None = None,
               perspective: str | None = None) -> Label:
        ix = self.index
        place = ix.places[place_index]
        display = primary_language(lang) if lang else DEFAULT_LANGUAGE
        when = f" in {at}" if at is not None else ""
        if perspective is not None:
            held = [c for c in place.claims if perspective in ix.c_holders.get(c, ())]
            if at is not None:
                held = [c for c in held if ix.valid_at(c, at)]
            holder = ix.holders.get(perspective, perspective)
            if held:
                # Current names first, then the latest; then the display language; official first.
                claim = min(held, key=lambda c: (ix.c_to[c] is not None, -(ix.c_to[c] or 0), *self._rank(c, display)))
                basis = _with_years(f"name used by {holder}{when} ({ix.c_lang[claim]}, {ix.c_kind[claim]}",
                                    ix.c_from[claim], ix.c_to[claim]) + ")"
                official = [c for c in held if ix.c_kind[c] == "official" and ix.c_name[c] != ix.c_name[claim]]
                if official:
                    basis += f"; its official form: {ix.c_name[official[0]]} ({ix.c_lang[official[0]]})"
                return Label(ix.c_name[claim], basis + "; alternatives listed", claim)
            fallback = self.default(place)
            return Label(fallback.name, f"no name of {holder}{when} is recorded for this place; {fallback.basis}", None)
        if at is not None:
            dated = [c for c in place.claims if (ix.c_from[c] is not None or ix.c_to[c] is not None)
                     and ix.valid_at(c, at) and ix.c_kind[c] != "variant"]
            if dated:
                claim = min(dated, key=lambda c: (KIND_RANK.get(ix.c_kind[c], 9), *self._rank(c, display)))
                name = self._render(place, claim, display)
                basis = _with_years(f"{ix.c_kind[claim]} name in {at} per {self._holder_names(claim)}: "
                                    f"{ix.c_name[claim]} ({ix.c_lang[claim]}", ix.c_from[claim], ix.c_to[claim]) + ")"
                if name != ix.c_name[claim]:
                    basis += f", written {name} in {display}"
                return Label(name, basis + "; alternatives listed", claim)
            fallback = self.by_language(place, lang)
            return Label(fallback.name, f"no dated name is recorded for {at}; {fallback.basis}", fallback.claim)
        return self.by_language(place, lang)

    def by_language(self, place: PlaceEntry, lang: str | None) -> Label:
        if lang is None or primary_language(lang) == DEFAULT_LANGUAGE:
            return self.default(place)
        ix = self.index
        display = primary_language(lang)
        current = [c for c in place.claims if primary_language(ix.c_lang[c]) == display and ix.c_to[c] is None
                   and ix.c_kind[c] in ("official", "endonym", "exonym", "short", "variant", "romanization")]
        if not current:
            fallback = self.default(place)
            return Label(fallback.name, f"no current name in {lang} is recorded; {fallback.basis}", None)
        current.sort(key=lambda c: self._rank(c, display))
        best_kind = KIND_RANK.get(ix.c_kind[current[0]], 9)
        names: dict[str, list[int]] = {}
        for c in current:  # every distinct name held by someone, of the best kinds present
            if c in ix.c_holders and KIND_RANK.get(ix.c_kind[c], 9) <= max(best_kind, KIND_RANK["exonym"]):
                names.setdefault(ix.c_name[c], []).append(c)
        if len(names) > 1:
            parts = [f"{name} ({'; '.join(self._holder_names(c) for c in claims)})" for name, claims in names.items()]
            return Label(" / ".join(names), f"holders use different names in {lang}: " + ", ".join(parts)
                         + "; choose a perspective for one of them", current[0])
        claim = current[0]
        return Label(ix.c_name[claim], f"{ix.c_kind[claim]} name in {lang} ({self._holder_names(claim)}); "
                     "alternatives listed", claim)

    def alternatives(self, place_index: int, lang: str | None = None, at: int | None = None) -> list[AlternativeName]:
        """One name per holder that has named the place (valid in ``at`` where given)."""
        ix = self.index
        place = ix.places[place_index]
        if not place.curated:
            return []
        display = primary_language(lang) if lang else DEFAULT_LANGUAGE
        best: dict[str, tuple[tuple, int]] = {}
        for c in place.claims:
            holders = ix.c_holders.get(c)
            if not holders or (at is not None and not ix.valid_at(c, at)):
                continue
            rank = (ix.c_to[c] is not None, *self._rank(c, display))
            for holder in holders:
                if holder not in best or rank < best[holder][0]:
                    best[holder] = (rank, c)
        return [AlternativeName(holder, ix.holders.get(holder, holder), ix.c_name[c], ix.c_lang[c], ix.c_kind[c],
                                ix.c_from[c], ix.c_to[c]) for holder, (_, c) in sorted(best.items())]
