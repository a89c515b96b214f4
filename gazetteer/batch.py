"""Annotating many documents with several processes.

The parent builds the indexes and the tagger's automaton once; the workers are forked from it and
share them (copy-on-write), so a worker starts in milliseconds instead of rebuilding for seconds.

Items go to the workers in chunks. When they are a sequence (a list of documents), the workers have
them too, from the fork, and are sent only ranges of positions: nothing is pickled on the way in. A
stream of items is sent chunk by chunk.

Whatever can be done per document is done in the workers: with ``render`` they also turn the
mentions into the caller's output (a JSONL line, say) and send back only that, so the parent merely
hands documents out and writes answers in order. Without it they send the resolved spans as plain
tuples (the cheapest to pickle) and the parent makes the mention records.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from .results import Mention

if TYPE_CHECKING:
    from .search import Searcher

TextOf = Callable[[Any], str]
Render = Callable[[Any, list[Mention]], Any]

# Set in the parent before forking; the workers inherit it (functions need no pickling this way), and
# so the items too when they are a sequence: then only ranges of positions are sent to the workers.
YearOf = Callable[[Any], int]
_WORK: tuple[Searcher, dict[str, Any], YearOf, TextOf | None, Render | None] | None = None
_ITEMS: Sequence[Any] = ()


def _text(item: Any, text_of: TextOf | None) -> str:
    return item if text_of is None else text_of(item)


def _tag(item: Any) -> Any:
    """In a worker: the rendered answer for one item, or its resolved spans as plain tuples."""
    assert _WORK is not None
    searcher, tagging, year_of, text_of, render = _WORK
    text = _text(item, text_of)
    resolved = searcher.tagger().tag(text, **tagging)
    if render is not None:
        return render(item, searcher.mentions(text, resolved, year_of(item)))
    return [(r.start, r.end, r.place, r.claim, r.score, r.alternatives, r.nested, r.mention_type, r.claims, r.language)
            for r in resolved]


def _tag_chunk(task: tuple[int, int] | list[Any]) -> list[Any]:
    """In a worker: the answers for a chunk of items, given as a range of positions in the shared
    sequence or as the items themselves."""
    items = _ITEMS[task[0]:task[1]] if isinstance(task, tuple) else task
    return [_tag(item) for item in items]


def _chunks(items: Iterable[Any], size: int, shared: bool) -> Iterator[tuple[tuple[int, int] | list[Any], Sequence[Any]]]:
    """(what a worker is sent, the items it stands for), ``size`` items at a time: positions for a
    ``shared`` sequence (the workers have it from the fork), the items themselves for a stream."""
    if shared and isinstance(items, Sequence):
        for start in range(0, len(items), size):
            span = (start, min(start + size, len(items)))
            yield span, items[span[0]:span[1]]
        return
    stream = iter(items)
    while chunk := list(islice(stream, size)):
        yield chunk, chunk


def annotate_many(searcher: Searcher, items: Iterable[Any], demonyms: bool = False, jobs: int = 1,
                  chunksize: int = 64, text_of: TextOf | None = None, render: Render | None = None, *,
                  year_of: YearOf, near: tuple[float, float] | None = None, off: Iterable[str] = ()) -> Iterator[Any]:
    """For each item, in order: its mentions, or ``render(item, mentions)`` when ``render`` is given;
    ``year_of(item)`` is the item's date, for the claim each name stands for.

    An item is a text, or anything ``text_of`` takes the text from (a JSONL document). With ``jobs`` > 1
    the work runs in that many forked processes, ``render`` included. ``near`` and ``off`` are the
    tagger's (``Tagger.tag``)."""
    tagging: dict[str, Any] = {"demonyms": demonyms, "near": near, "off": frozenset(off)}
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            mentions = searcher.annotate(_text(item, text_of), year=year_of(item), **tagging)
            yield mentions if render is None else render(item, mentions)
        return
    global _WORK, _ITEMS
    searcher.tagger().automaton()  # build before forking, so that every worker shares it
    gc.freeze()  # the collector in a worker would otherwise touch (and copy) every shared object
    _WORK = (searcher, tagging, year_of, text_of, render)
    shared = False
    if isinstance(items, Sequence) and not isinstance(items, str):
        _ITEMS, shared = items, True  # set before the fork: the workers are sent positions in it
    pending: deque[Sequence[Any]] = deque()  # the chunks sent to the workers, in order

    def tasks() -> Iterator[tuple[int, int] | list[Any]]:
        for task, chunk in _chunks(items, chunksize, shared):
            pending.append(chunk)
            yield task

    from .tagger import Resolved  # (imported here: the rest of the package does not need the tagger)

    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for answers in pool.imap(_tag_chunk, tasks()):
                chunk = pending.popleft()
                if render is not None:
                    yield from answers
                    continue
                for item, fields in zip(chunk, answers, strict=True):
                    yield searcher.mentions(_text(item, text_of), [Resolved(*f) for f in fields], year_of(item))
    finally:
        _WORK, _ITEMS = None, ()
        gc.unfreeze()
