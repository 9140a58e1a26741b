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
    assert code == 3 and ":1:24: SPARQL syntax error: the query ends before '}' closes what it opened (expected " \
        "one of" in first and "a name" in first
    assert "\\u{" not in err and hint.strip().startswith("hint:")


def test_a_query_cut_short_says_what_it_left_open_and_each_expectation_once(
        capsys: pytest.CaptureFixture[str]) -> None:
    """`FILTER(?t` at the end: the brackets left open, innermost first; the parser's four ways
    of naming a name's characters said once, "a name", never ['_'] or [_]."""
    query = 'SELECT ?x WHERE { ?s a <https://w3id.org/migrmeta/ns#Survey> FILTER(?t'
    code, _, err = run(capsys, "query", "-e", query, "--data", str(RECORDS / "mafe.ttl"))
    assert code == 3 and "SPARQL syntax error: the query ends before ')' and '}' close what it opened" in err
    assert err.count("a name") == 1 and "['_']" not in err and "[_]" not in err
    # brackets inside strings, IRIs and comments are not counted
    query = 'SELECT * WHERE { ?s ?p ?o # (a comment\n FILTER(?o = "a{" '
    code, _, err = run(capsys, "query", "-e", query, "--data", str(RECORDS / "mafe.ttl"))
    assert code == 3 and "the query ends before ')' and '}' close what it opened" in err
