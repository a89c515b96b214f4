"""One normalization for indexing and querying: the key two spellings share when they differ only
in case, diacritics, special letters (ə ı ş ç ğ ö ü ñ ł ...), apostrophes, hyphens, dashes or spaces."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Bump when fold() or cross_key() change: the keys stored in a database are then rebuilt.
KEYS_VERSION = "1"

# Letters that carry no combining mark under NFKD but are folded by readers all the same.
_SPECIAL = str.maketrans({
    "ı": "i", "ə": "e", "ǝ": "e", "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ŀ": "l",
    "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ĸ": "k", "ŋ": "n", "ɨ": "i", "ʼ": "'",
})
# Apostrophe-like marks (ʻ ’ ‘ ` ´ ′ ʹ ʿ ʾ) become one apostrophe; hyphen- and dash-like marks and
# every kind of space become a single space.
_APOSTROPHES = re.compile(r"[\u2018\u2019\u201b\u0060\u00b4\u2032\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u055a]")
_SEPARATORS = re.compile(r"[\s\-\u00ad\u058a\u05be\u2010-\u2015\u2212\u30fb\u00b7\uff0d\u2e3a\u2e3b_]+")


def _strip_marks(text: str) -> str:
    """Drop combining marks that sit on Latin, Greek or Cyrillic letters.

    Marks in other scripts (Devanagari vowel signs, Hebrew points, Armenian) carry meaning and stay.
    """
    out: list[str] = []
    base_is_foldable = False
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            if base_is_foldable:
                continue
        else:
            code = ord(char)
            base_is_foldable = code < 0x0530 or 0x1E00 <= code <= 0x1FFF
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def fold(text: str) -> str:
    """Return the comparison key of a name: ``fold("Xankəndi") == fold("XANKENDI")``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _strip_marks(text).translate(_SPECIAL)
    text = _APOSTROPHES.sub("'", text)
    return _SEPARATORS.sub(" ", text).strip()


# Armenian ու is "u", not the letter-by-letter "ow".
_ARMENIAN_U = re.compile("\u0578\u0582")
# Romanization conventions that differ between schemes (x/kh, ş/sh/sch, ç/ch/tsch, ğ/gh, ж/zh/j, дж/dzh/j),
# applied in this order to the transliterated, lower-case ASCII text so that the spellings of one
# name meet; then doubled letters are written once.
_ROMANIZATION = (("tsch", "c"), ("sch", "s"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "x"), ("gh", "g"),
                 ("sh", "s"), ("ch", "c"), ("ph", "f"), ("w", "v"))
_DOUBLED = re.compile(r"([a-z])\1+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def cross_key(folded: str) -> str:
    """The cross-script key of an already folded name: Latin letters only, romanization unified.

    ``cross_key(fold("Ստեփանակերտ")) == cross_key(fold("Степанакерт")) == "stepanakert"`` and
    ``cross_key(fold("Xankəndi")) == cross_key(fold("Khankendi"))``. Transliteration is done by
    ``anyascii``; spaces, hyphens and apostrophes are dropped. May be empty (emoji, symbols).
    """
    text = folded if folded.isascii() else anyascii(_ARMENIAN_U.sub("u", folded)).lower()
    text = _NOT_ALNUM.sub("", text)
    for old, new in _ROMANIZATION:
        if old in text:
            text = text.replace(old, new)
    return _DOUBLED.sub(r"\1", text)


def keys(name: str) -> tuple[str, str]:
    """Both keys of a name, as used for indexing and for querying: ``(fold(name), cross_key(...))``."""
    folded = fold(name)
    return folded, cross_key(folded)


_SCRIPT_PREFIXES = {
    "LATIN": "Latn", "CYRILLIC": "Cyrl", "ARMENIAN": "Armn", "GEORGIAN": "Geor", "GREEK": "Grek",
    "ARABIC": "Arab", "HEBREW": "Hebr", "DEVANAGARI": "Deva", "BENGALI": "Beng", "THAI": "Thai",
    "HANGUL": "Hang", "CJK": "Hani", "HIRAGANA": "Jpan", "KATAKANA": "Jpan", "ETHIOPIC": "Ethi",
    "TAMIL": "Taml", "GURMUKHI": "Guru", "GUJARATI": "Gujr", "KANNADA": "Knda", "MALAYALAM": "Mlym",
    "TELUGU": "Telu", "SINHALA": "Sinh", "MYANMAR": "Mymr", "KHMER": "Khmr", "LAO": "Laoo",
    "TIBETAN": "Tibt", "ORIYA": "Orya", "SYRIAC": "Syrc", "THAANA": "Thaa", "MONGOLIAN": "Mong",
}


def script_of(text: str) -> str | None:
    """ISO 15924 code of the first letter's script (``Latn``, ``Cyrl``, ``Armn`` ...), or None."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            return _SCRIPT_PREFIXES.get(name.split(" ", 1)[0])
    return None
