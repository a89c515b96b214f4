"""Write api/static/ne_110m_admin_0_countries.geojson, the map page's offline basemap.

Input: Natural Earth 1:110m admin-0 countries (public domain) as the shapefile that geopandas 0.14
shipped as ``geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp`` (built from
ne_110m_admin_0_countries by geopandas' ``naturalearth_creation.py``; its VERSION file says 2.0.0 for
the cities, the countries carry no version). Get it with::

    pip download --no-deps geopandas==0.14.4 && unzip geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*'
    python tools/make_basemap.py geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Only the outlines, the name and the ISO code are kept; coordinates are rounded to 0.01° (about 1 km,
finer than the 1:110m source), which keeps the file small enough to ship.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pyogrio

OUT = Path(__file__).resolve().parent.parent / "api" / "static" / "ne_110m_admin_0_countries.geojson"


def _round(coords: Any) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 2), round(coords[1], 2)]
    return [_round(c) for c in coords]


def main(shapefile: str) -> None:
    frame = pyogrio.read_dataframe(shapefile)
    features = []
    for row in frame.itertuples():
        geometry = json.loads(json.dumps(row.geometry.__geo_interface__))
        geometry["coordinates"] = _round(geometry["coordinates"])
        features.append({"type": "Feature", "properties": {"name": row.name, "iso_a3": row.iso_a3},
                         "geometry": geometry})
    collection = {"type": "FeatureCollection", "name": "ne_110m_admin_0_countries",
                  "attribution": "Made with Natural Earth (public domain), 1:110m admin-0 countries, via geopandas 0.14",
                  "features": features}
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {len(features)} countries to {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
