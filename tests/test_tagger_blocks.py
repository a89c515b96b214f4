"""A text that mixes scripts is read once (issue 19, item 7).

One letter of each Unicode block appended to a news text once slowed the tagger 10-75x: every block
present added a pass over the whole text (one automaton per block of first letters, until ad5adc4), and
one Hebrew, Arabic or Hangul letter anywhere still sent every run of the text through the clitic rule.
``Tagger.scanned`` counts the characters each pass of the
tagger's find stage is given (the folded runs, the stretches of scripts without spaces, the runs whose
words are tried without clitics or in a case form). These tests hold, by those counts and not by the
clock, that each pass reads only its own part of a text: a script's letters cost what they are, and
the rest of the text costs the same whatever scripts stand beside it. And the names are still found.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

from gazetteer import Gazetteer
from gazetteer.scan import GAP

# English news (over 400 characters, so that its language is told from it alone), ending in a lower-case word.
PARAGRAPH = (
    "Azerbaijan and ethnic Armenian representatives began talks on Thursday after the breakaway region was "
    "forced into a surrender. Officials from both sides sat at a small round table in the city of Yevlakh, "
    "while residents of Stepanakert reported gunfire around the city. The meeting was the first of its kind, "
    "and observers from Russia and the European Union said that more talks would follow within days, though "
    "neither side would say where they would be held."
)
# The first letter of every block of 128 code points that has one, in the first two planes, and of every
# script (the first word of a letter's Unicode name: LATIN, HEBREW, HANGUL ...): 664 letters.
_FIRST: dict[str, str] = {}
for _code in range(0x20000):
    if chr(_code).isalpha():
        _FIRST.setdefault(f"block {_code >> 7}", chr(_code))
        _FIRST.setdefault(unicodedata.name(chr(_code), "?").split()[0], chr(_code))
LETTERS = sorted(set(_FIRST.values()))

Reading = dict[str, int]


@pytest.fixture()
def read(gazetteer: Gazetteer) -> Callable[[str], Reading]:
    """Annotate a text; the characters each pass of the tagger's find stage was given for it."""
    tagger = gazetteer.searcher().tagger()

    def reading(text: str) -> Reading:
        before = dict(tagger.scanned)
        gazetteer.annotate(text)
        return {name: count - before.get(name, 0) for name, count in tagger.scanned.items()}

    return reading


def test_a_letter_of_any_block_costs_each_pass_only_itself(read: Callable[[str], Reading]) -> None:
    """Appending one letter adds at most that letter (and the gap before a new run) to what any pass
    reads: no letter, of whatever script, makes a pass read the paragraph again."""
    plain = read(PARAGRAPH)
    assert plain["spaced"] > len(PARAGRAPH) // 10  # (the paragraph's capitalized runs are read)
    rescans = []
    for letter in LETTERS:
        mixed = read(f"{PARAGRAPH}\n{letter}")
        for name, count in mixed.items():
            extra = count - plain.get(name, 0)
            if extra > len(letter) + len(GAP):
                rescans.append(f"U+{ord(letter):04X} {letter}: {name} +{extra}")
    assert not rescans, f"{len(rescans)} letters make a pass read more than themselves: {rescans[:10]}"


def test_every_pass_reads_the_rest_of_a_text_alike_whatever_scripts_are_in_it(
        read: Callable[[str], Reading]) -> None:
    """With one letter of every block at the end, five more copies of the paragraph cost every pass
    exactly what they cost without those letters: the work grows with the text, not with text x scripts."""
    def growth(tail: str) -> Reading:  # what five more paragraphs cost each pass, with ``tail`` after the text
        one, six = read(PARAGRAPH + tail), read("\n\n".join([PARAGRAPH] * 6) + tail)
        return {name: count - one.get(name, 0) for name, count in six.items() if count - one.get(name, 0)}

    plain, with_letters = growth(""), growth("\n" + " ".join(LETTERS))
    assert with_letters == plain
    assert plain["spaced"] > 0


# A name in each of seven scripts, four of them in clitic or spaceless form (בתל אביב, والموصل, 서울에서, 東京と).
NAMES = ("Степанакерт обстреливали всю ночь. Ստեփանակերտ քաղաքում. 東京と大阪で新しい展覧会が開かれる。"
         " ראש העירייה הודיע אתמול בתל אביב על תוכנית. وصل الوزير إلى بغداد والموصل أمس. 대통령은 어제 서울에서 회담을 가졌다.")
FOUND = [("Stepanakert", "stepanakert"), ("Степанакерт", "stepanakert"), ("Ստեփանակերտ", "stepanakert"),
         ("東京", "gn-1850147"), ("大阪", "gn-1853909"), ("תל אביב", "gn-293397"), ("الموصل", "gn-99072"),
         ("서울", "gn-1835848")]


@pytest.mark.parametrize("surface,place", FOUND, ids=[place for _, place in FOUND])
def test_names_in_every_script_are_found_beside_a_letter_of_every_block(gazetteer: Gazetteer, surface: str,
                                                                         place: str) -> None:
    text = f"{PARAGRAPH}\n{NAMES}\n{' '.join(LETTERS)}"
    start = text.index(surface)
    found = [(m.surface, m.id) for m in gazetteer.annotate(text) if m.start == start]
    assert found == [(surface, place)]
    # the same mentions as without the letters
    assert [(m.start, m.surface, m.id) for m in gazetteer.annotate(text)] == \
        [(m.start, m.surface, m.id) for m in gazetteer.annotate(f"{PARAGRAPH}\n{NAMES}")]


def test_the_clitic_pass_keeps_every_run_it_could_find_a_name_in() -> None:
    """The clitic pass skips the runs without a letter of ``_CLITIC_LETTERS``; that drops no name only if
    every letter it strips clitics from (Hebrew, Arabic and Hangul by ``script_of``) is one of them."""
    from gazetteer.normalize import script_of
    from gazetteer.tagger import _CLITIC_LETTERS

    missed = [f"U+{code:04X}" for code in range(0x10000) if chr(code).isalpha()
              and script_of(chr(code)) in ("Hebr", "Arab", "Hang") and not _CLITIC_LETTERS.match(chr(code))]
    assert not missed
