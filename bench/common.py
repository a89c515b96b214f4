"""What the benchmarks share."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; 0 where unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def texts_of(paths: list[Path]) -> list[str]:
    """The texts of JSONL files (their ``text`` fields) and of plain text files."""
    texts: list[str] = []
    for path in paths:
        if path.suffix == ".jsonl":
            texts += [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
        else:
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def _spin(count: int) -> int:
    total = 0
    for number in range(count):
        total += number * number
    return total


def ceiling(runs: int = 3, count: int = 15_000_000) -> float:
    """The machine's two-process ceiling now: how much faster two processes do twice the work of one,
    for a pure-Python loop that shares nothing (this virtual machine's second core is not always there)."""
    best_one = best_two = float("inf")
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_spin, [1, 1])
        for _ in range(runs):
            start = time.perf_counter()
            _spin(count)
            best_one = min(best_one, time.perf_counter() - start)
            start = time.perf_counter()
            pool.map(_spin, [count, count])
            best_two = min(best_two, time.perf_counter() - start)
    return 2 * best_one / best_two
