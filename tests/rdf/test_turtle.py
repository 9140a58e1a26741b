"""The one Turtle writer: every command that writes Turtle writes the same bytes for the same record."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import RECORDS
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from migrmeta.cli import cli
from migrmeta.formats.forms.text import record_turtle
from migrmeta.formats.harmonize import draft_turtle
from migrmeta.load import read_input
from migrmeta.rdf.turtle import turtle

RECORD = RECORDS / "mx-enadid.ttl"  # a series with rounds: blank-node periods and attributions


def body(text: str) -> str:
    """The statements, without the comment header each command puts on top."""
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith("#")).lstrip("\n")


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_import_export_form_query_and_the_writer_give_the_same_bytes(tmp_path: Path) -> None:
    graph = read_input(str(RECORD)).graph
    written = turtle(graph)
    assert isomorphic(Graph().parse(data=written, format="turtle"), graph)
    # drafts of the importers (DDI, DCAT) and records made from forms
    assert body(draft_turtle(graph, ["a header"])) == written
    assert body(record_turtle(graph, "x.yaml").decode()) == written
    # export form -> import form: the record comes back, written the same
    invoke("export", "form", str(RECORD), "-o", str(tmp_path / "f.yaml"))
    invoke("import", "form", str(tmp_path / "f.yaml"), "-o", str(tmp_path / "back.ttl"))
    assert body((tmp_path / "back.ttl").read_text()) == written
    # a CONSTRUCT answer of the embedded store (blank nodes relabelled by the store)
    answer = invoke("query", "--data", str(RECORD), "--no-reference", "--format", "turtle", "-e",
                    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert body(answer) == written


def test_published_turtle_is_what_the_writer_writes(tmp_path: Path) -> None:
    invoke("publish", "--no-cache", str(RECORD), str(RECORDS / "agencies.ttl"), "-o", str(tmp_path / "site"))
    for path in [tmp_path / "site" / "catalog.ttl", *sorted((tmp_path / "site" / "surveys").glob("*.ttl"))]:
        text = path.read_text()
        assert turtle(Graph().parse(data=text, format="turtle")) == text, path.name


def test_blank_nodes_are_inline_when_used_once_and_labelled_by_content_otherwise() -> None:
    s, p, q = URIRef("https://x.example/s"), URIRef("https://x.example/p"), URIRef("https://x.example/q")
    once, shared = BNode(), BNode()
    triples = [(s, p, once), (once, q, Literal("a")), (s, q, shared), (URIRef("https://x.example/t"), q, shared),
               (shared, p, Literal("b"))]
    text = turtle(triples)
    assert '[ <https://x.example/q> "a" ]' in text
    label = text.split("_:b", 1)[1].split()[0]
    assert text.count(f"_:b{label}") == 3  # the shared node: two uses and its own description
    other = BNode()  # the same content under another label: the same bytes
    assert turtle([(other if s_ == shared else s_, p_, other if o_ == shared else o_) for s_, p_, o_ in triples]) == text


@pytest.mark.parametrize("context", [
    {"@vocab": "https://x.example/"},
    {"p": {"@reverse": "https://x.example/p"}},
    {"p": {"@id": "https://x.example/p", "@context": {}}},
    {"p": {"@id": "https://x.example/p", "@nest": "n"}},
])
def test_the_json_ld_compactor_refuses_context_features_it_does_not_implement(context: dict[str, object]) -> None:
    from migrmeta.rdf.jsonld_out import JsonLdCompactor, UnsupportedContext

    with pytest.raises(UnsupportedContext):
        JsonLdCompactor(context, "https://x.example/context.jsonld")


def test_each_document_declares_the_prefixes_it_uses_when_its_terms_were_written_before() -> None:
    """Terms are written once per process (rdf/curie.py): a later document that uses them, alone,
    still declares their prefixes, a typed literal's datatype prefix included."""
    survey, title = URIRef("https://w3id.org/migrmeta/survey/s1"), URIRef("http://purl.org/dc/terms/title")
    issued = URIRef("http://purl.org/dc/terms/issued")
    year = Literal("2007", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))
    first = turtle([(survey, title, Literal("A")), (survey, issued, year)])
    again = turtle([(URIRef("https://w3id.org/migrmeta/survey/s2"), issued, year)])
    for text in (first, again):
        assert "@prefix dct: <http://purl.org/dc/terms/> ." in text
        assert "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ." in text
        assert '"2007"^^xsd:gYear' in text
        assert Graph().parse(data=text, format="turtle")  # what it declares is enough to read it
    unrelated = turtle([(URIRef("https://example.org/s"), URIRef("https://example.org/p"), year)])
    assert unrelated.splitlines()[0] == "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."  # only what it uses
    assert "dct:" not in unrelated
