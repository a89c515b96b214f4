"""Each tagger rule as a unit (gazetteer/rules.py, the helpers of gazetteer/tagger.py and language.py),
then switched off through the interfaces: Gazetteer.annotate(off=...) and `gazetteer evaluate --off/--ablate`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer, language, rules
from gazetteer.cli import main
from gazetteer.errors import InvalidOption
from gazetteer.scan import spaceless
from gazetteer.tagger import _after_a_locative, _kind_named, _min_letters

GIVEN = language.given_names()


def span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


# -- filter rules --------------------------------------------------------------------------------
@pytest.mark.parametrize("text,word,person", [
    ("Chad Smith said the album was finished.", "Chad", True),
    ("Florence Pugh won the award.", "Florence", True),
    ("Actress Victoria Beckham launched a label.", "Victoria", True),
    ("On Monday Senator Chad Smith said so.", "Chad", True),  # a title before it
    ("They sailed on Lake Victoria Beckham.", "Victoria", False),  # a capitalized word before it that is no title
    ("Chad said it would close the border.", "Chad", False),  # no surname: the country (a metonym)
    ("Georgia Power raised its rates.", "Georgia", True),  # a capitalized word that is no place word
    ("The Jordan River runs low.", "Jordan", False),  # a place word after it
    ("Floods hit Victoria Falls.", "Victoria", False),
    ("Talks in Jordan resumed.", "Jordan", False),
])
def test_a_given_name_with_a_surname_is_a_person(text: str, word: str, person: bool) -> None:
    assert rules.given_name_and_surname(text, *span(text, word), GIVEN) is person


def test_given_names_come_from_the_census_lists() -> None:
    assert {"chad", "florence", "victoria", "paris"} <= GIVEN
    assert "baku" not in GIVEN


def test_the_days_and_months_of_a_language_come_from_cldr() -> None:
    assert "دوشنبه" in language.calendar_words("fa")  # Monday
    assert {"Kasım", "Salı"} <= language.calendar_words("tr")  # November, Tuesday
    assert {"wrzesień", "września"} <= language.calendar_words("pl")  # September, and its genitive
    assert language.calendar_words("xx") == frozenset()


def test_other_countries_given_names_come_from_fakers_lists_by_language() -> None:
    listed = language.faker_given_names()
    assert "it" in listed["giorgia"] and "ru" in listed["владимир"]
    assert "boston" not in listed  # Faker's generic English list (towns given as names) is left out
    english = language.world_given_names("en", listed)
    assert "vladimir" in english  # listed in two languages or more
    assert "giorgia" in language.world_given_names("it", listed, wide=False)  # the text's own language
    assert "giorgia" not in language.world_given_names("en", listed, wide=False)
    assert english >= GIVEN


@pytest.mark.parametrize("text,word,inside", [
    ("the OSCE Minsk Group met", "Minsk", True),
    ("The Minsk Group met", "Minsk", False),  # "The" is no part of a name
    ("talks in Minsk, then", "Minsk", False),
    ("Normandy Format talks", "Normandy", False),  # first word: the place names the format
])
def test_a_place_inside_an_organisation_name(text: str, word: str, inside: bool) -> None:
    assert rules.inside_a_name(text, *span(text, word)) is inside


@pytest.mark.parametrize("text,word,part", [
    ("the New York Times reported", "New York", True),
    ("a Reston ebolavirus strain", "Reston", True),
    ("US$ 5 million", "US", True),
    ("New York reported", "New York", False),
    ("cases of Lassa fever rose", "Lassa", True),  # a disease's head is written in lower case
    ("students at Boston University said", "Boston", True),
    ("the Gwinnett County school board voted", "Gwinnett County", False),  # an institution's head is capitalized
    ("the Edmonton public school system", "Edmonton", False),
])
def test_a_name_that_starts_another_kind_of_name(text: str, word: str, part: bool) -> None:
    assert rules.part_of_another_name(text, span(text, word)[1]) is part


@pytest.mark.parametrize("text,word,part", [
    ("on Lake Superior today", "Superior", True), ("near Mt. Hood at dawn", "Hood", True),
    ("the Jordan River flows", "Jordan", True), ("the Gulf of Aden is", "Aden", True),
    ("the Gulf of Aden is", "Gulf", True), ("the Suez Canal opened", "Canal", True),
    ("on Mont-Royal Avenue yesterday", "Mont", True),
    ("the Jordan river flows", "Jordan", False),  # a lower-case word is no part of a name
    ("Canal workers struck", "Canal", False), ("talks in Jordan. River levels", "Jordan", False),
    ("the lake Superior", "Superior", False), ("in Lake Charles", "Lake Charles", False),
])
def test_a_name_inside_a_features_name(text: str, word: str, part: bool) -> None:
    assert rules.part_of_a_feature_name(text, *span(text, word)) is part


@pytest.mark.parametrize("text,word,alone", [
    ("officials in Boston said", "Boston", True), ("police said a Mobile man was hurt", "Mobile", True),
    ("Residents of Independence and Kansas City", "Independence", True),
    ("the Declaration of Independence was", "Independence", False), ("they marked Independence Day", "Independence", False),
    ("Boston is cold", "Boston", False),  # a sentence's first word
    ("the Boston Globe said", "Boston", False),
])
def test_a_capitalized_word_alone_in_running_text(text: str, word: str, alone: bool) -> None:
    assert rules.in_running_text(text, *span(text, word)) is alone


def test_a_surname_elsewhere_in_the_text() -> None:
    given, frequent = frozenset(["lamar", "michael", "in"]), frozenset(["michael", "in"])
    assert rules.a_surname_in_the_text("praised Jackson after Lamar Jackson scored", "Jackson", given, frequent)
    assert rules.a_surname_in_the_text("the singer Michael Jackson. Jackson is", "Jackson", given, frequent)
    assert not rules.a_surname_in_the_text("Michael Jackson sold records. Jackson is", "Jackson", given, frequent)
    assert not rules.a_surname_in_the_text("In Boston, officials. Boston is", "Boston", given, frequent)


def test_a_chinese_or_japanese_name_followed_by_an_organisation_head() -> None:
    assert rules.part_of_another_cjk_name("中山大学的学生", 2)
    assert rules.part_of_another_cjk_name("北京日报报道", 2)
    assert not rules.part_of_another_cjk_name("在广州参加", 3)


def test_a_university_named_after_a_place_is_not_the_place(gazetteer: Gazetteer) -> None:
    mentions = gazetteer.annotate("中山大学的学生在广州参加了活动。")
    assert [m.surface for m in mentions] == ["广州"]


@pytest.mark.parametrize("text,word,person", [
    ("Dr Evans arrived", "Evans", True), ("Benjamin Franklin wrote", "Franklin", True),
    ("Anderson said on Monday", "Anderson", True), ("Camp Dadaab is full", "Dadaab", False),
    ("the town of Maine. COLUMBIA is", "COLUMBIA", False),
])
def test_a_weak_name_after_a_title_or_before_said_is_a_person(text: str, word: str, person: bool) -> None:
    assert rules.looks_like_a_person(text, *span(text, word)) is person


def test_a_capital_before_a_verb_of_saying_stands_for_its_government() -> None:
    assert rules.followed_by_a_government_verb("Baku has rejected the plan", 4)
    assert not rules.followed_by_a_government_verb("Baku is a city", 4)


def test_german_needs_a_preposition_for_a_noun_that_is_a_town() -> None:
    assert _after_a_locative("Der Bürgermeister von Essen sagte", 22, "de")
    assert not _after_a_locative("Zum Essen gab es Suppe", 4, "de")
    assert not _after_a_locative("the mayor of Essen said", 13, "en")  # only for languages that capitalize nouns


# -- resolve rules -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,word,kinds", [
    ("Washington state lawmakers", "Washington", ("region",)),
    ("the city of Kiev was shelled", "Kiev", ("settlement",)),
    ("in the Kiev region", "Kiev", ("region",)),
    ("Knox County officials", "Knox", ("district",)),
    ("Washington said", "Washington", None),
])
def test_a_word_for_a_kind_of_place_picks_the_reading(text: str, word: str, kinds: tuple[str, ...] | None) -> None:
    assert _kind_named(text, *span(text, word)) == kinds


# -- find rules ----------------------------------------------------------------------------------
def test_scripts_without_spaces_and_short_names_of_syllabic_scripts() -> None:
    assert spaceless("北京") and spaceless("パリ") and not spaceless("Baku") and not spaceless("서울")
    assert _min_letters("서울") == 2 and _min_letters("צור") == 3 and _min_letters("Baku") == 4


@pytest.mark.parametrize("text,lang", [
    ("Delegacja przyjechała w Krakowie, a potem pojechała do Warszawy na spotkanie.", "pl"),
    ("Eile toimus Tallinnas suur rahvusvaheline konverents energiajulgeoleku teemal.", "et"),
    ("Officials in the capital said on Monday that the talks would go on next week.", "en"),
    ("Ο δήμαρχος της Θεσσαλονίκης δήλωσε ότι η πόλη θα φιλοξενήσει τη διάσκεψη.", "el"),
    ("Baku", None),  # too short to tell
])
def test_the_language_of_a_text(text: str, lang: str | None) -> None:
    assert language.identify(text) == lang


# -- switching rules off through the interfaces ---------------------------------------------------
def test_each_rule_can_be_switched_off_by_name(gazetteer: Gazetteer) -> None:
    text = "Chad Smith said the album was finished."
    assert gazetteer.annotate(text) == []
    assert [m.surface for m in gazetteer.annotate(text, off={"given-names"})] == ["Chad"]
    polish = "Delegacja przyjechała w Krakowie, a potem pojechała do Warszawy na spotkanie z ministrem."
    assert {m.surface for m in gazetteer.annotate(polish)} == {"Krakowie", "Warszawy"}
    assert gazetteer.annotate(polish, off={"inflection"}) == []
    with pytest.raises(InvalidOption, match="no tagger rule is called bogus"):
        gazetteer.annotate(text, off={"bogus"})
    # "listed-kinds": off, "Pasco" and "Clay" before "counties" are towns (Pasco, Washington)
    counties = "Schools in Pasco and Clay counties will stay closed on Monday."
    assert [(m.surface, m.label, m.kind) for m in gazetteer.annotate(counties)] == \
        [("Pasco", "Pasco County", "district"), ("Clay", "Clay County", "district")]
    assert {m.kind for m in gazetteer.annotate(counties, off={"listed-kinds"})} == {"settlement"}
    # "alternate-names": off, "Hamas" beside Israel and Gaza is Hamm, of which GeoNames gives it as a name
    gaza = "Israel and Hamas agreed to a truce in Gaza."
    assert "Hamas" not in [m.surface for m in gazetteer.annotate(gaza)]
    assert [m.label for m in gazetteer.annotate(gaza, off={"alternate-names"}) if m.surface == "Hamas"] == ["Hamm"]


def test_cli_evaluate_ablate_prints_a_row_per_rule(loaded_url: str, tmp_path: Path) -> None:
    text = "Chad Smith said Baku and Krakow were far apart."
    gold = {"id": "d1", "text": text, "toponyms": [
        {"start": 16, "end": 20, "lat": 40.4093, "lon": 49.8671}, {"start": 25, "end": 31, "lat": 50.06, "lon": 19.94}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["--database-url", loaded_url, "evaluate", str(path), "--ablate"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("rule switched off") and "gold F1" in lines[0]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"(all"} | set(rules.RULES)
    assert "1.000 (+0.000)" in rows["(all"]
    assert "(-0.200)" in rows["given-names"]  # Chad becomes a false mention: P 2/3, F1 0.8
    as_json = json.loads(runner.invoke(main, ["--database-url", loaded_url, "evaluate", str(path), "--ablate",
                                              "--json"]).output)
    assert as_json[0]["rule"] == "(all rules on)" and len(as_json) == len(rules.RULES) + 1
    bad = runner.invoke(main, ["--database-url", loaded_url, "evaluate", str(path), "--off", "bogus"])
    assert bad.exit_code != 0 and "no tagger rule is called bogus" in bad.output


def test_cli_near_reads_a_local_paper(loaded_url: str) -> None:
    runner = CliRunner()
    text = "The commission met in Paris on Tuesday."
    far = runner.invoke(main, ["--database-url", loaded_url, "annotate", "-", "--format", "json"], input=text)
    near = runner.invoke(main, ["--database-url", loaded_url, "annotate", "-", "--format", "json", "--near",
                                "36.3,-88.3"], input=text)
    assert json.loads(far.output)["mentions"][0]["country"] == "FR"
    assert json.loads(near.output)["mentions"][0]["id"] == "gn-4647963"  # Paris, Tennessee
    bad = runner.invoke(main, ["--database-url", loaded_url, "annotate", "-", "--near", "95,10"], input=text)
    assert bad.exit_code != 0 and "--near" in bad.output and "Traceback" not in bad.output


def test_a_frequent_word_that_is_only_a_foreign_alternate_name_of_a_country_is_a_word(gazetteer: Gazetteer) -> None:
    # "Island" is Iceland's name in Danish and German (a bare GeoNames alternate name), an English word first
    assert gazetteer.annotate("Island residents fled as the storm approached Reykjavik.")[0].surface == "Reykjavik"
    assert [m.surface for m in gazetteer.annotate("Chad and Turkey said they would talk.")] == ["Chad", "Turkey"]
