"""What hostile data or hostile arguments do to the CLI (issue 19, items 8, 9 and 11): formula cells in
`gazetteer export --format csv`, numbers that are not plain ASCII decimals, the Host allow-list and the
public URL `gazetteer serve` hands the server, and `db validate` on bytes that are not UTF-8 and on a
source's record_pattern that is not a regular expression."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from api import create_app
from gazetteer.cli import main
from tests.api.test_hostile_requests import FORMULA_NAME, falklands_rows, formula_data


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The global options for a database of the curated layer alone, from the copy with formula cells."""
    root = tmp_path_factory.mktemp("formulas-cli")
    options = ["--database-url", f"sqlite:///{root / 'formulas.sqlite3'}", "--data-dir", str(formula_data(root)),
               "--base-layer", "none"]
    result = CliRunner().invoke(main, [*options, "db", "init", "--no-snapshot"])
    assert result.exit_code == 0, result.output
    return options


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# -- item 8: CSV injection ----------------------------------------------------------------------------
def test_csv_export_neutralises_formula_cells_and_keeps_numbers(small: list[str], tmp_path: Path) -> None:
    out = tmp_path / "names.csv"
    result = run(*small, "export", "--format", "csv", "--kind", "islands", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = falklands_rows(out.read_text(encoding="utf-8"))
    names = {r["name"]: r for r in rows}
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    assert names["'@SUM(1+1)"]["valid_from"] == "-500" and names["'@SUM(1+1)"]["note"].startswith("'-2+3")
    assert all(r["place_label"] == "'-Falklands-" and r["lon"].startswith("-5") for r in rows)
    stdout = run(*small, "export", "--format", "csv", "--kind", "islands").output
    assert "'" + FORMULA_NAME.replace('"', '""') in stdout and ',"=HYPERLINK' not in stdout


# -- item 11: numbers on the command line --------------------------------------------------------
@pytest.mark.parametrize("args,option", [
    (["reverse", "nan", "46"], "'LAT'"),
    (["reverse", "40", "\u0664\u0666"], "'LON'"),
    (["reverse", "40", "4_6"], "'LON'"),
    (["contains", "inf", "46"], "'LAT'"),
    (["reverse", "40", "46", "--radius", "inf"], "'--radius'"),
    (["reverse", "40", "46", "--limit", "\u0663"], "'--limit'"),
    (["lookup", "Baku", "--limit", "1_0"], "'--limit'"),
    (["search", "Baku", "--at", "1_990"], "'--at'"),
])
def test_cli_numbers_must_be_finite_ascii_decimals(small: list[str], args: list[str], option: str) -> None:
    result = run(*small, *args)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for {option}" in result.output and "ASCII digits" in result.output


@pytest.mark.parametrize("bbox", ["30,50,31,nan", "30,50,31,5_1", "30,50,31,\u0665\u0661", "30,50,inf,51"])
def test_cli_export_bbox_must_be_finite_ascii_decimals(small: list[str], bbox: str) -> None:
    result = run(*small, "export", "--format", "geojson", "--bbox", bbox)
    assert result.exit_code == 1
    assert "error: bbox must be four numbers west,south,east,north (finite, in ASCII digits)" in result.output


def test_cli_plain_numbers_still_work(small: list[str]) -> None:
    assert run(*small, "reverse", "-51.7", "-57.85", "--limit", "1", "--radius", "1e2").exit_code == 0
    result = run(*small, "export", "--format", "geojson", "--bbox", "45.5, 39, 47.5, 40.5")
    assert result.exit_code == 0 and "stepanakert" in result.output
    assert run(*small, "annotate", "--near", "\u0663\u0669,46", "-", "--format", "json").exit_code != 0  # not a point


# -- item 9: what `gazetteer serve` hands the server ---------------------------------------------------
@pytest.fixture()
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """`gazetteer serve` up to gunicorn: the command and environment it would exec."""
    seen: dict[str, Any] = {}

    def execve(path: str, command: list[str], env: dict[str, str]) -> None:
        seen.update(command=command, env=env)

    monkeypatch.setattr(os, "execve", execve)
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: "/usr/bin/gunicorn")
    return seen


def test_serve_allows_its_bind_address_and_passes_the_public_url(small: list[str], served: dict[str, Any],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(*small, "serve", "--host", "192.168.7.5", "--public-url", "https://Gaz.example.org/names")
    assert result.exit_code == 0, result.output
    env = served["env"]
    assert env["GAZETTEER_PUBLIC_URL"] == "https://gaz.example.org/names/"
    assert env["GAZETTEER_ALLOWED_HOSTS"].split(",") == ["localhost", "127.0.0.1", "[::1]", "192.168.7.5"]
    for name in ("GAZETTEER_PUBLIC_URL", "GAZETTEER_ALLOWED_HOSTS", "GAZETTEER_DATABASE_URL", "GAZETTEER_DATA_DIR",
                 "GAZETTEER_BASE_LAYER"):
        monkeypatch.setenv(name, env[name])
    client = create_app({"TESTING": True}).test_client()  # the app gunicorn would make, from that environment
    for host, status in [("192.168.7.5:8000", 200), ("gaz.example.org", 200), ("localhost", 200), ("evil.example", 400)]:
        response = client.get("/v1/export/lpf?country=AZ&kind=settlement", headers={"Host": host})
        body = response.get_data(as_text=True)
        assert response.status_code == status, host
        if status == 200:
            assert "https://gaz.example.org/names/v1/places/stepanakert" in {f["@id"] for f in json.loads(body)["features"]}


def test_serve_on_every_address_adds_none_and_a_bad_public_url_is_refused(small: list[str],
                                                                          served: dict[str, Any]) -> None:
    assert run(*small, "serve", "--host", "0.0.0.0").exit_code == 0
    assert served["env"]["GAZETTEER_ALLOWED_HOSTS"] == "localhost,127.0.0.1,[::1]"
    assert served["env"]["GAZETTEER_PUBLIC_URL"] == ""
    served.clear()
    result = run(*small, "serve", "--public-url", "ftp://gaz.example.org/")
    assert result.exit_code == 2 and "Invalid value for '--public-url'" in result.output and not served
    result = CliRunner().invoke(main, [*small, "serve"], env={"GAZETTEER_ALLOWED_HOSTS": "http://x/"})
    assert result.exit_code == 2 and "allowed hosts" in result.output and not served


# -- item 11: db validate -----------------------------------------------------------------------------
def test_invalid_utf8_is_reported_at_its_line(data_copy: Path) -> None:
    names = data_copy / "names" / "karabakh.tsv"
    data = names.read_bytes()
    line = data.count(b"\n") + 1
    names.write_bytes(data + b"stepanakert\tStepanakert\xff\ten\n")
    polygon = data_copy / "polygons" / "crimea.geojson"
    polygon.write_bytes(b'{"type": "Feature",\n "properties": {},\n "name": "Krym\xc3"}\n')
    result = run("--data-dir", str(data_copy), "db", "validate")
    assert result.exit_code == 1
    assert f"data/names/karabakh.tsv:{line}: not UTF-8: invalid start byte at byte 24 of the line" in result.output
    assert "data/polygons/crimea.geojson:3: not UTF-8" in result.output


def test_a_record_pattern_that_is_not_a_regex_is_reported(data_copy: Path) -> None:
    sources = data_copy / "sources" / "core.tsv"
    lines = sources.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("geonames\t"))
    assert "\t[0-9]+\t" in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace("\t[0-9]+\t", "\t[0-9+\t")
    sources.write_text("\n".join(lines), encoding="utf-8")
    result = run("--data-dir", str(data_copy), "db", "validate")
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("data/")]
    assert problems == [f"data/sources/core.tsv:{number}: record_pattern '[0-9+' is not a regular expression: "
                        "unterminated character set at position 0"]
