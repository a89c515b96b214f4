"""Loading is one transaction: bad data or a failure half-way leaves the database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from gazetteer import db as db_module
from gazetteer.cli import main
from gazetteer.errors import DataInvalid

from .conftest import BACKENDS, settings_for


@pytest.fixture(params=BACKENDS)
def small_db(request: pytest.FixtureRequest, database_factory) -> str:  # type: ignore[no-untyped-def]
    """A database loaded with data/ and no base layer (fast)."""
    url = database_factory(request.param)
    Gazetteer.open(settings=settings_for(url, base_layer="none"), build=True).close()
    return url


def snapshot(url: str) -> tuple:
    gaz = Gazetteer.open(settings=settings_for(url, base_layer="none"))
    try:
        status = gaz.status()
        place = gaz.place("stepanakert")
        return (status.data_version, status.places, status.name_claims, status.loaded_at, len(place.names))
    finally:
        gaz.close()


def test_cli_init_with_a_broken_row_reports_it_and_changes_nothing(small_db: str, data_copy: Path) -> None:
    before = snapshot(small_db)
    names = data_copy / "names" / "reference-karabakh.tsv"
    lines = names.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("\tmedium\t", "\tsomewhat\t")
    names.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--database-url", small_db, "--data-dir", str(data_copy),
                                       "--base-layer", "none", "db", "init"])
    assert result.exit_code == 1
    assert "data/names/reference-karabakh.tsv:6: certainty 'somewhat' is not one of" in result.output
    assert "the database was not changed" in result.output
    assert snapshot(small_db) == before


def test_a_failure_half_way_through_loading_rolls_everything_back(small_db: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(small_db)

    def exploding_base_layer(layer: str, replaced: set[str]):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(db_module, "base_places", exploding_base_layer)
    gaz = Gazetteer.open(settings=settings_for(small_db, base_layer="cities15000"))
    with pytest.raises(RuntimeError, match="disk full"):
        gaz.init()  # the curated layer was already written inside the transaction when this fails
    gaz.close()
    assert snapshot(small_db) == before


def test_python_init_raises_data_invalid_with_problems(small_db: str, data_copy: Path) -> None:
    (data_copy / "holders" / "core.tsv").open("a", encoding="utf-8").write("AZ-gov\tstate\tduplicate\t\n")
    gaz = Gazetteer.open(settings=settings_for(small_db, data_dir=data_copy, base_layer="none"))
    with pytest.raises(DataInvalid) as info:
        gaz.init()
    assert any("duplicate id 'AZ-gov'" in str(p) for p in info.value.problems)
    gaz.close()


def test_reloading_changes_the_data_version_when_the_data_changes(small_db: str, data_copy: Path) -> None:
    before = snapshot(small_db)
    with (data_copy / "names" / "reference-world.tsv").open("a", encoding="utf-8") as f:
        f.write("kyiv\tKyjiw\tde\texonym\t\t\t\tlow\twof:101752489\ttest row\n")
    gaz = Gazetteer.open(settings=settings_for(small_db, data_dir=data_copy, base_layer="none"))
    report = gaz.init()
    assert report.data_version != before[0]
    assert gaz.lookup("Kyjiw")[0].id == "kyiv"
    gaz.close()


def test_unreachable_database_is_a_clear_cli_error() -> None:
    result = CliRunner().invoke(main, ["--database-url", "postgresql://nobody@127.0.0.1:1/none", "db", "status"])
    assert result.exit_code == 1
    assert "error: cannot reach the database" in result.output


def test_nonsense_database_url_is_a_clear_cli_error() -> None:
    result = CliRunner().invoke(main, ["--database-url", "not a url", "db", "status"])
    assert result.exit_code == 1
    assert "not a database URL" in result.output
