"""The Flask adaptor: parse the request (with the schemas of ``api.spec``), call the ``Gazetteer``
façade, format the answer. No logic of its own.

Every error is an RFC 9457 ``application/problem+json`` document: 400 for a bad parameter or malformed
JSON, 404, 405, 413 above ``MAX_CONTENT_LENGTH``, 415 for a body that is not JSON, 422 for JSON that
does not match its schema, 503 when the database cannot be reached.
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import os
from collections.abc import Mapping
from importlib import metadata
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request, stream_with_context
from werkzeug.exceptions import HTTPException

from gazetteer import Gazetteer, Settings, nominatim
from gazetteer.errors import DatabaseNotReady, InvalidInput, PlaceNotFound
from gazetteer.export import MEDIA_TYPES, ExportFilter, results_geojson
from gazetteer.render import mentions_geojson

from . import spec
from .web import web

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


def problem(status: int, title: str, detail: str = "") -> Response:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


def _gazetteer() -> Gazetteer:
    return current_app.extensions["gazetteer"]  # type: ignore[no-any-return]


def _args(path: str) -> dict[str, Any]:
    return spec.endpoint(path).args(request.args)


def _body(path: str) -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise _UnsupportedMediaType()
    raw = request.get_data(cache=False)  # 413 above MAX_CONTENT_LENGTH
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise spec.BadParameter(f"the body is not well-formed JSON: {exc}") from None
    return spec.endpoint(path, "post").check_body(body)


class _UnsupportedMediaType(Exception):
    pass


def _cached(response: Response, *parts: str) -> Response:
    """ETag (data version and the request) and Cache-Control; 304 for a matching If-None-Match."""
    version = _gazetteer().data_version()
    response.set_etag(hashlib.sha256("\0".join((version, *parts)).encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)  # type: ignore[return-value]


def _name_options(args: dict[str, Any]) -> dict[str, Any]:
    return {"fuzzy": args["fuzzy"], "lang": args["lang"], "kind": args["kind"] or None, "country": args["country"],
            "at": args["at"], "perspective": args["perspective"], "curated_only": args["curated_only"]}


def _results(query: str, results: list[Any], fmt: str = "json") -> Response:
    if fmt == "geojson":
        response = jsonify(results_geojson(results))
        response.mimetype = "application/geo+json"
        return response
    return jsonify({"query": query, "results": [r.to_dict() for r in results]})


# -- /v1 -----------------------------------------------------------------------------------------
v1 = Blueprint("v1", __name__, url_prefix="/v1")


@v1.get("/status")
def status() -> Response:
    answer = _gazetteer().status().to_dict()
    answer["evidence"] = _gazetteer().evidence().to_dict()
    return jsonify(answer)


@v1.get("/holders")
def holders() -> Response:
    return jsonify({"holders": [{"id": k, "label": v} for k, v in _gazetteer().holders().items()]})


@v1.get("/places/<place_id>")
def place(place_id: str) -> Response:
    args = _args("/v1/places/{place_id}")
    record = _gazetteer().place(place_id)
    return _cached(jsonify(record.to_dict(polygon=args["polygon"])), place_id, str(args["polygon"]))


@v1.get("/places")
def places() -> Response:
    ids = _args("/v1/places")["ids"]
    if not 1 <= len(ids) <= spec.MAX_IDS:
        raise spec.BadParameter(f"ids must list 1 to {spec.MAX_IDS} place ids")
    records, missing = [], []
    for place_id in dict.fromkeys(ids):
        try:
            records.append(_gazetteer().place(place_id).to_dict())
        except PlaceNotFound:
            missing.append(place_id)
    return jsonify({"places": records, "missing": missing})


@v1.get("/lookup")
def lookup() -> Response:
    args = _args("/v1/lookup")
    results = _gazetteer().lookup(args["q"], args["limit"], **_name_options(args))
    return _results(args["q"], results, args["format"])


@v1.get("/search")
def search() -> Response:
    args = _args("/v1/search")
    results = _gazetteer().search(args["q"], args["limit"], prefix=args["prefix"], **_name_options(args))
    return _results(args["q"], results, args["format"])


@v1.get("/autocomplete")
def autocomplete() -> Response:
    args = _args("/v1/autocomplete")
    return _results(args["q"], _gazetteer().search(args["q"], args["limit"], prefix=True, **_name_options(args)))


@v1.get("/reverse")
def reverse() -> Response:
    args = _args("/v1/reverse")
    results = _gazetteer().reverse(args["lat"], args["lon"], args["limit"], radius_km=args["radius_km"],
                                   kind=args["kind"] or None)
    if args["format"] == "geojson":
        return _results("", results, "geojson")
    return jsonify({"lat": args["lat"], "lon": args["lon"], "results": [r.to_dict() for r in results]})


@v1.get("/contains")
def contains() -> Response:
    args = _args("/v1/contains")
    areas = _gazetteer().contains(args["lat"], args["lon"])
    return jsonify({"lat": args["lat"], "lon": args["lon"], "areas": [a.to_dict() for a in areas]})


@v1.post("/annotate")
def annotate() -> Response:
    body = _body("/v1/annotate")
    mentions = _gazetteer().annotate(body["text"], demonyms=body.get("demonyms", False), date=body.get("date"),
                                     near=body.get("near"))
    if body.get("format") == "geojson":
        response = jsonify(mentions_geojson(mentions))
        response.mimetype = "application/geo+json"
        return response
    answer: dict[str, Any] = {"mentions": [m.to_dict() for m in mentions]}
    if body.get("report"):
        answer["report"] = _gazetteer().report(body["text"], date=body.get("date"), near=body.get("near")).to_dict()
    return jsonify(answer)


@v1.post("/annotate/batch")
def annotate_batch() -> Response:
    body = _body("/v1/annotate/batch")
    documents = body["documents"]
    if sum(len(d["text"]) for d in documents) > spec.MAX_BATCH_CHARS:
        raise spec.InvalidBody(f"documents: more than {spec.MAX_BATCH_CHARS:,} characters of text in all")
    batch_date = body.get("date")
    results = _gazetteer().annotate_many(documents, text=operator.itemgetter("text"), demonyms=body.get("demonyms", False),
                                         date=lambda d: batch_date if d.get("date") is None else d["date"],
                                         near=body.get("near"))
    return jsonify({"documents": [{"id": d["id"], "mentions": [m.to_dict() for m in mentions]}
                                  for d, mentions in zip(documents, results, strict=True)]})


@v1.post("/report")
def report() -> Response:
    body = _body("/v1/report")
    return jsonify(_gazetteer().report(body["text"], date=body.get("date"), near=body.get("near")).to_dict())


def _export(fmt: str) -> Response:
    args = _args(f"/v1/export/{fmt}")
    filters = ExportFilter.make(kinds=args["kind"] or (), country=args["country"], bbox=args["bbox"],
                                holder=args["holder"], include_base=args["base"])
    chunks = _gazetteer().export(fmt, filters, base_url=request.host_url + "v1/")  # filters are checked here
    response = Response(stream_with_context(chunks), mimetype=MEDIA_TYPES[fmt])
    response.implicit_sequence_conversion = False  # stream it: never buffered to compute a Content-Length
    if fmt == "csv":
        response.headers["Content-Disposition"] = "attachment; filename=contested-place-names.csv"
    return _cached(response, f"export/{fmt}", request.query_string.decode("utf-8", "replace"), request.host_url)


@v1.get("/export/geojson")
def export_geojson() -> Response:
    return _export("geojson")


@v1.get("/export/lpf")
def export_lpf() -> Response:
    return _export("lpf")


@v1.get("/export/csv")
def export_csv() -> Response:
    return _export("csv")


@v1.get("/map")
def map_layer() -> Response:
    response = jsonify(_gazetteer().map_layer())
    response.mimetype = "application/geo+json"
    return _cached(response, "map")


@v1.get("/map/labels")
def map_labels() -> Response:
    args = _args("/v1/map/labels")
    labels = _gazetteer().map_labels(lang=args["lang"], at=args["at"], perspective=args["perspective"])
    answer = {"lang": args["lang"], "at": args["at"], "perspective": args["perspective"],
              "from_view": sum(1 for label in labels if label["from_view"]), "labels": labels}
    return _cached(jsonify(answer), "map/labels", request.query_string.decode("utf-8", "replace"))


# -- Nominatim's dialect -------------------------------------------------------------------------
compatible = Blueprint("nominatim", __name__)


@compatible.get("/search")
def nominatim_search() -> Response:
    args = _args("/search")
    places = nominatim.search(_gazetteer(), args["q"], limit=args["limit"], accept_language=_language(args),
                              countrycodes=args["countrycodes"], viewbox=args["viewbox"], bounded=args["bounded"],
                              namedetails=args["namedetails"])
    return jsonify(nominatim.answer(places, args["format"]))


@compatible.get("/reverse")
def nominatim_reverse() -> Response:
    args = _args("/reverse")
    place = nominatim.reverse(_gazetteer(), args["lat"], args["lon"], accept_language=_language(args),
                              namedetails=args["namedetails"])
    return jsonify(nominatim.answer(place, args["format"]))


@compatible.get("/lookup")
def nominatim_lookup() -> Response:
    args = _args("/lookup")
    if len(args["osm_ids"]) > spec.MAX_IDS:
        raise spec.BadParameter(f"osm_ids must list at most {spec.MAX_IDS} ids")
    places = nominatim.lookup(_gazetteer(), args["osm_ids"], accept_language=_language(args),
                              namedetails=args["namedetails"])
    return jsonify(nominatim.answer(places, args["format"]))


@compatible.get("/status")
def nominatim_status() -> Response:
    args = _args("/status")
    status = _gazetteer().status()
    if args["format"] == "json":
        return jsonify({"status": 0, "message": "OK", "data_updated": status.loaded_at,
                        "software_version": _version(), "database_version": status.data_version})
    return Response("OK", mimetype="text/plain")


def _language(args: dict[str, Any]) -> str | None:
    return args["accept-language"] or request.headers.get("Accept-Language")


def _version() -> str:
    try:
        return metadata.version("contested-gazetteer")
    except metadata.PackageNotFoundError:
        return "0"


# -- the app -------------------------------------------------------------------------------------
def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may set ``DATABASE_URL``, ``DATA_DIR``, ``BASE_LAYER``,
    ``MAX_CONTENT_LENGTH`` and ``WARM`` (open the search indexes and the tagger now, instead of on the
    first request; ``GAZETTEER_WARM=1`` does the same; see ``Gazetteer.warm``); otherwise the environment
    (``GAZETTEER_DATABASE_URL`` ...) and the defaults apply. The database is built from ``data/`` on
    first use if it is empty."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = spec.MAX_BODY_BYTES
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.update(config or {})
    settings = Settings.from_env(database_url=app.config.get("DATABASE_URL"), data_dir=app.config.get("DATA_DIR"),
                                 base_layer=app.config.get("BASE_LAYER"))
    gazetteer = app.extensions["gazetteer"] = Gazetteer.open(settings=settings, build=app.config.get("BUILD", True))
    if app.config.get("WARM", os.environ.get("GAZETTEER_WARM") == "1"):  # `gazetteer serve` sets it
        gazetteer.warm()  # index and tagger before the first request; shared by the workers forked after
    app.register_blueprint(v1)
    app.register_blueprint(compatible)
    app.register_blueprint(web)

    @app.get("/healthz")
    def healthz() -> Response:
        try:
            status = _gazetteer().status()
        except DatabaseNotReady as exc:
            return problem(503, "Service Unavailable", str(exc))
        return jsonify({"status": "ok", "data_version": status.data_version, "places": status.places})

    @app.get("/openapi.json")
    def openapi() -> Response:
        return jsonify(spec.openapi(_version()))

    @app.after_request
    def cors(response: Response) -> Response:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    @app.errorhandler(PlaceNotFound)
    def not_found(exc: PlaceNotFound) -> Response:
        return problem(404, "Not Found", str(exc))

    @app.errorhandler(spec.InvalidBody)
    def unprocessable(exc: spec.InvalidBody) -> Response:
        return problem(422, "Unprocessable Content", str(exc))

    @app.errorhandler(InvalidInput)
    def invalid(exc: InvalidInput) -> Response:
        return problem(400, "Bad Request", str(exc))

    @app.errorhandler(_UnsupportedMediaType)
    def unsupported(exc: _UnsupportedMediaType) -> Response:
        return problem(415, "Unsupported Media Type", "send the body as application/json")

    @app.errorhandler(DatabaseNotReady)
    def not_ready(exc: DatabaseNotReady) -> Response:
        return problem(503, "Service Unavailable", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        response = problem(exc.code or 500, exc.name, exc.description or "")
        if exc.code == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:  # a defect: logged, never shown as a traceback
        log.exception("unexpected error on %s %s", request.method, request.path)
        return problem(500, "Internal Server Error", "an unexpected error; it has been logged")

    return app
