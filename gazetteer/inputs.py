"""Checks of what comes from outside (a text, an HTTP body, a JSONL line) that the rest cannot take.

A lone surrogate (``"\\ud800"`` in JSON, legal there) is no character: no UTF-8 encoder writes it, so
an answer echoing it would fail half-written. JSON nested deeper than Python's recursion limit (about
1,000) cannot be read by the ``json`` module at all, and what is nested a little less may still not
be written back or checked against a schema. Both are rejected here as ``InvalidInput``, for the
library, the CLI and the HTTP API alike.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import InvalidInput

MAX_JSON_DEPTH = 64  # arrays and objects in one another in a JSONL line (the API has spec.MAX_JSON_DEPTH)

_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_problem(text: str, what: str = "text") -> str | None:
    """Why ``text`` cannot be taken (``what`` has a lone surrogate at an offset), or None."""
    if text.isascii():
        return None
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return (f"{what} has a lone surrogate (U+{ord(found.group()):04X}) at offset {found.start()}: "
            "not encodable as UTF-8")


def check_text(text: str, what: str = "text") -> str:
    """``text``, or ``InvalidInput`` if it holds a lone surrogate."""
    problem = surrogate_problem(text, what)
    if problem is not None:
        raise InvalidInput(problem)
    return text


def loads(data: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads(data)`` for data from outside: ``InvalidInput`` when it is nested more than
    ``max_depth`` arrays and objects deep or a string (or key) holds a lone surrogate; malformed JSON
    raises ``json.JSONDecodeError`` (bytes that are not UTF-8, ``UnicodeDecodeError``) as it does."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise InvalidInput(f"nested more than {max_depth} arrays or objects deep") from None
    if isinstance(value, str):
        check_text(value, "the value")
        return value
    # Without recursion: each array or object with its depth and where it is ("documents/0").
    pending: list[tuple[Any, int, str]] = [(value, 1, "")] if isinstance(value, (list, dict)) else []
    while pending:
        container, depth, where = pending.pop()
        if depth > max_depth:
            raise InvalidInput(f"nested more than {max_depth} arrays or objects deep")
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, item in items:
            if type(key) is str and not key.isascii() and _SURROGATE.search(key):
                raise InvalidInput(surrogate_problem(key, f"a key in {where or 'the value'}") or "")
            kind = type(item)
            if kind is str:
                if not item.isascii() and _SURROGATE.search(item):
                    raise InvalidInput(surrogate_problem(item, f"{where}/{key}".lstrip("/")) or "")
            elif kind is list or kind is dict:
                pending.append((item, depth + 1, f"{where}/{key}".lstrip("/")))
    return value
