"""The map page (``/``), the annotate page (``/annotate``) and the API docs page (``/docs``): static HTML, CSS and JavaScript from
``api/static`` that call the ``/v1`` endpoints, Leaflet from the ``xstatic-leaflet`` package and a
Natural Earth basemap shipped in ``api/static``, so they work with no internet.

The pages are served with a Content-Security-Policy that allows scripts, styles, data and images from
this server only: no inline script, no ``eval``, nothing from elsewhere. The scripts build every name
and note into the page with ``textContent``, never as HTML.
"""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet
from flask import Blueprint, Response, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"
LEAFLET = Path(xstatic.pkg.leaflet.BASE_DIR)
POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
          "form-action 'self'; frame-ancestors 'none'")

web = Blueprint("web", __name__)


def _page(name: str) -> Response:
    response = send_from_directory(STATIC, name, mimetype="text/html", max_age=0)
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@web.get("/")
def map_page() -> Response:
    return _page("map.html")


@web.get("/annotate")
def annotate_page() -> Response:
    return _page("annotate.html")


@web.get("/docs")
def docs_page() -> Response:
    """The OpenAPI document laid out for reading (works offline)."""
    return _page("docs.html")


@web.get("/vendor/leaflet/<path:filename>")
def leaflet(filename: str) -> Response:
    """Leaflet's script, style sheet and marker images, from the xstatic-leaflet package."""
    response = send_from_directory(LEAFLET, filename, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
