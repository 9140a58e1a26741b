"""rdf.readonly.ReadOnlyGraph answers as rdflib's in-memory Graph does, in the same order (the
survey files a publish writes from it are the same bytes), for every pattern the writers use."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.exceptions import UniquenessError
from rdflib.namespace import RDF
from rdflib.term import Node

from migrmeta.rdf.readonly import ReadOnlyGraph

_IRIS = [URIRef(f"https://example.org/{n}") for n in "abcd"]
_NODES: list[Node] = [*_IRIS, BNode("x"), Literal("1"), Literal("1", lang="fr"), Literal(1), Literal("01")]
_SUBJECTS = st.sampled_from([*_IRIS, BNode("x")])
_TRIPLES = st.lists(st.tuples(_SUBJECTS, st.sampled_from(_IRIS[:3]), st.sampled_from(_NODES)), max_size=30)
_PATTERN = st.tuples(st.none() | _SUBJECTS, st.none() | st.sampled_from(_IRIS[:3]), st.none() | st.sampled_from(_NODES))


def _both(triples: list[tuple[Node, Node, Node]]) -> tuple[Graph, ReadOnlyGraph]:
    graph = Graph(store="SimpleMemory")
    for triple in triples:
        graph.add(triple)
    return graph, ReadOnlyGraph(triples)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(_TRIPLES, _PATTERN)
def test_every_pattern_in_the_order_of_rdflib(triples: list[tuple[Node, Node, Node]],
                                              pattern: tuple[Node | None, Node | None, Node | None]) -> None:
    graph, readonly = _both(triples)
    s, p, o = pattern
    assert len(readonly) == len(graph)
    assert list(readonly) == list(graph)
    assert list(readonly.triples(pattern)) == list(graph.triples(pattern))
    assert (pattern in readonly) == (pattern in graph)
    assert list(readonly.objects(s, p)) == list(graph.objects(s, p))
    assert list(readonly.subjects(p, o)) == list(graph.subjects(p, o))
    assert list(readonly.predicates(s, o)) == list(graph.predicates(s, o))
    assert list(readonly.subject_objects(p)) == list(graph.subject_objects(p))
    assert list(readonly.predicate_objects(s)) == list(graph.predicate_objects(s))
    if sum(x is None for x in pattern) == 1:  # rdflib fails on a pattern without a free place
        assert readonly.value(s, p, o) == graph.value(s, p, o)
    assert readonly.value(s, p, default=Literal("none")) == graph.value(s, p, default=Literal("none"))


def test_value_as_rdflib() -> None:
    a, b, c = _IRIS[:3]
    graph, readonly = _both([(a, b, Literal("x")), (a, b, Literal("y")), (a, RDF.value, c)])
    assert readonly.value(a) == graph.value(a) == c  # rdf:value unless told
    assert readonly.value(a, b) == Literal("x")
    assert readonly.value(None, b, Literal("y")) == a
    assert readonly.value(a, None, c) == RDF.value
    assert readonly.value(a, b, Literal("x")) is None  # no free place: nothing to answer (rdflib fails)
    assert readonly.value(None, b) is graph.value(None, b) is None  # two free places, as rdflib
    with pytest.raises(UniquenessError):
        readonly.value(a, b, any=False)
    assert readonly.value(a, RDF.value, any=False) == c
