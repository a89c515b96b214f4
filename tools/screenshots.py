"""Take the README's screenshots of the map page and the annotate page (docs/map.png, docs/annotate.png).

Run the service first (``gazetteer serve`` or ``make serve``), then::

    python tools/screenshots.py [http://127.0.0.1:8000] [--chromium /usr/bin/chromium]

Needs playwright (the test extra) and Debian's chromium.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "001_d45ec1ac47d79a26.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 820})
        page.goto(args.url + "/")
        expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=60_000)
        page.fill("#q", "Khankendi")
        page.locator("#suggestions li").first.locator("button").click()
        expect(page.locator(".leaflet-popup-content table.names").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)  # the pan and the popup's fade
        page.screenshot(path=str(DOCS / "map.png"))
        page.goto(args.url + "/annotate")
        page.set_input_files("#file", str(SEED))
        page.click("#run")
        expect(page.locator("body")).to_have_attribute("data-annotated", "true", timeout=60_000)
        page.locator("#results").scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        page.screenshot(path=str(DOCS / "annotate.png"), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": 1100})
        browser.close()
    print(f"wrote {DOCS / 'map.png'} and {DOCS / 'annotate.png'}")


if __name__ == "__main__":
    main()
