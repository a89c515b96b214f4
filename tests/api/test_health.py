"""The Flask app factory: /healthz and the first /v1 routes, errors as problem+json."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from api import create_app


@pytest.fixture()
def client(loaded_url: str) -> FlaskClient:
    app = create_app({"DATABASE_URL": loaded_url, "TESTING": True})
    return app.test_client()


def test_healthz_reports_the_data_version(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["data_version"] and body["places"] > 1000


def test_lookup_and_place(client: FlaskClient) -> None:
    body = client.get("/v1/lookup", query_string={"q": "Ստեփանակերտ"}).get_json()
    assert body["results"][0]["id"] == "stepanakert"
    place = client.get("/v1/places/stepanakert").get_json()
    assert place["label"].startswith("Stepanakert")
    assert any(n["name"] == "Xankəndi" for n in place["names"])


@pytest.mark.parametrize("method,path,status", [
    ("get", "/v1/places/atlantis", 404),
    ("get", "/v1/lookup?q=", 400),
    ("get", "/v1/lookup?q=Baku&limit=-1", 400),
    ("get", "/v1/lookup?q=Baku&limit=abc", 400),
    ("get", "/no/such/route", 404),
    ("post", "/healthz", 405),
])
def test_errors_are_problem_json(client: FlaskClient, method: str, path: str, status: int) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == status


def test_app_on_an_empty_database_builds_it_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}", "BASE_LAYER": "none"})
    assert app.test_client().get("/healthz").status_code == 200
