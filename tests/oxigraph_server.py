"""A real Oxigraph server for tests: `oxigraph serve` on 127.0.0.1, a free port, a temp dir.

Tests that need it are marked `@pytest.mark.server` and ask for the fixtures `oxigraph`,
`oxigraph_factory` or `scripted` by name: conftest.py registers this module as a pytest
plugin (`pytest_plugins`). The binary comes with the
PyPI package `oxigraph` (the test extras). Without it the tests FAIL with a message
saying how to install it: a skipped server test would hide that nothing was tested.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
from http_server import LocalServer, QuietHandler

STARTUP_SECONDS = 30.0


def oxigraph_binary() -> str:
    """The `oxigraph` executable: on PATH or next to this Python (a virtualenv's bin/)."""
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail(
            "the Oxigraph server binary `oxigraph` was not found on PATH nor next to "
            f"{sys.executable}; install the test extras: pip install -e '.[test]' "
            "(the PyPI package `oxigraph` provides it)",
            pytrace=False,
        )
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class OxigraphServer:
    """One running `oxigraph serve` process."""

    process: subprocess.Popen[bytes]
    port: int
    location: Path
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def clear(self) -> None:
        """Drop every graph, so each test starts from an empty store."""
        requests.post(f"{self.base}/update", data={"update": "DROP ALL"}, timeout=30).raise_for_status()

    def sizes(self) -> dict[str, int]:
        """Named graph -> triple count, straight from the server (independent of migrmeta)."""
        response = requests.post(
            self.query_url,
            data={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        response.raise_for_status()
        return {b["g"]["value"]: int(b["n"]["value"]) for b in response.json()["results"]["bindings"]}


def start_server(directory: Path, *, union_default_graph: bool = False) -> OxigraphServer:
    """Start a server on a free port and wait until it answers a query."""
    binary = oxigraph_binary()
    location = directory / "data"
    location.mkdir(parents=True, exist_ok=True)
    log = directory / "oxigraph.log"
    for _ in range(5):  # the port could be taken between choosing and binding it
        port = _free_port()
        command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
        if union_default_graph:
            command.append("--union-default-graph")
        with log.open("ab") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        server = OxigraphServer(process, port, location, log)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                requests.get(server.query_url, params={"query": "ASK {}"}, timeout=1).raise_for_status()
                return server
            except requests.RequestException:
                time.sleep(0.05)
        server.stop()
    pytest.fail(f"oxigraph serve did not start; its log:\n{log.read_text(errors='replace')}", pytrace=False)


@pytest.fixture
def oxigraph_factory(tmp_path: Path) -> Iterator[Callable[..., OxigraphServer]]:
    """Start as many servers as a test needs (`factory(union_default_graph=True)`); all stopped after."""
    servers: list[OxigraphServer] = []

    def factory(*, union_default_graph: bool = False) -> OxigraphServer:
        server = start_server(tmp_path / f"oxigraph-{len(servers)}", union_default_graph=union_default_graph)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One server for the whole test run, its default graph the union of its named graphs."""
    server = start_server(tmp_path_factory.mktemp("oxigraph"), union_default_graph=True)
    yield server
    server.stop()


@pytest.fixture
def own_oxigraph(oxigraph_factory: Callable[..., OxigraphServer]) -> OxigraphServer:
    """A server of this test's own, for tests that stop it or start it in another way."""
    return oxigraph_factory(union_default_graph=True)


@pytest.fixture
def oxigraph(oxigraph_session: OxigraphServer) -> OxigraphServer:
    """The run's server, emptied for this test (as docs/federation.md advises, union default graph)."""
    oxigraph_session.clear()
    return oxigraph_session


# --- a scripted HTTP server, for what Oxigraph cannot show --------------------------------


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


_T = TypeVar("_T", bound="_Served")


class _Served:
    """A local HTTP server of the tests (`self.server`, a LocalServer), closed by its fixture."""

    server: LocalServer

    @property
    def url(self) -> str:
        return self.server.url

    def close(self) -> None:
        self.server.close()


def _closing(make: Callable[..., _T]) -> Iterator[Callable[..., _T]]:
    """A fixture's factory: `make(...)` each time it is called, every one closed after the test."""
    made: list[_T] = []

    def factory(*args: Any, **kwargs: Any) -> _T:
        made.append(make(*args, **kwargs))
        return made[-1]

    yield factory
    for served in made:
        served.close()


class ScriptedServer(_Served):
    """Answers requests from a script of (status, content type, body), recording each request.

    Used only where the real server cannot show the behaviour under test: which
    Authorization header arrived, 5xx answers (retries), an answer that never comes
    (timeouts), a server that echoes secrets back. The last answer repeats.
    """

    def __init__(self, script: list[tuple[int, str, bytes]], delay: float = 0.0) -> None:
        self.script = list(script)
        self.seen: list[Seen] = []
        outer = self

        class Handler(QuietHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                if delay:
                    time.sleep(delay)
                status, kind, payload = outer.script.pop(0) if len(outer.script) > 1 else outer.script[0]
                payload = payload.replace(b"{auth}", self.headers.get("Authorization", "").encode())
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.server = LocalServer(Handler)


@pytest.fixture
def scripted() -> Iterator[Callable[..., ScriptedServer]]:
    """`scripted([(200, "text/plain", b"...")], delay=0.0)`: closed after the test."""
    yield from _closing(ScriptedServer)


# --- a proxy in front of a real server, for a store that says it did what it did not ----------


class ForwardingProxy(_Served):
    """Passes every request on to `target` (a real server) and its answer back, except the
    methods listed in `answers`, answered with that status without passing them on: a proxy
    that says 204 to a DELETE it never forwarded, or one that fails DELETEs with 500."""

    def __init__(self, target: str, answers: dict[str, int]) -> None:
        self.target = target
        self.seen: list[str] = []
        outer = self

        class Handler(QuietHandler):
            def _forward(self) -> None:
                outer.seen.append(self.command)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.command in answers:
                    self.send_response(answers[self.command])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.request(self.command, outer.target + self.path, data=body, headers=headers,
                                          timeout=60)
                self.send_response(answer.status_code)
                for name in ("Content-Type",):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = LocalServer(Handler)


@pytest.fixture
def forwarding_proxy() -> Iterator[Callable[..., ForwardingProxy]]:
    """`forwarding_proxy(server.base, {"DELETE": 204})`: a proxy before a real server; closed after the test."""
    yield from _closing(ForwardingProxy)
