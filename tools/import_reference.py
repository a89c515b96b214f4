"""Generate the reference-derived tables in data/ from the shared reference records.

Writes ``data/names/reference-karabakh.tsv``, ``data/names/reference-world.tsv`` (every name the
reference records give for our curated places, with its language tag and the record as citation)
and the polygons in ``data/polygons/``. Run it again after changing the rules below; never edit its
output by hand.

    .venv/bin/python tools/import_reference.py [--reference ../shared/reference] [--data data]

The reference README lists known errors in its sources; ``EXCLUDE`` keeps them out.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import OrderedDict
from pathlib import Path

import hanzidentifier
import langcodes

from gazetteer.datafiles import MULTI_SCRIPT, read_dataset
from gazetteer.normalize import fold, script_of

ROOT = Path(__file__).resolve().parent.parent

# (place key, component record or "*", regex on the name, reason). A matching name from that
# record is left out. Reasons quote the reference README's "Known errors" section.
EXCLUDE: list[tuple[str, str, str, str]] = [
    ("stepanakert_admin_unit", "wof:85668691", r"Xocal|Khojal", "WOF AZ-XA record carries Xocalı names (swapped records)"),
    ("stepanakert_admin_unit", "iso-codes", r"Hegyi-Karabah|Stepanakert|סטפנקרט",
     "iso-codes translations of AZ-XA: hu gives Nagorno-Karabakh, lt/ro/sv/he give Stepanakert"),
    ("khojaly_district", "wof:85668657", r"Xank|Ստեփանակերտ", "WOF AZ-XCI record carries Xankəndi names (swapped records)"),
    ("khojaly_district", "iso-codes", r"Hegyi-Karabah", "iso-codes hu translation of AZ-XCI names Nagorno-Karabakh"),
    ("stepanakert", "geonames", r"^אזרית$", "GeoNames oddity: Hebrew for 'Azeri', not a name of the city"),
    ("spratly", "ne5", r"(?i)wake|ويك|ওয়েক|Ουέηκ|וייק|वेक|ウェーク|웨이크|Уэйк|Вейк|ویک|威克",
     "the NE5 admin-0 record PGA given for Spratly carries Wake Island's names"),
    ("kashmir", "*", r"^(Jammu and Kashmir|Shaksa?m Valley|Aksai Chin|Northern Areas|Gilgit.Baltistan|"
     r"Azad (Jammu and )?Kashmir|Siachen Glacier)$",
     "NE B05 lists the separate areas of the region, held by three states, not names of Kashmir"),
    ("srinagar", "geonames", r"^جموں$", "GeoNames: Urdu for Jammu, another city, not a name of Srinagar"),
    ("yevlakh", "geonames", r"^Gəncə$", "GeoNames: the Azerbaijani name of Ganja, another city, not a name of Yevlakh"),
    ("kosovo", "wof:85633259", r"UNSCR 1244", "WOF files an English designation under Ukrainian (uk-Latn)"),
    ("south_china_sea", "wof:404528731", r"^West Philippine Sea$",
     "WOF files the Philippine government's English name under Cebuano"),
    ("korea_strait", "wof:404528921", r"^كوريا$", "WOF gives the strait the Arabic name of Korea, the country"),
    ("mariupol", "*", r"^(हिन्दी|日本語)$",
     "WOF and GeoNames give Mariupol the names of two languages (Hindi, Japanese), not names of the city"),
    ("armenia", "iso-codes", r"अमेरिका",
     "iso-codes' Marathi translation of AM is अमेरिका, America (CLDR's Marathi name of the Americas), not Armenia"),
]
# Reference names that are demonyms (adjectives / names of the people), not names of the place: they
# are imported with kind "demonym" so that the tagger links them only when asked to.
# (Swahili's country name for Azerbaijan is "Azerbaijani": the rule is per language.)
DEMONYMS: list[tuple[str, str, str]] = [("azerbaijan", "en", r"^Azerbaijani$"), ("armenia", "en", r"^Armenian$")]
# Records whose names are mostly another place's: only names matching the regex are kept.
ONLY: list[tuple[str, str, str, str]] = [
    ("lachin_district", "wof:85668621", r"La[çc]h?[iy]n|Lachyn", "WOF 85668621 is named 'Lankaran' but is Laçın rayonu"),
]
# Source fields that are not names in any language (sorting keys, label sizes, abbreviations,
# and in the disputed-areas layer the administering country).
SKIP_FIELDS = {"LS_NAME", "MEGANAME", "NAME_SORT", "ABBREV", "FORMAL_EN", "SOVEREIGNT", "ADMIN", "NAME_LONG"}
EXPLICIT_SCRIPTS = {"Latn", "Cyrl", "Arab", "Armn", "Geor", "Grek", "Hebr"}
# Local languages of a place, for endonym vs exonym. Karabakh places are local to both sides.
LOCAL = {
    "AZ": {"az"}, "AM": {"hy"}, "GE": {"ka"}, "UA": {"uk"}, "XK": {"sq", "sr"}, "GB": {"en"},
    "FK": {"en"}, "PL": {"pl"}, "MM": {"my"}, "IN": {"hi"}, "CN": {"zh"}, "VN": {"vi"}, "TR": {"tr"},
    "KZ": {"kk"}, "RU": {"ru"}, "IT": {"it", "de"}, "FR": {"fr"}, "LT": {"lt"}, "SK": {"sk"},
    "GR": {"el"}, "MD": {"ro"}, "CY": {"el", "tr"}, "MK": {"mk", "sq"}, "TW": {"zh"}, "SO": {"so"},
    "GI": {"en"}, "ES": {"es"}, "MA": {"ar"}, "EH": {"ar"}, "IL": {"he", "ar"},
}
KARABAKH_BOTH = {"az", "hy"}


def bcp47(lang: str | None, script: str | None, name: str = "") -> str:
    """Return the BCP 47 tag for a reference name, adding the script where it matters."""
    if not lang or lang == "und":
        return f"und-{script}" if script else "und"
    tag = langcodes.standardize_tag(lang)
    parsed = langcodes.Language.get(tag)
    if script and not parsed.script and script in EXPLICIT_SCRIPTS:
        likely = parsed.maximize().script
        if parsed.language in MULTI_SCRIPT or (likely and likely != script):
            tag = langcodes.Language.make(language=parsed.language, script=script,
                                          territory=parsed.territory).to_tag()
    parsed = langcodes.Language.get(tag)
    if parsed.language in MULTI_SCRIPT and not parsed.script:
        # The script of the name itself; Han characters (simplified or traditional) by the tag's likely script.
        found = script if script in EXPLICIT_SCRIPTS else script_of(name)
        if found == "Hani":  # simplified or traditional characters, by hanzidentifier (the tools extra)
            found = {hanzidentifier.TRADITIONAL: "Hant", hanzidentifier.SIMPLIFIED: "Hans"}.get(
                hanzidentifier.identify(name))
        if found is None:
            found = parsed.maximize().script
        tag = langcodes.Language.make(language=parsed.language, script=found, territory=parsed.territory).to_tag()
    if not langcodes.tag_is_valid(tag):
        raise langcodes.tag_parser.LanguageTagError(f"{tag} is not a registered BCP 47 tag")
    return tag


def citation(entry: dict, place: dict) -> str | None:
    """The checkable record behind one reference name entry."""
    src, rec = entry["src"], entry.get("rec", "")
    comp = next((c for c in place["components"] if c["id"] == rec), {})
    if src == "wof" and rec.startswith("wof:"):
        return rec
    if src == "geonames":
        ids = comp.get("geonames") or place.get("geonames") or []
        return f"geonames:{ids[0]}" if ids else None
    if src == "ne4":
        if comp.get("ne4_disputed"):
            return "ne:" + comp["ne4_disputed"][0]["BRK_A3"]
        if rec.startswith(("wof:", "ne4pp:")):
            return "ne:pp:" + rec.split(":", 1)[1]
        return None
    if src == "ne5":
        for c in [comp] + place["components"]:
            if c.get("ne5_admin0"):
                return "ne5:admin0:" + c["ne5_admin0"][0]["ADM0_A3"]
        if place["key"] == "nagorno_karabakh":
            return "ne:B38"
        return None
    if src == "cldr":
        for c in [comp] + place["components"]:
            for ref in c.get("cldr", []):
                if "territory" in ref:
                    return "cldr:territory:" + ref["territory"]
                if "exemplar_city" in ref:
                    return "cldr:city:" + ref["exemplar_city"]
        return None
    if src == "iso-codes":
        for c in [comp] + place["components"]:
            code = c.get("iso_code") or c.get("iso3166_1")
            if code:
                return "iso-codes:" + code
        return None
    return None


def kind_of(entry: dict, tag: str, local: set[str]) -> str | None:
    source_kind = entry["kind"]
    if source_kind in ("historical", "colloquial", "variant"):
        return source_kind
    if source_kind == "formal":
        return "official"
    if source_kind in ("preferred", "label"):
        primary = tag.split("-")[0]
        if primary == "und" or not local:
            return "variant"
        return "endonym" if primary in local else "exonym"
    return None  # "unknown" (codes such as AZE) and abbreviations are not names to match


def excluded(key: str, entry: dict, spelled: frozenset[str] = frozenset()) -> str | None:
    """Why a reference name is left out (None: kept). ``spelled``: the place's other names, folded."""
    name, rec, src = entry["name"], entry.get("rec", ""), entry["src"]
    if src == "geonames" and entry.get("script") == "Latn" and name == name.lower() != name.upper() \
            and not entry.get("lang") and fold(name) not in spelled:
        # GeoNames' alternate names hold romanization keys in lower case ("han ken de", "shwshy") and names of
        # languages ("hindi", "kartuli"): no one's name of the place (the base layer leaves them out too); one
        # that is another name written without its capitals and accents ("susa" for Şuşa) stays
        return "GeoNames romanization key or language name in lower case, not a name of the place"
    for k, where, pattern, reason in EXCLUDE:
        if k == key and where in (rec, src, "*") and re.search(pattern, name):
            return reason
    for k, where, pattern, reason in ONLY:
        if k == key and where in (rec, src) and src != "iso-codes" and not re.search(pattern, name):
            return reason
    return None


def split_names(entry: dict) -> list[str]:
    # NE NAME_ALT lists several names in one field: "Takeshima, Liancort Rocks".
    if entry.get("lang_src") == "NAME_ALT":
        return [n.strip() for n in entry["name"].split(",") if n.strip()]
    return [entry["name"]]


def hand_curated(data_dir: Path) -> set[tuple[str, str, str, str]]:
    """(place, name, lang, kind) of hand-curated claims without holders or years: those rows win."""
    return {(r["place"], r["name"], r["lang"], r["kind"])
            for r in read_dataset(data_dir).rows("names")
            if not Path(r.file).name.startswith("reference-")
            and not (r["holders"] or r["valid_from"] or r["valid_to"])}


def import_names(jsonl: Path, out: Path, dropped: list[str]) -> int:
    rows: OrderedDict[tuple[str, str, str, str], list[str]] = OrderedDict()
    curated = hand_curated(out.parent.parent)
    for line in jsonl.open(encoding="utf-8"):
        place = json.loads(line)
        key = place["key"]
        pid = key.replace("_", "-")
        countries = {c.get("country") for c in place["components"] if c.get("country")}
        local: set[str] = set().union(*(LOCAL.get(c, set()) for c in countries)) if countries else set()
        if "AZ" in countries or key == "nagorno_karabakh":
            local |= KARABAKH_BOTH
        spelled = frozenset(fold(entry["name"]) for entry in place["names"] if entry["name"] != entry["name"].lower())
        for entry in place["names"]:
            if entry.get("lang_src") in SKIP_FIELDS:
                continue
            reason = excluded(key, entry, spelled)
            if reason:
                dropped.append(f"{pid}\t{entry['name']}\t{entry.get('lang')}\t{entry['src']}\t{reason}")
                continue
            try:
                tag = bcp47(entry.get("lang"), entry.get("script"), entry["name"])
            except langcodes.tag_parser.LanguageTagError:
                dropped.append(f"{pid}\t{entry['name']}\t{entry.get('lang')}\t{entry['src']}\tnot a BCP 47 tag")
                continue
            kind = kind_of(entry, tag, local)
            cite = citation(entry, place)
            if kind is None or cite is None:
                continue
            for name in split_names(entry):
                if len(name) < 2 or re.fullmatch(r"[A-Z]{2,3}", name):
                    continue
                name_kind = "demonym" if any(p == pid and t == tag and re.search(r, name) for p, t, r in DEMONYMS) else kind
                rows.setdefault((pid, name, tag, name_kind), [])
                if cite not in rows[(pid, name, tag, name_kind)]:
                    rows[(pid, name, tag, name_kind)].append(cite)
    with out.open("w", encoding="utf-8") as f:
        f.write("# GENERATED by tools/import_reference.py from the shared reference records; do not edit.\n")
        f.write("place\tname\tlang\tkind\tholders\tvalid_from\tvalid_to\tcertainty\tcitations\tnote\n")
        written = 0
        for (pid, name, tag, kind), cites in rows.items():
            if (pid, name, tag, kind) in curated:
                continue
            f.write(f"{pid}\t{name}\t{tag}\t{kind}\t\t\t\tmedium\t{';'.join(cites)}\tattested in the reference record\n")
            written += 1
    return written


def write_polygon(path: Path, features: list[dict], place: str, citations: str, note: str) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"place": place, "citations": citations, "note": note},
             "geometry": f["geometry"]}
            for f in features
        ],
    }
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def import_polygons(ref: Path, polygons: Path) -> int:
    nk = {f["properties"]["ref_id"]: f for f in json.loads((ref / "nagorno_karabakh_region.geojson").read_text())["features"]}
    count = 0
    for file, place, ref_id, cite, note in [
        ("nagorno-karabakh.geojson", "nagorno-karabakh", "derived:nkao_1991", "derived-nkao",
         "outline of the Nagorno-Karabakh Autonomous Oblast as of 1991, derived from Natural Earth lines"),
        ("nagorno-karabakh-republic.geojson", "nagorno-karabakh-republic", "ne4:disputed:B38", "ne:B38",
         "Natural Earth breakaway area bounded by the 1994 ceasefire line: the de facto area 1994–2020"),
        ("azerbaijan.geojson", "azerbaijan", "ne5:admin0:AZE", "ne5:admin0:AZE", "Natural Earth 1:10m v5.1.1"),
        ("armenia.geojson", "armenia", "ne5:admin0:ARM", "ne5:admin0:ARM", "Natural Earth 1:10m v5.1.1"),
    ]:
        write_polygon(polygons / file, [nk[ref_id]], place, cite, note)
        count += 1
    # Natural Earth disputed areas for the world places that have them.
    areas = json.loads((ref / "disputed_areas.geojson").read_text())["features"]
    by_code = {f["properties"]["ne_properties"]["BRK_A3"]: f for f in areas if f["properties"].get("ne_properties")}
    for line in (ref / "places_contested_world.jsonl").open(encoding="utf-8"):
        place = json.loads(line)
        codes = [d["BRK_A3"] for c in place["components"] for d in c.get("ne4_disputed", [])]
        feats = [by_code[c] for c in codes if c in by_code]
        if not feats:
            continue
        pid = place["key"].replace("_", "-")
        write_polygon(polygons / f"{pid}.geojson", feats, pid, ";".join(f"ne:{c}" for c in codes),
                      "Natural Earth 1:10m v4.0 admin-0 disputed areas")
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    dropped: list[str] = []
    n1 = import_names(args.reference / "places_karabakh_key.jsonl", args.data / "names" / "reference-karabakh.tsv", dropped)
    n2 = import_names(args.reference / "places_contested_world.jsonl", args.data / "names" / "reference-world.tsv", dropped)
    npoly = import_polygons(args.reference, args.data / "polygons")
    print(f"names: {n1} Karabakh, {n2} world; polygons: {npoly}; left out as known errors: {len(dropped)}")
    for row in dropped:
        print("  dropped:", row.replace("\t", " | "))


if __name__ == "__main__":
    main()
