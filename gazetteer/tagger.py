"""The tagger: every place mention in a text, linked to the place and to the name variant used.

It is a pipeline of four stages, each made of rules named in ``rules.RULES`` (``gazetteer evaluate
--ablate`` switches each off in turn):

1. **find** (``Tagger.find``): a regular expression finds the runs of text a name can be in
   (capitalized or uncased words and their connectors, about a fifth of a news text; see ``scan``),
   folded character for character. Every pattern is a name folded the same way with a space on each
   side, kept in one succinct trie (marisa-trie); at each word start of the folded runs the trie gives
   the patterns that begin there, so a match sits on word boundaries in any script. Names in scripts
   written without spaces (Chinese, Japanese, Thai) are matched wherever their letters are. Words left
   unmatched are tried without their clitics (Hebrew and Arabic prefixes, Korean particles) and, in the
   text's language, in their dictionary form (``inflect``): each form is looked up as a whole pattern,
   so a rule can only find a name the gazetteer holds.
2. **filter** (``Tagger.filter``): case, acronyms, frequent words of the text's language, people and
   organisations.
3. **resolve** (``Tagger.resolve``): each name's readings scored by prior (curated places, population,
   kind) and the text's context (countries named, places named unambiguously, "Town, Region",
   enumerations of regions, the ``near`` point a caller gives).
4. **record**: the mention type (toponym, demonym, metonym); ``search.Searcher.mentions`` makes the records.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, product
from pathlib import Path
from typing import Any

import marisa_trie

from . import inflect, language, rules, store
from .base import (
    CLDR_SUBDIVISION,
    CLDR_TERRITORY,
    CLDR_ZONE,
    NAMESAKE_NOTE,
    capital_names,
    countries_speaking,
    language_countries,
)
from .index import MAJOR_LANGUAGES, NameIndex, PlaceEntry, primary_language
from .normalize import fold, script_of
from .scan import (
    CONNECTOR_WORDS,
    GAP,
    KATAKANA,
    NEXT_WORD,
    PREVIOUS_WORD,
    RUN,
    SPACELESS,
    TABLE,
    TOKEN,
    fold_text,
    sentence_start,
    spaceless,
)

__all__ = ["TABLE", "Candidate", "Options", "Resolved", "Tagger", "fold_text", "inflected"]

# -- inflection: forms generated for the names of curated and large places -----------------------
_CYRILLIC_ENDINGS = ("а", "у", "е", "ом", "ем", "ой", "ою", "і", "и", "ы", "ю", "ей", "ї", "ові", "еві", "ського",
                     "ский", "ского", "ском")
_CYRILLIC_STEM_VOWELS = "аяыиеоьйі"
_ARMENIAN_ENDINGS = ("ում", "ի", "ից", "ը", "ն", "ով", "ին", "ումը", "ից", "ու", "ա")
_TURKIC_ENDINGS = ("da", "de", "ta", "te", "dan", "den", "tan", "ten", "a", "e", "ya", "ye", "ye", "i", "u", "yi", "yu",
                   "nin", "nun", "in", "un", "daki", "deki", "li", "lu", "ni", "nu", "dir", "dur", "la", "le", "ya",
                   "yla", "yle", "lar", "ler", "liler", "lilar")
_GERMAN_ENDINGS = ("s", "es")


def inflected(name: str, lang: str) -> list[str]:
    """Inflected forms of a name in its language (folded), without the name itself: Russian, Ukrainian,
    Armenian, Azerbaijani and Turkish cases, the German genitive. (Other languages' case forms are found
    the other way round, by ``inflect.lemmas`` on the text's words.)"""
    folded = fold_text(name).strip()
    if not folded or " " in folded and lang not in ("hy", "ru", "uk"):
        return []
    language_ = primary_language(lang)
    script = script_of(name)
    forms: list[str] = []
    if script == "Cyrl":
        stem = folded[:-1] if folded[-1] in _CYRILLIC_STEM_VOWELS else folded
        forms += [stem + ending for ending in _CYRILLIC_ENDINGS]
    elif script == "Armn":
        forms += [folded + ending for ending in _ARMENIAN_ENDINGS]
    elif script == "Latn" and language_ in ("az", "tr", "crh", "tk"):
        if folded[-1] in "aeiou":
            forms += [folded + ending for ending in _TURKIC_ENDINGS if ending[0] in "ydtnl"]
            forms += [folded + "n" + ending for ending in ("in", "un", "da", "de", "dan", "den")]
        else:
            forms += [folded + ending for ending in _TURKIC_ENDINGS]
    if script == "Latn" and language_ == "de" and not folded.endswith("s"):
        forms += [folded + ending for ending in _GERMAN_ENDINGS]
    return [form for form in dict.fromkeys(forms) if form != folded]


# -- what passes between the stages ----------------------------------------------------------------
TOPONYM, DEMONYM, METONYM = "toponym", "demonym", "metonym"
SPACED, UNSPACED, CLITIC, LEMMA, LISTED = 0, 1, 2, 3, 4  # how a match was found


@dataclass(slots=True)
class Options:
    """One call's settings: demonyms wanted, a point the text is about, rules switched off, and the
    text's language (identified by ``Tagger.tag`` when not given)."""
    demonyms: bool = False
    near: tuple[float, float] | None = None
    off: frozenset[str] = frozenset()
    language: str | None = None
    alternatives: tuple[str, ...] = ()  # other languages the text may be in (see language.guess)

    def on(self, rule: str) -> bool:
        return rule not in self.off

    def case_languages(self) -> tuple[str, ...]:
        """The languages whose case endings are tried on the text's words: its language's, then those of the
        languages it may be in instead (a short Slovene text told as Croatian), when ``inflection`` is on."""
        if not self.on("inflection") or self.language not in inflect.LANGUAGES:
            return ()
        return (self.language, *(code for code in self.alternatives if code in inflect.LANGUAGES))


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    claims: tuple[int, ...]
    weak: bool = False  # every reading is a small base-layer town
    how: int = 0  # how it was found (SPACED, UNSPACED, CLITIC, LEMMA, LISTED)


@dataclass(slots=True)
class Resolved:
    start: int
    end: int
    place: int
    claim: int
    score: float
    alternatives: list[tuple[int, float]] = field(default_factory=list)  # (place, score), best first
    nested: bool = False
    mention_type: str = TOPONYM
    claims: tuple[int, ...] = ()  # every claim the written form matched (of any place)
    language: str | None = None  # the text's language, as the tagger told it (None: too short to tell)


# Characters of folded runs (about a fifth of a news text) a process reads with the trie before it builds
# the Aho-Corasick automaton, per pattern. Measured on the development set: the trie reads folded runs at
# about 0.33 µs a character and the automaton at 0.03 µs, so each character read saves 0.3 µs; building
# takes 2 µs a pattern for cities15000 (0.7 s for 350,000) and 4.7 µs for cities500 (4.4 s and 280 MB
# for 940,000). The build has paid for itself after 7 to 16 characters a pattern: 10 (3.5 million
# characters, some 17 MB of news text, for cities15000).
AUTOMATON_AFTER = 10
_HOME_TOWN_PEOPLE, _HOME_TOWNS_PER_COUNTRY = 100_000, 10
_WELL_KNOWN_PRIOR = 2.0 * math.log10(100_000 + 10) / 7  # a base town of 100,000 people (see Tagger._prior)


class Tagger:
    """Finds mentions with a trie of every claim of a ``NameIndex`` (see ``open_tagger``)."""

    def __init__(self, index: NameIndex) -> None:
        """Build the tagger's tables from the index (several seconds; ``open_tagger`` keeps them in the
        index's snapshot so that this happens once per data version)."""
        self.index = index
        self.english = language.common_words("en")
        self.entries: Sequence[tuple[int, ...]] = []  # entry (a pattern's id in `patterns`) -> its claims
        self.entry_length: list[int] = []
        self.case_exact: set[int] = set()  # entries that must match their written form exactly (acronyms)
        self.demonym_entries: set[int] = set()  # entries with a demonym claim
        self.dotted_entries: set[int] = set()  # entries with an abbreviation written with a dot ("Ky.")
        self.entry_weak: list[bool] = []  # every claim's place is a small base-layer town
        self.entry_strong: list[bool] = []  # a claim of a place too important to be a common word
        self.phrases: set[int] = set()  # claims: base-layer alternate names made of frequent English words
        self.phrase_entries: set[int] = set()  # entries with such a claim
        self.spare_entries: set[int] = set()  # entries with a curated town's spare GeoNames name (see _spare)
        # entries with claims that are a country's or a city's name in one language, from CLDR: entry ->
        # {claim: language} (Albanian "Siri" is Syria: a reading only in texts of that language)
        self.bound_entries: dict[int, dict[int, str]] = {}
        # such claims of three letters (German "Rom", Russian "Рим"): not read where the text's language is unknown
        self.short_bound: set[int] = set()
        # Every pattern in one succinct trie (marisa): a name folded with a space on each side, or bare
        # for a name in a script without spaces. A text is read by asking the trie, at each word start of
        # the folded runs, for the patterns that begin there (see `_matches`); memory-mapped from the
        # snapshot, it costs nothing to open and is shared by every process.
        self.patterns = marisa_trie.Trie()
        self.heads: set[str] = set()  # the first four characters of the spaced patterns: a cheap first test
        self.longest = 0  # characters in the longest pattern
        self.has_unspaced = False
        self.inner_words: set[str] = set()  # lower-case words inside names ("corridor", "méridionale"), folded
        # lower-case words that start names ("mer" de Chine méridionale), by the language of the names; under
        # "" those of every language (for a text whose language is not known)
        self.lead_words: dict[str, frozenset[str]] = {}
        self._name_words: Counter[str] = Counter()  # capitalized words after the first of names, counted
        self._start_caches()
        self._place_tables()  # (first: the entries' strength reads p_capital)
        self._build()
        # the given names of Faker's lists that are names here too, with the languages that list them (a
        # person's name is only looked up in them where a place's name was matched: see filter)
        self.given_abroad = {name: codes for name, codes in language.faker_given_names().items()
                             if (folded if spaceless(folded := fold_text(name)) else f" {folded} ")
                             in self.patterns}

    # -- the snapshot --------------------------------------------------------------------------
    # What a snapshot keeps: columns (one value per entry, place or claim: memory-mapped arrays) and tables.
    _COLUMNS = ("entry_length", "entry_weak", "entry_strong", "p_prior", "p_cell", "p_country", "p_area",
                "p_is_country", "p_is_region", "p_is_district", "p_settlement", "p_region", "p_minor", "c_former",
                "p_prior_plain", "p_curated",
                "p_context_only", "p_capital", "p_home_town", "c_alternate")
    _TABLES = ("english", "case_exact", "demonym_entries", "dotted_entries", "phrases", "phrase_entries", "spare_entries",
               "bound_entries", "short_bound", "heads", "longest", "has_unspaced", "inner_words", "lead_words",
               "inner_prefixes", "given_abroad")

    def save(self, writer: store.Writer) -> None:
        """Write the tagger's tables into a snapshot directory (see ``store``)."""
        self.patterns.save(str(writer.directory / "patterns.marisa"))
        offsets, claims = [0], list[int]()
        for entry in self.entries:
            claims.extend(entry)
            offsets.append(len(claims))
        writer.ints("entries.off", offsets)
        writer.ints("entries", claims, "i")
        store.write_columns(writer, "columns", {name: getattr(self, name) for name in self._COLUMNS})
        writer.pickle("tables", {name: getattr(self, name) for name in self._TABLES})

    @classmethod
    def load(cls, index: NameIndex, directory: Path) -> Tagger:
        """Open a tagger saved by ``save``: the trie, the entries and the columns stay memory-mapped."""
        reader = store.Reader(directory)
        tagger = cls.__new__(cls)
        tagger.index = index
        tagger.patterns = reader.trie("patterns")
        tagger.entries = _Entries(reader.ints("entries.off"), reader.ints("entries", "i"))
        saved = {**store.read_columns(reader, "columns"), **reader.pickle("tables")}
        missing = set(cls._COLUMNS + cls._TABLES) - saved.keys()
        if missing:  # written by another version of this code: rebuilt by open_tagger
            raise ValueError(f"the tagger snapshot in {directory} lacks {', '.join(sorted(missing))}")
        for name, value in saved.items():
            setattr(tagger, name, value)
        language.remember_common_words("en", tagger.english)
        ids = getattr(index.places, "ids", None)  # a snapshot's place ids (else the places' own)
        tagger.p_id = ids if ids is not None else [p.id for p in index.places]
        tagger._start_caches()
        return tagger

    def _start_caches(self) -> None:
        """What a tagger gathers as it reads texts (not saved in the snapshot)."""
        self._options: dict[tuple[int, ...], tuple[dict[int, int], dict[int, int], dict[int, float], bool]] = {}
        self._inner_by_prefix: dict[str, list[str]] | None = None  # see _inner
        self._given: dict[str | None, tuple[frozenset[str], frozenset[str]]] = {}  # see _given_names
        self._automaton: Any = None  # see automaton()
        self._automaton_entries: list[int] = []
        self._read = 0  # characters of folded runs read with the trie
        # Characters each pass of ``find`` was given, since the tagger was opened: "spaced" (the folded
        # runs, read once by the trie or the automaton), "spaceless" (the stretches of scripts without
        # spaces) and "forms" (the runs whose words are tried without clitics or in their dictionary
        # forms). A pass reads only the text that is its own, so each grows with the text, not with the
        # scripts in it. (A tally for tests and benchmarks; not locked: threads may lose a count.)
        self.scanned: Counter[str] = Counter()

    # -- building ------------------------------------------------------------------------------
    def _pattern_claims(self) -> dict[str, list]:
        """Pattern -> [claims, inflected?]; a name that equals another name's inflected form wins, except a CLDR
        name, read in its own language only, which the case forms stay beside."""
        ix = self.index
        patterns: dict[str, list] = {}
        for claim, name in enumerate(ix.c_name):
            place = ix.places[ix.c_place[claim]]
            folded = fold_text(name).strip()
            letters = _letters(folded)
            if _dotted(name, ix.c_kind[claim]):  # "Ky.", "N.J.": matched only as a dateline's state
                patterns.setdefault(f" {folded} ", [[], False])[0].append(claim)
                continue
            acronym = name.isupper() and name.isalpha() and len(name) <= 5
            if acronym and not (place.curated or place.kind == "country" or ix.c_kind[claim] == "short"):
                continue  # GeoNames carries codes (airports, "CDC", "BBC") that are not names in text; a
                # source's short form of a division is one ("NSW")
            short = not place.curated and letters < _min_letters(name) and not acronym
            cldr = self._cldr_bound(claim)
            if short and letters >= 3 and cldr:
                self.short_bound.add(claim)  # a CLDR name of three letters (Rom, Рим, Fas): read in its language only
            elif letters < 2 or short or folded.isdigit():
                continue
            if " " in folded:
                if place.curated and primary_language(ix.c_lang[claim]) in MAJOR_LANGUAGES:
                    # (the major languages' names: the others' would slow every run down)
                    self._note_words(name, primary_language(ix.c_lang[claim]))
                if not place.curated and name != place.label and place.kind == "settlement" and "." not in name \
                        and all(word in self.english for word in folded.split()):
                    self.phrases.add(claim)  # "White House" (Casablanca), "Big Apple"; not "St. Paul", whose
                    # abbreviation says it is a name
            key = folded if spaceless(folded) else f" {folded} "
            # English writes "Democratic Republic of Congo" as often as "... of the Congo"
            for written in (key, key.replace(" of the ", " of ")) if " of the " in key else (key,):
                entry = patterns.setdefault(written, [[], False])
                if entry[1]:  # (a CLDR name, read in its language only, leaves the case forms: Albanian
                    # "Bratislavë" is Slovak "Bratislave")
                    entry[0], entry[1] = entry[0] if cldr else [], False
                entry[0].append(claim)
            if acronym and len(name) > 1:  # U.S., U.K.: the same acronym with dots
                dotted = patterns.setdefault(" " + " ".join(folded) + " ", [[], False])
                dotted[0].append(claim)
            if _SPACED_ABBREVIATION.fullmatch(name):  # "EE. UU." is written "EE.UU." and "EEUU" too: the same
                # abbreviation
                for written in (name.replace(". ", "."), name.replace(". ", "").replace(".", "")):
                    patterns.setdefault(f" {fold_text(written).strip()} ", [[], False])[0].append(claim)
            if place.kind == "region" and _all_han(name):
                short_form = _division_short_form(name)
                if short_form:  # "广东" for 广东省, "广西" for 广西壮族自治区, "沖縄" for 沖縄県; not where it names
                    # something else (吉林 is Jilin City, 大阪 Osaka)
                    entry = patterns.setdefault(short_form, [[], True])
                    if entry[1]:
                        entry[0].append(claim)
            if place.curated or place.population >= 500_000:  # base names: Cyrillic ones only (und-Cyrl)
                for form in inflected(name, ix.c_lang[claim]):
                    entry = patterns.setdefault(f" {form} ", [[], True])
                    if entry[1] or all(self._cldr_bound(c) for c in entry[0]):
                        entry[0].append(claim)
        return patterns

    def _cldr_bound(self, claim: int) -> bool:
        """Whether a claim is a CLDR name for one language, read only in a text of that language (``_CLDR_BASE``)."""
        return self.index.c_citations.get(claim, ("",))[0].startswith(_CLDR_BASE)

    def _language_bound(self, claim: int) -> bool:
        """Whether a claim is read only in a text of its language: a CLDR name (``_cldr_bound``), or a curated name
        in another language than English that CLDR gives beside other records (Who's On First, Natural Earth):
        Sicilian "Giorgia" for Georgia is no reading of an Italian or English "Giorgia Meloni". English names stay
        readable in every language's text, which quotes them often (Azerbaijan, Kosovo, Taiwan)."""
        if self._cldr_bound(claim):
            return True
        citations = self.index.c_citations.get(claim, ("",))
        return primary_language(self.index.c_lang[claim]) != "en" \
            and any(citation.startswith(_CLDR_BASE) for citation in citations)

    def _note_words(self, name: str, lang: str) -> None:
        """Remember the words of a name of several words that a text may write in lower case: those the
        name writes so ("la mer de Chine méridionale") and the generic words of names (counted here; see
        ``_build``: "the Lachin corridor", "Donetsk oblast")."""
        words = name.split()
        if not any(word[:1].isupper() for word in words):
            return
        for position, word in enumerate(words):
            if word.isalpha() and len(word) > 2 and word.lower() not in CONNECTOR_WORDS:
                # as written and folded: a text's word is looked up lower-cased ("méridionale", "meridionale")
                forms = (word.lower(), fold_text(word))
                if word[:1].islower():
                    if position:
                        self.inner_words.update(forms)
                    else:
                        self.lead_words[lang] = self.lead_words.get(lang, frozenset()) | set(forms)
                elif position:
                    self._name_words.update(dict.fromkeys(forms, 1))

    def _build(self) -> None:
        ix = self.index
        patterns = self._pattern_claims()
        self.patterns = marisa_trie.Trie(patterns)
        entries: list[tuple[int, ...]] = [()] * len(patterns)
        self.entry_length = [0] * len(patterns)
        self.entry_weak = [False] * len(patterns)
        self.entry_strong = [False] * len(patterns)
        for key, (claims, _) in patterns.items():
            entry = self.patterns.key_id(key)  # an entry is its pattern's id in the trie
            entries[entry] = tuple(claims)
            self.entry_length[entry] = len(key)
            names = {ix.c_name[c] for c in claims}
            if all(n.isupper() and n.isalpha() and len(n) <= 5 for n in names):
                self.case_exact.add(entry)
            if any(_dotted(ix.c_name[c], ix.c_kind[c]) for c in claims):
                self.dotted_entries.add(entry)
            if any(ix.c_kind[c] == "demonym" for c in claims):
                self.demonym_entries.add(entry)
            if any(c in self.phrases for c in claims):
                self.phrase_entries.add(entry)
            if any(self._spare(c) for c in claims):
                self.spare_entries.add(entry)
            bound = {c: language.family(primary_language(ix.c_lang[c])) for c in claims if self._language_bound(c)}
            if bound:
                self.bound_entries[entry] = bound
            self.entry_weak[entry], self.entry_strong[entry] = self._weak_strong(claims)
            if key[0] == " ":
                self.heads.add(key[:4])
            else:
                self.has_unspaced = True
            self.longest = max(self.longest, len(key))
        self.entries = entries
        # A capitalized word of names is taken in lower case when it ends many names ("Oblast", "Corridor",
        # "Region"): a generic word, not a name of its own.
        self.inner_words.update(word for word, count in self._name_words.items() if count >= _GENERIC)
        self.inner_words.update(_DIVISION_WORDS)
        self.inner_prefixes = {word[:2] for word in self.inner_words}
        self.lead_words[""] = frozenset(word for words in self.lead_words.values() for word in words)

    def _weak_strong(self, claims: Iterable[int]) -> tuple[bool, bool]:
        """Whether every claim's place is a small base-layer town (weak), and whether a claim is of a place
        too important to be a common word (strong: curated, a country or a continent, a place of a million
        people, or a national capital of half a million, Washington, whose name is frequent in Arabic and Korean
        news for being the capital's): by a curated name, the main name of a base place, or a
        name whose language and kind a source gives, such as countryinfo's; by a bare GeoNames alternate
        name only with a million people, not for being a country ("Island", Iceland's name in Danish and
        German, is an English word first, while 東京 is Tokyo in Japanese text)."""
        ix = self.index
        claims = list(claims)
        weak = all(_weak(ix.places[ix.c_place[c]], self._curated_claim(c)) for c in claims)
        strong = any((_strong(place := ix.places[ix.c_place[c]], curated := self._curated_claim(c))
                      or place.population >= _CAPITAL_PEOPLE and self.p_capital[ix.c_place[c]])
                     and (curated or ix.c_name[c] == place.label
                          or ix.c_kind[c] != "variant" or place.population >= 1_000_000)
                     for c in claims)
        return weak, strong

    def _spare(self, claim: int) -> bool:
        """Whether a claim is one of the GeoNames alternate names of the town a curated town stands for, which the
        base layer gives it unreviewed (``base._spare_alternate_names``: "Khalil'" for Hebron) and which count as a
        base town's."""
        ix = self.index
        place = ix.places[ix.c_place[claim]]
        return (place.curated and place.kind == "settlement" and ix.c_layer[claim] == "base"
                and ix.c_kind[claim] == "variant")

    def _curated_claim(self, claim: int) -> bool:
        """Whether a claim is a curated place's name as the curated place (not a ``_spare`` one)."""
        return self.index.places[self.index.c_place[claim]].curated and not self._spare(claim)

    def _entry(self, folded: str) -> int | None:
        """The entry of a folded name (words separated by single spaces), if it is a pattern."""
        entry: int | None = self.patterns.get(f" {folded} ")
        return entry

    def automaton(self) -> Any:
        """An Aho-Corasick automaton of the spaced patterns (ahocorasick-rs), built on first call: it reads
        text about ten times faster than asking the trie at each word, but takes 0.7 s (cities15000) to
        a few seconds to build and cannot be memory-mapped. ``_matches`` builds it once a process has
        read enough text to pay for it (``AUTOMATON_AFTER``); ``annotate_many`` before it forks workers."""
        if self._automaton is None:
            import ahocorasick_rs

            spaced = [(key, entry) for key, entry in self.patterns.items() if key[:1] == " "]
            self._automaton_entries = [entry for _, entry in spaced]
            self._automaton = ahocorasick_rs.AhoCorasick([key for key, _ in spaced],
                                                         matchkind=ahocorasick_rs.MatchKind.Standard)
        return self._automaton

    def _matches(self, folded: str) -> list[tuple[int, int]]:
        """(end, entry) of every spaced pattern in ``folded`` (the folded runs, a space before each word):
        the automaton's matches once there is one; until then, at each space, the trie's patterns that are
        prefixes of the text from there (the same matches)."""
        if self._automaton is None:
            self._read += len(folded)
            if self._read >= AUTOMATON_AFTER * len(self.entry_length):
                self.automaton()
        if self._automaton is not None:
            entries = self._automaton_entries
            return [(end - 1, entries[pattern])
                    for pattern, _, end in self._automaton.find_matches_as_indexes(folded, overlapping=True)]
        heads, longest, prefixes = self.heads, self.longest, self.patterns.iter_prefixes_with_ids
        hits: list[tuple[int, int]] = []
        position = folded.find(" ")
        last = len(folded) - 1
        while 0 <= position < last:
            if folded[position:position + 4] in heads:
                hits.extend((position + len(key) - 1, entry) for key, entry in prefixes(folded[position:position + longest]))
            position = folded.find(" ", position + 1)
        return hits

    def _unspaced_matches(self, folded: str) -> list[tuple[int, int]]:
        """(end, entry) of every pattern in a stretch of a script without spaces, at any letter."""
        longest, prefixes = self.longest, self.patterns.iter_prefixes_with_ids
        return [(position + len(key) - 1, entry) for position in range(len(folded))
                for key, entry in prefixes(folded[position:position + longest])]

    # -- the pipeline --------------------------------------------------------------------------
    def tag(self, text: str, demonyms: bool = False, near: tuple[float, float] | None = None,
            off: Iterable[str] = ()) -> list[Resolved]:
        opts = Options(demonyms=demonyms, near=near, off=frozenset(off))
        opts.language, opts.alternatives = language.guess(text) if text else (None, ())
        spans = _longest(self.filter(text, self.find(text, opts), opts), text)
        return self.resolve(text, spans, opts)

    # -- stage 1: find -------------------------------------------------------------------------
    def find(self, text: str, opts: Options) -> list[tuple[int, int, int, int]]:
        """(start, stop, entry, how) of every pattern found in the text."""
        runs = [m.span() for m in RUN.finditer(text)]
        if not runs:
            return []
        words = [text[start:end] for start, end in runs]
        # Where each run begins in the automaton's input (a space, then the runs two characters apart).
        offsets = list(accumulate((len(w) + len(GAP) for w in words[:-1]), initial=1))
        folded = f" {GAP.join(words).translate(TABLE)} "
        lengths = self.entry_length
        self.scanned["spaced"] += len(folded)
        hits = self._matches(folded)
        found: list[tuple[int, int, int, int]] = []
        for end, entry in hits:
            at = end - lengths[entry] + 2  # the pattern's first letter in `folded`
            run = bisect_right(offsets, at) - 1
            if at + lengths[entry] - 2 > offsets[run] + len(words[run]):
                continue  # across the gap between two runs: a name written with a bracket or dash ("Salem (Oregon)")
                # matched "Salem, the capital of Oregon"
            start = runs[run][0] + at - offsets[run]
            found.append((start, start + lengths[entry] - 2, entry, SPACED))
        if opts.on("lower-case-words"):
            found += self._widened(text, found, runs, opts.language,
                                   opts.on("inflection") and opts.language in inflect.LANGUAGES)
        if opts.on("listed-kinds") and ("ounties" in text or "arishes" in text or "oroughs" in text):  # (cheap first)
            listed = self._listed(text)
            if listed:  # "Pasco" before "counties" is Pasco County, not the town of Pasco
                spans = {(start, stop) for start, stop, _, _ in listed}
                found = [hit for hit in found if (hit[0], hit[1]) not in spans] + listed
        ascii_only = text.isascii()  # most English text: no script without spaces, no clitics
        if not ascii_only and self.has_unspaced and opts.on("spaceless-scripts") and SPACELESS.search(text):
            found += self._find_unspaced(text)
        if opts.on("inflection") and opts.language in inflect.LANGUAGES \
                or not ascii_only and opts.on("clitics") and _CLITIC_SCRIPTS.search(text):
            found += self._find_forms(text, self._with_next_word(text, runs) if opts.on("lower-case-words") else runs,
                                      found, opts)
        return found

    def _listed(self, text: str) -> list[tuple[int, int, int, int]]:
        """Names listed before a plural kind word, each a place of that kind: "Hillsborough, Pinellas and Pasco
        counties" names Hillsborough County, Pinellas County and Pasco County (the gazetteer names counties with
        their head word only). A name is the listed words, or failing that its last words ("In Hillsborough")."""
        out: list[tuple[int, int, int, int]] = []
        for plural in _PLURAL_KIND.finditer(text):
            kind = _PLURAL_KINDS[plural.group(1).lower()]
            window_start = max(0, plural.start() - 200)
            listed = _LISTED_NAMES.search(text, window_start, plural.start())
            if listed is None:
                continue
            for name in _LISTED_NAME.finditer(text, listed.start(), listed.end()):
                words = [m.start() for m in re.finditer(r"\S+", name.group())]
                for first in words:  # the whole name, then without its first words
                    entry = self._entry(f"{fold_text(name.group()[first:]).strip()} {kind}")
                    if entry is not None:
                        out.append((name.start() + first, name.end(), entry, LISTED))
                        break
        return out

    def _with_next_word(self, text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Runs taken on by the lower-case word after them when it is a generic word of names or a case form of
        one ("Японском море", "Персидском заливе"; see ``_inner``), for ``_find_forms``."""
        out: list[tuple[int, int]] = []
        for start, end in runs:
            after = self._inner_after(text, end, True)
            out.append((start, after.end() if after is not None and after.group(1).islower() else end))
        return out

    def _inner_after(self, text: str, end: int, cased: bool) -> re.Match | None:
        """The word right after ``end`` (one space away) when it is a lower-case word of names (or, ``cased``, a
        case form of one; see ``_inner``); a cheap test of its first two letters comes first."""
        if text[end:end + 1] != " " or text[end + 1:end + 3].lower() not in self.inner_prefixes:
            return None
        after = NEXT_WORD.match(text, end)
        return after if after is not None and self._inner(after.group(1).lower(), cased) else None

    def _widened(self, text: str, found: list[tuple[int, int, int, int]], runs: list[tuple[int, int]],
                 lang: str | None, cased: bool) -> list[tuple[int, int, int, int]]:
        """Names that go on in lower-case words ("the Lachin corridor", "Donetsk oblast", "la mer de Chine
        méridionale"), found from a name inside them or from the last words of a run of capitalized words
        whose own words name nothing ("Sahara occidental", "Фолклендские острова"): those words with the
        words after them (and the lead words before them) that the gazetteer holds whole, the longest
        first. ``cased``: the text's language has case endings (and ``inflection`` is on), so the lower-case
        words may be case forms and the pair may be read back to the name (see ``_inner``)."""
        lowered = text.lower()
        if len(lowered) != len(text):  # "İ" lower-cases to two characters: keep the offsets
            lowered = text
        # a name's lead word is read in the name's language (every language's when the text's is not known)
        leads = self.lead_words.get(lang or "", frozenset())
        lead = leads if any(word + " " in lowered for word in leads) else frozenset()
        out: list[tuple[int, int, int, int]] = []
        starts: list[tuple[int, int]] = [(start, stop) for start, stop, _, _ in found]
        named = set(starts)
        for run_start, run_end in runs:
            follows = self._inner_after(text, run_end, cased) is not None
            if not follows and not (lead and text[run_start - 1:run_start] == " "
                                    and self._lead_before(lowered, run_start, lead)):
                continue
            # the run's last words, up to three ("Au Sahara": "Sahara" and "Au Sahara")
            end = run_end
            for _ in range(3):
                space = text.rfind(" ", run_start, end)
                word_start = run_start if space < 0 else space + 1
                if (word_start, run_end) not in named:
                    starts.append((word_start, run_end))
                if space < 0:
                    break
                end = space
        for start, stop in starts:
            ends, tail = [stop], list[str]()  # where each following word ends, and the words
            while len(tail) < 3 and (after := self._inner_after(text, ends[-1], cased)) is not None:
                tail.append(fold_text(after.group(1)))
                ends.append(after.end())
            if not tail and not (lead and text[start - 1:start] == " "):
                continue  # the common case: nothing of a longer name around
            heads: list[tuple[int, list[str]]] = [(start, [])]
            if lead and text[start - 1:start] == " " and self._lead_before(lowered, start, lead):
                window = text[max(0, start - 40):start][::-1]
                before = PREVIOUS_WORD.match(window)
                word = before.group(1)[::-1].lower() if before else ""
                if before is not None and word in CONNECTOR_WORDS:  # "mer de Chine"
                    further = PREVIOUS_WORD.match(window, before.end())
                    if further is not None and further.group(1)[::-1].lower() in lead:
                        heads.insert(0, (start - further.end(), [fold_text(further.group(1)[::-1]), word]))
                elif before is not None and word in lead:
                    heads.insert(0, (start - before.end(), [fold_text(word)]))
            if not tail and len(heads) == 1:
                continue
            name = fold_text(text[start:stop])
            hit = next(((head_start, ends[last], entry) for head_start, head in heads
                        for last in range(len(tail), -1, -1) if head or last
                        if (entry := self._entry(" ".join([*head, name, *tail[:last]]))) is not None), None)
            if hit is None and tail and cased and lang and " " not in name:
                # both words in a case form ("в Лачинском коридоре" -> Лачинский коридор)
                word = text[start:stop]
                firsts = [fold_text(form) for form in [word, *inflect.lemmas(word, lang)[:6]]]
                seconds = [fold_text(form) for form in [tail[0], *inflect.lemmas(tail[0], lang)[:6]]]
                hit = next(((start, ends[1], entry) for first in firsts for second in seconds
                            if (entry := self._entry(f"{first} {second}")) is not None), None)
                if hit is not None:
                    out.append((hit[0], hit[1], hit[2], LEMMA))
                continue
            if hit is not None:
                out.append((hit[0], hit[1], hit[2], SPACED))
        return out

    def _inner(self, word: str, cased: bool) -> bool:
        """Whether a lower-case word is one of the lower-case words of names, or, in a language with case
        endings (``cased``), a case form of one (an ending of up to four letters after it: Armenian
        միջանցքում, "in the corridor"; the whole name's form must then be a pattern or a pair of lemmas)."""
        if word in self.inner_words:
            return True
        if not cased:
            return False
        by_prefix = self._inner_by_prefix
        if by_prefix is None:
            by_prefix = self._inner_by_prefix = {}
            for inner in self.inner_words:
                if len(inner) >= 4:
                    by_prefix.setdefault(inner[:2], []).append(inner)
        # (a case ending may replace the word's last vowel or soft sign: Russian область, области; край, крае)
        return any(word.startswith(stem) and len(word) - len(stem) <= 4 for inner in by_prefix.get(word[:2], ())
                   for stem in ((inner[:-1],) if inner[-1] in _FINAL_VOWELS else (inner,)))

    @staticmethod
    def _lead_before(lowered: str, start: int, lead: frozenset[str]) -> bool:
        """Whether one of the two words before ``start`` is a lead word (a cheap test before the exact one)."""
        before = lowered[max(0, start - 30):start - 1].split()
        return any(word in lead for word in before[-2:])

    def _find_unspaced(self, text: str) -> list[tuple[int, int, int, int]]:
        """Names in a script without spaces, leftmost-longest within each stretch of such letters; a
        katakana name must be a whole katakana word (パリ, not the パリ of パリティ), and a name never cuts a
        letter from its vowel or marks (``_splits_a_cluster``)."""
        found: list[tuple[int, int, int, int]] = []
        lengths = self.entry_length
        for stretch in SPACELESS.finditer(text):
            folded = stretch.group().translate(TABLE)
            self.scanned["spaceless"] += len(folded)
            matches = sorted(((end - lengths[entry] + 1, end + 1, entry) for end, entry in self._unspaced_matches(folded)),
                             key=lambda m: (m[0], -(m[1] - m[0])))
            reached = 0
            for start, stop, entry in matches:
                if start < reached:
                    continue
                word = folded[start:stop]
                if KATAKANA.fullmatch(word) and (start > 0 and KATAKANA.match(folded[start - 1])
                                                 or stop < len(folded) and KATAKANA.match(folded[stop])) \
                        or _splits_a_cluster(folded, start, stop) or _inside_a_kana_word(folded, start, stop):
                    continue
                found.append((stretch.start() + start, stretch.start() + stop, entry, UNSPACED))
                reached = stop
        return found

    def _find_forms(self, text: str, runs: list[tuple[int, int]], found: list[tuple[int, int, int, int]],
                    opts: Options) -> list[tuple[int, int, int, int]]:
        """Words no pattern matched, tried without clitics and in their dictionary forms (of the text's
        language); a pair of such words is tried first ("Новог Сада" -> "Нови Сад", "בתל אביב" -> "תל אביב")."""
        covered = [(start, stop) for start, stop, _, _ in found]
        covered.sort()
        starts = [start for start, _ in covered]
        langs = opts.case_languages()
        clitics = opts.on("clitics")
        # A language whose only ending is the genitive -s (Swedish "Rysslands"): many names and given names end
        # in -s too ("Frances" is no genitive of France), so its readings are a well-known place's, and not a given name.
        genitive_s = any(code in inflect.GENITIVE_S_LANGUAGES for code in langs)
        families = frozenset(language.family(code) for code in langs)
        given = language.given_names() if genitive_s else frozenset()
        out: list[tuple[int, int, int, int]] = []

        def free(start: int, stop: int) -> bool:
            k = bisect_right(starts, stop) - 1
            while k >= 0 and covered[k][1] > start:
                if covered[k][0] < stop:
                    return False
                k -= 1
            return True

        def whole(start: int, stop: int) -> bool:  # (asked only of hyphenated words, which are few)
            return any(s <= start and stop <= e for s, e in covered[:bisect_right(starts, start)])

        for run_start, run_end in runs:
            if not langs and not _CLITIC_LETTERS.search(text, run_start, run_end):
                continue  # clitics only: a run without a letter of their scripts has none (nor a pair)
            self.scanned["forms"] += run_end - run_start
            tokens = list(TOKEN.finditer(text, run_start, run_end))
            # a hyphenated word is read whole unless a match covers it all: its last part may be a name of its own
            # (the Петербурге of "Санкт-Петербурге"), and the whole is the longer
            open_ = [free(m.start(), m.end()) or "-" in m.group() and not whole(m.start(), m.end()) for m in tokens]
            if not any(open_):
                continue
            forms = [self._forms(token.group(), langs, clitics) if is_open else []
                     for token, is_open in zip(tokens, open_, strict=True)]
            k = 0
            while k < len(tokens):
                if not open_[k]:
                    k += 1
                    continue
                hit = None
                if k + 1 < len(tokens) and _adjacent(text, tokens[k].end(), tokens[k + 1].start()):
                    # the second word may be a name of its own ("Сада"): the pair is longer and wins
                    second = forms[k + 1] or self._forms(tokens[k + 1].group(), langs, False)
                    if forms[k] or second:
                        hit = self._pair(tokens[k], tokens[k + 1], forms[k], second)
                if hit is not None and (not genitive_s or self._well_known(hit[2])):
                    out.append(hit)
                    k += 2
                    continue
                if hit is None and langs and _before_a_division_word(text, tokens[k].end()):
                    # a word in a case form before a generic word of names that the pair is no name with names
                    # another place than the word's dictionary form does: "Краснодарского края" is the krai, not
                    # the city of Krasnodar, which the gazetteer does not hold apart
                    k += 2
                    continue
                # Of the forms that are names ("Brně" -> Brno, Brna), the one naming the likeliest place, by a
                # name in the text's language first (Czech "Francii" is "Francie", not Spanish "Francia").
                matched = [(self._entry_prior(entry), self._in_language(entry, families), -n, form, how, entry)
                           for n, (form, how) in enumerate(forms[k])
                           if (entry := self._entry(fold_text(form))) is not None
                           and (how != LEMMA or not genitive_s or self._well_known(entry)
                                and tokens[k].group().lower() not in given)]
                if matched:
                    *_, form, how, entry = max(matched)
                    start, stop = _span_of(tokens[k], form, how)
                    out.append((start, stop, entry, how))
                k += 1
        return out

    def _well_known(self, entry: int) -> bool:
        """Whether a pattern names a place that news names often: a curated place, a country or a region, or a
        town of 100,000 people or more (by its prior before context)."""
        return self._entry_prior(entry) >= _WELL_KNOWN_PRIOR

    def _in_language(self, entry: int, families: frozenset[str]) -> bool:
        """Whether a pattern has a claim in one of the languages of ``families`` (family codes)."""
        ix = self.index
        return any(language.family(primary_language(ix.c_lang[claim])) in families for claim in self.entries[entry])

    def _entry_prior(self, entry: int) -> float:
        c_place = self.index.c_place
        return max(self.p_prior[c_place[claim]] for claim in self.entries[entry])

    @staticmethod
    def _forms(word: str, langs: tuple[str, ...], clitics: bool) -> list[tuple[str, int]]:
        """The word without clitics, and its dictionary forms by the endings of ``langs`` (the first's first)."""
        forms: list[tuple[str, int]] = []
        if clitics and script_of(word) in ("Hebr", "Arab", "Hang"):
            forms += [(form, CLITIC) for form in inflect.strip_clitics(word)]
        if langs:
            lemmas = [form for code in langs for form in inflect.lemmas(word, code)]
            forms += [(form, LEMMA) for form in dict.fromkeys(lemmas)]
        return forms

    def _pair(self, first: re.Match, second: re.Match, forms: list[tuple[str, int]],
              next_forms: list[tuple[str, int]]) -> tuple[int, int, int, int] | None:
        # the first word as written too: an adjective that does not change (Greek "Βόρεια Κύπρο", Georgian
        # "სამხრეთ ოსეთში") before a noun that does
        firsts = [(first.group(), LEMMA), *forms[:12]]
        options = [(second.group(), LEMMA)] + [form for form in next_forms if form[1] == LEMMA]
        for (one, how), (two, _) in product(firsts, options[:6]):
            entry = self._entry(f"{fold_text(one)} {fold_text(two)}")
            if entry is not None:
                start, _ = _span_of(first, one, how)
                return start, second.end(), entry, how
        return None

    # -- stage 2: filter -----------------------------------------------------------------------
    def filter(self, text: str, hits: list[tuple[int, int, int, int]], opts: Options) -> list[Candidate]:
        """The matches that pass the surface checks (case, acronyms, frequent words, people,
        organisations); demonyms (Armenians, Azerbaijani) only when asked for."""
        ix = self.index
        found: list[Candidate] = []
        people: set[str] = set()
        named: set[int] | None = None  # where the matches start and end (built when first needed)
        entries = self.entries
        case_exact, weak, strong = self.case_exact, self.entry_weak, self.entry_strong
        common, less_common = self._common(opts), self._less_common(opts)
        calendar = language.calendar_words(opts.language) if opts.language and opts.on("common-words") else frozenset()
        given, wide = self._given_names(opts.language) if opts.on("given-names") else (frozenset(), frozenset())
        for start, stop, entry, how in hits:
            first = text[start]
            claims = entries[entry]
            if how == SPACED and start and text[start - 1].isalnum():
                continue  # "McDonald": a capital inside a word starts no name
            # "turkey", "china", "march", "us": names are written with a capital (not in Georgian), but a
            # name the gazetteer writes in lower case is found as written ("mer de Chine méridionale")
            if first.islower() and not "\u10d0" <= first <= "\u10ff" and opts.on("capitals-only") \
                    and text[start:stop] not in {ix.c_name[c] for c in claims}:
                continue
            surface = text[start:stop]
            if entry in self.dotted_entries:
                claims, stop = self._dotted_claims(text, start, stop, claims)
                if not claims:
                    continue
                surface = text[start:stop]
            if not opts.demonyms and entry in self.demonym_entries:
                # "Azerbaijani" is a demonym here even if another language names the country so (Swahili)
                peoples = {ix.c_place[c] for c in claims if ix.c_kind[c] == "demonym"}
                claims = tuple(c for c in claims if ix.c_place[c] not in peoples)
                if not claims:
                    continue
            is_weak, is_strong = weak[entry], strong[entry]
            if entry in self.bound_entries and opts.on("language-bound"):
                # a country's name in another language than the text's is no reading (Albanian "Siri" in English);
                # where the text is too short to tell its language, only the three-letter ones are not (Rom)
                bound = self.bound_entries[entry]
                if opts.language:
                    # the languages it may be in too: Bulgarian "Русия" in a short text told as Russian
                    near = {language.family(code) for code in (opts.language, *opts.alternatives)}
                    kept = tuple(c for c in claims if c not in bound or bound[c] in near)
                else:
                    kept = tuple(c for c in claims if c not in self.short_bound)
                if not kept:
                    continue
                if len(kept) < len(claims):  # the readings left decide how weak the name is
                    claims = kept
                    is_weak, is_strong = self._weak_strong(claims)
            if entry in self.phrase_entries and opts.on("phrase-names"):
                claims = tuple(c for c in claims if c not in self.phrases)
                if not claims:
                    continue
            if entry in self.spare_entries and how in (SPACED, UNSPACED):
                # a curated town's unreviewed GeoNames name is read only as written ("Khalil'", Hebron, is no
                # "Khalil"); a case form of it, which the endings read back to the name as written, is read
                kept = tuple(c for c in claims if not self._spare(c) or ix.c_name[c] == surface)
                if not kept:
                    continue
                if len(kept) < len(claims):
                    claims = kept
                    is_weak, is_strong = self._weak_strong(claims)
            if surface in calendar:
                continue  # a day's or a month's name, as the text's language writes it (Persian دوشنبه, Monday)
            if entry in case_exact:
                if surface.replace(".", "") not in {ix.c_name[c] for c in claims}:
                    continue
                if "." in surface and stop < len(text) and text[stop] == ".":
                    stop += 1  # "U.S." ends with its dot
            elif how != LISTED and (surface.lower() in common or how == CLITIC and _whole_word(text, start, stop) in common) \
                    and not (is_strong and self._strong_here(claims, opts.language, how == LEMMA)) \
                    and not _after_a_locative(text, start, opts.language) \
                    and not self._home_town(claims, opts, text, start, stop) and _kind_before(text, start) is None:
                # A frequent word ("Police", "March", "Center", German "Essen") that is also a name: only
                # curated places, countries and places of a million people are meant often enough to
                # keep (and when one is, every reading stays for disambiguation: London, Ontario). A case form
                # that is a frequent word is the name's where the place is that important, or a home town
                # ("Krakowie", "Rusiei"), not Romanian "Statul" ("the state") read as Settat; see
                # _after_a_locative for German; "the city of Jackson" is the city. A word with a clitic is checked
                # with it and without it: Hebrew מקום, "place", is no מ + קום (Qom), and הקטן, "the small", no
                # ה + קטן (Köthen).
                continue
            elif less_common and how != LISTED and (_uncased(first) or sentence_start(text, start)) \
                    and (surface.lower() in less_common
                         or how == CLITIC and _whole_word(text, start, stop).lower() in less_common) \
                    and self._obscure_town(entry, claims, opts.language):
                # a less frequent word that an obscure town abroad is named, in a script without capitals or where a
                # capital says nothing, at a sentence's start: Russian "Атака" ("attack") opening a sentence is no
                # Ataq in Yemen
                continue
            if is_weak and opts.on("people") and rules.looks_like_a_person(text, start, stop):
                people.add(surface)
                continue
            if given and how == SPACED and rules.given_name_and_surname(
                    text, start, stop, given if is_strong else wide):
                continue
            if is_weak and how == SPACED and opts.on("hyphen-compounds") \
                    and rules.hyphen_joined(text, start, stop, named if named is not None else (named := _ends(hits))):
                continue
            if opts.on("organisations") and (rules.part_of_another_cjk_name(text, stop) if how == UNSPACED
                                             else rules.part_of_another_name(text, stop, start)):
                continue  # "United States Department of Agriculture", "New York Times", "Reston ebolavirus", "US$"
            if opts.on("inside-names") and rules.inside_a_name(text, start, stop):
                continue  # "the OSCE Minsk Group"
            if how != LISTED and opts.on("feature-names") and rules.part_of_a_feature_name(text, start, stop):
                continue  # "Lake Superior", "the Jordan River", "Gulf of Aden"
            if opts.on("inflection") and _before_a_division_word(text, stop):
                continue  # "Краснодарского края": the krai, which the gazetteer does not hold, not the city
            found.append(Candidate(start, stop, claims, is_weak, how))
        if people:  # "George Bush ... Bush said": once a person, always a person in this text, but where a kind
            # word says it is a place ("Mayor Jackson said the city of Jackson would ...")
            found = [c for c in found
                     if not c.weak or text[c.start:c.end] not in people or _kind_before(text, c.start) is not None]
        return found

    def _given_names(self, text_language: str | None) -> tuple[frozenset[str], frozenset[str]]:
        """The given names read before a surname in a text of this language: against any place, and against a place
        too small to be meant often (``language.world_given_names``)."""
        found = self._given.get(text_language)
        if found is None:
            found = self._given[text_language] = (
                language.world_given_names(text_language, self.given_abroad, wide=False),
                language.world_given_names(text_language, self.given_abroad))
        return found

    def _strong_here(self, claims: tuple[int, ...], text_language: str | None, case_form: bool = False) -> bool:
        """Whether a name that is a frequent word of the text's language is still too important a place's to be
        that word, by its readings of curated places, or in that language, or in none a source gives: a base-layer
        name another language's source gives is no evidence in this one (Persian "صباح", Sabah, is Arabic
        "morning"; Slovak "Bratislave" is the curated city's whatever language its claim is in). A ``case_form``
        (a frequent word read back to a name by the language's endings) is not read back to a town's bare alternate
        name (Slovene "Samo", "only", is no "Sama", Sanya); a country's or a continent's are read ("Srbije")."""
        if not text_language:
            return True
        ix, own = self.index, language.family(text_language)
        here = [c for c in claims if self._curated_claim(c)
                or ((lang := primary_language(ix.c_lang[c])) == "und" or language.family(lang) == own
                    or own in _HAN_WRITING and lang in _HAN_WRITING and _all_han(ix.c_name[c]))
                and not (case_form and ix.c_kind[c] == "variant" and _bare_town_name(ix.places[ix.c_place[c]], ix.c_name[c]))]
        return bool(here) and self._weak_strong(here)[1]

    def _home_town(self, claims: tuple[int, ...], opts: Options, text: str, start: int, stop: int) -> bool:
        """A town of 100,000 people or more, or among the ten largest of its country (``p_home_town``), in a
        country whose main language the text is in, not at the start of a sentence: a language's frequent words
        hold the names of its own big towns ("Rīgā" in Latvian, "Krakowie" in Polish), which are meant as the town
        when written with a capital mid-sentence (in a script without capitals, when the town is known well enough
        abroad: see _UNCASED_GAP)."""
        # Not in German, which capitalizes every noun (see _LOCATIVES); in English, whose headlines and titles
        # capitalize every word, only a town of 100,000 people or more by its own name, alone in running text
        # ("officials in Boston", "a Mobile man"; not "Declaration of Independence", "Independence Day")
        if opts.language in (None, "en"):
            return opts.on("english-towns") and self._english_town(claims, text, start, stop)
        countries = language_countries().get(opts.language)
        if not countries or opts.language in _LOCATIVES or sentence_start(text, start):
            return False
        places, c_place, home = self.index.places, self.index.c_place, self.p_home_town
        towns = [places[c_place[c]] for c in claims if home[c_place[c]] and places[c_place[c]].country in countries]
        if towns and text[start].lower() == text[start].upper():
            # A script without capitals shows no capital: the word is the town's only where the town is
            # known well enough for the word to be that frequent, by its name's frequency in English, at
            # most _UNCASED_GAP lower on the Zipf scale (Haifa for חיפה, not Qingnian for 青年, "youth", nor
            # Al Jadid for الجديد, "the new").
            word = language.zipf(text[start:stop].lower(), opts.language or "")
            towns = [town for town in towns if word - language.zipf(fold(town.label), "en") <= _UNCASED_GAP]
        return bool(towns)

    def _english_town(self, claims: tuple[int, ...], text: str, start: int, stop: int) -> bool:
        """A frequent English word that is the own name of a town of 100,000 people or more in a country whose
        main language is English, capitalized alone in running text (``rules.in_running_text``), and nowhere in the
        text after a given name ("Lamar Jackson"): Boston, Manchester, York, Jackson, Mobile and Independence are
        such words for wordfreq, which counts names too."""
        surface = text[start:stop]
        countries = language_countries().get("en", frozenset())
        places, c_place, c_name = self.index.places, self.index.c_place, self.index.c_name
        return any(c_name[c] == surface and (place := places[c_place[c]]).kind == "settlement"
                   and place.population >= _HOME_TOWN_PEOPLE and place.country in countries
                   and place.label == surface for c in claims) and rules.in_running_text(text, start, stop) \
            and not rules.a_surname_in_the_text(text, surface, language.given_names(), self.english)

    def _common(self, opts: Options) -> frozenset[str]:
        """Frequent words of the text's language (English when it cannot be told)."""
        if not opts.on("common-words"):
            return frozenset()
        lang = opts.language or "en"
        return self.english if lang == "en" else language.common_words(lang) or self.english

    def _less_common(self, opts: Options) -> frozenset[str]:
        """The words of the text's language that follow the ``_common`` ones, to ``language.UNCASED_COMMON_WORDS``
        (none for English or where the language cannot be told; see ``_obscure_town``)."""
        if not opts.on("common-words") or not opts.language or opts.language == "en":
            return frozenset()
        return language.less_common_words(opts.language)

    def _obscure_town(self, entry: int, claims: tuple[int, ...], text_language: str | None) -> bool:
        """Whether a name's readings are all towns of fewer than 100,000 people (``_well_known``) in countries
        where the text's language is not spoken (GeoNames' lists of a country's languages): in a script without
        capitals, a word among the language's 10,000 most frequent is such a town's only on better evidence than
        its spelling (Chinese 北方, "north", is no Kitagata in Japan, nor Persian کور, "blind", Chur), while the
        country's own towns (Persian دزفول, Dezful) and towns known abroad (Arabic ليفربول, Liverpool) stay."""
        if self._well_known(entry):
            return False
        speaking = countries_speaking(text_language or "")
        c_place, places = self.index.c_place, self.index.places
        return not any(places[c_place[c]].country in speaking for c in claims)

    def _dotted_claims(self, text: str, start: int, stop: int, claims: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
        """An abbreviation with a dot ("Ky.", "N.J.") is a name only as written, dot included, right after
        a comma ("Glasgow, Ky."); elsewhere "Pa." or "Miss." are too often something else. Initials ("B.C.",
        "N.J.") are a name anywhere but after a number ("500 B.C."). The other claims of the pattern stay as
        they are."""
        ix = self.index
        others = tuple(c for c in claims if not _dotted(ix.c_name[c], ix.c_kind[c]))
        written = text[start:stop + 1]
        before = start
        while before and text[before - 1].isspace():
            before -= 1
        after_comma = before and text[before - 1] == ","
        initials = _INITIALS.fullmatch(written) is not None and not (before and text[before - 1].isdigit())
        if not written.endswith(".") or not (after_comma or initials):
            return others, stop
        dotted = tuple(c for c in claims if _dotted(ix.c_name[c], ix.c_kind[c]) and ix.c_name[c] == written)
        return (dotted, stop + 1) if dotted else (others, stop)

    # -- stage 3: resolve ----------------------------------------------------------------------
    def _prior(self, place: PlaceEntry, curated: bool = True) -> float:
        """How likely a place is meant, before context: curated places first (by their priority), then by
        population; with ``curated=False`` a curated place is weighed as a base place would be."""
        score = 3.0 + place.priority / 10 if curated and place.curated \
            else 2.0 * math.log10(place.population + 10) / 7
        if place.kind in ("country", "continent"):
            score += 1.5
        elif place.kind == "region":
            score += 0.75
        return score

    def _place_tables(self) -> None:
        """Per place: prior, 4-degree cell, country and whether it can hold a place ("Atlanta, Georgia")."""
        places = self.index.places
        self.p_prior = [self._prior(p) for p in places]
        self.p_cell = [_cell(p) for p in places]
        self.p_country = [p.country for p in places]
        self.p_area = [p.kind in ("region", "country") for p in places]
        self.p_is_country = [p.kind == "country" and bool(p.country) for p in places]
        self.p_is_region = [p.kind == "region" and bool(p.country) for p in places]
        self.p_is_district = [p.kind == "district" and bool(p.region) for p in places]
        self.p_settlement = [p.kind == "settlement" for p in places]
        self.p_id = [p.id for p in places]
        by_id = self.index.place_by_id
        self.p_region = [by_id.get(p.region, -1) if p.region else -1 for p in places]
        self.p_minor = [p.note == NAMESAKE_NOTE for p in places]
        # Claims that give a former name (Canton for Guangzhou, Smyrna for Izmir, Tacoma for Mount Rainier):
        # a curated place read only through such names has no curated advantage over a base place that
        # bears the name now (it is weighed by its population, as the base place is). So do the GeoNames alternate
        # names of the town a curated town stands for (see _curated_claim), and the curated places' names that only
        # GeoNames' alternate names give ("Salem" for Jerusalem, beside Salem, Oregon).
        citations = self.index.c_citations
        self.c_former = [kind == "historical" or self._spare(claim)
                         or kind == "variant" and all(c.startswith("geonames:") for c in citations.get(claim, ("",)))
                         for claim, kind in enumerate(self.index.c_kind)]
        self.p_prior_plain = [self._prior(p, curated=False) for p in places]
        self.p_curated = [p.curated for p in places]
        # A curated place with a negative priority is one whose name usually means something else (Java,
        # a town in South Ossetia): it is read only where the text names a place near it.
        self.p_context_only = [p.curated and p.priority < 0 for p in places]
        # Towns a country's own language writes often: of 100,000 people or more, or among the country's ten
        # largest (Maribor, Slovenia's second town, has fewer) (see _home_town).
        ranked: dict[str, list[int]] = {}
        for k, p in enumerate(places):
            if p.kind == "settlement" and p.country:
                ranked.setdefault(p.country, []).append(k)
        large = {k for towns in ranked.values()
                 for k in sorted(towns, key=lambda k: -places[k].population)[:_HOME_TOWNS_PER_COUNTRY]}
        self.p_home_town = [p.population >= _HOME_TOWN_PEOPLE or (k in large and p.population > 0)
                            for k, p in enumerate(places)]
        # National capitals (GeoNames' country records name them): news that says "Washington" or "Kiev"
        # means the capital far more often than the state or the province of that name.
        # (compared folded: GeoNames writes "Brasilia", "Bogota" and "Yaounde" there, and Brasília, Bogotá and
        # Yaoundé as the towns' names)
        capitals = {country: fold(name) for country, name in capital_names().items()}
        self.p_capital = [p.kind == "settlement" and p.country is not None and p.country in capitals
                          and capitals[p.country] in {fold(part.strip()) for part in p.label.split("/")} for p in places]
        # Claims that are a small base town's GeoNames alternate names (see _alternates_in_context); not a national
        # capital's (the largest town of the capital's name), whose names in other languages are its exonyms
        # (Russian Вашингтон for Washington, D.C., a town of fewer than a million people)
        largest: dict[str, int] = {}
        for k, is_capital in enumerate(self.p_capital):
            country = places[k].country
            if is_capital and country and (country not in largest
                                           or places[k].population > places[largest[country]].population):
                largest[country] = k
        capital_towns = set(largest.values())
        c_place, c_name = self.index.c_place, self.index.c_name
        self.c_alternate = [kind == "variant" and c_place[claim] not in capital_towns
                            and _weak(place := places[c_place[claim]]) and _bare_town_name(place, c_name[claim])
                            for claim, kind in enumerate(self.index.c_kind)]

    def _places_of(self, claims: tuple[int, ...]) -> tuple[dict[int, int], dict[int, int], dict[int, float], bool]:
        """Place -> its first claim among ``claims``, for the readings and for the small namesakes; the places read
        through former or other names, with the weight they get instead of their prior; whether every reading is a
        small town's alternate name (cached: the same names recur from text to text)."""
        found = self._options.get(claims)
        if found is None:
            c_place, minor = self.index.c_place, self.p_minor
            places: dict[int, int] = {}
            namesakes: dict[int, int] = {}
            for claim in claims:
                place = c_place[claim]
                (namesakes if minor[place] else places).setdefault(place, claim)
            if not places:
                places, namesakes = namesakes, {}
            # Curated places read only through a former name, where a base place bears the name: weighed as a
            # base place would be; base towns read only through another name than their own, where another
            # reading's own name it is: weighed no more than that place (see _renamed)
            curated, plain = self.p_curated, self.p_prior_plain
            former = {place: plain[place] for place in places if curated[place]
                      and any(not curated[other] for other in places)
                      and all(self.c_former[c] for c in claims if c_place[c] == place)}
            former.update(self._renamed(claims, places))
            former.update(self._outgrown(places, former))
            if len(self._options) > 200_000:
                self._options.clear()
            alternate = all(self.c_alternate[claim] for claim in places.values())
            found = self._options[claims] = (places, namesakes, former, alternate)
        return found

    def _outgrown(self, places: dict[int, int], former: dict[int, float]) -> dict[int, float]:
        """Base first-level divisions with half the people or fewer of a town whose own name the name is: weighed by
        their population alone, without a division's advantage, as a town is ("Manchester", a parish of Jamaica of
        190,000 people, is Manchester, England, of 570,000; "Georgia" and "Washington" keep theirs)."""
        if len(places) < 2:
            return {}
        ix, regions = self.index, self.p_is_region
        if not any(regions[place] for place in places):
            return {}
        towns = [ix.places[p].population for p, c in places.items() if ix.places[p].kind == "settlement"
                 and fold(ix.places[p].label) == fold(ix.c_name[c])]
        if not towns:
            return {}
        largest = max(towns)
        return {place: min(former.get(place, self.p_prior[place]), self.p_prior_plain[place] - 0.75)
                for place in places if regions[place] and not self.p_curated[place]
                and 2 * ix.places[place].population <= largest}

    def _renamed(self, claims: tuple[int, ...], places: dict[int, int]) -> dict[int, float]:
        """Base towns read only through a name unlike their own (a GeoNames alternate name that is no spelling or
        form of the town's name: "Venice" for Dayton, which it was nearly called, "Santa Ana" for Taguig), where
        another reading's own name it is (Venice, Italy; Santa Ana, California): each weighs less than every such
        place, so that context choosing one of them ("Manchester, Nashua and Concord": Manchester, New Hampshire)
        never leaves the town named otherwise (Paterson, which GeoNames also calls Manchester) ahead. A spelling or
        a form of its own name ("Westminster" for the City of Westminster, "Lucerne" for Luzern) keeps a town's
        weight."""
        if len(places) < 2:
            return {}  # (the common case: no other reading to weigh against)
        ix, prior, curated = self.index, self.p_prior, self.p_curated
        own = {place: fold(ix.places[place].label) for place in places}
        out: dict[int, float] = {}
        for place in places:
            if curated[place] or ix.places[place].kind != "settlement":
                continue
            names = {fold(ix.c_name[c]) for c in claims if ix.c_place[c] == place}
            if any(_alike(name, own[place]) for name in names):
                continue
            owners = [prior[other] for other in places if other != place and own[other] in names]
            if owners:  # (listed even when lighter already: no capital's weight either, see resolve)
                out[place] = min(prior[place], min(owners) - 0.01)
        return out

    def _unaccented(self, written: str, claims: tuple[int, ...], places: dict[int, int],
                    former: dict[int, float]) -> dict[int, float]:
        """A name written with letters beyond ASCII ("Cancún") names the places whose names are written so before
        those read only through a spelling without them (Changchun, of 3.5 million people, which GeoNames also
        calls "Cancun"): each of those weighs no more than the heaviest place named as written."""
        if written.isascii():
            return former  # (the common case)
        ix = self.index
        exact = {ix.c_place[c] for c in claims if ix.c_name[c] == written} & places.keys()
        if not exact or len(exact) == len(places):
            return former
        top = max(former.get(place, self.p_prior[place]) for place in exact)
        capped = dict(former)
        for place in places:
            if place not in exact:
                capped[place] = min(former.get(place, self.p_prior[place]), top - 0.01)
        return capped

    def _in_context(self, spans: list[tuple[Candidate, bool]], found: list, options: list[dict[int, int]]) -> tuple:
        """Drop the readings of context-only places (see ``p_context_only``) that no other place named
        unambiguously in the text lies near (its 4-degree cell or the eight around it); a span left with
        no reading is dropped."""
        cells, context_only = self.p_cell, self.p_context_only
        anchors = {cells[place] for places in options if len(places) == 1
                   for place in places if not context_only[place]}
        near = _around(anchors)
        options = [{p: c for p, c in places.items() if not context_only[p] or cells[p] in near} for places in options]
        return _kept(spans, found, options, [bool(places) for places in options])

    def _alternates_in_context(self, spans: list[tuple[Candidate, bool]], found: list,
                               options: list[dict[int, int]], text_language: str | None) -> tuple:
        """Drop a name whose every reading is a small town read by one of its GeoNames alternate names
        (unreviewed: former, local or mistaken names) when the text names other places and none of them can be
        in such a town's country (by any of its readings) or is near it (named unambiguously, in its 4-degree cell
        or the eight around it): "Hamas", a GeoNames name of Hamm, in news about Gaza, but "Leghorn" (Livorno)
        beside "Naples". A text that names no other place keeps it, and so does a text in a main language of the
        town's country, where the alternate name is often the town's own (Thai เชียงใหม่, Chiang Mai); a name in
        another script than the text's language's is written on purpose (תל אביב in English text) and kept."""
        if not any(option[3] for option in found):
            return spans, found, options
        c_name, cells, country_of = self.index.c_name, self.p_cell, self.p_country
        home = language_countries().get(text_language or "", frozenset())
        script = _language_script(text_language)
        alternate = [option[3] and bool(places) and all(country_of[p] not in home
                                                        and (script is None or script_of(c_name[c]) == script)
                                                        for p, c in places.items())
                     for option, places in zip(found, options, strict=True)]
        if not any(alternate) or all(alternate):
            return spans, found, options
        others = [places for places, alt in zip(options, alternate, strict=True) if not alt]
        countries = {country_of[p] for places in others for p in places}
        anchors = {cells[p] for places in others if len(places) == 1 for p in places}
        near = _around(anchors)
        return _kept(spans, found, options, [not alt or any(country_of[p] in countries or cells[p] in near for p in places)
                                             for places, alt in zip(options, alternate, strict=True)])

    def _named_region(self, places: dict[int, int]) -> int | None:
        regions = [place for place in places if self.p_is_region[place]]
        if len(regions) != 1:
            return None
        region, prior = regions[0], self.p_prior
        return region if all(prior[region] > prior[other] for other in places if other != region) else None

    def _apart(self, outer: int, inner: int) -> bool:
        """Whether a name nested in another's names a place apart from the longer name's: of another country, or,
        inside a town's or a district's name, more than ``_NESTED_KM`` from it. Not "Angeles" (a Philippine district)
        in "Los Angeles", "Wales" in "New South Wales", nor Salem, Oregon in "Winston-Salem"."""
        country_of, places = self.p_country, self.index.places
        if country_of[outer] and country_of[inner] and country_of[inner] != country_of[outer]:
            return True
        town = places[outer]
        return town.kind in _LOCAL_KINDS and inner != outer and _km((town.lat, town.lon), places[inner]) > _NESTED_KM

    def _chains(self, text: str, spans: list[tuple[Candidate, bool]]) -> list[list[int]]:
        """The lists of names in the text: runs of consecutive names (not nested) with only a list's separators
        between them ("Georgia, Oklahoma and Ohio")."""
        chains: list[list[int]] = []
        for k, j in self._neighbours(text, spans, _LIST):
            if chains and chains[-1][-1] == k:
                chains[-1].append(j)
            else:
                chains.append([k, j])
        return chains

    @staticmethod
    def _neighbours(text: str, spans: list[tuple[Candidate, bool]], between: re.Pattern) -> list[tuple[int, int]]:
        """Pairs of consecutive names (not nested in another) with only ``between`` between them."""
        outer = [k for k, (_, nested) in enumerate(spans) if not nested]
        return [(k, j) for k, j in zip(outer, outer[1:], strict=False)
                if between.fullmatch(text, spans[k][0].end, spans[j][0].start)]

    def resolve(self, text: str, spans: list[tuple[Candidate, bool]], opts: Options | None = None) -> list[Resolved]:
        opts = opts or Options()
        ix = self.index
        prior, cells, country_of, area, is_country = self.p_prior, self.p_cell, self.p_country, self.p_area, \
            self.p_is_country
        is_region, region_of, capital = self.p_is_region, self.p_region, self.p_capital
        found = [self._places_of(candidate.claims) for candidate, _ in spans]
        options = [places for places, _, _, _ in found]
        if opts.on("context-only") and any(self.p_context_only[place] for places in options for place in places):
            spans, found, options = self._in_context(spans, found, options)
        if opts.on("alternate-names") and len(spans) > 1:
            spans, found, options = self._alternates_in_context(spans, found, options, opts.language)
        # Context: countries named in the text, and places that are unambiguous; a name inside a longer one
        # ("Wales" in "New South Wales") names nothing of its own.
        focus: Counter[str] = Counter()
        anchor_cells = set()
        local_cells = set()  # of the unambiguous places other than countries
        ambiguous = False
        outer = [places for (_, nested), places in zip(spans, options, strict=True) if not nested]
        for places in outer:
            ambiguous = ambiguous or len(places) > 1
            if len(places) == 1:
                place = next(iter(places))
                anchor_cells.add(cells[place])
                if not is_country[place]:
                    local_cells.add(cells[place])
                country = country_of[place]
                if country:
                    focus[country] += 1
            for place in places:
                country = country_of[place]
                if is_country[place] and country:
                    focus[country] += 1
        near_cells: set[tuple[int, int]] = set()
        if opts.near is not None:  # the caller's point: as if a place there were named unambiguously
            row, col = int(opts.near[0] // 4), int(opts.near[1] // 4)
            near_cells = _around([(row, col)])
            local_cells.add((row, col))
            anchor_cells.add((row, col))
        # Places near an unambiguous one: within the 3x3 block of 4-degree cells around it.
        near_anchors = _around(anchor_cells) if ambiguous and opts.on("near-anchors") else set()
        # First-level divisions named ("Tennessee", "Tenn."): their towns and counties weigh more. A name is a
        # division's when that is its only reading, or its only division and the likeliest reading before
        # context ("Indiana", also a town in Pennsylvania; not "Georgia", a country first).
        named_regions = {region for region in map(self._named_region, outer) if region is not None} \
            if opts.on("region-focus") else set()
        if (local_cells or named_regions) and opts.on("namesakes"):
            # a small namesake is a reading only beside a place named unambiguously or in a region named
            for k, (_, namesakes, _, _) in enumerate(found):
                near = {place: claim for place, claim in namesakes.items()
                        if cells[place] in local_cells or region_of[place] in named_regions}
                if near:
                    options[k] = {**options[k], **near}  # the readings left by _in_context, and the namesakes
        bonus = {country: 1.0 + min(count, 5) * 0.2 for country, count in focus.items()} \
            if opts.on("country-focus") else {}
        # a place of no single country (Kashmir, the Persian Gulf) is as near the text's focus as the countries it
        # lies between: "India and Pakistan ... in Kashmir" is not Azad Kashmir for Pakistan's weight. (A polity is a
        # country of its own, in focus only where it is named.)
        most = max(bonus.values(), default=0.0)

        def stateless(place: int) -> float:
            return most if ix.places[place].kind not in _COUNTRY_LIKE else 0.0
        ids = self.p_id
        after_comma = dict(self._neighbours(text, spans, _COMMA)) if opts.on("place-then-region") else {}
        follows_comma = set(after_comma.values())
        # "Columbia, Missouri", "PARIS, Tenn.": an ambiguous name followed by one that can be a region; the
        # small namesakes in that region are readings too
        regions_after: dict[int, set[int]] = {}
        for k, j in after_comma.items():
            regions = {place for place in options[j] if is_region[place]}
            if regions and opts.on("namesakes"):
                inside = {p: c for p, c in found[k][1].items() if region_of[p] in regions}
                if inside:
                    options[k] = {**options[k], **inside}
            if regions and len(options[k]) > 1:
                regions_after[k] = regions
        # One sense per text: a name settled by the region after it keeps that reading elsewhere in the text.
        settled: dict[tuple[int, ...], int] = {}
        if opts.on("one-sense"):
            for k, regions in regions_after.items():
                inside_region = [place for place in options[k] if region_of[place] in regions]
                if len(inside_region) == 1:
                    settled[spans[k][0].claims] = inside_region[0]
            for k, ((candidate, _), places) in enumerate(zip(spans, options, strict=True)) if settled else ():
                kept = settled.get(candidate.claims)
                if kept is not None and kept not in places:
                    claim = next(c for c in candidate.claims if ix.c_place[c] == kept)
                    options[k] = {**places, kept: claim}
        # "states including Georgia, Oklahoma and Pennsylvania": regions of one country listed together
        listed: dict[int, list[int]] = {}  # span -> the other names of its list
        districts = self.p_is_district
        chains = self._chains(text, spans) if any(len(places) > 1 for places in options) else []
        if opts.on("enumerated-regions") and any(len(places) > 1 and any(is_region[p] or districts[p] for p in places)
                                                 for places in options):
            for chain in chains:
                for k in chain:
                    listed[k] = [j for j in chain if j != k]
        # "Melbourne and Victoria", "New York and Toronto": a town listed with other places lies near them (the cells
        # of the other names' readings, for each ambiguous name of a list that is no country's; only town readings
        # are moved: in a list of countries, "Niger" and "Benin" stay the countries, not Niger State or Benin City)
        neighbours: dict[int, list[set[tuple[int, int]]]] = {}
        settlement = self.p_settlement
        if opts.on("listed-places"):
            for chain in chains:
                member_cells = {k: {cells[p] for p in options[k]} for k in chain}
                for k in chain:
                    if len(options[k]) > 1 and not any(is_country[p] for p in options[k]):
                        neighbours[k] = [member_cells[j] for j in chain if j != k]
        results: list[Resolved] = []
        previous_country: str | None = None
        enclosing = -1  # the place of the last name not nested in another
        places_ = ix.places
        for k, ((candidate, nested), places) in enumerate(zip(spans, options, strict=True)):
            # "Atlanta, Georgia": a region or country right after a place, set off by a comma, is the
            # one that place lies in.
            within = previous_country if k in follows_comma else None
            if len(places) == 1:
                (best_place, best_claim), = places.items()
                country = country_of[best_place]
                best_score = prior[best_place] + (bonus.get(country, 0.0) if country else stateless(best_place)) \
                    + (3.0 if within and country == within and area[best_place] else 0.0)
                alternatives = []
            else:
                scored = []
                read_as_country = {country_of[place] for place in places if is_country[place]}
                former = found[k][2] if opts.on("former-names") else {}
                if opts.on("accents") and candidate.how in (SPACED, UNSPACED):
                    former = self._unaccented(text[candidate.start:candidate.end], candidate.claims, places, former)
                sibling_countries = Counter(country for j in listed[k] for country in
                                            {country_of[p] for p in options[j] if is_region[p]}) if k in listed else None
                # "Bucks County and Montgomery County": districts listed together lie in one region
                sibling_regions = Counter(region for j in listed[k] for region in
                                          {region_of[p] for p in options[j] if districts[p] and region_of[p] >= 0}) \
                    if k in listed else None
                settled_place: int | None = settled.get(candidate.claims) if k not in regions_after else None
                kinds = _kind_named(text, candidate.start, candidate.end) \
                    if opts.on("kind-words") and len({places_[p].kind for p in places}) > 1 else None
                for place, claim in places.items():
                    country = country_of[place]
                    score = former.get(place, prior[place]) + (bonus.get(country, 0.0) if country else stateless(place))
                    if sibling_countries and is_region[place] and country not in read_as_country:
                        # (but "Mexico" among Mexican states stays the country)
                        score += _SIBLING * min(sibling_countries.get(country, 0), 2)
                    if sibling_regions and districts[place]:
                        score += _SIBLING * min(sibling_regions.get(region_of[place], 0), 2)
                    if within and country == within and area[place]:
                        score += 3.0
                    if k in regions_after and region_of[place] in regions_after[k]:
                        score += 3.0  # "Columbia, Missouri", "COLUMBIA, Ky.": the town in the region named next
                    if place == settled_place:
                        score += 3.0
                    if cells[place] in near_anchors:
                        score += 0.8
                    if k in neighbours and settlement[place]:
                        around = _around((cells[place],))
                        score += _LISTED_NEAR * min(sum(1 for member in neighbours[k] if member & around), 2)
                    if cells[place] in near_cells and opts.near is not None:  # graded: full at the point, none at 500 km
                        score += _NEAR * max(0.0, 1 - _km(opts.near, places_[place]) / 500)
                    if region_of[place] in named_regions:
                        score += _IN_REGION
                    if kinds and places_[place].kind in kinds:
                        score += 3.0  # "Washington state", "the city of Kiev", "Kiev region"
                    if capital[place] and opts.on("capitals") and place not in former \
                            and (places_[place].population >= _HOME_TOWN_PEOPLE or self.p_curated[place]):
                        score += _CAPITAL
                    scored.append((score, place, claim))
                scored.sort(key=lambda item: (-item[0], ids[item[1]]))
                best_score, best_place, best_claim = scored[0]
                alternatives = [(p, round(s, 3)) for s, p, _ in scored[1:6]]
            if not nested:
                previous_country, enclosing = country_of[best_place], best_place
            elif enclosing >= 0 and self._apart(enclosing, best_place):
                continue  # a name inside a longer one names no place of its own there
            mention = Resolved(candidate.start, candidate.end, best_place, best_claim, round(best_score, 3),
                               alternatives, nested, claims=candidate.claims, language=opts.language)
            # -- stage 4: what kind of mention
            if ix.c_kind[best_claim] == "demonym":
                mention.mention_type = DEMONYM
            elif opts.on("metonyms") and _is_metonym(text, candidate.end, ix.places[best_place]):
                mention.mention_type = METONYM
            results.append(mention)
        return results


class _Entries(Sequence[tuple[int, ...]]):
    """The claims of each entry, from a snapshot's memory-mapped arrays."""

    def __init__(self, offsets: memoryview, claims: memoryview) -> None:
        self._offsets = offsets
        self._claims = claims
        self._cache: dict[int, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, entry: Any) -> Any:
        found = self._cache.get(entry)
        if found is None:
            if len(self._cache) >= 500_000:
                self._cache.clear()
            found = self._cache[entry] = tuple(self._claims[self._offsets[entry]:self._offsets[entry + 1]].tolist())
        return found


def open_tagger(index: NameIndex) -> Tagger:
    """The tagger of an index: opened from the index's snapshot, or built and added to it (atomically)."""
    directory = index.directory
    if directory is None:
        return Tagger(index)
    opened = store.open_part(directory / "tagger", lambda part: Tagger.load(index, part))
    if opened is not None:
        return opened
    tagger = Tagger(index)
    try:
        part = store.publish(directory, "tagger", tagger.save)
    except OSError:
        return tagger  # a snapshot that cannot be written to: the tagger built in memory serves as well
    return Tagger.load(index, part)


_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")
# An abbreviation of doubled initials with a space after each dot ("EE. UU.", Spanish for the United States)
_SPACED_ABBREVIATION = re.compile(r"(?:[A-Z]{1,3}\. )+[A-Z]{1,3}\.")
# A plural kind word after a list of names ("Hillsborough, Pinellas and Pasco counties"; see Tagger._listed): the
# kind each name is, as the gazetteer writes it after the name
_PLURAL_KINDS = {"counties": "county", "parishes": "parish", "boroughs": "borough"}
_PLURAL_KIND = re.compile(r"(?<= )([Cc]ounties|[Pp]arishes|[Bb]oroughs)\b")
_LISTED_WORDS = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}"
_LISTED_NAME = re.compile(_LISTED_WORDS)
_LISTED_NAMES = re.compile(rf"(?<![\w'’.-])(?:{_LISTED_WORDS}(?:, (?:and |or )?|,? (?:and|or|&) ))+{_LISTED_WORDS}(?= $)")


def _dotted(name: str, kind: str) -> bool:
    return kind == "short" and name.endswith(".") and len(name) <= 6


_CLITIC_SCRIPTS = re.compile("[\u0590-\u05ff\u0600-\u06ff\uac00-\ud7af]")  # Hebrew, Arabic, Hangul
# The blocks of every letter ``_forms`` strips clitics from (its script Hebrew, Arabic or Hangul): when
# clitics are all ``_find_forms`` tries, only the runs with one of these are its own.
_CLITIC_LETTERS = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\u1100-\u11ff"
                             "\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\ufb1d-\ufdff\ufe70-\ufeff]")
_UNCASED_GAP = 3.5  # Zipf points (a factor of about 3,000) a home town's English name may be rarer than the word
_GENERIC = 4  # names that a capitalized word must end or follow in to be a generic word ("Oblast")
_SIBLING = 1.5  # per region of the same country listed beside it, up to two
_LISTED_NEAR = 0.8  # a reading near one of another listed name's readings (twice at most), as near an anchor
_COUNTRY_LIKE = frozenset({"country", "polity"})  # kinds that are a country of their own (see country focus)
# A name nested in a town's or a district's name names a place this near it, or nothing
_LOCAL_KINDS = frozenset({"settlement", "district"})
_NESTED_KM = 100.0
_CAPITAL = 1.2  # a national capital over the division or the towns of its name (not over a country: 1.5)
_NEAR = 2.5  # a reading at the caller's ``near`` point (less with distance, none from 500 km)
_IN_REGION = 1.0  # a reading in a first-level division the text names unambiguously
# A word for a kind of place right after a name ("Washington state", "Kiev region") or before it with "of"
# ("the city of Kiev", "the state of Washington"): the readings of that kind.
_KIND_WORDS = {"state": ("region",), "province": ("region",), "region": ("region",), "oblast": ("region",),
               "governorate": ("region",), "prefecture": ("region",), "krai": ("region",), "canton": ("region",),
               "county": ("district",), "parish": ("district",), "borough": ("district",),
               "district": ("district", "region"), "city": ("settlement",), "town": ("settlement",),
               "village": ("settlement",), "country": ("country",), "republic": ("country",)}
_KIND_BEFORE = re.compile(r"\s+fo\s+([a-z]+)\b")  # read on the reversed text: "city of" before a name


def _kind_before(text: str, start: int) -> tuple[str, ...] | None:
    """The kinds a kind word and "of" right before a name say ("the city of Jackson"), or None."""
    before = _KIND_BEFORE.match(text[max(0, start - 24):start][::-1])
    return _KIND_WORDS.get(before.group(1)[::-1].lower()) if before is not None else None


def _kind_named(text: str, start: int, end: int) -> tuple[str, ...] | None:
    after = NEXT_WORD.match(text, end)
    if after is not None and after.group(1).lower() in _KIND_WORDS:
        return _KIND_WORDS[after.group(1).lower()]
    return _kind_before(text, start)


def _km(point: tuple[float, float], place: PlaceEntry) -> float:
    """About how far a place is from a point (equirectangular; good enough within a few hundred km)."""
    dlat = math.radians(place.lat - point[0])
    dlon = math.radians(place.lon - point[1]) * math.cos(math.radians((place.lat + point[0]) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


_COMMA = re.compile(r"\s*,\s*")  # "Atlanta, Georgia"
_LIST = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*|;\s*)")  # "Georgia, Oklahoma and Ohio"


# The citations of CLDR names for one language of countries (base layer and curated tables) and of the base
# layer's cities: such a name is read only in a text of that language (the curated places' CLDR city names,
# cited cldr:city, are imported from the reference records with the rest of their names and read anywhere)
_CLDR_BASE = (CLDR_TERRITORY, CLDR_ZONE, CLDR_SUBDIVISION)
# Scripts where a letter is a syllable or a word (Hangul, Han, kana, Ethiopic, Yi) or that leave vowels
# unwritten (Hebrew, Arabic): a base-layer name of two or three letters there is a whole name (서울, צור).
_SYLLABIC = frozenset(["Hang", "Hani", "Hira", "Kana", "Jpan", "Ethi", "Yiii"])
_ABJAD = frozenset(["Hebr", "Arab", "Syrc", "Thaa"])
# Scripts without spaces whose letters are consonants and vowels, many vowels written as signs on a consonant
# (Thai, Lao, Khmer, Burmese): a name's letters are counted with its signs, and a base-layer name needs four,
# as in Latin script; shorter ones are words as often (Thai ยัง, "still", is a GeoNames name of Young; เลย, "at
# all", Loei's). No word list tells them apart in these languages (wordfreq has none).
_SIGNED = frozenset(["Thai", "Laoo", "Khmr", "Mymr"])
# India's scripts write vowels as signs on consonants too (दिल्ली, Delhi, is three letters and two signs): their
# signs count as letters, but not the virama that joins two consonants (its combining class is 9)
_INDIC = frozenset(["Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh"])


# Chinese and Japanese write place names in the same characters (中国, 日本, 北京): a source's name in Han characters
# in one of them is that name in the other too (the base layer keeps one claim per written form, in the language of
# the source read first: countryinfo's Japanese 中国 for China, and not CLDR's Chinese one)
_HAN_WRITING = frozenset({"zh", "ja"})


def _uncased(char: str) -> bool:
    """Whether a letter is of a script that writes no capitals (Georgian's, Mtavruli, are not used in running text)."""
    return char.lower() == char.upper() or "\u10d0" <= char <= "\u10ff"


# The generic words of Russian and Ukrainian division names, written in lower case after the adjective that names the
# division ("Краснодарский край", "Донецька область"): a name's words where the gazetteer holds the pair, and where it
# does not, a sign that the adjective names a division, not its town (see _find_forms)
_DIVISION_WORDS = ("область", "край", "район", "округ")
# ... in any case form, Russian or Ukrainian (области, краю, районі, окрузі; not "крайне", "extremely")
_DIVISION_WORD_FORMS = re.compile(r"[ \t\u00a0]+(?:област(?:ь|и|ью|ей|ям|ями|ях|і|ю)|кра(?:й|я|ю|е|ем|ев|ям|ями|ях|ї|єм|їв)"
                                  r"|район(?:|а|у|е|ом|ы|ов|ам|ами|ах|і|ів)|округ(?:|а|у|е|ом|и|ов|ам|ами|ах|ів)|окрузі)"
                                  r"(?![^\W\d_])")


def _before_a_division_word(text: str, stop: int) -> bool:
    """Whether a name is followed by a Russian or Ukrainian generic word of division names (области, краю, району):
    the name and the word are a division's name, read whole where the gazetteer holds it."""
    return _DIVISION_WORD_FORMS.match(text, stop) is not None


_FINAL_VOWELS = frozenset("aeiouyаеёиоуыэюяьйіїєґ")  # (Latin and Cyrillic: the letters a case ending may replace)
# The words that end the full names of China's and Japan's first-level divisions, which news leaves out: 省
# (province), 自治区 (autonomous region, after the people it is named for: 壮族, 回族, 维吾尔), 県, 府 (prefecture)
_DIVISION_SUFFIX = re.compile(r"(?:(?:.族|维吾尔|維吾爾)?自治[区區]|省|県|府)$")


def _division_short_form(name: str) -> str | None:
    """A Chinese or Japanese division's name without the word for its kind (广东省 -> 广东), if two characters or more
    are left."""
    short = _DIVISION_SUFFIX.sub("", name)
    return short if short != name and len(short) >= 2 else None


def _all_han(name: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"
               for char in name)


def _letters(folded: str) -> int:
    """A folded name's letters, with the vowel signs and tone marks of the scripts in ``_SIGNED`` and
    ``_INDIC``."""
    script = script_of(folded)
    if script in _SIGNED or script in _INDIC:
        return inflect.letters_and_signs(folded)
    return sum(ch.isalpha() for ch in folded)


def _min_letters(name: str) -> int:
    """The fewest letters a base-layer name may have (shorter ones are mostly codes and abbreviations)."""
    script = script_of(name)
    return 2 if script in _SYLLABIC else 3 if script in _ABJAD else 4


# Thai and Lao vowels written before the consonant they are said after (เ แ โ ใ ไ; ເ ແ ໂ ໃ ໄ) and after it
# without being a mark (ะ า ำ ๅ; ະ າ ຳ).
_LEADING_VOWELS = frozenset("เแโใไເແໂໃໄ")
_FOLLOWING_VOWELS = frozenset("ะาำๅະາຳ")


def _splits_a_cluster(folded: str, start: int, stop: int) -> bool:
    """Whether a match in a stretch of a script without spaces cuts a letter from its vowel or its marks: it
    ends before a vowel sign, a tone mark or a following vowel, or starts after a leading vowel (the Thai
    โรม, Rome, of โรมัน, Roman, ends before the sign ั). Such a match is inside a longer word."""
    if stop < len(folded) and (folded[stop] in _FOLLOWING_VOWELS or unicodedata.category(folded[stop]) in ("Mn", "Mc")):
        return True
    return start > 0 and folded[start - 1] in _LEADING_VOWELS


# Japanese particles, written in hiragana after a noun (東京では, さいたまの): a name in hiragana may be followed by one,
# and follow one, within a stretch of hiragana
_PARTICLES_AFTER = re.compile("(?:から|まで|より|など|は|が|を|に|で|の|と|へ|も|や)")  # (では, への: で, へ first)
_PARTICLE_ENDS = frozenset("はがをにでのとへもや")
_HIRAGANA = re.compile("[\u3041-\u309f]+")


def _inside_a_kana_word(folded: str, start: int, stop: int) -> bool:
    """Whether a name written in hiragana is part of a longer hiragana word: hiragana goes on before or after it,
    other than a particle (あま, Ama, is no name in あまり, "not much"; さいたまでは is Saitama and では). Japanese
    writes most names in kanji or katakana, and its grammar and many common words in hiragana."""
    if not _HIRAGANA.fullmatch(folded, start, stop):
        return False
    if stop < len(folded) and _HIRAGANA.match(folded, stop) and not _PARTICLES_AFTER.match(folded, stop):
        return True
    return start > 0 and _HIRAGANA.match(folded, start - 1) is not None and folded[start - 1] not in _PARTICLE_ENDS


def _alike(name: str, own: str) -> bool:
    """Whether a folded name is a spelling or a form of a place's own folded name: one holds the other
    ("westminster", "city of westminster"), or half their letters or more are the same ("lucerne", "luzern"; "moscow",
    "moskva")."""
    from rapidfuzz import fuzz

    return name in own or own in name or fuzz.ratio(name, own) >= 50


def _adjacent(text: str, end: int, start: int) -> bool:
    return start - end == 1 and text[end] in " \u00a0"


def _whole_word(text: str, start: int, stop: int) -> str:
    """The word a name found without its clitic is in (מקום for the קום in it), lower-cased."""
    while start and (text[start - 1].isalpha() or unicodedata.category(text[start - 1])[0] == "M"):
        start -= 1
    while stop < len(text) and (text[stop].isalpha() or unicodedata.category(text[stop])[0] == "M"):
        stop += 1
    return text[start:stop].lower()


def _span_of(token: re.Match, form: str, how: int) -> tuple[int, int]:
    """The part of a token a form stands for: the whole word for a case form ("Krakowie"), the name
    without its clitic otherwise (the תל אביב of בתל אביב, the 서울 of 서울에서)."""
    word = token.group()
    if how == CLITIC:
        if word.endswith(form):
            return token.end() - len(form), token.end()
        if word.startswith(form):
            return token.start(), token.start() + len(form)
        for cut in range(1, len(form)):  # the article put back (للموصل -> الموصل): the letters after it
            if word.endswith(form[cut:]):
                return token.end() - len(form) + cut, token.end()
    return token.start(), token.end()


# Languages that capitalize every noun, where a capital says nothing of a name: a frequent word that
# is also a place name is read as the place after a preposition of place ("in Essen", "aus Essen").
_LOCATIVES = {"de": frozenset(["in", "nach", "aus", "von", "bei", "um", "bis", "gen"]),
              "lb": frozenset(["an", "zu", "op", "vun", "aus", "bei", "bis"])}


def _after_a_locative(text: str, start: int, lang: str | None) -> bool:
    locatives = _LOCATIVES.get(lang or "")
    if not locatives:
        return False
    before = PREVIOUS_WORD.match(text[max(0, start - 12):start][::-1])
    return before is not None and before.group(1)[::-1] in locatives


def _around(cells: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The 3x3 blocks of 4-degree cells around ``cells``: what lies near a place (see ``_cell``)."""
    return {(row + dr, col + dc) for row, col in cells for dr in (-1, 0, 1) for dc in (-1, 0, 1)}


def _kept(spans: list, found: list, options: list, keep: list[bool]) -> tuple[list, list, list]:
    """The spans (with their readings, ``found`` and ``options``) that ``keep`` says stay."""
    return ([x for x, k in zip(spans, keep, strict=True) if k], [x for x, k in zip(found, keep, strict=True) if k],
            [x for x, k in zip(options, keep, strict=True) if k])


def _cell(place: PlaceEntry) -> tuple[int, int]:
    """The 4-degree cell of a place's point (about 450 km north-south)."""
    return int(place.lat // 4), int(place.lon // 4)


def _weak(place: PlaceEntry, curated: bool | None = None) -> bool:
    """A small base-layer town or district: its name is as likely a person's or a thing's. (US counties are
    written with their head word, "Knox County", which is no one's name.) ``curated``: whether the place counts as
    curated (see ``Tagger._curated_claim``), its layer's when None."""
    return (not (place.curated if curated is None else curated) and place.population < 1_000_000
            and (place.kind == "settlement" or (place.kind == "district" and place.country != "US")))


@functools.lru_cache(maxsize=256)
def _language_script(lang: str | None) -> str | None:
    """The script a language is written in (CLDR's likely subtags, as ``script_of`` names it), or None."""
    if not lang:
        return None
    from babel.core import get_global

    likely = get_global("likely_subtags").get(lang, "").split("_")
    script = likely[1] if len(likely) > 2 else None
    return {"Hans": "Hani", "Hant": "Hani", "Kore": "Hang"}.get(script or "", script)


# A national capital this large is too important a place for its name to be a common word (see _weak_strong);
# smaller ones are not (Malé is English "male", Praia Portuguese "beach").
_CAPITAL_PEOPLE = 500_000


def _bare_town_name(place: PlaceEntry, name: str) -> bool:
    """Whether a name is one of a town's (or region's) alternate names rather than its main name."""
    return place.kind not in ("country", "continent") and name != place.label


def _strong(place: PlaceEntry, curated: bool | None = None) -> bool:
    return (place.curated if curated is None else curated) or place.kind in ("country", "continent") \
        or place.population >= 1_000_000


def _is_metonym(text: str, end: int, place: PlaceEntry) -> bool:
    if not (place.kind == "country" or place.kind == "settlement" and (place.population >= 100_000 or place.curated)):
        return False
    return rules.followed_by_a_government_verb(text, end)


def _ends(hits: list[tuple[int, int, int, int]]) -> set[int]:
    """Where the matches start and where they end."""
    return {start for start, _, _, _ in hits} | {stop for _, stop, _, _ in hits}


_OWN_KIND = re.compile(rf"[ \u00a0](?:{'|'.join(kind.capitalize() for kind in _PLURAL_KINDS.values())})$")


def _longest(candidates: Iterable[Candidate], text: str = "") -> list[tuple[Candidate, bool]]:
    """The longest spans (of two that cross, the longer, or the earlier of two as long), in order; a span inside a
    longer one is kept, marked nested, unless the longer one is it and a kind word (the "Boone" of "Boone County"
    names the county, not another place called Boone)."""
    by_span: dict[tuple[int, int], Candidate] = {}
    for c in candidates:
        kept = by_span.get((c.start, c.end))
        if kept is None:
            by_span[(c.start, c.end)] = c
        else:
            kept.claims = tuple(dict.fromkeys(kept.claims + c.claims))
    # longest first: "Fort Worth" over "The Fort" (a GeoNames name of Augusta) in "The Fort Worth City Council"
    if len(by_span) == 1:
        return [(c, False) for c in by_span.values()]
    outers: list[Candidate] = []  # kept in order of start: they do not overlap
    starts: list[int] = []
    for c in sorted(by_span.values(), key=lambda c: (-(c.end - c.start), c.start)):
        k = bisect_right(starts, c.start)
        if (k and outers[k - 1].end > c.start) or (k < len(outers) and outers[k].start < c.end):
            continue  # inside or across a longer (or as long and earlier) span
        outers.insert(k, c)
        starts.insert(k, c.start)
    out: list[tuple[Candidate, bool]] = []
    for c in sorted(by_span.values(), key=lambda c: (c.start, -(c.end - c.start))):
        k = bisect_right(starts, c.start) - 1
        outer = outers[k] if k >= 0 else None
        if outer is c:
            out.append((c, False))
        elif outer is not None and c.end <= outer.end and not (outer.start == c.start and c.end < outer.end
                                                               and _OWN_KIND.fullmatch(text, c.end, outer.end)):
            out.append((c, True))  # nested: Karabakh inside Nagorno-Karabakh
        # (else crossing a longer span, or inside one as its own name and kind word: dropped)
    return out
