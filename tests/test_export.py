"""`gazetteer export`: GeoJSON (RFC 7946), Linked Places Format and CSV, each read as it is by GDAL/OGR
(pyogrio) and geopandas; the filters; streaming."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas
import pyogrio
import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from gazetteer.cli import main
from gazetteer.export import ExportFilter


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


# -- Linked Places Format, CSV and the filters -------------------------------------------------------
def _export(url: str, tmp_path: Path, *args: str, name: str = "out") -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["--database-url", url, "export", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_lpf_names_carry_language_citations_timespans_and_who_uses_them(loaded_url: str, tmp_path: Path) -> None:
    out = _export(loaded_url, tmp_path, "--format", "lpf", "--base-url", "https://gaz.example/v1/", name="x.lpf.json")
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["@context"].endswith("linkedplaces-context-v1.1.jsonld")
    by_id = {f["@id"]: f for f in collection["features"]}
    stepanakert = by_id["https://gaz.example/v1/places/stepanakert"]
    assert stepanakert["properties"]["title"] == "Stepanakert / Khankendi" and stepanakert["properties"]["ccodes"] == ["AZ"]
    names = {(n["toponym"], n["lang"]): n for n in stepanakert["names"]}
    assert ("Ստեփանակերտ", "hy") in names and ("Xankəndi", "az-Latn") in names
    assert all(n["citations"] and all(c["label"] for c in n["citations"]) for n in stepanakert["names"])
    # a web page cited as evidence is linked by its address, and a locator inside it is named
    cited = [c for n in stepanakert["names"] for c in n["citations"]]
    assert any(c.get("@id", "").startswith("https://en.wikipedia.org/wiki/") for c in cited)
    used_by = {h for n in stepanakert["names"] for h in n.get("perspectives", {}).get("holders", [])}
    assert {"AZ-gov", "NKR-gov"} <= used_by
    assert all(n["perspectives"]["mode"] == "used_by" for n in stepanakert["names"] if "perspectives" in n)
    assert {"AZ-gov", "NKR-gov"} <= {h["id"] for h in collection["holders"]}
    # a name valid for a span of years has an LPF timespan
    dated = [n for f in collection["features"] for n in f["names"] if "when" in n]
    assert dated and all(span["start"] for n in dated for span in n["when"]["timespans"])
    # links to the reference gazetteers, relations with their own timespans
    links = {link["identifier"] for link in stepanakert["links"]}
    assert "http://www.wikidata.org/entity/Q129352" in links and "https://sws.geonames.org/146970/" in links
    relations = [r for f in collection["features"] for r in f.get("relations", [])]
    assert any(r["relationType"] == "gvp:broaderPartitive" for r in relations)
    assert any("when" in r for r in relations)
    assert stepanakert["geometry"]["geometries"][0] == {"type": "Point", "coordinates": [46.751968, 39.815643]}


def test_lpf_is_geojson_that_gdal_and_geopandas_read(loaded_url: str, tmp_path: Path) -> None:
    out = _export(loaded_url, tmp_path, "--format", "lpf", name="x.geojson")
    assert pyogrio.read_info(out)["features"] >= 80
    frame = geopandas.read_file(out)
    assert len(frame) >= 80 and "title" in frame.columns


def test_csv_has_a_row_per_name_claim_and_opens_in_gdal(loaded_url: str, tmp_path: Path) -> None:
    out = _export(loaded_url, tmp_path, "--format", "csv", "--country", "az", name="az.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert rows and {r["country"] for r in rows} == {"AZ"}
    xankendi = [r for r in rows if r["name"] == "Xankəndi" and r["place_id"] == "stepanakert"]
    assert xankendi and "AZ-gov" in xankendi[0]["holders"].split(";") and xankendi[0]["citations"]
    frame = pyogrio.read_dataframe(out, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat")
    assert len(frame) == len(rows) and frame.geometry.notna().all()
    assert geopandas.read_file(out).shape[0] == len(rows)


@pytest.mark.parametrize("args,expect_in,expect_out", [
    (["--kind", "settlement"], "stepanakert", "nagorno-karabakh"),
    (["--country", "UA"], "kyiv", "stepanakert"),
    (["--bbox", "46,39,47.5,40.5"], "stepanakert", "kyiv"),
    (["--bbox", "46,39,47.5,40.5", "--kind", "region,district"], "nagorno-karabakh", "stepanakert"),
    (["--holder", "UA-gov"], "kyiv", "stepanakert"),
])
def test_filters(loaded_url: str, tmp_path: Path, args: list[str], expect_in: str, expect_out: str) -> None:
    out = _export(loaded_url, tmp_path, *args)
    ids = {f["id"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert expect_in in ids and expect_out not in ids


def test_a_bbox_across_the_antimeridian_and_the_base_layer(loaded_url: str, tmp_path: Path) -> None:
    out = _export(loaded_url, tmp_path, "--include-base", "--bbox", "170,-60,-170,-30")
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert features and all(f["properties"]["layer"] == "base" for f in features)  # New Zealand's Chatham Is. etc.
    assert all(f["properties"]["lon"] >= 170 or f["properties"]["lon"] <= -170 for f in features)


@pytest.mark.parametrize("args,message", [
    (["--holder", "nobody"], "unknown holder 'nobody'"),
    (["--bbox", "1,2,3"], "bbox must be four numbers"),
    (["--bbox", "10,50,20,40"], "south <= north"),
    (["--country", "Azerbaijan"], "ISO 3166-1 alpha-2"),
    (["--format", "kml"], "Invalid value for '--format'"),
])
def test_bad_filters_are_clear_errors_and_write_nothing(loaded_url: str, tmp_path: Path, args: list[str],
                                                        message: str) -> None:
    out = tmp_path / "x.geojson"
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "export", *args, "-o", str(out)])
    assert result.exit_code != 0 and message in result.output
    assert not out.exists() and not list(tmp_path.iterdir())


def test_export_streams_rather_than_reading_everything_first(gazetteer: Gazetteer) -> None:
    read: list[int] = []
    gazetteer.EXPORT_BATCH = 10
    try:
        chunks = gazetteer.export("geojson", ExportFilter(include_base=True), progress=read.append)
        next(chunks), next(chunks)  # the head and the first feature
        assert read == [10]  # one batch read of tens of thousands of places
        assert gazetteer.count_places(ExportFilter(include_base=True)) > 10_000
    finally:
        del gazetteer.EXPORT_BATCH
