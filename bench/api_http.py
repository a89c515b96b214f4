"""HTTP benchmark: the API under gunicorn against the framework's ceiling, in one run.

    .venv/bin/python bench/api_http.py [--database-url URL] [--seconds 5] [--clients 16] [--workers 2] [--threads 8]

Starts two gunicorn servers with the same workers on free loopback ports — the worker class and threads
`gazetteer serve` uses (`--threads 0`: gunicorn's sync workers) — this API, and a trivial Flask app
whose one endpoint returns a constant (the ceiling of Flask + gunicorn on this machine). A load
generator in this process (threads, one new connection per request) keeps ``--clients`` requests in
flight for ``--seconds`` on each endpoint and prints requests/s and p50/p99 latency for ``GET /v1/lookup``, ``GET /search`` and
``POST /v1/annotate`` (a seed article), and the lookup's share of the ceiling.
Target: lookup >= 60% of the ceiling, p99 <= 20 ms at 16 clients.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = '''
from flask import Flask, jsonify
app = Flask(__name__)

@app.get("/ping")
def ping():
    return jsonify({"ok": True})
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(app: str, port: int, workers: int, threads: int, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    worker = ["--worker-class", "api.server.Worker", "--threads", str(threads)] if threads else []
    process = subprocess.Popen([gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *worker,
                                "--preload", "--no-control-socket", "--log-level", "warning", app], env=env, cwd=cwd)
    deadline = time.time() + 120
    while time.time() < deadline:  # the API's workers build their indexes before answering
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/healthz" if "api" in app else "/ping")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"{app} did not start")


def load(port: int, method: str, path: str, body: bytes | None, seconds: float, clients: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    errors: list[int] = []
    stop = time.perf_counter() + seconds
    headers = {"Content-Type": "application/json"} if body is not None else {}

    def client() -> None:
        mine: list[float] = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                errors.append(response.status)
            mine.append(time.perf_counter() - started)
        latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    if errors:
        raise SystemExit(f"{method} {path}: {len(errors)} non-200 answers, e.g. {errors[0]}")
    return len(latencies) / elapsed, latencies


def report(name: str, rate: float, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    print(f"{name:<32}{rate:>9.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   ({len(ordered)} requests)",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (0: gunicorn's sync workers)")
    args = parser.parse_args()

    temporary = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{temporary.name}/bench.sqlite3"
    Path(temporary.name, "trivial_app.py").write_text(TRIVIAL)
    env = dict(os.environ, GAZETTEER_DATABASE_URL=url, PYTHONPATH=str(ROOT), GAZETTEER_WARM="1")
    api_port, trivial_port = free_port(), free_port()
    kind = f"threaded workers of {args.threads} threads" if args.threads else "sync workers"
    print(f"gunicorn, {args.workers} {kind} each; {args.clients} clients; {args.seconds:g} s per endpoint; "
          f"database {url}", flush=True)
    api = start("api:create_app()", api_port, args.workers, args.threads, env, ROOT)
    trivial = start("trivial_app:app", trivial_port, args.workers, args.threads, env, Path(temporary.name))
    try:
        seed = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
        ceiling, latencies = load(trivial_port, "GET", "/ping", None, args.seconds, args.clients)
        report("trivial Flask endpoint (ceiling)", ceiling, latencies)
        rate, latencies = load(api_port, "GET", "/v1/lookup?q=" + quote("Ханкенди"), None, args.seconds, args.clients)
        report("GET /v1/lookup", rate, latencies)
        lookup_rate, lookup_latencies = rate, latencies
        rate, latencies = load(api_port, "GET", "/search?q=Stepanakert&format=json", None, args.seconds, args.clients)
        report("GET /search (Nominatim)", rate, latencies)
        rate, latencies = load(api_port, "POST", "/v1/annotate", json.dumps({"text": seed}).encode(), args.seconds,
                               args.clients)
        report(f"POST /v1/annotate ({len(seed)} chars)", rate, latencies)
        p99 = sorted(lookup_latencies)[int(len(lookup_latencies) * 0.99)] * 1000
        print(f"\nlookup at {lookup_rate / ceiling:.0%} of the ceiling (target 60%); lookup p99 {p99:.1f} ms "
              f"(target 20 ms)")
    finally:
        for process in (api, trivial):
            process.terminate()
            process.wait(timeout=30)
        temporary.cleanup()


if __name__ == "__main__":
    main()
