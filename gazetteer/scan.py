"""Reading a text's characters: the folding table, the runs a name can be in, and the stretches of
scripts written without spaces.

The table folds letters (case and diacritics) character for character, so an offset in a folded run is
an offset in the text; every character that is not a letter, digit or combining mark becomes a space.
"""

from __future__ import annotations

import re
import unicodedata

from .normalize import fold

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


START, LETTER = _class(_starts_a_name), _class(_in_a_word)
CONNECTORS = ("of|the|de|del|della|di|da|do|dos|das|du|des|la|le|les|los|las|el|al|and|y|e|et|i|on|upon|am|an|"
               "der|den|im|in|na|sur|en|es|van|von|zu|bin|ibn|ben|au|aux|under|ul|ad|a|d|l|"
               "nad|pod|του|της|των")  # (Ústí nad Labem; Greek Λωρίδα της Γάζας, Υψίπεδα του Γκολάν)
_WORD = f"[{START}][{LETTER}]*(?:[-'’.][{LETTER}]+)*"
RUN = re.compile(f"{_WORD}(?:[^{LETTER}]{{1,3}}(?:(?:{CONNECTORS})[^{LETTER}]{{1,3}})*{_WORD})*")
GAP = "\n\n"  # between runs in the automaton's input: two spaces once folded, inside no pattern


CONNECTOR_WORDS = frozenset(CONNECTORS.split("|"))
TOKEN = re.compile(f"[{LETTER}]+(?:[-'’][{LETTER}]+)*")  # a word of a run, hyphenated parts included
NEXT_WORD = re.compile(f"[ \t]+([{LETTER}]+)")  # the word after a position, one space or tab away
PREVIOUS_WORD = NEXT_WORD  # the same pattern, read on the reversed text: the word before a position

# Scripts written without spaces between words: a name is found wherever its letters are (the longest
# name wins where two overlap), not only between spaces. Thai, Lao, Myanmar, Khmer, kana and Han.
SPACELESS_RANGES = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf" \
    "\u4e00-\u9fff\uf900-\ufaff"
SPACELESS = re.compile(f"[{SPACELESS_RANGES}]+")
KATAKANA = re.compile("[\u30a0-\u30ff\u31f0-\u31ff]+")


def spaceless(name: str) -> bool:
    """Whether a name is written only in scripts without spaces between words."""
    return bool(SPACELESS.fullmatch(name))


def sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence: nothing but space since the text's start or a full stop,
    question or exclamation mark, opening quote or colon."""
    before = text[max(0, start - 40):start].rstrip()
    return not before or before[-1] in ".!?\"“:"
