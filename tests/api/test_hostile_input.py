"""Bodies a hostile or careless client sends: JSON nested thousands deep, lone surrogates, bodies over
the size limit (chunked, or announced by a Content-Length the client then sends whole), texts whose
answer would be hundreds of megabytes. Each gets a 4xx problem+json saying what is wrong; through the
Flask test client, and against a real gunicorn server (each worker class) where the server matters."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from api import create_app, spec
from tests.conftest import DATA, REPO

BODY_PATHS = ["/v1/annotate", "/v1/annotate/batch", "/v1/report"]


@pytest.fixture(scope="module")
def client(loaded_url: str) -> Iterator[FlaskClient]:
    app = create_app({"DATABASE_URL": loaded_url, "TESTING": True})  # the real limits of api.spec
    yield app.test_client()
    app.extensions["gazetteer"].close()


def _problem(response: object, status: int) -> str:
    """The detail of a problem document with this status (asserting that it is one)."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]  # type: ignore[attr-defined]
    assert response.mimetype == "application/problem+json"  # type: ignore[attr-defined]
    body = response.get_json()  # type: ignore[attr-defined]
    assert body["status"] == status
    return body["detail"]  # type: ignore[no-any-return]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# -- JSON nested deep (was a RecursionError: 500) ----------------------------------------------------
@pytest.mark.parametrize("path", BODY_PATHS)
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_thousands_deep_is_400(client: FlaskClient, path: str, depth: int) -> None:
    for body in (_nested(depth), '{"text": "Baku", "near": ' + _nested(depth) + "}",
                 '{"documents": [{"id": 1, "text": "Baku", "extra": ' + _nested(depth) + "}]}"):
        detail = _problem(client.post(path, data=body, content_type="application/json"), 400)
        assert f"nested more than {spec.MAX_JSON_DEPTH}" in detail


def test_json_nested_a_little_is_still_read(client: FlaskClient) -> None:
    extra = {"a": [[{"b": [1]}]]}
    response = client.post("/v1/annotate/batch", json={"documents": [{"id": 1, "text": "Baku", "meta": extra}]})
    assert response.status_code == 200 and response.get_json()["documents"][0]["mentions"][0]["id"] == "baku"


# -- lone surrogates (no character: an answer echoing one cannot be written as UTF-8) ----------------
@pytest.mark.parametrize(("path", "body", "where"), [
    ("/v1/annotate", '{"text": "Baku \\ud800 Yerevan"}', "text has a lone surrogate (U+D800) at offset 5"),
    ("/v1/report", '{"text": "Baku \\udfff"}', "text has a lone surrogate (U+DFFF) at offset 5"),
    ("/v1/annotate/batch", '{"documents": [{"id": "a", "text": "Baku"}, {"id": "\\ud83d", "text": "Baku"}]}',
     "documents/1/id has a lone surrogate (U+D83D) at offset 0"),
    ("/v1/annotate/batch", '{"documents": [{"id": "a", "text": "Baku \\ud800"}]}',
     "documents/0/text has a lone surrogate"),
])
def test_a_lone_surrogate_is_400(client: FlaskClient, path: str, body: str, where: str) -> None:
    detail = _problem(client.post(path, data=body, content_type="application/json"), 400)
    assert where in detail and "UTF-8" in detail
    # the same character as raw bytes (UTF-8 encoded, which is not UTF-8): 400 too
    raw = body.encode().replace(b"\\ud800", "\ud800".encode("utf-8", "surrogatepass"))
    assert client.post(path, data=raw, content_type="application/json").status_code == 400


def test_a_surrogate_pair_is_one_character_and_fine(client: FlaskClient) -> None:
    response = client.post("/v1/annotate", data='{"text": "\\ud83d\\ude00 Baku"}', content_type="application/json")
    assert response.status_code == 200 and response.get_json()["mentions"][0]["start"] == 2


# -- the body limit, chunked ------------------------------------------------------------------------
def _padded(size: int) -> bytes:
    """A well-formed body of ``size`` bytes: one short text, then spaces."""
    head = json.dumps({"text": "Baku"}).encode()
    return head + b" " * (size - len(head))


CHUNKED = {"headers": {"Transfer-Encoding": "chunked"}, "environ_overrides": {"wsgi.input_terminated": True},
           "content_type": "application/json"}  # as gunicorn hands a chunked body to the app


def test_a_chunked_body_over_the_limit_is_413(client: FlaskClient) -> None:
    detail = _problem(client.post("/v1/annotate", data=_padded(spec.MAX_BODY_BYTES + 1), **CHUNKED), 413)
    assert f"{spec.MAX_BODY_BYTES:,} bytes" in detail
    assert client.post("/v1/annotate", data=_padded(spec.MAX_BODY_BYTES), **CHUNKED).status_code == 200
    detail = _problem(client.post("/v1/annotate", data=_padded(spec.MAX_BODY_BYTES + 1),
                                  content_type="application/json"), 413)
    assert f"{spec.MAX_BODY_BYTES:,} bytes" in detail


# -- answers too large to make: mentions per answer -------------------------------------------------
def test_more_mentions_than_an_answer_may_hold_is_422(client: FlaskClient) -> None:
    text = "Baku " * (spec.MAX_MENTIONS + 1)
    detail = _problem(client.post("/v1/annotate", json={"text": text}), 422)
    assert f"{spec.MAX_MENTIONS + 1:,} place mentions" in detail and f"{spec.MAX_MENTIONS:,}" in detail
    assert "split" in detail and "gazetteer annotate" in detail
    _problem(client.post("/v1/annotate", json={"text": text, "report": True}), 422)
    # as many as the limit: answered; geojson has one feature per place, whatever the mentions
    response = client.post("/v1/annotate", json={"text": "Baku " * spec.MAX_MENTIONS})
    assert response.status_code == 200 and len(response.get_json()["mentions"]) == spec.MAX_MENTIONS
    response = client.post("/v1/annotate", json={"text": text, "format": "geojson"})
    assert response.status_code == 200 and len(response.get_json()["features"]) == 1


def test_an_answer_larger_than_the_byte_limit_is_422(client: FlaskClient) -> None:
    """Few enough mentions, but of a place with many names (each mention lists them): too many bytes."""
    one = len(client.post("/v1/annotate", json={"text": "Kyiv."}).data)
    count = min(spec.MAX_MENTIONS, spec.MAX_ANSWER_BYTES // one + 1000)
    assert one * count > spec.MAX_ANSWER_BYTES
    detail = _problem(client.post("/v1/annotate", json={"text": "Kyiv. " * count}), 422)
    assert f"{spec.MAX_ANSWER_BYTES:,}" in detail and "bytes" in detail and "split" in detail
    assert client.post("/v1/annotate", json={"text": "Kyiv. " * 100}).status_code == 200


def test_a_batch_counts_the_mentions_of_all_its_documents(client: FlaskClient) -> None:
    share = spec.MAX_MENTIONS // 3 + 1
    documents = [{"id": i, "text": "Baku " * share} for i in range(3)]
    detail = _problem(client.post("/v1/annotate/batch", json={"documents": documents}), 422)
    assert f"{spec.MAX_MENTIONS:,}" in detail and "gazetteer bulk" in detail
    response = client.post("/v1/annotate/batch", json={"documents": documents[:2]})
    assert response.status_code == 200 and [len(d["mentions"]) for d in response.get_json()["documents"]] == [share] * 2


def test_the_openapi_document_states_the_limits(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    assert f"{spec.MAX_MENTIONS:,} mentions" in document["info"]["description"]
    for path in ("/v1/annotate", "/v1/annotate/batch"):
        operation = document["paths"][path]["post"]
        assert f"{spec.MAX_MENTIONS:,} mentions" in operation["description"]
        assert "mentions" in operation["responses"]["422"]["description"]
        assert "chunks" in operation["responses"]["413"]["description"]
        assert f"{spec.MAX_JSON_DEPTH}" in operation["responses"]["400"]["description"]


# -- against a real server ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module", params=["sync", "gthread"])
def server(request: pytest.FixtureRequest, loaded_url: str) -> Iterator[tuple[str, int]]:
    """gunicorn serving the app on a free loopback port, with one worker of each class."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if gunicorn is None:
        pytest.skip("gunicorn is not installed")
    port = _free_port()
    env = dict(os.environ, GAZETTEER_DATABASE_URL=loaded_url, GAZETTEER_DATA_DIR=str(DATA))
    threads = ["--threads", "2"] if request.param == "gthread" else []
    process = subprocess.Popen([gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class",
                                request.param, *threads, "--timeout", "120", "--no-control-socket", "--log-level", "warning",
                                "api:create_app()"], env=env, cwd=REPO)
    deadline = time.monotonic() + 120
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"gunicorn ({request.param}) did not start")
        time.sleep(0.3)
    yield "127.0.0.1", port
    process.terminate()
    process.wait(30)


def _post(server: tuple[str, int], body: object, path: str = "/v1/annotate",
          **headers: str) -> tuple[int, str, dict]:
    """POST as Python's http.client does (the whole body written before the answer is read)."""
    connection = http.client.HTTPConnection(*server, timeout=60)
    try:
        connection.request("POST", path, body=body,  # type: ignore[arg-type]
                           headers={"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", json.loads(response.read())
    finally:
        connection.close()


def _chunks(data: bytes, size: int = 1 << 20) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def test_server_chunked_body_over_the_limit_is_413(server: tuple[str, int]) -> None:
    """It was cut at the limit and the first 8 MiB answered (200)."""
    status, content_type, body = _post(server, _chunks(_padded(spec.MAX_BODY_BYTES + 1024)))
    assert (status, content_type) == (413, "application/problem+json")
    assert f"{spec.MAX_BODY_BYTES:,} bytes" in body["detail"]
    status, _, body = _post(server, _chunks(_padded(64 * 1024)))  # chunked within the limit: read whole
    assert status == 200 and body["mentions"][0]["id"] == "baku"


def test_server_answers_413_to_http_client_sending_a_large_body(server: tuple[str, int]) -> None:
    """http.client writes its whole body before it reads: it got a broken pipe, never the 413."""
    for size in (spec.MAX_BODY_BYTES + 1, 3 * spec.MAX_BODY_BYTES):
        status, content_type, body = _post(server, _padded(size))
        assert (status, content_type) == (413, "application/problem+json")
        assert f"{spec.MAX_BODY_BYTES:,} bytes" in body["detail"]
    # a body announced far larger than that is not read: the 413 comes at once
    with socket.create_connection(server, timeout=60) as sock:
        sock.sendall(b"POST /v1/annotate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000000000\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")
    status, _, body = _post(server, json.dumps({"text": "Baku"}))  # and the worker serves on
    assert status == 200


def test_server_rejects_deep_json_and_lone_surrogates(server: tuple[str, int]) -> None:
    for path in BODY_PATHS:
        for depth in (1_000, 100_000):
            status, content_type, body = _post(server, _nested(depth), path)
            assert (status, content_type) == (400, "application/problem+json")
            assert f"nested more than {spec.MAX_JSON_DEPTH}" in body["detail"]
    status, _, body = _post(server, '{"text": "Baku \\ud800"}')
    assert status == 400 and "lone surrogate" in body["detail"]
