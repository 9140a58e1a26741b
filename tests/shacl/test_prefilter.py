"""A SPARQL constraint whose filters read one term of one statement alone (the vocabulary
shapes' form) is asked once per distinct term of the store (migrmeta/shacl/prefilter.py):
the same results as pySHACL, with or without a term that fails, and the plain plan kept when
the terms cannot be listed."""

from __future__ import annotations

import pytest
from diffing import compare
from rdflib import Graph

from migrmeta.shacl import compile_shapes, evaluate
from migrmeta.shacl.components.sparql import SparqlConstraint

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/ns#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
DECLARE = """ex:prefixes sh:declare [ sh:prefix "rdf" ;
    sh:namespace "http://www.w3.org/1999/02/22-rdf-syntax-ns#"^^xsd:anyURI ] ,
    [ sh:prefix "ex" ; sh:namespace "https://example.org/ns#"^^xsd:anyURI ] ."""
UNDECLARED = """
    SELECT $this ?path WHERE { $this ?path ?any .
        FILTER (STRSTARTS(STR(?path), "https://example.org/ns#"))
        FILTER NOT EXISTS { ?path rdf:type rdf:Property } }"""
UNKNOWN_KIND = """
    SELECT $this ?value WHERE { $this ex:kind ?value .
        FILTER NOT EXISTS { ?value rdf:type ex:Kind } }"""


def shapes(*selects: str) -> Graph:
    constraints = "\n".join(
        f'ex:shape{n} a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "{{?path}} {{?value}}" ; '
        f'sh:sparql [ sh:prefixes ex:prefixes ; sh:select """{select}""" ] .'
        for n, select in enumerate(selects))
    return Graph().parse(data=PREFIXES + DECLARE + constraints, format="turtle")


DATA = PREFIXES + """
ex:known a rdf:Property . ex:Kind a rdf:Class . ex:good a ex:Kind .
ex:a a ex:Thing ; ex:known 1 ; ex:kind ex:good .
ex:b a ex:Thing ; ex:known 2 ; ex:knwon 3 ; ex:kind ex:bad .
ex:c a ex:Thing ; ex:knwon 4 ; ex:other "x" ; ex:kind "a literal" .
[] a ex:Thing ; ex:knwon 5 ; ex:kind [ a ex:Kind ] .
ex:d ex:knwon 6 .
"""


def constraints(graph: Graph) -> list[SparqlConstraint]:
    engine = compile_shapes(graph)
    return [c for s in engine.compiled for c in s.components if isinstance(c, SparqlConstraint)]


def test_the_filters_on_a_predicate_are_asked_of_each_distinct_predicate_with_pyshacls_results() -> None:
    graph = shapes(UNDECLARED)
    [constraint] = constraints(graph)
    assert constraint.prefilter is not None and constraint.prefilter.var == "path"
    engine = compile_shapes(graph)
    diff, count = compare(engine, Graph().parse(data=DATA, format="turtle"), graph)
    assert diff == ""
    assert count == 3 + 1 + 4  # ex:knwon of b, c and the blank node; ex:other of c; ex:kind of all four
    assert any("VALUES ?path" in query for _, query in engine.timings)


def test_two_constraints_share_one_scan_of_the_predicates_and_none_failing_costs_no_join() -> None:
    graph = shapes(UNDECLARED, UNDECLARED.replace("$this ?path ?any", "$this ?path ?something"))
    engine = compile_shapes(graph)
    clean = PREFIXES + "ex:known a rdf:Property . ex:a a ex:Thing ; ex:known 1 . ex:b a ex:Thing ; ex:known 2 ."
    diff, count = compare(engine, Graph().parse(data=clean, format="turtle"), graph)
    assert diff == "" and count == 0  # rdf:type is not of ex:, and ex:known is declared
    scans = [q for _, q in engine.timings if q.startswith("SELECT DISTINCT ?path WHERE")]
    assert len(scans) == 1
    assert not any("?this" in q for _, q in engine.timings)  # the focus nodes were never joined


def test_the_object_of_a_constant_predicate_is_prefiltered_and_a_blank_one_keeps_the_plain_plan() -> None:
    graph = shapes(UNKNOWN_KIND)
    [constraint] = constraints(graph)
    assert constraint.prefilter is not None and constraint.prefilter.var == "value"
    data = Graph().parse(data=DATA, format="turtle")
    engine = compile_shapes(graph)
    diff, count = compare(engine, data, graph)
    assert diff == "" and count == 2  # ex:bad and the literal; the blank kind is an ex:Kind
    assert not any("VALUES ?value" in q for _, q in engine.timings)  # a blank node cannot be listed
    without_blank = Graph().parse(data=DATA.replace("ex:kind [ a ex:Kind ]", "ex:kind ex:good"), format="turtle")
    diff, count = compare(engine, without_blank, graph)
    assert diff == "" and count == 2
    assert any("VALUES ?value" in q for _, q in engine.timings)


def test_too_many_distinct_terms_keep_the_plain_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate, "_MAX_LISTED", 2)
    graph = shapes(UNDECLARED)
    engine = compile_shapes(graph)
    diff, count = compare(engine, Graph().parse(data=DATA, format="turtle"), graph)
    assert diff == "" and count == 8
    assert not any("VALUES" in q for _, q in engine.timings)


@pytest.mark.parametrize("select", [
    # the filter reads the focus node, or the statement's object: not one term alone
    'SELECT $this ?path WHERE { $this ?path ?any . FILTER (STRSTARTS(STR(?path), STR($this))) }',
    'SELECT $this ?path WHERE { $this ?path ?any . FILTER (isLiteral(?any)) }',
    'SELECT $this ?path WHERE { $this ?path ?any . FILTER NOT EXISTS { ?path rdf:type ?any } }',
    # two statements, or the other term projected
    'SELECT $this ?path WHERE { $this ?path ?any . ?any ?path ?x . FILTER (isIRI(?path)) }',
    'SELECT $this ?path ?any WHERE { $this ?path ?any . FILTER (isIRI(?path)) }',
])
def test_other_forms_are_not_prefiltered_and_agree_with_pyshacl(select: str) -> None:
    graph = shapes(select)
    [constraint] = constraints(graph)
    assert constraint.prefilter is None
    diff, _count = compare(compile_shapes(graph), Graph().parse(data=DATA, format="turtle"), graph)
    assert diff == ""


def test_a_blank_node_label_shared_with_the_filters_exists_is_not_one_term_alone() -> None:
    """`_:o` in the pattern and in the EXISTS is one node (a reviewer's case): the filter reads
    the statement's object too, so the constraint keeps the plain plan, and pySHACL's result."""
    graph = Graph().parse(data=PREFIXES + """ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select
        "SELECT $this ?path WHERE { $this ?path _:o . FILTER NOT EXISTS { ?path <https://example.org/ns#allows> _:o } }"
        ] .""", format="turtle")
    [constraint] = constraints(graph)
    assert constraint.prefilter is None
    data = Graph().parse(data=PREFIXES + "ex:a ex:p 1 . ex:p ex:allows 2 .", format="turtle")
    assert compare(compile_shapes(graph), data, graph) == ("", 1)


def test_a_listed_literal_is_never_rewritten_as_the_querys_own_text() -> None:
    """The evaluator rewrites `rdf:type/rdfs:subClassOf* C` in a query's text; a literal of the
    data listed in VALUES that holds those words is the data's, kept as it is."""
    graph = Graph().parse(data=PREFIXES + """ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select
        "SELECT $this ?value WHERE { $this <https://example.org/ns#note> ?value . FILTER (isLiteral(?value)) }" ] .""",
        format="turtle")
    [constraint] = constraints(graph)
    assert constraint.prefilter is not None
    note = ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
            "<https://example.org/ns#C>")
    data = Graph().parse(data=PREFIXES + f'ex:a ex:note "{note}" .', format="turtle")
    assert compare(compile_shapes(graph), data, graph) == ("", 1)


def test_a_triple_term_among_the_terms_keeps_the_plain_plan() -> None:
    """RDF 1.2 triple terms cannot be listed in a query (their str() is no SPARQL): the plain
    plan runs, with the results it gives (the readers refuse such records before)."""
    import pyoxigraph as ox

    graph = shapes('SELECT $this ?value WHERE { $this ex:kind ?value . FILTER (isLiteral(?value)) }')
    store = ox.Store()
    store.load(input=PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n").replace(" . ", " ")
               + 'ex:a a ex:Thing ; ex:kind <<( [] ex:p ex:o )>> , "x" .', format=ox.RdfFormat.TURTLE)
    engine = compile_shapes(graph)
    results = engine.validate(store)
    assert [(str(r.focus), str(r.value)) for r in results] == [("https://example.org/ns#a", "x")]
    assert not any("VALUES" in q for _, q in engine.timings)


def test_the_scan_of_the_terms_names_no_variable_of_the_users_query() -> None:
    """The scan named its other terms ?_prefilter_s and ?_prefilter_o: a constraint whose term
    was ?_prefilter_s scanned nothing, and lost pySHACL's result (a reviewer's case)."""
    graph = shapes("SELECT $this ?_prefilter_s WHERE { $this ?_prefilter_s ?o . "
                   "FILTER (STRSTARTS(STR(?_prefilter_s), 'https://example.org/ns#')) }")
    [constraint] = constraints(graph)
    assert constraint.prefilter is not None
    data = Graph().parse(data=PREFIXES + "ex:a a ex:Thing ; ex:v 1 .", format="turtle")
    assert compare(compile_shapes(graph), data, graph) == ("", 1)
