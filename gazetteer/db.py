"""The database: engine creation and loading ``data/`` plus the base layer in one transaction."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, delete, event, insert, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import NullPool

from . import model
from .datafiles import Dataset, polygon_geometry, source_years, split_multi
from .errors import DatabaseNotReady, DatabaseNotWritable, InvalidInput
from .normalize import KEYS_VERSION, keys

if TYPE_CHECKING:
    from .base import BasePlace

# Called as progress(stage, done, total) while loading; total is None when unknown.
Progress = Callable[[str, int, int | None], None]
T = TypeVar("T")
BATCH = 5000
# Bumped whenever the tables or the stored keys change; a database built by another version is
# rebuilt by `db init` (and on first use by `gazetteer serve` / `Gazetteer.open(build=True)`).
SCHEMA_VERSION = f"11.{KEYS_VERSION}"  # 7: small namesakes, AP state abbreviations; 8: a town's region;
# 9: what a source attests (spelling or usage), its url and years; 10: US counties in the base layer;
# 11: a curated town's spare GeoNames alternate names (base-layer claims on a curated place)


def make_engine(url: str) -> Engine:
    """An engine for a SQLite path URL (its folder is created) or any other SQLAlchemy URL."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(f"not a database URL: {url!r}") from exc
    if parsed.drivername == "postgresql":  # no driver named: use psycopg 3, the one we install
        parsed = parsed.set(drivername="postgresql+psycopg")
    options: dict[str, Any] = {"pool_pre_ping": True}
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # A connection per use (opening a SQLite file takes microseconds): `db init` replaces the file with
        # a rename, and a pooled connection would go on reading the old one (see ``replacing``).
        options = {"poolclass": NullPool}
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise InvalidInput(f"no driver for database URL {url!r}: {exc}") from exc
    if parsed.drivername.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    return engine


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite database (None for an in-memory one or another database)."""
    url = engine.url
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:"):
        return Path(url.database).expanduser()
    return None


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Engine]:
    """An engine on a new, empty SQLite file beside ``path``, renamed over ``path`` when the block ends
    without an error (atomically: a reader opens the old data or the new, never a locked or half-written
    file) and removed when it fails, leaving ``path`` as it was. Raises ``DatabaseNotWritable`` when the
    new file cannot be written (a read-only file or folder, a full disk)."""
    if path.exists() and not os.access(path, os.W_OK):
        raise DatabaseNotWritable(f"the database {path} is read-only; nothing was changed")
    new = path.with_name(f".{path.name}.new-{os.getpid()}")
    engine = None
    try:
        _remove_leftovers(path)
        for leftover in (new, new.with_name(new.name + "-journal")):
            leftover.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{new}")
        yield engine
        engine.dispose()
        if path.exists():  # the service reading it keeps its access: the old file's mode (and owner, if allowed)
            old = path.stat()
            os.chmod(new, stat.S_IMODE(old.st_mode))
            with contextlib.suppress(OSError):
                os.chown(new, old.st_uid, old.st_gid)
        os.replace(new, path)
        with contextlib.suppress(OSError):  # the rename itself made durable
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except (OSError, DatabaseError, DatabaseNotReady) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise DatabaseNotWritable(f"cannot write the new database beside {path} ({reason}); "
                                  f"the old data is unchanged") from exc
    finally:
        if engine is not None:
            engine.dispose()
        for leftover in (new, new.with_name(new.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _remove_leftovers(path: Path) -> None:
    """The new files of earlier `db init` runs that were killed before they could remove them."""
    for leftover in path.parent.glob(f".{path.name}.new-*"):
        pid = leftover.name.rsplit("-", 2 if leftover.name.endswith("-journal") else 1)[1]
        try:
            os.kill(int(pid), 0)  # still running: its file
        except (ValueError, ProcessLookupError):
            with contextlib.suppress(OSError):
                leftover.unlink()
        except PermissionError:  # another user's live process
            pass


def _meta(engine: Engine) -> dict[str, str]:
    """The meta table ({} when there is none)."""
    try:
        if not inspect(engine).has_table("meta"):
            return {}
        with engine.connect() as conn:
            return {key: value for key, value in conn.execute(select(model.Meta.key, model.Meta.value))}
    except OperationalError as exc:
        raise DatabaseNotReady(f"cannot reach the database: {exc.orig}") from exc


def stale_version(engine: Engine, data_dir: Path) -> tuple[str, str] | None:
    """(loaded, current) data versions when the database was loaded from other data files or by other base-layer
    code than ``data_dir`` and this package hold (the base layer loaded is kept in the comparison); None when
    they agree or nothing is loaded. Such a database still serves, with what it was loaded with."""
    from .datafiles import data_version

    meta = _meta(engine)
    loaded, layer = meta.get("data_version"), meta.get("base_layer")
    if not loaded or not layer:
        return None
    current = _version(data_version(data_dir), layer)
    return (loaded, current) if loaded != current else None


def _version(data: str, base_layer: str) -> str:
    """A database's data version: the data files' digest, the base layer, and the base-layer code's digest."""
    from .base import layer_digest
    return f"{data}-{base_layer}" if base_layer == "none" else f"{data}-{base_layer}-{layer_digest()}"


def is_initialized(engine: Engine) -> bool:
    """True when this version's schema exists and a data version has been loaded."""
    meta = _meta(engine)
    return "data_version" in meta and meta.get("schema_version") == SCHEMA_VERSION


def _name_keys(name: str) -> dict[str, str]:
    folded, cross = keys(name)
    return {"name_key": folded, "cross_key": cross}


def _base_claim(claim_id: int, place_id: str, name: str, lang: str, kind: str, citation: str,
                note: str | None = None) -> dict[str, Any]:
    """A base-layer name claim row: undated, medium certainty, one citation."""
    return {"id": claim_id, "place_id": place_id, "name": name, **_name_keys(name), "lang": lang, "kind": kind,
            "valid_from": None, "valid_to": None, "certainty": "medium", "citations": [citation], "note": note,
            "layer": "base"}


def base_places(layer: str, replaced: set[str]) -> Iterator[BasePlace]:
    """The base layer's places (``base.base_places``; the module and its tables are loaded only here)."""
    from .base import base_places as places
    return places(layer, replaced)


def _extra_claims(place: BasePlace) -> Iterator[tuple[str, str, str, str, str | None]]:
    """A base place's names from other sources than its own record: a country's from countryinfo, its
    former names from ISO 3166-3, its cited short names (Britain); a country's or a city's names from Unicode
    CLDR (Турция, Рим); a division's abbreviations (AP for US states, Canada's traditional ones, Australia's ISO
    codes) and its further names from Natural Earth: (name, language, kind, citation, note)."""
    from .base import COUNTRYINFO_SOURCE  # (the base layer's tables: imported only when loading)
    for name, lang, kind in place.country_names:
        yield name, lang, kind, f"{COUNTRYINFO_SOURCE}:{place.country}", None
    for name, citation, note in place.former_names:
        yield name, "en", "historical", citation, note
    for name, citation, note in place.abbreviations:
        yield name, "en", "short", citation, note
    for name, lang, kind, citation in place.other_names:
        yield name, lang, kind, citation, None


def _batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(conn: Connection, target: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows in batches (executemany); nothing for an empty list."""
    for batch in _batches(rows):
        conn.execute(insert(target), batch)


def _int(value: str) -> int | None:
    return int(value) if value else None


@dataclass
class LoadReport:
    data_version: str
    base_layer: str
    places: int
    curated_places: int
    name_claims: int
    seconds: float
    snapshot_seconds: float | None = None  # building the index snapshot, when it was built


def load(engine: Engine, dataset: Dataset, base_layer: str, progress: Progress | None = None) -> LoadReport:
    """Replace the database's content with ``dataset`` and the base layer, in one transaction.

    The caller validates first; if anything fails here the transaction rolls back and the database
    is exactly as it was.
    """
    from .base import ADMIN1_SOURCE, CITATION_SOURCE
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    try:
        meta = _meta(engine)
        if meta and meta.get("schema_version") != SCHEMA_VERSION:  # built by another version: rebuild the tables
            model.Base.metadata.drop_all(engine)
        model.Base.metadata.create_all(engine)
    except OperationalError as exc:
        raise DatabaseNotReady(f"cannot reach the database: {exc.orig}") from exc
    version = _version(dataset.version, base_layer)
    with engine.begin() as conn:
        for table in reversed(model.Base.metadata.sorted_tables):
            conn.execute(delete(table))
        report("curated layer", 0, None)
        _insert(conn, model.Source, [
            {"id": r["id"], "kind": r["kind"], "title": r["title"], "attests": r["attests"], "url": r["url"] or None,
             "years": source_years(r["years"]), "record_pattern": r["record_pattern"] or None,
             "licence": r["licence"] or None, "note": r["note"] or None} for r in dataset.rows("sources")])
        _insert(conn, model.Holder, [
            {"id": r["id"], "kind": r["kind"], "label": r["label"], "note": r["note"] or None}
            for r in dataset.rows("holders")])
        places, external = [], []
        for r in dataset.rows("places"):
            polygon = None
            if r["polygon"]:
                polygon = polygon_geometry(dataset.polygons[r["polygon"]]).__geo_interface__
            places.append({
                "id": r["id"], "kind": r["kind"], "label": r["label"], "lat": float(r["lat"]),
                "lon": float(r["lon"]), "country": r["country"] or None, "layer": "curated",
                "priority": int(r["priority"] or 0), "population": None, "polygon": polygon,
                "citations": split_multi(r["citations"]), "note": r["note"] or None, "region": None})
            for scheme in ("wikidata", "geonames", "wof"):
                for value in dict.fromkeys(split_multi(r[scheme])):
                    external.append({"place_id": r["id"], "scheme": scheme, "value": value})
        _insert(conn, model.Place, places)
        _insert(conn, model.ExternalId, external)
        claims: list[dict[str, Any]] = []
        holders: list[dict[str, Any]] = []
        for claim_id, r in enumerate(dataset.rows("names"), start=1):
            claims.append({
                "id": claim_id, "place_id": r["place"], "name": r["name"], **_name_keys(r["name"]),
                "lang": r["lang"], "kind": r["kind"], "valid_from": _int(r["valid_from"]),
                "valid_to": _int(r["valid_to"]), "certainty": r["certainty"],
                "citations": split_multi(r["citations"]), "note": r["note"] or None, "layer": "curated"})
            holders.extend({"claim_id": claim_id, "holder_id": h} for h in dict.fromkeys(split_multi(r["holders"])))
        _insert(conn, model.NameClaim, claims)
        _insert(conn, model.claim_holders, holders)
        _insert(conn, model.UsageNote, [{"place_id": r["place"], "topic": r["topic"], "text": r["text"],
                  "citations": split_multi(r["citations"])} for r in dataset.rows("usage_notes")])
        _insert(conn, model.Relation, [{"place_id": r["place"], "relation": r["relation"], "other_id": r["other"],
                      "valid_from": _int(r["valid_from"]), "valid_to": _int(r["valid_to"]),
                      "view": r["view"] or None, "certainty": r["certainty"],
                      "citations": split_multi(r["citations"]), "note": r["note"] or None}
                     for r in dataset.rows("relations")])
        report("curated layer", len(places), len(places))

        curated_by_geonames = {e["value"]: e["place_id"] for e in external if e["scheme"] == "geonames"}
        replaced = set(curated_by_geonames)
        curated_names: dict[str, set[str]] = {}
        curated_keys: dict[str, set[str]] = {}  # a curated claim's search key -> the places that bear it
        for claim in claims:
            curated_names.setdefault(claim["place_id"], set()).add(claim["name"])
            curated_keys.setdefault(claim["name_key"], set()).add(claim["place_id"])
        next_claim = len(claims) + 1
        total_places, total_claims = len(places), len(claims)
        base = list(base_places(base_layer, replaced))
        populations: dict[str, int] = {}  # a curated place takes the population of the GeoNames entry it replaces
        base_count = sum(not place.replaced for place in base)
        if base:
            report(f"base layer ({base_layer})", 0, base_count)
        for place_batch in _batches(base, 2000):
            base_rows, base_ids, base_claims = [], [], []
            for place in place_batch:
                if place.replaced:
                    curated_id = curated_by_geonames[place.geonames_id or ""]
                    if place.population:
                        populations[curated_id] = max(populations.get(curated_id, 0), place.population)
                    # its names from other sources (CLDR…), then its spare GeoNames names cited to the town's record,
                    # those no other curated place bears
                    spare = [(name, lang, "variant", f"{CITATION_SOURCE}:{place.geonames_id}", None)
                             for name, lang in place.names
                             if curated_keys.get(keys(name)[0], set()) <= {curated_id}]
                    named = set(curated_names.get(curated_id, ()))
                    for name, lang, kind, source, note in _extra_claims(place):
                        if name not in curated_names.get(curated_id, ()):
                            base_claims.append(_base_claim(next_claim, curated_id, name, lang, kind, source, note))
                            next_claim += 1
                            named.add(name)
                    for name, lang, kind, source, note in spare:
                        if name not in named:
                            base_claims.append(_base_claim(next_claim, curated_id, name, lang, kind, source, note))
                            next_claim += 1
                    continue
                citation = place.citation or (f"{CITATION_SOURCE}:{place.geonames_id}" if place.geonames_id else
                                              f"{ADMIN1_SOURCE}:{place.country}:{place.label}")
                base_rows.append({
                    "id": place.id, "kind": place.kind, "label": place.label, "lat": place.lat,
                    "lon": place.lon, "country": place.country, "layer": "base", "priority": 0,
                    "population": place.population, "polygon": None,
                    "citations": [citation],
                    "note": place.note, "region": place.region})
                if place.geonames_id:
                    base_ids.append({"place_id": place.id, "scheme": "geonames", "value": place.geonames_id})
                for name, lang in place.names:
                    base_claims.append(_base_claim(next_claim, place.id, name, lang, "variant", citation))
                    next_claim += 1
                for name, lang, kind, source, note in _extra_claims(place):
                    base_claims.append(_base_claim(next_claim, place.id, name, lang, kind, source, note))
                    next_claim += 1
            _insert(conn, model.Place, base_rows)
            _insert(conn, model.ExternalId, base_ids)
            _insert(conn, model.NameClaim, base_claims)
            total_places += sum(not place.replaced for place in place_batch)
            total_claims += len(base_claims)
            report(f"base layer ({base_layer})", total_places - len(places), base_count)
        for place_id, population in populations.items():
            conn.execute(update(model.Place).where(model.Place.id == place_id).values(population=population))
        _insert(conn, model.Meta, [
            {"key": "data_version", "value": version},
            {"key": "schema_version", "value": SCHEMA_VERSION},
            {"key": "base_layer", "value": base_layer},
            {"key": "loaded_at", "value": datetime.now(timezone.utc).isoformat(timespec="seconds")},
        ])
    return LoadReport(version, base_layer, total_places, len(places), total_claims, time.perf_counter() - started)
