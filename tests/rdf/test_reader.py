"""The one reader: blank-node scope, IRIs at the door, JSON-LD without the network, limits."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from paths import DATA

from migrmeta import limits
from migrmeta.errors import InputError, UsageError
from migrmeta.limits import DEFAULT_LIMITS
from migrmeta.load import read_input
from migrmeta.namespaces import BASE
from migrmeta.rdf.reader import check_loaded, load_into, parse
from migrmeta.validation.render import TURTLE_HEAD

TRIPLE = '<https://x.example/s> <http://purl.org/dc/terms/title> "t" .\n'


def error_of(data: bytes | str, syntax: str, source: str = "in.ttl") -> InputError:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(InputError) as caught:
        parse(raw, source, syntax)
    return caught.value


def test_blank_node_labels_are_local_to_each_parse() -> None:
    text = b"_:b0 <http://p.example/x> \"1\" .\n"
    first, second = parse(text, "a.nt", "ntriples"), parse(text, "b.nt", "ntriples")
    assert first[0].subject != second[0].subject


@pytest.mark.parametrize("iri", ["https://x/a b", 'https://x/a"b', "https://x/a>b", "https://x/a{b", "https://x/a\nb"])
def test_bad_iris_in_json_ld_are_input_errors_with_their_line(iri: str) -> None:
    text = '{\n  "@id": ' + json.dumps(iri) + ',\n  "http://purl.org/dc/terms/title": "x"\n}'
    error = error_of(text, "jsonld", "r.jsonld")
    assert "invalid IRI" in error.problem and error.location.line == 2


@pytest.mark.parametrize("syntax,text", [
    ("turtle", '<https://x/a b> <http://p.example/x> "1" .'),
    ("ntriples", '<https://x/a"b> <http://p.example/x> "1" .'),
    ("rdfxml", '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description rdf:about="https://x/a b"><x xmlns="http://p.example/">1</x></rdf:Description></rdf:RDF>'),
])
def test_bad_iris_in_other_syntaxes_are_syntax_errors(syntax: str, text: str) -> None:
    error = error_of(text, syntax)
    assert "syntax error" in error.problem and "IRI" in error.problem


def test_json_ld_relative_iris_resolve_against_the_project_base_not_the_folder(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "r.jsonld"
    record.write_text(json.dumps({"@id": "survey/x", "http://purl.org/dc/terms/title": "x"}))
    monkeypatch.chdir(tmp_path)
    quads = read_input(str(record)).quads
    assert [q.subject.value for q in quads] == [f"{BASE}survey/x"]
    assert all("file:" not in str(q) for q in quads)


def test_json_ld_remote_contexts_are_never_fetched() -> None:
    error = error_of('{"@context": "https://example.org/ctx.jsonld", "@id": "https://x/a", "t": "x"}', "jsonld")
    assert "remote and is not fetched" in error.problem


def test_json_ld_context_cycles_are_input_errors(tmp_path: Path) -> None:
    (tmp_path / "a.jsonld").write_text(json.dumps({"@context": "b.jsonld", "@id": "https://x/a", "t": "x"}))
    (tmp_path / "b.jsonld").write_text(json.dumps({"@context": "a.jsonld"}))
    (tmp_path / "self.jsonld").write_text(json.dumps({"@context": "self.jsonld", "@id": "https://x/a"}))
    for name in ("a.jsonld", "self.jsonld"):
        with pytest.raises(InputError) as caught:
            read_input(str(tmp_path / name))
        assert "cycle of contexts" in caught.value.problem


def test_deep_json_is_an_input_error_not_a_recursion_error() -> None:
    deep = '{"@id": "https://x/a", ' + '"http://p.example/x": {' * 10_000 + '"http://p.example/x": "x"' + "}" * 10_001
    assert "nested more than" in error_of(deep, "jsonld", "deep.jsonld").problem


def test_deep_blank_nodes_and_long_lists_are_refused_at_the_door() -> None:
    nested = "@prefix : <http://x.example/> .\n:s :p " + "[ :p " * 1000 + '"x"' + " ]" * 1000 + " .\n"
    assert "levels deep" in error_of(nested, "turtle").problem
    members = " ".join(f'"{i}"' for i in range(DEFAULT_LIMITS.list_length + 1))
    assert "RDF list" in error_of(f"@prefix : <http://x.example/> .\n:s :p ({members}) .\n", "turtle").problem
    within = " ".join(f'"{i}"' for i in range(50))
    assert parse(f"@prefix : <http://x.example/> .\n:s :p ({within}) .\n".encode(), "ok.ttl", "turtle")


def test_limits_can_be_raised_for_one_run() -> None:
    nested = "@prefix : <http://x.example/> .\n:s :p " + "[ :p " * 40 + '"x"' + " ]" * 40 + " .\n"
    with limits.using(DEFAULT_LIMITS.with_settings(["depth=50"])):
        assert parse(nested.encode(), "n.ttl", "turtle")
    with pytest.raises(UsageError):
        DEFAULT_LIMITS.with_settings(["nope=3"])


def test_xml_entity_bombs_and_external_entities_are_refused() -> None:
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
            'rdf:about="http://x.example/s"><p xmlns="http://p.example/">&b;</p></rdf:Description></rdf:RDF>')
    error = error_of(bomb, "rdfxml", "bomb.rdf")
    assert "entities" in error.problem and error.location.line == 2
    external = bomb.replace('<!ENTITY b "&a;&a;&a;&a;">', '<!ENTITY b SYSTEM "file:///etc/passwd">')
    assert "external" in error_of(external, "rdfxml", "ext.rdf").problem


def test_files_over_the_size_limit_are_refused() -> None:
    with limits.using(DEFAULT_LIMITS.with_settings(["file_mb=0.0001"])):
        assert "limit `file_mb`" in error_of(TRIPLE * 10, "ntriples").problem


# --- straight into a store (the compiled validation engine reads records this way) ------------


def loaded(files: dict[str, bytes], syntax: str = "turtle") -> tuple[ox.Store, dict[ox.NamedNode, str],
                                                                     dict[str, InputError]]:
    store, graphs, errors = ox.Store(), {}, {}
    for index, (source, data) in enumerate(files.items()):
        graph = ox.NamedNode(f"urn:test:{index}")
        try:
            load_into(store, data, source, syntax, graph)
            graphs[graph] = source
        except InputError as exc:
            errors[source] = exc
    for exc in check_loaded(store, graphs):
        errors[exc.location.source] = exc
    return store, {g: s for g, s in graphs.items() if s not in errors}, errors


def test_loading_into_a_store_keeps_blank_nodes_apart_and_gives_parse_s_statements() -> None:
    anonymous = b"@prefix : <http://x.example/> .\n:s :p [ :q 1 ] .\n"
    labelled = b"_:b0 <http://p.example/x> \"1\" .\n"
    store, graphs, errors = loaded({"a.ttl": anonymous, "b.ttl": anonymous, "c.ttl": labelled, "d.ttl": labelled})
    assert not errors
    nodes = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode("http://x.example/q"), None, None)}
    nodes |= {q.subject for q in store.quads_for_pattern(None, ox.NamedNode("http://p.example/x"), None, None)}
    assert len(nodes) == 4  # one blank node per file, labelled or not
    for graph, source in graphs.items():
        data = anonymous if source in ("a.ttl", "b.ttl") else labelled
        assert len(list(store.quads_for_pattern(None, None, None, graph))) == len(parse(data, source, "turtle"))


@pytest.mark.parametrize("data", [
    b"@prefix : <http://x.example/> .\n:s :p .\n",  # a syntax error at line 2
    b"<a> <b> <c> .\n",  # relative IRIs
    b"@prefix : <http://x.example/> .\n",  # no statements
    "\ufeff".encode("utf-16"),  # not UTF-8
    b"",
])
def test_a_refused_file_gives_parse_s_error_and_adds_nothing(data: bytes) -> None:
    store, graphs, errors = loaded({"bad.ttl": data, "good.ttl": TRIPLE.encode()})
    assert str(errors["bad.ttl"]) == str(error_of(data, "turtle", "bad.ttl"))
    assert list(graphs.values()) == ["good.ttl"]
    assert len(list(store.quads_for_pattern(None, None, None, None))) == 1


def test_nesting_and_list_limits_hold_for_files_loaded_into_a_store() -> None:
    nested = b"@prefix : <http://x.example/> .\n:s :p " + b"[ :p " * 40 + b'"x"' + b" ]" * 40 + b" .\n"
    members = " ".join(f'"{i}"' for i in range(DEFAULT_LIMITS.list_length + 1)).encode()
    long_list = b"@prefix : <http://x.example/> .\n:s :p (" + members + b") .\n"
    shallow = b"@prefix : <http://x.example/> .\n:s :p " + b"[ :p " * 20 + b'"x"' + b" ]" * 20 + b" .\n"
    store, graphs, errors = loaded({"deep.ttl": nested, "long.ttl": long_list, "shallow.ttl": shallow})
    assert "levels deep" in errors["deep.ttl"].problem and "RDF list" in errors["long.ttl"].problem
    assert list(graphs.values()) == ["shallow.ttl"]
    assert {q.graph_name for q in store.quads_for_pattern(None, None, None, None)} == set(graphs)


@pytest.mark.parametrize("syntax", ["turtle", "lines", "jsonld"])
def test_a_value_longer_than_the_parsers_buffer_is_an_input_error(tmp_path: Path, syntax: str) -> None:
    """pyoxigraph's parsers take no literal over 16 MiB (a MemoryError of theirs, in a file under
    the 20 MB limit): the file is refused with its name, and line, and the other records of a
    run are still checked."""
    from click.testing import CliRunner

    from migrmeta.cli import cli

    value = "x" * (17 * 1024 * 1024)
    if syntax == "turtle":
        big = tmp_path / "big.ttl"
        big.write_text(f'@prefix ex: <https://example.org/> .\n\nex:a ex:b "{value}" .\n')
    elif syntax == "lines":  # a long text in triple quotes, over many short lines: the line it starts on
        big = tmp_path / "big.ttl"
        lines = "\n".join(value[i:i + 1000] for i in range(0, len(value), 1000))
        big.write_text(f'@prefix ex: <https://example.org/> .\n\nex:a ex:b """{lines}""" .\n')
    else:
        big = tmp_path / "big.jsonld"
        big.write_text(json.dumps({"@id": "https://example.org/a", "https://example.org/b": value}))
    with pytest.raises(InputError, match="more than 16 MiB") as raised:
        read_input(str(big))
    assert raised.value.location.line == (None if syntax == "jsonld" else 3)
    other = Path(__file__).parents[2] / "records" / "mafe.ttl"
    result = CliRunner().invoke(cli, ["validate", "--no-cache", str(big), str(other)])
    assert result.exit_code == 3, result.output
    assert "holds a value (a literal or an IRI) of more than 16 MiB" in result.output
    assert "0 violations, 0 warnings, 1 unreadable" in result.output  # mafe.ttl (and agencies.ttl) checked


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_a_utf8_bom_is_not_part_of_the_first_statement(tmp_path: Path, suffix: str) -> None:
    """Windows editors start UTF-8 files with a BOM: the file reads as without it (JSON-LD,
    CSV and YAML already did), its lines numbered the same."""
    record = tmp_path / f"bom{suffix}"
    record.write_bytes(b'\xef\xbb\xbf<https://example.org/a> <https://example.org/b> "c" .\n')
    assert len(read_input(str(record)).graph) == 1


@pytest.mark.parametrize(("text", "kind"), [("null", "JSON null"), ('"https://example.org/x"', "a JSON string"),
                                            ("3", "a JSON number")])
def test_json_that_is_no_json_ld_document_says_what_it_holds(tmp_path: Path, text: str, kind: str) -> None:
    """pyld takes a JSON string for a URL to fetch: such a file is refused before, in words."""
    record = tmp_path / "x.jsonld"
    record.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"holds {kind}, not a JSON-LD document"):
        read_input(str(record))


@pytest.mark.parametrize("name", ["gesis-2800.xml", "cps_00157.xml", "ag-eth-survey-2003_ddi.xml",
                                  "ddi_record_ukds_example.xml", "ddi26-made-utf16be.xml"])
def test_ddi_xml_named_as_a_record_is_said_to_be_ddi_with_the_import_to_run(name: str) -> None:
    """A DDI Codebook (or an OAI-PMH response holding one, or one in UTF-16) given where a
    record is read was an RDF/XML syntax error ("XML namespaces are required", "fix the
    statement at that line"): the file is not broken, it is another format."""
    path = DATA / "ddi" / name
    error = error_of(path.read_bytes(), "rdfxml", str(path))
    assert error.problem.startswith("is DDI Codebook XML") and "syntax error" not in error.problem
    assert f"migrmeta import ddi {path}" in (error.hint or "")


def test_an_rdf_xml_record_with_a_codebook_property_is_still_read() -> None:
    """Only the root element tells DDI: a record may name a property codeBook."""
    data = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="https://x.example/"><rdf:Description rdf:about="https://x.example/s">'
            '<ex:codeBook>c</ex:codeBook></rdf:Description></rdf:RDF>\n')
    assert len(parse(data.encode(), "r.rdf", "rdfxml")) == 1


@pytest.mark.parametrize(("head", "what"), [('{\n  "schema": "https://w3id.org/migrmeta/validation-report/1",\n'
                                             '  "conforms": true\n}\n', "JSON"),
                                            ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="migrmeta '
                                             'validate" tests="1"></testsuites>\n', "JUnit XML"),
                                            (TURTLE_HEAD + "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                                             "[] a sh:ValidationReport .\n", "SHACL Turtle")])
def test_a_report_migrmeta_wrote_named_as_a_record_is_said_to_be_a_report(head: str, what: str) -> None:
    syntax = {"JSON": "jsonld", "JUnit XML": "rdfxml", "SHACL Turtle": "turtle"}[what]
    error = error_of(head, syntax, "report.json")
    assert error.problem == f"is a report migrmeta wrote ({what}), not a survey record"


def test_a_bare_word_as_a_value_says_to_quote_text_or_write_true_or_false() -> None:
    """`mm:collectsRemittances yes ;` was "yes is not a valid RDF object": what is an RDF object?"""
    data = "@prefix mm: <https://w3id.org/migrmeta/ns#> .\n<https://x.example/s> mm:collectsRemittances yes .\n"
    error = error_of(data, "turtle")
    assert error.location.line == 2
    assert error.problem == ('syntax error: yes is not a valid RDF object (text goes in quotes, "yes"; a yes-or-no '
                             "answer is true or false, without quotes)")


RDF_XML = ('<?xml version="1.0" encoding="{encoding}"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="https://x.example/s">'
           '<dct:title xml:lang="de">Universitätsstadt Rostock</dct:title></rdf:Description></rdf:RDF>\n')


@pytest.mark.parametrize(("encoding", "codec"), [("UTF-16", "utf-16"), ("ISO-8859-1", "latin-1"),
                                                 ("windows-1252", "cp1252")])
def test_rdf_xml_in_the_encoding_it_declares_is_read(encoding: str, codec: str) -> None:
    """pyoxigraph's RDF/XML parser reads UTF-8 only: a UTF-16 or Latin-1 document, well-formed XML,
    was refused with "cannot decode input using UTF-8" and no line."""
    expected = parse(RDF_XML.format(encoding="UTF-8").encode("utf-8"), "utf8.rdf", "rdfxml")
    assert parse(RDF_XML.format(encoding=encoding).encode(codec), "other.rdf", "rdfxml") == expected


def test_rdf_xml_declaring_an_unknown_encoding_says_so() -> None:
    error = error_of(RDF_XML.format(encoding="x-unknown-8"), "rdfxml", "odd.rdf")
    assert error.problem == "declares the encoding 'x-unknown-8', which is not one migrmeta knows"
    assert "iconv -f x-unknown-8 -t UTF-8 odd.rdf" in (error.hint or "")


def test_xml_that_is_not_rdf_is_said_to_be_so() -> None:
    """`import dcat site/feed.xml` said "syntax error: XML namespaces are required in RDF/XML" and
    to fix "the statement at that line" (the harvester review): an Atom feed, said as what it is."""
    from migrmeta.rdf.reader import parse

    feed = b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id></feed>\n'
    with pytest.raises(InputError) as refused:
        parse(feed, "feed.xml", "rdfxml")
    assert "is XML but not RDF/XML: it never names the RDF namespace (its root element is <feed>)" in str(refused.value)
    assert "Atom feed" in (refused.value.hint or "")
    broken = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
              b'rdf:about="http://x/a"><rdf:value>1</rdf:Description></rdf:RDF>')
    with pytest.raises(InputError) as refused:  # RDF/XML with a fault: a syntax error, as before
        parse(broken, "broken.rdf", "rdfxml")
    assert "syntax error" in str(refused.value) and "not RDF/XML" not in str(refused.value)


@pytest.mark.parametrize(("document", "hint"), [
    ({"@context": {"dct": "http://purl.org/dc/terms/"}}, "it is a JSON-LD context and nothing else"),
    ({"title": "Encuesta", "keywords": ["migración"]}, "it has no @context, so none of its keys is RDF"),
    ([{"title": "Encuesta"}], "it has no @context, so none of its keys is RDF"),
    ({"@context": {"dct": "http://purl.org/dc/terms/"}, "titel": "Encuesta"},
     "its @context defines none of its keys"),
    # a node's own context counts (the review: "no @context" was said of it)
    ({"@graph": [{"@context": {"dct": "http://purl.org/dc/terms/"}, "titel": "x"}]},
     "its @context defines none of its keys"),
    ({}, "a record describes one survey"),
    ([], "a record describes one survey"),
])
def test_a_json_document_with_no_statement_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      document: object, hint: str) -> None:
    """The site's context.jsonld, plain CKAN JSON, a misspelt key: each is "holds no statements",
    with the reason in the document's own terms, for validate and import dcat alike."""
    from command import said

    path = tmp_path / "doc.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        parse(path.read_bytes(), str(path), "jsonld")
    assert raised.value.problem == "holds no statements" and raised.value.hint is not None
    assert raised.value.hint.startswith(hint)
    for command in (["validate", str(path)], ["import", "dcat", str(path), "-o", str(tmp_path / "out")]):
        code, text = said(capsys, *command)
        assert code == 3 and hint in text, (command, text)
        assert "Traceback" not in text
