"""Did the store keep what was pushed? Content digests, not counts.

A store can answer 204 to a PUT and keep nothing, or keep a graph with one literal changed:
the triple count of every graph would still match. `check_content` reads each graph back
(a GSP GET) and compares its canonical N-Triples with the local graph's:

- blank nodes get new labels in the store, so both sides are first canonicalised
  (`rdflib.compare.to_canonical_graph`, the RGDA1 algorithm: isomorphic graphs give the
  same labels); graphs without blank nodes need no such step;
- each triple is written as canonical N-Triples (`rdf.skolem.encode`: escapes, lower-case
  language tags, xsd:string written plain), the lines sorted, and the SHA-256 of the text
  is the graph's digest;
- a mismatch names the graph, both digests, how many triples are missing and unexpected,
  and one of each as an example.

`check_counts` is the cheaper check for stores too large to read back: one SPARQL query
counts the triples of every graph (a changed literal goes unseen; docs/reliability.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from migrmeta.messages import plural
from migrmeta.querying.store import CatalogueGraph
from migrmeta.rdf.skolem import encode
from migrmeta.rdf.terms import to_rdflib

CHECKS = ("content", "counts")


@dataclass(frozen=True)
class GraphCheck:
    """A graph the store does not hold as pushed."""

    graph: str
    source: str
    expected: int
    found: int
    note: str = ""


def canonical_lines(triples: Iterable[ox.Triple]) -> list[str]:
    """The graph as sorted canonical N-Triples lines, blank nodes labelled canonically, and
    literals as a store keeps them: Oxigraph writes "1000.0"^^xsd:decimal back as "1000" and
    "1.5E0"^^xsd:double as "1.5", so both sides are passed through one (in memory) first."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    graph = Graph()
    add = graph.add
    bnodes = False
    for triple in (quad.triple for quad in store):
        s, p, o = to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)
        bnodes = bnodes or isinstance(s, BNode) or isinstance(o, BNode)
        add((s, p, o))
    if bnodes:
        graph = to_canonical_graph(graph)
    return sorted({f"{encode(s)} {encode(p)} {encode(o)} .\n" for s, p, o in graph})


def digest(lines: list[str]) -> str:
    return "sha256:" + hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def compare_content(graph: CatalogueGraph, held: Iterable[ox.Triple]) -> GraphCheck | None:
    """None when the store's copy has the same canonical N-Triples; else what differs."""
    local, remote = canonical_lines(graph.triples), canonical_lines(held)
    if local == remote:
        return None
    ours, theirs = set(local), set(remote)
    missing, unexpected = sorted(ours - theirs), sorted(theirs - ours)
    parts = [f"the store holds other content ({digest(remote)[:19]}..., pushed {digest(local)[:19]}...)",
             f"{plural(len(missing), 'triple')} missing, {len(unexpected):,} unexpected"]
    if missing:
        parts.append(f"e.g. missing {_short(missing[0])}")
    if unexpected:
        parts.append(f"e.g. unexpected {_short(unexpected[0])}")
    return GraphCheck(graph.name, graph.source, len(local), len(remote), "; ".join(parts))


def _short(line: str, width: int = 160) -> str:
    line = line.rstrip("\n")
    return line if len(line) <= width else line[: width - 3] + "..."


def compare_count(graph: CatalogueGraph, found: int) -> GraphCheck | None:
    return None if found == len(graph) else GraphCheck(graph.name, graph.source, len(graph), found)


__all__ = ["CHECKS", "GraphCheck", "canonical_lines", "compare_content", "compare_count", "digest"]
