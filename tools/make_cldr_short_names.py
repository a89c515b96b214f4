"""Write gazetteer/cldr_alt_territories.tsv: the Unicode CLDR's other names of countries ("alt" forms).

CLDR gives each territory a standard display name and, for some, another that its translators mark as
``alt="short"`` (США, ABD, EE. UU., アメリカ, ארה״ב, Mỹ for the United States; 한국 for South Korea; 英国)
or ``alt="variant"`` (Türkiye, Fildişi Sahili, Doğu Timor, Svaziland). babel, which the base layer reads
the standard names from, keeps only the standard ones. This takes the others from the CLDR's own JSON
release, the npm package ``cldr-localenames-full`` (Unicode License V3; the file keeps its version).
Get it with::

    npm pack cldr-localenames-full@48.2.0 && tar xzf cldr-localenames-full-48.2.0.tgz
    .venv/bin/python tools/make_cldr_short_names.py package

Only the locales of ``gazetteer.base.CLDR_LOCALES`` and the two-letter country codes are kept. Each row is
(locale as babel names it, ISO code, alt kind, name), exactly as CLDR writes it; which names the base layer
reads is decided in ``gazetteer/base.py`` (``cldr_alt_names``). Never edit the output by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gazetteer.base import CLDR_LOCALES

OUT = Path(__file__).resolve().parent.parent / "gazetteer" / "cldr_alt_territories.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked cldr-localenames-full package folder")
    args = parser.parse_args()
    version = json.loads((args.package / "package.json").read_text(encoding="utf-8"))["version"]
    rows = []
    for locale in CLDR_LOCALES:
        folder = locale.replace("_", "-")
        path = args.package / "main" / folder / "territories.json"
        territories = json.loads(path.read_text(encoding="utf-8"))["main"][folder]["localeDisplayNames"]["territories"]
        for key, name in territories.items():
            code, _, alt = key.partition("-alt-")
            if alt and len(code) == 2 and code.isalpha() and not any(ch in name for ch in "\t\n"):
                rows.append((locale, code, alt, name))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f"# Unicode CLDR {version} territory names marked alt (Unicode License V3), via npm"
                  f" cldr-localenames-full {version}; written by tools/make_cldr_short_names.py\n")
        out.write("locale\tcode\talt\tname\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} names -> {OUT}")


if __name__ == "__main__":
    main()
