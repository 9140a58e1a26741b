"""Issue 12: hostile inputs, one test per row of the attack table (test_rowNN_...).

Each test first builds the attack, then checks the promise through the real command: a
clear one-line error naming the file (and line where it applies), the documented exit code,
no traceback, the other inputs still processed, nothing written outside the output folder,
nothing fetched.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import RECORDS, REPO

from migrmeta.cli import main

GOOD = RECORDS / "gb-ips.ttl"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.out + captured.err


def clean(output: str) -> None:
    assert "Traceback" not in output and "Error:" not in output.replace("InputError", ""), output


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A port on 127.0.0.1 that records whether anyone connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.3)
    try:
        yield server
    finally:
        server.close()


def never_contacted(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except TimeoutError:
        return True
    return False


# --- row 4: SERVICE found by the SPARQL parser, not by a pattern --------------------------


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql#x> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/it's> {{ ?s ?p ?o }} }}",
    "PREFIX a-b: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE a-b:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <http://127.0.0.1:{port}/> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "select * where {{ service <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} # SERVICE",
], ids=["hash-in-iri", "quote-in-iri", "prefix-with-dash", "inside-filter", "variable", "lower-case"])
def test_row04_service_is_found_by_the_parser(capsys: pytest.CaptureFixture[str], listener: socket.socket,
                                              query: str) -> None:
    port = listener.getsockname()[1]
    code, output = run(capsys, "query", "--data", str(GOOD), "-e", query.format(port=port))
    assert code == 2 and "SERVICE" in output and "--allow-service" in output
    clean(output)
    assert never_contacted(listener)


def test_row04_service_in_strings_and_comments_is_no_call() -> None:
    from migrmeta.querying.execution import service_calls

    assert service_calls('SELECT * { ?s ?p "SERVICE <http://x>" } # SERVICE <http://y>\n') == []
    assert service_calls("SELECT * { SERVICE <http://a/#b> { ?s ?p ?o } }") == ["<http://a/#b>"]
    assert service_calls("SELECT * { ?s ?p <<( ?a ?b ?c )>> }") is None  # unreadable: fails closed


# --- row 9: embedded queries have a deadline and stop on Ctrl-C ----------------------------


def test_row09_an_expensive_query_stops_at_the_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(capsys, "--limit", "query_seconds=1", "query", "--data", str(GOOD), "-e", EXPENSIVE)
    assert code == 1 and "query_seconds" in output and "stopped" in output
    clean(output)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see the query process")
def test_row09_ctrl_c_stops_the_query_and_exits_130() -> None:
    process = subprocess.Popen([sys.executable, "-m", "migrmeta", "query", "--data", str(GOOD),
                                "-e", EXPENSIVE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=REPO)
    try:
        while not _children(process.pid):  # the query runs in a child process: wait for it
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        worker = _children(process.pid)[0]
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130 and ("Interrupted" in err or "Aborted" in err) and "Traceback" not in err
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # the query itself stopped too
