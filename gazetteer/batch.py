"""Annotating many documents with several processes.

The parent builds the indexes and the tagger's automaton once; the workers are forked from it and
share them (copy-on-write), so a worker starts in milliseconds instead of rebuilding for seconds.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .results import Mention
from .tagger import Resolved

if TYPE_CHECKING:
    from .search import Searcher

_SEARCHER: Searcher | None = None  # set in the parent before forking; the workers inherit it


def _tag(job: tuple[str, bool]) -> list[tuple]:
    """In a worker: the resolved spans only, as plain tuples (the cheapest to send back; the parent
    makes the records)."""
    assert _SEARCHER is not None
    text, demonyms = job
    return [(r.start, r.end, r.place, r.claim, r.score, r.alternatives, r.nested, r.mention_type)
            for r in _SEARCHER.tagger().tag(text, demonyms=demonyms)]


def annotate_many(searcher: Searcher, texts: Iterable[str], demonyms: bool = False, jobs: int = 1,
                  chunksize: int = 32) -> Iterator[list[Mention]]:
    """Mentions of each text, in order; with ``jobs`` > 1 in that many forked processes."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for text in texts:
            yield searcher.annotate(text, demonyms=demonyms)
        return
    global _SEARCHER
    searcher.tagger()  # build before forking, so that every worker shares it
    gc.freeze()  # the collector in a worker would otherwise touch (and copy) every shared object
    _SEARCHER = searcher
    pending: deque[str] = deque()  # texts sent to the workers, in order

    def remember(texts: Iterable[str]) -> Iterator[tuple[str, bool]]:
        for text in texts:
            pending.append(text)
            yield text, demonyms

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for resolved in pool.imap(_tag, remember(texts), chunksize=chunksize):
            yield searcher.mentions(pending.popleft(), [Resolved(*fields) for fields in resolved])
