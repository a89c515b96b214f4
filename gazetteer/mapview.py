"""What the map page draws: the curated places with a status to style them by, and their labels in a
year or a holder's view. The rules are data-driven and stated in the reason given with each status."""

from __future__ import annotations

from typing import Any

from .results import PlaceRecord

STATUSES = ("disputed", "renamed", "historical", "named-two-ways", "other")
_NAME_KINDS = ("official", "endonym", "exonym")


def place_status(place: PlaceRecord) -> tuple[str, str]:
    """One status for styling, with the reason, first rule that applies:

    - ``historical``: every name with a holder has an end year — nobody is recorded using it now;
    - ``disputed``: a Natural Earth disputed or breakaway area, a ``disputed-area``, or a place with a
      ``claimed_by`` / ``administered_by`` relation or relations in two holders' views;
    - ``renamed``: an official name ended and another official name is current;
    - ``named-two-ways``: holders use different current names in one language;
    - ``other``: none of these.
    """
    held = [c for c in place.names if c.holders]
    if held and all(c.valid_to is not None for c in held):
        return "historical", f"every name in use ended by {max(c.valid_to or 0 for c in held)}"
    areas = [c.partition(":")[2] for c in place.citations if c.startswith("ne:") and not c.startswith(("ne:pp:", "ne:line:"))]
    if areas:
        return "disputed", f"a Natural Earth disputed or breakaway area ({', '.join(areas)})"
    if place.kind == "disputed-area":
        return "disputed", "a disputed area"
    contested = sorted({r.relation for r in place.relations if r.relation in ("claimed_by", "administered_by")})
    if contested:
        return "disputed", f"has {' and '.join(c.replace('_', ' ') for c in contested)} relations"
    views = sorted({r.view for r in place.relations if r.view})
    if len(views) >= 2:
        return "disputed", f"relations in the views of {', '.join(views)}"
    ended = [c for c in held if c.kind == "official" and c.valid_to is not None]
    current = [c for c in held if c.kind == "official" and c.valid_to is None]
    if ended and current:
        last = max(ended, key=lambda c: c.valid_to or 0)
        return "renamed", f"official name {last.name} ({last.lang}) until {last.valid_to}; now {current[0].name}"
    by_lang: dict[str, set[str]] = {}
    for c in held:
        if c.valid_to is None and c.kind in _NAME_KINDS:
            by_lang.setdefault(c.lang, set()).add(c.name)
    for lang, names in sorted(by_lang.items()):
        if len(names) > 1:
            return "named-two-ways", f"current names in {lang}: {', '.join(sorted(names))}"
    return "other", "no dispute, renaming or end recorded"


def map_feature(place: PlaceRecord) -> dict[str, Any]:
    """A light GeoJSON feature for the map: geometry, label, kind and status (the names are fetched
    from /v1/places/{id} when a popup opens)."""
    status, reason = place_status(place)
    geometry = place.polygon or {"type": "Point", "coordinates": [place.lon, place.lat]}
    return {"type": "Feature", "id": place.id, "geometry": geometry,
            "properties": {"id": place.id, "label": place.label, "kind": place.kind, "country": place.country,
                           "lat": place.lat, "lon": place.lon, "priority": place.priority, "status": status,
                           "status_reason": reason, "names": len(place.names)}}
