"""Nominatim's dialect: geopy's own Nominatim client against a live server on a free loopback port,
and the answer formats through the test client."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from geopy.geocoders import Nominatim
from werkzeug.serving import make_server

from api import create_app


@pytest.fixture(scope="module")
def app(loaded_url: str) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": loaded_url, "TESTING": True})
    yield app
    app.extensions["gazetteer"].close()


@pytest.fixture(scope="module")
def geocoder(app: Flask) -> Iterator[Nominatim]:
    server = make_server("127.0.0.1", 0, app, threaded=True)  # port 0: a free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Nominatim(domain=f"127.0.0.1:{server.server_port}", scheme="http", user_agent="gazetteer-tests",
                    timeout=30)
    server.shutdown()
    thread.join()


def test_geopy_geocode_in_any_script(geocoder: Nominatim) -> None:
    location = geocoder.geocode("Khankendi")
    assert location is not None and location.raw["place_id"] == "stepanakert"
    assert (location.latitude, location.longitude) == pytest.approx((39.8156, 46.752), abs=0.01)
    armenian = geocoder.geocode("Ստեփանակերտ", language="en", namedetails=True)
    assert armenian.raw["place_id"] == "stepanakert"
    names = armenian.raw["namedetails"]
    assert names["name:hy"] == "Ստեփանակերտ" and names["name:az"] == "Xankəndi"
    several = geocoder.geocode("Georgia", exactly_one=False, limit=3)
    assert several[0].raw["place_id"] == "georgia" and "Georgia, United States" in [p.address for p in several]
    assert geocoder.geocode("Xqzwvplk") is None
    in_us = geocoder.geocode("Georgia", country_codes="us")
    assert in_us.raw["country_code"] == "us"


def test_geopy_reverse(geocoder: Nominatim) -> None:
    location = geocoder.reverse((39.8156, 46.752))
    assert location.raw["place_id"] == "stepanakert" and location.address.startswith("Stepanakert")
    russian = geocoder.reverse((39.8156, 46.752), language="ru")
    assert "Степанакерт" in russian.address


def test_answer_formats_and_lookup(app: Flask) -> None:
    client = app.test_client()
    jsonv2 = client.get("/search?q=Baku&format=jsonv2&limit=1").get_json()[0]
    assert jsonv2["category"] == "place" and "class" not in jsonv2 and isinstance(jsonv2["lat"], str)
    assert len(jsonv2["boundingbox"]) == 4 and jsonv2["display_name"]
    geojson = client.get("/search?q=Baku&format=geojson&limit=1").get_json()
    assert geojson["type"] == "FeatureCollection" and geojson["features"][0]["properties"]["place_id"] == "baku"
    geocodejson = client.get("/search?q=Baku&format=geocodejson&limit=1").get_json()
    assert geocodejson["features"][0]["properties"]["geocoding"]["name"] == "Baku"
    looked_up = client.get("/lookup?osm_ids=baku,atlantis,yerevan").get_json()
    assert [p["place_id"] for p in looked_up] == ["baku", "yerevan"]
    inside = client.get("/search?q=Georgia&viewbox=-90,30,-80,36&bounded=1").get_json()
    assert inside and all(p["country_code"] == "us" for p in inside)
    assert client.get("/status").data == b"OK"
    assert client.get("/status?format=json").get_json()["status"] == 0
    far_out = client.get("/reverse?lat=0&lon=-140").get_json()  # mid-Pacific: the nearest place, however far
    assert far_out["place_id"] and far_out["distance_km"] > 500


def test_importance_ranks_places_and_display_name_names_the_country(app: Flask) -> None:
    client = app.test_client()
    georgias = client.get("/search?q=Georgia&limit=5").get_json()
    importances = [p["importance"] for p in georgias]
    assert all(0 < i <= 1 for i in importances) and len(set(importances)) > 1  # not every hit 1.0
    assert georgias[0]["place_id"] == "georgia" and georgias[0]["importance"] == max(importances)  # curated first
    us_state = next(p for p in georgias if p["country_code"] == "us")
    assert us_state["display_name"] == "Georgia, United States" and us_state["importance"] < georgias[0]["importance"]
    rome, haan = (client.get(f"/search?q={q}&limit=1").get_json()[0] for q in ("Rome", "Haan"))
    assert rome["importance"] > haan["importance"]  # 2.3 million people before 30,000
    exact, typo = (client.get(f"/search?q={q}&limit=1").get_json()[0] for q in ("Stepanakert", "Stepanakret"))
    assert exact["place_id"] == typo["place_id"] and typo["importance"] < exact["importance"]
    assert exact["display_name"] == "Stepanakert / Khankendi, Azerbaijan"
    # in the request's language where the gazetteer has the country's name in it, English otherwise
    german = client.get("/reverse?lat=39.8156&lon=46.752", headers={"Accept-Language": "de"}).get_json()
    assert german["display_name"].endswith(", Aserbaidschan") and 0 < german["importance"] <= 1
    russian = client.get("/search?q=Baku&limit=1&accept-language=ru").get_json()[0]
    assert russian["display_name"].endswith(", Азербайджан")
    looked_up = client.get("/lookup?osm_ids=gn-2913195&accept-language=yo").get_json()[0]  # no Yoruba name
    assert looked_up["display_name"] == "Haan, Germany"


def test_namedetails_keys_follow_openstreetmap() -> None:
    from gazetteer.nominatim import osm_language
    # the script is dropped where it is the language's usual one, and kept (with variants) otherwise
    assert [osm_language(t) for t in ("az-Latn", "az-Cyrl", "sr-Cyrl", "sr-Latn", "zh-Hans", "zh-Hant", "hy")] == [
        "az", "az-Cyrl", "sr", "sr-Latn", "zh", "zh-Hant", "hy"]
    assert osm_language("hy-Armn-arevmda") == "hy-arevmda"
