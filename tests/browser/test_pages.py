"""The map page and the annotate page in headless Chromium (Debian's chromium driven by playwright),
with the network cut off from everything but the local server. Each test saves a screenshot under its
temporary directory. Skipped, with the reason, where playwright or Chromium is not installed."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from api import create_app
from tests.conftest import SEEDS

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
expect = playwright_api.expect

CHROMIUM = os.environ.get("GAZETTEER_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) or set "
                "GAZETTEER_TEST_CHROMIUM; the browser tests are skipped", allow_module_level=True)

# The same SQLite database as the other read-only tests; the pages do not depend on the backend.
on_sqlite = pytest.mark.parametrize("loaded_url", ["sqlite"], indirect=True)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps"]
SEED = SEEDS / "001_d45ec1ac47d79a26.txt"  # names Stepanakert and Khankendi


class Server:
    """An app served on a free loopback port in a thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self.app.extensions["gazetteer"].close()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def server(loaded_url: str) -> Iterator[Server]:
    server = Server(create_app({"DATABASE_URL": loaded_url, "TESTING": True}))
    yield server
    server.stop()


class Page:
    """A page in a fresh browser context that can reach only the server; it records what it blocked
    and what the console reported."""

    def __init__(self, browser, server: Server) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(viewport={"width": 1280, "height": 860}, service_workers="block")
        self.blocked: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []

        def route(r) -> None:  # type: ignore[no-untyped-def]
            if r.request.url.startswith(server.url + "/"):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort("internetdisconnected")

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.server = server

    def goto(self, path: str):  # type: ignore[no-untyped-def]
        self.page.goto(self.server.url + path)
        return self.page

    def check_clean(self, expected: str = "") -> None:
        """Nothing was asked of the internet, no script failed, nothing broke the page's policy (the
        console's errors are only ``expected`` ones, such as a 4xx the test asked for)."""
        assert self.blocked == []
        assert self.errors == []
        assert [c for c in self.console if c.startswith("error") and not (expected and expected in c)] == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def page(browser, server: Server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    p = Page(browser, server)
    yield p
    p.close()


def _screenshot(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000  # a real picture, not an empty canvas


def _open_map(p: Page):  # type: ignore[no-untyped-def]
    page = p.goto("/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=60_000)
    return page


@on_sqlite
def test_map_search_khankendi_and_popup_shows_every_side(page: Page, tmp_path: Path) -> None:
    map_page = _open_map(page)
    # the basemap (Natural Earth outlines) and the curated places are drawn
    assert map_page.locator(".leaflet-overlay-pane path").count() > 150
    expect(map_page.locator(".legend")).to_contain_text("disputed")
    map_page.fill("#q", "Khankendi")
    first = map_page.locator("#suggestions li").first
    expect(first).to_contain_text("Stepanakert")
    first.locator("button").click()
    popup = map_page.locator(".leaflet-popup-content .popup")
    expect(popup.locator("table.names").first).to_be_visible(timeout=30_000)
    expect(popup.locator("h3")).to_have_text("Stepanakert / Khankendi")
    used = popup.locator("table.names").first
    expect(used).to_contain_text("Ստեփանակերտ")  # Armenian
    expect(used).to_contain_text("Xankəndi")  # Azerbaijani
    expect(used).to_contain_text("Government of the Republic of Azerbaijan")
    expect(used).to_contain_text("1991–")  # validity years
    expect(popup).to_contain_text("disputed")
    expect(popup.locator(".usage")).to_contain_text("fair-naming")
    _screenshot(map_page, tmp_path / "map-khankendi.png")
    page.check_clean()


@on_sqlite
def test_map_search_by_enter_and_a_name_nobody_has(page: Page, tmp_path: Path) -> None:
    map_page = _open_map(page)
    map_page.fill("#q", "Ստեփանակերտ")
    map_page.press("#q", "Enter")
    expect(map_page.locator(".leaflet-popup-content h3")).to_have_text("Stepanakert / Khankendi", timeout=30_000)
    map_page.fill("#q", "Qqxzvbnmwk")
    map_page.press("#q", "Enter")
    expect(map_page.locator("#error")).to_contain_text("No place is known by the name")
    _screenshot(map_page, tmp_path / "map-not-found.png")
    page.check_clean()


@on_sqlite
def test_map_relabels_by_perspective_and_year(page: Page, tmp_path: Path) -> None:
    map_page = _open_map(page)
    label = map_page.locator('.place-label span[data-place="stepanakert"]')
    expect(label).to_have_text("Stepanakert / Khankendi")
    map_page.select_option("#perspective", "AZ-gov")
    expect(label).to_have_text("Khankendi")
    banner = map_page.locator("#banner")
    expect(banner).to_contain_text("the names used by Government of the Republic of Azerbaijan")
    expect(banner).to_contain_text(re.compile(r"\b\d+ of \d+ places have such a name"))
    # a place the holder has no name for is labelled by the fallback, marked as such
    expect(map_page.locator('.place-label span[data-place="abkhazia"]')).to_have_class("fallback")
    _screenshot(map_page, tmp_path / "map-az-gov.png")
    map_page.select_option("#perspective", "AM-gov")  # its English texts (cited), in an English page
    expect(label).to_have_text("Stepanakert")
    expect(label).to_have_attribute("title", re.compile("Government of the Republic of Armenia"))
    map_page.select_option("#perspective", "")
    map_page.fill("#year", "1980")
    expect(label).to_have_text("Stepanakert")
    expect(banner).to_contain_text("valid in 1980")
    map_page.fill("#year", "")
    expect(label).to_have_text("Stepanakert / Khankendi")
    page.check_clean()


@on_sqlite
def test_annotate_a_seed_article(page: Page, server: Server, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    expected = server.app.test_client().post("/v1/annotate", json={"text": text, "report": True}).get_json()
    outer = [m for m in expected["mentions"] if not m["nested"]]
    annotate = page.goto("/annotate")
    annotate.set_input_files("#file", str(SEED))
    expect(annotate.locator("#progress")).to_contain_text(f"Read {SEED.name}")
    annotate.click("#run")
    expect(annotate.locator("body")).to_have_attribute("data-annotated", "true", timeout=60_000)
    marks = annotate.locator("#annotated mark")
    expect(marks).to_have_count(len(outer))
    # the text is shown whole, with the marks where the service found them
    assert annotate.locator("#annotated").text_content() == text.replace("\r\n", "\n")
    assert marks.all_text_contents() == [m["surface"] for m in outer]
    khankendi = annotate.locator('mark[data-place="stepanakert"]', has_text="Khankendi").first
    title = khankendi.get_attribute("title") or ""
    assert "Name used: “Khankendi”" in title and "Government of the Republic of Azerbaijan" in title
    assert "Ստեփանակերտ (hy)" in title  # the other side's name
    places = {m["id"] for m in outer}
    expect(annotate.locator("#mini-map path.leaflet-interactive")).to_have_count(len(places))
    report = annotate.locator("#report")
    for holder in expected["report"]["holders"]:
        expect(report).to_contain_text(holder["label"])
    _screenshot(annotate, tmp_path / "annotate-seed.png")
    page.check_clean()


@on_sqlite
def test_annotate_page_errors_are_shown(page: Page) -> None:
    annotate = page.goto("/annotate")
    annotate.click("#run")
    expect(annotate.locator("#error")).to_have_text("Paste a text or choose a file first.")
    annotate.fill("#text", "x" * 1_000_001)  # over the service's limit: its problem detail is shown
    annotate.click("#run")
    expect(annotate.locator("#error")).to_contain_text("422")
    expect(annotate.locator("#error")).to_contain_text("characters")  # the service's own explanation
    page.check_clean(expected="status of 422")


# -- the map's layout: year slider, labels, country colours; the annotate page's fit ---------------
@on_sqlite
def test_clearing_the_year_resets_the_slider_to_now(page: Page) -> None:
    map_page = _open_map(page)
    slider = map_page.locator("#year-slider")
    label = map_page.locator('.place-label span[data-place="stepanakert"]')
    now = slider.get_attribute("max")
    expect(slider).to_have_value(now)
    map_page.fill("#year", "1980")
    expect(slider).to_have_value("1980")
    expect(label).to_have_text("Stepanakert")
    map_page.fill("#year", "")
    expect(slider).to_have_value(now)  # no year: the slider's "now" end, not 1980
    expect(slider).to_have_attribute("aria-valuetext", re.compile("now"))
    expect(label).to_have_text("Stepanakert / Khankendi")
    expect(map_page.locator("#banner")).not_to_contain_text("valid in")
    slider.fill("1950")  # and the slider still sets the year
    expect(map_page.locator("#year")).to_have_value("1950")
    page.check_clean()


OVERLAPPING_LABELS = """() => {
  const shown = [...document.querySelectorAll(".leaflet-tooltip.place-label")].filter((box) => {
    const style = getComputedStyle(box);
    return style.display !== "none" && style.visibility !== "hidden" && box.getBoundingClientRect().width > 0;
  });
  const rects = shown.map((box) => [box.textContent, box.getBoundingClientRect()]);
  const pairs = [];
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const [a, ra] = rects[i];
      const [b, rb] = rects[j];
      if (ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom) pairs.push([a, b]);
    }
  }
  return {shown: rects.map(([text]) => text), overlapping: pairs};
}"""


@on_sqlite
def test_map_labels_do_not_overlap_at_any_zoom(page: Page, tmp_path: Path) -> None:
    map_page = _open_map(page)
    body = map_page.locator("body")
    labels = map_page.evaluate(OVERLAPPING_LABELS)  # the page opens on Karabakh at zoom 7
    assert labels["overlapping"] == []
    assert "Stepanakert / Khankendi" in labels["shown"]  # the highest priority keeps its place
    expect(body).to_have_attribute("data-labels-placed", "7")
    _screenshot(map_page, tmp_path / "map-labels-7.png")
    for button, zoom in (("in", 8), ("in", 9), ("out", 8), ("out", 7), ("out", 6)):
        map_page.locator(f".leaflet-control-zoom-{button}").click()
        expect(body).to_have_attribute("data-labels-placed", str(zoom))
        assert map_page.evaluate(OVERLAPPING_LABELS)["overlapping"] == [], zoom
    # relabelled (other widths), still apart
    map_page.select_option("#perspective", "AM-gov")
    expect(map_page.locator('.place-label span[data-place="stepanakert"]')).to_have_text("Stepanakert")
    assert map_page.evaluate(OVERLAPPING_LABELS)["overlapping"] == []
    page.check_clean()


@on_sqlite
def test_neighbouring_countries_have_different_colours(page: Page, tmp_path: Path) -> None:
    from shapely.geometry import shape

    map_page = _open_map(page)
    expect(map_page.locator(".leaflet-overlay-pane path:not(.leaflet-interactive)")).to_have_count(177)
    tints = map_page.evaluate("""() => new Set([...document.querySelectorAll(
        ".leaflet-overlay-pane path:not(.leaflet-interactive)")].map((path) => path.getAttribute("fill"))).size""")
    assert tints >= 4  # the country outlines are not all one colour
    outlines = map_page.locator("path.country[data-country]")
    expect(outlines).to_have_count(177)
    fills = map_page.evaluate("""() => Object.fromEntries([...document.querySelectorAll("path.country[data-country]")]
        .map((path) => [path.dataset.country, path.getAttribute("fill")]))""")
    assert fills["ARM"] != fills["AZE"] and fills["GEO"] not in (fills["ARM"], fills["AZE"])
    geojson = page.server.app.test_client().get("/static/ne_110m_admin_0_countries.geojson").get_json()
    shapes = {(f["properties"]["iso_a3"] if f["properties"]["iso_a3"] != "-99" else f["properties"]["name"]):
              shape(f["geometry"]) for f in geojson["features"]}
    same = [(a, b) for a in shapes for b in shapes
            if a < b and fills[a] == fills[b] and shapes[a].intersects(shapes[b])]
    assert same == []  # no two countries that touch share a colour
    assert 4 <= len(set(fills.values())) <= 6
    _screenshot(map_page, tmp_path / "map-colours.png")
    page.check_clean()


@on_sqlite
def test_annotate_map_fits_the_texts_places_not_a_former_states_point(page: Page, tmp_path: Path) -> None:
    annotate = page.goto("/annotate")
    annotate.fill("#text", "In the Soviet Union, Stepanakert and Shusha were towns of the NKAO. "
                           "Both are in Karabakh.")
    annotate.click("#run")
    expect(annotate.locator("body")).to_have_attribute("data-annotated", "true", timeout=60_000)
    annotate.wait_for_timeout(500)  # (fitBounds is not animated; a frame for the paths to be redrawn)
    in_view = annotate.evaluate("""() => [...document.querySelectorAll("#mini-map path.leaflet-interactive")]
        .map((path) => path.getBoundingClientRect().width > 0)""")  # (one is drawn as an empty path, "M0 0")
    assert len(in_view) == 5 and 0 < sum(in_view) < 5  # not every marker: Moscow's is out of the view
    inside = annotate.evaluate("""() => {
      const box = document.getElementById("mini-map").getBoundingClientRect();
      return Object.fromEntries([...document.querySelectorAll("#mini-map path[data-place]")].map((path) => {
        const r = path.getBoundingClientRect();
        const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
        // (Leaflet draws a marker outside the view as an empty path, "M0 0")
        return [path.dataset.place, r.width > 0 && x >= box.left && x <= box.right && y >= box.top && y <= box.bottom];
      }));
    }""")
    assert inside["stepanakert"] and inside["shusha"]
    assert not inside["soviet-union"]  # its point is Moscow: drawn, but not what the map is fitted to
    _screenshot(annotate, tmp_path / "annotate-fit.png")
    page.check_clean()


# -- safety: names and notes from the data are shown as text -------------------------------------
HOSTILE_NAME = ('<img src=x class=pwned onerror="document.body.dataset.pwned=1">'
                'Stepa<script>document.body.dataset.pwned=2</script>')
HOSTILE_LABEL = "Stepanakert <b class=pwned>bold</b><img src=x class=pwned>"
HOSTILE_NOTE = '<a class=pwned href="javascript:document.body.dataset.pwned=3">note</a>'


@pytest.fixture()
def hostile_server(data_copy: Path, tmp_path: Path) -> Iterator[Server]:
    """A copy of data/ whose curated label, a name and a usage note carry HTML and script."""
    places = data_copy / "places" / "karabakh.tsv"
    places.write_text(places.read_text(encoding="utf-8").replace(
        "stepanakert\tsettlement\tStepanakert / Khankendi\t", f"stepanakert\tsettlement\t{HOSTILE_LABEL}\t"), encoding="utf-8")
    with (data_copy / "names" / "karabakh.tsv").open("a", encoding="utf-8") as names:
        names.write(f"stepanakert\t{HOSTILE_NAME}\ten\tvariant\tAZ-gov\t\t\tlow\t"
                    f"wikidata:Q129352;doc-az-law-nkao-abolition-1991\t{HOSTILE_NOTE}\n")
    with (data_copy / "usage_notes" / "karabakh.tsv").open("a", encoding="utf-8") as notes:
        notes.write(f"stepanakert\thistory\t{HOSTILE_NOTE}\tseed:001_d45ec1ac47d79a26\n")
    url = f"sqlite:///{tmp_path / 'hostile.sqlite3'}"
    server = Server(create_app({"DATABASE_URL": url, "DATA_DIR": str(data_copy), "BASE_LAYER": "none",
                                "TESTING": True}))
    yield server
    server.stop()


def test_names_and_notes_are_rendered_as_text(browser, hostile_server: Server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = Page(browser, hostile_server)
    try:
        map_page = _open_map(p)
        label = map_page.locator('.place-label span[data-place="stepanakert"]')
        expect(label).to_have_text(HOSTILE_LABEL)
        map_page.fill("#q", "Khankendi")
        map_page.press("#q", "Enter")
        popup = map_page.locator(".leaflet-popup-content .popup")
        expect(popup.locator("h3")).to_have_text(HOSTILE_LABEL, timeout=30_000)
        expect(popup).to_contain_text(HOSTILE_NAME)
        expect(popup).to_contain_text(HOSTILE_NOTE)
        assert map_page.locator(".pwned").count() == 0  # no element was made from the markup
        assert map_page.locator("body").get_attribute("data-pwned") is None  # and no script ran
        _screenshot(map_page, tmp_path / "map-hostile.png")

        annotate = p.goto("/annotate")
        text = f"{HOSTILE_NAME} was named. Khankendi <img src=x class=pwned> too."
        annotate.fill("#text", text)
        annotate.click("#run")
        expect(annotate.locator("body")).to_have_attribute("data-annotated", "true", timeout=60_000)
        assert annotate.locator("#annotated").text_content() == text
        title = annotate.locator("#annotated mark", has_text="Khankendi").first.get_attribute("title") or ""
        assert HOSTILE_LABEL in title and HOSTILE_NAME in title  # the label, and the name among the other names
        assert annotate.locator(".pwned").count() == 0
        assert annotate.locator("body").get_attribute("data-pwned") is None
        _screenshot(annotate, tmp_path / "annotate-hostile.png")
        p.check_clean()
    finally:
        p.close()


@on_sqlite
def test_pages_are_served_with_a_strict_policy(server: Server) -> None:
    client = server.app.test_client()
    for path in ("/", "/annotate", "/docs"):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/html"
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert re.findall(rb"<script(?![^>]*\bsrc=)", response.data) == []  # no inline script
        assert re.findall(rb"<[^>]*\son[a-z]+\s*=", response.data) == []  # no event handler attributes
    assert client.get("/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/ne_110m_admin_0_countries.geojson").get_json()["features"]


@on_sqlite
def test_docs_page_lays_out_every_operation(page: Page, server: Server, tmp_path: Path) -> None:
    docs = page.goto("/docs")
    operations = docs.locator("#ops .op")
    document = server.app.test_client().get("/openapi.json").get_json()
    expect(operations).to_have_count(sum(len(item) for item in document["paths"].values()))
    expect(docs.locator("#get_v1_lookup")).to_contain_text("perspective")
    _screenshot(docs, tmp_path / "docs.png")
    page.check_clean()
