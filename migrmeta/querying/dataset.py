"""Which graphs a question reads on a remote endpoint, so it answers as on the embedded store.

SPARQL 1.1 leaves the default graph of an endpoint to the service: on Virtuoso and Fuseki
(with `unionDefaultGraph`) it is every graph, on a plain `oxigraph serve` it is a graph of its
own that `migrmeta push` never writes, so a question without `GRAPH` answers nothing there.
Rather than a silent "(0 rows)", `default_graphs` looks before asking:

- the query names its own dataset (`FROM`, `FROM NAMED`): it is left alone;
- the default graph describes a survey or a series: it is used as it is (a union default
  graph, or a catalogue loaded there);
- it describes none, but named graphs hold statements: the question is asked of those graphs,
  and a note says so. An empty default graph is the common case (`push` never writes it); one
  that holds a few stray statements (an `INSERT DATA` without `GRAPH`) but no survey is the
  same case, which a test of emptiness alone would answer with a silent "(0 rows)". A default
  graph that holds statements while no named graph describes a survey is used as it is.
  The named graphs' merge becomes the default graph, as on the embedded store, through the
  SPARQL 1.1 Protocol's `default-graph-uri` (one per graph), leaving out the graphs a merge
  and the DCAT-AP profile set aside (`.../superseded`, `.../replaced`: merging.sources).
  Oxigraph evaluates a long list of graphs slowly (the coverage matrix: 37 s instead of 1 s),
  so where no such graph exists and the endpoint answers its own `union-default-graph`
  parameter (checked with an ASK), that parameter is sent instead.

Three or four small queries (ASKs and the graph names) are the cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from migrmeta.merging.sources import ASIDE_SUFFIXES
from migrmeta.namespaces import MM
from migrmeta.querying.endpoint import SparqlEndpoint
from migrmeta.querying.execution import names_its_dataset, service_calls, syntax_problem

UNION = (("union-default-graph", ""),)  # Oxigraph's own protocol parameter
# A pattern that matches where a survey or a series is described (what every saved question reads).
_A_SURVEY = f"?s a ?type VALUES ?type {{ <{MM.Survey}> <{MM.SurveySeries}> }}"


@dataclass(frozen=True)
class DefaultGraph:
    """The graphs to name as the default graph (none: the endpoint's own), and why."""

    graphs: tuple[str, ...] = ()
    note: str | None = None
    union: bool = False  # the endpoint's own union-default-graph parameter stands for `graphs`

    @property
    def parameters(self) -> tuple[tuple[str, str], ...]:
        """The protocol parameters that make these graphs the default graph."""
        if self.union:
            return (("union-default-graph", ""),)
        return tuple(("default-graph-uri", g) for g in self.graphs)


def default_graphs(endpoint: SparqlEndpoint, text: str) -> DefaultGraph:
    """The default graph to ask `text` of on `endpoint` (see the module's docstring); a query that
    cannot be parsed here (a store's own syntax, or a typo the store will refuse) is sent as it is."""
    # a query rdflib cannot read (service_calls None) may name its dataset in a syntax it does not
    # know: sent as it is, never with protocol graphs that would override its FROM
    if syntax_problem(text, "") is not None or names_its_dataset(text) or service_calls(text) != []:
        return DefaultGraph()
    if endpoint.query(f"ASK {{ {_A_SURVEY} }}").boolean:
        return DefaultGraph()
    stray = bool(endpoint.query("ASK { ?s ?p ?o }").boolean)
    if stray and not endpoint.query(f"ASK {{ GRAPH ?g {{ {_A_SURVEY} }} }}").boolean:
        return DefaultGraph()  # no survey anywhere: nothing better to ask than the default graph
    result = endpoint.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    names = sorted(str(row[0].value) for row in result.rows if isinstance(row[0], ox.NamedNode))
    graphs = tuple(g for g in names if not g.endswith(ASIDE_SUFFIXES))
    if not graphs:
        return DefaultGraph(note=f"{endpoint.shown} holds no statements: every question answers nothing there")
    union = len(graphs) == len(names) and bool(endpoint.query("ASK { ?s ?p ?o }", parameters=UNION).boolean)
    state = "holds statements but no survey" if stray else "is empty"
    return DefaultGraph(graphs, union=union, note=(
        f"the default graph of {endpoint.shown} {state}: the question was asked of its {len(graphs)} named "
        f"graphs ({'union-default-graph' if union else 'SPARQL default-graph-uri'}); on Oxigraph, "
        "`oxigraph serve --union-default-graph` makes them the default graph"))


__all__ = ["UNION", "DefaultGraph", "default_graphs", "names_its_dataset"]
