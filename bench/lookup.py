"""Benchmark of the lookup engine: index build time and memory, and latency per query kind.

    .venv/bin/python bench/lookup.py [--database-url URL] [--queries 10000] [--baseline-queries 300]

On the default base layer (GeoNames cities15000) plus the curated layer it prints, for exact,
normalized, transliterated, fuzzy and prefix name queries and for reverse and containment point
queries: p50 and p99 latency through the ``Gazetteer`` façade, how the queries matched, and, in the
same run, the same name queries through rapidfuzz's plain ``process.extractOne`` over all names (the
baseline; slower, so it runs on the first ``--baseline-queries`` of each set) and the point queries
through a scan without a spatial index. Targets: build <= 5 s; p99 <= 1 ms exact/normalized,
<= 20 ms fuzzy, <= 2 ms reverse and containment.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from anyascii import anyascii
from rapidfuzz import process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import rss_mb  # noqa: E402

from gazetteer import Gazetteer, Settings  # noqa: E402
from gazetteer.index import NameIndex  # noqa: E402
from gazetteer.normalize import fold, script_of  # noqa: E402
from gazetteer.spatial import great_circle_km  # noqa: E402

TARGETS_MS = {"exact": 1.0, "normalized": 1.0, "fuzzy": 20.0, "reverse": 2.0, "containment": 2.0}


def timed(function: Callable[[Any], Any], queries: Sequence[Any]) -> tuple[list[float], list[Any]]:
    """Milliseconds per call, and the answers."""
    times, answers = [], []
    for query in queries:
        start = time.perf_counter()
        answers.append(function(query))
        times.append((time.perf_counter() - start) * 1000)
    return times, answers


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def one_typo(rng: random.Random, name: str) -> str:
    """One edit in the middle part of a name: delete, substitute, insert or swap two letters."""
    i = rng.randrange(1, len(name) - 1)
    letter = rng.choice("abcdefghiklmnoprstuvyz")
    edit = rng.randrange(4)
    if edit == 0:
        return name[:i] + name[i + 1:]
    if edit == 1:
        return name[:i] + letter + name[i + 1:]
    if edit == 2:
        return name[:i] + letter + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a built database (default: build one in a temporary directory)")
    parser.add_argument("--queries", type=int, default=10_000, help="queries per kind (default 10000)")
    parser.add_argument("--baseline-queries", type=int, default=300,
                        help="of those, how many also go through the baseline (default 300)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    temporary = None
    url = args.database_url
    if url is None:
        temporary = tempfile.TemporaryDirectory()
        url = f"sqlite:///{temporary.name}/bench.sqlite3"
        print("building the database (cities15000 + curated) ...", flush=True)
    gazetteer = Gazetteer.open(url, settings=Settings.from_env(database_url=url, base_layer="cities15000"), build=True)
    status = gazetteer.status()
    print(f"database: {status.places} places ({status.curated_places} curated), {status.name_claims} name claims, "
          f"base layer {status.base_layer}")

    # -- index build ---------------------------------------------------------------------------
    builds = []
    for _ in range(3):
        gc.collect()
        before = rss_mb()
        start = time.perf_counter()
        index = NameIndex.build(gazetteer.engine)
        builds.append(time.perf_counter() - start)
        grown = rss_mb() - before
        del index
    gazetteer.searcher()  # the façade's own index, used below
    index = gazetteer.searcher().index
    print(f"\nindex build: {min(builds):.2f} s best of 3 (runs: {', '.join(f'{b:.2f}' for b in builds)}; "
          f"target <= 5 s); memory {grown:.0f} MB resident for the index")
    assert index.directory is not None
    opens = []
    for _ in range(3):
        start = time.perf_counter()
        NameIndex.load(index.directory)
        opens.append(time.perf_counter() - start)
    print(f"index snapshot open: {min(opens) * 1000:.1f} ms best of 3 ({index.directory})")

    # -- queries -------------------------------------------------------------------------------
    n = args.queries
    claims = range(len(index.c_name))
    latin = [c for c in claims if script_of(index.c_name[c]) == "Latn"]
    other = [c for c in claims if script_of(index.c_name[c]) not in (None, "Latn")]
    long_latin = [c for c in latin if len(index.c_name[c]) >= 6]
    exact = [index.c_name[c] for c in rng.choices(claims, k=n)]
    normalized = [fold(index.c_name[c]).upper().replace(" ", "-") for c in rng.choices(latin, k=n)]
    transliterated = [anyascii(index.c_name[c]) for c in rng.choices(other, k=n)]
    fuzzy_targets = rng.choices(long_latin, k=n)
    fuzzy = [one_typo(rng, index.c_name[c]) for c in fuzzy_targets]
    prefixes = [index.c_name[c][: rng.randint(3, 6)] for c in rng.choices(latin, k=n)]
    picks = rng.choices(range(len(index.places)), k=n)
    points = [(max(-90.0, min(90.0, index.places[p].lat + rng.uniform(-0.5, 0.5))),
               ((index.places[p].lon + rng.uniform(-0.5, 0.5) + 180) % 360) - 180) for p in picks]
    assert index.areas is not None
    bounds = [geometry.bounds for geometry in index.areas.geometries]  # half the points in a polygon's box
    in_boxes = [(rng.uniform(b[1], b[3]), rng.uniform(b[0], b[2])) for b in rng.choices(bounds, k=n // 2)]
    anywhere = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(n - n // 2)]
    area_points = in_boxes + anywhere
    rng.shuffle(area_points)

    lookup = gazetteer.lookup
    sets: list[tuple[str, list[Any], Callable[[Any], Any]]] = [
        ("exact", exact, lambda q: lookup(q, 5, fuzzy=False)),
        ("normalized", normalized, lambda q: lookup(q, 5, fuzzy=False)),
        ("transliterated", transliterated, lambda q: lookup(q, 5, fuzzy=False)),
        ("fuzzy", fuzzy, lambda q: lookup(q, 5)),
        ("prefix", prefixes, lambda q: gazetteer.search(q, 5, prefix=True, fuzzy=False)),
        ("reverse", points, lambda p: gazetteer.reverse(p[0], p[1], 5)),
        ("containment", area_points, lambda p: gazetteer.contains(p[0], p[1])),
    ]
    for _, queries, function in sets:  # warm up
        for query in queries[:50]:
            function(query)

    # The baseline: rapidfuzz's extractOne over every folded name (its default scorer, WRatio).
    all_names = [fold(name) for name in index.c_name]
    lats, lons = index.points.lats, index.points.lons  # type: ignore[union-attr]
    geometries = index.areas.geometries

    def scan_nearest(point: tuple[float, float]) -> int:
        return int(np.argmin(great_circle_km(point[0], point[1], lats, lons)))

    def scan_containing(point: tuple[float, float]) -> list[int]:
        where = shapely.Point(point[1], point[0])
        return [i for i, geometry in enumerate(geometries) if shapely.intersects(geometry, where)]

    baselines: dict[str, tuple[str, Callable[[Any], Any]]] = {
        name: ("rapidfuzz extractOne", lambda q: process.extractOne(fold(q), all_names))
        for name in ("exact", "normalized", "transliterated", "fuzzy", "prefix")}
    baselines["reverse"] = ("numpy scan, no index", scan_nearest)
    baselines["containment"] = ("shapely loop, no tree", scan_containing)

    print(f"\n{'queries':<15}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}{'target':>9}  {'matched as':<44}"
          f"{'baseline':<23}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}{'p50 ratio':>10}")
    notes: list[str] = []
    for name, queries, function in sets:
        times, answers = timed(function, queries)
        p50, p99 = percentiles(times)
        if name in ("reverse", "containment"):
            found = Counter("found" if a else "none" for a in answers)
        else:
            found = Counter(a[0].match if a else "none" for a in answers)
        if name == "fuzzy":
            right = sum(1 for a, c in zip(answers, fuzzy_targets, strict=True)
                        if a and a[0].id == index.places[index.c_place[c]].id)
            found["right place first"] = right
        matched = ", ".join(f"{k} {v * 100 / len(answers):.0f}%" for k, v in found.most_common(3))
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else (f"{target:g}" + (" ok" if p99 <= target else " MISS"))
        label, baseline = baselines[name]
        subset = queries[: args.baseline_queries]
        base_times, base_answers = timed(baseline, subset)
        b50, b99 = percentiles(base_times)
        if name == "fuzzy":
            base_right = sum(1 for a, c in zip(base_answers, fuzzy_targets, strict=False)
                             if index.places[index.c_place[a[2]]].id == index.places[index.c_place[c]].id)
            ours_right = sum(1 for a, c in zip(answers[: len(subset)], fuzzy_targets, strict=False)
                             if a and a[0].id == index.places[index.c_place[c]].id)
            notes.append(f"fuzzy, right place first on the first {len(subset)} queries: ours {ours_right}, "
                         f"extractOne {base_right}")
        ours50 = percentiles(times[: len(subset)])[0]
        print(f"{name:<15}{len(queries):>7}{p50:>9.3f}{p99:>9.3f}{verdict:>9}  {matched[:43]:<44}"
              f"{label:<23}{len(subset):>5}{b50:>9.2f}{b99:>9.2f}{b50 / ours50:>9.0f}x", flush=True)
    for note in notes:
        print(note)
    print("p50 ratio = baseline p50 / ours p50 on the same queries; memory is resident-set growth.")
    if temporary is not None:
        gazetteer.close()
        temporary.cleanup()


if __name__ == "__main__":
    main()
