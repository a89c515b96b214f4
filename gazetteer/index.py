"""The in-memory name index, built from the database once per data version.

Every name claim is indexed under two keys made by ``normalize.keys`` (the same function serves the
queries): its folded form and its cross-script key. A query is answered by dictionary lookups
(exact, folded, transliterated), a fuzzy pass of rapidfuzz over a bounded candidate set (keys of about
the same length that share the first two or the last two letters), or a binary search over the sorted keys
(prefix, for autocomplete).
"""

from __future__ import annotations

import bisect
import gc
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Engine, String, cast, or_, select

from . import model, store
from .language import family
from .results import NameClaimRecord, RelationRecord
from .store import (
    Buckets,
    Categories,
    IdMap,
    Reader,
    Writer,
    optional_ints,
    read_optional_ints,
)

if TYPE_CHECKING:  # (shapely and geopy are imported when a spatial query first needs them)
    from .spatial import AreaIndex, PointIndex

# Match tiers, best first.
EXACT, FOLDED, TRANSLITERATED, PREFIX, FUZZY = "exact", "folded", "transliterated", "prefix", "fuzzy"
TIER_RANK = {EXACT: 0, FOLDED: 1, TRANSLITERATED: 2, PREFIX: 3, FUZZY: 4}
# When several claims of one place match, show the one a reader most likely meant.
KIND_RANK = {"official": 0, "endonym": 1, "exonym": 2, "short": 3, "romanization": 4, "colloquial": 5,
             "variant": 6, "historical": 7}
MAJOR_LANGUAGES = ("en", "az", "hy", "ru", "tr", "uk", "ka", "de", "fr", "es", "it", "ar", "fa", "zh", "ja")
_CERTAINTY_RANK = {"high": 0, "medium": 1, "low": 2}
# Between places that match equally well: larger units first, but a town before the administrative
# unit named after it (news that says "Aghdam" means the town more often than the district).
PLACE_KIND_RANK = {"country": 0, "polity": 1, "region": 2, "disputed-area": 2, "water-body": 3, "islands": 3,
                   "settlement": 4, "corridor": 5, "district": 6}
# Fuzzy matching: the most edits allowed for a cross-script key of this length (none below 4 letters).
FUZZY_MIN_LENGTH = 4


def max_edits(length: int) -> int:
    return 0 if length < FUZZY_MIN_LENGTH else 1 if length <= 8 else 2


def primary_language(tag: str) -> str:
    return tag.split("-", 1)[0]


def valid_in(valid_from: int | None, valid_to: int | None, year: int) -> bool:
    """Whether a claim valid from ``valid_from`` to ``valid_to`` (either end open: None) is valid in ``year``."""
    return (valid_from is None or valid_from <= year) and (valid_to is None or year <= valid_to)


def language_rank(tag: str) -> int:
    """English first, then the other major languages of the curated data, then the rest."""
    primary = primary_language(tag)
    return MAJOR_LANGUAGES.index(primary) if primary in MAJOR_LANGUAGES else len(MAJOR_LANGUAGES)


@dataclass(slots=True)
class PlaceEntry:
    id: str
    kind: str
    label: str
    lat: float
    lon: float
    country: str | None
    layer: str
    priority: int
    population: int
    citations: list[str]
    note: str | None
    claims: list[int] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    usage_notes: dict[str, str] = field(default_factory=dict)  # topic -> text (the first of each topic)
    region: str | None = None  # a base town's first-level division (place id), where the source says so

    @property
    def curated(self) -> bool:
        return self.layer == "curated"

    @property
    def importance(self) -> float:
        """Curated over base, then curated priority, then population."""
        return (1e15 if self.curated else 0.0) + self.priority * 1e12 + self.population


@dataclass(frozen=True)
class Filters:
    """What a caller restricts a search to; None means no restriction."""

    kinds: frozenset[str] | None = None
    country: str | None = None
    curated_only: bool = False
    at: int | None = None
    lang: str | None = None  # a preference, not a restriction

    def place_ok(self, place: PlaceEntry) -> bool:
        return ((self.kinds is None or place.kind in self.kinds)
                and (self.country is None or place.country == self.country)
                and (not self.curated_only or place.curated))


@dataclass(slots=True)
class Hit:
    place: int
    claim: int
    tier: str
    score: float  # 100 but for fuzzy matches: similarity 0-100
    edits: int = 0  # fuzzy matches: edits between the keys


class PlaceTable(Sequence[PlaceEntry]):
    """The places of a snapshot, each made into a ``PlaceEntry`` when it is first read (and kept a while)."""

    def __init__(self, reader: Reader) -> None:
        self.ids = reader.strings("place.id")
        self._labels = reader.strings("place.label")
        self._notes = reader.strings("place.note")
        self._regions = reader.strings("place.region")
        self._citations = reader.strings("place.citations")
        self._kinds = Categories.read(reader, "place.kind")
        self._countries = Categories.read(reader, "place.country")
        self._layers = Categories.read(reader, "place.layer")
        self._lats = reader.floats("place.lat")
        self._lons = reader.floats("place.lon")
        self._priority = reader.ints("place.priority")
        self._population = reader.ints("place.population")
        self._claim_offsets = reader.ints("place.claims.off")
        self._claims = reader.ints("place.claims", "i")
        self._extra: dict[int, tuple[list[RelationRecord], dict[str, str]]] = reader.pickle("place.extra")
        self._cache: dict[int, PlaceEntry] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[PlaceEntry]:
        return (self[i] for i in range(len(self.ids)))

    def __getitem__(self, index: Any) -> Any:
        entry = self._cache.get(index)
        if entry is not None:
            return entry
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        citations = self._citations[index]
        relations, notes = self._extra.get(index, ([], {}))
        entry = PlaceEntry(
            self.ids[index], self._kinds[index], self._labels[index], float(self._lats[index]),
            float(self._lons[index]), self._countries[index], self._layers[index], self._priority[index],
            self._population[index], citations.split("\x1f") if citations else [], self._notes[index],
            self._claims[self._claim_offsets[index]:self._claim_offsets[index + 1]].tolist(), relations, notes,
            self._regions[index])
        if len(self._cache) >= 200_000:  # bounded: a long-running server reads many places
            self._cache.clear()
        self._cache[index] = entry
        return entry


class NameIndex:
    """Places, claims and holders in memory, with the keys that find them."""

    def __init__(self) -> None:
        self.data_version = ""
        self.build_seconds = 0.0
        self.places: list[PlaceEntry] = []
        self.place_by_id: dict[str, int] = {}
        self.holders: dict[str, str] = {}  # id -> label
        self._kinds: set[str] | None = None
        self._records: dict[int, NameClaimRecord] = {}
        # Claims, column by column (a claim is an int index into these lists).
        self.c_place: list[int] = []
        self.c_name: list[str] = []
        self.c_lang: list[str] = []
        self.c_kind: list[str] = []
        self.c_from: list[int | None] = []
        self.c_to: list[int | None] = []
        self.c_certainty: list[str] = []
        self.c_layer: list[str] = []  # "curated", or "base" for a name the base layer gives (a curated place's too)
        self.c_cross: list[str] = []  # the cross-script key of each claim
        self.c_holders: dict[int, tuple[str, ...]] = {}  # only claims that have holders
        # curated claims and base claims from another source than their place's record; the others cite
        # their place's record
        self.c_citations: dict[int, list[str]] = {}
        self.c_note: dict[int, str] = {}
        self.by_key: dict[str, list[int]] = {}
        self.by_cross: dict[str, list[int]] = {}
        # Fuzzy: folded and cross keys, each bucketed by (length, first two letters) and (length, last two):
        # one edit leaves at least one of the two intact.
        self.fuzzy_folded: dict[tuple[int, str], list[str]] = {}
        self.fuzzy_cross: dict[tuple[int, str], list[str]] = {}
        # Prefix: sorted folded keys and word starts within them; full-key entries rank first.
        self.prefix_entries: list[str] = []
        self.prefix_keys: list[str] = []
        self.prefix_rank: np.ndarray = np.zeros(0)
        self._points: PointIndex | None = None
        self._lats: Any = []  # the places' latitudes and longitudes (arrays, from the snapshot)
        self._lons: Any = []
        self._areas: AreaIndex | None = None
        self._polygons: list[tuple[int, dict]] = []  # (place index, GeoJSON geometry) of the curated areas
        self.directory: Path | None = None  # the snapshot this index was opened from

    @property
    def areas(self) -> AreaIndex:
        """The curated places' polygons (read from the snapshot on first use)."""
        if self._areas is None:
            from .spatial import AreaIndex
            self._areas = AreaIndex(self._polygons)
        return self._areas

    @property
    def points(self) -> PointIndex:
        """The places' points for nearest-place queries (built on first use: about 0.1 s per 100,000)."""
        if self._points is None:
            from .spatial import PointIndex
            self._points = PointIndex(self._lats, self._lons)
        return self._points

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def build(cls, engine: Engine) -> NameIndex:
        """Read every place, claim, holder and relation and index them (about 2.5 s for cities15000)."""
        collecting = gc.isenabled()
        gc.disable()  # the build makes a million long-lived objects: collecting meanwhile costs a third more
        try:
            return cls._build(engine)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(cls, engine: Engine) -> NameIndex:
        start = time.perf_counter()
        index = cls()
        with engine.connect() as conn:
            index.data_version = conn.execute(
                select(model.Meta.value).where(model.Meta.key == "data_version")).scalar() or ""
            index.holders = dict(conn.execute(select(model.Holder.id, model.Holder.label)).all())
            index._load_places(conn.execute(select(
                model.Place.id, model.Place.kind, model.Place.label, model.Place.lat, model.Place.lon,
                model.Place.country, model.Place.layer, model.Place.priority, model.Place.population,
                model.Place.citations, model.Place.note, model.Place.polygon, model.Place.region)))
            claim = model.NameClaim
            index._load_claims(conn.execute(select(
                claim.id, claim.place_id, claim.name, claim.name_key, claim.cross_key, claim.lang, claim.kind,
                claim.valid_from, claim.valid_to, claim.certainty, claim.layer).order_by(model.NameClaim.id)).all())
            claim_index = index._claim_db_ids
            # A base claim that cites its place's record (most GeoNames names) is cited through the place;
            # the others (curated claims, and base names from other sources: countryinfo, AP and Canadian
            # abbreviations, Natural Earth) keep their own citations.
            for claim_id, citations, note in conn.execute(select(
                    model.NameClaim.id, model.NameClaim.citations, model.NameClaim.note)
                    .join(model.Place, model.Place.id == model.NameClaim.place_id)
                    .where(or_(model.NameClaim.layer == "curated",
                               cast(model.NameClaim.citations, String) != cast(model.Place.citations, String)))):
                index.c_citations[claim_index[claim_id]] = list(citations or [])
                if note:
                    index.c_note[claim_index[claim_id]] = note
            holders: dict[int, list[str]] = {}
            for claim_id, holder_id in conn.execute(select(model.claim_holders.c.claim_id,
                                                           model.claim_holders.c.holder_id)):
                holders.setdefault(claim_index[claim_id], []).append(holder_id)
            index.c_holders = {c: tuple(sorted(h)) for c, h in holders.items()}
            index._load_relations(conn.execute(select(
                model.Relation.place_id, model.Relation.relation, model.Relation.other_id, model.Relation.valid_from,
                model.Relation.valid_to, model.Relation.view, model.Relation.certainty, model.Relation.citations,
                model.Relation.note).order_by(model.Relation.id)))
            for place_id, topic, text in conn.execute(select(
                    model.UsageNote.place_id, model.UsageNote.topic, model.UsageNote.text).order_by(model.UsageNote.id)):
                index.places[index.place_by_id[place_id]].usage_notes.setdefault(topic, text)
        del index._claim_db_ids
        index._build_keys()
        index.build_seconds = time.perf_counter() - start
        return index

    def _load_places(self, rows: Iterable[tuple]) -> None:
        polygons: list[tuple[int, dict]] = []
        for pid, kind, label, lat, lon, country, layer, priority, population, citations, note, polygon, region in rows:
            self.place_by_id[pid] = len(self.places)
            if polygon:
                polygons.append((len(self.places), polygon))
            self.places.append(PlaceEntry(pid, kind, label, lat, lon, country, layer, priority or 0, population or 0,
                                          list(citations or []), note, region=region))
        self._polygons = polygons

    def _load_claims(self, rows: Iterable[tuple]) -> None:
        self._claim_db_ids: dict[int, int] = {}
        intern: dict[str, str] = {}
        place_by_id = self.place_by_id
        by_key, by_cross = self.by_key, self.by_cross
        for claim_id, place_id, name, key, cross, lang, kind, valid_from, valid_to, certainty, layer in rows:
            index = len(self.c_name)
            self._claim_db_ids[claim_id] = index
            place = place_by_id[place_id]
            self.c_place.append(place)
            self.c_name.append(name)
            self.c_lang.append(intern.setdefault(lang, lang))
            self.c_kind.append(intern.setdefault(kind, kind))
            self.c_from.append(valid_from)
            self.c_to.append(valid_to)
            self.c_certainty.append(intern.setdefault(certainty, certainty))
            self.c_layer.append(intern.setdefault(layer, layer))
            self.c_cross.append(cross)
            self.places[place].claims.append(index)
            by_key.setdefault(key, []).append(index)
            if cross:
                by_cross.setdefault(cross, []).append(index)

    def _load_relations(self, rows: Iterable[tuple]) -> None:
        for place_id, relation, other, valid_from, valid_to, view, certainty, citations, note in rows:
            other_index = self.place_by_id.get(other)
            self.places[self.place_by_id[place_id]].relations.append(RelationRecord(
                relation, other, valid_from, valid_to, view, certainty, list(citations or []), note,
                self.places[other_index].label if other_index is not None else None))

    def _build_keys(self) -> None:
        importance = [place.importance for place in self.places]
        c_place = self.c_place
        entries: list[str] = []
        entry_keys: list[str] = []
        entry_ranks: list[float] = []
        for key, claims in self.by_key.items():
            rank = max(importance[c_place[c]] for c in claims)
            entries.append(key)
            entry_keys.append(key)
            entry_ranks.append(rank)
            position = key.find(" ")
            while position != -1:  # word starts: "karabakh" finds "nagorno karabakh", after full keys
                entries.append(key[position + 1:])
                entry_keys.append(key)
                entry_ranks.append(rank - 1e16)
                position = key.find(" ", position + 1)
        order = sorted(range(len(entries)), key=entries.__getitem__)
        self.prefix_entries = [entries[i] for i in order]
        self.prefix_keys = [entry_keys[i] for i in order]
        self.prefix_rank = np.asarray(entry_ranks, dtype=np.float64)[np.asarray(order, dtype=np.int64)]
        for keys, buckets in ((self.by_key, self.fuzzy_folded), (self.by_cross, self.fuzzy_cross)):
            for key in keys:
                length = len(key)
                if length < FUZZY_MIN_LENGTH - 2:
                    continue
                buckets.setdefault((length, key[:2]), []).append(key)
                if key[-2:] != key[:2]:
                    buckets.setdefault((length, key[-2:]), []).append(key)

    # -- the snapshot ---------------------------------------------------------------------------
    def save(self, writer: Writer) -> None:
        """Write the built index as snapshot files (see ``store``); ``load`` opens them."""
        places = self.places
        writer.strings("place.id", (p.id for p in places))
        writer.strings("place.label", (p.label for p in places))
        writer.strings("place.note", (p.note for p in places))
        writer.strings("place.region", (p.region for p in places))
        writer.strings("place.citations", ("\x1f".join(p.citations) for p in places))
        for column in ("kind", "country", "layer"):
            Categories.write(writer, f"place.{column}", [getattr(p, column) for p in places])
        writer.floats("place.lat", (p.lat for p in places))
        writer.floats("place.lon", (p.lon for p in places))
        writer.ints("place.priority", (p.priority for p in places))
        writer.ints("place.population", (p.population for p in places))
        offsets, claims = [0], []
        for place in places:
            claims.extend(place.claims)
            offsets.append(len(claims))
        writer.ints("place.claims.off", offsets)
        writer.ints("place.claims", claims, "i")
        writer.pickle("place.extra", {i: (p.relations, p.usage_notes) for i, p in enumerate(places)
                                      if p.relations or p.usage_notes})
        IdMap.write(writer, "place.by_id", self.place_by_id)
        writer.ints("claim.place", self.c_place, "i")
        writer.strings("claim.name", self.c_name)
        writer.strings("claim.cross", self.c_cross)
        Categories.write(writer, "claim.lang", self.c_lang)
        Categories.write(writer, "claim.kind", self.c_kind)
        Categories.write(writer, "claim.certainty", self.c_certainty)
        Categories.write(writer, "claim.layer", self.c_layer)
        optional_ints(writer, "claim.from", self.c_from)
        optional_ints(writer, "claim.to", self.c_to)
        writer.pickle("small", {"data_version": self.data_version, "holders": self.holders,
                                "c_holders": self.c_holders, "c_citations": self.c_citations, "c_note": self.c_note,
                                "kinds": self.kinds(), "polygons": self._polygons, "build_seconds": self.build_seconds})
        folded = writer.postings("by_key", self.by_key)
        cross = writer.postings("by_cross", self.by_cross)
        Buckets.write(writer, "fuzzy_folded", self.fuzzy_folded, folded)
        Buckets.write(writer, "fuzzy_cross", self.fuzzy_cross, cross)
        writer.strings("prefix.entries", self.prefix_entries)
        writer.ints("prefix.keys", (folded.key_id(k) for k in self.prefix_keys), "i")
        writer.floats("prefix.rank", self.prefix_rank)

    @classmethod
    def load(cls, directory: Path) -> NameIndex:
        """Open a snapshot written by ``save``: the large parts stay in the files (memory-mapped)."""
        reader = Reader(directory)
        index = cls()
        index.directory = directory
        small = reader.pickle("small")
        index.data_version, index.holders = small["data_version"], small["holders"]
        index.c_holders, index.c_citations, index.c_note = small["c_holders"], small["c_citations"], small["c_note"]
        index._kinds, index.build_seconds = small["kinds"], small["build_seconds"]
        index._polygons = small["polygons"]
        index.places = PlaceTable(reader)  # type: ignore[assignment]
        index._lats, index._lons = reader.floats("place.lat"), reader.floats("place.lon")
        index.place_by_id = IdMap.read(reader, "place.by_id")  # type: ignore[assignment]
        index.c_place = reader.ints("claim.place", "i")  # type: ignore[assignment]
        index.c_name = reader.strings("claim.name")  # type: ignore[assignment]
        index.c_cross = reader.strings("claim.cross")  # type: ignore[assignment]
        index.c_lang = Categories.read(reader, "claim.lang")  # type: ignore[assignment]
        index.c_kind = Categories.read(reader, "claim.kind")  # type: ignore[assignment]
        index.c_certainty = Categories.read(reader, "claim.certainty")  # type: ignore[assignment]
        index.c_layer = Categories.read(reader, "claim.layer")  # type: ignore[assignment]
        index.c_from = read_optional_ints(reader, "claim.from")
        index.c_to = read_optional_ints(reader, "claim.to")
        index.by_key = reader.postings("by_key")  # type: ignore[assignment]
        index.by_cross = reader.postings("by_cross")  # type: ignore[assignment]
        index.fuzzy_folded = Buckets(reader, "fuzzy_folded", index.by_key.trie)  # type: ignore[assignment, attr-defined]
        index.fuzzy_cross = Buckets(reader, "fuzzy_cross", index.by_cross.trie)  # type: ignore[assignment, attr-defined]
        index.prefix_entries = reader.strings("prefix.entries")  # type: ignore[assignment]
        index.prefix_keys = reader.ints("prefix.keys", "i")  # type: ignore[assignment]
        index.prefix_rank = reader.floats("prefix.rank")
        return index

    # -- claims ---------------------------------------------------------------------------------
    def claim_record(self, claim: int) -> NameClaimRecord:
        """The claim as a record (made once per claim and shared: treat its lists as read-only)."""
        record = self._records.get(claim)
        if record is None:
            if len(self._records) >= 50_000:  # bounded: a long-running server sees many claims
                self._records.clear()
            record = self._records[claim] = self._claim_record(claim)
        return record

    def _claim_record(self, claim: int) -> NameClaimRecord:
        citations = self.c_citations.get(claim)
        if citations is None:  # base layer: the claim is cited by its place's record
            citations = self.places[self.c_place[claim]].citations
        return NameClaimRecord(
            name=self.c_name[claim], lang=self.c_lang[claim], kind=self.c_kind[claim],
            holders=list(self.c_holders.get(claim, ())), valid_from=self.c_from[claim], valid_to=self.c_to[claim],
            certainty=self.c_certainty[claim], citations=list(citations), note=self.c_note.get(claim))

    def valid_at(self, claim: int, year: int) -> bool:
        """A claim with an open end is valid on that side; an undated claim is valid in every year."""
        return valid_in(self.c_from[claim], self.c_to[claim], year)

    def text_claims(self, claims: Iterable[int], surface: str, year: int,
                    language: str | None = None) -> tuple[int, list[int]]:
        """The claim a name written ``surface`` in a text of ``year`` stands for, and the others worth listing.

        Several claims of one place can share a written form (Stepanakert: official 1923–1991 in Soviet
        usage, used by the Armenian authorities 1991–2023, by the Armenian community today; Турция in
        Russian and in Bulgarian). The chosen one is valid in ``year`` (an undated claim counts as valid),
        names holders, is written exactly as in the text, is in the text's ``language`` when that is known,
        else in the most widely read language (English first), and is the most certain; the others listed
        are those that carry holders or years.
        """
        claims = list(dict.fromkeys(claims))
        if len(claims) == 1:
            return claims[0], []
        written = unicodedata.normalize("NFC", surface)
        lowered = written.casefold()

        def rank(claim: int) -> tuple:
            name = self.c_name[claim]
            return (not self.valid_at(claim, year), claim not in self.c_holders, name != written,
                    name.casefold() != lowered,
                    language is not None and family(primary_language(self.c_lang[claim])) != family(language),
                    language_rank(self.c_lang[claim]),
                    _CERTAINTY_RANK.get(self.c_certainty[claim], 3), KIND_RANK.get(self.c_kind[claim], 9), claim)

        ordered = sorted(claims, key=rank)
        others = [c for c in ordered[1:]
                  if c in self.c_holders or self.c_from[c] is not None or self.c_to[c] is not None]
        return ordered[0], others

    def kinds(self) -> set[str]:
        """Every place kind present (computed once)."""
        if self._kinds is None:
            self._kinds = {p.kind for p in self.places}
        return self._kinds

    # -- matching -------------------------------------------------------------------------------
    def folded_hits(self, query: str, key: str) -> list[Hit]:
        written = unicodedata.normalize("NFC", query.strip())
        return [Hit(self.c_place[c], c, EXACT if self.c_name[c] == written else FOLDED, 100.0)
                for c in self.by_key.get(key, ())]

    def transliterated_hits(self, cross: str) -> list[Hit]:
        return [Hit(self.c_place[c], c, TRANSLITERATED, 100.0) for c in self.by_cross.get(cross, ())]

    def fuzzy_hits(self, key: str, cross: str) -> list[Hit]:
        """Claims whose folded key or cross-script key is a few edits (optimal string alignment:
        insertion, deletion, substitution, transposition) from the query's. Folded keys catch typos in
        any script (Մարտւոնի); cross keys catch typos in a romanization of a name in another script."""
        hits: list[Hit] = []
        for query, buckets, claims in ((key, self.fuzzy_folded, self.by_key), (cross, self.fuzzy_cross, self.by_cross)):
            edits = max_edits(len(query))
            if not edits:
                continue
            first, last = query[:2], query[-2:]
            candidates: list[str] = []
            for length in range(len(query) - edits, len(query) + edits + 1):
                candidates.extend(buckets.get((length, first), ()))
                if last != first:
                    candidates.extend(buckets.get((length, last), ()))
            seen: set[str] = set()
            from rapidfuzz import process  # (imported on the first fuzzy query)
            from rapidfuzz.distance import OSA
            for found, distance, _ in process.extract(query, candidates, scorer=OSA.distance, score_cutoff=edits,
                                                      limit=None):
                if found in seen or found == query:
                    continue
                seen.add(found)
                score = round(100.0 * (1 - distance / max(len(query), len(found))), 1)
                hits.extend(Hit(self.c_place[c], c, FUZZY, score, distance) for c in claims[found])
        return hits

    def prefix_hits(self, key: str, wanted: int, filters: Filters) -> list[Hit]:
        """Claims whose folded key (or a word in it) starts with ``key``, most important places first."""
        low = bisect.bisect_left(self.prefix_entries, key)
        high = bisect.bisect_left(self.prefix_entries, key + "\U0010ffff", low)
        if low >= high:
            return []
        ranks = self.prefix_rank[low:high]
        # Look at the best entries first; widen to the whole range only if filters rejected too many.
        for take in (wanted * 20, high - low):
            take = min(take, high - low)
            order = np.argsort(-ranks, kind="stable") if take == high - low else np.argpartition(-ranks, take - 1)[:take]
            hits: list[Hit] = []
            places: set[int] = set()
            for offset in order.tolist():
                for claim in self.by_key.by_id(self.prefix_keys[low + offset]):  # type: ignore[attr-defined]
                    place = self.c_place[claim]
                    if filters.place_ok(self.places[place]):
                        places.add(place)
                        hits.append(Hit(place, claim, PREFIX, 100.0))
            if len(places) >= wanted or take == high - low:
                return hits
        return []



def open_index(engine: Engine, root: Path, data_version: str, schema_version: str) -> NameIndex:
    """The index of the database's data: opened from its snapshot under ``root`` (a directory per data
    and schema version), or built from the database and saved there first (atomically; the snapshots of
    other versions are then removed). A snapshot that fails to open is rebuilt."""
    opened = store.open_part(root / store.key(data_version, schema_version), NameIndex.load)
    if opened is not None:
        return opened
    index = NameIndex.build(engine)
    name = store.key(index.data_version, schema_version)  # the version actually read
    try:
        path = store.publish(root, name, index.save)
    except OSError:  # a folder that cannot be written to: a private one for this process
        root = Path(tempfile.mkdtemp(prefix="gazetteer-index-"))
        path = store.publish(root, name, index.save)
    store.remove_others(root, name)
    return NameIndex.load(path)
