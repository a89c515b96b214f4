"""Answering queries on the in-memory indexes: lookup, ranked search, autocomplete, reverse, containment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .index import (
    KIND_RANK,
    PLACE_KIND_RANK,
    PREFIX,
    TIER_RANK,
    Filters,
    Hit,
    NameIndex,
    language_rank,
    primary_language,
)
from .labels import Labeller
from .normalize import keys, script_of
from .report import PerspectiveReport, perspective_report
from .results import ContainingArea, LookupResult, Mention, MentionAlternative, NearbyPlace

if TYPE_CHECKING:
    from .tagger import Resolved, Tagger

# Relations that say to whom an area belongs or who runs it: where they disagree the area is disputed.
SOVEREIGNTY = ("part_of", "administered_by", "claimed_by")

# Weak matches, when autocompleting (``search`` with ``prefix``). An unattributed alternate name of a
# base place (kind "variant", language "und", no holder: GeoNames' alternate names) matched through a key
# of this many letters or fewer is weak evidence: short keys collide by chance (Haan's "Khan", Győr's
# "D'er", abjad spellings whose vowels are dropped), and a query that short is often the start of a
# longer name still being typed. Such a match ranks as a prefix match (the place's importance then
# decides: Khankendi, curated, before Haan; Rome before Roman for "Roma"). A code or abbreviation among
# them (all capitals: the airport codes "ART" of Watertown, "XAN" of Alençon) that the query matches
# only after case folding or transliteration ranks after every prefix of a real name. A base place's
# own name (its label) and a curated place's names (reviewed, each with its source) are never weak.
SHORT_KEY_LETTERS = 4
_CODE = re.compile(r"[A-Z0-9]{2,5}")


class Searcher:
    """Queries over one ``NameIndex`` (one data version)."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.labeller = Labeller(index)
        self._tagger: Tagger | None = None
        # (matched claims, place, written form, year, the text's language) -> (the claim chosen, the others listed)
        self._choices: dict[tuple[tuple[int, ...], int, str, int, str | None], tuple[int, list[int]]] = {}

    # -- text ------------------------------------------------------------------------------------
    def tagger(self) -> Tagger:
        """The tagger, opened from the index's snapshot on first use (built and saved there the first time)."""
        if self._tagger is None:
            from .tagger import open_tagger  # (imported here: a lookup needs none of it)
            self._tagger = open_tagger(self.index)
        return self._tagger

    def report(self, text: str, year: int, near: tuple[float, float] | None = None) -> PerspectiveReport:
        return perspective_report(self.labeller, self.annotate(text, year=year, near=near), year)

    def annotate(self, text: str, demonyms: bool = False, *, year: int, near: tuple[float, float] | None = None,
                 off: Iterable[str] = ()) -> list[Mention]:
        return self.mentions(text, self.tagger().tag(text, demonyms=demonyms, near=near, off=off), year)

    def mentions(self, text: str, resolved: list[Resolved], year: int) -> list[Mention]:
        """The tagger's resolved spans as mention records, each with the claim its written form stands
        for in a text of ``year`` (see ``NameIndex.text_claims``) and the place's other such claims."""
        ix = self.index
        c_place, c_kind, choices = ix.c_place, ix.c_kind, self._choices
        mentions = []
        for m in resolved:
            place = ix.places[m.place]
            surface = text[m.start:m.end]
            key = (m.claims, m.place, surface, year, m.language)
            chosen = choices.get(key)
            if chosen is None:
                if len(choices) > 100_000:
                    choices.clear()
                # the place's claims of this written form, demonyms only for a demonym ("Georgian")
                demonym = c_kind[m.claim] == "demonym"
                own = [c for c in m.claims if c_place[c] == m.place and (c_kind[c] == "demonym") == demonym] \
                    or [m.claim]
                chosen = choices[key] = ix.text_claims(own, surface, year, m.language)
            claim, others = chosen
            mentions.append(Mention(
                start=m.start, end=m.end, surface=surface, id=place.id, label=place.label, lat=place.lat,
                lon=place.lon, kind=place.kind, country=place.country, layer=place.layer,
                claim=ix.claim_record(claim), usage_note=place.usage_notes.get("fair-naming"),
                mention_type=m.mention_type, nested=m.nested, score=m.score,
                alternatives=[MentionAlternative(ix.places[p].id, ix.places[p].label, score) for p, score in m.alternatives],
                other_claims=[ix.claim_record(c) for c in others]))
        return mentions

    # -- names ----------------------------------------------------------------------------------
    def _match_rank(self, hit: Hit, written: str, primary: str, autocomplete: bool) -> tuple[int, bool]:
        """How good a match is: its tier, when autocompleting demoted for a weak match (see
        ``SHORT_KEY_LETTERS``), and whether it is a code matched only after folding (ranked after the
        other matches of its tier)."""
        tier = TIER_RANK[hit.tier]
        ix = self.index
        claim = hit.claim
        if (not autocomplete or tier > TIER_RANK[PREFIX] or ix.c_kind[claim] != "variant" or primary != "und"
                or claim in ix.c_holders or ix.places[hit.place].curated):
            return tier, False
        name = ix.c_name[claim]
        code = _CODE.fullmatch(name) is not None and not name.startswith(written)
        if hit.tier == PREFIX:
            return tier, code
        matched = ix.c_cross[claim] if hit.tier == "transliterated" else keys(name)[0]
        if sum(char.isalnum() for char in matched) > SHORT_KEY_LETTERS or name == ix.places[hit.place].label:
            return tier, False
        return TIER_RANK[PREFIX], code

    def _claim_rank(self, hit: Hit, written: str, script: str | None, lang: str | None, autocomplete: bool) -> tuple:
        ix = self.index
        claim = hit.claim
        primary = primary_language(ix.c_lang[claim])
        tier, code = self._match_rank(hit, written, primary, autocomplete)
        # 0 tier, 1 code, 2 edits, 3 written differently, 4 other language, 5 other script, 6 no holder,
        # 7 kind of name
        return (tier, code, hit.edits, ix.c_name[claim] != written, lang is not None and primary != lang,
                script_of(ix.c_name[claim]) != script, claim not in ix.c_holders, KIND_RANK.get(ix.c_kind[claim], 9),
                language_rank(primary), claim)

    def _best_per_place(self, hits: Iterable[Hit], written: str, filters: Filters,
                        best: dict[int, tuple[tuple, Hit]] | None = None,
                        autocomplete: bool = False) -> dict[int, tuple[tuple, Hit]]:
        """The best-matching claim of each place that passes the filters."""
        ix = self.index
        best = {} if best is None else best
        lang = primary_language(filters.lang) if filters.lang else None
        script = script_of(written)
        verdict: dict[int, bool] = {}
        for hit in hits:
            ok = verdict.get(hit.place)
            if ok is None:
                ok = verdict[hit.place] = filters.place_ok(ix.places[hit.place])
            if not ok or (filters.at is not None and not ix.valid_at(hit.claim, filters.at)):
                continue
            rank = self._claim_rank(hit, written, script, lang, autocomplete)
            current = best.get(hit.place)
            if current is None or rank < current[0]:
                best[hit.place] = (rank, hit)
        return best

    def _ordered(self, best: dict[int, tuple[tuple, Hit]], limit: int) -> list[tuple[int, Hit]]:
        places = self.index.places

        def order(item: tuple[int, tuple[tuple, Hit]]) -> tuple:
            place_index, (rank, _) = item
            place = places[place_index]
            # match tier (weak matches demoted, codes after the rest), edits (fuzzy), language preference;
            # then the place: curated over base, curated priority, population, kind (a town before the
            # district named after it); then a name someone is recorded to use over an unattributed one
            return (rank[0], rank[1], rank[2], rank[4], -place.importance, PLACE_KIND_RANK.get(place.kind, 9),
                    rank[6], place.id)

        return [(place_index, hit) for place_index, (_, hit) in sorted(best.items(), key=order)[:limit]]

    def _results(self, ranked: list[tuple[int, Hit]], query: str, filters: Filters,
                 perspective: str | None) -> list[LookupResult]:
        ix = self.index
        results = []
        for place_index, hit in ranked:
            place = ix.places[place_index]
            label = self.labeller.choose(place_index, filters.lang, filters.at, perspective)
            results.append(LookupResult(
                id=place.id, label=label.name, label_basis=label.basis, kind=place.kind, lat=place.lat,
                lon=place.lon, country=place.country, layer=place.layer, match=hit.tier, score=hit.score,
                matched_claim=ix.claim_record(hit.claim),
                label_claim=ix.claim_record(label.claim) if label.claim is not None else None,
                alternatives=self.labeller.alternatives(place_index, filters.lang, filters.at), query=query))
        return results

    def lookup(self, query: str, limit: int, filters: Filters, fuzzy: bool = True,
               perspective: str | None = None) -> list[LookupResult]:
        """The places a name denotes: exact or folded matches; else transliterated; else (if
        ``fuzzy``) the nearest spellings. Stops at the first of these that finds something."""
        ix = self.index
        written = unicodedata.normalize("NFC", query.strip())
        key, cross = keys(query)
        best = self._best_per_place(ix.folded_hits(written, key), written, filters)
        if not best and cross:
            best = self._best_per_place(ix.transliterated_hits(cross), written, filters)
        if not best and fuzzy:
            best = self._best_per_place(ix.fuzzy_hits(key, cross), written, filters)
        return self._results(self._ordered(best, limit), query, filters, perspective)

    def search(self, query: str, limit: int, filters: Filters, fuzzy: bool = True, prefix: bool = False,
               perspective: str | None = None) -> list[LookupResult]:
        """Every kind of match at once, ranked: exact, folded, transliterated, then prefix matches
        (with ``prefix``, for autocomplete) and typo matches (with ``fuzzy``)."""
        ix = self.index
        written = unicodedata.normalize("NFC", query.strip())
        key, cross = keys(query)
        best = self._best_per_place(ix.folded_hits(written, key), written, filters, autocomplete=prefix)
        if cross:
            self._best_per_place(ix.transliterated_hits(cross), written, filters, best, prefix)
        if prefix and key:
            self._best_per_place(ix.prefix_hits(key, limit, filters), written, filters, best, prefix)
        if fuzzy:
            self._best_per_place(ix.fuzzy_hits(key, cross), written, filters, best, prefix)
        return self._results(self._ordered(best, limit), query, filters, perspective)

    # -- space ----------------------------------------------------------------------------------
    def reverse(self, lat: float, lon: float, limit: int, radius_km: float | None,
                kinds: frozenset[str] | None) -> list[NearbyPlace]:
        ix = self.index
        assert ix.points is not None
        accept = None if kinds is None else (lambda i: ix.places[i].kind in kinds)
        return [NearbyPlace(p.id, p.label, p.kind, p.lat, p.lon, p.country, p.layer, round(km, 3))
                for i, km in ix.points.nearest(lat, lon, limit, radius_km, accept) for p in (ix.places[i],)]

    def contains(self, lat: float, lon: float) -> list[ContainingArea]:
        ix = self.index
        assert ix.areas is not None
        areas = []
        for place_index in ix.areas.containing(lat, lon):
            place = ix.places[place_index]
            ruling = [r for r in place.relations if r.relation in SOVEREIGNTY]
            disputed = (place.kind == "disputed-area" or any(r.relation == "claimed_by" for r in ruling)
                        or any(r.view for r in place.relations) or len({r.other for r in ruling}) > 1)
            areas.append(ContainingArea(place.id, place.label, place.kind, place.country, place.note,
                                        list(place.relations), disputed, list(place.citations)))
        return areas


__all__ = ["Filters", "Searcher"]
