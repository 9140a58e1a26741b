"""The compiled engine's own steps: one store per run, summaries from the store, records that
must not see each other set apart, results that belong to no record dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from command import run
from paths import DATA, REPO

import migrmeta
from migrmeta.load import parse_bytes, read_raw
from migrmeta.validation import compiled
from migrmeta.validation.compiled import store_rewrites
from migrmeta.validation.inputs import input_names as _names
from migrmeta.validation.prepared import Prepared, prepare
from migrmeta.validation.summaries import summaries, summarize

COMPLETE = DATA / "shapes" / "sof-complete.ttl"


@pytest.fixture(scope="module")
def ready() -> Prepared:
    return prepare()


def store_of(paths: list[Path], ready: Prepared) -> tuple[compiled.Batch, list[tuple[str, bytes, str]]]:
    items = [read_raw(name) for name in _names(paths) if isinstance(name, str)]
    store = compiled.new_store(ready)
    graphs = {}
    for index, (source, data, syntax) in enumerate(items):
        graph = compiled.record_graph(index)
        compiled.load_into(store, data, source, syntax, graph)
        graphs[graph] = source
    return compiled.Batch(store, graphs), items  # type: ignore[arg-type]


def test_summaries_from_the_store_are_those_of_each_record(ready: Prepared, tmp_path: Path) -> None:
    from bench.generate import generate_catalogue

    generate_catalogue(60, tmp_path, seed=5, invalid_share=0.5)
    batch, items = store_of([REPO / "records", tmp_path, COMPLETE], ready)
    found = summaries(batch.store, batch.graphs)
    for source, data, syntax in items:
        assert found[source] == summarize(parse_bytes(data, source, syntax).graph), source


def test_records_that_describe_what_another_uses_go_to_stores_of_their_own(ready: Prepared, tmp_path: Path) -> None:
    from bench.generate import generate_catalogue

    generate_catalogue(20, tmp_path, seed=1, invalid_share=0.0)  # every survey names an agency of agencies.ttl
    text = COMPLETE.read_text(encoding="utf-8")
    (tmp_path / "sof-a.ttl").write_text(text, encoding="utf-8")
    (tmp_path / "sof-b.ttl").write_text(text, encoding="utf-8")  # the same survey again
    batch, _ = store_of([tmp_path], ready)
    batches = compiled.independent_batches(batch.store, batch.graphs, ready)
    assert len(batches[0].graphs) == 21  # the synthetic surveys and one copy stay together in the first store
    assert sum(len(b.graphs) for b in batches[1:]) == 2  # agencies.ttl; one of the two copies
    assert {Path(s).name for b in batches[1:] for s in b.graphs.values()} & {"agencies.ttl"}
    for each in batches:
        subjects = {source: {q.subject for q in each.store.quads_for_pattern(None, None, None, graph)
                             if q.subject.__class__.__name__ == "NamedNode"}
                    for graph, source in each.graphs.items()}
        terms = {source: {t for q in each.store.quads_for_pattern(None, None, None, graph)
                          for t in (q.subject, q.object)} for graph, source in each.graphs.items()}
        for source, own in subjects.items():
            for other, used in terms.items():
                assert other == source or not own & used, (source, other)


def test_results_about_the_vocabularies_belong_to_no_record(tmp_path: Path) -> None:
    """A user's shape on skos:Concept finds the concepts of the reference data: no record
    describes them, so no record is blamed (as by the pySHACL engine)."""
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "concepts.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<urn:x:ConceptShape> a sh:NodeShape ; sh:targetClass skos:Concept ;\n"
        "    sh:property [ sh:path skos:example ; sh:minCount 1 ] .\n", encoding="utf-8")
    for engine in ("sparql", "pyshacl"):
        report = migrmeta.validate([COMPLETE], cache=False, shapes_dir=shapes, engine=engine)
        assert report.findings == [] or all(f.check == "catalogue" for f in report.findings), engine


def test_each_result_names_its_record_and_the_line_of_the_property(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    (tmp_path / "a.ttl").write_text(text.replace("mm:samplingUnit su:household", "mm:samplingUnit su:tent"),
                                    encoding="utf-8")
    (tmp_path / "b.ttl").write_text(text.replace("survey:ph-sof-2019", "survey:ph-sof-2019b")
                                    .replace('"ph-sof-2019"', '"ph-sof-2019b"')
                                    .replace("mm:collectsRemittances true", 'mm:collectsRemittances "many"'),
                                    encoding="utf-8")
    report = migrmeta.validate([tmp_path], cache=False)
    tent = [f for f in report.findings if f.value == "tent"]
    many = [f for f in report.findings if f.value == "many"]
    assert tent and {f.source for f in tent} == {str(tmp_path / "a.ttl")}
    assert many and {f.source for f in many} == {str(tmp_path / "b.ttl")}
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "mm:samplingUnit su:household" in row)
    assert {f.line for f in tent} == {line}


def test_stores_one_after_the_other_and_worker_processes_give_the_same_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many records are checked in stores of STORE_RECORDS, one after the other, or with
    --jobs N by N worker processes, each taking parts of PART_RECORDS in turn: each record is
    judged alone, so the report is the same."""
    from bench.generate import generate_catalogue

    generate_catalogue(40, tmp_path, seed=4, invalid_share=0.5)
    one = migrmeta.validate([tmp_path], cache=False)
    monkeypatch.setattr(compiled, "STORE_RECORDS", 7)
    monkeypatch.setattr(compiled, "PARALLEL_FROM", 10)
    chunked = migrmeta.validate([tmp_path], cache=False)
    parallel = migrmeta.validate([tmp_path], cache=False, jobs=2)
    monkeypatch.setattr(compiled, "PART_RECORDS", 6)  # 41 files: 7 parts for 2 workers
    in_parts = migrmeta.validate([tmp_path], cache=False, jobs=2)
    assert [f.to_json() for f in one.findings] == [f.to_json() for f in chunked.findings] \
        == [f.to_json() for f in parallel.findings] == [f.to_json() for f in in_parts.findings]
    assert {r.source for r in in_parts.records} == {r.source for r in one.records}
    assert one.count("violation") > 0


def test_a_file_that_vanishes_before_it_is_checked_is_reported_not_lost(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Files beyond the bytes kept in memory are read again when checked (here: all of them)."""
    from migrmeta.validation import inputs, runner

    monkeypatch.setattr(inputs, "KEEP_BYTES", 0)
    (tmp_path / "a.ttl").write_bytes(COMPLETE.read_bytes())
    original = runner.check_records

    def remove_then_check(items, **kwargs):  # type: ignore[no-untyped-def]
        (tmp_path / "a.ttl").unlink()
        return original(items, **kwargs)

    monkeypatch.setattr(runner, "check_records", remove_then_check)
    report = migrmeta.validate([tmp_path / "a.ttl"], cache=False)
    assert report.exit_code() == 3
    assert "could not be read again" in report.findings[0].message


XSD_NS = "http://www.w3.org/2001/XMLSchema#"
READ = frozenset({"urn:p"})  # the predicates the shapes can read a literal by


@pytest.mark.parametrize(("syntax", "text"), [
    ("turtle", '@prefix x.s: <http://www.w3.org/2001/XMLSchema#> . <urn:a> <urn:p> "5"^^ x.s:int .'),
    ("turtle", f'<urn:a> <urn:p> "5"^^<{XSD_NS}nonNegativeInteger> .'),
    ("ntriples", f'<urn:a> <urn:p> "2020-01-01T00:00:00Z"^^<{XSD_NS}dateTimeStamp> .\n'),
    ("jsonld", '{"@context": {"xsd": "http://www.w3.org/2001/XMLSchema#", "size": {"@id": "urn:p", "@type": "xsd:int"}},'
               ' "@id": "urn:a", "size": "5"}'),
    ("rdfxml", f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:a">'
               f'<p xmlns="urn:" rdf:datatype="{XSD_NS}unsignedByte">5</p></rdf:Description></rdf:RDF>'),
])
def test_literals_the_store_would_rewrite_are_found_in_every_syntax(syntax: str, text: str) -> None:
    reason = store_rewrites(text.encode(), "a", syntax, READ)
    assert reason is not None and reason.startswith("literals the store would not keep as written (xsd:")
    assert store_rewrites(text.encode(), "a", syntax, frozenset({"urn:q"})) is None  # a predicate no shape reads
    assert store_rewrites(text.encode(), "a", syntax, None) == reason  # shapes that read any predicate


@pytest.mark.parametrize("text", [
    '<urn:a> <urn:p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> , 5, "int" .',
    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . <urn:a> <urn:p> "x"^^xsd:string ; <urn:int> <urn:long> .',
])
def test_literals_the_store_keeps_are_left_in_it(text: str) -> None:
    assert store_rewrites(text.encode(), "a", "turtle", READ) is None


def test_a_dcat_byte_size_no_project_shape_reads_stays_in_the_store(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """dcat:byteSize as the DCAT importer writes it (xsd:nonNegativeInteger): no project shape
    reads it, so the record is not sent to pySHACL (1,000 such records: 1 s, not 32 s)."""
    record = tmp_path / "sized.ttl"
    text = COMPLETE.read_text(encoding="utf-8")
    record.write_text(text.replace("mm:referencePeriodYears 5 ]", "mm:referencePeriodYears 5 ] ;\n    "
                                   '<http://www.w3.org/ns/dcat#byteSize> "5"^^xsd:nonNegativeInteger'), encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--no-cache", "-v", str(record))
    assert "dcat#byteSize" in record.read_text(encoding="utf-8") and code == 0, out
    assert "checked by pySHACL" not in out
