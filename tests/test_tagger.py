"""The tagger through the Python façade and the CLI: offsets, boundaries, inflections, precision,
mention types, disambiguation, bad input, output formats and the evaluate command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer, InvalidInput
from gazetteer.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def spans(gazetteer: Gazetteer, text: str, **options: bool) -> list[tuple[str, str]]:
    mentions = gazetteer.annotate(text, **options)
    assert all(text[m.start:m.end] == m.surface for m in mentions)
    return [(m.surface, m.id) for m in mentions if not m.nested]


# -- the seeds -----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_every_mention_of_the_contested_names_in_the_seeds_is_found(gazetteer: Gazetteer, seed: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    mentions = gazetteer.annotate(text)
    found = {(m.start, m.end): m for m in mentions}
    expected = {"Stepanakert": "stepanakert", "Khankendi": "stepanakert", "Artsakh": "nagorno-karabakh",
                "Nagorno-Karabakh": "nagorno-karabakh", "Azerbaijan": "azerbaijan", "Baku": "baku"}
    for name, place in expected.items():
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            mention = found.get(match.span())
            assert mention is not None, (name, match.start())
            assert mention.id == place
    khankendi = next(m for m in mentions if m.surface == "Khankendi")
    assert "azerbaijani-community" in khankendi.claim.holders  # whose name the writer used
    assert khankendi.claim.citations


# -- matching ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,surface,place", [
    ("Обстрел в Степанакерте продолжился", "Степанакерте", "stepanakert"),  # Russian locative
    ("Беженцы из Шуши", "Шуши", "shusha"),  # Russian genitive
    ("Ситуація у Степанакерті", "Степанакерті", "stepanakert"),  # Ukrainian
    ("Xankəndidə yeni məktəb açıldı", "Xankəndidə", "stepanakert"),  # Azerbaijani locative
    ("Prezident Bakıya qayıtdı", "Bakıya", "baku"),  # Azerbaijani dative
    ("Hankendi'de toplantı", "Hankendi", "stepanakert"),  # Turkish, suffix after an apostrophe
    ("Ստեփանակերտում տեղի ունեցավ", "Ստեփանակերտում", "stepanakert"),  # Armenian locative
    ("Die Lage Bergkarabachs bleibt", "Bergkarabachs", "nagorno-karabakh"),  # German genitive
    ("Le Haut-Karabagh est", "Haut-Karabagh", "nagorno-karabakh"),  # French
    ("Karabakh's capital", "Karabakh", "nagorno-karabakh"),  # possessive: the name only
    ("Azerbaijan’s army", "Azerbaijan", "azerbaijan"),
    ("🙂🙂 Stepanakert", "Stepanakert", "stepanakert"),  # offsets are str offsets past astral characters
    ("ქალაქი შუშა", "შუშა", "shusha"),  # Georgian has no capital letters
])
def test_names_in_six_languages_and_three_scripts(gazetteer: Gazetteer, text: str, surface: str, place: str) -> None:
    assert (surface, place) in spans(gazetteer, text)


def test_word_boundaries_hold_in_every_script(gazetteer: Gazetteer) -> None:
    assert spans(gazetteer, "Xankəndi") == [("Xankəndi", "stepanakert")]  # not cut to "Xank"
    assert spans(gazetteer, "Bakuvian Parisians") == []  # names inside longer words are not names


def test_longest_match_wins_and_the_nested_name_is_kept(gazetteer: Gazetteer) -> None:
    mentions = gazetteer.annotate("Nagorno-Karabakh")
    assert [(m.surface, m.nested) for m in mentions] == [("Nagorno-Karabakh", False), ("Karabakh", True)]


def test_common_words_and_lower_case_are_not_places(gazetteer: Gazetteer) -> None:
    assert spans(gazetteer, "The Police said in March that One Center would open.") == []
    assert spans(gazetteer, "we ate turkey in china bowls") == []
    assert spans(gazetteer, "Mr Evans said so.") == []
    # part of another name: a newspaper, a virus, a currency
    assert spans(gazetteer, "The New York Times reported US$5 million and the Reston ebolavirus.") == []
    assert [surface for surface, _ in spans(gazetteer, "He flew to New York.")] == ["New York"]


def test_organisation_and_disease_names_and_people_are_not_places(gazetteer: Gazetteer) -> None:
    assert spans(gazetteer, "She told Agence France-Presse that Marburg hemorrhagic fever had spread.") == []
    assert spans(gazetteer, "Pupils of Franklin Elementary and the United States Postal Service.") == []
    # an initial before a surname marks a person; a place word before a town does not
    assert spans(gazetteer, "He met Jose A. Tyler.") == [] and spans(gazetteer, "Tyler is in Texas.")[0][0] == "Tyler"
    assert ("Malakal", "gn-370737") in spans(gazetteer, "Staff at the SOS Children's Village Malakal are afraid.")


def test_names_in_any_case_letter_position_are_found_inside_runs(gazetteer: Gazetteer) -> None:
    # names with lower-case connectors, after a capital inside a word, and in Georgian (no capitals)
    assert [s for s, _ in spans(gazetteer, "Talks in Côte d'Ivoire and Rostov-on-Don.")] == ["Côte d'Ivoire",
                                                                                           "Rostov-on-Don"]
    assert spans(gazetteer, "McBaku iParis") == []
    assert [s for s, _ in spans(gazetteer, "თბილისი და ბაქო")] == ["თბილისი", "ბაქო"]


def test_first_level_divisions_are_places(gazetteer: Gazetteer) -> None:
    found = dict(spans(gazetteer, "Floods hit Queensland and New South Wales; Alberta and England were spared."))
    assert found == {"Queensland": "gn-a1-AU-queensland", "New South Wales": "gn-a1-AU-new-south-wales",
                     "Alberta": "gn-a1-CA-alberta", "England": "gn-a1-GB-england"}
    alberta = gazetteer.annotate("Alberta")[0]
    assert alberta.kind == "region" and alberta.country == "CA" and 49 < alberta.lat < 60
    assert alberta.claim.citations == ["geonames-admin1:CA:Alberta"]
    # a division named by a generic word is not one
    assert spans(gazetteer, "Western governments and Central banks.") == []


def test_a_division_point_is_the_middle_of_its_area(gazetteer: Gazetteer) -> None:
    # Natural Earth's label point (or the middle of the hull around its towns), not where most of its
    # towns are: Queensland's point is inland, not on its eastern coast; Ontario's is north of the Great Lakes.
    queensland = gazetteer.lookup("Queensland")[0]
    assert queensland.id == "gn-a1-AU-queensland" and -24 < queensland.lat < -18 and 143 < queensland.lon < 147
    ontario = gazetteer.lookup("Ontario", kind="region")[0]
    assert ontario.lat > 46.5
    # Chukotka's towns lie on both sides of the antimeridian: its point is in Chukotka, not near Greenwich.
    chukotka = gazetteer.lookup("Chukotskiy Avtonomnyy Okrug")[0]
    assert chukotka.lat > 62 and (chukotka.lon > 160 or chukotka.lon < -170)
    # Towns far from the rest are left out: the extract files some towns of Tibet under Hebei.
    hebei = gazetteer.lookup("Hebei", kind="region")[0]
    assert 36 < hebei.lat < 43 and 113 < hebei.lon < 120


def test_acronyms_match_their_case_and_dots(gazetteer: Gazetteer) -> None:
    found = spans(gazetteer, "The U.S. and the US agree; us too, said the USA.")
    assert found == [("U.S.", "united-states"), ("US", "united-states"), ("USA", "united-states")]


def test_mention_types_metonym_and_opt_in_demonyms(gazetteer: Gazetteer) -> None:
    baku = gazetteer.annotate("Baku said on Monday that Yerevan rejected the plan.")
    assert [(m.surface, m.mention_type) for m in baku] == [("Baku", "metonym"), ("Yerevan", "metonym")]
    text = "Azeris and Armenians live in Karabakh."
    assert spans(gazetteer, text) == [("Karabakh", "nagorno-karabakh")]
    with_demonyms = gazetteer.annotate(text, demonyms=True)
    assert [(m.surface, m.id, m.mention_type) for m in with_demonyms][:2] == [
        ("Azeris", "azerbaijan", "demonym"), ("Armenians", "armenia", "demonym")]


def test_ambiguous_names_are_resolved_from_context(gazetteer: Gazetteer) -> None:
    near_tbilisi = gazetteer.annotate("Georgia and Armenia signed; Tbilisi hosted the talks.")
    assert near_tbilisi[0].id == "georgia"
    atlanta = gazetteer.annotate("Officials in Atlanta, Georgia reported the outbreak.")
    georgia = next(m for m in atlanta if m.surface == "Georgia")
    assert georgia.country == "US" and georgia.kind == "region"
    assert "georgia" in [a.id for a in georgia.alternatives]  # the other reading, with its score
    # other states of the same country named in the text, with no city to anchor it
    states = gazetteer.annotate("Cases were reported in several states, including Georgia, Oklahoma and Wisconsin.")
    assert [(m.surface, m.country, m.kind) for m in states] == [
        ("Georgia", "US", "region"), ("Oklahoma", "US", "region"), ("Wisconsin", "US", "region")]
    caucasus = gazetteer.annotate("Officials from Georgia, Armenia and Azerbaijan met.")
    assert caucasus[0].id == "georgia"
    mexico = gazetteer.annotate("Flooding hit Mexico, with damage in Jalisco and Oaxaca.")
    assert (mexico[0].surface, mexico[0].kind) == ("Mexico", "country")  # a country among its own states
    paris = gazetteer.annotate("Paris is the capital of France.")[0]
    assert paris.country == "FR"
    alexandria = gazetteer.annotate("Alexandria lies on the Nile delta in Egypt.")[0]
    assert alexandria.country == "EG" and len(alexandria.alternatives) >= 2  # Alexandria, Virginia and others


def test_a_small_namesake_is_read_only_beside_a_place_near_it(gazetteer: Gazetteer) -> None:
    # Edmonton, Kentucky (1,568 people) and Edmonton, Queensland are GeoNames towns under 15,000 people,
    # loaded only because a larger place has their name; they are read only in the cell of a place the
    # text names unambiguously (a country does not count).
    kentucky = gazetteer.annotate("Kentucky State Police say a man of Edmonton was arrested in Adair County.")
    edmonton = next(m for m in kentucky if m.surface == "Edmonton")
    assert (edmonton.country, edmonton.id) == ("US", "gn-4290886")
    assert "gn-5946768" in [a.id for a in edmonton.alternatives]  # Edmonton, Alberta, with its score
    assert gazetteer.annotate("Edmonton is a city.")[0].country == "CA"
    assert next(m for m in gazetteer.annotate("Edmonton in the United States") if m.surface == "Edmonton").country == "CA"
    cairns = gazetteer.annotate("Police were called to a house in Edmonton, south of Cairns, Queensland.")
    assert next(m for m in cairns if m.surface == "Edmonton").country == "AU"
    assert "gn-4290886" in [r.id for r in gazetteer.lookup("Edmonton", limit=10)]
    assert gazetteer.place("gn-4290886").note == "namesake of a larger place (GeoNames cities500)"


def test_a_place_whose_name_usually_means_something_else_needs_a_neighbour(gazetteer: Gazetteer) -> None:
    # Java, a town in South Ossetia, has priority -1: "Java" alone is most often the Indonesian island.
    assert [m.id for m in gazetteer.annotate("Floods hit Java and Sumatra on Monday.")
            if m.surface == "Java"] == []
    near = gazetteer.annotate("Shelling was reported in Java, north of Tskhinvali, South Ossetia.")
    assert ("Java", "java-south-ossetia") in [(m.surface, m.id) for m in near]


def test_a_historical_name_of_a_curated_place_does_not_outweigh_a_town_of_that_name(gazetteer: Gazetteer) -> None:
    # Tacoma is an old name of Mount Rainier (curated) and a city of 220,000 (base layer).
    tacoma, = gazetteer.annotate("The Tacoma city council met on Tuesday.")
    assert tacoma.id != "mount-rainier" and (tacoma.kind, tacoma.country) == ("settlement", "US")
    assert "mount-rainier" in [a.id for a in tacoma.alternatives]
    georgian = gazetteer.annotate("Georgian officials met in Tbilisi.", demonyms=True)[0]
    assert georgian.mention_type == "demonym" and georgian.claim.kind == "demonym"


def test_a_town_followed_by_its_region_is_the_one_in_that_region(gazetteer: Gazetteer) -> None:
    text = "She grew up in Paris, Texas, studied in Columbia, Missouri and moved to Portland, Maine."
    found = {m.surface: (m.label, m.country, round(m.lat)) for m in gazetteer.annotate(text)}
    assert found["Paris"] == ("Paris", "US", 34)
    assert found["Columbia"] == ("Columbia", "US", 39)  # not Columbia, South Carolina (more people)
    assert found["Portland"] == ("Portland", "US", 44)  # not Portland, Oregon
    # elsewhere than the US the town's division comes from the GeoNames town list: Bangor in Wales,
    # not the larger Bangor in Northern Ireland
    bangor = gazetteer.annotate("Flooding in Bangor, Wales closed the bridge.")[0]
    assert (bangor.surface, bangor.id) == ("Bangor", "gn-2656397")
    assert gazetteer.annotate("Flooding in Bangor closed the bridge.")[0].id == "gn-2656396"
    # without a region after it the larger place stands
    assert gazetteer.annotate("Columbia is a city.")[0].lat < 35


def test_a_name_after_a_full_stop_is_not_taken_for_a_surname(gazetteer: Gazetteer) -> None:
    found = gazetteer.annotate("He lives in Portland, Maine. COLUMBIA, Ky. -- Police said.")
    assert [m.surface for m in found] == ["Portland", "Maine", "COLUMBIA", "Ky."]
    assert round(found[2].lat) == 37  # Columbia, Kentucky
    # an initial before a name still makes it a person's: "Jose A. Cordova"
    assert spans(gazetteer, "Officer Mark A. Bristol arrived.") == []


def test_ap_state_abbreviations_are_read_in_datelines(gazetteer: Gazetteer) -> None:
    found = gazetteer.annotate("GLASGOW, Ky. (WBKO) -- A woman died in Glasgow; a man from Trenton, N.J. was hurt.")
    assert [(m.surface, m.country, m.kind) for m in found] == [
        ("GLASGOW", "US", "settlement"), ("Ky.", "US", "region"), ("Glasgow", "US", "settlement"),
        ("Trenton", "US", "settlement"), ("N.J.", "US", "region")]
    ky = found[1]
    assert (ky.label, ky.claim.kind, ky.claim.citations) == ("Kentucky", "short", ["us-ap:KY"])
    # only after a comma and with its dot: "Pa." starting a sentence or "Ky" alone are not states
    assert spans(gazetteer, "Pa. said no. Ky is a name. Mo. Smith agreed.") == []
    assert gazetteer.annotate("Glasgow is in Scotland.")[0].country == "GB"


def test_mention_record_carries_the_claim_and_usage_note(gazetteer: Gazetteer) -> None:
    mention = gazetteer.annotate("Shelling hit Stepanakert.")[0]
    assert mention.claim.name == "Stepanakert" and mention.claim.lang == "en"
    assert mention.usage_note and (mention.lat, mention.lon) == pytest.approx((39.8156, 46.752), abs=0.01)


def test_bad_input_gives_nothing_or_a_named_error(gazetteer: Gazetteer) -> None:
    assert gazetteer.annotate("") == []
    junk = bytes(range(256)).decode("latin-1") * 10
    assert isinstance(gazetteer.annotate(junk), list)
    big = ("Stepanakert and Baku met. " + "filler text without places. " * 20) * 17_100
    assert len(big) > 10_000_000
    mentions = gazetteer.annotate(big)
    assert len(mentions) == 2 * 17_100 and mentions[-1].surface == "Baku"
    with pytest.raises(InvalidInput, match="string"):
        gazetteer.annotate(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="string"):
        list(gazetteer.annotate_many([{"text": 5}], text=lambda d: d["text"]))


def test_annotate_many_renders_documents_in_worker_processes(gazetteer: Gazetteer) -> None:
    documents = [{"id": str(i), "text": f"Report {i} from Baku and Xankəndi."} for i in range(100)]

    def render(document: dict, mentions: list) -> str:
        return document["id"] + ":" + ",".join(m.id for m in mentions)

    expected = [f"{i}:baku,stepanakert" for i in range(100)]
    for jobs in (1, 2):
        answers = gazetteer.annotate_many(documents, text=lambda d: d["text"], render=render, jobs=jobs)
        assert list(answers) == expected
        # a stream of documents (sent to the workers one chunk at a time) gives the same answers
        stream = gazetteer.annotate_many(iter(documents), text=lambda d: d["text"], render=render, jobs=jobs)
        assert list(stream) == expected
    # mention records from several processes, for a list and for a stream of texts
    texts = [document["text"] for document in documents[:70]]
    one = [[(m.start, m.id) for m in mentions] for mentions in gazetteer.annotate_many(texts)]
    assert one[0] == [(14, "baku"), (23, "stepanakert")]
    assert [[(m.start, m.id) for m in ms] for ms in gazetteer.annotate_many(texts, jobs=2)] == one
    assert [[(m.start, m.id) for m in ms] for ms in gazetteer.annotate_many(iter(texts), jobs=2)] == one


def test_a_mention_as_json_has_every_field(gazetteer: Gazetteer) -> None:
    from dataclasses import fields

    from gazetteer.results import Mention, NameClaimRecord, plain

    mention = gazetteer.annotate("Georgia: talks in Tbilisi.")[0]
    record = mention.to_dict()
    assert list(record) == [f.name for f in fields(Mention)]
    assert list(record["claim"]) == [f.name for f in fields(NameClaimRecord)]
    assert record == plain(mention) and record["claim"]["name"] == "Georgia"


# -- CLI -----------------------------------------------------------------------------------------
def test_cli_annotate_formats_and_jsonl_documents(loaded_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    article = tmp_path / "a.txt"
    article.write_text("Shelling hit Stepanakert, which Azeris call Khankendi.", encoding="utf-8")
    result = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(article)])
    assert result.exit_code == 0, result.output
    assert "Khankendi" in result.output and "azerbaijani-community" in result.output
    result = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(article), "--format", "json"])
    mentions = json.loads(result.output)["mentions"]
    assert [(m["surface"], m["id"]) for m in mentions] == [("Stepanakert", "stepanakert"), ("Khankendi", "stepanakert")]
    documents = tmp_path / "docs.jsonl"
    documents.write_text('{"id": "a", "text": "Baku and Yerevan", "source": "x"}\n{"id": "b", "text": ""}\n',
                         encoding="utf-8")
    result = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(documents), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["source"] == "x" and [m["id"] for m in lines[0]["mentions"]] == ["baku", "yerevan"]
    assert lines[1]["mentions"] == []
    # several processes give the same lines in the same order
    many = tmp_path / "many.jsonl"
    many.write_text("".join(json.dumps({"id": str(i), "text": f"Doc {i}: Baku, then Khankendi and Alberta."}) + "\n"
                            for i in range(60)), encoding="utf-8")
    one = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(many), "--format", "jsonl"])
    two = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(many), "--format", "jsonl", "--jobs", "2"])
    assert two.exit_code == 0, two.output
    assert two.output == one.output and len(one.output.splitlines()) == 60
    assert [m["id"] for m in json.loads(two.output.splitlines()[59])["mentions"]] == ["baku", "stepanakert",
                                                                                      "gn-a1-CA-alberta"]


def test_cli_annotate_reads_a_dateline_with_a_state_abbreviation(loaded_url: str) -> None:
    text = "COLUMBIA, Ky. -- Kentucky State Police say a man of Edmonton was hurt in Columbia."
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "annotate", "-", "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    mentions = json.loads(result.output)["mentions"]
    assert [(m["surface"], m["label"], m["country"]) for m in mentions] == [
        ("COLUMBIA", "Columbia", "US"), ("Ky.", "Kentucky", "US"), ("Kentucky", "Kentucky", "US"),
        ("Edmonton", "Edmonton", "US"), ("Columbia", "Columbia", "US")]
    ky = mentions[1]
    assert (ky["end"] - ky["start"], ky["claim"]["kind"], ky["claim"]["citations"]) == (3, "short", ["us-ap:KY"])
    assert (mentions[3]["id"], round(mentions[3]["lat"])) == ("gn-4290886", 37)  # Edmonton, Kentucky
    assert round(mentions[0]["lat"]) == 37  # the dateline's Columbia is Kentucky's, the state named after it


def test_cli_annotate_jsonl_keeps_line_separators_inside_texts(loaded_url: str, tmp_path: Path) -> None:
    # JSON strings may hold U+2028/U+2029 unescaped (as json.dumps(ensure_ascii=False), and this
    # command, write them); only "\n" ends a JSONL line, and Windows line ends are fine.
    documents = tmp_path / "separators.jsonl"
    documents.write_text(json.dumps({"id": "a", "text": "Baku\u2028and Yerevan\u2029"}, ensure_ascii=False) + "\r\n\r\n"
                         + json.dumps({"id": "b", "text": "Xankəndi"}, ensure_ascii=False) + "\r\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "annotate", str(documents), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.split("\n") if line]
    assert [[m["id"] for m in line["mentions"]] for line in lines] == [["baku", "yerevan"], ["stepanakert"]]
    assert lines[0]["text"] == "Baku\u2028and Yerevan\u2029"


def test_cli_annotate_rejects_invalid_utf8_and_bad_jsonl(loaded_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"Baku \xff\xfe and")
    result = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(broken)])
    assert result.exit_code == 1 and "not UTF-8" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "Baku"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:2" in result.output
    result = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_cli_evaluate_scores_a_gold_corpus(loaded_url: str, tmp_path: Path) -> None:
    text = "Shelling hit Stepanakert. Officials in Baku and the town of Nowhereville."
    gold = {"id": "d1", "text": text, "toponyms": [
        {"start": 13, "end": 24, "surface": "Stepanakert", "lat": 39.8156, "lon": 46.752},
        {"start": 39, "end": 43, "surface": "Baku", "lat": 40.4093, "lon": 49.8671},
        {"start": 60, "end": 72, "surface": "Nowhereville", "lat": 10.0, "lon": 10.0}]}
    assert text[60:72] == "Nowhereville"
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "evaluate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    exact = figures["recognition_exact"]
    assert (exact["tp"], exact["fp"], exact["fn"]) == (2, 0, 1)
    assert exact["precision"] == 1.0 and exact["recall"] == pytest.approx(2 / 3)
    assert figures["resolution_exact"]["acc161"] == 1.0


# -- perspective report --------------------------------------------------------------------------
def test_report_counts_holders_and_suggests_a_fair_first_mention(gazetteer: Gazetteer) -> None:
    one_sided = gazetteer.report("Shelling hit Stepanakert on Monday. Residents of Stepanakert fled.")
    assert one_sided.mentions == 2
    assert {use.holder: use.mentions for use in one_sided.holders}["international-media"] == 2
    suggestion = one_sided.suggestions[0]
    assert suggestion.id == "stepanakert" and suggestion.first_mention == 13
    assert "Khankendi" in suggestion.suggestion and suggestion.other_names["AZ-gov"] == "Khankendi"
    assert suggestion.usage_note
    both = gazetteer.report("Stepanakert, which Azeris call Khankendi, was shelled.")
    assert both.suggestions == []  # both sides' names are given
    assert [(p.id, p.names) for p in both.named_two_ways] == [("stepanakert", {"Stepanakert": 1, "Khankendi": 1})]
    assert "Azerbaijani" not in str(gazetteer.report("Azerbaijani officials said so.").to_dict())  # a demonym


def test_cli_report(loaded_url: str) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "report", str(seed)])
    assert result.exit_code == 0, result.output
    assert "azerbaijani-community" in result.output and "Khankendi" in result.output
    assert "places named more than one way" in result.output
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "report", "-", "--format", "json"],
                                input="Shelling hit Stepanakert.")
    assert json.loads(result.output)["suggestions"][0]["id"] == "stepanakert"


def test_cli_annotate_html_escapes_and_geojson_counts(loaded_url: str, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text('<script>alert(1)</script> Stepanakert & "Khankendi"; Stepanakert again.', encoding="utf-8")
    runner = CliRunner()
    page = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(article), "--format", "html"]).output
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.count("<mark ") == 3 and 'data-place="stepanakert"' in page
    assert "azerbaijani-community" in page  # the tooltip says whose name Khankendi is
    result = runner.invoke(main, ["--database-url", loaded_url, "annotate", str(article), "--format", "geojson"])
    collection = json.loads(result.output)
    assert collection["type"] == "FeatureCollection" and collection["attribution"]
    feature = next(f for f in collection["features"] if f["id"] == "stepanakert")
    assert feature["properties"]["names_used"] == {"Stepanakert": 2, "Khankendi": 1}
    assert feature["geometry"]["coordinates"] == pytest.approx([46.752, 39.8156], abs=0.01)
    import geopandas

    path = tmp_path / "mentions.geojson"
    path.write_text(result.output, encoding="utf-8")
    assert "stepanakert" in set(geopandas.read_file(path)["id"])
    import pyogrio

    assert pyogrio.read_info(path)["features"] == len(collection["features"])
