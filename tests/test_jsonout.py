"""gazetteer.jsonout writes the lines json.dumps(..., ensure_ascii=False) writes, byte for byte."""

from __future__ import annotations

import json

import pytest

from gazetteer.jsonout import document_line, mentions_json
from gazetteer.results import Mention, MentionAlternative, NameClaimRecord

CLAIM = NameClaimRecord(name="Stepanakert", lang="hy-Latn", kind="exonym", holders=["AM-gov"], valid_from=1923,
                        valid_to=None, certainty="high", citations=["c1", "c2"], note='a "note"\nwith\ttabs')
OTHER = NameClaimRecord(name="Xankəndi", lang="az", kind="official", holders=[], valid_from=None, valid_to=1991,
                        certainty="medium", citations=[])


def mention(**changes: object) -> Mention:
    values: dict = dict(start=3, end=14, surface="Stepanakert", id="stepanakert", label="Stepanakert / Xankəndi",
                        lat=39.8153, lon=46.7519, kind="settlement", country=None, layer="curated", claim=CLAIM,
                        usage_note="Use both names\u2028here", mention_type="toponym", nested=False, score=4.1,
                        alternatives=[MentionAlternative("x", "Ξ \x01", 1e-07), MentionAlternative("y", "Y", 2.0)],
                        other_claims=[OTHER, CLAIM])
    values.update(changes)
    return Mention(**values)


def expected(document: dict, mentions: list[Mention]) -> str:
    return json.dumps({**document, "mentions": [m.to_dict() for m in mentions]}, ensure_ascii=False)


MENTIONS = [
    [],
    [mention()],
    [mention(), mention(start=20, end=28, surface="Karabakh", nested=True, score=-0.0, alternatives=[], other_claims=[])],
    [mention(score=float("nan")), mention(score=float("inf"), lat=-0.0, lon=1e22)],
    [mention(country="AZ", usage_note=None, mention_type="demonym", surface="\U0001f600\\")],
]
DOCUMENTS = [{}, {"id": "d1"}, {"id": 7, "text": "Ünïcödé \u2028 \x00 \"quoted\"", "date": "2020-01-01"},
             {"mentions": "replaced in place", "id": "m"}, {"id": None, "nested": {"a": [1.5, True, None]}}]


@pytest.mark.parametrize("mentions", MENTIONS)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_document_line_is_json_dumps(document: dict, mentions: list[Mention]) -> None:
    assert document_line(document, mentions) == expected(document, mentions)


@pytest.mark.parametrize("mentions", MENTIONS)
def test_mentions_json_is_json_dumps(mentions: list[Mention]) -> None:
    assert mentions_json(mentions) == json.dumps([m.to_dict() for m in mentions], ensure_ascii=False)


def test_cached_parts_follow_the_values() -> None:
    # the same place and claim with another label, and another record equal to the first: each line its own
    first = mention()
    assert document_line({}, [first]) == expected({}, [first])
    relabelled = mention(label="Khankendi")
    assert document_line({}, [relabelled]) == expected({}, [relabelled])
    copy = NameClaimRecord(**{**CLAIM.__dict__, "holders": ["AZ-gov"]})
    recited = mention(claim=copy)
    assert document_line({}, [recited]) == expected({}, [recited])
