"""The Flask adaptor: parse the request (with the schemas of ``api.spec``), call the ``Gazetteer``
façade, format the answer. No logic of its own.

Every error is an RFC 9457 ``application/problem+json`` document: 400 for a bad parameter, malformed
JSON or a ``Host`` header the service does not answer to (``GAZETTEER_ALLOWED_HOSTS``), 404, 405, 413
above ``MAX_CONTENT_LENGTH``, 415 for a body that is not JSON, 422 for JSON that does not match its
schema, 503 when the database cannot be reached. Every answer carries ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import hashlib
import logging
import operator
import os
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import metadata
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request, stream_with_context
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, RequestTimeout
from werkzeug.wsgi import get_input_stream

from gazetteer import Gazetteer, Settings, inputs, nominatim
from gazetteer.errors import DatabaseNotReady, DatabaseNotWritable, DataInvalid, InvalidInput, PlaceNotFound
from gazetteer.export import MEDIA_TYPES, ExportFilter, results_geojson
from gazetteer.render import mentions_geojson

from . import spec
from .web import web

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


# Base-layer exports stream for tens of seconds: each worker streams at most this many at once (503 beyond),
# so that they cannot take all its threads.
MAX_BASE_EXPORTS = 1
RETRY_AFTER_SECONDS = 5  # told to a client answered 503: the data is loading, or a long export is running


def problem(status: int, title: str, detail: str = "") -> Response:
    """An RFC 9457 problem document (a 503 says when to try again)."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _location(location: str, public_url: str | None) -> str:
    """A redirect within this service (Werkzeug writes them absolute, with the request's Host, e.g.
    /v1//status to /v1/status) made to point at the public URL, or relative when none is set."""
    parts = urllib.parse.urlsplit(location)
    if not parts.netloc or parts.netloc.lower() != request.host.lower():
        return location  # relative already, or somewhere else
    path = parts.path.removeprefix(request.script_root) if public_url else parts.path
    base = public_url or "/"  # (one slash: "//host/..." would be another host)
    return base + path.lstrip("/") + (f"?{parts.query}" if parts.query else "") \
        + (f"#{parts.fragment}" if parts.fragment else "")


def _gazetteer() -> Gazetteer:
    return current_app.extensions["gazetteer"]  # type: ignore[no-any-return]


def _args(path: str) -> dict[str, Any]:
    return spec.endpoint(path).args(request.args)


def _body(path: str) -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise _UnsupportedMediaType()
    raw = _read_body()
    try:
        body = inputs.loads(raw, max_depth=spec.MAX_JSON_DEPTH)  # (nested too deep, a lone surrogate: 400)
    except InvalidInput as exc:
        raise spec.BadParameter(f"the body: {exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise spec.BadParameter(f"the body is not well-formed JSON: {exc}") from None
    return spec.endpoint(path, "post").check_body(body)


DRAINED = 4  # a body too large is read and dropped up to this many times MAX_CONTENT_LENGTH before the 413


def _read_body() -> bytes:
    """The request body, at most ``MAX_CONTENT_LENGTH`` bytes whether a Content-Length announced it or
    it came in chunks (Werkzeug's own reading stops at the limit and passes on the body cut there).

    Above the limit: 413, after the rest of the body is read and dropped (up to ``DRAINED`` times the
    limit), so that a client which writes its whole body before it reads the answer, as Python's
    http.client does, gets the 413 instead of a broken pipe. A larger announced body is not read at all."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    # The server's stream when it ends the body itself (gunicorn; chunks), else one cut at Content-Length.
    stream = get_input_stream(request.environ, max_content_length=None)
    if limit is None:
        return stream.read()
    if (request.content_length or 0) > DRAINED * limit:
        raise _too_large(limit)
    data = _read_up_to(stream, limit + 1)
    if len(data) > limit:
        _read_up_to(stream, DRAINED * limit - len(data), keep=False)
        raise _too_large(limit)
    return data


def _read_up_to(stream: Any, size: int, keep: bool = True) -> bytes:
    """At most ``size`` bytes of ``stream`` (fewer at its end), or none kept."""
    parts: list[bytes] = []
    while size > 0:
        try:
            part = stream.read(min(size, 65536))
        except OSError:  # the client stalled past the server's idle timeout, or went away
            raise RequestTimeout("the body stopped arriving before its end") from None
        except Exception as exc:  # noqa: BLE001 - the server's own error for a malformed body (a bad chunk size)
            raise BadRequest(f"the body is malformed: {exc}") from None
        if not part:
            break
        size -= len(part)
        if keep:
            parts.append(part)
    return b"".join(parts)


def _too_large(limit: int) -> RequestEntityTooLarge:
    return RequestEntityTooLarge(f"the body is larger than {limit:,} bytes")


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
    if body.get("format") == "geojson":  # one feature per place: no more than the places
        response = jsonify(mentions_geojson(mentions))
        response.mimetype = "application/geo+json"
        return response
    if len(mentions) > spec.MAX_MENTIONS:
        raise spec.TooManyMentions(f"the text has {len(mentions):,} place mentions",
                                   "split it into smaller texts, or tag it with `gazetteer annotate`")
    answer: dict[str, Any] = {"mentions": [m.to_dict() for m in mentions]}
    if body.get("report"):
        answer["report"] = _gazetteer().report(body["text"], date=body.get("date"), near=body.get("near")).to_dict()
    return _bounded(jsonify(answer), "split the text into smaller texts, or tag it with `gazetteer annotate`")


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
    answers: list[tuple[Any, list[Any]]] = []
    found = 0
    for document, mentions in zip(documents, results, strict=True):
        found += len(mentions)
        if found > spec.MAX_MENTIONS:  # counted before any JSON is made; the documents after it are not tagged
            raise spec.TooManyMentions(f"the first {len(answers) + 1} documents have {found:,} place mentions",
                                       "send fewer or shorter documents per batch, or tag them with `gazetteer bulk`")
        answers.append((document["id"], mentions))
    return _bounded(jsonify({"documents": [{"id": id_, "mentions": [m.to_dict() for m in mentions]}
                                           for id_, mentions in answers]}),
                    "send fewer or shorter documents per batch, or tag them with `gazetteer bulk`")


@v1.post("/report")
def report() -> Response:
    body = _body("/v1/report")
    return _bounded(jsonify(_gazetteer().report(body["text"], date=body.get("date"), near=body.get("near")).to_dict()),
                    "split the text into smaller texts, or use `gazetteer report`")


def _bounded(response: Response, advice: str) -> Response:
    """The answer, unless it is larger than ``MAX_ANSWER_BYTES`` (422)."""
    size = response.content_length or 0
    if size > spec.MAX_ANSWER_BYTES:
        raise spec.AnswerTooLarge(size, advice)
    return response


def _export(fmt: str) -> Response:
    args = _args(f"/v1/export/{fmt}")
    filters = ExportFilter.make(kinds=args["kind"] or (), country=args["country"], bbox=args["bbox"],
                                holder=args["holder"], include_base=args["base"])
    base_url = (_gazetteer().settings.public_url or request.host_url) + "v1/"  # LPF @id: the public URL if set
    chunks = _gazetteer().export(fmt, filters, base_url=base_url)  # filters are checked here
    running = current_app.extensions["base layer exports"]
    if args["base"] and not running.acquire(blocking=False):
        return problem(503, "Service Unavailable", f"this worker is already streaming {MAX_BASE_EXPORTS} "
                       "base-layer export(s); try again shortly, or use `gazetteer export` on the server")
    release = _once(running.release) if args["base"] else (lambda: None)
    if args["base"]:
        chunks = _then(chunks, release)  # released when the stream ends, or (below) is cut off or never sent (304)
    try:
        response = Response(stream_with_context(chunks), mimetype=MEDIA_TYPES[fmt])
        response.call_on_close(release)
        response.implicit_sequence_conversion = False  # stream it: never buffered to compute a Content-Length
        if fmt == "csv":
            response.headers["Content-Disposition"] = "attachment; filename=contested-place-names.csv"
        return _cached(response, f"export/{fmt}", request.query_string.decode("utf-8", "replace"), base_url)
    except BaseException:  # (the ETag reads the data version: the database may fail)
        release()
        raise

def _once(action: Callable[[], object]) -> Callable[[], None]:
    done = threading.Lock()

    def run() -> None:
        if done.acquire(blocking=False):
            action()
    return run


def _then(chunks: Iterable[str], action: Callable[[], None]) -> Iterator[str]:
    try:
        yield from chunks
    finally:
        action()


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
    """Build the app. ``config`` may set ``DATABASE_URL``, ``DATA_DIR``, ``BASE_LAYER``, ``PUBLIC_URL``,
    ``ALLOWED_HOSTS`` (see ``Settings``), ``MAX_CONTENT_LENGTH`` and ``WARM`` (open the search indexes and
    the tagger now, instead of on the first request; ``GAZETTEER_WARM=1`` does the same; see
    ``Gazetteer.warm``); otherwise the environment (``GAZETTEER_DATABASE_URL`` ...) and the defaults apply.
    The database is built from ``data/`` on first use if it is empty."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = spec.MAX_BODY_BYTES
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # UTF-8 letters, as the README shows them
    app.config.update(config or {})
    settings = Settings.from_env(database_url=app.config.get("DATABASE_URL"), data_dir=app.config.get("DATA_DIR"),
                                 base_layer=app.config.get("BASE_LAYER"), public_url=app.config.get("PUBLIC_URL"),
                                 allowed_hosts=app.config.get("ALLOWED_HOSTS"))
    gazetteer = app.extensions["gazetteer"] = Gazetteer.open(settings=settings)
    app.extensions["base layer exports"] = threading.BoundedSemaphore(MAX_BASE_EXPORTS)
    try:
        gazetteer.prepare(build=app.config.get("BUILD", True),
                          warm=app.config.get("WARM", os.environ.get("GAZETTEER_WARM") == "1"))  # `serve` sets WARM
    except (DatabaseNotReady, DatabaseNotWritable, DataInvalid) as exc:  # it still starts: 503 until the data is there
        log.error("the data is not ready (%s); answering 503 until it is", exc)
    app.register_blueprint(v1)
    app.register_blueprint(compatible)
    app.register_blueprint(web)

    @app.get("/healthz")
    def healthz() -> Response:
        try:
            status = _gazetteer().status()
        except DatabaseNotReady as exc:
            return problem(503, "Service Unavailable", str(exc))
        return jsonify({"status": "ok", "data_version": status.data_version, "places": status.places,
                        "index_version": _gazetteer().data_version()})  # what the indexes answer from

    @app.get("/openapi.json")
    def openapi() -> Response:
        return jsonify(spec.openapi(_version()))

    @app.before_request
    def trusted_host() -> None:
        """A request naming a Host this service does not answer gets 400: that Host would otherwise go
        into absolute URLs (the LPF export's @id, publicly cached; redirects)."""
        if not settings.host_allowed(request.host):
            raise BadRequest(f"this service does not answer to the host {request.host[:100]!r}")

    @app.after_request
    def headers(response: Response) -> Response:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["X-Content-Type-Options"] = "nosniff"  # every answer, JSON and /static included
        if "Location" in response.headers:
            response.headers["Location"] = _location(response.headers["Location"], settings.public_url)
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
