"""`migrmeta query --allow-service`: a query that calls SERVICE runs in a child process that
is stopped at --timeout, so an endpoint that never answers cannot hold migrmeta (Virtuoso
never answers pyoxigraph's SERVICE calls: tests/pushing/test_virtuoso_migrmeta.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from command import run
from oxigraph_server import ScriptedServer
from paths import RECORDS

RESULTS = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://example.org/z"}}]}}'


def test_a_service_that_answers_gives_its_rows(scripted: Callable[..., ScriptedServer],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    server = scripted([(200, "application/sparql-results+json", RESULTS)])
    query = f"SELECT ?s WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }}"
    code, out, err = run(capsys, "query", "-e", query, "--data", str(RECORDS / "mafe.ttl"), "--allow-service",
                         "--format", "tsv")
    assert code == 0, err
    assert out.splitlines() == ["?s", "<http://example.org/z>"]


def test_a_service_that_never_answers_is_stopped_at_the_timeout(scripted: Callable[..., ScriptedServer],
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    server = scripted([(200, "application/sparql-results+json", RESULTS)], delay=30.0)
    query = f"SELECT ?s WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }}"
    code, out, err = run(capsys, "query", "-e", query, "--data", str(RECORDS / "mafe.ttl"), "--allow-service",
                         "--timeout", "1")
    assert code == 1 and out == "" and "Traceback" not in err
    assert "did not finish within 1 s" in err and "--timeout" in err
    assert len(server.seen) == 1  # the call was made, then given up


def test_a_syntax_error_still_names_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT ?s WHERE {\n SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o \n"
    code, _, err = run(capsys, "query", "-e", query, "--data", str(RECORDS / "mafe.ttl"), "--allow-service")
    assert code == 3 and "SPARQL syntax error" in err and "Traceback" not in err


def test_a_syntax_error_is_one_line_without_the_parsers_character_ranges(capsys: pytest.CaptureFixture[str]) -> None:
    """The parser lists what a name may start with as Unicode ranges over four lines: said as
    'a name', the error is one line (and its hint)."""
    code, _, err = run(capsys, "query", "-e", "SELECT * WHERE { ?s ?p ", "--data", str(RECORDS / "mafe.ttl"))
    first, hint = err.rstrip("\n").split("\n")
    assert code == 3 and ":1:24: SPARQL syntax error: expected one of" in first and "a name" in first
    assert "\\u{" not in err and hint.strip().startswith("hint:")
