"""The tagger: every place mention in a text, linked to the place and to the name variant used.

Matching runs one Aho-Corasick automaton (pyahocorasick) over a copy of the text made by a
character-for-character table (``str.translate``): letters are case- and diacritic-folded and every
character that is not a letter, digit or combining mark becomes a space. The copy has the same length
as the text, so an offset in it is an offset in the original. Every pattern is a name folded by the
same table with a space on each side, so a match always sits on word boundaries in any script, and
"Karabakh's" / "Azerbaijan’s" match the name alone. Inflected forms (Russian, Ukrainian, Armenian,
Azerbaijani, Turkish cases, German genitive) are added as patterns of their own.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

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
    """The text folded character for character (same length): what the automaton reads."""
    return text.translate(TABLE)


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


@dataclass
class Candidate:
    start: int
    end: int
    claims: tuple[int, ...]
    weak: bool = False  # every reading is a small base-layer town


@dataclass
class Resolved:
    start: int
    end: int
    place: int
    claim: int
    score: float
    alternatives: list[tuple[int, float]] = field(default_factory=list)  # (place, score), best first
    nested: bool = False
    mention_type: str = TOPONYM


class Tagger:
    """Finds mentions with one automaton over every claim of a ``NameIndex``."""

    def __init__(self, index: NameIndex, common_words: frozenset[str] = frozenset()) -> None:
        self.index = index
        self.common_words = common_words
        self.entries: list[tuple[int, ...]] = []
        self.entry_length: list[int] = []
        self.case_exact: set[int] = set()  # entries that must match their written form exactly (acronyms)
        self.demonym_entries: set[int] = set()  # entries with a demonym claim
        self.entry_weak: list[bool] = []  # every claim's place is a small base-layer town
        self.entry_strong: set[int] = set()  # claims of places too important to be a common word
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._priors: dict[str, float] = {}
        self._build()

    def _pattern_claims(self) -> dict[str, list]:
        """Pattern -> [claims, inflected?]; a name that equals another name's inflected form wins."""
        ix = self.index
        patterns: dict[str, list] = {}
        for claim, name in enumerate(ix.c_name):
            place = ix.places[ix.c_place[claim]]
            folded = fold_text(name).strip()
            letters = sum(ch.isalpha() for ch in folded)
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
            if any(ix.c_kind[c] == "demonym" for c in claims):
                self.demonym_entries.add(entry)
            self.entry_weak.append(all(_weak(ix.places[ix.c_place[c]]) for c in claims))
            self.entry_strong.update(c for c in claims if _strong(ix.places[ix.c_place[c]]))
            self.automaton.add_word(key, entry)
        self.automaton.make_automaton()

    # -- finding -------------------------------------------------------------------------------
    def candidates(self, text: str, demonyms: bool = False) -> list[Candidate]:
        """Every pattern occurrence that passes the surface checks (case, acronyms, common words);
        demonyms (Armenians, Azerbaijani) only when asked for."""
        ix = self.index
        folded = f" {fold_text(text)} "
        found: list[Candidate] = []
        people: set[str] = set()
        entries, lengths, common = self.entries, self.entry_length, self.common_words
        case_exact, weak, strong_claims = self.case_exact, self.entry_weak, self.entry_strong
        for end, entry in self.automaton.iter(folded):
            start = end - lengths[entry] + 1  # the leading space in `folded` is text[start - 1]
            first = text[start]
            if first.islower() and not "\u10d0" <= first <= "\u10ff":
                continue  # "turkey", "china", "march", "us": names are written with a capital (not in Georgian)
            stop = end - 1
            surface = text[start:stop]
            claims = entries[entry]
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
            elif surface.lower() in common and not any(c in strong_claims for c in claims):
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

    def tag(self, text: str, demonyms: bool = False) -> list[Resolved]:
        spans = _longest(self.candidates(text, demonyms))
        return self._resolve(text, spans)

    # -- choosing the place --------------------------------------------------------------------
    def _prior(self, place: PlaceEntry) -> float:
        score = self._priors.get(place.id)
        if score is None:
            score = 3.0 + place.priority / 10 if place.curated else 2.0 * math.log10(place.population + 10) / 7
            if place.kind in ("country", "continent"):
                score += 1.5
            elif place.kind == "region":
                score += 0.75
            self._priors[place.id] = score
        return score

    def _resolve(self, text: str, spans: list[tuple[Candidate, bool]]) -> list[Resolved]:
        ix = self.index
        options: list[dict[int, int]] = []  # per span: place -> best claim
        for candidate, _ in spans:
            places: dict[int, int] = {}
            for claim in candidate.claims:
                places.setdefault(ix.c_place[claim], claim)
            options.append(places)
        # Context: countries named in the text, and places that are unambiguous.
        focus: Counter[str] = Counter()
        anchors: list[PlaceEntry] = []
        for places in options:
            if len(places) == 1:
                place = ix.places[next(iter(places))]
                anchors.append(place)
                if place.country:
                    focus[place.country] += 1
            for place_index in places:
                place = ix.places[place_index]
                if place.kind == "country" and place.country:
                    focus[place.country] += 1
        # Places near an unambiguous one: within the 3x3 block of 4-degree cells around it.
        near_anchors = {(row + dr, col + dc) for row, col in map(_cell, anchors) for dr in (-1, 0, 1) for dc in (-1, 0, 1)}
        results: list[Resolved] = []
        previous: tuple[Candidate, PlaceEntry] | None = None
        for (candidate, nested), places in zip(spans, options, strict=True):
            # "Atlanta, Georgia": a region or country right after a place, set off by a comma, is the
            # one that place lies in.
            within = None
            if previous is not None and text[previous[0].end:candidate.start].strip() == ",":
                within = previous[1].country
            scored = []
            for place_index, claim in places.items():
                place = ix.places[place_index]
                score = self._prior(place)
                if within and place.country == within and place.kind in ("region", "country"):
                    score += 3.0
                if place.country and focus[place.country]:
                    score += 1.0 + min(focus[place.country], 5) * 0.2
                if len(places) > 1 and _cell(place) in near_anchors:
                    score += 0.8
                scored.append((score, place_index, claim))
            scored.sort(key=lambda item: (-item[0], ix.places[item[1]].id))
            best_score, best_place, best_claim = scored[0]
            if not nested:
                previous = (candidate, ix.places[best_place])
            mention = Resolved(candidate.start, candidate.end, best_place, best_claim, round(best_score, 3),
                               [(p, round(s, 3)) for s, p, _ in scored[1:6]], nested)
            if ix.c_kind[best_claim] == "demonym":
                mention.mention_type = DEMONYM
            elif _is_metonym(text, candidate.end, ix.places[best_place]):
                mention.mention_type = METONYM
            results.append(mention)
        return results


def _cell(place: PlaceEntry) -> tuple[int, int]:
    """The 4-degree cell of a place's point (about 450 km north-south)."""
    return int(place.lat // 4), int(place.lon // 4)


_TITLES = frozenset(["mr", "mrs", "ms", "dr", "prof", "sir", "president", "minister", "senator", "governor", "gen",
                     "general", "judge", "lord", "lady", "saint", "st", "captain", "capt", "rev", "father", "sister",
                     "brother", "king", "queen", "prince", "princess"])
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)[.]?\s+$")
_FOLLOWING = re.compile(r"\s+([^\W\d_]+)")
_PERSON_VERBS = frozenset(["said", "says", "told", "added", "explained", "wrote", "noted"])


def _weak(place: PlaceEntry) -> bool:
    """A small base-layer town: its name is as likely a person's or a thing's."""
    return not place.curated and place.kind == "settlement" and place.population < 1_000_000


def _looks_like_a_person(text: str, start: int, stop: int) -> bool:
    """"Benjamin Franklin", "Dr Evans", "Anderson said": a capitalized word or a title before it, or a
    verb of saying after it."""
    before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    if before:
        word = before.group(1)
        if word.lower() in _TITLES:
            return True
        sentence_start = before.start() == 0 or text[max(0, before.start() - 2):before.start()].strip()[-1:] in (
            ".", "!", "?", "\"", "“", "")
        if word[:1].isupper() and not sentence_start and not word.isupper():
            return True
    after = _FOLLOWING.match(text, stop)
    return after is not None and after.group(1).lower() in _PERSON_VERBS


# A place name followed by one of these is part of the name of an organisation, a publication or a
# disease, not a place mention (English only, measured on the development set).
_NAME_HEADS = frozenset([
    "times", "post", "journal", "herald", "tribune", "gazette", "daily", "institute", "agency", "airlines", "airways",
    "corporation", "inc", "navy", "senate", "virus", "ebolavirus", "fever", "flu", "disease", "syndrome", "strain",
    "stock", "exchange",
])  # not "Department", "Council", "Army", "College": the gold corpora tag "Texas" in "Texas Department of ..."
_NEXT_CAPITALIZED = re.compile(r"[ \t]+([^\W\d_]+)")


def _part_of_another_name(text: str, stop: int) -> bool:
    if text[stop:stop + 1] == "$":
        return True
    following = _NEXT_CAPITALIZED.match(text, stop)
    return following is not None and following.group(1).lower() in _NAME_HEADS


def _strong(place: PlaceEntry) -> bool:
    return place.curated or place.kind in ("country", "continent") or place.population >= 1_000_000


def _is_metonym(text: str, end: int, place: PlaceEntry) -> bool:
    if place.kind not in ("country", "settlement"):
        return False
    match = _NEXT_WORD.match(text, end)
    return match is not None and match.group(1).lower() in _GOVERNMENT_VERBS and (
        place.kind == "country" or place.population >= 100_000 or place.curated)


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
