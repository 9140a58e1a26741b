"""A real Virtuoso Open Source 7 server for tests: `virtuoso-t` on 127.0.0.1, free ports, a throwaway database.

Tests that need it are marked `@pytest.mark.virtuoso` and ask for the fixture `virtuoso` by
name: conftest.py registers this module as a pytest plugin (`pytest_plugins`). One server
runs for the whole test run (`virtuoso_session`, started on first use: creating an empty
database takes about five seconds); `virtuoso` hands it to a test and afterwards drops every
graph the test left behind, so each test starts from the empty store.

The server comes from Debian's package `virtuoso-opensource-7-bin` (`virtuoso-t` and its SQL
client `isql-vt`; the metapackage `virtuoso-opensource` depends on it); .ci/install-virtuoso.sh
installs it. Without it the tests FAIL with a message saying how to install it: a skipped
server test would hide that nothing was tested (the policy of oxigraph_server.py).

What the server is set up with (see docs/federation.md, "Virtuoso"):
- the SQL user `dba` gets a random password (never the default `dba`);
- a SQL user for writes (`VirtuosoServer.user`, random password) with the role
  SPARQL_UPDATE: the Graph Store at /sparql-graph-crud-auth and the update endpoint
  /sparql-auth ask for it with HTTP *digest* authentication;
- the anonymous SPARQL user may run SERVICE (SELECT on DB.DBA.SPARQL_SINV_2 and EXECUTE
  on DB.DBA.SPARQL_SINV_IMP), which Virtuoso refuses by default.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from requests.auth import HTTPDigestAuth

STARTUP_SECONDS = 60.0
INSTALL_HINT = (
    "install Virtuoso Open Source 7: `bash .ci/install-virtuoso.sh` (as root; it runs "
    "`apt-get install --no-install-recommends virtuoso-opensource-7-bin`, which brings "
    "virtuoso-t and isql-vt without starting a system service)"
)

# Graphs that Virtuoso itself keeps in every database: its RDF views and quad map metadata,
# the Linked Data Platform vocabulary, and a graph that describes its own SPARQL endpoint.
# A listing of named graphs (`GRAPH ?g { ... }`) shows them; never delete them. The fixture
# checks this list against the empty database at startup.
SYSTEM_GRAPHS = frozenset({
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
})

INI = """\
; a throwaway Virtuoso for tests: everything under {directory}, listening on 127.0.0.1 only
[Database]
DatabaseFile = {directory}/virtuoso.db
ErrorLogFile = {directory}/virtuoso.log
LockFile = {directory}/virtuoso.lck
TransactionFile = {directory}/virtuoso.trx
xa_persistent_file = {directory}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {directory}/virtuoso-temp.db
TransactionFile = {directory}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {directory}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
MaxQueryMem = 256M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {directory}/vsp
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
; as Debian's packaged virtuoso.ini: SELECT answers are cut at 10000 rows
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""


def virtuoso_binaries() -> tuple[str, str]:
    """`virtuoso-t` and Debian's name for Virtuoso's SQL client, `isql-vt`."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not client:
        missing = " and ".join(n for n, f in (("virtuoso-t", server), ("isql-vt", client)) if not f)
        pytest.fail(f"the Virtuoso binaries ({missing}) were not found on PATH; {INSTALL_HINT}", pytrace=False)
    return server, client


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class VirtuosoServer:
    """One running `virtuoso-t +foreground` process and its throwaway database."""

    process: subprocess.Popen[bytes]
    http_port: int
    sql_port: int
    directory: Path
    isql_binary: str
    dba_password: str = "dba"
    user: str = "migrmeta"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    baseline: frozenset[str] = SYSTEM_GRAPHS

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        """Queries, anonymous (updates are refused there)."""
        return f"{self.base}/sparql"

    @property
    def sparql_auth_url(self) -> str:
        """Queries and updates, digest authentication."""
        return f"{self.base}/sparql-auth"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint for writes, digest authentication."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def public_store_url(self) -> str:
        """The Graph Store Protocol endpoint without authentication: GET only."""
        return f"{self.base}/sparql-graph-crud"

    @property
    def log(self) -> Path:
        return self.directory / "virtuoso.log"

    def auth(self) -> HTTPDigestAuth:
        return HTTPDigestAuth(self.user, self.password)

    def env(self) -> dict[str, str]:
        """The credentials as `migrmeta push` reads them."""
        return {"MIGRMETA_USER": self.user, "MIGRMETA_PASSWORD": self.password}

    def isql(self, sql: str, *, password: str | None = None) -> str:
        """Run SQL statements as dba through the SQL port; fails the test on an SQL error."""
        command = [self.isql_binary, f"127.0.0.1:{self.sql_port}", "dba", password or self.dba_password,
                   "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT"]
        done = subprocess.run(command, input=sql.encode(), capture_output=True, timeout=60, check=False)
        out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        if done.returncode != 0 or "*** Error" in out:
            pytest.fail(f"isql-vt failed (exit {done.returncode}):\n{out}", pytrace=False)
        return out

    def select(self, query: str, *, url: str | None = None) -> list[dict[str, dict[str, str]]]:
        """SPARQL results (JSON bindings) from the anonymous endpoint, with plain requests."""
        response = requests.post(url or self.sparql_url, data={"query": query},
                                 headers={"Accept": "application/sparql-results+json"}, timeout=60)
        response.raise_for_status()
        return list(response.json()["results"]["bindings"])

    def all_sizes(self) -> dict[str, int]:
        """Every named graph -> triples, Virtuoso's own graphs included."""
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {b["g"]["value"]: int(b["n"]["value"]) for b in rows}

    def sizes(self) -> dict[str, int]:
        """Named graph -> triples for the graphs the tests made (Virtuoso's own left out)."""
        return {g: n for g, n in self.all_sizes().items() if g not in self.baseline}

    def drop_test_graphs(self) -> list[str]:
        """Delete every graph that is not Virtuoso's own; the names deleted."""
        dropped = sorted(self.sizes())
        for name in dropped:
            response = requests.delete(self.store_url, params={"graph": name}, auth=self.auth(), timeout=60)
            if response.status_code not in (200, 204, 404):
                raise AssertionError(f"DELETE <{name}>: HTTP {response.status_code}: {response.text[:300]}")
        left = self.sizes()
        assert not left, f"graphs left after the reset: {left}"
        return dropped

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM: Virtuoso does a quick shutdown (about a second) and exits."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _setup_sql(server: VirtuosoServer, dba_password: str) -> str:
    return (
        f"DB.DBA.USER_CREATE('{server.user}', '{server.password}');\n"
        f'GRANT SPARQL_UPDATE TO "{server.user}";\n'
        # SERVICE from the anonymous endpoint (Virtuoso refuses it by default)
        'GRANT SELECT ON DB.DBA.SPARQL_SINV_2 TO "SPARQL";\n'
        'GRANT EXECUTE ON DB.DBA.SPARQL_SINV_IMP TO "SPARQL";\n'
        f"USER_CHANGE_PASSWORD('dba', 'dba', '{dba_password}');\n"
        "checkpoint;\n"
    )


def _wait_ready(server: VirtuosoServer, deadline: float) -> bool:
    """Ready when the SQL server says it is online and the HTTP server answers a query."""
    while time.monotonic() < deadline and server.alive():
        log = server.log.read_text(errors="replace") if server.log.exists() else ""
        if "Server online at" in log:
            try:
                response = requests.get(server.sparql_url, params={"query": "ASK {}"},
                                        headers={"Accept": "application/sparql-results+json"}, timeout=2)
                if response.status_code == 200:
                    return True
            except requests.RequestException:
                pass
        time.sleep(0.1)
    return False


def start_virtuoso(directory: Path) -> VirtuosoServer:
    """A server on free ports with an empty database in `directory`, set up for the tests."""
    binary, isql = virtuoso_binaries()
    for attempt in range(5):  # a port could be taken between choosing and binding it
        here = directory / f"attempt-{attempt}"
        (here / "vsp").mkdir(parents=True)
        http_port, sql_port = _free_port(), _free_port()
        while sql_port == http_port:
            sql_port = _free_port()
        ini = here / "virtuoso.ini"
        ini.write_text(INI.format(directory=here, http_port=http_port, sql_port=sql_port), encoding="utf-8")
        with (here / "stdout.log").open("ab") as out:
            process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=here,
                                       stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        server = VirtuosoServer(process, http_port, sql_port, here, isql)
        if _wait_ready(server, time.monotonic() + STARTUP_SECONDS):
            dba_password = secrets.token_urlsafe(12)
            server.isql(_setup_sql(server, dba_password))
            server.dba_password = dba_password
            return server
        server.stop()
    log = server.log.read_text(errors="replace") if server.log.exists() else "(no log)"
    pytest.fail(f"virtuoso-t did not start; its log:\n{log[-4000:]}", pytrace=False)


@pytest.fixture(scope="session")
def virtuoso_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso for the whole run; stopped (and its database deleted with the temp dir) after."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        found = set(server.all_sizes())
        # Virtuoso's own graphs in a new database; a version with others fails here first
        assert found == SYSTEM_GRAPHS, f"Virtuoso's own graphs differ from SYSTEM_GRAPHS: {sorted(found)}"
        yield server
    finally:
        server.stop()


@pytest.fixture
def virtuoso(virtuoso_session: VirtuosoServer) -> Iterator[VirtuosoServer]:
    """The session's Virtuoso, holding only its own graphs; what the test writes is dropped after."""
    server = virtuoso_session
    if not server.alive():
        pytest.fail(f"the Virtuoso server has stopped; its log:\n{server.log.read_text(errors='replace')[-4000:]}",
                    pytrace=False)
    server.drop_test_graphs()
    yield server
    if server.alive():
        server.drop_test_graphs()
