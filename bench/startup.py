"""Start-up time and memory: the CLI and the server, with the index snapshot and without.

    .venv/bin/python bench/startup.py [--database NAME=URL ...] [--runs 3] [--workers 1,4]

Each ``--database`` is measured on its own (default: the one in the settings, ``GAZETTEER_DATABASE_URL``);
build it first, for example ``GAZETTEER_BASE_LAYER=cities500 gazetteer --database-url URL db init``.
The snapshots are written to a temporary folder (``GAZETTEER_SNAPSHOT_DIR``), so the user's own are not
touched. For each database it prints:

- **build**: ``gazetteer lookup`` with no snapshot (it builds the index, saves it, and answers) and
  ``gazetteer annotate`` right after (it builds the tagger's tables);
- **cold**: ``lookup`` and ``annotate`` with the kernel asked first to drop the snapshot's files from the
  page cache (``posix_fadvise(DONTNEED)``), **warm**: the same with them in memory, the best
  of ``--runs``;
- for each: wall time, peak resident memory (RSS) and peak private memory (USS: pages no other process
  shares; the snapshot's mapped pages are shared), sampled every 5 ms from ``/proc``;
- **server**: ``gazetteer serve`` with 1 and with 4 workers: seconds from the command to the first answer
  of ``/v1/lookup``; then, after 40 lookups and 10 annotations (so that every worker has touched its
  data), the PSS (proportional set size: shared pages divided among the processes that map them) and USS
  of the master and the workers, summed; the target is 4 workers ≤ 1.5× the memory of 1;
- the index's bytes per place: the snapshot on disk, and the private memory of a warm lookup.

Targets on this machine: lookup ≤ 1.0 s, annotate ≤ 2.0 s, a server worker ready in ≤ 3 s, ≤ 300 MB
private memory per process, with the default base layer and with cities500.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.config import snapshot_root  # noqa: E402

GAZETTEER = str(Path(sys.executable).parent / "gazetteer")
ARTICLE = ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0]


def _memory(pid: int) -> tuple[float, float, float]:
    """(RSS, PSS, USS) of a process in MB, from /proc/PID/smaps_rollup (zeros once it has gone)."""
    values = {"Rss": 0, "Pss": 0, "Private_Clean": 0, "Private_Dirty": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values["Rss"] / 1024, values["Pss"] / 1024, (values["Private_Clean"] + values["Private_Dirty"]) / 1024


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS and peak USS (MB) of a command, sampled every 5 ms."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_uss = 0.0
    while process.poll() is None:
        rss, _, uss = _memory(process.pid)
        peak_rss, peak_uss = max(peak_rss, rss), max(peak_uss, uss)
        time.sleep(0.005)
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return wall, peak_rss, peak_uss


def drop_from_page_cache(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return int(response.status)


def serve(url: str, env: dict[str, str], workers: int) -> tuple[float, float, float, float]:
    """Seconds to the first answer, then total PSS and USS (MB) of master and workers after some traffic,
    and the master's share of the PSS."""
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen([GAZETTEER, "--database-url", url, "serve", "--port", str(port), "--workers",
                                str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if _get(f"{base}/v1/lookup?q=Khankendi") == 200:
                    break
            except OSError:
                if process.poll() is not None:
                    raise SystemExit("gazetteer serve exited") from None
                time.sleep(0.02)
        ready = time.perf_counter() - started
        text = ARTICLE.read_text(encoding="utf-8")
        for _ in range(10):  # enough requests that every worker answers some
            for name in ("Khankendi", "Stepanakert", "Shushi", "Kiev"):
                _get(f"{base}/v1/lookup?q={name}")
            _get(f"{base}/v1/annotate", {"text": text})
        master = process.pid  # `gazetteer serve` becomes gunicorn's master (exec)
        pids = [master, *_children(master)]
        if len(pids) != workers + 1:
            raise SystemExit(f"expected gunicorn's master and {workers} worker(s), found processes {pids}")
        memory = [_memory(pid) for pid in pids]
        return ready, sum(m[1] for m in memory), sum(m[2] for m in memory), memory[0][1]
    finally:
        process.terminate()
        process.wait(timeout=30)


def servers(url: str, env: dict[str, str], workers: list[int]) -> None:
    served = {}
    for count in workers:
        ready, pss, uss, master = serve(url, env, count)
        served[count] = pss
        print(f"server, {count} worker(s): first answer after {ready:.2f} s; PSS {pss:.0f} MB (master {master:.0f}), "
              f"USS {uss:.0f} MB, master and workers together")
    if len(served) > 1:
        low, high = min(served), max(served)
        print(f"{high} workers use {served[high] / served[low]:.2f}x the memory (PSS) of {low} (target <= 1.5x)")


def measure(name: str, url: str, runs: int, workers: list[int], cli: bool = True) -> None:
    snapshots = Path(tempfile.mkdtemp(prefix="gazetteer-bench-snapshots-"))
    env = dict(os.environ, GAZETTEER_SNAPSHOT_DIR=str(snapshots), GAZETTEER_DATABASE_URL=url)
    os.environ["GAZETTEER_SNAPSHOT_DIR"] = str(snapshots)
    gaz = Gazetteer.open(url)
    status = gaz.status()
    print(f"\n## {name}: {status.places:,} places, {status.name_claims:,} name claims ({url})")
    lookup = [GAZETTEER, "lookup", "Khankendi"]
    annotate = [GAZETTEER, "annotate", str(ARTICLE)]
    row = "{:<34} {:>7.2f} s {:>8.0f} MB RSS {:>8.0f} MB USS"
    try:
        if not cli:  # the server only: the snapshot is built first, unmeasured
            run(annotate, env)
            servers(url, env, workers)
            return
        print(row.format("build: lookup (index)", *run(lookup, env)))
        print(row.format("build: annotate (tagger tables)", *run(annotate, env)))
        folder = snapshot_root(url, snapshots)
        for label, command in (("lookup", lookup), ("annotate", annotate)):
            drop_from_page_cache(folder)
            print(row.format(f"cold: {label}", *run(command, env)))
            best = min((run(command, env) for _ in range(runs)), key=lambda r: r[0])
            print(row.format(f"warm: {label} (best of {runs})", *best))
        on_disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        _, _, uss = run(lookup, env)
        print(f"index per place: {on_disk / status.places:,.0f} bytes on disk (snapshot {on_disk / 1e6:.0f} MB); "
              f"a warm lookup's private memory {uss * 1e6 / status.places:,.0f} bytes per place")
        servers(url, env, workers)
    finally:
        gaz.close()
        shutil.rmtree(snapshots, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", action="append", default=[], metavar="NAME=URL",
                        help="a database to measure (repeat); default: GAZETTEER_DATABASE_URL or the default one")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1,4", help="server worker counts to measure (comma-separated)")
    parser.add_argument("--server-only", action="store_true", help="measure only the server")
    args = parser.parse_args()
    databases = [item.split("=", 1) for item in args.database] or [
        ["default", Gazetteer.open().settings.database_url]]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {ARTICLE.name} ({ARTICLE.stat().st_size:,} bytes)")
    for name, url in databases:
        measure(name, url, args.runs, [int(w) for w in args.workers.split(",")], cli=not args.server_only)


if __name__ == "__main__":
    main()
