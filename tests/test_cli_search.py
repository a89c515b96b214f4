"""The lookup engine through the CLI: lookup options, search, reverse, contains, holders; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gazetteer.cli import main

# The Karabakh places as a new user would type them: Azerbaijani, Armenian, Russian, Turkish, German,
# French and English spellings, common romanizations, and one-letter typos (marked "typo").
KARABAKH_SPELLINGS = [
    ("Xankəndi", "stepanakert"), ("Ստեփանակերտ", "stepanakert"), ("Степанакерт", "stepanakert"),
    ("Ханкенди", "stepanakert"), ("Hankendi", "stepanakert"), ("Stepanakert", "stepanakert"),
    ("Khankendi", "stepanakert"), ("Khankendy", "stepanakert"), ("Xankendi", "stepanakert"),
    ("Stepanakerd", "stepanakert"), ("Stepʻanakert", "stepanakert"), ("Stepanakret", "stepanakert"),  # typo
    ("Xankendu", "stepanakert"),  # typo
    ("Şuşa", "shusha"), ("Շուշի", "shusha"), ("Шуша", "shusha"), ("Shusha", "shusha"), ("Shushi", "shusha"),
    ("Choucha", "shusha"), ("Chouchi", "shusha"), ("Schuscha", "shusha"), ("Susa", "shusha"),
    ("Shuhsa", "shusha"),  # typo
    ("Laçın", "lachin"), ("Լաչին", "lachin"), ("Лачин", "lachin"), ("Lachin", "lachin"), ("Berdzor", "lachin"),
    ("Բերձոր", "lachin"), ("Lachyn", "lachin"), ("Lachn", "lachin"),  # typo
    ("Kəlbəcər", "kalbajar"), ("Քարվաճառ", "kalbajar"), ("Кельбаджар", "kalbajar"), ("Kelbecer", "kalbajar"),
    ("Kalbajar", "kalbajar"), ("Kelbajar", "kalbajar"), ("Karvachar", "kalbajar"), ("Kalbajr", "kalbajar"),  # typo
    ("Ağdam", "aghdam"), ("Агдам", "aghdam"), ("Aghdam", "aghdam"), ("Agdam", "aghdam"), ("Akna", "aghdam"),
    ("Ակն", "aghdam"),
    ("Ağdərə", "aghdara"), ("Մարտակերտ", "aghdara"), ("Мардакерт", "aghdara"), ("Ağdere", "aghdara"),
    ("Martakert", "aghdara"), ("Aghdara", "aghdara"), ("Martakret", "aghdara"),  # typo
    ("Hadrut", "hadrut"), ("Հադրութ", "hadrut"), ("Гадрут", "hadrut"), ("Hadrout", "hadrut"), ("Hadrud", "hadrut"),
    ("Füzuli", "fuzuli"), ("Физули", "fuzuli"), ("Ֆիզուլի", "fuzuli"), ("Fizuli", "fuzuli"), ("Fuzuli", "fuzuli"),
    ("Fuzulli", "fuzuli"),  # typo
    ("Xocavənd", "khojavend"), ("Մարտունի", "khojavend"), ("Ходжавенд", "khojavend"), ("Martouni", "khojavend"),
    ("Khojavend", "khojavend"), ("Martuni", "khojavend"),
    ("Əsgəran", "askeran"), ("Ասկերան", "askeran"), ("Аскеран", "askeran"), ("Askeran", "askeran"),
    ("Asgaran", "askeran"),
    ("Xocalı", "khojaly"), ("Ходжалы", "khojaly"), ("Khojaly", "khojaly"), ("Khojali", "khojaly"),
    ("Khodjaly", "khojaly"), ("Իվանյան", "khojaly"), ("Ivanyan", "khojaly"),
    ("Qubadlı", "gubadli"), ("Губадлы", "gubadli"), ("Kubadlı", "gubadli"), ("Gubadli", "gubadli"),
    ("Goubadli", "gubadli"), ("Kubatly", "gubadli"),
    ("Cəbrayıl", "jabrayil"), ("Джебраил", "jabrayil"), ("Cebrayıl", "jabrayil"), ("Jabrayil", "jabrayil"),
    ("Jebrail", "jabrayil"), ("Ջրական", "jabrayil"), ("Jabrayl", "jabrayil"),  # typo
    ("Zəngilan", "zangilan"), ("Зангилан", "zangilan"), ("Zengilan", "zangilan"), ("Zangilan", "zangilan"),
    ("Zangelan", "zangilan"), ("Կովսական", "zangilan"),
    ("Dağlıq Qarabağ", "nagorno-karabakh"), ("Լեռնային Ղարաբաղ", "nagorno-karabakh"),
    ("Нагорный Карабах", "nagorno-karabakh"), ("Dağlık Karabağ", "nagorno-karabakh"),
    ("Bergkarabach", "nagorno-karabakh"), ("Berg-Karabach", "nagorno-karabakh"),
    ("Haut-Karabagh", "nagorno-karabakh"), ("Haut-Karabakh", "nagorno-karabakh"),
    ("Nagorno-Karabakh", "nagorno-karabakh"), ("nagorno karabakh", "nagorno-karabakh"),
    ("Nagorno–Karabakh", "nagorno-karabakh"), ("Nagorny Karabakh", "nagorno-karabakh"),
    ("Artsakh", "nagorno-karabakh"), ("Արցախ", "nagorno-karabakh"), ("Nagorno-Karabakj", "nagorno-karabakh"),  # typo
]


def test_new_user_spellings_on_stdin_find_the_right_place_first(loaded_url: str) -> None:
    names = "\n".join(name for name, _ in KARABAKH_SPELLINGS) + "\n"
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "lookup", "-", "--format", "jsonl"], input=names)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == len(KARABAKH_SPELLINGS)
    wrong = [(line["query"], place, line["results"][0]["id"] if line["results"] else None)
             for line, (_, place) in zip(lines, KARABAKH_SPELLINGS, strict=True)
             if not line["results"] or line["results"][0]["id"] != place]
    assert wrong == []
    matches = {line["results"][0]["match"] for line in lines}
    assert {"exact", "folded", "transliterated", "fuzzy"} <= matches


def test_lookup_options_time_perspective_and_text_table(loaded_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--database-url", loaded_url, "lookup", "Khankendi", "--at", "1980", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "stepanakert" in result.output and "Stepanakert " in result.output and "1923–1991" in result.output
    result = runner.invoke(main, ["--database-url", loaded_url, "lookup", "Stepanakert", "--perspective", "AZ-gov",
                                  "--format", "json", "--limit", "1", "--kind", "settlement", "--country", "az",
                                  "--lang", "en", "--no-fuzzy", "--curated-only"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)[0]["results"][0]
    assert answer["label"] == "Khankendi" and answer["match"] == "exact"
    assert "Government of the Republic of Azerbaijan" in answer["label_basis"]
    assert {a["holder"] for a in answer["alternatives"]} >= {"AZ-gov", "NKR-gov", "armenian-community"}


def test_search_prefix_autocompletes(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "search", "Stepan", "--prefix", "--format", "json",
                                       "--limit", "3"])
    assert result.exit_code == 0, result.output
    results = json.loads(result.output)[0]["results"]
    assert results[0]["id"] == "stepanakert" and results[0]["match"] == "prefix"


def test_search_prefix_ranks_curated_completions_above_airport_codes(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "search", "Art", "Khan", "--prefix",
                                       "--format", "json", "--limit", "10"])
    assert result.exit_code == 0, result.output
    art, khan = ([r["id"] for r in answer["results"]] for answer in json.loads(result.output))
    assert art[0] == "nagorno-karabakh" and "gn-5143396" not in art[:5]  # Watertown ("ART")
    assert khan[0] == "stepanakert" and "gn-3038230" not in khan[:5]  # Alençon ("XAN")


def test_cli_json_writes_letters_not_escapes(loaded_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--database-url", loaded_url, "lookup", "Ханкенди", "--format", "json", "--limit", "1"])
    assert result.exit_code == 0 and "Ханкенди" in result.output and "\\u" not in result.output
    gold = {"id": "d1", "text": "Baku.", "toponyms": [{"start": 0, "end": 4, "lat": 40.4093, "lon": 49.8671}]}
    for name in ("Բաքու.jsonl", "baku.jsonl"):  # corpora named in any script
        (tmp_path / name).write_text(json.dumps(gold) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["--database-url", loaded_url, "evaluate", str(tmp_path / "Բաքու.jsonl"),
                                  str(tmp_path / "baku.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"Բաքու": {' in result.output and set(json.loads(result.output)) == {"Բաքու", "baku"}


def test_reverse_and_contains(loaded_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--database-url", loaded_url, "reverse", "39.8156", "46.752", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "stepanakert" in result.output and " km" in result.output
    result = runner.invoke(main, ["--database-url", loaded_url, "reverse", "-33.92", "18.42", "--format", "json"])
    assert result.exit_code == 0, result.output  # a negative latitude is a coordinate, not an option
    assert json.loads(result.output)["results"][0]["country"] == "ZA"
    result = runner.invoke(main, ["--database-url", loaded_url, "contains", "39.76", "46.75"])
    assert result.exit_code == 0, result.output
    assert "nagorno-karabakh-republic" in result.output and "azerbaijan" in result.output
    assert "[disputed]" in result.output and "view of NKR-gov" in result.output
    result = runner.invoke(main, ["--database-url", loaded_url, "contains", "48.8566", "2.3522", "--format", "jsonl"])
    assert result.exit_code == 3  # inside no polygon
    assert json.loads(result.output)["results"] == []


def test_bad_coordinates_and_options_exit_2_with_a_message(loaded_url: str) -> None:
    runner = CliRunner()
    for args, word in [
        (["reverse", "999", "0"], "LAT"),
        (["reverse", "0", "abc"], "LON"),
        (["contains", "0"], "LON"),
        (["reverse", "0", "0", "--radius", "-1"], "--radius"),
        (["lookup", "Baku", "--at", "year"], "--at"),
        (["lookup", "Baku", "--at", "99999"], "at must be a year"),
        (["lookup", "Baku", "--perspective", "nobody"], "unknown holder"),
        (["lookup", "Baku", "--kind", "planet"], "unknown kind"),
        (["lookup", "Baku", "--country", "Azerbaijan"], "alpha-2"),
        (["search", "Baku", "--lang", "!!"], "BCP 47"),
    ]:
        result = runner.invoke(main, ["--database-url", loaded_url, *args])
        assert result.exit_code == 2, (args, result.output)
        assert word in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_a_rejected_name_in_a_batch_is_reported_and_the_rest_answered(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "lookup", "-", "--format", "jsonl"],
                                input="Baku\n" + "x" * 400 + "\nShusha\n")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [bool(line["results"]) for line in lines] == [True, False, True]
    assert "longer than" in lines[1]["error"]


def test_holders_lists_perspectives(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "holders"])
    assert result.exit_code == 0
    assert "AZ-gov" in result.output and "Government of the Republic of Azerbaijan" in result.output
