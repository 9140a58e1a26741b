"""The JSON-LD compactor on a context using every feature it implements, checked against
pyld (the reference implementation): what it writes means the same statements, and pyld,
compacting its own expansion of it with the same context, gives it back unchanged."""

from __future__ import annotations

import json
from typing import Any

from conftest import Published
from pyld import jsonld as pyld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from migrmeta.namespaces import RDF, XSD
from migrmeta.rdf.jsonld_out import JsonLdCompactor, jsonld_nodes
from migrmeta.rdf.skolem import GENID

X = "https://x.example/"
CONTEXT: dict[str, object] = {
    "x": X,
    "id": "@id",
    "type": "@type",
    "Thing": f"{X}Thing",
    "title": {"@id": f"{X}title", "@container": ["@language", "@set"]},
    "size": {"@id": f"{X}size", "@type": str(XSD.integer)},
    "kind": {"@id": f"{X}kind", "@type": "@vocab"},
    "link": {"@id": f"{X}link", "@type": "@id", "@container": "@set"},
    "note": {"@id": f"{X}note"},
}
CONTEXT_IRI = "https://x.example/context.jsonld"


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    if url == CONTEXT_IRI:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": {"@context": CONTEXT}}
    raise RuntimeError(f"refused to fetch {url}")  # offline


def _statements() -> list[tuple[Any, Any, Any]]:
    s, child = URIRef(f"{X}s"), URIRef(f"{GENID}c1")
    return [
        (s, RDF.type, URIRef(f"{X}Thing")),
        (s, URIRef(f"{X}title"), Literal("Survey", lang="en")),
        (s, URIRef(f"{X}title"), Literal("Enquête", lang="fr")),
        (s, URIRef(f"{X}title"), Literal("untagged")),  # @none in the language map
        (s, URIRef(f"{X}size"), Literal("12", datatype=XSD.integer)),  # the term's own type: a bare value
        (s, URIRef(f"{X}size"), Literal("2020", datatype=XSD.gYear)),  # another type: not that term
        (s, URIRef(f"{X}kind"), URIRef(f"{X}Thing")),  # a term of the context: @vocab
        (s, URIRef(f"{X}kind"), URIRef(f"{X}other")),  # not a term
        (s, URIRef(f"{X}link"), URIRef("https://elsewhere.example/a")),
        (s, URIRef(f"{X}note"), URIRef("https://elsewhere.example/b")),  # a term without @type: {"id": ...}
        (s, URIRef(f"{X}note"), Literal("a note", lang="es")),  # a tagged text, no language map
        (s, URIRef(f"{X}note"), child),  # a skolem node: embedded
        (child, URIRef(f"{X}note"), Literal("inside")),
        (child, URIRef(f"{X}loop"), s),  # back to the root: a reference, not embedded again
    ]


def test_compacted_nodes_mean_the_statements_and_are_what_pyld_gives() -> None:
    compactor = JsonLdCompactor(CONTEXT, CONTEXT_IRI)
    nodes = jsonld_nodes(_statements(), [URIRef(f"{X}s")], compactor)
    assert len(nodes) == 1  # the skolem node is embedded, not listed on its own
    node = nodes[0]
    assert node["type"] == "Thing"
    assert node["title"] == {"en": ["Survey"], "fr": ["Enquête"], "@none": ["untagged"]}
    assert node["size"] == "12"
    assert node["x:size"] == {"type": str(XSD.gYear), "@value": "2020"}  # no term fits: a compact IRI
    assert node["kind"] == ["Thing", "x:other"]  # a term of the context written as the term
    assert node["link"] == ["https://elsewhere.example/a"]
    note = node["note"]
    assert isinstance(note, list) and {"@language": "es", "@value": "a note"} in note
    assert {"id": "https://elsewhere.example/b"} in note
    assert {"id": f"{GENID}c1", "note": "inside", "x:loop": {"id": "x:s"}} in note

    document = compactor.document(nodes)
    options = {"documentLoader": _loader}
    again = pyld.compact(pyld.expand(document, options), CONTEXT_IRI, options)
    assert again == document

    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _loader})
    expected = Graph()
    for triple in _statements():
        expected.add(triple)
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), expected)


def test_the_published_documents_hold_no_float(published: Published) -> None:
    """jsontext.document_text writes them by orjson, whose floats differ from Python's: every
    literal of a JSON-LD or schema.org document made from RDF is a string."""
    import re

    def no_float(text: str) -> float:
        raise AssertionError(f"a float in a published document: {text}")

    site = published.out
    documents = list(site.glob("surveys/*.jsonld"))
    for path in documents:  # the context they hold is written by json_text ("@version": 1.1)
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["@context"] == json.loads((site / "context.jsonld").read_text(encoding="utf-8"))["@context"]
        json.loads(json.dumps({k: v for k, v in document.items() if k != "@context"}), parse_float=no_float)
    pages = list(site.glob("*/surveys/*.html"))
    for page in pages:
        for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"),
                                 re.S):
            json.loads(script, parse_float=no_float)
    assert len(documents) > 100 and len(pages) > 300


def test_a_surveys_json_ld_is_read_alone_with_no_network(published: Published) -> None:
    """Its context was named by IRI (https://w3id.org/migrmeta/context.jsonld): rdflib, as a
    harvester runs it, went to the network for it and failed offline (the portal's review)."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    path = published.out / "surveys" / "mafe.jsonld"
    assert "https://w3id.org/migrmeta/context.jsonld" not in path.read_text(encoding="utf-8")
    read = Graph().parse(path, format="json-ld")  # the sandbox has no network: a fetch would fail
    assert isomorphic(read, Graph().parse(published.out / "surveys" / "mafe.ttl"))
