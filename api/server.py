"""Serving with gunicorn: its threaded worker, made safe against slow clients, and problem+json for
the errors gunicorn answers itself (a request it cannot parse never reaches the app).

``gazetteer serve`` runs ``gunicorn --worker-class api.server.Worker --threads N``. Each worker answers
``N`` requests at once, and gunicorn keeps idle connections in an event loop, not in a thread. What the
stock worker lacks is a bound on a client that sends slowly once it has started: a request whose
headers trickle in a byte at a time, a body shorter than its Content-Length, or a client that stops
reading the answer would each hold a thread for ever. Here every blocking read and write on a client
socket times out, and the request line and headers must arrive within ``HEADER_SECONDS``.
"""

from __future__ import annotations

import json
import os
import socket
import time
from typing import Any

from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker

# From the first byte to the end of the headers (gunicorn waits 5 s for the first byte, without a thread).
HEADER_SECONDS = float(os.environ.get("GAZETTEER_HEADER_TIMEOUT", "15"))
# The longest wait for the next piece of a body, or for the client to take more of the answer.
IDLE_SECONDS = float(os.environ.get("GAZETTEER_IDLE_TIMEOUT", "30"))

# gunicorn's errors for a request it cannot parse, and the status it answers them with (400 otherwise).
_STATUS = {errors.LimitRequestLine: (414, "URI Too Long"),
           errors.LimitRequestHeaders: (431, "Request Header Fields Too Large"),
           errors.ForbiddenProxyRequest: (403, "Forbidden"),
           errors.UnsupportedTransferCoding: (501, "Not Implemented"),
           errors.ExpectationFailed: (417, "Expectation Failed")}
# Not the client's fault: the app's own bad response header, or gunicorn's configuration.
_SERVER_ERRORS = (errors.InvalidResponseHeader, errors.InvalidResponseHeaderName, errors.ConfigurationProblem)


class ClientTooSlow(errors.NoMoreData):
    """The client took too long to send its request or to read the answer (gunicorn then closes the
    connection quietly, as for a client that went away)."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def __str__(self) -> str:
        return f"the client was too slow {self.what}"


class _TimedSocket:
    """A client socket whose blocking calls time out: reads and writes after ``IDLE_SECONDS`` without
    progress, the reading of a request's headers at ``deadline``."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.deadline: float | None = None  # set while the request line and headers are read

    def setblocking(self, flag: bool) -> None:  # gunicorn's threads read and write in blocking mode
        self._sock.settimeout(IDLE_SECONDS if flag else 0.0)

    def recv(self, size: int, *flags: int) -> bytes:
        if self.deadline is None:
            try:
                return self._sock.recv(size, *flags)
            except TimeoutError:
                raise ClientTooSlow("to send the request body") from None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ClientTooSlow("to send the request headers")
        if self._sock.gettimeout() != 0.0:
            self._sock.settimeout(min(left, IDLE_SECONDS))
        try:
            return self._sock.recv(size, *flags)
        except TimeoutError:
            raise ClientTooSlow("to send the request headers") from None

    def sendall(self, data: Any) -> None:
        """Like ``socket.sendall``, with the timeout counted from the last progress, not from the start:
        a large answer to a slow but reading client is not cut off."""
        if self._sock.gettimeout() == 0.0:
            self._sock.sendall(data)
            return
        view = memoryview(data).cast("B")
        try:
            while view:
                view = view[self._sock.send(view):]
        except TimeoutError:
            raise ClientTooSlow("to read the answer") from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class Worker(ThreadWorker):
    """gunicorn's ``gthread`` worker with the client sockets of ``_TimedSocket`` and problem+json errors."""

    def enqueue_req(self, conn: Any) -> None:
        if not isinstance(conn.sock, _TimedSocket):
            conn.sock = _TimedSocket(conn.sock)
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        conn.sock.deadline = time.monotonic() + HEADER_SECONDS
        try:
            return super().handle(conn)
        finally:  # what follows (a graceful close on the main thread) keeps gunicorn's own time limits
            conn.sock.deadline = None

    def _keepalive_after(self, conn: Any, keepalive: bool) -> bool:
        """gunicorn reads past a body the app left unread before it reuses a connection; a malformed one
        (a bad chunk size) would then get a second answer, a 400, after the first: close instead."""
        try:
            return bool(super()._keepalive_after(conn, keepalive))
        except errors.ParseException:
            return False

    def handle_request(self, req: Any, conn: Any) -> Any:
        conn.sock.deadline = None  # the headers are in; the body and the answer only need progress
        conn.sock.setblocking(True)
        return super().handle_request(req, conn)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """gunicorn's answer to a request it could not parse or serve, as problem+json (it writes HTML)."""
        if isinstance(exc, errors.ParseException) and not isinstance(exc, _SERVER_ERRORS):
            status, title = next((answer for kind, answer in _STATUS.items() if isinstance(exc, kind)),
                                 (400, "Bad Request"))
            detail = str(exc)
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        else:
            status, title, detail = 500, "Internal Server Error", "an unexpected error; it has been logged"
            self.log.exception("Error handling request %s", getattr(req, "uri", "(no URI read)"))
        body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
        head = (f"HTTP/1.1 {status} {title}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n"
                f"X-Content-Type-Options: nosniff\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1")
        try:
            client.sendall(head + body)
        except OSError:
            self.log.debug("Failed to send error message.")
