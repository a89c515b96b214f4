"""The façade: one object with the verbs a user thinks in. Flask and Click are two doors into it."""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import gc
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import langcodes
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from . import db, export, language, mapview, model
from .batch import annotate_many
from .config import Settings
from .datafiles import Problem, check
from .errors import DatabaseNotReady, DataInvalid, InvalidInput, InvalidOption, PlaceNotFound
from .index import open_index
from .inputs import check_text
from .report import PerspectiveReport
from .results import (
    ContainingArea,
    LookupResult,
    Mention,
    NameClaimRecord,
    NearbyPlace,
    PlaceRecord,
    RelationRecord,
    Status,
    UsageNoteRecord,
)
from .search import Filters, Searcher
from .stats import EvidenceStats, evidence_stats

MAX_NAME_LENGTH = 300
MAX_LIMIT = 100
MIN_YEAR, MAX_YEAR = -3000, 2100
REFRESH_SECONDS = 5.0  # how often a long-lived Gazetteer checks the data version
EXPORT_CACHE_CHARS = 32_000_000  # the curated exports a process keeps in memory (see export.ExportCache)
log = logging.getLogger(__name__)


DateLike = int | str | datetime.date | None
# A text's date: a year (negative before the common era), or a year with its month, or a full date.
DATE_PATTERN = "^-?[0-9]{1,4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"  # also in the OpenAPI schema
_DATE = re.compile(r"(-?[0-9]{1,4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?")


NearLike = str | tuple[float, float] | list[float] | None
_POINT = re.compile(r"\s*([-+]?[0-9]+(?:\.[0-9]+)?)\s*,\s*([-+]?[0-9]+(?:\.[0-9]+)?)\s*")


def _rules_off(off: Iterable[str]) -> frozenset[str]:
    from .rules import RULES  # (imported here: only the tagger needs it)

    names = frozenset([off] if isinstance(off, str) else off)
    unknown = sorted(names - RULES.keys())
    if unknown:
        raise InvalidOption(f"no tagger rule is called {', '.join(unknown)}; the rules are {', '.join(RULES)}")
    return names


def text_year(date: DateLike) -> int:
    """The year of a text's date: a year, ``"YYYY"``, ``"YYYY-MM"``, ``"YYYY-MM-DD"``, a ``datetime.date``;
    this year (UTC) when None. Years run from ``MIN_YEAR`` to ``MAX_YEAR``, as for ``at``."""
    if date is None:
        return datetime.datetime.now(datetime.timezone.utc).year
    if isinstance(date, datetime.date):
        return date.year
    year: int | None = None
    if isinstance(date, int) and not isinstance(date, bool):
        year = date
    elif isinstance(date, str) and (match := _DATE.fullmatch(date.strip())):
        year = int(match.group(1))
        if match.group(3):  # a full date: the day must exist in that month (any leap year for February)
            days = calendar.monthrange(year if 1 <= year <= 9999 else 2000, int(match.group(2)))[1]
            if int(match.group(3)) > days:
                raise InvalidOption(f"date {date!r} is not a calendar date")
    if year is None:
        raise InvalidOption(f"date must be a year or an ISO date (YYYY, YYYY-MM, YYYY-MM-DD), not {date!r}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidOption(f"date must be in the years {MIN_YEAR} to {MAX_YEAR}, not {date!r}")
    return year


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
        self._searcher: Searcher | None = None  # the in-memory indexes (see searcher)
        self._checked = 0.0
        self._lock = threading.Lock()  # one thread opens the indexes, the others wait for it
        self._serving = False  # set by warm: a new data version is then opened in the background
        self._preparing: threading.Thread | None = None
        self._exports = export.ExportCache(EXPORT_CACHE_CHARS)
        self._evidence: tuple[str, EvidenceStats] | None = None  # (data version, figures)

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
        gazetteer.prepare(build=build, progress=progress)
        return gazetteer

    def prepare(self, build: bool = False, warm: bool = False, progress: db.Progress | None = None) -> None:
        """Build an empty database from ``data/`` (with ``build``; its snapshot too) and open the indexes
        now (with ``warm``, see ``warm``). Raises ``DatabaseNotReady`` when the database cannot be reached."""
        self._serving = self._serving or warm  # (a server that starts on no data opens later versions in the background too)
        if build and not db.is_initialized(self.engine):
            self.init(progress=progress, snapshot=warm)
        if warm:
            self.warm()

    # -- data -----------------------------------------------------------------------------------
    def stale_version(self) -> tuple[str, str] | None:
        """(loaded, current) data versions when the database was loaded from other data files or by other
        base-layer code than this package's (a newer or older release, edited ``data/``): ``db init`` loads the
        current ones; None when they agree."""
        return db.stale_version(self.engine, self.settings.data_dir)

    def validate(self, data_dir: Path | None = None) -> list[Problem]:
        """Every problem in ``data/`` as ``file:line: reason``; empty when it can be loaded."""
        return check(data_dir or self.settings.data_dir, self.settings.seeds_dir)[1]

    def init(self, data_dir: Path | None = None, base_layer: str | None = None,
             progress: db.Progress | None = None, snapshot: bool = False) -> db.LoadReport:
        """Validate ``data/`` and (re)load it with the base layer, without disturbing readers: a SQLite
        database is built in a new file beside the old one and renamed over it; PostgreSQL loads in one
        transaction (readers see the old data until it commits). With ``snapshot`` the index snapshot of
        the new data is built too (for SQLite before the switch, so that a running server finds it ready).

        Raises ``DataInvalid`` when the data has problems and ``DatabaseNotWritable`` when the new data
        cannot be written; the database is then untouched.
        """
        dataset, problems = check(data_dir or self.settings.data_dir, self.settings.seeds_dir)
        if problems:
            raise DataInvalid(problems)
        layer = base_layer or self.settings.base_layer
        path = db.sqlite_file(self.engine)
        if path is None:
            report = db.load(self.engine, dataset, layer, progress)
            if snapshot:
                report = self._build_snapshot(self.engine, report, progress)
        else:
            with db.replacing(path) as engine:
                report = db.load(engine, dataset, layer, progress)
                if snapshot:
                    report = self._build_snapshot(engine, report, progress)
        self._ready = True
        self._searcher = None
        return report

    def _build_snapshot(self, engine: Engine, report: db.LoadReport, progress: db.Progress | None) -> db.LoadReport:
        from .tagger import open_tagger  # (imported here: a lookup needs none of it)

        started = time.perf_counter()
        if progress:
            progress("building the index snapshot", 0, None)
        open_tagger(open_index(engine, self.settings.snapshot_root, report.data_version, db.SCHEMA_VERSION))
        return dataclasses.replace(report, snapshot_seconds=time.perf_counter() - started)

    def _session(self) -> Session:
        if not self._ready:
            if not db.is_initialized(self.engine):
                raise DatabaseNotReady("the database is empty or was built by another version: run `gazetteer db init`")
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

    def evidence(self) -> EvidenceStats:
        """How much of "who uses this name" is proven: curated places, claims, languages, holder claims,
        the share citing a source that attests usage, the share with years, and each contested place."""
        with self._session() as session:
            version = session.scalar(select(model.Meta.value).where(model.Meta.key == "data_version")) or ""
            cached = self._evidence
            if cached is not None and cached[0] == version:
                return cached[1]
            attests = {s.id: s.attests for s in session.scalars(select(model.Source))}
        stats = evidence_stats(self.places(), attests)
        self._evidence = (version, stats)
        return stats

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
        if not isinstance(place_id, str) or "\x00" in place_id or len(place_id) > MAX_NAME_LENGTH:
            raise PlaceNotFound(str(place_id)[:MAX_NAME_LENGTH])  # no such id can exist (PostgreSQL rejects NUL)
        with self._session() as session:
            found = self._places(session, model.Place.id == place_id)
            if not found:
                raise PlaceNotFound(place_id)
            return self._record(found[0])

    def places(self, include_base: bool = False) -> list[PlaceRecord]:
        """Every curated place (and the base layer too with ``include_base``)."""
        return list(self.iter_places(export.ExportFilter(include_base=include_base)))

    # -- names ----------------------------------------------------------------------------------
    def searcher(self) -> Searcher:
        """The in-memory indexes, opened on first use and again when the data version changes (checked at
        most every ``REFRESH_SECONDS``). After ``warm`` (a server) the new version's indexes are opened in a
        background thread while the old ones go on answering, then swapped in."""
        current = self._searcher
        if current is not None and time.monotonic() - self._checked < REFRESH_SECONDS:
            return current
        with self._lock:
            current = self._searcher
            if current is not None and time.monotonic() - self._checked < REFRESH_SECONDS:
                return current
            self._session().close()  # raises DatabaseNotReady on an empty database
            with self.engine.connect() as conn:
                version = conn.execute(select(model.Meta.value).where(model.Meta.key == "data_version")).scalar() or ""
            self._checked = time.monotonic()
            if current is not None and current.index.data_version == version:
                return current
            if current is not None and self._serving:
                if self._preparing is None or not self._preparing.is_alive():
                    self._preparing = threading.Thread(target=self._prepare, args=(version,), daemon=True,
                                                       name=f"gazetteer-open-{version}")
                    self._preparing.start()
                return current
            self._searcher = self._open_searcher(version)
            return self._searcher

    def _open_searcher(self, version: str) -> Searcher:
        return Searcher(open_index(self.engine, self.settings.snapshot_root, version, db.SCHEMA_VERSION))

    @staticmethod
    def _warm(searcher: Searcher) -> Searcher:
        searcher.tagger()
        searcher.index.points, searcher.index.areas  # noqa: B018 - built now, for reverse and contains
        return searcher

    def _prepare(self, version: str) -> None:
        """Open a new data version's indexes (from the snapshot `db init` built, or building it) and swap
        them in; the old ones answer meanwhile."""
        try:
            searcher = self._warm(self._open_searcher(version))
        except Exception:  # noqa: BLE001 - the old version goes on answering; tried again on a later request
            log.exception("could not open the indexes of data version %s; still serving %s", version,
                          self._searcher.index.data_version if self._searcher else "nothing")
            return
        self._searcher = searcher
        log.info("now serving data version %s", version)

    def warm(self) -> None:
        """Open the index, the tagger, the language model and the spatial trees now (the index from its
        snapshot; built first if there is none), close the database connections, and freeze what was
        made out of the garbage collector's reach: processes forked after this (gunicorn's ``--preload``
        workers) share those pages instead of copying them when the collector would touch them. From
        then on a new data version is opened in the background (see ``searcher``)."""
        self._serving = True
        self._warm(self.searcher())
        language.prepare()
        with self._session() as session:  # the ORM's mappers and a place's queries compiled once, here
            first = session.scalar(select(model.Place.id).order_by(model.Place.id).limit(1))
        if first is not None:
            self.place(first)
        self.engine.dispose()  # no connection may cross a fork
        gc.collect()
        gc.freeze()

    def data_version(self) -> str:
        """The loaded data version, from memory (checked against the database at most every few seconds):
        cheap enough for an ETag on every request, unlike ``status()``."""
        return self.searcher().index.data_version

    def _filters(self, kind: str | Iterable[str] | None, country: str | None, lang: str | None,
                 at: int | None, curated_only: bool, perspective: str | None) -> Filters:
        engine = self.searcher()
        kinds = None
        if kind is not None:
            kinds = frozenset([kind] if isinstance(kind, str) else kind)
            unknown = kinds - engine.index.kinds()
            if unknown:
                raise InvalidOption(f"unknown kind {', '.join(sorted(unknown))!s}; "
                                   f"known: {', '.join(sorted(engine.index.kinds()))}")
        if country is not None:
            if not isinstance(country, str) or not re.fullmatch(r"[A-Za-z]{2}", country):
                raise InvalidOption(f"country must be an ISO 3166-1 alpha-2 code such as AZ, not {country!r}")
            country = country.upper()
        if lang is not None and (not isinstance(lang, str) or not langcodes.tag_is_valid(lang)):
            raise InvalidOption(f"lang must be a BCP 47 language tag such as en, hy or az-Cyrl, not {lang!r}")
        if lang is not None:
            lang = langcodes.standardize_tag(lang)  # "HY" -> "hy", "az-latn" -> "az-Latn"
        if at is not None and (isinstance(at, bool) or not isinstance(at, int) or not MIN_YEAR <= at <= MAX_YEAR):
            raise InvalidOption(f"at must be a year between {MIN_YEAR} and {MAX_YEAR}, not {at!r}")
        if perspective is not None and perspective not in engine.index.holders:
            raise InvalidOption(f"unknown holder {perspective!r} for perspective; see `gazetteer holders` "
                               f"(e.g. {', '.join(sorted(engine.index.holders)[:6])})")
        return Filters(kinds=kinds, country=country, curated_only=curated_only, at=at, lang=lang)

    @staticmethod
    def _check_query(name: object, limit: int) -> str:
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("name must be a non-empty string")
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidInput(f"name is longer than {MAX_NAME_LENGTH} characters")
        if "\x00" in name:
            raise InvalidInput("name contains a NUL character")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise InvalidOption(f"limit must be between 1 and {MAX_LIMIT}")
        return name

    def lookup(self, name: str, limit: int = 10, *, fuzzy: bool = True, lang: str | None = None,
               kind: str | Iterable[str] | None = None, country: str | None = None, at: int | None = None,
               perspective: str | None = None, curated_only: bool = False) -> list[LookupResult]:
        """The places ``name`` denotes, best first, each with the claim it matched and a label with its basis.

        Tries, in order, until one finds something: the exact written form and the folded form (case,
        diacritics, special letters, punctuation ignored); the cross-script key (Степанакерт meets
        Stepanakert); with ``fuzzy``, spellings a typo or two away. ``lang`` prefers claims and labels
        in that language; ``kind``, ``country`` and ``curated_only`` restrict; ``at`` keeps the claims
        valid that year and labels by them; ``perspective`` labels by that holder's name.
        """
        filters = self._filters(kind, country, lang, at, curated_only, perspective)
        self._check_query(name, limit)
        return self.searcher().lookup(name, limit, filters, fuzzy=fuzzy, perspective=perspective)

    def search(self, query: str, limit: int = 10, *, prefix: bool = False, fuzzy: bool = True,
               lang: str | None = None, kind: str | Iterable[str] | None = None, country: str | None = None,
               at: int | None = None, perspective: str | None = None, curated_only: bool = False) -> list[LookupResult]:
        """Ranked candidates for ``query``: every match kind at once (exact, folded, transliterated,
        fuzzy), with ``prefix`` also names starting with it (autocomplete). Options as for ``lookup``."""
        filters = self._filters(kind, country, lang, at, curated_only, perspective)
        self._check_query(query, limit)
        return self.searcher().search(query, limit, filters, fuzzy=fuzzy, prefix=prefix,
                                                perspective=perspective)

    def label(self, place_id: str, *, lang: str | None = None, at: int | None = None,
              perspective: str | None = None) -> tuple[str, str]:
        """The label of a place and its basis, in a language, a year or a holder's view (as ``lookup``
        labels its results)."""
        self._filters(None, None, lang, at, False, perspective)  # checks the options
        searcher = self.searcher()
        index = searcher.index.place_by_id.get(place_id)
        if index is None:
            raise PlaceNotFound(f"no place with id {place_id!r}")
        chosen = searcher.labeller.choose(index, lang=lang, at=at, perspective=perspective)
        return chosen.name, chosen.basis

    def map_layer(self) -> dict[str, Any]:
        """The curated places for the map page: geometry, label, kind and a status to style them by
        (see ``mapview.place_status``), with the attribution."""
        return {"type": "FeatureCollection", "attribution": export.ATTRIBUTION,
                "features": [mapview.map_feature(p) for p in self.places()]}

    def map_labels(self, *, lang: str | None = None, at: int | None = None,
                   perspective: str | None = None) -> list[dict[str, Any]]:
        """The label of every curated place in a language, a year or a holder's view, with its basis and
        ``from_view``: whether the label is a name of that language, year and holder (else it is the
        fallback the labeller chose; its basis says why)."""
        self._filters(None, None, lang, at, False, perspective)  # checks the options
        searcher = self.searcher()
        ix = searcher.index
        primary = lang.split("-")[0].lower() if lang else None
        out = []
        for place_id in sorted(p for p, i in ix.place_by_id.items() if ix.places[i].layer == "curated"):
            chosen = searcher.labeller.choose(ix.place_by_id[place_id], lang=lang, at=at, perspective=perspective)
            claim = chosen.claim
            from_view = (claim is not None
                         and (perspective is None or perspective in ix.c_holders.get(claim, ()))
                         and (primary is None or ix.c_lang[claim].split("-")[0].lower() == primary)
                         and (at is None or ((ix.c_from[claim] is not None or ix.c_to[claim] is not None)
                                             and ix.valid_at(claim, at))))
            out.append({"id": place_id, "label": chosen.name, "basis": chosen.basis, "from_view": from_view})
        return out

    # -- space ----------------------------------------------------------------------------------
    @staticmethod
    def _check_point(lat: object, lon: object) -> tuple[float, float]:
        for label, value, bound in (("lat", lat, 90.0), ("lon", lon, 180.0)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or not -bound <= value <= bound:
                raise InvalidOption(f"{label} must be a number between -{bound:g} and {bound:g}, not {value!r}")
        return float(lat), float(lon)  # type: ignore[arg-type]

    def reverse(self, lat: float, lon: float, limit: int = 5, *, radius_km: float | None = None,
                kind: str | Iterable[str] | None = None) -> list[NearbyPlace]:
        """The places nearest a point, by geodesic distance (km), within ``radius_km`` if given."""
        lat, lon = self._check_point(lat, lon)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise InvalidOption(f"limit must be between 1 and {MAX_LIMIT}")
        if radius_km is not None and (isinstance(radius_km, bool) or not isinstance(radius_km, (int, float))
                                      or not math.isfinite(radius_km) or radius_km <= 0):
            raise InvalidOption(f"radius must be a positive number of km, not {radius_km!r}")
        filters = self._filters(kind, None, None, None, False, None)
        return self.searcher().reverse(lat, lon, limit, radius_km, filters.kinds)

    def contains(self, lat: float, lon: float) -> list[ContainingArea]:
        """Every polygon containing the point, largest first, with each area's relations and whose
        view each is; for a disputed area all accounts are returned, never one silently."""
        lat, lon = self._check_point(lat, lon)
        return self.searcher().contains(lat, lon)

    # -- text ---------------------------------------------------------------------------------
    def near_point(self, near: NearLike) -> tuple[float, float] | None:
        """The point a ``near`` option stands for: ``"LAT,LON"``, a (lat, lon) pair, a place id or a place
        name (its best match); None for None. Raises ``InvalidOption`` for anything else."""
        if near is None:
            return None
        if isinstance(near, (tuple, list)):
            if len(near) != 2:
                raise InvalidOption(f"near must be LAT,LON or a place, not {near!r}")
            return self._check_point(near[0], near[1])
        if not isinstance(near, str) or not near.strip() or len(near) > 200:
            raise InvalidOption(f"near must be LAT,LON or a place, not {near!r}")
        point = _POINT.fullmatch(near)
        if point:
            try:
                return self._check_point(float(point.group(1)), float(point.group(2)))
            except InvalidOption as exc:
                raise InvalidOption(f"near: {exc}") from None
        index = self.searcher().index
        where = index.place_by_id.get(near.strip())
        if where is None:
            hits = self.lookup(near.strip(), 1, fuzzy=False)
            if not hits:
                raise InvalidOption(f"near must be LAT,LON, a place id or a place name; no place is called {near!r}")
            where = index.place_by_id[hits[0].id]
        place = index.places[where]
        return place.lat, place.lon

    def annotate(self, text: str, *, demonyms: bool = False, date: DateLike = None, near: NearLike = None,
                 off: Iterable[str] = ()) -> list[Mention]:
        """Every place mention in ``text``, in order, with offsets, the place and the name claim used.

        Where the written form carries several claims of the place, the mention has the one valid at
        ``date`` (the text's date: a year, ``"YYYY"``, ``"YYYY-MM-DD"`` or a ``datetime.date``; today when
        None) that names holders, and lists the others in ``other_claims``. ``near`` is where the text is
        from, for a paper's own towns ("LAT,LON", a place id or a place name; see ``near_point``).
        ``off`` switches tagger rules off by name (``rules.RULES``; for ``evaluate --ablate``).
        ``InvalidInput`` for a text with a lone surrogate (no character; see ``inputs``)."""
        if not isinstance(text, str):
            raise InvalidInput("text must be a string")
        check_text(text)
        return self.searcher().annotate(text, demonyms=demonyms, year=text_year(date), near=self.near_point(near),
                                        off=_rules_off(off))

    def annotate_many(self, items: Iterable[Any], *, demonyms: bool = False, jobs: int = 1,
                      text: Callable[[Any], str] | None = None,
                      render: Callable[[Any, list[Mention]], Any] | None = None,
                      date: DateLike | Callable[[Any], DateLike] = None, near: NearLike = None,
                      off: Iterable[str] = ()) -> Iterator[Any]:
        """``annotate`` for each item, in order; ``jobs`` > 1 uses that many processes.

        ``date`` is the texts' date, or a function giving each item's (``lambda d: d.get("date")``; None
        for today); the dates of a list of items are all checked before any is tagged.

        An item is a text, or anything ``text`` takes the text out of (``lambda d: d["text"]`` for JSONL
        documents). With ``render``, each answer is ``render(item, mentions)`` instead of the mentions,
        computed in the worker processes too (a JSONL line, say), so that the parent only passes on."""
        if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= 64:
            raise InvalidOption("jobs must be between 1 and 64")
        point = self.near_point(near)

        def text_of(item: Any) -> str:
            value = item if text is None else text(item)
            if not isinstance(value, str):
                raise InvalidInput("text must be a string")
            return check_text(value)

        if callable(date):
            date_of = date

            def year_of(item: Any) -> int:
                return text_year(date_of(item))

            if isinstance(items, Sequence) and not isinstance(items, str):
                for position, item in enumerate(items):
                    try:
                        year_of(item)
                    except InvalidOption as exc:
                        raise InvalidOption(f"item {position}: {exc}") from None
        else:
            year = text_year(date)

            def year_of(item: Any) -> int:
                return year

        return annotate_many(self.searcher(), items, demonyms=demonyms, jobs=jobs, text_of=text_of, render=render,
                             year_of=year_of, near=point, off=_rules_off(off))

    def report(self, text: str, *, date: DateLike = None, near: NearLike = None) -> PerspectiveReport:
        """Whose names ``text`` uses and how often, the places it names two ways, and a fair first
        mention for each contested place it names only one side's way (names read as of ``date``)."""
        if not isinstance(text, str):
            raise InvalidInput("text must be a string")
        check_text(text)
        return self.searcher().report(text, year=text_year(date), near=self.near_point(near))

    def holders(self) -> dict[str, str]:
        """Every holder id (for ``perspective``) with its label."""
        return dict(self.searcher().index.holders)

    # -- export ---------------------------------------------------------------------------------
    EXPORT_BATCH = 1000

    def _export_where(self, filters: export.ExportFilter) -> list[Any]:
        where: list[Any] = [model.Place.layer.in_(["curated", "base"] if filters.include_base else ["curated"])]
        if filters.kinds:
            where.append(model.Place.kind.in_(filters.kinds))
        if filters.country:
            where.append(model.Place.country == filters.country)
        if filters.holder:
            held = (select(model.NameClaim.place_id).join(model.claim_holders,
                                                          model.claim_holders.c.claim_id == model.NameClaim.id)
                    .where(model.claim_holders.c.holder_id == filters.holder))
            where.append(model.Place.id.in_(held))
        if filters.bbox:  # a coarse cut in SQL (points only; polygons and points are tested exactly later)
            west, south, east, north = filters.bbox
            lon = (model.Place.lon.between(west, east) if west <= east
                   else (model.Place.lon >= west) | (model.Place.lon <= east))
            where.append(model.Place.polygon.is_not(None) | (model.Place.lat.between(south, north) & lon))
        return where

    def count_places(self, filters: export.ExportFilter | None = None) -> int:
        """How many places an export will read (an upper bound where ``bbox`` is set: polygons are tested
        exactly only while exporting)."""
        filters = filters or export.ExportFilter()
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(model.Place)
                                  .where(*self._export_where(filters))) or 0

    def iter_places(self, filters: export.ExportFilter | None = None,
                    progress: Callable[[int], None] | None = None) -> Iterator[PlaceRecord]:
        """The places an export holds, in id order, read ``EXPORT_BATCH`` at a time so that the base layer
        streams without being held in memory. ``progress`` is called with the number read so far."""
        filters = filters or export.ExportFilter()
        self._check_holder(filters.holder)
        where = self._export_where(filters)
        last, done = "", 0
        while True:
            with self._session() as session:
                batch = _load_batch(session, where, last, self.EXPORT_BATCH)
            done += len(batch)
            if progress is not None:
                progress(done)
            for record in batch:
                if filters.admits(record):
                    yield record
            if len(batch) < self.EXPORT_BATCH:
                return
            last = batch[-1].id

    def _check_holder(self, holder: str | None) -> None:
        if holder is None:
            return
        with self._session() as session:
            known = list(session.scalars(select(model.Holder.id)))
        if holder not in known:
            raise InvalidOption(f"unknown holder {holder!r}; see `gazetteer holders` "
                                f"(e.g. {', '.join(sorted(known)[:6])})")

    def export(self, fmt: str = "geojson", filters: export.ExportFilter | None = None, *,
               base_url: str = "http://127.0.0.1:8000/v1/",
               progress: Callable[[int], None] | None = None) -> Iterator[str]:
        """An export as text chunks: ``geojson`` (RFC 7946), ``lpf`` (Linked Places Format) or ``csv``.
        Bad filters raise ``InvalidInput`` here, before the first chunk is written. In LPF each place's
        ``@id`` is ``base_url + "places/" + id``."""
        if fmt not in export.WRITERS:
            raise InvalidOption(f"format must be one of {', '.join(export.FORMATS)}, not {fmt!r}")
        filters = filters or export.ExportFilter()
        self._check_holder(filters.holder)  # here, not when the stream starts: a bad filter must not start one
        with self._session() as session:
            sources = [{"id": s.id, "kind": s.kind, "attests": s.attests, "title": s.title, "url": s.url,
                        "years": list(s.years or []), "licence": s.licence}
                       for s in session.scalars(select(model.Source).order_by(model.Source.id))]
            holders = [{"id": h.id, "kind": h.kind, "label": h.label}
                       for h in session.scalars(select(model.Holder).order_by(model.Holder.id))]
            meta = {m.key: m.value for m in session.scalars(select(model.Meta))}
        context = export.ExportContext(meta.get("data_version", ""), sources, holders, base_url, filters)
        if filters.include_base or progress is not None:  # the base layer is large; streamed afresh each time
            return export.WRITERS[fmt](self.iter_places(filters, progress), context)
        return self._exports.chunks((context.data_version, fmt, filters, base_url),
                                    lambda: export.WRITERS[fmt](self.iter_places(filters), context))

    def export_geojson(self, include_base: bool = False) -> dict[str, Any]:
        """An RFC 7946 FeatureCollection of the curated places (and the base layer on request), as one object."""
        return json.loads("".join(self.export("geojson", export.ExportFilter(include_base=include_base))))  # type: ignore[no-any-return]

    def close(self) -> None:
        self.engine.dispose()


def _load_batch(session: Session, where: list[Any], after: str, limit: int) -> list[PlaceRecord]:
    """Up to ``limit`` places with ids after ``after``, as records, read with six plain queries
    (measured: five times faster than loading ORM objects, which took 1 ms a base-layer place)."""
    P, C, CH = model.Place, model.NameClaim, model.claim_holders
    rows = session.execute(select(P.id, P.kind, P.label, P.lat, P.lon, P.country, P.layer, P.priority,
                                  P.population, P.citations, P.note, P.polygon)
                           .where(*where, P.id > after).order_by(P.id).limit(limit)).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    external: dict[str, dict[str, list[str]]] = {}
    for place_id, scheme, value in session.execute(select(model.ExternalId.place_id, model.ExternalId.scheme,
                                                          model.ExternalId.value).where(model.ExternalId.place_id.in_(ids))):
        external.setdefault(place_id, {}).setdefault(scheme, []).append(value)
    claims = session.execute(select(C.id, C.place_id, C.name, C.lang, C.kind, C.valid_from, C.valid_to, C.certainty,
                                    C.citations, C.note).where(C.place_id.in_(ids)).order_by(C.id)).all()
    holders: dict[int, list[str]] = {}
    for claim_id, holder_id in session.execute(select(CH.c.claim_id, CH.c.holder_id).join(C, C.id == CH.c.claim_id)
                                               .where(C.place_id.in_(ids)).order_by(CH.c.holder_id)):
        holders.setdefault(claim_id, []).append(holder_id)
    names: dict[str, list[NameClaimRecord]] = {}
    for c in claims:
        names.setdefault(c.place_id, []).append(NameClaimRecord(
            name=c.name, lang=c.lang, kind=c.kind, holders=holders.get(c.id, []), valid_from=c.valid_from,
            valid_to=c.valid_to, certainty=c.certainty, citations=list(c.citations or []), note=c.note))
    notes: dict[str, list[UsageNoteRecord]] = {}
    U = model.UsageNote
    for n in session.execute(select(U.place_id, U.topic, U.text, U.citations).where(U.place_id.in_(ids)).order_by(U.id)):
        notes.setdefault(n.place_id, []).append(UsageNoteRecord(n.topic, n.text, list(n.citations or [])))
    relations: dict[str, list[RelationRecord]] = {}
    R = model.Relation
    for r in session.execute(select(R.place_id, R.relation, R.other_id, R.valid_from, R.valid_to, R.view, R.certainty,
                                    R.citations, R.note).where(R.place_id.in_(ids)).order_by(R.id)):
        relations.setdefault(r.place_id, []).append(RelationRecord(
            r.relation, r.other_id, r.valid_from, r.valid_to, r.view, r.certainty, list(r.citations or []), r.note))
    return [PlaceRecord(id=r.id, kind=r.kind, label=r.label, lat=r.lat, lon=r.lon, country=r.country, layer=r.layer,
                        priority=r.priority, population=r.population, external_ids=external.get(r.id, {}),
                        citations=list(r.citations or []), note=r.note, names=names.get(r.id, []),
                        usage_notes=notes.get(r.id, []), relations=relations.get(r.id, []), polygon=r.polygon)
            for r in rows]


__all__ = ["Gazetteer"]
