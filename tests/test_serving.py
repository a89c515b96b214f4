"""Staying up: `gazetteer serve` under slow clients, a killed worker and a data reload; `db init` beside
readers, on a read-only database and a full disk; 503 until the data is ready. Through the server, the
CLI and the Python API, as an operator meets them."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api import create_app
from gazetteer import Gazetteer

from .conftest import BACKENDS, DATA, SEEDS, settings_for

GAZETTEER = str(Path(sys.executable).parent / "gazetteer")


def _env(folder: Path, data: Path) -> dict[str, str]:
    env = dict(os.environ, GAZETTEER_DATABASE_URL=f"sqlite:///{folder / 'gazetteer.sqlite3'}",
               GAZETTEER_DATA_DIR=str(data), GAZETTEER_BASE_LAYER="none", GAZETTEER_SNAPSHOT_DIR=str(folder / "index"),
               HOME=str(folder / "home"))
    env.pop("XDG_RUNTIME_DIR", None)  # where gunicorn would put a control socket, with HOME
    return env


def _copy_data(folder: Path) -> Path:
    shutil.copytree(DATA, folder / "data")
    (folder / "seeds").symlink_to(SEEDS)
    return folder / "data"


def _change(data: Path) -> None:
    """A new data version (the same content)."""
    polygon = sorted((data / "polygons").glob("*.geojson"))[0]
    polygon.write_text(polygon.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _cli(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run([GAZETTEER, *args], env=env, capture_output=True, text=True, timeout=300, **kwargs)


def _version(env: dict[str, str]) -> str:
    result = _cli(env, "db", "status")
    assert result.returncode == 0, result.stderr
    return re.search(r"data_version: (\S+)", result.stdout).group(1)  # type: ignore[union-attr]


def _build(folder: Path) -> dict[str, str]:
    env = _env(folder, _copy_data(folder))
    result = _cli(env, "db", "init")
    assert result.returncode == 0, result.stderr
    return env


@pytest.fixture()
def database(tmp_path: Path) -> dict[str, str]:
    """A built SQLite database (curated layer only) on a copy of data/; its environment for the CLI."""
    return _build(tmp_path)


class Server:
    def __init__(self, env: dict[str, str], folder: Path, ready: int = 200) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.env = env
        self.log = folder / "serve.log"
        self.process = subprocess.Popen(
            [GAZETTEER, "serve", "--port", str(self.port), "--workers", "2", "--threads", "4",
             "--header-timeout", "3", "--idle-timeout", "3"],
            env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError):
                if self.get("/healthz")[0] == ready:
                    return
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)

    def get(self, path: str, timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def raw(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        """Send bytes as they are; the answer's status, headers and body."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:])
        return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture()
def server(tmp_path: Path, database: dict[str, str]) -> Iterator[Server]:
    """A server of its own, for a test that kills a worker or reloads the data."""
    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs Linux /proc to find gunicorn's workers")
    served = Server(database, tmp_path)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server the tests that only send requests share."""
    folder = tmp_path_factory.mktemp("served")
    served = Server(_build(folder), folder)
    yield served
    served.stop()


def _slow_connection(port: int) -> socket.socket:
    """A connection that has sent the first bytes of a request's headers and then goes quiet."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
    return sock


def _closed_by_server(sock: socket.socket) -> bool:
    try:
        sock.recv(65536)  # returns on an answer or the end of the connection; times out on neither
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


# -- slow clients -------------------------------------------------------------------------------

def test_db_status_warns_when_the_data_files_changed_since_the_load(database: dict[str, str]) -> None:
    """A database loaded from older data files (or by another release) still serves; `db status` says which
    version it holds and which `db init` would load, until it is loaded again."""
    assert "warning" not in _cli(database, "db", "status").stderr
    before = _version(database)
    _change(Path(database["GAZETTEER_DATA_DIR"]))
    result = _cli(database, "db", "status")
    assert result.returncode == 0 and f"data_version: {before}" in result.stdout
    assert f"warning: the database holds data version {before}" in result.stderr
    assert "run `gazetteer db init`" in result.stderr
    assert _cli(database, "db", "init").returncode == 0
    assert "warning" not in _cli(database, "db", "status").stderr
    assert _version(database) != before

def test_slow_clients_cannot_take_every_thread(shared_server: Server) -> None:
    """More connections stalled in their headers than the server has threads (2 workers x 4): the
    others are still answered, and the stalled ones are closed after the header timeout."""
    stalled = [_slow_connection(shared_server.port) for _ in range(10)]
    try:
        time.sleep(0.5)
        for _ in range(6):
            status, _, body = shared_server.get("/v1/lookup?q=Khankendi&limit=1")
            assert status == 200 and json.loads(body)["results"][0]["id"] == "stepanakert"
        assert all(_closed_by_server(sock) for sock in stalled)
    finally:
        for sock in stalled:
            sock.close()


def test_a_body_shorter_than_its_length_is_given_up(shared_server: Server) -> None:
    with socket.create_connection(("127.0.0.1", shared_server.port), timeout=30) as sock:
        sock.sendall(b"POST /v1/annotate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{\"text\": \"Baku")
        answer = sock.recv(65536)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4")  # dropped, or a 4xx; never held for ever
    assert shared_server.get("/v1/lookup?q=Baku")[0] == 200


# -- errors gunicorn answers itself ---------------------------------------------------------------
@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET /v1/lookup?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414),
    (b"GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
    (b"GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(150)) + b"\r\n", 431),
    (b"NONSENSE\r\n\r\n", 400),
], ids=["uri-too-long", "header-too-large", "too-many-headers", "bad-request-line"])
def test_requests_gunicorn_refuses_get_problem_json(shared_server: Server, request_bytes: bytes, status: int) -> None:
    answered, headers, body = shared_server.raw(request_bytes)
    assert answered == status
    assert headers["content-type"] == "application/problem+json"
    assert headers["x-content-type-options"] == "nosniff"
    assert json.loads(body)["status"] == status


def test_a_malformed_chunked_body_is_400_and_gets_one_answer(shared_server: Server) -> None:
    status, headers, body = shared_server.raw(
        b"POST /v1/annotate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
    assert status == 400 and headers["content-type"] == "application/problem+json"
    # a body the app does not read (GET /healthz): its answer, and then the connection is closed, no second one
    status, _, body = shared_server.raw(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                                        b"\r\nzz\r\n")
    assert status == 200 and b"HTTP/1.1" not in body


def test_serve_starts_on_an_unreachable_database_and_answers_503(tmp_path: Path) -> None:
    env = _env(tmp_path, DATA)
    env["GAZETTEER_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"  # nothing listens on port 1
    served = Server(env, tmp_path, ready=503)
    try:
        status, headers, body = served.get("/v1/lookup?q=Baku")
        assert status == 503 and headers["content-type"] == "application/problem+json"
        assert int(headers["retry-after"]) > 0 and "cannot reach the database" in json.loads(body)["detail"]
        assert "Traceback" not in served.log.read_text()
    finally:
        served.stop()


# -- a killed worker ------------------------------------------------------------------------------
def test_a_killed_worker_is_replaced_and_the_master_keeps_serving(server: Server) -> None:
    before = server.workers()
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 30
    while len(set(server.workers()) - set(before)) < 1:
        assert time.monotonic() < deadline, "no new worker"
        time.sleep(0.2)
    assert server.process.poll() is None
    assert all(server.get("/v1/lookup?q=Baku")[0] == 200 for _ in range(8))


def test_serve_opens_no_control_socket_another_service_would_share(server: Server) -> None:
    # gunicorn's default is one socket per user, ~/.gunicorn/gunicorn.ctl, whoever runs it
    assert server.get("/healthz")[0] == 200
    server.stop()  # gunicorn starts it in the background: by the time it stops, it would have
    assert not (Path(server.env["HOME"]) / ".gunicorn").exists()
    assert "Control socket" not in server.log.read_text()


# -- reloading the data while serving -----------------------------------------------------------------
def test_db_init_while_serving_fails_no_request_and_the_new_data_is_served(server: Server) -> None:
    old = json.loads(server.get("/healthz")[2])["index_version"]
    answers: list[int | str] = []
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            try:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
                conn.request("POST", "/v1/annotate", body=json.dumps({"text": "From Baku to Khankendi."}),
                             headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                answers.append(response.status)
                conn.request("GET", "/v1/places/stepanakert")
                response = conn.getresponse()
                response.read()
                answers.append(response.status)
                conn.close()
            except (OSError, http.client.HTTPException) as exc:
                answers.append(repr(exc))

    probers = [threading.Thread(target=probe) for _ in range(3)]
    for thread in probers:
        thread.start()
    try:
        _change(Path(server.env["GAZETTEER_DATA_DIR"]))
        result = _cli(server.env, "db", "init")
        assert result.returncode == 0, result.stderr
        new = _version(server.env)
        assert new != old
    finally:
        stop.set()
        for thread in probers:
            thread.join()
    assert answers and set(answers) == {200}, [a for a in answers if a != 200][:5]
    os.kill(server.workers()[0], signal.SIGKILL)  # after the file was replaced: its successor boots and serves it
    deadline = time.monotonic() + 60
    served: set[str] = set()
    while served != {new}:
        assert time.monotonic() < deadline, f"the workers did not take up the new data: {served}"
        time.sleep(0.5)
        with contextlib.suppress(OSError):  # (a connection the killed worker had just accepted)
            served = {json.loads(server.get("/healthz")[2])["index_version"] for _ in range(8)}
    assert server.process.poll() is None


# -- db init: beside readers, read-only, disk full ----------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_readers_see_the_old_data_or_the_new_never_an_error(backend: str, database_factory, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    url = database_factory(backend)
    # SQLite with the default base layer: a transaction that large spills its cache and locks readers out
    # (the defect this guards against: 500 "database is locked" for half a minute); PostgreSQL never does
    settings = settings_for(url, data_dir=data_copy, base_layer="cities15000" if backend == "sqlite" else "none")
    Gazetteer.open(settings=settings, build=True).close()
    reader = Gazetteer.open(settings=settings)
    old = reader.status().data_version
    errors: list[BaseException] = []
    versions: set[str] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                versions.add(reader.status().data_version)
                assert reader.place("stepanakert").label
                assert reader.lookup("Khankendi")[0].id == "stepanakert"
            except BaseException as exc:  # noqa: BLE001 - any error is the failure this test looks for
                errors.append(exc)
                return

    thread = threading.Thread(target=read)
    thread.start()
    try:
        _change(data_copy)
        report = Gazetteer.open(settings=settings).init()
        time.sleep(0.5)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert reader.status().data_version == report.data_version != old
    assert versions <= {old, report.data_version}


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """``path`` made read-only, for root too (the immutable attribute) where chattr works."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root where chattr +i does not work: nothing can be made read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_db_init_on_a_read_only_database_says_so_and_changes_nothing(tmp_path: Path, database: dict[str, str],
                                                                    what: str) -> None:
    _change(Path(database["GAZETTEER_DATA_DIR"]))
    before = _version(database)
    target = tmp_path / "gazetteer.sqlite3" if what == "file" else tmp_path
    with _read_only(target):
        result = _cli(database, "db", "init")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"error: (the database .* is read-only|cannot write the new database)", result.stderr), result.stderr
    assert "the old data is unchanged" in result.stderr or "nothing was changed" in result.stderr
    assert _version(database) == before


def test_db_init_on_a_full_disk_says_so_and_leaves_the_old_data(tmp_path: Path, database: dict[str, str]) -> None:
    _change(Path(database["GAZETTEER_DATA_DIR"]))
    before = _version(database)

    def small_disk() -> None:  # a file may not grow past 256 KB: as a full disk does, writes fail
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    result = _cli(database, "db", "init", preexec_fn=small_disk)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot write the new database" in result.stderr and "the old data is unchanged" in result.stderr
    assert _version(database) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".gazetteer")) == []


def test_db_init_keeps_the_files_mode_and_removes_what_a_killed_run_left(tmp_path: Path,
                                                                         database: dict[str, str]) -> None:
    path = tmp_path / "gazetteer.sqlite3"
    path.chmod(0o640)
    leftover = tmp_path / ".gazetteer.sqlite3.new-999999999"  # no such process
    leftover.write_bytes(b"x" * 1000)
    _change(Path(database["GAZETTEER_DATA_DIR"]))
    assert _cli(database, "db", "init").returncode == 0
    assert path.stat().st_mode & 0o777 == 0o640
    assert not leftover.exists()


def test_lookup_during_db_init_answers(database: dict[str, str]) -> None:
    """Loading the default base layer is a transaction large enough to lock SQLite readers out, were it
    made on the live file."""
    _change(Path(database["GAZETTEER_DATA_DIR"]))
    loading = subprocess.Popen([GAZETTEER, "--base-layer", "cities15000", "db", "init", "--no-snapshot"], env=database,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = []
    while loading.poll() is None or not results:
        results.append(_cli(database, "lookup", "Khankendi"))
    assert loading.wait() == 0
    for result in results:
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert "stepanakert" in result.stdout


# -- 503 until the data is ready -----------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_app_starts_on_no_data_and_answers_503_until_it_is_loaded(backend: str, database_factory) -> None:  # type: ignore[no-untyped-def]
    url = database_factory(backend)
    app = create_app({"DATABASE_URL": url, "BUILD": False, "WARM": True, "TESTING": True,
                      "BASE_LAYER": "none"})  # no exception: a worker never exits at boot for want of data
    client = app.test_client()
    response = client.get("/v1/lookup?q=Baku")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/healthz").status_code == 503
    Gazetteer.open(settings=settings_for(url, base_layer="none")).init()
    assert client.get("/v1/lookup?q=Khankendi").get_json()["results"][0]["id"] == "stepanakert"


def test_base_layer_exports_at_once_are_capped_per_worker(loaded_url: str) -> None:
    client = create_app({"DATABASE_URL": loaded_url, "TESTING": True}).test_client()
    first = client.get("/v1/export/geojson?base=true", buffered=False)
    assert first.status_code == 200
    next(iter(first.response))  # the stream has begun
    second = client.get("/v1/export/csv?base=true")
    assert second.status_code == 503
    assert second.mimetype == "application/problem+json" and int(second.headers["Retry-After"]) > 0
    assert client.get("/v1/export/csv?country=AM").status_code == 200  # curated exports are not held back
    first.close()
    third = client.get("/v1/export/csv?base=true", buffered=False)
    assert third.status_code == 200
    third.close()
