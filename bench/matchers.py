"""Multi-pattern matchers on the tagger's own patterns and input: pyahocorasick (as the tagger uses it)
against ahocorasick-rs, Hyperscan and RE2.

    .venv/bin/pip install ahocorasick-rs hyperscan google-re2   # the candidates (not dependencies)
    GAZETTEER_DATABASE_URL=sqlite:///... .venv/bin/python bench/matchers.py [--corpus FILE.jsonl ...] [--repeat 5]

The patterns are the tagger's: every key of its automata (``Tagger._build``: a folded name with a space
on each side), read back from the built tagger. The input is what ``Tagger.find`` gives its automata:
each text's runs (``scan.RUN``) joined by ``scan.GAP`` and folded (``scan.TABLE``), with a space on each
side. The texts are the development set's (``../shared/eval/*.jsonl``, read at run time) when present,
else the seed articles.

The tagger needs every occurrence of every pattern, overlapping ones included ("Karabakh" inside
"Nagorno-Karabakh" is kept as a nested mention; two names side by side share the space between them).
Each matcher's answer is turned into (start, end, entry) in code points of the input and compared with
pyahocorasick's; a matcher that cannot give these (RE2 reports leftmost non-overlapping matches, or
only which patterns occur) is measured all the same and its differences counted.

For each matcher it prints the build time, the resident memory the build added, the scan speed in MB/s
of the original texts (UTF-8 bytes; the best of ``--runs`` runs over the corpus repeated ``--repeat``
times) and of the folded input, and the matches that differ from pyahocorasick's.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import rss_mb, texts_of  # noqa: E402

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.scan import GAP, RUN, TABLE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"

Hits = list[tuple[int, int, int]]  # (start, end, entry) in code points of the input, end exclusive
Scan = Callable[[str], Any]  # one input -> the matcher's own answer
Normalize = Callable[[str, Any], Hits]


def automaton_input(text: str) -> str | None:
    """What ``Tagger.find`` gives its automata for ``text`` (None: no run, the automata are not asked)."""
    words = [m.group() for m in RUN.finditer(text)]
    return f" {GAP.join(words).translate(TABLE)} " if words else None


# -- the matchers: each builds from [(pattern, entry)] and gives (scan, normalize) -------------------


def pyahocorasick(patterns: list[tuple[str, int]]) -> tuple[Scan, Normalize]:
    """As the tagger does it: one automaton per block of 128 code points of the first letter, and only
    the blocks of the input's letters asked."""
    import ahocorasick

    automata: dict[int, Any] = {}
    for key, entry in patterns:
        block = ord(key[1]) >> 7
        if block not in automata:
            automata[block] = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        automata[block].add_word(key, entry)
    for automaton in automata.values():
        automaton.make_automaton()
    lengths = {entry: len(key) for key, entry in patterns}

    def scan(folded: str) -> list[tuple[int, int]]:
        blocks = {ord(char) >> 7 for char in set(folded)}
        return [hit for block in blocks if block in automata for hit in automata[block].iter(folded)]

    def normalize(folded: str, hits: list[tuple[int, int]]) -> Hits:
        return sorted((end + 1 - lengths[entry], end + 1, entry) for end, entry in hits)

    return scan, normalize


def marisa(patterns: list[tuple[str, int]]) -> tuple[Scan, Normalize]:
    """The tagger's own reading where it has one (``Tagger._matches``: a marisa-trie of the patterns,
    asked at each space of the input for the patterns that start there), on a trie of these patterns."""
    import marisa_trie

    from gazetteer.tagger import Tagger

    reader: Any = Tagger.__new__(Tagger)  # only what _matches reads
    reader.patterns = marisa_trie.Trie([key for key, _ in patterns])
    reader.heads = {key[:4] for key, _ in patterns}
    reader.longest = max(len(key) for key, _ in patterns)
    entries = [0] * len(patterns)
    for key, entry in patterns:
        entries[reader.patterns.key_id(key)] = entry
    lengths = [0] * len(patterns)
    for key, _ in patterns:
        lengths[reader.patterns.key_id(key)] = len(key)

    def scan(folded: str) -> list[tuple[int, int]]:
        return Tagger._matches(reader, folded)  # type: ignore[attr-defined]

    def normalize(folded: str, hits: list[tuple[int, int]]) -> Hits:
        return sorted((end + 1 - lengths[key_id], end + 1, entries[key_id]) for end, key_id in hits)

    return scan, normalize


def ahocorasick_rs(patterns: list[tuple[str, int]], implementation: str | None = None) -> tuple[Scan, Normalize]:
    """One automaton for every pattern; standard match semantics, overlapping matches (the only kind
    that reports every occurrence)."""
    import ahocorasick_rs as rs

    impl = getattr(rs.Implementation, implementation) if implementation else None
    automaton = rs.AhoCorasick([key for key, _ in patterns], matchkind=rs.MatchKind.Standard, implementation=impl)
    entries = [entry for _, entry in patterns]

    def scan(folded: str) -> list[tuple[int, int, int]]:
        return automaton.find_matches_as_indexes(folded, overlapping=True)

    def normalize(folded: str, hits: list[tuple[int, int, int]]) -> Hits:
        return sorted((start, end, entries[index]) for index, start, end in hits)

    return scan, normalize


def hyperscan_literals(patterns: list[tuple[str, int]]) -> tuple[Scan, Normalize]:
    """Hyperscan's literal compiler (block mode); it reports every end of every pattern, in bytes of
    UTF-8: the offsets are turned into code points for non-ASCII input (timed, since the tagger would)."""
    import hyperscan

    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    keys = [key.encode("utf-8") for key, _ in patterns]
    database.compile(expressions=keys, ids=list(range(len(keys))), elements=len(keys), flags=0, literal=True)
    scratch = hyperscan.Scratch(database)
    byte_lengths = [len(key) for key in keys]
    char_lengths = [len(key) for key, _ in patterns]
    entries = [entry for _, entry in patterns]

    def scan(folded: str) -> list[tuple[int, int]]:
        hits: list[tuple[int, int]] = []
        add = hits.append

        def on_match(index: int, start: int, end: int, flags: int, context: Any) -> None:
            add((index, end))

        data = folded.encode("utf-8")
        database.scan(data, match_event_handler=on_match, scratch=scratch)
        if len(data) != len(folded):  # byte offsets -> code points
            hits = [(index, len(data[:end].decode("utf-8"))) for index, end in hits]
        return hits

    def normalize(folded: str, hits: list[tuple[int, int]]) -> Hits:
        return sorted((end - char_lengths[index], end, entries[index]) for index, end in hits)

    del byte_lengths
    return scan, normalize


def re2_alternation(patterns: list[tuple[str, int]]) -> tuple[Scan, Normalize]:
    """One regular expression, an alternation of every pattern (leftmost-longest). RE2 gives
    non-overlapping matches only: names side by side share a space, so the second is lost."""
    import re2

    options = re2.Options()
    options.max_mem = 4 << 30
    options.longest_match = True
    regex = re2.compile("|".join(re2.escape(key) for key, _ in patterns), options)
    entry_of = dict(patterns)

    def scan(folded: str) -> list[tuple[int, int]]:
        return [match.span() for match in regex.finditer(folded)]

    def normalize(folded: str, hits: list[tuple[int, int]]) -> Hits:
        return sorted((start, end, entry_of[folded[start:end]]) for start, end in hits)

    return scan, normalize


def re2_set(patterns: list[tuple[str, int]], size: int = 100_000) -> tuple[Scan, Normalize]:
    """RE2's Set: which patterns occur in the input, without where (so no offsets to compare). One Set
    of all the patterns fails to compile ("failed to compile Set", whatever max_mem): sets of ``size``."""
    import re2

    options = re2.Options()
    options.max_mem = 4 << 30
    sets = []
    for first in range(0, len(patterns), size):
        regexes = re2.Set.SearchSet(options)
        for key, _ in patterns[first:first + size]:
            regexes.Add(re2.escape(key))
        regexes.Compile()
        sets.append((first, regexes))
    entries = [entry for _, entry in patterns]

    def scan(folded: str) -> list[int]:
        return [first + index for first, regexes in sets for index in regexes.Match(folded) or ()]

    def normalize(folded: str, hits: list[int]) -> Hits:
        return sorted((-1, -1, entries[index]) for index in hits)

    return scan, normalize


MATCHERS: dict[str, Callable[[list[tuple[str, int]]], tuple[Scan, Normalize]]] = {
    "pyahocorasick (per block, as now)": pyahocorasick,
    "marisa-trie (Tagger._matches)": marisa,
    "ahocorasick-rs (default)": ahocorasick_rs,
    "ahocorasick-rs (DFA)": lambda patterns: ahocorasick_rs(patterns, "DFA"),
    "ahocorasick-rs (ContiguousNFA)": lambda patterns: ahocorasick_rs(patterns, "ContiguousNFA"),
    "hyperscan (literals)": hyperscan_literals,
    "google-re2 (alternation)": re2_alternation,
    "google-re2 (Set, 100k patterns each)": re2_set,
}


def names_inputs(patterns: list[tuple[str, int]], count: int, per_input: int = 40) -> list[str]:
    """Inputs made of ``count`` patterns drawn at random (seeded), ``per_input`` of them side by side
    in each: every script the gazetteer has, and names that share their spaces and overlap."""
    import random

    keys = [key.strip() for key, _ in random.Random(18).sample(patterns, min(count, len(patterns)))]
    return [f" {' '.join(keys[first:first + per_input])} " for first in range(0, len(keys), per_input)]


def timed(scan: Scan, normalize: Normalize, inputs: list[str], repeat: int, runs: int) -> tuple[float, list[Hits]]:
    """The best time of ``runs`` scans of ``inputs`` ``repeat`` times, and the matches found."""
    best = float("inf")
    answers: list[Any] = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeat):
            answers = [scan(folded) for folded in inputs]
        best = min(best, time.perf_counter() - start)
    return best, [normalize(folded, answer) for folded, answer in zip(inputs, answers, strict=True)]


# Set before forking: each matcher is built and measured in a process of its own (forked with the
# patterns and inputs), so that the resident memory its build adds is its own.
_SHARED: dict[str, Any] = {}


def _measure(name: str) -> tuple[float, float, float, list[Hits], float, list[Hits]] | str:
    """In a child: build time, resident MB added, scan times and matches on both inputs (or an error)."""
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    try:
        scan, normalize = MATCHERS[name](_SHARED["patterns"])
    except Exception as exc:  # noqa: BLE001 - a candidate that cannot build is reported, not fatal
        return f"could not build: {type(exc).__name__}: {str(exc)[:120]}"
    built, memory = time.perf_counter() - start, rss_mb() - before
    repeat, runs = _SHARED["repeat"], _SHARED["runs"]
    seconds, found = timed(scan, normalize, _SHARED["inputs"], repeat, runs)
    names_seconds, names_found = timed(scan, normalize, _SHARED["names"], 1, runs)
    return built, memory, seconds, found, names_seconds, names_found


def _differ(found: list[Hits], reference: list[Hits]) -> int:
    return sum(len(set(mine) ^ set(theirs)) for mine, theirs in zip(found, reference, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: the settings' (GAZETTEER_DATABASE_URL)")
    parser.add_argument("--corpus", type=Path, nargs="*")
    parser.add_argument("--repeat", type=int, default=5, help="times the corpus is read in one run")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; the best is printed")
    parser.add_argument("--only", nargs="*", help="matchers whose name contains one of these words")
    parser.add_argument("--names", type=int, default=20_000,
                        help="patterns drawn at random as a second input, to compare the matches in every script")
    args = parser.parse_args()
    paths = args.corpus or sorted(EVAL.glob("*.jsonl")) or sorted((ROOT / "seeds").glob("*.txt"))
    texts = texts_of(paths)
    inputs = [folded for text in texts if (folded := automaton_input(text)) is not None]
    size = sum(len(t.encode("utf-8")) for t in texts) * args.repeat / 1e6
    folded_size = sum(len(f.encode("utf-8")) for f in inputs) * args.repeat / 1e6
    print(f"corpus: {len(texts)} texts ({', '.join(p.name for p in paths)}), x{args.repeat}: {size:.1f} MB of text, "
          f"{folded_size:.1f} MB of folded runs given to the matcher")

    gazetteer = Gazetteer.open(args.database_url)
    start = time.perf_counter()
    tagger = gazetteer.searcher().tagger()
    print(f"tagger built in {time.perf_counter() - start:.1f} s")
    if hasattr(tagger, "automata"):  # pyahocorasick automata, one per block
        patterns = sorted((key, entry) for automaton in tagger.automata.values() for key, entry in automaton.items())
    else:  # one marisa-trie of every pattern, the spaced ones and those of scripts without spaces
        patterns = sorted((key, entry) for key, entry in tagger.patterns.items() if key[:1] == " ")
    print(f"spaced patterns: {len(patterns)} (in {len({ord(k[1]) >> 7 for k, _ in patterns})} blocks), "
          f"{sum(len(k.encode('utf-8')) for k, _ in patterns) / 1e6:.1f} MB; "
          f"{sum(not k.isascii() for k, _ in patterns)} not ASCII; "
          f"{sum(not f.isascii() for f in inputs)} of {len(inputs)} inputs not ASCII\n")
    gazetteer.close()
    del tagger
    gc.collect()

    names = names_inputs(patterns, args.names)
    names_size = sum(len(n.encode("utf-8")) for n in names) / 1e6
    print(f"second input: {args.names} patterns drawn at random, side by side, {names_size:.1f} MB "
          f"({sum(not n.isascii() for n in names)} of {len(names)} inputs not ASCII)\n")
    print(f"{'matcher':<36}{'build s':>9}{'MB res.':>9}{'MB/s text':>11}{'MB/s runs':>11}{'matches':>10}{'differ':>8}"
          f"  |{'names MB/s':>11}{'matches':>10}{'differ':>8}")
    _SHARED.update(patterns=patterns, inputs=inputs, names=names, repeat=args.repeat, runs=args.runs)
    reference: list[Hits] | None = None
    names_reference: list[Hits] | None = None
    from gazetteer.tagger import Tagger

    for name in MATCHERS:
        if name.startswith("marisa") and not hasattr(Tagger, "_matches"):
            continue
        if args.only and not any(word.lower() in name.lower() for word in args.only):
            continue
        with multiprocessing.get_context("fork").Pool(1) as pool:
            measured = pool.apply(_measure, (name,))
        if isinstance(measured, str):
            print(f"{name:<36} {measured}", flush=True)
            continue
        built, memory, seconds, found, names_seconds, names_found = measured
        reference, names_reference = reference or found, names_reference or names_found
        print(f"{name:<36}{built:>9.1f}{memory:>9.0f}{size / seconds:>11.1f}{folded_size / seconds:>11.1f}"
              f"{sum(map(len, found)):>10}{_differ(found, reference):>8}  |{names_size / names_seconds:>11.1f}"
              f"{sum(map(len, names_found)):>10}{_differ(names_found, names_reference):>8}", flush=True)
    print("\n(differ: matches in one answer and not in the other, against pyahocorasick's; RE2's Set gives "
          "no offsets, so all of its answer differs)")


if __name__ == "__main__":
    main()
