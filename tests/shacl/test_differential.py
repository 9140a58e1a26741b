"""The compiled engine finds exactly what pySHACL finds, result by result.

Reference run: `pyshacl.validate` on the whole data graph (records + reference data),
allow_warnings=True, no inference. Engine run: the same files loaded by pyoxigraph's own
parser into one store, as plain default graph and as one named graph per file (queried as
their union). Results are compared as multisets of (focus, path, value, source shape,
component, severity, messages); any difference fails and is printed (diffing.py).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from diffing import compare
from paths import DATA
from paths import REPO as ROOT
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from migrmeta.load.reference import Reference, reference_files
from migrmeta.shacl import Engine, compile_shapes

pytestmark = pytest.mark.slow  # every engine against pySHACL on whole catalogues

DCAT_AP = DATA / "dcat-ap-3"
DCAT_AP_SETS = {
    "mandatory": ("shapes.ttl", "range.ttl", "deprecateduris.ttl"),
    "recommended": ("shapes_recommended.ttl", "mdr-vocabularies.shape.ttl"),
    "consolidated": ("dcat-ap-SHACL.ttl",),
}


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """rdflib warns about every ill-typed literal of the test data."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)
        yield
        logging.disable(logging.NOTSET)


@pytest.fixture(scope="module")
def project(reference: Reference) -> Engine:
    return compile_shapes(reference.shapes)


def parsed(files: list[Path]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format=_format(path))
    return graph


def _format(path: Path) -> str:
    return {".rdf": "xml", ".jsonld": "json-ld"}.get(path.suffix, "turtle")


def check(engine: Engine, shapes: Graph, files: list[Path], named: bool = True, minimum: int = 1) -> None:
    """Both runs on the same files; the engine with one named graph per file, or not."""
    assert engine.fallback_shapes == []
    store = ox.Store()
    for path in files:
        target = ox.NamedNode(path.as_uri()) if named else ox.DefaultGraph()
        try:
            store.load(path=str(path), format=_ox_format(path), to_graph=target)
        except SyntaxError:  # broken Turtle that rdflib accepts: take rdflib's reading
            store.load(parsed([path]).serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
    diff, count = compare(engine, parsed(files), shapes, store)
    assert diff == "", f"{count} pySHACL results; differences:\n{diff}"
    assert count >= minimum


def _ox_format(path: Path) -> ox.RdfFormat:
    return {".rdf": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD}.get(path.suffix, ox.RdfFormat.TURTLE)


# --- the project's shapes ------------------------------------------------------------------


def test_every_case_of_test_shapes(project: Engine, reference: Reference, tmp_path: Path) -> None:
    """The complete record (passes), each shape's edit (fails) and the access levels set against
    each other (rules 38-39, passing and failing), side by side in one graph: each case's
    subjects are renamed and its blank nodes kept apart."""
    from model.test_shapes import ACCESS_LEVELS, CASES, PSA, SERIES, S, access_levels, edited

    from migrmeta.load import read_input

    complete = read_input(str(DATA / "shapes" / "sof-complete.ttl"))
    files = list(reference_files())
    updates = [(name, update) for name, (update, *_rest) in sorted(CASES.items())]
    updates += [(f"access-{name}", access_levels(levels)) for name, (levels, _) in sorted(ACCESS_LEVELS.items())]
    for name, update in [("complete", ""), *updates]:
        graph = edited(complete, update).graph if update else complete.graph
        rename = {URIRef(i): URIRef(f"{i}-{name}") for i in (S, SERIES, PSA)}
        case = Graph()
        for triple in graph:
            case.add(tuple(_renamed(t, rename, name) for t in triple))  # type: ignore[arg-type]
        files.append(tmp_path / f"{name}.ttl")
        case.serialize(files[-1], format="turtle")
    check(project, reference.shapes, files, minimum=len(CASES))


def _renamed(term: Node, rename: dict[URIRef, URIRef], case: str) -> Node:
    if isinstance(term, BNode):
        return BNode(f"{case}x{term}")
    return rename.get(term, term) if isinstance(term, URIRef) else term


@pytest.mark.parametrize("named", [True, False], ids=["named-graphs", "default-graph"])
def test_bundled_records(project: Engine, reference: Reference, named: bool) -> None:
    records = sorted((ROOT / "records").glob("*.ttl"))
    check(project, reference.shapes, [*reference_files(), *records], named=named, minimum=1)


def test_synthetic_catalogue_with_every_mistake(project: Engine, reference: Reference, tmp_path: Path) -> None:
    from bench.generate import generate_catalogue

    paths = generate_catalogue(300, tmp_path, seed=3, invalid_share=0.5)
    check(project, reference.shapes, [*reference_files(), *paths, tmp_path / "agencies.ttl"], minimum=300)


# --- hand-made shapes and data: every component, path and target kind -------------------


@pytest.mark.parametrize("named", [True, False], ids=["named-graphs", "default-graph"])
def test_hand_made_blank_nodes_and_languages(named: bool) -> None:
    shapes = Graph().parse(DATA / "shacl" / "shapes.ttl")
    check(compile_shapes(shapes), shapes, [DATA / "shacl" / "data-a.ttl", DATA / "shacl" / "data-b.ttl"],
          named=named, minimum=50)


# --- the official DCAT-AP 3 shapes ----------------------------------------------------------


def dcat_ap_shapes(which: str) -> Graph:
    graph = Graph()
    for name in DCAT_AP_SETS[which]:
        graph.parse(DCAT_AP / name, format="turtle")
    return graph


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from migrmeta.publishing.site import PublishOptions, publish

    out = tmp_path_factory.mktemp("published") / "site"
    cache = tmp_path_factory.getbasetemp() / "validation-cache"
    result = publish([ROOT / "records"], out, PublishOptions(skip_invalid=True, cache_dir=cache))
    assert result.refused is None
    return out / "catalog.ttl"


@pytest.mark.parametrize("which", sorted(DCAT_AP_SETS))
def test_published_catalogue_against_dcat_ap_3(catalogue: Path, which: str) -> None:
    shapes = dcat_ap_shapes(which)
    check(compile_shapes(shapes), shapes, [catalogue], minimum=0)


# (the bee example .ttl is not Turtle, for rdflib or oxigraph; its .jsonld needs a remote context)
BROKEN = ["dataset_gob_es.ttl", "dataset_gov_de.rdf",
          "catalog_pod.jsonld"]


@pytest.mark.parametrize("which", sorted(DCAT_AP_SETS))
@pytest.mark.parametrize("example", BROKEN)
def test_broken_dcat_examples_against_dcat_ap_3(example: str, which: str) -> None:
    shapes = dcat_ap_shapes(which)
    check(compile_shapes(shapes), shapes, [DATA / "dcat" / example], minimum=0)
