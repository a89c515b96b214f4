"""The index snapshot: built once per data version, opened (not rebuilt) by the next process, rebuilt
when the data changes or its files are damaged, and never seen half-written."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer, Settings
from gazetteer import index as index_module
from gazetteer import store as store_module
from gazetteer import tagger as tagger_module
from gazetteer.cli import main

from .conftest import SEEDS, settings_for

ARTICLE = "Azerbaijani forces entered Khankendi, which Armenians call Stepanakert, and Shusha."


def _settings(url: str, snapshots: Path, base_layer: str = "none") -> Settings:
    settings = settings_for(url, base_layer=base_layer)
    return Settings(database_url=settings.database_url, data_dir=settings.data_dir, seeds_dir=SEEDS,
                    base_layer=base_layer, snapshot_dir=snapshots)


def _answers(settings: Settings) -> tuple:
    gaz = Gazetteer.open(settings=settings)
    try:
        lookup = [(r.id, r.label, r.match) for r in gaz.lookup("Khankendi")]
        fuzzy = [r.id for r in gaz.lookup("Stepanakertt")]
        prefix = [r.id for r in gaz.search("Stepan", prefix=True, fuzzy=False)]
        mentions = [(m.surface, m.id, m.claim.name) for m in gaz.annotate(ARTICLE, date=2024)]
        near = [p.id for p in gaz.reverse(39.815, 46.752, limit=5)]
        return lookup, fuzzy, prefix, mentions, near
    finally:
        gaz.close()


def _snapshots(root: Path) -> list[Path]:
    return sorted(p for folder in root.iterdir() for p in folder.iterdir() if p.name.startswith("v"))


@pytest.fixture()
def fresh(database_factory, tmp_path: Path) -> Settings:  # type: ignore[no-untyped-def]
    """A new SQLite database with data/ and no base layer, and an empty snapshot folder."""
    settings = _settings(database_factory("sqlite"), tmp_path / "snapshots")
    Gazetteer.open(settings=settings, build=True).close()
    return settings


def test_the_second_process_opens_the_snapshot_instead_of_building(fresh: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = _answers(fresh)
    assert first[0][0][0] == "stepanakert" and first[1][0] == "stepanakert" and "stepanakert" in first[2]
    assert ("Khankendi", "stepanakert", "Khankendi") in first[3]
    [snapshot] = _snapshots(fresh.snapshot_dir)  # type: ignore[arg-type]
    assert (snapshot / "complete").exists() and (snapshot / "tagger" / "complete").exists()

    def no_building(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the index or the tagger was built again")

    monkeypatch.setattr(index_module.NameIndex, "build", no_building)
    monkeypatch.setattr(tagger_module.Tagger, "__init__", no_building)
    assert _answers(fresh) == first


def test_new_data_gets_a_new_snapshot_and_the_old_one_goes(fresh: Settings) -> None:
    before = _answers(fresh)
    [old] = _snapshots(fresh.snapshot_dir)  # type: ignore[arg-type]
    bigger = Settings(**{**fresh.__dict__, "base_layer": "cities15000"})
    Gazetteer.open(settings=bigger).init()
    after = _answers(bigger)
    [new] = _snapshots(fresh.snapshot_dir)  # type: ignore[arg-type]
    assert new != old and not old.exists()
    assert after[0] == before[0]  # the curated place, whatever the base layer
    assert len(after[4]) == 5 and after[4] != before[4]  # places of the base layer near Khankendi now (Susa)


def test_a_snapshot_built_by_other_code_is_not_read_but_rebuilt(fresh: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An upgrade that changes how the tagger's tables are built (same data, same schema) must not read
    the old snapshot: its key holds a digest of the building modules' code."""
    first = _answers(fresh)
    [old] = _snapshots(fresh.snapshot_dir)  # type: ignore[arg-type]
    monkeypatch.setattr(store_module, "code_digest", lambda: "other-code")
    assert _answers(fresh) == first
    [new] = _snapshots(fresh.snapshot_dir)  # type: ignore[arg-type]
    assert new != old and not old.exists()


def test_a_damaged_snapshot_is_rebuilt(fresh: Settings) -> None:
    first = _answers(fresh)
    [snapshot] = _snapshots(fresh.snapshot_dir)  # type: ignore[arg-type]
    (snapshot / "small.pickle").write_bytes(b"not a pickle")
    (snapshot / "tagger" / "tables.pickle").write_bytes(b"")
    assert _answers(fresh) == first
    [again] = _snapshots(fresh.snapshot_dir)  # type: ignore[arg-type]
    assert (again / "complete").exists() and (again / "tagger" / "complete").exists()


def test_a_snapshot_folder_that_cannot_be_written_still_answers(fresh: Settings, tmp_path: Path) -> None:
    expected = _answers(fresh)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings = Settings(**{**fresh.__dict__, "snapshot_dir": blocked})
    assert _answers(settings) == expected


def _lookup_in_child(settings: Settings, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    queue.put(_answers(settings))


def test_processes_building_at_once_publish_one_whole_snapshot(fresh: Settings) -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    children = [context.Process(target=_lookup_in_child, args=(fresh, queue)) for _ in range(2)]
    for child in children:
        child.start()
    answers = [queue.get(timeout=300) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert answers[0] == answers[1] == _answers(fresh)
    [folder] = list(fresh.snapshot_dir.iterdir())  # type: ignore[union-attr]
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary folder left
    [snapshot] = _snapshots(fresh.snapshot_dir)  # type: ignore[arg-type]
    assert (snapshot / "complete").exists()


def test_cli_db_init_builds_the_snapshot_and_lookup_uses_it(database_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("sqlite")
    snapshots = tmp_path / "snapshots"
    env = {"GAZETTEER_SNAPSHOT_DIR": str(snapshots)}
    runner = CliRunner()
    result = runner.invoke(main, ["--database-url", url, "--base-layer", "none", "db", "init"], env=env)
    assert result.exit_code == 0, result.output
    assert "index snapshot built" in result.output
    [snapshot] = _snapshots(snapshots)
    assert (snapshot / "tagger" / "complete").exists()
    result = runner.invoke(main, ["--database-url", url, "lookup", "Xankəndi", "--format", "jsonl"], env=env)
    assert result.exit_code == 0, result.output
    assert '"id": "stepanakert"' in result.output
    assert _snapshots(snapshots) == [snapshot]
