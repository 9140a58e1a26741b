"""Local HTTP servers for tests: a handler class served on 127.0.0.1, a free port, a thread.

Registered as a pytest plugin (`pytest_plugins` in conftest.py), so a test asks for the
`http_server` fixture by name: `http_server(Handler)` starts a server and returns a
`LocalServer` (its `url`, and in `hits` the paths asked for, in order); every server a
test started is stopped after it. Handlers derive from `QuietHandler`, which records the
hits, logs nothing and answers with `reply` or `send_file`.
"""

from __future__ import annotations

import http.server
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar, cast

import pytest

CONTENT_TYPES = {
    ".ttl": "text/turtle",
    ".rdf": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
}


class _Server(http.server.ThreadingHTTPServer):
    hits: list[str]

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client hung up (a size cap, a timeout): on purpose, no traceback
        super().handle_error(request, client_address)


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """Records each path asked for on its server and writes no log."""

    charset: ClassVar[str | None] = None  # added to the Content-Type of `reply`, if set

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if parsed:
            cast(_Server, self.server).hits.append(self.path)
        return parsed

    def reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type + (f"; charset={self.charset}" if self.charset else ""))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, directory: Path) -> None:
        """The file at the request's path under `directory`, typed by its extension; else 404."""
        path = directory / self.path.lstrip("/")
        if not path.is_file() or ".." in self.path:
            self.send_error(404)
            return
        self.reply(path.read_bytes(), CONTENT_TYPES.get(path.suffix, "application/octet-stream"))

    def log_message(self, format: str, *args: object) -> None:
        pass


class LocalServer:
    """One server running `handler` in a daemon thread until `close`."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.hits: list[str] = []
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.httpd.hits = self.hits
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


StartServer = Callable[[type[http.server.BaseHTTPRequestHandler]], LocalServer]


@pytest.fixture
def http_server() -> Iterator[StartServer]:
    """Start as many servers as a test needs (`http_server(Handler)`); all stopped after it."""
    servers: list[LocalServer] = []

    def start(handler: type[http.server.BaseHTTPRequestHandler]) -> LocalServer:
        server = LocalServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
