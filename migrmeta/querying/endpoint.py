"""Remote SPARQL endpoints: the SPARQL 1.1 Protocol over HTTP, through the one HTTP client.

`SparqlEndpoint` sends a query (POST with a form body); its answers, SPARQL results or RDF,
become the same `QueryResult` as the embedded store's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

import pyoxigraph as ox

from migrmeta.errors import EndpointError, UsageError
from migrmeta.io.http import HttpClient, safe_url
from migrmeta.querying.results import QueryResult
from migrmeta.querying.saved import Term, inject_values
from migrmeta.rdf import syntaxes

_RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML}
ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
          "application/sparql-results+xml;q=0.5, application/rdf+xml;q=0.4")


# --- remote endpoints ---------------------------------------------------------------------


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

    def query(self, text: str, bindings: Mapping[str, Term] | None = None, source: str = "<query>",
              parameters: Sequence[tuple[str, str]] = ()) -> QueryResult:
        """`parameters`: more protocol parameters (default-graph-uri, ...: querying/dataset.py)."""
        text = inject_values(text, bindings or {})
        form = [("query", text), *parameters]
        response = self.client.request("POST", self.url, what="query", data=form,
                                       headers={"Accept": ACCEPT})
        kind = response.content_type
        # text/plain is N-Triples' old media type, which some stores still send
        syntax = syntaxes.for_media_type(kind) or (syntaxes.by_name("ntriples") if kind == "text/plain" else None)
        try:
            if kind in _RESULTS:
                return QueryResult.from_oxigraph(ox.parse_query_results(response.content, format=_RESULTS[kind]))
            if syntax is not None:
                triples = [q.triple for q in ox.parse(response.content, format=syntax.oxigraph)]
                return QueryResult("graph", triples=triples)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"query: the answer of {safe_url(self.url)} cannot be read as {kind} ({exc})") from exc
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
