"""JSON lines of annotated documents, byte for byte as ``json.dumps(..., ensure_ascii=False)`` writes
them, in a fraction of its time.

A document's mentions repeat the same places and claims from mention to mention and from text to text:
the part of a mention that depends only on its place and claim (id, label, point, kind, country, layer,
claim, usage note) is encoded once, by the ``json`` module itself, and reused; so are the other claims and
the alternatives' places. What changes from mention to mention (offsets, surface, type, score) is written
with the encoder's own functions (``encode_basestring``, ``float.__repr__``), so the line is the one
``json.dumps`` gives: same keys in the same order, ", " and ": " between them, non-ASCII characters as
they are, the same floats.

(orjson and msgspec write compact JSON only, without the spaces after "," and ":": a different line.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring  # the C one where there is one
from typing import Any

from .results import Mention, NameClaimRecord, _claim_dict

__all__ = ["document_chunks", "document_line", "mentions_json"]

_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(value, ensure_ascii=False)
_LIMIT = 100_000  # entries per cache (a long-running process sees many places and claims)

# id(claim record) -> (the record, kept alive so that its id is not reused; its JSON)
_claims: dict[int, tuple[NameClaimRecord, str]] = {}
# a mention's place and claim -> ('"id": ..., "layer": ..., "claim": {...}, "usage_note": ...', the claim)
# (keyed by the values: a place's fields are the same for every mention of it in one index, and the one
# pair of values a key cannot tell apart, a point at 0.0 and at -0.0 with the same id, does not occur)
_static: dict[tuple[Any, ...], tuple[str, NameClaimRecord]] = {}
# an alternative's (id, label) -> '{"id": ..., "label": ..., "score": '
_alternatives: dict[tuple[Any, Any], str] = {}


def _scalar(value: Any) -> str:
    """A string, number, boolean or null as the json module writes it (anything else through it)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and value == value and value not in (_INF, -_INF):
        return float.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _encode(value)


_INF = float("inf")


def _claim(claim: NameClaimRecord) -> str:
    cached = _claims.get(id(claim))
    if cached is None or cached[0] is not claim:
        if len(_claims) >= _LIMIT:
            _claims.clear()
        cached = _claims[id(claim)] = (claim, _encode(_claim_dict(claim)))
    return cached[1]


def _place_and_claim(m: Mention) -> str:
    key = (m.id, m.label, m.lat, m.lon, m.kind, m.country, m.layer, id(m.claim), m.usage_note)
    cached = _static.get(key)
    if cached is None or cached[1] is not m.claim:
        if len(_static) >= _LIMIT:
            _static.clear()
        part = _encode({"id": m.id, "label": m.label, "lat": m.lat, "lon": m.lon, "kind": m.kind, "country": m.country,
                        "layer": m.layer})[1:-1]
        cached = _static[key] = (f'{part}, "claim": {_claim(m.claim)}, "usage_note": {_scalar(m.usage_note)}', m.claim)
    return cached[0]


def _alternative(alternative: Any) -> str:
    id_, label, score = alternative.id, alternative.label, alternative.score
    head = _alternatives.get((id_, label))
    if head is None:
        if len(_alternatives) >= _LIMIT:
            _alternatives.clear()
        head = _alternatives[(id_, label)] = f'{{"id": {_scalar(id_)}, "label": {_scalar(label)}, "score": '
    return f"{head}{_scalar(score)}}}"


def _mention(m: Mention) -> str:
    """``json.dumps(m.to_dict(), ensure_ascii=False)``."""
    start, end, surface, mention_type, nested, score = m.start, m.end, m.surface, m.mention_type, m.nested, m.score
    if not (type(start) is int and type(end) is int and type(surface) is str and type(mention_type) is str
            and type(nested) is bool and type(score) is float):
        return _encode(m.to_dict())  # (not the types a mention has: the json module writes it)
    score_text = float.__repr__(score)
    if score_text[-1] in "fn":  # inf, nan: "Infinity", "NaN" in JSON
        score_text = _scalar(score)
    alternatives = ", ".join([_alternative(a) for a in m.alternatives]) if m.alternatives else ""
    others = ", ".join([_claim(c) for c in m.other_claims]) if m.other_claims else ""
    return (f'{{"start": {start}, "end": {end}, "surface": {encode_basestring(surface)}, {_place_and_claim(m)}, '
            f'"mention_type": {encode_basestring(mention_type)}, "nested": {"true" if nested else "false"}, '
            f'"score": {score_text}, "alternatives": [{alternatives}], "other_claims": [{others}]}}')


def mentions_json(mentions: Sequence[Mention]) -> str:
    """``json.dumps([m.to_dict() for m in mentions], ensure_ascii=False)``."""
    return f"[{', '.join([_mention(m) for m in mentions])}]"


def document_line(document: dict[str, Any], mentions: Sequence[Mention]) -> str:
    """``json.dumps({**document, "mentions": [m.to_dict() for m in mentions]}, ensure_ascii=False)``: the
    document with its mentions, as one JSON line."""
    if "mentions" in document:  # its place among the keys is kept: the json module writes the line
        return _encode({**document, "mentions": [m.to_dict() for m in mentions]})
    mentions_part = f'"mentions": {mentions_json(mentions)}'
    if not document:
        return f"{{{mentions_part}}}"
    return f"{_encode(document)[:-1]}, {mentions_part}}}"


def document_chunks(document: dict[str, Any], mentions: Sequence[Mention], size: int = 1000) -> Iterator[str]:
    """``document_line(document, mentions)`` in pieces of ``size`` mentions: the same line without all of
    it in memory at once (a text of 1 MB can have 200,000 mentions: a line of 130 MB)."""
    if "mentions" in document:
        yield document_line(document, mentions)
        return
    yield f'{_encode(document)[:-1]}, "mentions": [' if document else '{"mentions": ['
    for start in range(0, len(mentions), size):
        part = ", ".join([_mention(m) for m in mentions[start:start + size]])
        yield part if start == 0 else f", {part}"
    yield "]}"
