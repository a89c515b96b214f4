"""Soak test of `gazetteer serve` on loopback: mixed traffic from many clients while, in turn, slow
clients hold connections, a worker is killed with SIGKILL, and `db init` loads changed data.

    python bench/soak.py                      # 60 s, 32 clients, the cities15000 base layer
    python bench/soak.py --seconds 30 --base-layer none   # the short run CI makes (tests/test_soak.py)

It builds its own database from a copy of data/ in a temporary folder, serves it on a free port with
`gazetteer serve` (2 workers), and prints the figures and each target: no failed request and no 5xx
from the normal clients, p99 <= 250 ms outside the reload and <= 1 s during it, the master alive at the
end, the new data version served after the reload. It exits 1 when a request failed, the master died or
the new data was not served (the latency targets are reported, not enforced: they depend on the machine's
load). Loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = str(Path(sys.executable).parent / "gazetteer")
TEXT = ("Azerbaijani forces entered Khankendi, which Armenians call Stepanakert, after talks in Baku and "
        "Yerevan. Refugees reached Goris; officials in Moscow and Washington called for calm in Nagorno-Karabakh.")
# What a normal client asks for: (weight, kind, method, path, JSON body or None).
MIX = [
    (6, "lookup", "GET", "/v1/lookup?q={name}", None),
    (3, "search", "GET", "/v1/search?q={name}&fuzzy=true", None),
    (4, "autocomplete", "GET", "/v1/autocomplete?q={prefix}", None),
    (2, "place", "GET", "/v1/places/stepanakert", None),
    (2, "reverse", "GET", "/v1/reverse?lat=40.18&lon=44.51", None),
    (3, "annotate", "POST", "/v1/annotate", {"text": TEXT}),
    (1, "report", "POST", "/v1/report", {"text": TEXT}),
    (1, "export", "GET", "/v1/export/geojson?kind=region", None),
    (1, "csv", "GET", "/v1/export/csv?country=AZ", None),
    (1, "nominatim", "GET", "/search?q={name}&format=jsonv2", None),
]
NAMES = ["Khankendi", "Stepanakert", "Xankəndi", "Shusha", "Derry", "Kyiv", "Kiev", "Crimea", "Tskhinvali",
         "Artsakh", "Sukhumi", "Pristina", "Jerusalem", "Baku", "Yerevan"]


@dataclass
class Sample:
    started: float  # seconds since the start of the run
    seconds: float
    kind: str
    status: int  # 0: no answer (an error)
    error: str = ""


@dataclass
class Run:
    port: int
    stop: threading.Event = field(default_factory=threading.Event)
    samples: list[Sample] = field(default_factory=list)
    retries: list[tuple[float, str, str]] = field(default_factory=list)  # (when, kind, error): asked again
    lock: threading.Lock = field(default_factory=threading.Lock)
    t0: float = field(default_factory=time.monotonic)
    slow_held: int = 0  # slow connections the server closed on them (after holding them a while)

    def now(self) -> float:
        return time.monotonic() - self.t0


def client(run: Run, seed: int, think: float) -> None:
    """A normal client: one keep-alive connection, requests from the mix with a pause between them. Like
    a browser or urllib3, it retries a request once on a new connection when its connection broke before
    any answer came (a kept-alive connection the server closed, or a worker killed while answering): every
    request here is safe to repeat."""
    rng = random.Random(seed)
    weights = [m[0] for m in MIX]
    conn = None
    run.stop.wait(rng.uniform(0, think))  # the clients arrive over the first pause, not all in one instant
    while not run.stop.is_set():
        _, kind, method, path, body = rng.choices(MIX, weights)[0]
        name = rng.choice(NAMES)
        path = path.format(name=quote(name), prefix=quote(name[: rng.randint(2, 4)]))
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload else {}
        started = run.now()
        status, error = 0, ""
        for attempt in range(2):
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", run.port, timeout=30)
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
                break
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
                if conn is not None:
                    conn.close()
                conn = None
                if attempt == 0:
                    with run.lock:
                        run.retries.append((run.now(), kind, error))
        with run.lock:
            run.samples.append(Sample(started, run.now() - started, kind, status, "" if status else error))
        run.stop.wait(rng.uniform(0.5, 1.5) * think)
    if conn is not None:
        conn.close()


def slow_client(run: Run, how: str) -> None:
    """A client that sends its headers a byte every two seconds ("headers"), or announces a body and
    sends half of it ("body"); it starts again whenever the server closes the connection."""
    while not run.stop.is_set():
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", run.port), timeout=60) as sock:
            if how == "headers":
                request = b"GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000 + b"\r\n\r\n"
                for byte in request:
                    if run.stop.wait(2.0):
                        return
                    sock.sendall(bytes([byte]))
            else:
                sock.sendall(b"POST /v1/annotate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 1000\r\n\r\n" + b'{"text": "' + b"a" * 400)
                sock.recv(65536)  # waits until the server gives up on the body
            with run.lock:
                run.slow_held += 1
        run.stop.wait(0.5)


def workers_of(master: int) -> list[int]:
    """The pids of the master's child processes (Linux /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    with contextlib.suppress(OSError):
        return [int(pid) for pid in children.read_text().split()]
    return []


def get_json(port: int, path: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the traffic (default 60)")
    parser.add_argument("--clients", type=int, default=32, help="normal clients (default 32)")
    parser.add_argument("--slow", type=int, default=4, help="slow clients (default 4)")
    parser.add_argument("--think", type=float, default=0.25,
                        help="a normal client's mean pause between requests, in seconds (default 0.25)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--base-layer", default="cities15000")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="gazetteer-soak-"))
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    (folder / "seeds").symlink_to(ROOT / "seeds")  # data/'s citations of seed articles are checked beside it
    env = dict(os.environ, GAZETTEER_DATABASE_URL=f"sqlite:///{folder / 'soak.sqlite3'}", GAZETTEER_DATA_DIR=str(data),
               GAZETTEER_BASE_LAYER=args.base_layer, GAZETTEER_SNAPSHOT_DIR=str(folder / "index"))
    env.pop("GAZETTEER_PUBLIC_URL", None)
    port = free_port()
    server = None
    try:
        started = time.monotonic()
        subprocess.run([GAZETTEER, "db", "init"], env=env, check=True, capture_output=True)
        print(f"database built in {time.monotonic() - started:.1f} s", file=sys.stderr)
        log = (folder / "serve.log").open("wb")
        server = subprocess.Popen([GAZETTEER, "serve", "--port", str(port), "--workers", str(args.workers)],
                                  env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError, ValueError):
                old_version = get_json(port, "/healthz")["data_version"]
                break
            if server.poll() is not None or time.monotonic() > deadline:
                print((folder / "serve.log").read_text(errors="replace")[-3000:], file=sys.stderr)
                print("FAIL: the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)

        run = Run(port)
        threads = [threading.Thread(target=client, args=(run, n, args.think), daemon=True) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        events: dict[str, float] = {}
        length = args.seconds
        # the schedule: slow clients from 10 % of the run to its end, a worker killed at 25 %, a reload at 40 %
        time.sleep(length / 10)
        events["slow clients"] = run.now()
        slow = [threading.Thread(target=slow_client, args=(run, "headers" if n % 2 == 0 else "body"), daemon=True)
                for n in range(args.slow)]
        for thread in slow:
            thread.start()
        time.sleep(max(0.0, length / 4 - run.now()))
        killed = workers_of(server.pid)[:1]
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        events["worker killed"] = run.now()
        time.sleep(max(0.0, length * 0.4 - run.now()))
        polygon = sorted((data / "polygons").glob("*.geojson"))[0]
        polygon.write_text(polygon.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new data version
        events["reload started"] = run.now()
        reload = subprocess.run([GAZETTEER, "db", "init"], env=env, capture_output=True, text=True)
        events["reload loaded"] = run.now()
        new_version = ""
        # the traffic goes on to the end of the run, and past it (up to 90 s) until the new data is served
        while run.now() < length or (not new_version and run.now() < length + 90):
            with contextlib.suppress(OSError, ValueError, KeyError):  # every worker's indexes on the new data
                versions = {get_json(port, "/healthz")["index_version"] for _ in range(4 * args.workers)}
                if len(versions) == 1 and old_version not in versions:
                    new_version = versions.pop()
                    events.setdefault("new version served", run.now())
            time.sleep(0.5)
        run.stop.set()
        traffic = run.now()
        for thread in threads:
            thread.join(timeout=40)
        master_alive = server.poll() is None
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)

    reload_from = events["reload started"]
    reload_to = events.get("new version served", events["reload loaded"]) + 5.0
    during = [s.seconds for s in run.samples if reload_from <= s.started <= reload_to]
    outside = [s.seconds for s in run.samples if not reload_from <= s.started <= reload_to]
    failed = [s for s in run.samples if s.status == 0 or s.status >= 500]
    figures = {
        "seconds of traffic": round(traffic, 1),
        "requests": len(run.samples), "requests per second": round(len(run.samples) / traffic, 1),
        "failed or 5xx": len(failed), "asked again on a new connection": len(run.retries),
        "asked again, when (s)": sorted({round(when, 1) for when, _, _ in run.retries}),
        "statuses": {str(k): sum(1 for s in run.samples if s.status == k) for k in sorted({s.status for s in run.samples})},
        "p50 ms": round(1000 * percentile(outside + during, 0.5), 1),
        "p99 ms outside the reload": round(1000 * percentile(outside, 0.99), 1),
        "p99 ms during the reload": round(1000 * percentile(during, 0.99), 1),
        "max ms": round(1000 * max((s.seconds for s in run.samples), default=0.0), 1),
        "p50/p99 ms by kind": {kind: (round(1000 * percentile(v, 0.5)), round(1000 * percentile(v, 0.99)))
                               for kind in dict.fromkeys(m[1] for m in MIX)
                               if (v := [s.seconds for s in run.samples if s.kind == kind])},
        "p99 ms by 5 s": [round(1000 * percentile([s.seconds for s in run.samples if b <= s.started < b + 5], 0.99))
                          for b in range(0, int(traffic), 5)],
        "slowest (kind, s into the run, ms)": [(s.kind, round(s.started, 1), round(1000 * s.seconds))
                                               for s in sorted(run.samples, key=lambda s: -s.seconds)[:8]],
        "slow connections closed by the server": run.slow_held,
        "events (s)": {k: round(v, 1) for k, v in events.items()},
        "reload exit status": reload.returncode, "master alive": master_alive,
        "old data version": old_version, "new data version served": new_version if new_version != old_version else "",
    }
    targets = {
        "no failed request and no 5xx": not failed,
        "p99 <= 250 ms outside the reload": figures["p99 ms outside the reload"] <= 250,
        "p99 <= 1 s during the reload": figures["p99 ms during the reload"] <= 1000,
        "master alive at the end": master_alive,
        "new data version served": bool(figures["new data version served"]) and reload.returncode == 0,
    }
    if args.json:
        print(json.dumps({"figures": figures, "targets": targets}, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
        for key, met in targets.items():
            print(f"{'met ' if met else 'MISS'}  {key}")
    for sample in failed[:10]:
        print(f"failed: {sample.kind} at {sample.started:.1f} s: {sample.status or sample.error}", file=sys.stderr)
    if reload.returncode:
        print(reload.stderr[-2000:], file=sys.stderr)
    enforced = ("no failed request and no 5xx", "master alive at the end", "new data version served")
    return 0 if all(targets[k] for k in enforced) else 1


if __name__ == "__main__":
    sys.exit(main())
