"""The tagger's rules, each a small named unit that ``gazetteer evaluate --ablate`` can switch off.

``RULES`` lists them in pipeline order with the stage each belongs to: *find* (where a name can be),
*filter* (a match that is not a place mention), *resolve* (which place a name means) and *record* (what
kind of mention it is). The surface tests of the filter and record stages live here as functions of the
text and a span; the find and resolve rules live in ``tagger`` beside the data they need.
"""

from __future__ import annotations

import re

from .scan import NEXT_WORD, PREVIOUS_WORD, sentence_start

RULES: dict[str, str] = {
    # find
    "spaceless-scripts": "find: names in Chinese, Japanese and Thai text, where words are not separated by spaces",
    "clitics": "find: a name with a Hebrew or Arabic prefix or a Korean particle attached (בתל אביב, والموصل, 서울에서)",
    "inflection": "find: a name in a case form of the text's language (w Krakowie, της Θεσσαλονίκης, Києва)",
    "lower-case-words": "find: whole names with lower-case words (the Lachin corridor, la mer de Chine méridionale)",
    "listed-kinds": "find: names listed before a plural kind word are each of that kind (Hillsborough and Pasco counties)",
    # filter
    "capitals-only": "filter: in a cased script a name starts with a capital, unless written as the gazetteer writes it",
    "common-words": "filter: a weak name that is one of the 3,000 most frequent words of the text's language "
                    "(10,000 in a script without capitals, for small towns where the language is not spoken)",
    "english-towns": "filter: a frequent English word that is a large English-speaking town's own name, capitalized alone "
                     "in running text, is the town (officials in Boston, a Mobile man; not Independence Day)",
    "language-bound": "filter: a country's or city's name taken from CLDR for other languages than the text's (Albanian Siri)",
    "phrase-names": "filter: a base-layer alternate name made only of frequent English words (White House for Casablanca)",
    "people": "filter: a weak name after a title or a capitalized word, or before a verb of saying",
    "given-names": "filter: a given name followed by a capitalized surname (Chad Smith, Florence Pugh, Vladimir Putin)",
    "hyphen-compounds": "filter: a weak name joined by a hyphen to a capitalized word that names nothing (Kerry-Ann)",
    "organisations": "filter: a name followed by the head of an organisation or publication name (New York Times)",
    "inside-names": "filter: a name between another capitalized word and an organisation head (OSCE Minsk Group)",
    "feature-names": "filter: a name inside a lake's, river's, mountain's, fort's or airport's name (Lake Superior, "
                     "Jordan River, Mount Kenya, Gulf of Aden) names that feature, not the place",
    # resolve
    "context-only": "resolve: a place whose name usually means something else needs a neighbour named in the text",
    "alternate-names": "resolve: a small town read only by a GeoNames alternate name needs its country or a place "
                       "near it named in the text (Hamas, a GeoNames name of Hamm, in news about Gaza)",
    "country-focus": "resolve: readings in the countries the text names weigh more",
    "enumerated-regions": "resolve: a name listed beside regions of one country is a region of it, and one listed "
                          "beside districts of one region a district of it (Bucks County and Montgomery County)",
    "listed-places": "resolve: towns listed together lie near each other (Melbourne and Victoria; New York and Toronto)",
    "place-then-region": "resolve: 'Atlanta, Georgia': the town in the region or country named after the comma",
    "one-sense": "resolve: a name settled by its region ('Paris, Tenn.') keeps that reading in the whole text",
    "region-focus": "resolve: towns and counties in a first-level division the text names unambiguously weigh more",
    "kind-words": "resolve: 'Washington state', 'the city of Kiev', 'Kiev region': the reading of the kind named",
    "near-anchors": "resolve: readings near a place named unambiguously weigh more",
    "namesakes": "resolve: a small namesake is a reading only near a place named unambiguously or in its region",
    "former-names": "resolve: a place read through a former or other name weighs no more than a town named so (Canton, "
                    "Venice), and a division no more than a town of its name with twice its people (Manchester)",
    "capitals": "resolve: a country's capital is the likelier reading of its name (Washington, Kiev), not of a former "
                "name (Philadelphia, Amman's)",
    "accents": "resolve: a name written with accents is likelier the place whose name has them than one read "
               "only through a spelling without them (Cancún, not Changchun's GeoNames name 'Cancun')",
    # record
    "metonyms": "record: a capital or country followed by a verb of saying stands for its government",
}

# -- people --------------------------------------------------------------------------------------
_TITLES = frozenset(["mr", "mrs", "ms", "dr", "prof", "sir", "president", "minister", "senator", "governor", "gen",
                     "general", "judge", "lord", "lady", "saint", "st", "captain", "capt", "rev", "father", "sister",
                     "brother", "king", "queen", "prince", "princess"])
_PERSON_TITLES = _TITLES - {"saint", "st"}
_PREVIOUS_WORD = re.compile(r"\s+\.?([^\W\d_]+)")  # read backwards: the word before a name, reversed
_FOLLOWING = re.compile(r"\s+([^\W\d_]+)")
# Words that make a capitalized sequence a place's or a thing's name rather than a person's.
PLACE_WORDS = frozenset(["village", "city", "town", "county", "province", "state", "district", "region", "republic",
                         "island", "islands", "lake", "mount", "port", "fort", "camp", "valley", "capital", "river",
                         "sea", "gulf", "bay", "basin", "coast", "beach", "border", "strait", "mountains", "desert",
                         "peninsula", "airport", "station", "street", "road", "square", "bridge", "park", "falls",
                         "heights", "hills", "plain", "delta", "oblast", "corridor", "parish", "borough", "area"])
_PERSON_VERBS = frozenset(["said", "says", "told", "added", "explained", "wrote", "noted"])
# Prepositions of place: a name right after one is where something is, not who speaks.
_LOCATIVES = frozenset(["in", "at", "from", "near", "across", "throughout", "outside", "inside"])


def looks_like_a_person(text: str, start: int, stop: int) -> bool:
    """"Benjamin Franklin", "Dr Evans", "Anderson said": a capitalized word or a title before it, or a
    verb of saying after it."""
    window = text[max(0, start - 40):start][::-1]
    before = _PREVIOUS_WORD.match(window)
    if before:
        word = before.group(1)[::-1]
        if word.lower() in _TITLES:
            return True
        if word.lower() in PLACE_WORDS or word.lower() in _LOCATIVES:
            return False  # "Children's Village Malakal", "Camp Dadaab", "police in Fife said"
        if "." in before.group(0) and len(word) > 1:
            return False  # "Maine. COLUMBIA": a sentence ended (an initial, "A. Cordova", does not end one)
        sentence_start = window[before.end():].lstrip()[:1] in (".", "!", "?", "\"", "“", "")
        if word[:1].isupper() and not sentence_start and (not word.isupper() or len(word) == 1):  # "Jose A. Cordova"
            return True
    after = _FOLLOWING.match(text, stop)
    return after is not None and after.group(1).lower() in _PERSON_VERBS


_WORD_BEFORE_HYPHEN = re.compile(r"-([^\W\d_]+)")  # read backwards
_WORD_AFTER_HYPHEN = re.compile(r"-([^\W\d_]+)")


def hyphen_joined(text: str, start: int, stop: int, named: set[int]) -> bool:
    """"Kerry-Ann Hamilton", "Navarro-Valls": the name is joined by a hyphen to a capitalized word of three
    letters or more that is no name of the gazetteer (``named``: where the text's matched names start and
    end), so the compound is one word: a person's or a thing's name. "Russia-Ukraine" (both names) and
    "Paris-based" (lower case) stay."""
    if text[stop:stop + 1] != "-" and text[start - 1:start] != "-":
        return False  # the common case: no hyphen on either side
    after = _WORD_AFTER_HYPHEN.match(text, stop)
    if after is not None and _capitalized(after.group(1)) and len(after.group(1)) >= 3 and after.start(1) not in named:
        return True
    before = _WORD_BEFORE_HYPHEN.match(text[max(0, start - 40):start][::-1])
    if before is None:
        return False
    word = before.group(1)[::-1]
    return _capitalized(word) and len(word) >= 3 and start - 1 not in named


def _capitalized(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def given_name_and_surname(text: str, start: int, stop: int, given: frozenset[str]) -> bool:
    """"Chad Smith said", "Florence Pugh", "Victoria Beckham": the name is a given name that starts a
    capitalized pair, the second word of which is not a word of places or organisations."""
    if text[start:stop].lower() not in given or text[start:stop].isupper():
        return False
    after = NEXT_WORD.match(text, stop)
    if after is None or not _capitalized(after.group(1)):
        return False
    following = after.group(1).lower()
    if following in PLACE_WORDS or following in NAME_HEADS or following in ORGANISATION_HEADS:
        return False
    before = PREVIOUS_WORD.match(text[max(0, start - 40):start][::-1])
    if before is None or not before.group(1)[::-1][:1].isupper():
        return True
    # "Lake Victoria Beckham" is not a person's name; a capitalized word that starts a sentence is no part of it,
    # nor a title ("Prime Minister Giorgia Meloni", "Senator Chad Smith"; not "Saint Helena Island")
    return sentence_start(text, start - len(before.group(0))) or before.group(1)[::-1].lower() in _PERSON_TITLES


# -- organisations -------------------------------------------------------------------------------
# A place name followed by one of these is part of the name of an organisation, a publication or a
# disease, not a place mention (English only, measured on the development set).
NAME_HEADS = frozenset([
    "times", "post", "journal", "herald", "tribune", "gazette", "daily", "institute", "agency", "airlines", "airways",
    "corporation", "inc", "navy", "senate", "virus", "ebolavirus", "fever", "flu", "disease", "syndrome", "strain",
    "stock", "exchange", "hemorrhagic", "haemorrhagic", "presse", "public", "red", "elementary", "school", "university",
    "postal", "science",
])
DISEASE_HEADS = frozenset(["virus", "ebolavirus", "fever", "flu", "disease", "syndrome", "strain", "hemorrhagic",
                           "haemorrhagic"])
# Each is kept only where it removed more false mentions than true ones on the development set: not
# "Hospital", "Fire", "Regional", "Department", "Council", "Army", "College" (the gold corpora tag "Texas"
# in "Texas Department of ...").
_SAINT = re.compile(r"(?:St\.?|Saint|Ste\.?|Sainte) ")
_NEXT_CAPITALIZED = re.compile(r"(?:[ \t]+|-)([^\W\d_]+)")  # "Agence France-Presse"
# Heads of the names of groups, meetings and bodies: a place name inside such a name ("OSCE Minsk
# Group"), after another capitalized word, names the body, not the place.
ORGANISATION_HEADS = frozenset(["group", "committee", "commission", "council", "conference", "process", "format",
                                "forum", "club", "party", "foundation", "association", "union", "federation",
                                "movement", "initiative", "company", "bank", "fund", "trust", "society", "league",
                                "alliance", "coalition", "front", "brigade", "battalion", "regiment", "summit"])


def part_of_another_name(text: str, stop: int, start: int = -1) -> bool:
    """"New York Times", "Reston ebolavirus", "US$": the name is the start of another kind of name; and a saint's
    name with a possessive is a church's, a hospital's or a school's ("St. Paul's Hospital", "at St. Paul's"; the
    city of St. John's ends with its own 's)."""
    if text[stop:stop + 1] == "$":
        return True
    if start >= 0 and _SAINT.match(text, start) and text.startswith(("'s", "’s"), stop):
        return True
    following = _NEXT_CAPITALIZED.match(text, stop)
    if following is None or (head := following.group(1)).lower() not in NAME_HEADS:
        return False
    # a disease's name is written with its head in lower case ("Lassa fever", "Reston ebolavirus"); the others are
    # heads only capitalized: "Boston University", but "the Gwinnett County school board" names the county
    return head[:1].isupper() or head.lower() in DISEASE_HEADS


# The same heads in Chinese and Japanese, written right after the name: 中山大学 (a university), 北京日报
# (a newspaper), 上海银行 (a bank).
CJK_NAME_HEADS = ("大学", "大學", "日报", "日報", "新闻", "新聞", "银行", "銀行", "公司", "集团", "集團", "电视台", "電視台",
                  "医院", "醫院", "研究所", "研究院", "委员会", "委員会", "委員會", "新聞社", "株式会社", "航空")


def part_of_another_cjk_name(text: str, stop: int) -> bool:
    return text.startswith(CJK_NAME_HEADS, stop)


def inside_a_name(text: str, start: int, stop: int) -> bool:
    """"the OSCE Minsk Group": a capitalized word right before (not at a sentence's start) and the head of
    an organisation's name right after."""
    following = _NEXT_CAPITALIZED.match(text, stop)
    if following is None or following.group(1).lower() not in ORGANISATION_HEADS or not following.group(1)[:1].isupper():
        return False
    before = PREVIOUS_WORD.match(text[max(0, start - 40):start][::-1])
    if before is None:
        return False
    word = before.group(1)[::-1]
    return word[:1].isupper() and word.lower() not in PLACE_WORDS and word.lower() != "the" \
        and not sentence_start(text, start - len(before.group(0)))


# -- running text --------------------------------------------------------------------------------
_CONNECTING = frozenset(["of", "the", "and", "de"])


def in_running_text(text: str, start: int, stop: int) -> bool:
    """Whether a capitalized word stands alone in running text: after a lower-case word ("officials in Boston",
    "a Mobile man"), not after a capitalized phrase's "of" ("Declaration of Independence"), and not before another
    capitalized word ("Boston Globe", "Independence Day"), so that its capital is a name's, not a headline's or a
    title's."""
    window = text[max(0, start - 60):start][::-1]
    before = PREVIOUS_WORD.match(window)
    if before is None or not before.group(1).islower() or sentence_start(text, start - len(before.group(0))):
        return False
    if before.group(1)[::-1] in _CONNECTING:
        further = PREVIOUS_WORD.match(window, before.end())
        if further is not None and not further.group(1).islower() \
                and not sentence_start(text, start - len(before.group(0)) - len(further.group(0))):
            return False
    after = _NEXT_CAPITALIZED.match(text, stop)
    return after is None or not after.group(1)[:1].isupper()


def a_surname_in_the_text(text: str, surface: str, given: frozenset[str], frequent: frozenset[str]) -> bool:
    """Whether the text writes ``surface`` after a capitalized given name somewhere ("Lamar Jackson ... praised
    Jackson"): then it is a person's surname there, and alone it is the same person's. A given name that is also a
    ``frequent`` word ("In", "Will", "Michael") counts only mid-sentence, where its capital is a name's."""
    start = text.find(surface)
    while start >= 0:
        before = PREVIOUS_WORD.match(text[max(0, start - 30):start][::-1])
        if before is not None and (word := before.group(1)[::-1])[:1].isupper() and word.lower() in given \
                and (word.lower() not in frequent or not sentence_start(text, start - len(before.group(0)))):
            return True
        start = text.find(surface, start + 1)
    return False


# -- features ------------------------------------------------------------------------------------
# Capitalized head words of the names of natural features and of structures: a place name right before one ("Jordan
# River", "Vancouver Island", "Dubai Airport", "Oxford Street") is part of the feature's name, which the gazetteer
# does not hold (where it does, as for "Victoria Falls" or "Rhode Island", the longer name is read), and the
# corpora of news toponyms tag the whole name or nothing, never the place inside it.
FEATURE_HEADS = frozenset([
    "River", "Lake", "Mountains", "Mountain", "Valley", "Bay", "Island", "Islands", "Peninsula", "Sea", "Ocean",
    "Desert", "Basin", "Canyon", "Creek", "Falls", "Dam", "Glacier", "Gulf", "Strait", "Canal", "Delta", "Plateau",
    "Range", "Reservoir", "Heights", "Hills", "Airport", "Airbase", "Park", "Highway", "Bridge", "Stadium", "Street",
    "Road", "Avenue", "Square", "Boulevard", "Route",
])
# ... and the words written before the name ("Lake Superior", "Mount Kenya", "Fort Moore", "Cape Cod", "Mt. Hood"),
# or before "of" ("Gulf of Aden", "Bay of Bengal")
_FEATURE_BEFORE = re.compile(r"(?<![\w.])(?:Lake|Mount|Mt\.|Fort|Ft\.|Cape|Port|(?:Gulf|Bay|Sea|Straits?|Lake) of)[ \t]+$")
_FEATURE_AFTER = re.compile(r"(?:-[^\W\d_]+)*[ \t]+([A-Z][a-z]+)\b")  # (after the rest of a hyphenated name)
_OF_A_NAME = re.compile(r"[ \t]+of[ \t]+[A-Z]")
# A road's number after a country's initials ("U.S. 41", "US 1"), not an amount ("$US 15 billion", "US 1.5")
_ROUTE_NUMBER = re.compile(r"[ \t]+\d{1,3}\b(?![.,]\d)(?![ \t]+(?:billion|million|trillion|thousand|percent|per)\b)")
_COUNTRY_INITIALS = re.compile(r"(?:[A-Z]\.?){2,3}")  # "US", "U.S."


def part_of_a_feature_name(text: str, start: int, stop: int) -> bool:
    """"Lake Superior", "the Jordan River", "Mount Kenya", "Gulf of Aden": the name is the specific part of a
    feature's name (its head word, capitalized, before or after it); and a head word read as a name ("Gulf", a
    province of Papua New Guinea; "Canal") is one in "Gulf of Aden" or "Suez Canal". A country's initials before a
    road's number ("U.S. 41", "US 1") name the road."""
    after = _FEATURE_AFTER.match(text, stop)
    if after is not None and after.group(1) in FEATURE_HEADS:
        return True
    if _COUNTRY_INITIALS.fullmatch(text, start, stop) and text[start - 1:start] != "$" and _ROUTE_NUMBER.match(text, stop):
        return True  # "U.S. 41": a highway
    if _FEATURE_BEFORE.search(text, max(0, start - 16), start) is not None:
        return True
    if text[start:stop] in FEATURE_HEADS:
        if _OF_A_NAME.match(text, stop):
            return True
        before = PREVIOUS_WORD.match(text[max(0, start - 40):start][::-1])
        return before is not None and before.group(1)[::-1][:1].isupper() \
            and not sentence_start(text, start - len(before.group(0)))
    return False


# -- metonyms ------------------------------------------------------------------------------------
# A capital or a country standing for its government: the name followed by one of these.
_GOVERNMENT_VERBS = frozenset([
    "said", "says", "rejected", "rejects", "accused", "accuses",
    "announced", "announces", "denied", "denies", "warned", "warns", "claimed", "claims", "insisted", "insists",
    "refused", "refuses", "condemned", "condemns", "demanded", "demands", "urged", "urges", "agreed", "agrees",
    "signed", "signs", "responded", "responds", "recalled", "recalls", "protested", "protests", "threatened",
    "threatens", "wants", "wanted", "hopes", "believes", "considers", "called", "calls", "blamed", "blames",
    "welcomed", "welcomes", "vowed", "vows",
])
_NEXT_VERB = re.compile(r"[\s,]*(?:has\s+|have\s+|had\s+|also\s+|then\s+|now\s+)?([^\W\d_]+)", re.UNICODE)


def followed_by_a_government_verb(text: str, end: int) -> bool:
    match = _NEXT_VERB.match(text, end)
    return match is not None and match.group(1).lower() in _GOVERNMENT_VERBS
