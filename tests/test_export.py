"""`gazetteer export --format geojson`: RFC 7946, readable by GDAL/OGR and geopandas as it is."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas
import pyogrio
import pytest
from click.testing import CliRunner

from gazetteer.cli import main


@pytest.fixture()
def exported(loaded_url: str, tmp_path: Path) -> Path:
    out = tmp_path / "curated.geojson"
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "export", "--format", "geojson", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_export_is_a_feature_collection_with_every_claim_cited(exported: Path) -> None:
    collection = json.loads(exported.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) >= 80
    claims = [claim for f in features for claim in f["properties"]["names"]]
    assert len(claims) >= 1000
    assert len({claim["lang"] for claim in claims}) >= 20
    assert all(claim["citations"] for claim in claims)
    assert {"GeoNames", "Who's On First", "Natural Earth", "Unicode CLDR"} <= {a["source"] for a in collection["attribution"]}


def test_points_are_lon_lat_and_polygons_are_kept(exported: Path) -> None:
    by_id = {f["id"]: f for f in json.loads(exported.read_text(encoding="utf-8"))["features"]}
    lon, lat = by_id["stepanakert"]["geometry"]["coordinates"]
    assert (round(lon, 2), round(lat, 2)) == (46.75, 39.82)
    for place in ("nagorno-karabakh", "azerbaijan", "armenia"):
        assert by_id[place]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_gdal_ogr_reads_it(exported: Path) -> None:
    info = pyogrio.read_info(exported)
    assert info["driver"] == "GeoJSON"
    assert info["features"] >= 80
    assert "names" in list(info["fields"])


def test_geopandas_reads_it(exported: Path) -> None:
    frame = geopandas.read_file(exported)
    assert len(frame) >= 80
    row = frame.set_index("id").loc["stepanakert"]
    assert row.geometry.geom_type == "Point"
    assert abs(row.geometry.x - 46.75) < 0.01
    assert "Xankəndi" in str(row["names"])


def test_export_to_an_unwritable_place_is_a_clear_error(loaded_url: str, tmp_path: Path) -> None:
    out = tmp_path / "missing-dir" / "x.geojson"
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "export", "-o", str(out)])
    assert result.exit_code == 1
    assert "cannot write" in result.output
    assert not out.exists()
