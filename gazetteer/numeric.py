"""Numbers as a client writes them: plain ASCII decimals, finite.

Python's ``int()`` and ``float()`` also take digits of any script (``٣``), underscores (``1_0``),
``nan``, ``inf`` and ``infinity``, and surrounding whitespace of any kind. A query parameter, a box or
a coordinate read with them would let such values through; these read numbers strictly instead. Used
by the HTTP parameters (``api.spec``), the CLI and the bbox and viewbox parsers.
"""

from __future__ import annotations

import math
import re

_INTEGER = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def parse_int(text: str) -> int:
    """An integer in ASCII digits with an optional sign (``-12``); ``ValueError`` for anything else."""
    if not isinstance(text, str) or not _INTEGER.fullmatch(text):
        raise ValueError(f"must be an integer in ASCII digits (such as 10), not {text!r}")
    return int(text)


def parse_float(text: str) -> float:
    """A finite decimal number in ASCII digits (``-12.5``, ``1e-3``); ``ValueError`` for anything else,
    NaN and infinity included."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
        raise ValueError(f"must be a number in ASCII digits (such as -12.5), not {text!r}")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, not {text!r}")
    return value
