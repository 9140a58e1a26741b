"""SparqlEndpoint reads what stores answer where they depart from the standard in known ways
(Virtuoso's nodeID:// blank nodes and 1/0 booleans), asks for what fits the query form, and
refuses what is not SPARQL results or RDF with a clear error. Served by a scripted local
server; the same against a real Virtuoso is in tests/pushing/test_virtuoso_migrmeta.py."""

from __future__ import annotations

import json
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from oxigraph_server import ScriptedServer

from migrmeta.errors import EndpointError
from migrmeta.io.http import HttpClient
from migrmeta.querying.endpoint import SparqlEndpoint

BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
VIRTUOSO_JSON = json.dumps({"head": {"vars": ["s", "flag"]}, "results": {"bindings": [
    {"s": {"type": "bnode", "value": "nodeID://b10004"},
     "flag": {"type": "typed-literal", "datatype": BOOLEAN, "value": "1"}},
    {"s": {"type": "uri", "value": "nodeID://b10005"},
     "flag": {"type": "typed-literal", "datatype": BOOLEAN, "value": "0"}},
]}}).encode()
VIRTUOSO_XML = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                b'<variable name="s"/></head><results><result><binding name="s"><bnode>nodeID://b7</bnode></binding>'
                b'</result></results></sparql>')


def endpoint(server: ScriptedServer) -> SparqlEndpoint:
    return SparqlEndpoint(server.url + "/sparql", HttpClient(retries=0))


def test_virtuoso_blank_nodes_and_booleans(scripted: Callable[..., ScriptedServer]) -> None:
    server = scripted([(200, "application/sparql-results+json", VIRTUOSO_JSON)])
    result = endpoint(server).query("SELECT ?s ?flag WHERE { ?s ?p ?flag }")
    assert [[str(t) for t in row] for row in result.rows] == [
        ["_:b10004", f'"true"^^<{BOOLEAN}>'], ["_:b10005", f'"false"^^<{BOOLEAN}>']]
    assert server.seen[0].headers["Accept"].startswith("application/sparql-results+json")
    server = scripted([(200, "application/sparql-results+xml", VIRTUOSO_XML)])
    assert endpoint(server).query("SELECT ?s WHERE { ?s ?p ?o }").rows == [[ox.BlankNode("b7")]]


@pytest.mark.parametrize(("query", "first"), [
    ("ASK { ?s ?p ?o }", "application/sparql-results+json"),
    ("DESCRIBE <http://e/x>", "application/n-triples"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples"),
])
def test_accept_fits_the_query_form(scripted: Callable[..., ScriptedServer], query: str, first: str) -> None:
    server = scripted([(200, "application/n-triples", b"<urn:a> <urn:p> <urn:b> .\n")
                       if first.endswith("triples") else (200, "application/sparql-results+json", b'{"boolean":true}')])
    endpoint(server).query(query)
    accept = server.seen[0].headers["Accept"]
    assert accept.startswith(first)
    assert ("sparql-results" in accept) == (first != "application/n-triples")


def test_an_answer_that_is_not_sparql_is_refused_clearly(scripted: Callable[..., ScriptedServer]) -> None:
    server = scripted([(200, "text/html", b"<html>hello</html>")])
    with pytest.raises(EndpointError, match="answered text/html, not SPARQL results or RDF"):
        endpoint(server).query("SELECT * WHERE { ?s ?p ?o }")
    broken = scripted([(200, "application/sparql-results+json", b'{"head": {"vars": ["s"]}, "results": ')])
    with pytest.raises(EndpointError, match="cannot be read as application/sparql-results"):
        endpoint(broken).query("SELECT * WHERE { ?s ?p ?o }")


def test_an_answer_broken_off_by_a_failing_service_says_how_it_ends(scripted: Callable[..., ScriptedServer]) -> None:
    """Oxigraph answers 200, starts its results, and ends them with its error when a SERVICE it
    calls is down: the user saw only a parse error at column 80 (the sync review)."""
    body = b'{"head":{"vars":["s"]},"results":{"bindings":[Connection refused (os error 111)'
    federated = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(EndpointError) as raised:
        endpoint(scripted([(200, "application/sparql-results+json", body)])).query(federated)
    said = raised.value.cli_text()
    assert said.split("; it ends with ", 1)[1].startswith(repr(body.decode())), said
    assert "SERVICE SILENT" in said and "a SERVICE of the query may be down" in said


def test_an_error_page_in_html_is_told_by_its_words(scripted: Callable[..., ScriptedServer]) -> None:
    """A server's HTML error page (nginx, a portal's 501) is said without its markup, on one
    line; a plain-text error (the SPARQL server's own) as it is."""
    page = (b"<!DOCTYPE html><html><head><title>501 Not Implemented</title><style>body{color:red}</style></head>"
            b"<body><h1>Not Implemented</h1><p>SERVICE &amp; federation are off.</p></body></html>")
    with pytest.raises(EndpointError) as raised:
        endpoint(scripted([(501, "text/html", page)])).query("SELECT * WHERE { ?s ?p ?o }")
    assert "answered HTTP 501 not implemented: 501 Not Implemented Not Implemented SERVICE & federation are off." \
        in raised.value.message
    assert "<" not in raised.value.message and "color" not in raised.value.message
    long_style = b"<html><head><style>" + b"p{margin:0}" * 600 + b"</style><!-- a > b --></head><body>Gone</body></html>"
    with pytest.raises(EndpointError) as raised:
        endpoint(scripted([(410, "text/html", long_style)])).query("SELECT * WHERE { ?s ?p ?o }")
    assert raised.value.message.endswith("answered HTTP 410 gone: Gone")  # no style past 4,000 characters, no comment
    with pytest.raises(EndpointError, match="answered HTTP 400 bad request: Parser error at line 1"):
        endpoint(scripted([(400, "text/plain", b"Parser error at line 1")])).query("SELECT * WHERE { ?s ?p ?o }")
