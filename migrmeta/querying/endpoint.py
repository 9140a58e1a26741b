"""Remote SPARQL endpoints: the SPARQL 1.1 Protocol over HTTP, through the one HTTP client.

`SparqlEndpoint` sends a query (POST with a form body); its answers, SPARQL results or RDF,
become the same `QueryResult` as the embedded store's.

What stores answer is read leniently where they depart from the standard in known ways
(docs/federation.md, "Virtuoso"):
- the Accept header fits the query form: SPARQL results for SELECT and ASK, RDF for
  CONSTRUCT and DESCRIBE (Virtuoso answers what Accept lists first, even a table for a
  CONSTRUCT);
- blank nodes written `nodeID://b10004` in SPARQL results (Virtuoso) become blank nodes;
- xsd:boolean values written "1" and "0" (Virtuoso's JSON results) become "true" and
  "false", their canonical form (the same values);
- a query that calls SERVICE gets its parameters written in place (`binding`), since
  Virtuoso refuses a VALUES block outside the SERVICE blocks;
- a query that cannot be parsed is refused here, with the embedded store's message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from migrmeta.errors import EndpointError, UsageError
from migrmeta.io.http import HttpClient, safe_url
from migrmeta.namespaces import XSD
from migrmeta.querying.binding import GRAPH_FORMS, bind_for_endpoint, query_form
from migrmeta.querying.execution import syntax_problem
from migrmeta.querying.results import QueryResult
from migrmeta.querying.saved import Binding
from migrmeta.rdf import syntaxes

_RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML}
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
ANY_ACCEPT = f"{RESULTS_ACCEPT}, application/n-triples;q=0.8, text/turtle;q=0.7"
# An answer of the other kind is still read (an endpoint may ignore Accept).
ACCEPT = {form: GRAPH_ACCEPT if form in GRAPH_FORMS else RESULTS_ACCEPT for form in ("SELECT", "ASK", *GRAPH_FORMS)}
_NODE_ID = "nodeID://"
# What a 404 from a SPARQL store means (the query endpoint here, the graph store in pushing/gsp.py)
SPARQL_HINTS = {404: "check the URL (of a SPARQL store such as Oxigraph: /query for queries, /store for the graph "
                     "store)"}
_XML_NODE_ID = re.compile(rb"<(uri|bnode)>nodeID://([^<]*)</(?:uri|bnode)>")
_BOOLEAN = ox.NamedNode(str(XSD.boolean))
_CANONICAL_BOOLEAN = {"1": ox.Literal("true", datatype=_BOOLEAN), "0": ox.Literal("false", datatype=_BOOLEAN)}


# --- remote endpoints ---------------------------------------------------------------------


def _broken_answer(url: str, kind: str, content: bytes, query: str, exc: Exception) -> EndpointError:
    """An answer that cannot be read: a store that fails while it streams its answer (a SERVICE
    it called is down) ends it with its error in plain text, after a 200 status; that ending
    is what the user needs to see, with what to do."""
    ending = content.decode("utf-8", errors="replace").rstrip().rsplit("\n", 1)[-1][-200:]
    federated = re.search(r"\bSERVICE\b", query, re.IGNORECASE) is not None  # a word of the query, roughly
    return EndpointError(
        f"query: the answer of {safe_url(url)} cannot be read as {kind} ({exc}); it ends with {ending!r}",
        hint="the endpoint may have failed while answering" + (
            ": a SERVICE of the query may be down or refuse it; SERVICE SILENT leaves out one that fails"
            if federated else "; run the query again, or ask its administrator"))


class SparqlEndpoint:
    """A SPARQL 1.1 query endpoint (the protocol's POST with a form body)."""

    def __init__(self, url: str, client: HttpClient | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"the endpoint {safe_url(url)!r} is not an http(s) URL")
        self.url = url
        self.client = client or HttpClient()

    @property
    def shown(self) -> str:
        return safe_url(self.url)

    def query(self, text: str, bindings: Mapping[str, Binding] | None = None, source: str = "<query>",
              parameters: Sequence[tuple[str, str]] = ()) -> QueryResult:
        """`parameters`: more protocol parameters (default-graph-uri, ...: querying/dataset.py).
        A query that the store refuses as a bad request and that cannot be parsed here is the
        `InputError` the embedded store gives (exit 3, its line and column)."""
        accept = ACCEPT.get(query_form(text), ANY_ACCEPT)
        form = [("query", bind_for_endpoint(text, bindings or {})), *parameters]
        try:
            response = self.client.request("POST", self.url, what="query", data=form, hints=SPARQL_HINTS,
                                           headers={"Accept": accept})
        except EndpointError as exc:
            problem = syntax_problem(text, source) if exc.status == 400 else None  # parsed only when refused
            if problem is not None:
                raise problem from exc
            raise
        kind = response.content_type
        # text/plain is N-Triples' old media type, which some stores still send
        syntax = syntaxes.for_media_type(kind) or (syntaxes.by_name("ntriples") if kind == "text/plain" else None)
        try:
            if kind in _RESULTS:
                content = _blank_nodes(response.content, kind)
                answer = ox.parse_query_results(content, format=_RESULTS[kind])
                return _canonical_booleans(QueryResult.from_oxigraph(answer))
            if syntax is not None:
                triples = [q.triple for q in ox.parse(response.content, format=syntax.oxigraph)]
                return QueryResult("graph", triples=triples)
        except (SyntaxError, ValueError) as exc:
            raise _broken_answer(self.url, kind, response.content, text, exc) from exc
        raise EndpointError(f"query: {safe_url(self.url)} answered {kind or 'without a content type'}, "
                            "not SPARQL results or RDF", hint="is this the URL of a SPARQL query endpoint?")

    def graph_sizes(self) -> dict[str, int]:
        """Named graph -> number of triples, with one query."""
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        sizes: dict[str, int] = {}
        for graph, count in result.rows:
            if isinstance(graph, ox.NamedNode) and count is not None:
                sizes[graph.value] = int(count.value)
        return sizes


# --- lenient reading ----------------------------------------------------------------------


def _blank_nodes(content: bytes, kind: str) -> bytes:
    """SPARQL results with Virtuoso's `nodeID://b1` values written as blank nodes `b1`."""
    if b"nodeID://" not in content:
        return content
    if kind.endswith("+xml"):
        return _XML_NODE_ID.sub(lambda m: b"<bnode>" + m.group(2) + b"</bnode>", content)
    try:
        document = json.loads(content)
    except ValueError:
        return content  # the parser says what is wrong
    for row in document.get("results", {}).get("bindings", []) if isinstance(document, dict) else []:
        for value in row.values() if isinstance(row, dict) else []:
            _json_blank_node(value)
    return json.dumps(document).encode("utf-8")


def _json_blank_node(value: Any) -> None:
    if isinstance(value, dict) and str(value.get("value", "")).startswith(_NODE_ID) \
            and value.get("type") in ("uri", "bnode"):
        value["type"], value["value"] = "bnode", value["value"][len(_NODE_ID):]


def _canonical_booleans(result: QueryResult) -> QueryResult:
    """xsd:boolean "1"/"0" -> "true"/"false" (the same values, written canonically)."""
    for row in result.rows:
        for index, term in enumerate(row):
            if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in _CANONICAL_BOOLEAN:
                row[index] = _CANONICAL_BOOLEAN[term.value]
    return result
