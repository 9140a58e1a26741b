"""The engine's own promises: anchored plans, whole-set queries, fallback, the Result API."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from diffing import compare, load_store
from paths import DATA as DATA_DIR
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from migrmeta.load.reference import Reference
from migrmeta.namespaces import SH
from migrmeta.shacl import Engine, compile_shapes
from migrmeta.shacl.components.sparql import SparqlConstraint
from migrmeta.shacl.rewrite import anchor
from migrmeta.shacl.sparqltext import body

DATA = DATA_DIR / "shacl"
MMSH = "https://w3id.org/migrmeta/shapes#"
HIERARCHY = """
@prefix ex: <https://example.org/ns#> .
ex:household ex:broader ex:unit . ex:family ex:broader ex:household . ex:person ex:broader ex:unit .
ex:s1 ex:unit ex:family . ex:s2 ex:unit ex:person . ex:s3 ex:unit ex:household .
"""


def test_a_path_filtered_on_constants_is_anchored_on_each_constant() -> None:
    query = """PREFIX ex: <https://example.org/ns#>
        SELECT ?s ?h WHERE { ?s ex:unit ?u . FILTER (?h IN (ex:household, ex:nowhere)) ?u ex:broader* ?h }"""
    written = body(anchor(prepareQuery(query).algebra.p.p))
    assert "IN (" not in written and written.count("UNION") == 1
    assert "<https://example.org/ns#broader>)* <https://example.org/ns#household>" in written
    store = ox.Store()
    store.load(HIERARCHY, format=ox.RdfFormat.TURTLE)
    before = {(str(r["s"]), str(r["h"])) for r in store.query(query)}  # type: ignore[union-attr]
    after = {(str(r["s"]), str(r["h"])) for r in store.query(f"SELECT ?s ?h WHERE {{ {written} }}")}  # type: ignore[union-attr]
    assert before == after == {("<https://example.org/ns#s1>", "<https://example.org/ns#household>"),
                               ("<https://example.org/ns#s3>", "<https://example.org/ns#household>")}


def test_or_of_equalities_is_anchored_too() -> None:
    query = """PREFIX ex: <https://example.org/ns#>
        SELECT ?s WHERE { ?s ex:unit ?u . FILTER NOT EXISTS { ?u ex:broader+ ?h FILTER (?h = ex:a || ex:b = ?h) } }"""
    written = body(anchor(prepareQuery(query).algebra.p.p))
    assert ("UNION" in written and "ex#a>" not in written.split("UNION")[1]) or "<https://example.org/ns#b>" in written


def test_the_project_rules_walk_hierarchies_from_their_constants(reference: Reference) -> None:
    engine = compile_shapes(reference.shapes)
    where = {str(c.node): c.where for s in engine.compiled for p in s.properties for c in p.components
             if isinstance(c, SparqlConstraint) and str(p.node) in (MMSH + "proxyNeedsHousehold",
                                                                    MMSH + "remittancesObservable")}
    assert len(where) == 2
    for text in where.values():
        assert "broader>)* <https://w3id.org/migrmeta/vocab/sampling-unit/household>" in text
        assert "broader>)* <https://w3id.org/migrmeta/vocab/sampling-unit/family>" in text
        assert "?h IN" not in text


def test_queries_do_not_depend_on_the_number_of_focus_nodes(reference: Reference, tmp_path: Path) -> None:
    """Focus nodes are bound by the target pattern, never listed: the same queries run on
    10 and on 40 records (apart from the few that fetch the pairs of failing values)."""
    from bench.generate import generate_catalogue
    from migrmeta.load.reference import reference_files

    engine = compile_shapes(reference.shapes)
    counts = []
    for n in (10, 40):
        paths = generate_catalogue(n, tmp_path / str(n), seed=5, invalid_share=0.0)
        engine.validate(load_store([*map(str, reference_files()), *map(str, paths)], named=True))
        counts.append(len(engine.timings))
        assert not any("syn-0000" in q for _, q in engine.timings)
    assert abs(counts[0] - counts[1]) <= 5


def test_what_is_not_compiled_goes_to_pyshacl_and_agrees() -> None:
    shapes = Graph().parse(DATA / "fallback-shapes.ttl")
    engine = compile_shapes(shapes)
    reasons = {str(f.shape): f.reason for f in engine.fallback_shapes}
    assert set(reasons) == {"https://example.org/shapes#Pairs", "https://example.org/shapes#Recursive"}
    assert "equals" in reasons["https://example.org/shapes#Pairs"]
    assert "recursive" in reasons["https://example.org/shapes#Recursive"]
    diff, count = compare_on_hand_made_data(engine, shapes)
    assert diff == "" and count > 5


def test_results_are_rdflib_terms_with_details_linked() -> None:
    shapes = Graph().parse(DATA / "shapes.ttl")
    results = compile_shapes(shapes).validate(load_store([str(DATA / "data-a.ttl"), str(DATA / "data-b.ttl")], named=False))
    assert all(isinstance(r.focus, (URIRef, BNode, Literal)) and isinstance(r.component, URIRef) for r in results)
    assert all(isinstance(m, Literal) for r in results for m in r.messages)
    assert {"<https://example.org/ns#part>/<https://example.org/ns#weight>", "<https://example.org/ns#broader>+"} <= {
        r.path for r in results if isinstance(r.path, str) and not isinstance(r.path, URIRef)}
    details = [r for r in results if r.detail_of is not None]
    assert details and all(results[r.detail_of].component == SH.NodeConstraintComponent for r in details
                           if r.detail_of is not None)


def test_an_engine_read_back_from_disk_words_the_results_of_its_blank_node_shapes() -> None:
    """pySHACL's generic messages look shapes up by node, and a parser gives blank nodes new
    labels: the pickled engine keeps its own shapes graph, so its words stay pySHACL's."""
    import pickle

    shapes = Graph().parse(DATA / "shapes.ttl")
    engine = pickle.loads(pickle.dumps(compile_shapes(shapes)))
    assert engine._shapes is None  # rebuilt from what was pickled, when the first message needs it
    diff, count = compare_on_hand_made_data(engine, shapes)
    assert diff == "" and count > 50


def compare_on_hand_made_data(engine: Engine, shapes: Graph) -> tuple[str, int]:
    """diffing.compare on data-a.ttl and data-b.ttl, one named graph each in the engine's store."""
    files = [str(DATA / "data-a.ttl"), str(DATA / "data-b.ttl")]
    data = Graph()
    for path in files:
        data.parse(path)
    return compare(engine, data, shapes, load_store(files, named=True))


def test_the_datatypes_the_store_rewrites_are_those_the_engine_knows() -> None:
    """Oxigraph keeps some XSD datatypes as others (oxigraph/oxigraph#526); the engine leaves
    shapes and records holding them to pySHACL, from this table: it must match the store."""
    from rdflib.namespace import XSD

    from migrmeta.shacl.terms import REWRITTEN_DATATYPES

    samples = {"dateTimeStamp": "2020-01-01T00:00:00Z", "dateTime": "2020-01-01T00:00:00", "date": "2020-01-01",
               "time": "10:00:00", "duration": "P1Y", "dayTimeDuration": "P1D", "yearMonthDuration": "P1Y",
               "gYear": "2020", "gYearMonth": "2020-01", "boolean": "true", "anyURI": "http://x", "string": "a",
               "normalizedString": "a", "token": "a", "language": "en", "hexBinary": "AB", "base64Binary": "AB=="}
    numbers = ("integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
               "positiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")
    samples |= {name: "3" for name in numbers} | {"nonPositiveInteger": "-3", "negativeInteger": "-3"}
    store = ox.Store()
    for name, lexical in samples.items():
        store.add(ox.Quad(ox.NamedNode(f"urn:{name}"), ox.NamedNode("urn:p"),
                          ox.Literal(lexical, datatype=ox.NamedNode(str(XSD[name])))))
    kept_as = {str(XSD[q.subject.value[4:]]): q.object.datatype.value
               for q in store.quads_for_pattern(None, None, None) if isinstance(q.object, ox.Literal)}
    assert {d: kept for d, kept in kept_as.items() if d != kept} == REWRITTEN_DATATYPES


def test_a_shape_naming_a_literal_the_store_rewrites_goes_to_pyshacl_and_agrees() -> None:
    shapes = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <http://ex.org/> .
        ex:u a sh:PropertyShape ; sh:targetSubjectsOf ex:r ; sh:path ex:r ; sh:in ( "5"^^xsd:int ) .
        ex:v a sh:PropertyShape ; sh:targetSubjectsOf ex:r ; sh:path ex:r ; sh:hasValue 5 .
        ex:w a sh:PropertyShape ; sh:targetSubjectsOf ex:r ; sh:path ex:r ; sh:hasValue "5"^^xsd:long .
        ex:x a sh:PropertyShape ; sh:targetSubjectsOf ex:r ; sh:path ex:r ; sh:minInclusive "6"^^xsd:short .
        ex:y a sh:NodeShape ; sh:targetSubjectsOf ex:r ; sh:sparql [ sh:select
            "SELECT $this WHERE { $this <http://ex.org/r> ?v . FILTER (?v = '5'^^<http://www.w3.org/2001/XMLSchema#byte>) }" ] .
        """, format="turtle")
    engine = compile_shapes(shapes)
    reasons = {str(f.shape)[len("http://ex.org/"):]: f.reason for f in engine.fallback_shapes}
    assert set(reasons) == {"u", "w", "x", "y"}
    assert reasons["u"] == ("a literal of http://www.w3.org/2001/XMLSchema#int, which the store keeps as "
                            "http://www.w3.org/2001/XMLSchema#integer")
    data = Graph().parse(data='<http://ex.org/a> <http://ex.org/r> 5 .', format="turtle")
    diff, count = compare(engine, data, shapes)
    assert diff == "" and count == 4  # not "5"^^xsd:int nor "5"^^xsd:long, below 6, and = 5 (y)


def test_path_predicates_names_every_predicate_of_every_path() -> None:
    from migrmeta.shacl import path_predicates

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/ns#> .
        ex:S sh:property [ sh:path ex:a ] , [ sh:path ( ex:b [ sh:inversePath ex:c ] ) ] ,
            [ sh:path [ sh:alternativePath ( ex:d [ sh:zeroOrMorePath ex:e ] ) ] ] ;
            sh:targetClass ex:NotAPath ; sh:message "ex:f" .
        """, format="turtle")
    assert path_predicates(shapes) == {URIRef(f"https://example.org/ns#{n}") for n in "abcde"}


def _any_predicate(select: str) -> bool | None:
    shapes = Graph().parse(data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex.org/> .
        ex:s a sh:NodeShape ; sh:targetSubjectsOf ex:r ; sh:sparql [ sh:select "{select}" ] .""", format="turtle")
    engine = compile_shapes(shapes)
    assert not engine.fallback_shapes
    return engine.predicates is None


def test_a_variable_predicate_reads_literals_of_any_predicate_only_when_its_object_is_used() -> None:
    """Which records the store may hold (terms.REWRITTEN_DATATYPES): a query that can see the
    form of a literal reached by any predicate sends every record with such a literal to pySHACL;
    one that only asks whether a statement exists (shapes/vocabulary.ttl) does not."""
    assert not _any_predicate("SELECT $this ?path WHERE { $this ?path ?any . FILTER (isIRI(?path)) }")
    assert not _any_predicate("SELECT $this WHERE { $this ?p [] }")
    assert _any_predicate("SELECT $this ?value WHERE { $this ?p ?value }")  # projected
    assert _any_predicate("SELECT $this WHERE { $this ?p ?o . FILTER (?o > 4) }")  # compared
    assert _any_predicate("SELECT $this WHERE { $this ?p 5 }")  # a constant
    assert _any_predicate("SELECT $this WHERE { $this ?p ?o . ?x ?q ?o }")  # joined
