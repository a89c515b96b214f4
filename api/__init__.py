"""The Flask adaptor: parse the request, call the ``Gazetteer`` façade, format the answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from gazetteer import Gazetteer, Settings
from gazetteer.errors import DatabaseNotReady, GazetteerError, InvalidInput, PlaceNotFound

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str = "") -> Response:
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


def _gazetteer() -> Gazetteer:
    return current_app.extensions["gazetteer"]  # type: ignore[no-any-return]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may set ``DATABASE_URL``, ``DATA_DIR`` and ``BASE_LAYER``;
    otherwise the environment (``GAZETTEER_DATABASE_URL`` ...) and the defaults apply.
    The database is built from ``data/`` on first use if it is empty."""
    app = Flask(__name__)
    app.config.update(config or {})
    settings = Settings.from_env(database_url=app.config.get("DATABASE_URL"), data_dir=app.config.get("DATA_DIR"),
                                 base_layer=app.config.get("BASE_LAYER"))
    app.extensions["gazetteer"] = Gazetteer.open(settings=settings, build=app.config.get("BUILD", True))

    @app.get("/healthz")
    def healthz() -> Response:
        try:
            status = _gazetteer().status()
        except DatabaseNotReady as exc:
            return problem(503, "Service Unavailable", str(exc))
        return jsonify({"status": "ok", "data_version": status.data_version, "places": status.places})

    @app.get("/v1/status")
    def status() -> Response:
        return jsonify(_gazetteer().status().to_dict())

    @app.get("/v1/places/<place_id>")
    def place(place_id: str) -> Response:
        return jsonify(_gazetteer().place(place_id).to_dict())

    @app.get("/v1/lookup")
    def lookup() -> Response:
        name = request.args.get("q", "")
        try:
            limit = int(request.args.get("limit", "10"))
        except ValueError:
            return problem(400, "Bad Request", "limit must be an integer")
        if not 1 <= limit <= 100:
            return problem(400, "Bad Request", "limit must be between 1 and 100")
        results = _gazetteer().lookup(name, limit)
        return jsonify({"query": name, "results": [r.to_dict() for r in results]})

    @app.errorhandler(PlaceNotFound)
    def not_found(exc: PlaceNotFound) -> Response:
        return problem(404, "Not Found", str(exc))

    @app.errorhandler(InvalidInput)
    def invalid(exc: InvalidInput) -> Response:
        return problem(400, "Bad Request", str(exc))

    @app.errorhandler(DatabaseNotReady)
    def not_ready(exc: DatabaseNotReady) -> Response:
        return problem(503, "Service Unavailable", str(exc))

    @app.errorhandler(GazetteerError)
    def gazetteer_error(exc: GazetteerError) -> Response:
        return problem(400, "Bad Request", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return problem(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:  # never a traceback to the client
        app.logger.exception("unexpected error")
        return problem(500, "Internal Server Error", "unexpected error; it has been logged")

    return app
