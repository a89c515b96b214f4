"""The tagger: every place mention in a text, linked to the place and to the name variant used.

A regular expression first finds the runs of text a name can be in (capitalized or uncased words and
their connectors, about a fifth of a news text). Only the runs are folded, character for character,
by a table (``str.translate``): letters are case- and diacritic-folded and every character that is
not a letter, digit or combining mark becomes a space, so an offset in a folded run is an offset in
the run. Aho-Corasick automata (pyahocorasick, one per block of first letters) read the folded runs.
Every pattern is a name folded by the same table with a space on each side, so a match always sits
on word boundaries in any script, and "Karabakh's" / "Azerbaijan’s" match the name alone. Inflected
forms (Russian, Ukrainian, Armenian, Azerbaijani, Turkish cases, German genitive) are added as
patterns of their own.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

import ahocorasick

from .base import NAMESAKE_NOTE
from .index import NameIndex, PlaceEntry, primary_language
from .normalize import fold, script_of

# -- the character table -------------------------------------------------------------------------


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in (*range(0x3040), *range(0xFE00, 0x10000)):
        char = chr(code)
        category = unicodedata.category(char)
        if category.startswith("M"):
            continue  # combining marks stay (vowel signs of Indic scripts are part of the word)
        if not char.isalnum():
            table[code] = " "
            continue
        folded = fold(char)
        if len(folded) == 1 and folded != char:
            table[code] = folded
        elif len(folded) != 1 and len(char.lower()) == 1 and char.lower() != char:
            table[code] = char.lower()
    return table


TABLE = _table()


def fold_text(text: str) -> str:
    """The text folded character for character (same length), as the patterns are folded."""
    return text.translate(TABLE)


# -- runs: the only stretches of text a name can be in -------------------------------------------
# A name starts with a capital or a letter of a script without case (Georgian is written in lower
# case), and goes on through words joined by spaces, hyphens, apostrophes and dots or by a few
# lower-case connectors ("Côte d'Ivoire", "Republic of the Congo", "Rostov-on-Don"). The regular
# expression finds these runs at C speed and the automaton reads only them: about a fifth of a news
# text. Character classes stay within the Basic Multilingual Plane, where `re` tests them by bitmap.


def _class(test) -> str:
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if test(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


def _starts_a_name(char: str) -> bool:
    return char.isalpha() and (not char.islower() or "\u10d0" <= char <= "\u10ff")


def _in_a_word(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


_START, _LETTER = _class(_starts_a_name), _class(_in_a_word)
_CONNECTORS = ("of|the|de|del|della|di|da|do|dos|das|du|des|la|le|les|los|las|el|al|and|y|e|et|i|on|upon|am|an|"
               "der|den|im|in|na|sur|en|es|van|von|zu|bin|ibn|ben|au|aux|under|ul|ad|a|d|l")
_WORD = f"[{_START}][{_LETTER}]*(?:[-'’.][{_LETTER}]+)*"
RUN = re.compile(f"{_WORD}(?:[^{_LETTER}]{{1,3}}(?:(?:{_CONNECTORS})[^{_LETTER}]{{1,3}})*{_WORD})*")
_GAP = "\n\n"  # between runs in the automaton's input: two spaces once folded, inside no pattern


# -- inflection ----------------------------------------------------------------------------------
# Case endings added to a name (or to its stem) so that inflected forms are found. Folded like text.
_CYRILLIC_ENDINGS = ("а", "у", "е", "ом", "ем", "ой", "ою", "і", "и", "ы", "ю", "ей", "ї", "ові", "еві", "ського",
                     "ский", "ского", "ском")
_CYRILLIC_STEM_VOWELS = "аяыиеоьйі"
_ARMENIAN_ENDINGS = ("ում", "ի", "ից", "ը", "ն", "ով", "ին", "ումը", "ից", "ու", "ա")
_TURKIC_ENDINGS = ("da", "de", "ta", "te", "dan", "den", "tan", "ten", "a", "e", "ya", "ye", "ye", "i", "u", "yi", "yu",
                   "nin", "nun", "in", "un", "daki", "deki", "li", "lu", "ni", "nu", "dir", "dur", "la", "le", "ya",
                   "yla", "yle", "lar", "ler", "liler", "lilar")
_GERMAN_ENDINGS = ("s", "es")


def inflected(name: str, lang: str) -> list[str]:
    """Inflected forms of a name in its language (folded), without the name itself."""
    folded = fold_text(name).strip()
    if not folded or " " in folded and lang not in ("hy", "ru", "uk"):
        return []
    language = primary_language(lang)
    script = script_of(name)
    forms: list[str] = []
    if script == "Cyrl":
        stem = folded[:-1] if folded[-1] in _CYRILLIC_STEM_VOWELS else folded
        forms += [stem + ending for ending in _CYRILLIC_ENDINGS]
    elif script == "Armn":
        forms += [folded + ending for ending in _ARMENIAN_ENDINGS]
    elif script == "Latn" and language in ("az", "tr", "crh", "tk"):
        if folded[-1] in "aeiou":
            forms += [folded + ending for ending in _TURKIC_ENDINGS if ending[0] in "ydtnl"]
            forms += [folded + "n" + ending for ending in ("in", "un", "da", "de", "dan", "den")]
        else:
            forms += [folded + ending for ending in _TURKIC_ENDINGS]
    if script == "Latn" and language == "de" and not folded.endswith("s"):
        forms += [folded + ending for ending in _GERMAN_ENDINGS]
    return [form for form in dict.fromkeys(forms) if form != folded]


# -- mention records -----------------------------------------------------------------------------
TOPONYM, DEMONYM, METONYM = "toponym", "demonym", "metonym"
# A capital or a country standing for its government: the name followed by one of these.
_GOVERNMENT_VERBS = frozenset([
    "said", "says", "rejected", "rejects", "accused", "accuses",
    "announced", "announces", "denied", "denies", "warned", "warns", "claimed", "claims", "insisted", "insists",
    "refused", "refuses", "condemned", "condemns", "demanded", "demands", "urged", "urges", "agreed", "agrees",
    "signed", "signs", "responded", "responds", "recalled", "recalls", "protested", "protests", "threatened",
    "threatens", "wants", "wanted", "hopes", "believes", "considers", "called", "calls", "blamed", "blames",
    "welcomed", "welcomes", "vowed", "vows",
])
_NEXT_WORD = re.compile(r"[\s,]*(?:has\s+|have\s+|had\s+|also\s+|then\s+|now\s+)?([^\W\d_]+)", re.UNICODE)


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    claims: tuple[int, ...]
    weak: bool = False  # every reading is a small base-layer town


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


class Tagger:
    """Finds mentions with one automaton over every claim of a ``NameIndex``."""

    def __init__(self, index: NameIndex, common_words: frozenset[str] = frozenset()) -> None:
        self.index = index
        self.common_words = common_words
        self.entries: list[tuple[int, ...]] = []
        self.entry_length: list[int] = []
        self.case_exact: set[int] = set()  # entries that must match their written form exactly (acronyms)
        self.demonym_entries: set[int] = set()  # entries with a demonym claim
        self.dotted_entries: set[int] = set()  # entries with an abbreviation written with a dot ("Ky.")
        self.entry_weak: list[bool] = []  # every claim's place is a small base-layer town
        self.entry_strong: list[bool] = []  # a claim of a place too important to be a common word
        # One automaton per block of 128 code points of a name's first letter: pyahocorasick looks a
        # letter up among a node's children one by one, and one automaton for every script would give
        # the node after a space thousands of children (every Han character that starts a name).
        self.automata: dict[int, ahocorasick.Automaton] = {}
        self._build()
        self._place_tables()

    def _pattern_claims(self) -> dict[str, list]:
        """Pattern -> [claims, inflected?]; a name that equals another name's inflected form wins."""
        ix = self.index
        patterns: dict[str, list] = {}
        for claim, name in enumerate(ix.c_name):
            place = ix.places[ix.c_place[claim]]
            folded = fold_text(name).strip()
            letters = sum(ch.isalpha() for ch in folded)
            if _dotted(name, ix.c_kind[claim]):  # "Ky.", "N.J.": matched only as a dateline's state
                patterns.setdefault(f" {folded} ", [[], False])[0].append(claim)
                continue
            acronym = name.isupper() and name.isalpha() and len(name) <= 5
            if acronym and not (place.curated or place.kind == "country"):
                continue  # GeoNames carries codes (airports, "CDC", "BBC") that are not names in text
            if letters < 2 or (not place.curated and letters < 4 and not acronym) or folded.isdigit():
                continue
            entry = patterns.setdefault(f" {folded} ", [[], False])
            if entry[1]:
                entry[0], entry[1] = [], False
            entry[0].append(claim)
            if acronym and len(name) > 1:  # U.S., U.K.: the same acronym with dots
                dotted = patterns.setdefault(" " + " ".join(folded) + " ", [[], False])
                dotted[0].append(claim)
            if place.curated or place.population >= 500_000:  # base names: Cyrillic ones only (und-Cyrl)
                for form in inflected(name, ix.c_lang[claim]):
                    entry = patterns.setdefault(f" {form} ", [[], True])
                    if entry[1]:
                        entry[0].append(claim)
        return patterns

    def _build(self) -> None:
        ix = self.index
        for key, (claims, _) in self._pattern_claims().items():
            entry = len(self.entries)
            self.entries.append(tuple(claims))
            self.entry_length.append(len(key))
            names = {ix.c_name[c] for c in claims}
            if all(n.isupper() and n.isalpha() and len(n) <= 5 for n in names):
                self.case_exact.add(entry)
            if any(_dotted(ix.c_name[c], ix.c_kind[c]) for c in claims):
                self.dotted_entries.add(entry)
            if any(ix.c_kind[c] == "demonym" for c in claims):
                self.demonym_entries.add(entry)
            self.entry_weak.append(all(_weak(ix.places[ix.c_place[c]]) for c in claims))
            self.entry_strong.append(any(_strong(ix.places[ix.c_place[c]]) for c in claims))
            block = ord(key[1]) >> 7
            automaton = self.automata.get(block)
            if automaton is None:
                automaton = self.automata[block] = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            automaton.add_word(key, entry)
        for automaton in self.automata.values():
            automaton.make_automaton()

    # -- finding -------------------------------------------------------------------------------
    def candidates(self, text: str, demonyms: bool = False) -> list[Candidate]:
        """Every pattern occurrence that passes the surface checks (case, acronyms, common words);
        demonyms (Armenians, Azerbaijani) only when asked for."""
        ix = self.index
        runs = list(RUN.finditer(text))
        if not runs:
            return []
        words = [m.group() for m in runs]
        # Where each run begins in the automaton's input (a space, then the runs two characters apart).
        offsets = list(accumulate((len(w) + len(_GAP) for w in words[:-1]), initial=1))
        folded = f" {_GAP.join(words).translate(TABLE)} "
        found: list[Candidate] = []
        people: set[str] = set()
        entries, lengths, common = self.entries, self.entry_length, self.common_words
        case_exact, weak, strong = self.case_exact, self.entry_weak, self.entry_strong
        blocks = {ord(char) >> 7 for char in set(folded)}  # mostly {0}: folded Latin text is ASCII
        hits = [hit for block in blocks if block in self.automata for hit in self.automata[block].iter(folded)]
        for end, entry in hits:
            at = end - lengths[entry] + 2  # the pattern's first letter in `folded`
            run = bisect_right(offsets, at) - 1
            start = runs[run].start() + at - offsets[run]
            first = text[start]
            if first.islower() and not "\u10d0" <= first <= "\u10ff":
                continue  # "turkey", "china", "march", "us": names are written with a capital (not in Georgian)
            stop = start + lengths[entry] - 2
            if start and text[start - 1].isalnum():
                continue  # "McDonald": a capital inside a word starts no name
            surface = text[start:stop]
            claims = entries[entry]
            if entry in self.dotted_entries:
                claims, stop = self._dotted_claims(text, start, stop, claims)
                if not claims:
                    continue
                surface = text[start:stop]
            if not demonyms and entry in self.demonym_entries:
                # "Azerbaijani" is a demonym here even if another language names the country so (Swahili)
                peoples = {ix.c_place[c] for c in claims if ix.c_kind[c] == "demonym"}
                claims = tuple(c for c in claims if ix.c_place[c] not in peoples)
                if not claims:
                    continue
            if entry in case_exact:
                if surface.replace(".", "") not in {ix.c_name[c] for c in claims}:
                    continue
                if "." in surface and stop < len(text) and text[stop] == ".":
                    stop += 1  # "U.S." ends with its dot
            elif surface.lower() in common and not strong[entry]:
                # A frequent word ("Police", "March", "Center") that is also a name: only curated
                # places, countries and places of a million people are meant often enough to keep
                # (and when one is, every reading stays for disambiguation: London, Ontario).
                continue
            if weak[entry] and _looks_like_a_person(text, start, stop):
                people.add(surface)
                continue
            if _part_of_another_name(text, stop):
                continue  # "United States Department of Agriculture", "New York Times", "Reston ebolavirus", "US$"
            found.append(Candidate(start, stop, claims, weak[entry]))
        if people:  # "George Bush ... Bush said": once a person, always a person in this text
            found = [c for c in found if not c.weak or text[c.start:c.end] not in people]
        return found

    def _dotted_claims(self, text: str, start: int, stop: int, claims: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
        """An abbreviation with a dot ("Ky.", "N.J.") is a name only as written, dot included, right after
        a comma ("Glasgow, Ky."); elsewhere "Pa." or "Miss." are too often something else. The other
        claims of the pattern stay as they are."""
        ix = self.index
        others = tuple(c for c in claims if not _dotted(ix.c_name[c], ix.c_kind[c]))
        written = text[start:stop + 1]
        before = start
        while before and text[before - 1].isspace():
            before -= 1
        if not written.endswith(".") or not before or text[before - 1] != ",":
            return others, stop
        dotted = tuple(c for c in claims if _dotted(ix.c_name[c], ix.c_kind[c]) and ix.c_name[c] == written)
        return (dotted, stop + 1) if dotted else (others, stop)

    def tag(self, text: str, demonyms: bool = False) -> list[Resolved]:
        spans = _longest(self.candidates(text, demonyms))
        return self._resolve(text, spans)

    # -- choosing the place --------------------------------------------------------------------
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
        self.p_id = [p.id for p in places]
        by_id = self.index.place_by_id
        self.p_region = [by_id.get(p.region, -1) if p.region else -1 for p in places]
        self.p_minor = [p.note == NAMESAKE_NOTE for p in places]
        self._options: dict[tuple[int, ...], tuple[dict[int, int], dict[int, int], frozenset[int]]] = {}
        # Claims that give a former name (Canton for Guangzhou, Smyrna for Izmir, Tacoma for Mount Rainier):
        # a curated place read only through such names has no curated advantage over a base place that
        # bears the name now (it is weighed by its population, as the base place is).
        self.c_former = [kind == "historical" for kind in self.index.c_kind]
        self.p_prior_plain = [self._prior(p, curated=False) for p in places]
        self.p_curated = [p.curated for p in places]
        # A curated place with a negative priority is one whose name usually means something else (Java,
        # a town in South Ossetia): it is read only where the text names a place near it.
        self.p_context_only = [p.curated and p.priority < 0 for p in places]

    def _places_of(self, claims: tuple[int, ...]) -> tuple[dict[int, int], dict[int, int], frozenset[int]]:
        """Place -> its first claim among ``claims``, for the readings and for the small namesakes
        (cached: the same names recur from text to text)."""
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
            # Curated places read only through a former name, where a base place bears the name.
            curated = self.p_curated
            former = frozenset(place for place in places if curated[place]
                               and any(not curated[other] for other in places)
                               and all(self.c_former[c] for c in claims if c_place[c] == place))
            if len(self._options) > 200_000:
                self._options.clear()
            found = self._options[claims] = (places, namesakes, former)
        return found

    def _in_context(self, spans: list[tuple[Candidate, bool]], found: list, options: list[dict[int, int]]) -> tuple:
        """Drop the readings of context-only places (see ``p_context_only``) that no other place named
        unambiguously in the text lies near (its 4-degree cell or the eight around it); a span left with
        no reading is dropped."""
        cells, context_only = self.p_cell, self.p_context_only
        anchors = {cells[place] for places in options if len(places) == 1
                   for place in places if not context_only[place]}
        near = {(row + dr, col + dc) for row, col in anchors for dr in (-1, 0, 1) for dc in (-1, 0, 1)}
        kept: tuple[list, list, list] = ([], [], [])
        for span, option, places in zip(spans, found, options, strict=True):
            places = {p: c for p, c in places.items() if not context_only[p] or cells[p] in near}
            if places:
                kept[0].append(span)
                kept[1].append(option)
                kept[2].append(places)
        return kept

    @staticmethod
    def _after_comma(text: str, spans: list[tuple[Candidate, bool]]) -> dict[int, int]:
        """Span position -> the position of the name that follows it after a comma ("Atlanta, Georgia"),
        among the names not nested in another."""
        outer = [k for k, (_, nested) in enumerate(spans) if not nested]
        return {k: j for k, j in zip(outer, outer[1:], strict=False)
                if _COMMA.fullmatch(text, spans[k][0].end, spans[j][0].start)}

    def _resolve(self, text: str, spans: list[tuple[Candidate, bool]]) -> list[Resolved]:
        ix = self.index
        prior, cells, country_of, area, is_country = self.p_prior, self.p_cell, self.p_country, self.p_area, \
            self.p_is_country
        is_region, region_of = self.p_is_region, self.p_region
        found = [self._places_of(candidate.claims) for candidate, _ in spans]
        options = [places for places, _, _ in found]
        plain = self.p_prior_plain
        if any(self.p_context_only[place] for places in options for place in places):
            spans, found, options = self._in_context(spans, found, options)
        # Context: countries named in the text, and places that are unambiguous.
        focus: Counter[str] = Counter()
        divisions: dict[str, set[tuple[int, ...]]] = {}  # country -> names (claims) only in it, read as a region
        anchor_cells = set()
        local_cells = set()  # of the unambiguous places other than countries
        ambiguous = False
        for (candidate, _), places in zip(spans, options, strict=True):
            ambiguous = ambiguous or len(places) > 1
            if len(places) == 1:
                place = next(iter(places))
                anchor_cells.add(cells[place])
                if not is_country[place]:
                    local_cells.add(cells[place])
                country = country_of[place]
                if country:
                    focus[country] += 1
                    if is_region[place]:
                        divisions.setdefault(country, set()).add(candidate.claims)
            elif any(is_region[place] for place in places) and len({country_of[place] for place in places}) == 1:
                # "Oklahoma": the state or its city, in the same country either way
                divisions.setdefault(country_of[next(iter(places))] or "", set()).add(candidate.claims)
            for place in places:
                country = country_of[place]
                if is_country[place] and country:
                    focus[country] += 1
        # Places near an unambiguous one: within the 3x3 block of 4-degree cells around it.
        near_anchors = {(row + dr, col + dc) for row, col in anchor_cells for dr in (-1, 0, 1) for dc in (-1, 0, 1)} \
            if ambiguous else set()
        if local_cells:  # a small namesake is a reading only in the cell of a place named unambiguously
            for k, (_, namesakes, _) in enumerate(found):
                near = {place: claim for place, claim in namesakes.items() if cells[place] in local_cells}
                if near:
                    options[k] = {**options[k], **near}  # the readings left by _in_context, and the namesakes
        bonus = {country: 1.0 + min(count, 5) * 0.2 for country, count in focus.items()}
        results: list[Resolved] = []
        previous_country = None
        ids = self.p_id
        after_comma = self._after_comma(text, spans)
        follows_comma = set(after_comma.values())
        # "Columbia, Missouri", "COLUMBIA, Ky.": an ambiguous name followed by one that can be a region
        regions_after: dict[int, set[int]] = {}
        for k, j in after_comma.items():
            regions = {place for place in options[j] if is_region[place]} if len(options[k]) > 1 else set()
            if regions:
                regions_after[k] = regions
        for k, ((candidate, nested), places) in enumerate(zip(spans, options, strict=True)):
            # "Atlanta, Georgia": a region or country right after a place, set off by a comma, is the
            # one that place lies in.
            within = previous_country if k in follows_comma else None
            if len(places) == 1:
                (best_place, best_claim), = places.items()
                country = country_of[best_place]
                best_score = prior[best_place] + bonus.get(country or "", 0.0) \
                    + (3.0 if within and country == within and area[best_place] else 0.0)
                alternatives = []
            else:
                scored = []
                read_as_country = {country_of[place] for place in places if is_country[place]} if divisions else set()
                former = found[k][2]
                for place, claim in places.items():
                    country = country_of[place]
                    score = (plain[place] if place in former else prior[place]) + bonus.get(country or "", 0.0)
                    if divisions and is_region[place] and country not in read_as_country:
                        # "states including Georgia, Oklahoma, Pennsylvania": other regions of the same
                        # country named in the text (but "Mexico" among Mexican states stays the country)
                        others = divisions.get(country or "", set())
                        score += _SIBLING * min(len(others) - (candidate.claims in others), 2)
                    if within and country == within and area[place]:
                        score += 3.0
                    if k in regions_after and region_of[place] in regions_after[k]:
                        score += 3.0  # "Columbia, Missouri", "COLUMBIA, Ky.": the town in the region named next
                    if cells[place] in near_anchors:
                        score += 0.8
                    scored.append((score, place, claim))
                scored.sort(key=lambda item: (-item[0], ids[item[1]]))
                best_score, best_place, best_claim = scored[0]
                alternatives = [(p, round(s, 3)) for s, p, _ in scored[1:6]]
            if not nested:
                previous_country = country_of[best_place]
            mention = Resolved(candidate.start, candidate.end, best_place, best_claim, round(best_score, 3),
                               alternatives, nested, claims=candidate.claims)
            if ix.c_kind[best_claim] == "demonym":
                mention.mention_type = DEMONYM
            elif _is_metonym(text, candidate.end, ix.places[best_place]):
                mention.mention_type = METONYM
            results.append(mention)
        return results


def _dotted(name: str, kind: str) -> bool:
    return kind == "short" and name.endswith(".") and len(name) <= 6


_SIBLING = 1.5  # per other region of the same country named in the text, up to two
_COMMA = re.compile(r"\s*,\s*")  # "Atlanta, Georgia"


def _cell(place: PlaceEntry) -> tuple[int, int]:
    """The 4-degree cell of a place's point (about 450 km north-south)."""
    return int(place.lat // 4), int(place.lon // 4)


_TITLES = frozenset(["mr", "mrs", "ms", "dr", "prof", "sir", "president", "minister", "senator", "governor", "gen",
                     "general", "judge", "lord", "lady", "saint", "st", "captain", "capt", "rev", "father", "sister",
                     "brother", "king", "queen", "prince", "princess"])
_PREVIOUS_WORD = re.compile(r"\s+\.?([^\W\d_]+)")  # read backwards: the word before a name, reversed
_FOLLOWING = re.compile(r"\s+([^\W\d_]+)")
_PLACE_WORDS = frozenset(["village", "city", "town", "county", "province", "state", "district", "region", "republic",
                          "island", "islands", "lake", "mount", "port", "fort", "camp", "valley", "capital"])
_PERSON_VERBS = frozenset(["said", "says", "told", "added", "explained", "wrote", "noted"])


def _weak(place: PlaceEntry) -> bool:
    """A small base-layer town: its name is as likely a person's or a thing's."""
    return not place.curated and place.kind == "settlement" and place.population < 1_000_000


def _looks_like_a_person(text: str, start: int, stop: int) -> bool:
    """"Benjamin Franklin", "Dr Evans", "Anderson said": a capitalized word or a title before it, or a
    verb of saying after it."""
    window = text[max(0, start - 40):start][::-1]
    before = _PREVIOUS_WORD.match(window)
    if before:
        word = before.group(1)[::-1]
        if word.lower() in _TITLES:
            return True
        if word.lower() in _PLACE_WORDS:
            return False  # "Children's Village Malakal", "Camp Dadaab"
        if "." in before.group(0) and len(word) > 1:
            return False  # "Maine. COLUMBIA": a sentence ended (an initial, "A. Cordova", does not end one)
        sentence_start = window[before.end():].lstrip()[:1] in (".", "!", "?", "\"", "“", "")
        if word[:1].isupper() and not sentence_start and (not word.isupper() or len(word) == 1):  # "Jose A. Cordova"
            return True
    after = _FOLLOWING.match(text, stop)
    return after is not None and after.group(1).lower() in _PERSON_VERBS


# A place name followed by one of these is part of the name of an organisation, a publication or a
# disease, not a place mention (English only, measured on the development set).
_NAME_HEADS = frozenset([
    "times", "post", "journal", "herald", "tribune", "gazette", "daily", "institute", "agency", "airlines", "airways",
    "corporation", "inc", "navy", "senate", "virus", "ebolavirus", "fever", "flu", "disease", "syndrome", "strain",
    "stock", "exchange", "hemorrhagic", "haemorrhagic", "presse", "public", "red", "elementary", "school", "university",
    "postal", "science",
])
# Each is kept only where it removed more false mentions than true ones on the development set: not
# "Hospital", "Fire", "Regional", "Department", "Council", "Army", "College" (the gold corpora tag "Texas"
# in "Texas Department of ...").
_NEXT_CAPITALIZED = re.compile(r"(?:[ \t]+|-)([^\W\d_]+)")  # "Agence France-Presse"


def _part_of_another_name(text: str, stop: int) -> bool:
    if text[stop:stop + 1] == "$":
        return True
    following = _NEXT_CAPITALIZED.match(text, stop)
    return following is not None and following.group(1).lower() in _NAME_HEADS


def _strong(place: PlaceEntry) -> bool:
    return place.curated or place.kind in ("country", "continent") or place.population >= 1_000_000


def _is_metonym(text: str, end: int, place: PlaceEntry) -> bool:
    if not (place.kind == "country" or place.kind == "settlement" and (place.population >= 100_000 or place.curated)):
        return False
    match = _NEXT_WORD.match(text, end)
    return match is not None and match.group(1).lower() in _GOVERNMENT_VERBS


def _longest(candidates: Iterable[Candidate]) -> list[tuple[Candidate, bool]]:
    """Leftmost-longest spans; a span inside a longer one is kept, marked nested."""
    by_span: dict[tuple[int, int], Candidate] = {}
    for c in candidates:
        kept = by_span.get((c.start, c.end))
        if kept is None:
            by_span[(c.start, c.end)] = c
        else:
            kept.claims = tuple(dict.fromkeys(kept.claims + c.claims))
    ordered = sorted(by_span.values(), key=lambda c: (c.start, -(c.end - c.start)))
    out: list[tuple[Candidate, bool]] = []
    outer_end = -1
    last_outer: Candidate | None = None
    for c in ordered:
        if last_outer is not None and c.start < outer_end:
            if c.end <= outer_end:
                out.append((c, True))  # nested: Karabakh inside Nagorno-Karabakh
            continue  # crossing another span: the earlier, longer one wins
        out.append((c, False))
        last_outer, outer_end = c, c.end
    return out
