"""Reading and validating the curated tables in ``data/``.

Every table is a folder of tab-separated files (see ``data/README.md``). ``read_dataset`` reads them
all and ``validate`` checks them; every problem names its file and line.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import langcodes

if TYPE_CHECKING:  # (shapely is imported where a polygon is read: a lookup needs none of it)
    from shapely.geometry.base import BaseGeometry

from .normalize import fold, script_of

COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "kind", "attests", "title", "url", "years", "record_pattern", "licence", "note"),
    "holders": ("id", "kind", "label", "note"),
    "places": ("id", "kind", "label", "lat", "lon", "country", "wikidata", "geonames", "wof", "polygon",
               "priority", "citations", "note"),
    "names": ("place", "name", "lang", "kind", "holders", "valid_from", "valid_to", "certainty", "citations", "note"),
    "usage_notes": ("place", "topic", "text", "citations"),
    "relations": ("place", "relation", "other", "valid_from", "valid_to", "view", "certainty", "citations", "note"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "sources": ("id", "kind", "attests", "title"),
    "holders": ("id", "kind", "label"),
    "places": ("id", "kind", "label", "lat", "lon", "citations"),
    "names": ("place", "name", "lang", "kind", "certainty", "citations"),
    "usage_notes": ("place", "topic", "text", "citations"),
    "relations": ("place", "relation", "other", "certainty", "citations"),
}
ENUMS: dict[tuple[str, str], frozenset[str]] = {
    ("sources", "kind"): frozenset({"dataset", "document", "seed", "web"}),
    ("sources", "attests"): frozenset({"spelling", "usage"}),
    ("holders", "kind"): frozenset({"state", "authority", "community", "style-guide", "organisation"}),
    ("places", "kind"): frozenset({"country", "polity", "region", "district", "settlement", "corridor",
                                   "water-body", "islands", "disputed-area"}),
    ("names", "kind"): frozenset({"official", "endonym", "exonym", "historical", "colloquial", "variant",
                                  "romanization", "short", "demonym"}),
    ("names", "certainty"): frozenset({"high", "medium", "low"}),
    ("usage_notes", "topic"): frozenset({"fair-naming", "history"}),
    ("relations", "relation"): frozenset({"part_of", "administered_by", "claimed_by", "capital_of", "successor_of"}),
    ("relations", "certainty"): frozenset({"high", "medium", "low"}),
}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HOLDER_ID = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")
YEAR = re.compile(r"-?[0-9]{1,4}")
# How far (km) a representative point may lie outside its polygon: 1:10m coastlines cut off
# harbour cities by a few hundred metres, and island labels sit in the sea.
POINT_TOLERANCE_KM = 5.0


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, where it is and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(frozen=True)
class Row:
    """One data line of a table, with where it came from."""

    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def where(self, reason: str) -> Problem:
        return Problem(self.file, self.line, reason)


@dataclass
class Dataset:
    """The whole of ``data/`` as read from disk."""

    root: Path
    tables: dict[str, list[Row]] = field(default_factory=dict)
    polygons: dict[str, dict] = field(default_factory=dict)  # file name -> GeoJSON object
    version: str = ""
    problems: list[Problem] = field(default_factory=list)  # problems found while reading

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])


def split_multi(value: str) -> list[str]:
    """Split a ``;``-separated cell into its non-empty parts."""
    return [part.strip() for part in value.split(";") if part.strip()]


@dataclass(frozen=True)
class Citation:
    """``SOURCE``, ``SOURCE:RECORD``, either followed by ``#LOCATOR`` (an article, section or page in it)."""

    source: str
    record: str
    locator: str

    @classmethod
    def parse(cls, text: str) -> Citation:
        head, _, locator = text.partition("#")
        source, _, record = head.partition(":")
        return cls(source.strip(), record.strip(), locator.strip())


def source_years(cell: str) -> list[int]:
    """The years a source dates, from its ``years`` cell (``1991;2023``); malformed parts are skipped."""
    return [int(part) for part in split_multi(cell) if YEAR.fullmatch(part)]


# Languages written in more than one script: their tags name the script (az-Latn, not az).
MULTI_SCRIPT = frozenset({"az", "sr", "bs", "uz", "kk", "ky", "tk", "tt", "ba", "ku", "crh", "zh", "pa", "mn",
                          "ug", "sd", "ks"})
_CHECKED_SCRIPTS = frozenset({"Latn", "Cyrl", "Arab", "Armn", "Geor", "Grek", "Hebr"})


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


# Control characters (Unicode category Cc) but the tab, and the line and paragraph separators.
_STRAY = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _not_utf8(name: str, data: bytes, exc: UnicodeDecodeError) -> Problem:
    """Where a file stops being UTF-8: the line of the first bad byte, and the byte in that line."""
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    return Problem(name, data.count(b"\n", 0, exc.start) + 1,
                   f"not UTF-8: {exc.reason} at byte {exc.start - line_start + 1} of the line (byte {exc.start} "
                   "of the file)")


def _read_table(root: Path, table: str, problems: list[Problem]) -> Iterator[Row]:
    folder = root / table
    if not folder.is_dir():
        return  # an absent table is an empty one
    expected = COLUMNS[table]
    for path in sorted(folder.glob("*.tsv")):
        name = _relative(path, root)
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(_not_utf8(name, data, exc))
            continue
        header: list[str] | None = None
        # Rows end at "\n" only, as editors count lines: str.splitlines() would also end one at U+2028,
        # U+0085 or a form feed inside a cell, and report the wrong line with a wrong column count.
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.removesuffix("\r")
            if not line.strip() or line.startswith("#"):
                continue
            stray = _STRAY.search(line)
            if stray is not None:
                problems.append(Problem(name, number,
                                        f"control or line-separator character U+{ord(stray.group()):04X} in a cell"))
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                if tuple(header) != expected:
                    problems.append(Problem(name, number, f"header must be {' '.join(expected)} (tab-separated)"))
                    break
                continue
            if len(cells) != len(header):
                problems.append(Problem(name, number, f"{len(cells)} columns, expected {len(header)}"))
                continue
            yield Row(name, number, {k: v.strip() for k, v in zip(header, cells, strict=True)})


def data_version(root: Path) -> str:
    """A digest of every data file: changes whenever the data does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".tsv", ".geojson")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_dataset(root: Path) -> Dataset:
    """Read every table and polygon under ``root``; reading problems are kept in ``problems``."""
    root = Path(root)
    dataset = Dataset(root=root)
    if not root.is_dir():
        dataset.problems.append(Problem(str(root), 0, "data directory not found"))
        return dataset
    for table in COLUMNS:
        dataset.tables[table] = list(_read_table(root, table, dataset.problems))
    for path in sorted((root / "polygons").glob("*.geojson")):
        data = path.read_bytes()
        try:
            dataset.polygons[path.name] = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            dataset.problems.append(_not_utf8(_relative(path, root), data, exc))
        except json.JSONDecodeError as exc:
            dataset.problems.append(Problem(_relative(path, root), exc.lineno, f"not GeoJSON: {exc}"))
    dataset.version = data_version(root)
    return dataset


def polygon_geometry(obj: dict) -> BaseGeometry:
    """The union of the geometries of a GeoJSON Feature, FeatureCollection or geometry."""
    from shapely.geometry import shape

    if obj.get("type") == "FeatureCollection":
        geoms = [shape(f["geometry"]) for f in obj.get("features", [])]
    elif obj.get("type") == "Feature":
        geoms = [shape(obj["geometry"])]
    else:
        geoms = [shape(obj)]
    if not geoms:
        raise ValueError("no geometry")
    union = geoms[0]
    for geom in geoms[1:]:
        union = union.union(geom)
    return union


@lru_cache(maxsize=8)
def _seed_text(path: Path) -> str | None:
    try:
        return fold(path.read_text(encoding="utf-8"))
    except OSError:
        return None


def _km_outside(geom: BaseGeometry, lat: float, lon: float) -> float:
    """How far (km, flat-earth approximation) a point lies outside a geometry; 0 inside."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    point = Point(lon, lat)
    if geom.covers(point):
        return 0.0
    nearest = nearest_points(geom, point)[0]
    dx = (nearest.x - lon) * 111.32 * math.cos(math.radians(lat))
    dy = (nearest.y - lat) * 110.57
    return math.hypot(dx, dy)


class _Validator:
    def __init__(self, dataset: Dataset, seeds_dir: Path) -> None:
        self.ds = dataset
        self.seeds_dir = seeds_dir
        self.problems: list[Problem] = list(dataset.problems)
        self.sources: dict[str, Row] = {}
        self.patterns: dict[str, re.Pattern[str]] = {}  # source id -> its record_pattern, where that compiles
        self.holders: dict[str, Row] = {}
        self.places: dict[str, Row] = {}
        self.geometries: dict[str, BaseGeometry] = {}
        self.country_polygons: dict[str, Row] = {}  # ISO code -> the country place that has a polygon

    def report(self, row: Row, reason: str) -> None:
        self.problems.append(row.where(reason))

    def unique(self, table: str, pattern: re.Pattern[str]) -> dict[str, Row]:
        seen: dict[str, Row] = {}
        for row in self.ds.rows(table):
            ident = row["id"]
            if not pattern.fullmatch(ident):
                self.report(row, f"id {ident!r} is not a valid {table[:-1]} id")
            elif ident in seen:
                first = seen[ident]
                self.report(row, f"duplicate id {ident!r} (first defined at {first.file}:{first.line})")
            else:
                seen[ident] = row
        return seen

    def common(self, table: str) -> None:
        for row in self.ds.rows(table):
            for column in REQUIRED[table]:
                if not row[column]:
                    self.report(row, f"{column} is empty")
            for (tab, column), allowed in ENUMS.items():
                if tab == table and row[column] and row[column] not in allowed:
                    self.report(row, f"{column} {row[column]!r} is not one of {', '.join(sorted(allowed))}")
            if "valid_from" in COLUMNS[table]:
                self.years(row)

    def years(self, row: Row) -> None:
        years = []
        for column in ("valid_from", "valid_to"):
            value = row[column]
            if value and not YEAR.fullmatch(value):
                self.report(row, f"{column} {value!r} is not a year")
            elif value:
                years.append(int(value))
        if len(years) == 2 and years[0] > years[1]:
            self.report(row, f"valid_from {years[0]} is after valid_to {years[1]}")

    def citations(self, row: Row, name: str | None = None) -> None:
        for citation in split_multi(row["citations"]):
            parsed = Citation.parse(citation)
            source_id, record = parsed.source, parsed.record
            if "#" in citation and not parsed.locator:
                self.report(row, f"citation {citation!r}: empty locator after '#'")
            source = self.sources.get(source_id)
            if source is None:
                self.report(row, f"citation {citation!r}: unknown source {source_id!r}")
                continue
            pattern = source["record_pattern"]
            if pattern and source_id not in self.patterns:
                pass  # not a regular expression: reported at the source
            elif pattern and not self.patterns[source_id].fullmatch(record):
                self.report(row, f"citation {citation!r}: record must match {pattern}")
            elif not pattern and record:
                self.report(row, f"citation {citation!r}: source {source_id!r} is cited whole, without a record")
            if source["kind"] == "seed" and record:
                text = _seed_text(self.seeds_dir / f"{record}.txt")
                if text is None:
                    self.report(row, f"citation {citation!r}: no seed article {record}.txt in {self.seeds_dir}")
                elif name and fold(name) not in text:
                    self.report(row, f"citation {citation!r}: {name!r} does not occur in that seed article")

    def place_ref(self, row: Row, column: str) -> None:
        if row[column] and row[column] not in self.places:
            self.report(row, f"{column} {row[column]!r} is not a place id")

    def holder_ref(self, row: Row, value: str, column: str) -> None:
        if value not in self.holders:
            self.report(row, f"{column} {value!r} is not a holder id")

    def run(self) -> list[Problem]:
        self.sources = self.unique("sources", HOLDER_ID)
        self.holders = self.unique("holders", HOLDER_ID)
        self.places = self.unique("places", SLUG)
        for table in COLUMNS:
            self.common(table)
        for row in self.ds.rows("sources"):
            self.check_source(row)
            if row["record_pattern"]:
                try:
                    pattern = re.compile(row["record_pattern"])
                except re.error as exc:
                    self.report(row, f"record_pattern {row['record_pattern']!r} is not a regular expression: {exc}")
                    continue
                if self.sources.get(row["id"]) is row:
                    self.patterns[row["id"]] = pattern
        self.check_polygons()
        self.country_polygons = {p["country"]: p for p in self.places.values()
                                 if p["kind"] == "country" and p["country"] and p["polygon"] in self.geometries}
        self.check_places()
        self.check_names()
        for row in self.ds.rows("usage_notes"):
            self.place_ref(row, "place")
            self.citations(row)
        for row in self.ds.rows("relations"):
            self.place_ref(row, "place")
            self.place_ref(row, "other")
            if row["view"]:
                self.holder_ref(row, row["view"], "view")
            self.citations(row)
        return self.problems

    def check_source(self, row: Row) -> None:
        url = row["url"]
        if url and not re.fullmatch(r"https?://[^\s]+", url):
            self.report(row, f"url {url!r} is not an http(s) address")
        if row["kind"] == "web" and not url:
            self.report(row, "a web source needs the url of the page read")
        if row["kind"] == "dataset" and row["attests"] == "usage":
            self.report(row, "a dataset record shows a spelling, not who uses it: attests must be 'spelling'")
        for part in split_multi(row["years"]):
            if not YEAR.fullmatch(part):
                self.report(row, f"years: {part!r} is not a year")

    def check_evidence(self, row: Row) -> None:
        """A claim naming holders must cite a source that shows that use, and date its years."""
        holders = split_multi(row["holders"])
        if not holders:
            return
        usage = [self.sources[c.source] for c in map(Citation.parse, split_multi(row["citations"]))
                 if c.source in self.sources and self.sources[c.source]["attests"] == "usage"]
        if not usage:
            self.report(row, f"claim with holders ({', '.join(holders)}) cites no source that attests usage "
                             "(a spelling record shows only the spelling): cite one, or drop the holders")
            return
        if not row["note"]:
            self.report(row, "claim with holders has no note saying what its sources show")
        if row["certainty"] == "high":
            dated = {year for source in usage for year in source_years(source["years"])}
            for column in ("valid_from", "valid_to"):
                if row[column] and YEAR.fullmatch(row[column]) and int(row[column]) not in dated:
                    self.report(row, f"{column} {row[column]} is dated by none of its usage sources: "
                                     "cite one that dates it, or lower the certainty")

    def check_lang(self, row: Row) -> None:
        tag = row["lang"]
        if not tag:
            return
        if not langcodes.tag_is_valid(tag):
            self.report(row, f"lang {tag!r} is not a valid BCP 47 tag")
            return
        parts = tag.split("-")
        if parts[0] != "und":
            likely = langcodes.Language.get(tag).maximize()
            # langcodes falls back to Latn-US for a language it has no data for (hyw): no expectation then.
            unknown = (likely.script, likely.territory) == ("Latn", "US") and parts[0] != "en"
            expected = None if unknown else likely.script
            scripts = {script_of(word) for word in row["name"].split()} - {None}
            found = next(iter(scripts)) if len(scripts) == 1 else None  # a name in one script ("Armenia - Հայաստան" is two)
            if expected in _CHECKED_SCRIPTS and found in _CHECKED_SCRIPTS and found != expected:
                self.report(row, f"lang {tag!r} is written in {expected}, but the name is in {found}: "
                                 f"tag it {parts[0]}-{found} (or the language it is in)")
        if parts[0] in MULTI_SCRIPT and not any(len(p) == 4 and p.isalpha() for p in parts[1:]):
            examples = "zh-Hans, zh-Hant, zh-Latn" if parts[0] == "zh" else f"{parts[0]}-Latn, {parts[0]}-Cyrl, ..."
            self.report(row, f"lang {tag!r}: {parts[0]} is written in more than one script, name it ({examples})")

    def check_polygons(self) -> None:
        for file_name, obj in self.ds.polygons.items():
            try:
                geom = polygon_geometry(obj)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                self.problems.append(Problem(f"data/polygons/{file_name}", 1, f"not a GeoJSON geometry: {exc}"))
                continue
            if not geom.is_valid:
                geom = geom.buffer(0)
            self.geometries[file_name] = geom

    def check_places(self) -> None:
        for row in self.ds.rows("places"):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                self.report(row, f"lat/lon {row['lat']!r}, {row['lon']!r} are not numbers")
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.report(row, f"lat/lon {lat}, {lon} out of range")
                continue
            if row["country"] and not re.fullmatch(r"[A-Z]{2}", row["country"]):
                self.report(row, f"country {row['country']!r} is not an ISO 3166-1 alpha-2 code")
            if row["priority"] and not re.fullmatch(r"-?[0-9]+", row["priority"]):
                self.report(row, f"priority {row['priority']!r} is not an integer")
            for column, pattern in (("wikidata", r"Q[0-9]+"), ("geonames", r"[0-9]+"), ("wof", r"[0-9]+")):
                for value in split_multi(row[column]):
                    if not re.fullmatch(pattern, value):
                        self.report(row, f"{column} id {value!r} is malformed")
            self.citations(row)
            self.check_point(row, lat, lon)

    def check_point(self, row: Row, lat: float, lon: float) -> None:
        if row["polygon"]:
            geom = self.geometries.get(row["polygon"])
            if geom is None:
                if row["polygon"] not in self.ds.polygons:
                    self.report(row, f"polygon file {row['polygon']!r} not found in data/polygons/")
                return
            outside = _km_outside(geom, lat, lon)
            if outside > POINT_TOLERANCE_KM:
                self.report(row, f"point {lat}, {lon} lies {outside:.0f} km outside its own polygon")
            return
        # Otherwise the polygon of its country, where the data has one.
        country = self.country_polygons.get(row["country"])
        if country is not None and country is not row:
            outside = _km_outside(self.geometries[country["polygon"]], lat, lon)
            if outside > POINT_TOLERANCE_KM:
                self.report(row, f"point {lat}, {lon} lies {outside:.0f} km outside its country "
                                 f"{row['country']} ({country['id']})")

    def check_names(self) -> None:
        seen: dict[tuple[str, ...], Row] = {}
        for row in self.ds.rows("names"):
            self.place_ref(row, "place")
            self.check_lang(row)
            self.check_evidence(row)
            for holder in split_multi(row["holders"]):
                self.holder_ref(row, holder, "holder")
            self.citations(row, name=row["name"])
            key = tuple(row[c] for c in ("place", "name", "lang", "kind", "holders", "valid_from", "valid_to"))
            if key in seen:
                first = seen[key]
                self.report(row, f"duplicate claim (same as {first.file}:{first.line})")
            else:
                seen[key] = row


def validate(dataset: Dataset, seeds_dir: Path) -> list[Problem]:
    """Every problem in the dataset, in file order: an empty list means it can be loaded."""
    problems = _Validator(dataset, Path(seeds_dir)).run()
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.reason))


def check(data_dir: Path, seeds_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Read ``data_dir`` and validate it: the dataset and every problem found in it."""
    dataset = read_dataset(data_dir)
    return dataset, validate(dataset, seeds_dir)
