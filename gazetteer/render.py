"""Annotated text as HTML, and mentioned places as GeoJSON."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from .export import ATTRIBUTION
from .results import Mention

_STYLE = ("body{font:16px/1.6 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em}"
          "mark{background:#fde68a;border-radius:3px;padding:0 2px}mark.metonym{background:#bfdbfe}"
          "mark.demonym{background:#ddd6fe}article{white-space:pre-wrap}")


def tooltip(mention: Mention) -> str:
    claim = mention.claim
    holders = ", ".join(claim.holders) or "no recorded holder"
    years = ""
    if claim.valid_from or claim.valid_to:
        years = f", {claim.valid_from or ''}–{claim.valid_to or ''}"
    text = (f"{mention.label} ({mention.id}, {mention.kind})\n{claim.name}: {claim.lang} {claim.kind}{years}, "
            f"used by {holders}")
    if mention.mention_type != "toponym":
        text += f"\n{mention.mention_type}"
    if mention.alternatives:
        text += "\nalso possible: " + ", ".join(f"{a.label} ({a.score:g})" for a in mention.alternatives[:3])
    if mention.usage_note:
        text += f"\n{mention.usage_note}"
    return text


def annotated_html(documents: Iterable[tuple[str, str, list[Mention]]]) -> str:
    """One HTML page: each document's text with its mentions highlighted; every name is escaped."""
    parts = ["<!doctype html><html><head><meta charset=\"utf-8\"><title>Place mentions</title>",
             f"<style>{_STYLE}</style></head><body>"]
    for title, text, mentions in documents:
        parts.append(f"<h2>{html.escape(title)}</h2><article>")
        position = 0
        for m in sorted((m for m in mentions if not m.nested), key=lambda m: m.start):
            if m.start < position:
                continue
            parts.append(html.escape(text[position:m.start]))
            parts.append(f'<mark class="{html.escape(m.mention_type)}" data-place="{html.escape(m.id)}" '
                         f'title="{html.escape(tooltip(m))}">{html.escape(text[m.start:m.end])}</mark>')
            position = m.end
        parts.append(html.escape(text[position:]) + "</article>")
    parts.append("</body></html>")
    return "".join(parts)


def mentions_geojson(mentions: Iterable[Mention]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection: one point per mentioned place, with the names used and counts."""
    places: dict[str, Mention] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    holders: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.nested:
            continue
        places.setdefault(m.id, m)
        names[m.id][m.claim.name] += 1
        for holder in m.claim.holders:
            holders[m.id][holder] += 1
    features = [{
        "type": "Feature", "id": pid,
        "geometry": {"type": "Point", "coordinates": [m.lon, m.lat]},
        "properties": {"id": pid, "label": m.label, "kind": m.kind, "country": m.country, "layer": m.layer,
                       "mentions": sum(names[pid].values()), "names_used": dict(names[pid].most_common()),
                       "holders": dict(holders[pid].most_common())},
    } for pid, m in places.items()]
    return {"type": "FeatureCollection", "features": features, "attribution": ATTRIBUTION}
