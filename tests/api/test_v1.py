"""Every /v1 endpoint through the Flask test client, every error class, the OpenAPI document, CORS
and conditional requests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from api import create_app, spec


@pytest.fixture(scope="module")
def client(loaded_url: str) -> Iterator[FlaskClient]:
    app = create_app({"DATABASE_URL": loaded_url, "TESTING": True, "MAX_CONTENT_LENGTH": 2 * 1024 * 1024})
    yield app.test_client()
    app.extensions["gazetteer"].close()


def test_lookup_with_every_option(client: FlaskClient) -> None:
    body = client.get("/v1/lookup", query_string={"q": "Khankendi", "at": 1980}).get_json()
    assert body["results"][0]["id"] == "stepanakert" and body["results"][0]["label"] == "Stepanakert"
    body = client.get("/v1/lookup", query_string={"q": "Stepanakert", "perspective": "AZ-gov"}).get_json()
    assert body["results"][0]["label"] == "Khankendi"
    body = client.get("/v1/lookup", query_string={"q": "Stepanakert", "lang": "ru"}).get_json()
    assert "Степанакерт" in body["results"][0]["label"]
    body = client.get("/v1/lookup", query_string={"q": "Stepanakret", "fuzzy": "false"}).get_json()
    assert body["results"] == []
    body = client.get("/v1/lookup", query_string={"q": "Georgia", "kind": "region", "country": "US",
                                                  "curated_only": "0", "limit": 1}).get_json()
    assert [(r["kind"], r["country"]) for r in body["results"]] == [("region", "US")]
    geojson = client.get("/v1/lookup", query_string={"q": "Xankəndi", "format": "geojson"})
    assert geojson.mimetype == "application/geo+json"
    feature = geojson.get_json()["features"][0]
    assert feature["id"] == "stepanakert" and feature["geometry"]["coordinates"] == pytest.approx([46.752, 39.8156],
                                                                                                  abs=0.01)


def test_search_autocomplete_and_places(client: FlaskClient) -> None:
    ids = [r["id"] for r in client.get("/v1/search?q=karab&prefix=true").get_json()["results"]]
    assert "nagorno-karabakh" in ids
    ids = [r["id"] for r in client.get("/v1/autocomplete?q=Stepan").get_json()["results"]]
    assert "stepanakert" in ids
    body = client.get("/v1/places?ids=stepanakert,atlantis,baku").get_json()
    assert [p["id"] for p in body["places"]] == ["stepanakert", "baku"] and body["missing"] == ["atlantis"]
    with_polygon = client.get("/v1/places/nagorno-karabakh?polygon=true").get_json()
    assert with_polygon["polygon"]["type"] in ("Polygon", "MultiPolygon")
    assert "polygon" not in client.get("/v1/places/nagorno-karabakh").get_json()
    holders = {h["id"] for h in client.get("/v1/holders").get_json()["holders"]}
    assert {"AZ-gov", "AM-gov"} <= holders


@pytest.mark.parametrize("typed,place,weak", [
    ("Khan", "stepanakert", ["gn-2913195", "gn-3038230"]),  # Haan's alternate "Khan"; Alençon's airport code "XAN"
    ("Art", "nagorno-karabakh", ["gn-5143396"]),  # Watertown's airport code "ART"
    ("Derr", "derry", ["gn-3052009"]),  # Győr's alternate "D'er"
])
def test_autocomplete_ranks_a_prefix_of_a_real_name_above_codes_and_short_alternate_names(
        client: FlaskClient, typed: str, place: str, weak: list[str]) -> None:
    ids = [r["id"] for r in client.get("/v1/autocomplete", query_string={"q": typed, "limit": 10}).get_json()["results"]]
    assert ids[0] == place
    assert all(w not in ids or ids.index(w) > ids.index(place) for w in weak)


def test_autocomplete_still_puts_a_populous_place_named_exactly_so_near_the_top(client: FlaskClient) -> None:
    ids = [r["id"] for r in client.get("/v1/autocomplete", query_string={"q": "Roma", "limit": 5}).get_json()["results"]]
    assert "gn-3169070" in ids  # Rome (its alternate "Roma"), before the small towns whose names start so
    assert client.get("/v1/autocomplete?q=Wien&limit=3").get_json()["results"][0]["label"] == "Vienna"


def test_json_answers_write_letters_in_utf8_as_the_readme_shows(client: FlaskClient) -> None:
    response = client.get("/v1/lookup", query_string={"q": "Ханкенди", "lang": "ru", "limit": 1})
    assert response.mimetype == "application/json"
    assert "Ханкенди".encode() in response.data and b"\\u04" not in response.data
    assert response.get_json()["query"] == "Ханкенди"
    annotated = client.post("/v1/annotate", json={"text": "Şuşa və Xankəndi"})
    assert "Şuşa".encode() in annotated.data and b"\\u" not in annotated.data


def test_reverse_and_contains(client: FlaskClient) -> None:
    body = client.get("/v1/reverse?lat=39.8156&lon=46.752&limit=2").get_json()
    assert body["results"][0]["id"] == "stepanakert" and body["results"][0]["distance_km"] < 1
    areas = client.get("/v1/contains?lat=39.76&lon=46.75").get_json()["areas"]
    assert {"azerbaijan", "nagorno-karabakh"} <= {a["id"] for a in areas}
    assert any(a["disputed"] for a in areas)
    far = client.get("/v1/reverse?lat=0&lon=-140&radius_km=10").get_json()
    assert far["results"] == []


def test_annotate_report_and_batch(client: FlaskClient) -> None:
    body = client.post("/v1/annotate", json={"text": "Azeris in Xankəndi; Stepanakert", "demonyms": True,
                                             "report": True}).get_json()
    assert [(m["surface"], m["id"], m["mention_type"]) for m in body["mentions"]] == [
        ("Azeris", "azerbaijan", "demonym"), ("Xankəndi", "stepanakert", "toponym"),
        ("Stepanakert", "stepanakert", "toponym")]
    assert body["report"]["mentions"] == 2 and body["report"]["named_two_ways"]
    mapped = client.post("/v1/annotate", json={"text": "Stepanakert, Khankendi, Baku.", "format": "geojson"})
    assert mapped.mimetype == "application/geo+json"
    by_id = {f["id"]: f["properties"] for f in mapped.get_json()["features"]}
    assert by_id["stepanakert"]["names_used"] == {"Stepanakert": 1, "Khankendi": 1} and len(by_id) == 2
    report = client.post("/v1/report", json={"text": "Shelling hit Stepanakert."}).get_json()
    assert report["suggestions"][0]["id"] == "stepanakert" and "Khankendi" in report["suggestions"][0]["suggestion"]
    batch = client.post("/v1/annotate/batch", json={"documents": [{"id": 1, "text": "Baku"},
                                                                  {"id": "b", "text": ""}]}).get_json()
    assert [(d["id"], [m["id"] for m in d["mentions"]]) for d in batch["documents"]] == [(1, ["baku"]), ("b", [])]


def test_export_is_cached_and_carries_attribution(client: FlaskClient) -> None:
    response = client.get("/v1/export/geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    body = response.get_json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) >= 100
    assert any(a["source"] == "GeoNames" for a in body["attribution"])
    assert response.headers["Cache-Control"] == "public, max-age=300" and response.headers["ETag"]
    again = client.get("/v1/export/geojson", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    place = client.get("/v1/places/baku")
    assert client.get("/v1/places/baku", headers={"If-None-Match": place.headers["ETag"]}).status_code == 304
    assert place.headers["Access-Control-Allow-Origin"] == "*"


def test_exports_in_every_format_with_filters(client: FlaskClient) -> None:
    lpf = client.get("/v1/export/lpf?country=AZ&kind=settlement")
    assert lpf.status_code == 200 and lpf.mimetype == "application/geo+json" and lpf.headers["ETag"]
    body = lpf.get_json()
    assert body["@context"].endswith("linkedplaces-context-v1.1.jsonld")
    ids = {f["@id"] for f in body["features"]}
    assert "http://localhost/v1/places/stepanakert" in ids and "http://localhost/v1/places/kyiv" not in ids
    names = next(f for f in body["features"] if f["@id"].endswith("/stepanakert"))["names"]
    assert any(n["toponym"] == "Xankəndi" and "AZ-gov" in n.get("perspectives", {}).get("holders", []) for n in names)
    table = client.get("/v1/export/csv?holder=NKR-gov")
    assert table.status_code == 200 and table.mimetype == "text/csv"
    assert "attachment" in table.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(table.get_data(as_text=True))))
    assert any(r["place_id"] == "stepanakert" and r["name"] == "Ստեփանակերտ" for r in rows)
    boxed = client.get("/v1/export/geojson?bbox=30,50,31,51&base=true").get_json()
    assert {"kyiv"} <= {f["id"] for f in boxed["features"]}
    assert all(30 <= f["properties"]["lon"] <= 31 for f in boxed["features"] if f["geometry"]["type"] == "Point")
    assert boxed["filters"]["bbox"] == [30, 50, 31, 51] and boxed["filters"]["include_base"] is True
    assert "Content-Length" not in lpf.headers  # streamed, not buffered to count its length


@pytest.mark.parametrize("method,path,kwargs,status", [
    ("get", "/v1/places/atlantis", {}, 404),
    ("get", "/v1/places/a%00b", {}, 404),
    ("get", "/no/such/route", {}, 404),
    ("get", "/v1/lookup", {}, 400),  # q missing
    ("get", "/v1/lookup?q=Baku&limit=-1", {}, 400),
    ("get", "/v1/lookup?q=Baku&limit=abc", {}, 400),
    ("get", "/v1/lookup?q=Baku&format=xml", {}, 400),
    ("get", "/v1/lookup?q=Baku&perspective=nobody", {}, 400),
    ("get", "/v1/export/lpf?holder=nobody", {}, 400),
    ("get", "/v1/export/csv?bbox=1,2,3", {}, 400),
    ("get", "/v1/export/geojson?bbox=0,10,1,5", {}, 400),
    ("get", "/v1/export/geojson?country=Azerbaijan", {}, 400),
    ("get", "/v1/export/geojson?base=maybe", {}, 400),
    ("get", "/v1/lookup?q=Baku&fuzzy=perhaps", {}, 400),
    ("get", "/v1/reverse?lat=999&lon=0", {}, 400),
    ("get", "/v1/reverse?lat=nan&lon=0", {}, 400),
    ("get", "/v1/contains?lat=1", {}, 400),
    ("get", "/v1/places?ids=" + ",".join(f"p{i}" for i in range(spec.MAX_IDS + 1)), {}, 400),
    ("get", "/v1/places?ids=", {}, 400),
    ("get", "/v1/places?ids=,%20,", {}, 400),
    ("get", "/lookup?osm_ids=", {}, 400),
    ("delete", "/v1/lookup?q=Baku", {}, 405),
    ("post", "/v1/annotate", {"data": "text=Baku", "content_type": "application/x-www-form-urlencoded"}, 415),
    ("post", "/v1/annotate", {"data": "{not json", "content_type": "application/json"}, 400),
    ("post", "/v1/annotate", {"data": b"\xff\xfe", "content_type": "application/json"}, 400),
    ("post", "/v1/annotate", {"json": {"text": 5}}, 422),
    ("post", "/v1/annotate", {"json": {"text": "Baku", "extra": 1}}, 422),
    ("post", "/v1/annotate", {"json": ["Baku"]}, 422),
    ("post", "/v1/annotate", {"json": {"text": "x" * (spec.MAX_TEXT_CHARS + 1)}}, 422),
    ("post", "/v1/annotate", {"data": "{\"text\": \"" + "x" * (3 * 1024 * 1024) + "\"}",
                              "content_type": "application/json"}, 413),
    ("post", "/v1/annotate/batch", {"json": {"documents": [{"id": i, "text": "a"} for i in range(101)]}}, 422),
    ("post", "/v1/annotate/batch", {"json": {"documents": [{"text": "no id"}]}}, 422),
    ("get", "/search?q=Baku&format=xml", {}, 400),
    ("get", "/search?q=Baku&viewbox=1,2,3", {}, 400),
    ("get", "/search?q=Baku&bounded=1", {}, 400),
    ("get", "/search?q=Baku&countrycodes=AZE", {}, 400),
    ("get", "/reverse?lat=1", {}, 400),
])
def test_every_error_is_problem_json(client: FlaskClient, method: str, path: str, kwargs: dict, status: int) -> None:
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and "Traceback" not in response.get_data(as_text=True)


def test_openapi_document_lists_every_route_with_its_parameters(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    routes = {(rule.rule.replace("<", "{").replace(">", "}"), method.lower())
              for rule in client.application.url_map.iter_rules() for method in rule.methods
              if method not in ("HEAD", "OPTIONS") and rule.endpoint != "static"}
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    undocumented = {("/healthz", "get"), ("/openapi.json", "get"), ("/docs", "get"), ("/", "get"), ("/annotate", "get"),
                    ("/vendor/leaflet/{path:filename}", "get")}  # the web pages and their files
    assert routes - undocumented == documented
    lookup = {p["name"]: p for p in document["paths"]["/v1/lookup"]["get"]["parameters"]}
    assert lookup["limit"]["schema"]["maximum"] == spec.MAX_LIMIT and lookup["q"]["required"]
    body = document["paths"]["/v1/annotate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == spec.ANNOTATE_BODY  # the schema that validates is the one documented
    page = client.get("/docs")
    assert page.status_code == 200 and b"/openapi.json" in page.data and b"https://" not in page.data


def test_an_invalid_body_is_explained_in_a_few_words(client: FlaskClient) -> None:
    long = client.post("/v1/annotate", json={"text": "x" * (spec.MAX_TEXT_CHARS + 1)}).get_json()
    assert long["detail"] == f"text: longer than {spec.MAX_TEXT_CHARS:,} characters"  # not the megabyte back
    many = client.post("/v1/annotate/batch", json={"documents": [{"id": i, "text": "a"} for i in range(101)]})
    assert many.get_json()["detail"] == f"documents: more than {spec.MAX_BATCH_DOCUMENTS} items"


def test_map_layer_styles_every_curated_place_by_status(client: FlaskClient) -> None:
    response = client.get("/v1/map")
    assert response.status_code == 200 and response.mimetype == "application/geo+json" and response.headers["ETag"]
    features = {f["id"]: f for f in response.get_json()["features"]}
    assert len(features) == client.get("/v1/status").get_json()["curated_places"]
    assert features["nagorno-karabakh"]["properties"]["status"] == "disputed"
    assert "B38" in features["nagorno-karabakh"]["properties"]["status_reason"]  # Natural Earth's disputed area
    assert features["nagorno-karabakh"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert features["nkao"]["properties"]["status"] == "historical"
    assert features["north-macedonia"]["properties"]["status"] == "renamed"
    assert features["stepanakert"]["geometry"] == {"type": "Point", "coordinates": [pytest.approx(46.752, abs=1e-3),
                                                                                   pytest.approx(39.816, abs=1e-3)]}
    assert client.get("/v1/map", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_map_labels_by_holder_year_and_language(client: FlaskClient) -> None:
    def labels(query: str) -> dict:
        body = client.get(f"/v1/map/labels?{query}").get_json()
        return {item["id"]: item for item in body["labels"]} | {"_from_view": body["from_view"]}

    assert labels("perspective=AZ-gov")["stepanakert"]["label"] == "Khankendi"
    armenian = labels("perspective=AM-gov")  # the Armenian foreign ministry's English texts (cited)
    assert armenian["stepanakert"]["label"] == "Stepanakert" and armenian["stepanakert"]["from_view"]
    community = labels("perspective=armenian-community&lang=hy")
    assert community["stepanakert"]["label"] == "Ստեփանակերտ" and community["stepanakert"]["from_view"]
    assert not labels("perspective=AZ-gov")["abkhazia"]["from_view"]  # no Azerbaijani name recorded: a fallback
    in_1980 = labels("at=1980")
    assert in_1980["stepanakert"]["label"] == "Stepanakert" and in_1980["kyiv"]["label"] == "Kiev"
    assert labels("lang=hy")["stepanakert"]["label"] == "Ստեփանակերտ"
    assert 0 < labels("perspective=AZ-gov")["_from_view"] < len(client.get("/v1/map").get_json()["features"])
    for bad in ("perspective=nobody", "at=99999", "lang=" + "x" * 40):
        response = client.get(f"/v1/map/labels?{bad}")
        assert response.status_code == 400 and response.mimetype == "application/problem+json"


def test_near_in_the_batch_and_report_bodies(client: FlaskClient) -> None:
    text = "The commission met in Paris on Tuesday."
    batch = client.post("/v1/annotate/batch", json={"documents": [{"id": 1, "text": text}], "near": "36.3,-88.3"})
    assert batch.status_code == 200, batch.get_json()
    assert batch.get_json()["documents"][0]["mentions"][0]["id"] == "gn-4647963"  # Paris, Tennessee
    report = client.post("/v1/report", json={"text": text, "near": "gn-4647963"})
    assert report.status_code == 200
    bad = client.post("/v1/report", json={"text": text, "near": "91,0"})
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert "near" in bad.get_json()["detail"]
