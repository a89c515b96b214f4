"""The façade: one object with the verbs a user thinks in. Flask and Click are two doors into it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from . import db, export, model
from .config import Settings
from .datafiles import Problem, check
from .errors import DatabaseNotReady, DataInvalid, InvalidInput, PlaceNotFound
from .normalize import fold
from .results import LookupResult, NameClaimRecord, PlaceRecord, RelationRecord, Status, UsageNoteRecord

MAX_NAME_LENGTH = 300
# When several claims of one place match, show the one a reader most likely meant.
KIND_RANK = {"official": 0, "endonym": 1, "exonym": 2, "short": 3, "romanization": 4, "colloquial": 5,
             "variant": 6, "historical": 7}
MAJOR_LANGUAGES = ("en", "az", "hy", "ru", "tr", "uk", "ka", "de", "fr", "es", "it", "ar", "fa", "zh", "ja")


def _claim_record(claim: model.NameClaim) -> NameClaimRecord:
    return NameClaimRecord(
        name=claim.name, lang=claim.lang, kind=claim.kind, holders=[h.id for h in claim.holders],
        valid_from=claim.valid_from, valid_to=claim.valid_to, certainty=claim.certainty,
        citations=list(claim.citations or []), note=claim.note)


class Gazetteer:
    """The gazetteer of contested place names, on one database.

    >>> gaz = Gazetteer.open()              # the embedded SQLite file, built on first use
    >>> gaz.lookup("Xankəndi")[0].id
    'stepanakert'
    """

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self._ready = False  # set once the schema and data are known to be there

    @classmethod
    def open(cls, database_url: str | None = None, *, settings: Settings | None = None,
             build: bool = False, progress: db.Progress | None = None) -> Gazetteer:
        """Open the database at ``database_url`` (default: the settings' URL).

        With ``build=True`` an empty database is built from ``data/`` first (first run).
        """
        settings = settings or Settings.from_env()
        if database_url:
            settings = dataclasses.replace(settings, database_url=database_url)
        gazetteer = cls(settings, db.make_engine(settings.database_url))
        if build and not db.is_initialized(gazetteer.engine):
            gazetteer.init(progress=progress)
        return gazetteer

    # -- data -----------------------------------------------------------------------------------
    def validate(self, data_dir: Path | None = None) -> list[Problem]:
        """Every problem in ``data/`` as ``file:line: reason``; empty when it can be loaded."""
        return check(data_dir or self.settings.data_dir, self.settings.seeds_dir)[1]

    def init(self, data_dir: Path | None = None, base_layer: str | None = None,
             progress: db.Progress | None = None) -> db.LoadReport:
        """Validate ``data/`` and (re)load it with the base layer in one transaction.

        Raises ``DataInvalid`` (and leaves the database untouched) when the data has problems.
        """
        dataset, problems = check(data_dir or self.settings.data_dir, self.settings.seeds_dir)
        if problems:
            raise DataInvalid(problems)
        report = db.load(self.engine, dataset, base_layer or self.settings.base_layer, progress)
        self._ready = True
        return report

    def _session(self) -> Session:
        if not self._ready:
            if not db.is_initialized(self.engine):
                raise DatabaseNotReady("the database is empty: run `gazetteer db init` first")
            self._ready = True
        return Session(self.engine)

    def status(self) -> Status:
        """Data version and counts: what is loaded."""
        with self._session() as session:
            meta = {m.key: m.value for m in session.scalars(select(model.Meta))}
            places = session.scalar(select(func.count()).select_from(model.Place)) or 0
            curated = session.scalar(select(func.count()).where(model.Place.layer == "curated")) or 0
            claims = session.scalar(select(func.count()).select_from(model.NameClaim)) or 0
            languages = session.scalar(select(func.count(func.distinct(model.NameClaim.lang)))) or 0
        return Status(meta.get("data_version", ""), meta.get("base_layer", ""), meta.get("loaded_at", ""),
                      places, curated, claims, languages)

    # -- places ---------------------------------------------------------------------------------
    def _record(self, place: model.Place) -> PlaceRecord:
        ids: dict[str, list[str]] = {}
        for ext in place.external_ids:
            ids.setdefault(ext.scheme, []).append(ext.value)
        return PlaceRecord(
            id=place.id, kind=place.kind, label=place.label, lat=place.lat, lon=place.lon,
            country=place.country, layer=place.layer, priority=place.priority, population=place.population,
            external_ids=ids, citations=list(place.citations or []), note=place.note,
            names=[_claim_record(c) for c in sorted(place.name_claims, key=lambda c: c.id)],
            usage_notes=[UsageNoteRecord(n.topic, n.text, list(n.citations or [])) for n in place.usage_notes],
            relations=[RelationRecord(r.relation, r.other_id, r.valid_from, r.valid_to, r.view, r.certainty,
                                      list(r.citations or []), r.note) for r in place.relations],
            polygon=place.polygon)

    def _places(self, session: Session, where: Any) -> list[model.Place]:
        query = (select(model.Place).where(where).order_by(model.Place.id).options(
            selectinload(model.Place.external_ids), selectinload(model.Place.name_claims),
            selectinload(model.Place.usage_notes), selectinload(model.Place.relations)))
        return list(session.scalars(query))

    def place(self, place_id: str) -> PlaceRecord:
        """The place with this id, with all its names; raises ``PlaceNotFound``."""
        with self._session() as session:
            found = self._places(session, model.Place.id == place_id)
            if not found:
                raise PlaceNotFound(place_id)
            return self._record(found[0])

    def places(self, include_base: bool = False) -> list[PlaceRecord]:
        """Every curated place (and the base layer too with ``include_base``)."""
        with self._session() as session:
            where = model.Place.layer.in_(["curated", "base"] if include_base else ["curated"])
            return [self._record(p) for p in self._places(session, where)]

    def lookup(self, name: str, limit: int = 10) -> list[LookupResult]:
        """Places with a name equal to ``name`` ignoring case, diacritics and punctuation.

        Curated places come first, then by curated priority and population; each result carries
        the name claim that matched (an exact written form is preferred over a folded one).
        """
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("name must be a non-empty string")
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidInput(f"name is longer than {MAX_NAME_LENGTH} characters")
        if limit < 1:
            raise InvalidInput("limit must be at least 1")
        key = fold(name)
        with self._session() as session:
            rows = session.execute(
                select(model.NameClaim, model.Place)
                .join(model.Place, model.NameClaim.place_id == model.Place.id)
                .where(model.NameClaim.name_key == key)
                .options(selectinload(model.NameClaim.holders))
            ).all()
        best: dict[str, tuple[tuple, model.NameClaim, model.Place]] = {}
        for claim, place in rows:
            # Prefer, within one place: same written form, claims with holders, then by kind.
            primary = claim.lang.split("-")[0]
            lang_rank = MAJOR_LANGUAGES.index(primary) if primary in MAJOR_LANGUAGES else len(MAJOR_LANGUAGES)
            rank = (claim.name != name.strip(), not claim.holders, KIND_RANK.get(claim.kind, 9), lang_rank, claim.id)
            if place.id not in best or rank < best[place.id][0]:
                best[place.id] = (rank, claim, place)
        ordered = sorted(best.values(), key=lambda item: (
            item[2].layer != "curated", -item[2].priority, -(item[2].population or 0), item[2].id))
        return [LookupResult(
            id=place.id, label=place.label, kind=place.kind, lat=place.lat, lon=place.lon,
            country=place.country, layer=place.layer, match="exact" if not rank[0] else "folded",
            matched_claim=_claim_record(claim), query=name) for rank, claim, place in ordered[:limit]]

    # -- export ---------------------------------------------------------------------------------
    def export_geojson(self, include_base: bool = False) -> dict[str, Any]:
        """An RFC 7946 FeatureCollection of the curated places (and the base layer on request)."""
        with self._session() as session:
            sources = list(session.scalars(select(model.Source).order_by(model.Source.id)))
            meta = {m.key: m.value for m in session.scalars(select(model.Meta))}
        return export.geojson(self.places(include_base=include_base), sources, meta.get("data_version", ""))

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["Gazetteer"]
