"""What each endpoint accepts, written once: the views parse requests with it and `/openapi.json` is
generated from it, so the document and the validation cannot drift.

Query parameters are `Param`s (type, bounds, choices); JSON bodies are JSON Schemas checked with the
`jsonschema` package and embedded as they are in the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema

from gazetteer.core import DATE_PATTERN, MAX_YEAR, MIN_YEAR
from gazetteer.errors import InvalidInput
from gazetteer.numeric import parse_float, parse_int

MAX_TEXT_CHARS = 1_000_000  # one text to annotate
MAX_BATCH_DOCUMENTS = 100  # documents in one batch
MAX_BATCH_CHARS = 2_000_000  # all the texts of one batch together
MAX_BODY_BYTES = 8 * 1024 * 1024  # any request body, with a Content-Length or chunked (413 above)
MAX_JSON_DEPTH = 64  # arrays and objects in one another in a body (400 deeper; ours need 3)
# Place mentions in one answer: of /v1/annotate (format json), or of a /v1/annotate/batch, its documents
# together (422 above, before any of the answer is made). A news article has tens to a few hundred, a
# batch of 100 articles some thousands; at about 650 bytes of JSON a mention, an answer stays under some
# 7 MB (1 MB of "Baku Baku ..." has 200,000 mentions: 127 MB of JSON, 1.5 GB of worker memory to make).
# Longer texts are split, or tagged with the CLI, which streams its output.
MAX_MENTIONS = 10_000
# Bytes of one JSON answer of /v1/annotate, /v1/annotate/batch or /v1/report (422 above): a mention's JSON
# is about 1 KB on average and up to some 5 KB (a place with many names), so the mention limit alone would
# allow some 50 MB. Exports are streamed and have no such limit.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
MAX_IDS = 50  # places asked for by id in one request
MAX_LIMIT = 100  # results of one search


class BadParameter(InvalidInput):
    """A query parameter that is missing, of the wrong type or out of range (HTTP 400)."""


class InvalidBody(InvalidInput):
    """A JSON body that is well-formed but does not match its schema (HTTP 422)."""


class AnswerTooLarge(InvalidBody):
    """A JSON answer of more than ``MAX_ANSWER_BYTES`` (HTTP 422)."""

    def __init__(self, size: int, advice: str) -> None:
        super().__init__(f"the answer would be {size:,} bytes, more than the {MAX_ANSWER_BYTES:,} one answer may "
                         f"hold: {advice} (the command line has no such limit)")


class TooManyMentions(InvalidBody):
    """More than ``MAX_MENTIONS`` place mentions for one answer (HTTP 422)."""

    def __init__(self, what: str, advice: str) -> None:
        super().__init__(f"{what}, more than the {MAX_MENTIONS:,} one answer may hold: {advice} (the command line "
                         "has no such limit)")


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # string | integer | number | boolean | list (comma-separated strings)
    description: str
    required: bool = False
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    max_length: int = 300

    def schema(self) -> dict[str, Any]:
        kind = {"list": "string", "boolean": "boolean"}.get(self.type, self.type)
        schema: dict[str, Any] = {"type": kind}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.choices:
            schema["enum"] = list(self.choices)
        if kind == "string" and not self.choices:
            schema["maxLength"] = self.max_length
            if self.required:
                schema["minLength"] = 1
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def parse(self, raw: str | None) -> Any:
        if raw is None:
            if self.required:
                raise BadParameter(f"{self.name} is required")
            return self.default
        if len(raw) > self.max_length:
            raise BadParameter(f"{self.name} is longer than {self.max_length} characters")
        if self.type == "string":
            if self.required and not raw.strip():
                raise BadParameter(f"{self.name} must not be empty")
            if self.choices and raw not in self.choices:
                raise BadParameter(f"{self.name} must be one of {', '.join(self.choices)}, not {raw!r}")
            return raw
        if self.type == "list":
            parts = [part.strip() for part in raw.split(",") if part.strip()]
            if self.required and not parts:
                raise BadParameter(f"{self.name} must list at least one value")
            return parts
        if self.type == "boolean":
            lowered = raw.lower()
            if lowered in ("1", "true", "yes"):
                return True
            if lowered in ("0", "false", "no"):
                return False
            raise BadParameter(f"{self.name} must be true or false (or 1 or 0), not {raw!r}")
        try:  # ASCII digits only, finite: int() and float() would take "٣", "1_0", "nan" and "inf"
            value: float = parse_int(raw) if self.type == "integer" else parse_float(raw)
        except ValueError as exc:
            raise BadParameter(f"{self.name} {exc}") from None
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise BadParameter(f"{self.name} must be between {self.minimum:g} and {self.maximum:g}, not {raw}")
        return value


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # OpenAPI form: /v1/places/{place_id}
    summary: str
    tag: str
    params: tuple[Param, ...] = ()
    body: dict[str, Any] | None = None
    response: str = "application/json"
    path_params: tuple[str, ...] = ()
    extra_media: tuple[str, ...] = ()
    description: str = ""  # more than the summary says (limits)

    def args(self, query: Mapping[str, str]) -> dict[str, Any]:
        """The query parameters parsed; unknown ones are ignored (clients such as geopy send extras)."""
        return {p.name: p.parse(query.get(p.name)) for p in self.params}

    def check_body(self, body: Any) -> dict[str, Any]:
        assert self.body is not None
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(self.body).iter_errors(body))
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "body"
            raise InvalidBody(f"{where}: {_describe(error)}")
        return body  # type: ignore[no-any-return]


def _describe(error: jsonschema.ValidationError) -> str:
    """The schema error in a few words: never the offending value itself, which may be a megabyte."""
    if error.validator == "maxLength":
        return f"longer than {error.validator_value:,} characters"
    if error.validator == "maxItems":
        return f"more than {error.validator_value:,} items"
    message = error.message
    return message if len(message) <= 300 else message[:300] + "…"


# -- parameters shared by several endpoints ------------------------------------------------------
def _q(description: str) -> Param:
    return Param("q", "string", description, required=True)


LIMIT = Param("limit", "integer", "Most results to return.", default=10, minimum=1, maximum=MAX_LIMIT)
NAME_OPTIONS = (
    Param("fuzzy", "boolean", "Also match spellings a typo or two away.", default=True),
    Param("lang", "string", "Prefer names and labels in this language (BCP 47 tag, e.g. hy, ru, az).",
          max_length=35),
    Param("kind", "list", "Only places of these kinds (comma-separated: settlement, region, country, ...)."),
    Param("country", "string", "Only places in this country (ISO 3166-1 alpha-2 code).", max_length=2),
    Param("at", "integer", "Only names valid in this year, and label by them.", minimum=-3000, maximum=2100),
    Param("perspective", "string", "Label by this holder's name (a holder id such as AZ-gov, AM-gov; see "
          "/v1/holders).", max_length=80),
    Param("curated_only", "boolean", "Only curated places.", default=False),
)
LAT = Param("lat", "number", "Latitude in degrees (WGS 84).", required=True, minimum=-90, maximum=90)
LON = Param("lon", "number", "Longitude in degrees (WGS 84).", required=True, minimum=-180, maximum=180)
RESULT_FORMAT = Param("format", "string", "json (results with label, basis and alternatives) or geojson "
                      "(a FeatureCollection).", default="json", choices=("json", "geojson"))

TEXT_SCHEMA = {"type": "string", "maxLength": MAX_TEXT_CHARS,
               "description": f"The text, at most {MAX_TEXT_CHARS:,} characters."}
DATE_SCHEMA = {"type": ["string", "integer"], "maxLength": 11, "pattern": DATE_PATTERN,
               "minimum": MIN_YEAR, "maximum": MAX_YEAR,
               "description": f"The texts' date: a year ({MIN_YEAR} to {MAX_YEAR}), YYYY, YYYY-MM or YYYY-MM-DD; "
                              "today when left out. Where a written form carries several claims of a place, a "
                              "mention carries the one valid at that date that names holders, and lists the "
                              "others in other_claims."}
NEAR_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 200,
               "description": "Where the text is from, for a local paper's towns: \"LAT,LON\" in degrees, a place id "
                              "or a place name (its best match). Readings near it weigh more (most at the point, "
                              "none from 500 km), and small towns there become readings: with near \"36.3,-88.3\", "
                              "Paris is Paris, Tennessee. A value that is no point nor place gives 400."}
ANNOTATE_BODY = {
    "type": "object", "additionalProperties": False, "required": ["text"],
    "properties": {
        "text": TEXT_SCHEMA,
        "near": NEAR_SCHEMA,
        "demonyms": {"type": "boolean", "default": False,
                     "description": "Also tag demonyms (Armenians, Azerbaijani) as mentions of their place."},
        "report": {"type": "boolean", "default": False, "description": "Add the perspective report."},
        "date": DATE_SCHEMA,
        "format": {"enum": ["json", "geojson"], "default": "json",
                   "description": "json: the mentions; geojson: an RFC 7946 FeatureCollection with one point per "
                                  "mentioned place, the names used and their counts."},
    },
}
BATCH_BODY = {
    "type": "object", "additionalProperties": False, "required": ["documents"],
    "properties": {
        "documents": {
            "type": "array", "maxItems": MAX_BATCH_DOCUMENTS,
            "description": f"At most {MAX_BATCH_DOCUMENTS} documents, {MAX_BATCH_CHARS:,} characters in all.",
            "items": {"type": "object", "required": ["id", "text"], "additionalProperties": True,
                      "properties": {"id": {"type": ["string", "integer"]}, "text": TEXT_SCHEMA,
                                     "date": {**DATE_SCHEMA, "description": "This document's date (overrides the "
                                                                           "batch's)."}}},
        },
        "demonyms": {"type": "boolean", "default": False},
        "date": DATE_SCHEMA,
        "near": NEAR_SCHEMA,
    },
}
REPORT_BODY = {"type": "object", "additionalProperties": False, "required": ["text"],
               "properties": {"text": TEXT_SCHEMA, "date": DATE_SCHEMA, "near": NEAR_SCHEMA}}

EXPORT_FILTERS = (
    Param("kind", "list", "Only places of these kinds (comma-separated: settlement, region, country, ...)."),
    Param("country", "string", "Only places in this country (ISO 3166-1 alpha-2 code).", max_length=2),
    Param("bbox", "string", "Only places whose point or polygon meets this box: west,south,east,north in degrees "
          "(west > east crosses the antimeridian).", max_length=200),
    Param("holder", "string", "Only places with a name this holder uses (see /v1/holders).", max_length=80),
    Param("base", "boolean", "Also the GeoNames base layer (tens of thousands of places).", default=False),
)

NOMINATIM_FORMAT = Param("format", "string", "Answer format, as Nominatim's.", default="json",
                         choices=("json", "jsonv2", "geojson", "geocodejson"))
ACCEPT_LANGUAGE = Param("accept-language", "string", "Preferred language of the names (first tag of an "
                        "Accept-Language list is used).", max_length=200)
NAMEDETAILS = Param("namedetails", "boolean", "Add every name of the place (namedetails).", default=False)

ENDPOINTS: dict[str, Endpoint] = {e.path + " " + e.method: e for e in [
    Endpoint("get", "/v1/status", "Data version, counts and the evidence figures (holder claims proven by a "
             "usage source, with years, and each contested place)", "meta"),
    Endpoint("get", "/v1/holders", "Every holder (government, community, media) a name claim can have", "meta"),
    Endpoint("get", "/v1/places/{place_id}", "One place with every name claim, usage note and relation", "places",
             params=(Param("polygon", "boolean", "Include the polygon (GeoJSON geometry).", default=False),),
             path_params=("place_id",)),
    Endpoint("get", "/v1/places", "Several places by id", "places",
             params=(Param("ids", "list", f"Comma-separated place ids (at most {MAX_IDS}).", required=True,
                           max_length=4000),)),
    Endpoint("get", "/v1/lookup", "The places a name denotes (exact, folded, transliterated, then fuzzy)", "search",
             params=(_q("A place name in any script."), LIMIT, *NAME_OPTIONS, RESULT_FORMAT)),
    Endpoint("get", "/v1/search", "Ranked candidates of every match kind", "search",
             params=(_q("A place name or part of one."), LIMIT,
                     Param("prefix", "boolean", "Also names starting with q.", default=False), *NAME_OPTIONS,
                     RESULT_FORMAT)),
    Endpoint("get", "/v1/autocomplete", "Names starting with what was typed", "search",
             params=(_q("What was typed so far."), LIMIT, *NAME_OPTIONS)),
    Endpoint("get", "/v1/reverse", "The places nearest a point", "space",
             params=(LAT, LON, Param("limit", "integer", "Most results.", default=5, minimum=1, maximum=MAX_LIMIT),
                     Param("radius_km", "number", "Only within this distance (km).", minimum=0.001,
                           maximum=20_040),
                     Param("kind", "list", "Only places of these kinds (comma-separated)."), RESULT_FORMAT)),
    Endpoint("get", "/v1/contains", "Every area containing a point, with all accounts of a disputed one", "space",
             params=(LAT, LON)),
    Endpoint("post", "/v1/annotate", "Every place mention in a text, with the name variant used (or the "
             "mentioned places as GeoJSON)", "text", body=ANNOTATE_BODY, extra_media=("application/geo+json",),
             description=f"At most {MAX_MENTIONS:,} mentions in one answer: a text with more gets 422 (split it, "
                         "or tag it with the command line, `gazetteer annotate`). Format geojson has one feature "
                         "per place and no such limit."),
    Endpoint("post", "/v1/annotate/batch", "Mentions of each document of a batch", "text", body=BATCH_BODY,
             description=f"At most {MAX_MENTIONS:,} mentions in one answer, the documents' together: a batch with "
                         "more gets 422 (send fewer or shorter documents per batch, or tag them with the command "
                         "line, `gazetteer bulk`)."),
    Endpoint("post", "/v1/report", "Whose names a text uses, and fair first mentions", "text", body=REPORT_BODY),
    Endpoint("get", "/v1/export/geojson", "Places as GeoJSON (RFC 7946) with every name claim and the "
             "attribution, streamed", "export", params=EXPORT_FILTERS, response="application/geo+json"),
    Endpoint("get", "/v1/export/lpf", "Places as Linked Places Format (GeoJSON-LD), with a 'perspectives' "
             "extension naming who uses each name, streamed", "export", params=EXPORT_FILTERS,
             response="application/geo+json"),
    Endpoint("get", "/v1/export/csv", "One CSV row per name claim (UTF-8), streamed", "export",
             params=EXPORT_FILTERS, response="text/csv"),
    Endpoint("get", "/v1/map", "The curated places for a map: geometry, label, kind and a status to style them by "
             "(disputed, renamed, historical, named-two-ways, other) with the reason", "map",
             response="application/geo+json"),
    Endpoint("get", "/v1/map/labels", "The label of every curated place in a language, a year or a holder's view, "
             "and whether it is a name of that view or the default it falls back to", "map",
             params=(Param("lang", "string", "Label in this language (BCP 47 tag).", max_length=35),
                     Param("at", "integer", "Label by the names valid in this year.", minimum=-3000, maximum=2100),
                     Param("perspective", "string", "Label by this holder's names (see /v1/holders).",
                           max_length=80))),
    Endpoint("get", "/search", "Nominatim-compatible search", "nominatim",
             params=(Param("q", "string", "Free-text place name.", required=True), NOMINATIM_FORMAT,
                     ACCEPT_LANGUAGE, NAMEDETAILS,
                     Param("limit", "integer", "Most results.", default=10, minimum=1, maximum=50),
                     Param("countrycodes", "list", "Only these countries (comma-separated ISO alpha-2 codes)."),
                     Param("viewbox", "list", "Preferred box: lon1,lat1,lon2,lat2."),
                     Param("bounded", "boolean", "Only results inside viewbox.", default=False))),
    Endpoint("get", "/reverse", "Nominatim-compatible reverse geocoding", "nominatim",
             params=(LAT, LON, NOMINATIM_FORMAT, ACCEPT_LANGUAGE, NAMEDETAILS)),
    Endpoint("get", "/lookup", "Nominatim-compatible lookup by id", "nominatim",
             params=(Param("osm_ids", "list", f"Comma-separated place ids of this gazetteer (at most {MAX_IDS}).",
                           required=True, max_length=4000), NOMINATIM_FORMAT, ACCEPT_LANGUAGE, NAMEDETAILS)),
    Endpoint("get", "/status", "Nominatim-compatible status", "nominatim",
             params=(Param("format", "string", "text or json.", default="text", choices=("text", "json")),)),
]}


def endpoint(path: str, method: str = "get") -> Endpoint:
    return ENDPOINTS[f"{path} {method}"]


PROBLEM_SCHEMA = {
    "type": "object", "required": ["type", "title", "status"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {"type": "string"}},
}


def openapi(version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every endpoint."""
    paths: dict[str, Any] = {}
    problem = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for e in ENDPOINTS.values():
        parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "maxLength": 200}}
                      for name in e.path_params]
        parameters += [{"name": p.name, "in": "query", "required": p.required, "description": p.description,
                        "schema": p.schema()} for p in e.params]
        media = [e.response, *e.extra_media]
        if any(p.name == "format" and p.choices and {"geojson", "geocodejson"} & set(p.choices) for p in e.params):
            media.append("application/geo+json")
        responses: dict[str, Any] = {
            "200": {"description": "OK", "content": {m: {"schema": {}} for m in dict.fromkeys(media)}},
            "400": {"description": "A bad parameter (numbers are ASCII decimals, finite), malformed JSON or a Host "
                                   "header the service does not answer (GAZETTEER_ALLOWED_HOSTS)", **problem},
        }
        if e.path_params:
            responses["404"] = {"description": "No such place", **problem}
        responses["503"] = {"description": "The data is not loaded yet or the database cannot be reached"
                            + (", or this worker is already streaming a base-layer export (base=true)"
                               if e.path.startswith("/v1/export/") else ""),
                            "headers": {"Retry-After": {"description": "Seconds to wait before asking again",
                                                        "schema": {"type": "integer"}}}, **problem}
        operation: dict[str, Any] = {"summary": e.summary, "tags": [e.tag], "operationId": _operation_id(e),
                                     "parameters": parameters, "responses": responses}
        if e.description:
            operation["description"] = e.description
        if e.path == "/status":
            operation["responses"]["200"]["content"] = {"text/plain": {"schema": {"type": "string"}},
                                                        "application/json": {"schema": {"type": "object"}}}
        if e.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": e.body}}}
            responses["400"]["description"] = (f"Malformed JSON, JSON nested more than {MAX_JSON_DEPTH} arrays or "
                                               "objects deep, or a string with a lone surrogate (\\ud800: no "
                                               "character)")
            responses["413"] = {"description": f"Body larger than {MAX_BODY_BYTES:,} bytes (announced by "
                                               "Content-Length or sent in chunks)", **problem}
            responses["415"] = {"description": "Body not application/json", **problem}
            responses["422"] = {"description": "Well-formed JSON that does not match the schema"
                                + (f", or more than {MAX_MENTIONS:,} mentions for one answer"
                                   if e.path.startswith("/v1/annotate") else "")
                                + f", or an answer of more than {MAX_ANSWER_BYTES:,} bytes", **problem}
        paths.setdefault(e.path, {})[e.method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Contested gazetteer", "version": version,
                 "description": "Every name a disputed place goes by, who uses it, since when and on what "
                                "authority; place mentions in text; a Nominatim-compatible dialect. Limits: "
                                f"{MAX_TEXT_CHARS:,} characters of text, {MAX_BATCH_DOCUMENTS} documents per batch "
                                f"({MAX_BATCH_CHARS:,} characters in all), {MAX_IDS} ids per request, "
                                f"{MAX_LIMIT} results, {MAX_BODY_BYTES:,} bytes of body (JSON nested at most "
                                f"{MAX_JSON_DEPTH} deep), {MAX_MENTIONS:,} mentions per answer of /v1/annotate "
                                "and /v1/annotate/batch (a batch's documents together), "
                                f"{MAX_ANSWER_BYTES:,} bytes per answer of those and of /v1/report (exports are "
                                "streamed, without a limit)."},
        "paths": paths,
        "components": {"schemas": {"Problem": PROBLEM_SCHEMA}},
    }


def _operation_id(e: Endpoint) -> str:
    words = [w for w in e.path.replace("{", "").replace("}", "").split("/") if w]
    return e.method + "_" + "_".join(words).replace("-", "_") if words else e.method
