"""Configuration in one place: read from the environment, with defaults that need no set-up."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
BASE_LAYERS = ("none", "cities15000", "cities5000", "cities1000", "cities500")


def default_database_url() -> str:
    """SQLite file in the user's data directory (``~/.local/share/gazetteer/gazetteer.sqlite3``)."""
    directory = Path(platformdirs.user_data_dir("gazetteer", appauthor=False))
    return f"sqlite:///{directory / 'gazetteer.sqlite3'}"


def snapshot_root(database_url: str, snapshot_dir: Path | None = None) -> Path:
    """Where the built index of a database is kept (see ``store``): in ``snapshot_dir`` when given, one
    folder per database URL; else beside a SQLite file (``gazetteer.sqlite3.index/``), or in the
    user's cache directory for a server database."""
    if snapshot_dir is None and database_url.startswith("sqlite:///") \
            and not database_url.startswith("sqlite:///:memory:"):
        path = Path(database_url[len("sqlite:///"):].split("?", 1)[0]).expanduser()
        return path.with_name(path.name + ".index")
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    return (snapshot_dir or Path(platformdirs.user_cache_dir("gazetteer", appauthor=False)) / "index") / digest


@dataclass(frozen=True)
class Settings:
    """Everything the library and its two doors (Flask, Click) can be configured with.

    Environment: ``GAZETTEER_DATABASE_URL``, ``GAZETTEER_DATA_DIR``, ``GAZETTEER_BASE_LAYER``
    (``cities15000`` by default; ``cities5000``, ``cities1000``, ``cities500`` or ``none``),
    ``GAZETTEER_SNAPSHOT_DIR`` (where the built index is kept, a folder per database; by default beside
    a SQLite file, or in the user's cache directory).
    """

    database_url: str = field(default_factory=default_database_url)
    data_dir: Path = PACKAGE_ROOT / "data"
    seeds_dir: Path = PACKAGE_ROOT / "seeds"
    base_layer: str = "cities15000"
    snapshot_dir: Path | None = None  # see snapshot_root

    @property
    def snapshot_root(self) -> Path:
        return snapshot_root(self.database_url, self.snapshot_dir)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {}
        if env.get("GAZETTEER_DATABASE_URL"):
            values["database_url"] = env["GAZETTEER_DATABASE_URL"]
        if env.get("GAZETTEER_DATA_DIR"):
            values["data_dir"] = Path(env["GAZETTEER_DATA_DIR"])
        if env.get("GAZETTEER_SNAPSHOT_DIR"):
            values["snapshot_dir"] = Path(env["GAZETTEER_SNAPSHOT_DIR"])
        if env.get("GAZETTEER_BASE_LAYER"):
            values["base_layer"] = env["GAZETTEER_BASE_LAYER"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "data_dir" in values and "seeds_dir" not in values:
            # The seed articles live beside the data they are cited from.
            values["seeds_dir"] = Path(str(values["data_dir"])).parent / "seeds"
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.base_layer not in BASE_LAYERS:
            raise ValueError(f"base layer must be one of {', '.join(BASE_LAYERS)}, not {settings.base_layer!r}")
        return settings
