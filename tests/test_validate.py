"""`gazetteer db validate`: the shipped data passes; each kind of broken row is reported by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer.cli import main
from gazetteer.datafiles import COLUMNS


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def append(path: Path, line: str) -> int:
    """Append a row; return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return (text + line).count("\n") + 1  # lines end at "\n" only


def test_shipped_data_is_valid() -> None:
    result = run("db", "validate")
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output


GOOD_CLAIM = "stepanakert\tStepanakert\ten\texonym\tarmenian-community\t1923\t\thigh\tseed:000_adc95b6c9db2056a\t"


@pytest.mark.parametrize("table,row,reason", [
    ("names", GOOD_CLAIM.replace("\ten\t", "\tnot_a_tag!\t"), "is not a valid BCP 47 tag"),
    ("names", GOOD_CLAIM.replace("stepanakert\t", "atlantis\t", 1), "place 'atlantis' is not a place id"),
    ("names", GOOD_CLAIM.replace("armenian-community", "martians"), "holder 'martians' is not a holder id"),
    ("names", GOOD_CLAIM.replace("seed:000_adc95b6c9db2056a", "wof:abc"), "record must match"),
    ("names", GOOD_CLAIM.replace("seed:000_adc95b6c9db2056a", "nosuch:1"), "unknown source 'nosuch'"),
    ("names", GOOD_CLAIM.replace("seed:000_adc95b6c9db2056a", "seed:missing_article"), "no seed article"),
    ("names", GOOD_CLAIM.replace("\tStepanakert\t", "\tShushi\t"), "does not occur in that seed article"),
    ("names", GOOD_CLAIM.replace("\tseed:000_adc95b6c9db2056a", "\t"), "citations is empty"),
    ("names", GOOD_CLAIM.replace("\t1923\t\t", "\t1991\t1923\t"), "valid_from 1991 is after valid_to 1923"),
    ("names", GOOD_CLAIM.replace("\texonym\t", "\tnickname\t"), "kind 'nickname' is not one of"),
    ("names", "stepanakert\tStepanakert\ten", "3 columns, expected 10"),
    ("names", GOOD_CLAIM.replace("\tStepanakert\t", "\tStepan\u2028akert\t"), "line-separator character U+2028"),
    ("places", "baku\tsettlement\tBaku again\t40.4\t49.8\tAZ\t\t\t\t\t0\tgeonames:587084\t", "duplicate id 'baku'"),
    ("places", "nowhere\tsettlement\tNowhere\t95\t10\t\t\t\t\t\t0\tgeonames:587084\t", "out of range"),
    ("places", "paris-in-az\tsettlement\tParis?\t48.85\t2.35\tAZ\t\t\t\t\t0\tgeonames:2988507\t",
     "outside its country AZ"),
])
def test_broken_row_is_reported_with_file_and_line(data_copy: Path, table: str, row: str, reason: str) -> None:
    target = data_copy / table / ("karabakh.tsv" if (data_copy / table / "karabakh.tsv").exists() else "other.tsv")
    if not target.exists():
        target = sorted((data_copy / table).glob("*.tsv"))[0]
    line = append(target, row)
    result = run("--data-dir", str(data_copy), "db", "validate")
    assert result.exit_code == 1
    expected = f"data/{table}/{target.name}:{line}: "
    reported = [ln for ln in result.output.splitlines() if ln.startswith(expected)]
    assert reported, result.output
    assert any(reason in ln for ln in reported), reported


SPELLING_ONLY = "stepanakert\tXankəndi şəhəri (test)\taz-Latn\tofficial\tAZ-gov\t\t\tmedium\twof:1141908131\tspelling record only"


@pytest.mark.parametrize("table,row,reason", [
    # a gazetteer record shows the spelling, not who uses it
    ("names", SPELLING_ONLY, "claim with holders (AZ-gov) cites no source that attests usage"),
    ("names", SPELLING_ONLY.replace("\tAZ-gov\t", "\tAZ-gov;TR-gov\t"), "(AZ-gov, TR-gov) cites no source"),
    ("names", SPELLING_ONLY.replace("wof:1141908131", "doc-az-law-nkao-abolition-1991").replace(
        "\tspelling record only", "\t"), "claim with holders has no note"),
    # a year no usage source dates may not be stated with high certainty
    ("names", SPELLING_ONLY.replace("\t\t\tmedium\twof:1141908131", "\t1992\t\thigh\tdoc-az-law-nkao-abolition-1991"),
     "valid_from 1992 is dated by none of its usage sources"),
    ("names", SPELLING_ONLY.replace("wof:1141908131", "doc-az-law-nkao-abolition-1991#"), "empty locator"),
    ("names", SPELLING_ONLY.replace("\taz-Latn\t", "\taz\t"), "az is written in more than one script"),
    ("names", SPELLING_ONLY.replace("\taz-Latn\t", "\tru\t"), "'ru' is written in Cyrl, but the name is in Latn"),
    ("sources", "wp-somewhere\tweb\tusage\tA page\t\t\t\t\t", "a web source needs the url of the page read"),
    ("sources", "wp-somewhere\tweb\tusage\tA page\tftp://x\t\t\t\t", "is not an http(s) address"),
    ("sources", "gaz-x\tdataset\tusage\tA gazetteer\t\t\t\t\t", "attests must be 'spelling'"),
    ("sources", "doc-x\tdocument\tproof\tA law\t\t199x\t\t\t", "attests 'proof' is not one of"),
    ("sources", "doc-x\tdocument\tusage\tA law\t\t199x\t\t\t", "years: '199x' is not a year"),
])
def test_evidence_rules_are_reported_with_file_and_line(data_copy: Path, table: str, row: str, reason: str) -> None:
    target = data_copy / table / "zz-test.tsv"
    header = "\t".join(COLUMNS[table])
    target.write_text(header + "\n", encoding="utf-8")
    line = append(target, row)
    result = run("--data-dir", str(data_copy), "db", "validate")
    assert result.exit_code == 1
    reported = [ln for ln in result.output.splitlines() if ln.startswith(f"data/{table}/zz-test.tsv:{line}: ")]
    assert any(reason in ln for ln in reported), (reason, reported)


def test_proven_claims_pass_the_evidence_rules(data_copy: Path) -> None:
    """The same claim passes once it cites a usage source (with a locator) that dates its year, or with
    its holders dropped and the spelling kept."""
    target = data_copy / "names" / "zz-test.tsv"
    target.write_text("\t".join(COLUMNS["names"]) + "\n",
                      encoding="utf-8")
    append(target, SPELLING_ONLY.replace("\t\t\tmedium\twof:1141908131", "\t1991\t\thigh\t"
                                         "wof:1141908131;doc-az-law-nkao-abolition-1991#art. 2"))
    append(target, SPELLING_ONLY.replace("\tAZ-gov\t", "\t\t").replace("\tofficial\t", "\tvariant\t"))
    result = run("--data-dir", str(data_copy), "db", "validate")
    assert result.exit_code == 0 and "is valid" in result.output, result.output


def test_polygon_that_is_not_geojson_is_reported(data_copy: Path) -> None:
    (data_copy / "polygons" / "broken.geojson").write_text("{not json", encoding="utf-8")
    result = run("--data-dir", str(data_copy), "db", "validate")
    assert result.exit_code == 1
    assert "data/polygons/broken.geojson:1: not GeoJSON" in result.output


def test_missing_data_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "nope"), "db", "validate")
    assert result.exit_code == 1
    assert "data directory not found" in result.output
