"""Scoring annotations against a gold JSONL corpus, by the definitions of the development scorer.

Gold, one document per line: ``{"id", "text", "toponyms": [{"start", "end", "lat", "lon", ...}]}``.
Recognition is micro-averaged precision, recall and F1 over exact spans (start and end equal) and over
overlapping spans (one-to-one, maximum matching seeded with the exact pairs, larger overlap first).
Resolution, over matched pairs where both sides have coordinates: median and mean geodesic error
(km), accuracy within 161 km, and the AUC of ln(1 + error) / ln(20039) (lower is better).
Gold toponyms marked ``"continent": true`` can be left out (neutral, as are predictions that overlap
only them).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from geopy.distance import geodesic

Span = tuple[int, int]


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def match_exact(gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[int, int]]:
    where = {span: i for i, span in enumerate(pred)}
    return [(g, where[span]) for g, span in enumerate(gold) if span in where]


def match_overlap(gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one matching of overlapping spans of maximum size (Kuhn's augmenting paths)."""
    owner: dict[int, int] = {}  # pred -> gold
    taken: dict[int, int] = {}  # gold -> pred
    for g, p in match_exact(gold, pred):
        owner[p], taken[g] = g, p
    choices = []
    for span in gold:
        options = [p for p, other in enumerate(pred) if _overlap(span, other) > 0]
        options.sort(key=lambda p: (-_overlap(span, pred[p]), abs(span[0] - pred[p][0]) + abs(span[1] - pred[p][1]), p))
        choices.append(options)

    def augment(g: int, seen: set[int]) -> bool:
        for p in choices[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p], taken[g] = g, p
                return True
        return False

    for g in range(len(gold)):
        if g not in taken:
            augment(g, set())
    return sorted((g, p) for p, g in owner.items())


def _prf(tp: int, n_gold: int, n_pred: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": n_pred - tp, "fn": n_gold - tp, "precision": precision, "recall": recall, "f1": f1}


def _resolution(errors: list[float], matched_with_coords: int, gold_with_coords: int) -> dict[str, Any]:
    if not errors:
        return {"n": 0, "median_km": None, "mean_km": None, "acc161": None, "auc": None}
    ordered = sorted(math.log(1 + e) / math.log(20039) for e in errors)
    auc = ordered[0] if len(ordered) == 1 else sum(
        (ordered[k] + ordered[k + 1]) / 2 for k in range(len(ordered) - 1)) / (len(ordered) - 1)
    within = sum(1 for e in errors if e <= 161)
    return {"n": len(errors), "median_km": statistics.median(errors), "mean_km": sum(errors) / len(errors),
            "acc161": within / len(errors), "auc": auc,
            "coverage": len(errors) / matched_with_coords if matched_with_coords else None,
            "e2e_acc161": within / gold_with_coords if gold_with_coords else None}


def _coords(item: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = item.get("lat"), item.get("lon")
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return None
    if math.isnan(lat) or math.isnan(lon) or not -90 <= lat <= 90 or not -180 <= lon <= 180:
        return None
    return float(lat), float(lon)


def score(gold_docs: Iterable[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]],
          no_continents: bool = False) -> dict[str, Any]:
    """Recognition and resolution figures of ``predictions`` (document id -> mentions) on ``gold_docs``."""
    counts = {"exact": [0, 0, 0], "overlap": [0, 0, 0]}
    errors: dict[str, list[float]] = {"exact": [], "overlap": []}
    matched_coords = {"exact": 0, "overlap": 0}
    gold_coords = documents = 0
    for doc in gold_docs:
        documents += 1
        kept = [t for t in doc.get("toponyms", []) if not (no_continents and t.get("continent") is True)]
        dropped = [(t["start"], t["end"]) for t in doc.get("toponyms", []) if no_continents and t.get("continent") is True]
        gold = [(t["start"], t["end"]) for t in kept]
        gold_points = [_coords(t) for t in kept]
        gold_coords += sum(point is not None for point in gold_points)
        pred: list[Span] = []
        pred_points = []
        seen: set[Span] = set()
        for m in predictions.get(doc["id"], []):
            span = (int(m["start"]), int(m["end"]))
            if span in seen or span[1] <= span[0]:
                continue
            if dropped and any(_overlap(span, d) > 0 for d in dropped) and not any(_overlap(span, g) > 0 for g in gold):
                continue  # neutral: overlaps only a left-out gold span
            seen.add(span)
            pred.append(span)
            pred_points.append(_coords(m))
        for kind, matcher in (("exact", match_exact), ("overlap", match_overlap)):
            pairs = matcher(gold, pred)
            counts[kind][0] += len(pairs)
            counts[kind][1] += len(gold)
            counts[kind][2] += len(pred)
            for g, p in pairs:
                if gold_points[g] is None:
                    continue
                matched_coords[kind] += 1
                if pred_points[p] is not None:
                    errors[kind].append(geodesic(gold_points[g], pred_points[p]).km)
    result: dict[str, Any] = {"documents": documents}
    for kind in ("exact", "overlap"):
        result[f"recognition_{kind}"] = _prf(*counts[kind])
        result[f"resolution_{kind}"] = _resolution(errors[kind], matched_coords[kind], gold_coords)
    return result


def evaluate(annotate: Callable[[str, frozenset[str]], list[Any]], documents: Sequence[dict[str, Any]],
             no_continents: bool = False, off: frozenset[str] = frozenset(),
             progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Annotate each document with ``annotate(text, off)`` (mention records with start, end, lat, lon and
    nested) and score the outer mentions against the gold."""
    predictions = {}
    for document in documents:
        predictions[document["id"]] = [{"start": m.start, "end": m.end, "lat": m.lat, "lon": m.lon}
                                       for m in annotate(document["text"], off) if not m.nested]
        if progress is not None:
            progress(1)
    return score(documents, predictions, no_continents=no_continents)


def headline(figures: dict[str, Any]) -> tuple[float, float | None]:
    """(exact-span F1, acc@161 over exact matches): the two figures the targets are set on."""
    return figures["recognition_exact"]["f1"], figures["resolution_exact"]["acc161"]


def ablate(annotate: Callable[[str, frozenset[str]], list[Any]], corpora: Sequence[tuple[str, Sequence[dict[str, Any]]]],
           rules: Iterable[str], no_continents: bool = False,
           progress: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
    """Every rule switched off in turn: per rule (the first row is none, "all rules"), each corpus's F1 and
    acc@161 and their change from all rules on."""
    rows: list[dict[str, Any]] = []
    base: dict[str, tuple[float, float | None]] = {}
    for rule in [None, *rules]:
        row: dict[str, Any] = {"rule": rule or "(all rules on)", "corpora": {}}
        for name, documents in corpora:
            f1, acc = headline(evaluate(annotate, documents, no_continents, frozenset([rule]) if rule else frozenset(),
                                        progress))
            if rule is None:
                base[name] = (f1, acc)
            f1_0, acc_0 = base[name]
            row["corpora"][name] = {"f1": f1, "acc161": acc, "f1_change": f1 - f1_0,
                                    "acc161_change": None if acc is None or acc_0 is None else acc - acc_0}
        rows.append(row)
    return rows
