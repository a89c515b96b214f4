"""Fixtures: a real database per backend (a SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from gazetteer import Gazetteer, Settings

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("GAZETTEER_TEST_DATA_DIR") or REPO / "data")  # another copy of data/ to test against
SEEDS = REPO / "seeds"
POSTGRES_ENV = "GAZETTEER_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


NO_POSTGRES = f"{POSTGRES_ENV} is not set: the PostgreSQL variant of this test is skipped"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without PostgreSQL its variants are skipped by a mark, before any fixture is set up: pytest's
    summary (`-rs`, in pyproject.toml) then gives the reason once per file, not once per test."""
    if os.environ.get(POSTGRES_ENV):
        return
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            item.add_marker(pytest.mark.skip(reason=NO_POSTGRES))


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(NO_POSTGRES)
    return url


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Make an empty database on a backend: a new SQLite file, or a new PostgreSQL schema."""
    schemas: list[tuple[str, str]] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'gazetteer.sqlite3'}"
        url = _postgres_url()
        schema = f"gz_test_{uuid.uuid4().hex[:10]}"
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        schemas.append((url, schema))
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}options=-csearch_path%3D{schema}"

    yield make
    for url, schema in schemas:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def snapshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index snapshots of the test databases go to a temporary folder (one per database URL), not
    the user's cache, for this process and the CLI and server processes the tests start."""
    path = tmp_path_factory.mktemp("snapshots")
    os.environ["GAZETTEER_SNAPSHOT_DIR"] = str(path)
    return path


def settings_for(url: str, data_dir: Path = DATA, base_layer: str = "cities15000") -> Settings:
    snapshots = os.environ.get("GAZETTEER_SNAPSHOT_DIR")
    return Settings(database_url=url, data_dir=data_dir, seeds_dir=SEEDS, base_layer=base_layer,
                    snapshot_dir=Path(snapshots) if snapshots else None)


@pytest.fixture(scope="session", params=BACKENDS)
def loaded_url(request: pytest.FixtureRequest, database_factory) -> str:  # type: ignore[no-untyped-def]
    """A database built from data/ with the default base layer, shared by the read-only tests."""
    url = database_factory(request.param)
    Gazetteer.open(settings=settings_for(url), build=True).close()
    return url


@pytest.fixture(scope="session")
def gazetteer(loaded_url: str) -> Iterator[Gazetteer]:
    """One Gazetteer per backend for the read-only tests (its in-memory indexes are built once)."""
    gaz = Gazetteer.open(settings=settings_for(loaded_url))
    yield gaz
    gaz.close()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (with seeds/ beside it) to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return target
