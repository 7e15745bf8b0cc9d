"""A real HTTP server on 127.0.0.1 serving one in-memory file, with switchable misbehaviour.

Use as a context manager (or through a fixture that wraps it); `close()` stops the serving
thread and joins every handler thread, so no socket or thread outlives the test.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_SEND_CHUNK = 1024


@dataclass
class RecordedRequest:
    """One GET as the server saw it; `body_bytes` grows before each write reaches the wire."""

    path: str
    range_header: str | None
    user_agent: str | None
    if_range: str | None = None
    status: int = 0
    body_bytes: int = 0


class FileServer:
    """Serves `body` at any path.

    Behaviour switches (change them between downloads):
        honour_range: answer ``Range: bytes=N-`` with 206; False answers 200 with the whole body.
            An ``If-Range`` that matches neither `etag` nor `last_modified` also gets a 200.
        status: 404 (or any error) answers every request with that status.
        content_type: the Content-Type header, None for none.
        send_etag: send a strong ETag made from the body's md5 (it changes with `body`).
        last_modified: the Last-Modified header, None for none.
        send_length: False omits Content-Length (the body ends when the connection closes).
        drop_after: close the connection after sending this many body bytes of a response.
        chunk_delay: seconds to wait after each 1 KiB written (slow server, stalls).
    """

    def __init__(self, body: bytes = b"") -> None:
        self.body = body
        self.honour_range = True
        self.status = 200
        self.content_type: str | None = "application/octet-stream"
        self.send_etag = True
        self.last_modified: str | None = None
        self.send_length = True
        self.drop_after: int | None = None
        self.chunk_delay = 0.0
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _JoiningServer(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def etag(self) -> str:
        return f'"{hashlib.md5(self.body).hexdigest()}"'

    def url(self, path: str = "/model.bin") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()  # joins handler threads (block_on_close)
        self._thread.join()

    def __enter__(self) -> FileServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


class _JoiningServer(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() waits for every handler thread


def closed_port_url() -> str:
    """A URL on 127.0.0.1 whose port nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/model.bin"


def _make_handler(owner: FileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            record = RecordedRequest(
                self.path,
                self.headers.get("Range"),
                self.headers.get("User-Agent"),
                self.headers.get("If-Range"),
            )
            owner._record(record)
            # The client going away (cancel, timeout) is expected in these tests.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(record)

        def _answer(self, record: RecordedRequest) -> None:
            body = owner.body
            if owner.status != 200:
                record.status = owner.status
                self.send_error(owner.status)
                return
            start = 0
            range_header = record.range_header
            validators = {owner.etag if owner.send_etag else None, owner.last_modified} - {None}
            if record.if_range is not None and record.if_range not in validators:
                range_header = None  # the file changed: send all of it
            if owner.honour_range and range_header and range_header.startswith("bytes="):
                start = int(range_header.removeprefix("bytes=").split("-")[0])
                if start >= len(body):
                    record.status = 416
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                record.status = 206
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                record.status = 200
                self.send_response(200)
            if owner.send_length:
                self.send_header("Content-Length", str(len(body) - start))
            if owner.content_type is not None:
                self.send_header("Content-Type", owner.content_type)
            if owner.send_etag:
                self.send_header("ETag", owner.etag)
            if owner.last_modified is not None:
                self.send_header("Last-Modified", owner.last_modified)
            self.end_headers()
            self._send_body(record, body[start:])

        def _send_body(self, record: RecordedRequest, payload: bytes) -> None:
            limit = len(payload) if owner.drop_after is None else owner.drop_after
            sent = 0
            while sent < min(limit, len(payload)) and not owner._stopping.is_set():
                piece = payload[sent : min(sent + _SEND_CHUNK, limit)]
                record.body_bytes += len(piece)
                self.wfile.write(piece)
                self.wfile.flush()
                sent += len(piece)
                if owner.chunk_delay:
                    owner._stopping.wait(owner.chunk_delay)
            # Returning closes the connection (HTTP/1.0): a short body is a dropped download.

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
