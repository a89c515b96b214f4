"""Benchmark of bulk annotation: one process against a local Dask cluster of two workers, in one run.

    .venv/bin/python bench/bulk.py [--database-url URL] [--size-mb 200] [--partition-size 1000] [--keep DIR]

It writes a JSONL corpus of about ``--size-mb`` MB of text (default 200) into a temporary folder, made
of the development texts (``../shared/eval/*.jsonl``, read at run time; the seed articles when they
are absent) repeated under fresh ids, and tags it twice, each time into partitioned Parquet:

- by one process: ``BulkJob.run`` without a client (the same reading, partitions, tagging and Parquet
  writing as on the cluster, all in this process);
- by a local Dask cluster of 2 worker processes with a thread each (``gazetteer bulk --workers 2``);
  starting the cluster is not timed, the workers opening the gazetteer (its index snapshot) is.

It prints MB/s for each (UTF-8 bytes of text per second of wall-clock time), and the machine's
two-process ceiling measured just before and just after the Dask run: how much faster two processes
do twice the work of one pure-Python loop that shares nothing, at that moment (this virtual machine's
second core is not always all there). The figure of merit is Dask / (ceiling x one process), the
share of the parallel speed-up the machine offers that the cluster gets; the target is >= 0.85.
Both outputs are checked to be the same rows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import ceiling, rss_mb, texts_of  # noqa: E402

from gazetteer import Gazetteer, Settings, bulk  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def write_corpus(path: Path, texts: list[str], size_mb: float) -> tuple[int, float]:
    """Repeat the texts under fresh ids until ``size_mb`` MB of text are written: (documents, MB)."""
    written = documents = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < size_mb * 1e6:
            for text in texts:
                handle.write(json.dumps({"id": f"d{documents}", "text": text}, ensure_ascii=False) + "\n")
                documents += 1
                written += len(text.encode("utf-8"))
                if written >= size_mb * 1e6:
                    break
    return documents, written / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a database built from data/ in a temporary folder")
    parser.add_argument("--size-mb", type=float, default=200.0, help="MB of text in the corpus (default 200)")
    parser.add_argument("--partition-size", type=int, default=bulk.DEFAULT_PARTITION_SIZE)
    parser.add_argument("--keep", type=Path, help="write the corpus and the outputs here instead of a temporary folder")
    args = parser.parse_args()

    temporary = tempfile.TemporaryDirectory(prefix="gazetteer-bulk-bench-")
    work = args.keep or Path(temporary.name)
    work.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    gazetteer = Gazetteer.open(url, settings=Settings.from_env(database_url=url, base_layer="cities15000"), build=True)
    start = time.perf_counter()
    gazetteer.searcher().tagger()
    print(f"index + tagger: {time.perf_counter() - start:.1f} s ({rss_mb():.0f} MB resident)")

    paths = sorted(EVAL.glob("*.jsonl")) or sorted((ROOT / "seeds").glob("*.txt"))
    corpus = work / "corpus.jsonl"
    documents, size = write_corpus(corpus, texts_of(paths), args.size_mb)
    print(f"corpus: {documents:,} documents, {size:.1f} MB of text ({', '.join(p.name for p in paths)} repeated)")

    def run(name: str, client: object, output: Path) -> float:
        job = bulk.BulkJob.prepare([corpus], output, gazetteer=gazetteer, partition_size=args.partition_size,
                                   overwrite=True)
        cpu = os.times()
        try:
            summary = job.run(client, gazetteer=gazetteer)  # type: ignore[arg-type]
        finally:
            job.close()
        used = (os.times().user - cpu.user) + (os.times().system - cpu.system)
        assert summary.complete and summary.documents == documents, summary
        speed = size / summary.seconds
        print(f"{name:<34}{speed:>8.2f} MB/s {summary.seconds:>8.1f} s {summary.mentions:>10,} mentions "
              f"{summary.partitions:>5} partitions; this process {used / summary.seconds:.0%} of a core", flush=True)
        return speed

    one = run("one process", None, work / "one")
    with bulk.dask_client(workers=2, dashboard_address=":0") as client:
        before = ceiling()
        print(f"two-process ceiling before:      {before:.2f}x")
        two = run("Dask, local cluster of 2 workers", client, work / "dask")
        after = ceiling()
        print(f"two-process ceiling after:       {after:.2f}x")
    same = _rows(work / "one") == _rows(work / "dask")
    print(f"outputs identical: {same}")
    machine = (before + after) / 2
    print(f"\nDask / one process: {two / one:.2f}x; the machine's ceiling {machine:.2f}x; "
          f"Dask / (ceiling x one process) = {two / (machine * one):.1%} (target 85%)")
    gazetteer.close()
    temporary.cleanup()
    if not same:
        raise SystemExit("the two outputs differ")


def _rows(directory: Path) -> tuple[object, object]:
    """Both tables, sorted by document id and offsets (as one Arrow table each, compared with ==)."""
    import pyarrow.parquet as pq

    mentions = pq.read_table(directory / "mentions").sort_by([("document_id", "ascending"), ("start", "ascending"),
                                                              ("end", "ascending")])
    documents = pq.read_table(directory / "documents").sort_by([("id", "ascending")])
    return mentions.combine_chunks(), documents.combine_chunks()


if __name__ == "__main__":
    main()
