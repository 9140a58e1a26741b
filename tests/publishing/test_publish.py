"""`migrmeta publish`: the site's files, round trips between syntaxes, determinism, and
atomicity (a refusal, a failure or an interrupt leaves the previous site as it was)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import Published
from paths import DATA as DATA_DIR
from paths import REPO
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import migrmeta
import migrmeta.publishing.site as publish_module
from migrmeta import defaults, resources
from migrmeta.cli import cli, main
from migrmeta.errors import PublishError
from migrmeta.formats.dcat.profile import CatalogOptions
from migrmeta.io.folders import MARKER, STOP_AT
from migrmeta.load import parse_bytes
from migrmeta.merging.sources import GRAPH
from migrmeta.namespaces import CONTEXT_IRI, DCAT, RDF, VOID
from migrmeta.publishing.site import PublishOptions, PublishResult, publish

ROOT = REPO
FOAF_NAME = URIRef("http://xmlns.com/foaf/0.1/name")
MERGE = DATA_DIR / "merge"
CONTEXT = json.loads(resources.context_file().read_text(encoding="utf-8"))


def local_loader(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: the project's context only, everything else refused (offline)."""
    if url == CONTEXT_IRI:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise RuntimeError(f"refused to fetch {url}")


def same(a: Graph, b: Graph) -> None:
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        raise AssertionError(f"graphs differ:\n{only_a.serialize(format='nt')}\n---\n{only_b.serialize(format='nt')}")


def turtle(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def via_rdflib(path: Path) -> Graph:
    return parse_bytes(path.read_bytes(), str(path), "jsonld").graph  # context resolved locally


def via_pyld(path: Path) -> Graph:
    document = json.loads(path.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": local_loader})
    return Graph().parse(data=nquads, format="nquads")


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "validation-cache"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> tuple[PublishResult, Path]:
    out = tmp_path_factory.mktemp("publish") / "site"
    result = publish([ROOT / "records"], out, PublishOptions(skip_invalid=True, cache_dir=cache))
    assert result.refused is None
    return result, out


@pytest.fixture
def fixture_inputs() -> list[str]:
    return [str(MERGE / "psa" / "ph-sof.ttl"), f"{MERGE / 'un-desa-pd' / 'ph-sof.ttl'}=un-desa-pd",
            str(MERGE / "agencies.ttl")]


def test_the_site_has_every_file(site: tuple[PublishResult, Path]) -> None:
    result, out = site
    for name in ("catalog.ttl", "catalog.jsonld", "catalog.nt", "catalog.trig", "void.ttl", "context.jsonld",
                 "ontology/migrmeta.ttl", "ontology/countries.ttl", "shapes/survey.ttl"):
        assert (out / name).is_file(), name
    vocabularies = sorted(p.name for p in resources.vocabulary_dir().glob("*.ttl"))
    assert sorted(p.name for p in (out / "ontology" / "vocabularies").glob("*.ttl")) == vocabularies
    assert (out / "context.jsonld").read_bytes() == resources.context_file().read_bytes()
    catalogue = turtle(out / "catalog.ttl")
    datasets = set(catalogue.objects(None, DCAT.dataset))
    assert len(datasets) == result.surveys + result.series > 0
    assert len(list((out / "surveys").glob("*.ttl"))) == len(datasets)
    assert len(list((out / "surveys").glob("*.jsonld"))) == len(datasets)
    assert result.triples == len(catalogue)
    assert sorted([*result.files, MARKER]) == sorted(snapshot(out))  # and the marker of a site migrmeta wrote


def test_catalogue_round_trips(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    reference = turtle(out / "catalog.ttl")
    same(via_rdflib(out / "catalog.jsonld"), reference)
    same(via_pyld(out / "catalog.jsonld"), reference)
    same(Graph().parse(out / "catalog.nt", format="nt"), reference)


def test_each_survey_round_trips(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    for ttl in sorted((out / "surveys").glob("*.ttl")):
        reference = turtle(ttl)
        same(via_rdflib(ttl.with_suffix(".jsonld")), reference)
        same(via_pyld(ttl.with_suffix(".jsonld")), reference)


def test_jsonld_is_what_pyld_compaction_gives(site: tuple[PublishResult, Path]) -> None:
    """Our compactor is equivalent to pyld's: compacting our output's expansion changes nothing."""
    _, out = site
    options = {"documentLoader": local_loader}
    for path in [out / "catalog.jsonld", *sorted((out / "surveys").glob("*.jsonld"))]:
        document = json.loads(path.read_text(encoding="utf-8"))
        again = jsonld.compact(jsonld.expand(document, options), document["@context"], options)
        assert again == document, path.name


def test_catalog_jsonld_is_read_offline(site: tuple[PublishResult, Path]) -> None:
    """The catalogue's JSON-LD dump holds its context: a harvester reads it with no network; so
    does a survey's document (it named the context by IRI)."""
    _, out = site
    document = json.loads((out / "catalog.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == json.loads(resources.context_file().read_text(encoding="utf-8"))["@context"]
    read = set(ox.parse((out / "catalog.jsonld").read_bytes(), format=ox.RdfFormat.JSON_LD))  # no document loader
    assert read == set(ox.parse((out / "catalog.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES))
    survey = json.loads(next((out / "surveys").glob("*.jsonld")).read_text(encoding="utf-8"))
    assert survey["@context"] == document["@context"]


def test_catalog_jsonld_has_one_object_per_survey(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    catalogue = turtle(out / "catalog.ttl")
    document = json.loads((out / "catalog.jsonld").read_text(encoding="utf-8"))
    ids = [node["id"] for node in document["@graph"]]
    assert len(ids) == len(set(ids))
    names = catalogue.namespace_manager
    for dataset in catalogue.objects(None, DCAT.dataset):
        compact = dataset.n3(names).strip("<>")
        [node] = [n for n in document["@graph"] if n["id"] == compact]
        if catalogue.value(dataset, URIRef("http://purl.org/dc/terms/temporal")) is not None:
            assert isinstance(node["timeFrame"], dict), "the time frame is embedded in the survey's object"


def test_trig_holds_the_catalogue_by_contribution(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    dataset = Dataset()
    dataset.parse(out / "catalog.trig", format="trig")
    union = Graph()
    companions = set()
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if name.endswith(("/superseded", "/replaced")):
            companions.add(graph.identifier)
    for graph in dataset.graphs():
        if graph.identifier != dataset.default_graph.identifier and graph.identifier not in companions:
            union += graph
    same(union, turtle(out / "catalog.ttl"))
    assert (GRAPH["dcat-ap"], None, None) in dataset.default_graph


def test_void_counts(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    void = turtle(out / "void.ttl")
    [description] = list(void.subjects(VOID.rootResource, None))
    lines = (out / "catalog.nt").read_text(encoding="utf-8").splitlines()
    # the dumps of the catalogue hold it, no more: catalog.trig (with the contributed wording the
    # merge and the profile set aside) is the dump of a dataset the catalogue is a subset of
    dumps = {str(d).rsplit("/", 1)[-1] for d in void.objects(description, VOID.dataDump)}
    assert dumps == {"catalog.ttl", "catalog.nt", "catalog.jsonld"}
    [wider] = list(void.subjects(VOID.subset, description))
    assert [str(d).rsplit("/", 1)[-1] for d in void.objects(wider, VOID.dataDump)] == ["catalog.trig"]
    assert void.value(description, VOID.triples) == Literal(len(lines))
    catalogue = turtle(out / "catalog.ttl")
    assert void.value(description, VOID.distinctSubjects) == Literal(len(set(catalogue.subjects())))
    partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))  # type: ignore[arg-type]
                  for p in void.objects(description, VOID.classPartition)}
    assert partitions[DCAT.Dataset] == len(set(catalogue.subjects(RDF.type, DCAT.Dataset)))


def test_publishing_twice_gives_identical_bytes(site: tuple[PublishResult, Path], cache: Path,
                                                tmp_path: Path) -> None:
    _, first = site
    second = tmp_path / "again"
    publish([ROOT / "records"], second, PublishOptions(skip_invalid=True, cache_dir=cache))
    assert snapshot(second) == snapshot(first)
    publish([ROOT / "records"], second, PublishOptions(skip_invalid=True, cache_dir=cache))  # over itself
    assert snapshot(second) == snapshot(first)
    assert leftovers(tmp_path) == []


def test_one_process_or_several_write_the_same_bytes(site: tuple[PublishResult, Path], cache: Path,
                                                     tmp_path: Path) -> None:
    """The survey files are made by worker processes (one per CPU by default, `jobs`); how many
    made them does not show in the site."""
    _, first = site
    assert publish_module._render_jobs(3, len(list((first / "en" / "surveys").iterdir()))) == 3  # a pool of 3
    for jobs in (1, 3):
        out = tmp_path / f"jobs-{jobs}"
        publish([ROOT / "records"], out, PublishOptions(skip_invalid=True, cache_dir=cache, jobs=jobs))
        assert snapshot(out) == snapshot(first), jobs


def test_a_folder_made_by_another_worker_meanwhile_still_gets_the_file(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers write into the same folders: when one's write fails because the folder is not
    there yet, and another makes the folder before the first looks again, the first still
    writes its file (CI saw a publish with 3 workers fail on this race)."""
    write_new = publish_module.write_new
    calls: list[Path] = []

    def the_other_worker_is_quicker(path: Path, data: bytes) -> os.stat_result:
        calls.append(path)
        if len(calls) == 1:
            path.parent.mkdir(parents=True)  # the other worker, between the failed open and the check
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return write_new(path, data)

    monkeypatch.setattr(publish_module, "write_new", the_other_worker_is_quicker)
    publish_module._write_into(tmp_path, "en/surveys/a.html", "<p>a</p>")
    assert (tmp_path / "en" / "surveys" / "a.html").read_text(encoding="utf-8") == "<p>a</p>"
    assert len(calls) == 2


def test_a_file_to_copy_that_is_gone_is_still_an_error(tmp_path: Path) -> None:
    """Only a missing folder is made and the write tried again; a missing source is not hidden."""
    with pytest.raises(FileNotFoundError):
        publish_module._write_into(tmp_path, "en/a.png", tmp_path / "gone.png")


def test_the_catalogue_s_files_are_made_with_the_collector_paused(cache: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """catalog.trig and the other files of the whole catalogue build millions of objects with
    no cycles: Python's cycle collector is paused while each is made (io/memory.py), and on
    again after; the survey files are made with it on (their objects live for one survey:
    pausing it saved nothing, measured)."""
    import gc

    seen: dict[str, list[bool]] = {"trig": [], "survey": []}
    trig, page_graph = publish_module._trig, publish_module._page_graph
    monkeypatch.setattr(publish_module, "_trig",
                        lambda *a, **k: seen["trig"].append(gc.isenabled()) or trig(*a, **k))
    monkeypatch.setattr(publish_module, "_page_graph",
                        lambda *a, **k: seen["survey"].append(gc.isenabled()) or page_graph(*a, **k))
    assert gc.isenabled()
    publish([ROOT / "records"], tmp_path / "site", PublishOptions(skip_invalid=True, cache_dir=cache, jobs=1))
    assert seen["trig"] == [False]
    assert seen["survey"] and all(seen["survey"])
    assert gc.isenabled()


def test_merged_contributions_are_published(fixture_inputs: list[str], cache: Path, tmp_path: Path) -> None:
    refused = publish(fixture_inputs, tmp_path / "site", PublishOptions(cache_dir=cache))
    assert refused.refused == "conflicts" and refused.exit_code() == 1
    assert not (tmp_path / "site").exists()
    result = publish(fixture_inputs, tmp_path / "site", PublishOptions(cache_dir=cache, prefer=("psa",)))
    assert result.refused is None and result.series == 1
    catalogue = turtle(tmp_path / "site" / "catalog.ttl")
    starts = {str(o) for o in catalogue.objects(None, DCAT.startDate)}
    assert starts == {"1991"}


def _valid_site(tmp_path: Path, cache: Path) -> tuple[list[str], Path, dict[str, bytes]]:
    records = tmp_path / "records"
    shutil.copytree(MERGE, records)
    (records / "un-desa-pd").rename(tmp_path / "elsewhere")  # one agency only: no conflict
    out = tmp_path / "site"
    assert publish([records], out, PublishOptions(cache_dir=cache)).refused is None
    return [str(records)], out, snapshot(out)


def test_a_catalogue_with_violations_is_refused(tmp_path: Path, cache: Path) -> None:
    inputs, out, before = _valid_site(tmp_path, cache)
    record = Path(inputs[0]) / "psa" / "ph-sof.ttl"
    record.write_text(record.read_text(encoding="utf-8").replace("country:PHL", "country:PHI"), encoding="utf-8")
    result = publish(inputs, out, PublishOptions(cache_dir=cache))
    assert result.refused == "violations" and result.exit_code() == 1
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []
    # its only survey left out, its last published version stands in for it: the site as it was
    skipped = publish(inputs, out, PublishOptions(cache_dir=cache, skip_invalid=True))
    assert skipped.refused is None and [r.source for r in skipped.skipped] == [str(record)]
    assert skipped.carried == [str(record)]
    assert snapshot(out) == before


def test_a_late_failure_leaves_the_previous_site(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, out, before = _valid_site(tmp_path, cache)
    written: list[Path] = []
    real_put: Callable[..., Any] = publish_module._put

    def failing_put(target: Path, content: Any) -> Any:
        written.append(target)
        if target.parts[-2:] == ("ontology", "migrmeta.ttl"):  # the reference data is written last: fail in it
            raise OSError(28, "No space left on device")
        return real_put(target, content)

    monkeypatch.setattr(publish_module, "_put", failing_put)
    with pytest.raises(PublishError, match=r"No space left on device; nothing was published, .* is unchanged"):
        publish(inputs, out, PublishOptions(cache_dir=cache, catalog=CatalogOptions(title="A new title")))
    assert [p.name for p in written[-2:]] == ["context.jsonld", "migrmeta.ttl"]
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def _stopped(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2] == "T"


@pytest.mark.parametrize("step", ["created", "written"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_leaves_the_previous_site(tmp_path: Path, cache: Path, signum: int, step: str) -> None:
    """Ctrl-C (or SIGTERM) once the new site is begun, or once it is written but not yet swapped
    in: exit 130, the previous site as it was, nothing left beside it. The publish stops itself
    at that step (folders.STOP_AT) so that the signal lands there, however loaded the machine."""
    out = tmp_path / "site"
    shutil.copytree(ROOT / "records", tmp_path / "records")
    command = [sys.executable, "-m", "migrmeta", "publish", "--skip-invalid", "--cache-dir", str(cache), "-o", str(out),
               str(tmp_path / "records")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(command, check=True, capture_output=True, env=env)
    before = snapshot(out)
    process = subprocess.Popen([*command[:-1], "--title", "Changed", command[-1]], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**env, STOP_AT: step})
    try:
        deadline = time.monotonic() + 120
        while not _stopped(process.pid):
            assert process.poll() is None, f"publish ended before {step!r}: {process.communicate()}"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # the new site is begun
        process.send_signal(signum)
        process.send_signal(signal.SIGCONT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert b"Traceback" not in stderr
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_an_output_that_is_not_a_site_is_left_alone(tmp_path: Path, cache: Path) -> None:
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete", encoding="utf-8")
    with pytest.raises(PublishError, match="not a site"):
        publish([MERGE / "psa" / "ph-sof.ttl", MERGE / "agencies.ttl"], precious, PublishOptions(cache_dir=cache))
    assert snapshot(precious) == {"thesis.txt": b"do not delete"}


def test_the_readme_main_job(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`migrmeta publish` with no arguments: records/ -> site/, with a summary."""
    shutil.copytree(ROOT / "records", tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["publish", "--skip-invalid", "--cache-dir", str(cache)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Published" in result.output and "triples" in result.output and "files" in result.output
    assert (tmp_path / "site" / "catalog.ttl").is_file()
    with pytest.raises(SystemExit) as exit_info:
        main(["publish", "-"])
    assert exit_info.value.code == 2


def test_skip_invalid_names_an_unreadable_record_as_such_and_exits_3(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """`publish --skip-invalid` with a file that cannot be read publishes the others, says the
    file was unreadable (not 'with violations') and exits 3, as validate and push do."""
    from command import run

    records = tmp_path / "records"
    records.mkdir()
    for name in ("mafe.ttl", "agencies.ttl"):
        (records / name).write_bytes((REPO / "records" / name).read_bytes())
    (records / "zz.ttl").write_bytes(bytes(range(256)))
    code, out, _ = run(capsys, "publish", "-q", "--skip-invalid", "--no-cache", "-o", str(tmp_path / "site"),
                       str(records))
    assert code == 3 and (tmp_path / "site" / "catalog.ttl").is_file()
    assert "Skipped 1 record, 1 unreadable" in out and f"{records / 'zz.ttl'} (unreadable)" in out
    (records / "zz.ttl").write_text("<https://example.org/a> <https://example.org/b> 1 .\nnot turtle at all\n",
                                    encoding="utf-8")
    code, out, _ = run(capsys, "publish", "-q", "--skip-invalid", "--no-cache", "-o", str(tmp_path / "site"),
                       str(records))
    assert code == 3
    said = out.split(f"{records / 'zz.ttl'} (unreadable)\n", 1)[1]
    assert said.startswith("    line 2: syntax error"), out  # why, and where: no second command needed


def test_skip_invalid_with_nothing_readable_names_the_inputs_and_exits_3(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`publish --skip-invalid` whose every input is unreadable publishes nothing, names each
    input it left out as unreadable and exits 3 (nothing is skipped in silence, README); one
    whose inputs all have violations names them and exits 1."""
    from command import run

    site = tmp_path / "site"
    missing = tmp_path / "contributions"
    code, out, err = run(capsys, "publish", "-q", "--skip-invalid", "--no-cache", "-o", str(site), str(missing))
    assert code == 3, out + err
    assert f"{missing} (unreadable)" in out and "no record could be read" in err and not site.exists()

    bad = tmp_path / "bad.ttl"
    bad.write_text((REPO / "records" / "mafe.ttl").read_text(encoding="utf-8")
                   .replace("mm:sampleType ", "mm:sampleType <https://w3id.org/migrmeta/vocab/sample-type/random>, ", 1),
                   encoding="utf-8")
    code, out, err = run(capsys, "publish", "-q", "--skip-invalid", "--no-cache", "-o", str(site), str(bad))
    assert code == 1, out + err
    assert "1 with violations" in out and f"  {bad}\n" in out and "no record conforms" in err and not site.exists()


def test_publish_speaks_the_curators_language_and_names_each_violations_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`publish` had no --lang, so a French curator got its refusals and findings in English, when
    validate and merge speak French; and its list of skipped records named no line for a
    violation that validate gives at file:line (the curator review)."""
    from command import run

    from migrmeta.messages import message

    site, records = tmp_path / "site", tmp_path / "records"
    records.mkdir()
    (records / "agencies.ttl").write_bytes((REPO / "records" / "agencies.ttl").read_bytes())
    text = (REPO / "records" / "mafe.ttl").read_text(encoding="utf-8")
    (records / "mafe.ttl").write_text(text.replace("mm:sampleType ", "mm:sampleType <https://w3id.org/migrmeta/vocab/"
                                                   "sample-type/random>, ", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "mm:sampleType " in row)
    code, out, err = run(capsys, "publish", "-q", "--no-cache", "--lang", "fr", "-o", str(site), str(records))
    assert code == 1 and not site.exists(), out + err
    assert message("publish.refused_violations", "fr", output=site) in err, err
    assert "conseil : corrigez-les, ou publiez les autres avec --skip-invalid" in err
    assert f"mafe.ttl:{line}: violation: question 6 (Type d'échantillon)" in out, out  # the findings in French
    code, out, err = run(capsys, "publish", "-q", "--no-cache", "--skip-invalid", "--lang", "es", "-o", str(site),
                         str(records))
    assert code == 1 and "ningún registro de encuesta es conforme" in err, out + err
    assert f"    línea {line}: " in out and "pregunta 6" in out, out  # the violation at its line, in Spanish
    assert "Omitidos: 1 registro, con violaciones: 1 (ejecute `migrmeta validate` sobre él):" in out, out
    code, _, err = run(capsys, "publish", "-q", "--lang", "de", str(records))
    assert code == 2 and "--lang" in err


def test_skip_invalid_that_leaves_only_agencies_keeps_the_previous_site(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`publish --skip-invalid` whose every survey record has violations publishes nothing, even
    when the agencies file beside them conforms: an empty catalogue would replace the last site.
    Over a site that published the record, its last version stands in for it: the same site."""
    from command import run

    site = tmp_path / "site"
    records = tmp_path / "records"
    records.mkdir()
    (records / "agencies.ttl").write_bytes((REPO / "records" / "agencies.ttl").read_bytes())
    (records / "mafe.ttl").write_text((REPO / "records" / "mafe.ttl").read_text(encoding="utf-8").replace(
        "mm:sampleType ", "mm:sampleType <https://w3id.org/migrmeta/vocab/sample-type/random>, ", 1), encoding="utf-8")
    site.mkdir()
    (site / "index.html").write_text("the last site\n", encoding="utf-8")
    code, out, err = run(capsys, "publish", "-q", "--skip-invalid", "--no-cache", "-o", str(site), str(records))
    assert code == 1, out + err
    assert "no record of a survey conforms" in err and f"{site}/ is unchanged" in err
    assert f"  {records / 'mafe.ttl'}\n" in out
    assert (site / "index.html").read_text(encoding="utf-8") == "the last site\n"
    (site / "index.html").unlink()
    site.rmdir()
    (records / "mafe.ttl").write_bytes((REPO / "records" / "mafe.ttl").read_bytes())
    assert run(capsys, "publish", "-q", "--no-cache", "-o", str(site), str(records))[0] == 0
    before = (site / "catalog.ttl").read_bytes()
    (records / "mafe.ttl").write_text("@prefix : <x> .\nnot turtle {\n", encoding="utf-8")
    code, out, err = run(capsys, "publish", "-q", "--skip-invalid", "--no-cache", "-o", str(site), str(records))
    assert code == 3, out + err  # published, without reading the file
    assert (site / "catalog.ttl").read_bytes() == before


def test_skip_invalid_keeps_the_last_published_version_of_a_record_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record that became unreadable, and one with violations, were published as removed surveys
    (release.json "removed", "Removed: ..." in the feeds, their pages deleted): a record left out
    is not a withdrawn survey. Their last published versions stand in for them, and the run says so."""
    from command import run

    records, site = tmp_path / "records", tmp_path / "site"
    records.mkdir()
    for name in ("agencies.ttl", "gb-ips.ttl", "mmp.ttl", "th-iom-fms.ttl"):
        (records / name).write_bytes((REPO / "records" / name).read_bytes())
    assert run(capsys, "publish", "-q", "-o", str(site), str(records))[0] == 0
    before = {name: (site / name).read_bytes() for name in ("catalog.ttl", "catalog.trig", "surveys/gb-ips.ttl",
                                                             "en/surveys/th-iom-fms-2018.html")}
    with (records / "gb-ips.ttl").open("a", encoding="utf-8") as broken:
        broken.write("garbage {\n")
    series = (records / "th-iom-fms.ttl").read_text(encoding="utf-8")
    (records / "th-iom-fms.ttl").write_text(series.replace('dcat:startDate "20', 'dcat:startDate "x20', 1),
                                            encoding="utf-8")
    code, out, err = run(capsys, "publish", "-q", "--skip-invalid", "-o", str(site), str(records))
    assert code == 3, out + err  # an input could not be read
    assert {name: (site / name).read_bytes() for name in before} == before
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))
    assert "removed" not in json.dumps(release)
    assert "Removed:" not in (site / "en" / "feed.xml").read_text(encoding="utf-8")
    assert (f"Published as last time (2 records left out above: their surveys are not withdrawn; remove a file to "
            f"withdraw its surveys):\n  {records / 'gb-ips.ttl'}\n  {records / 'th-iom-fms.ttl'}\n") in out
    (records / "gb-ips.ttl").unlink()  # withdrawn on purpose
    assert run(capsys, "publish", "-q", "--skip-invalid", "-o", str(site), str(records))[0] == 0
    assert not (site / "surveys" / "gb-ips.ttl").exists()
    assert '"removed"' in (site / "release.json").read_text(encoding="utf-8")


def test_each_published_survey_file_is_a_record_that_conforms(published: Published) -> None:
    """A survey's Turtle, downloaded from the site, passes `migrmeta validate` as it is: its
    agencies as DCAT-AP 3 publishes them (ADMS dct:type, the kind as org:classification) are
    accepted, and an agency named further on (a series' sponsor) is described whole, not only
    named. Both failed: 20 violations on one file."""
    files = sorted((published.out / "surveys").glob("*.ttl"))
    assert len(files) > 100
    report = migrmeta.validate(files, cache=False)
    # several files describe one series (each round's file holds it): a catalogue check, not the file's
    own = [f for f in report.findings if f.severity == "violation" and f.check != "catalogue"]
    assert own == []
    kinds = {f.component for f in report.findings if f.severity == "violation"}
    assert kinds <= {"duplicate_iri"}, kinds


def test_a_preferred_agency_whose_inputs_were_all_skipped_is_said_so(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """publish --skip-invalid --prefer psa, where psa's file and un's break a rule together: both
    skipped, the error said only '--prefer psa: no input is contributed by psa', hiding why; then
    it exited 2 naming the records but not their violations."""
    text = (REPO / "records" / "ph-sof.ttl").read_text(encoding="utf-8")
    for folder, written in (("psa", text), ("un", text.replace("mm:accessLevel acc:unknown", "mm:accessLevel acc:licensed"))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "ph-sof.ttl").write_text(written, encoding="utf-8")
    from command import run

    code, out, err = run(capsys, "publish", f"{tmp_path / 'psa'}=psa", f"{tmp_path / 'un'}=un-desa-pd",
                         str(REPO / "records" / "agencies.ttl"), "--prefer", "psa", "--skip-invalid",
                         "-o", str(tmp_path / "site"), "--no-cache")
    assert code == 1, out + err  # the records do not conform: not a usage error
    assert "Nothing published: --prefer psa: no input is contributed by" in err
    assert "and 2 records were skipped as invalid (above), which may be its inputs" in err
    # each skipped record, and the violation that made it skipped, are said
    assert f"  {tmp_path / 'psa' / 'ph-sof.ttl'}" in out and f"  {tmp_path / 'un' / 'ph-sof.ttl'}" in out
    assert "access" in err.lower() and "violation" in err.lower(), err
    assert not (tmp_path / "site").exists()


def test_a_publisher_not_described_is_a_usage_error_with_the_agency_meant(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """--publisher naming no agency exited 1, --prefer naming none 2 (the researcher review): both 2."""
    from command import run

    code, out, err = run(capsys, "publish", str(REPO / "records" / "ph-sof.ttl"), str(REPO / "records" / "agencies.ttl"),
                         "--publisher", "agency:unhrc", "-o", str(tmp_path / "site"), "--no-cache")
    assert code == 2 and not (tmp_path / "site").exists(), out + err
    assert "the catalogue's publisher https://w3id.org/migrmeta/agency/unhrc is not described in the records" in err
    assert "hint: did you mean unhcr?" in err


def test_publish_says_one_agency_under_two_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate warned, publish said nothing and the survey's page named its conductor twice."""
    from command import run

    (tmp_path / "psa").mkdir()
    (tmp_path / "un").mkdir()
    record = (REPO / "records" / "ph-sof.ttl").read_text(encoding="utf-8")
    (tmp_path / "psa" / "ph-sof.ttl").write_text(record, encoding="utf-8")
    (tmp_path / "psa" / "agencies.ttl").write_bytes((REPO / "records" / "agencies.ttl").read_bytes())
    (tmp_path / "un" / "ph-sof.ttl").write_text(record.replace("agency:psa", "agency:philippine-statistics-authority"),
                                                encoding="utf-8")
    (tmp_path / "un" / "agencies.ttl").write_text(
        "@prefix agency: <https://w3id.org/migrmeta/agency/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "@prefix mm: <https://w3id.org/migrmeta/ns#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix country: <http://publications.europa.eu/resource/authority/country/> .\n"
        "@prefix at: <https://w3id.org/migrmeta/vocab/agency-type/> .\n"
        "agency:philippine-statistics-authority a foaf:Agent, foaf:Organization, mm:Agency ;\n"
        '  foaf:name "Philippine Statistics Authority"@en ; skos:altLabel "PSA" ;\n'
        "  dct:type at:national-statistical-office ; mm:basedIn country:PHL .\n", encoding="utf-8")
    code, _, err = run(capsys, "publish", "-q", "--no-cache", "--prefer", "psa", "-o", str(tmp_path / "site"),
                       str(tmp_path / "psa"), str(tmp_path / "un"))
    assert code == 0, err
    assert "agency 'agency:psa' looks like philippine-statistics-authority" in err


def test_agencies_described_by_no_input_are_published_as_the_agencies_validation_knew_describes_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`publish psa/` of a folder without its agencies.ttl validated (the bundled agencies are
    known), then published the agency as `agency:psa a foaf:Agent`, nameless, in silence: the
    catalogue failed DCAT-AP 3 and its pages called the agency "psa". Publish now takes over
    what validation knew of that agency, and of no other, and says so; merge, which validates
    nothing, says the agency is undescribed."""
    from command import run

    folder = tmp_path / "psa"
    folder.mkdir()
    shutil.copy(REPO / "records" / "ph-sof.ttl", folder)
    bundled = resources.bundled_agencies()
    code, _, err = run(capsys, "publish", str(folder), "-o", str(tmp_path / "site"), "-q")
    assert code == 0, err
    assert ("migrmeta: warning: 1 agency the surveys name is described by no input: psa; published as "
            f"{bundled} describes it, the agencies validation knew (give an agencies.ttl with the records to "
            "describe it otherwise)") in err
    catalogue = Graph().parse(tmp_path / "site" / "catalog.ttl")
    psa = URIRef("https://w3id.org/migrmeta/agency/psa")
    assert Literal("Philippine Statistics Authority", lang="en") in set(catalogue.objects(psa, FOAF_NAME))
    named = set(catalogue.subjects(FOAF_NAME, None))
    publisher = URIRef(defaults.MAINTAINER_AGENCY)  # the catalogue's, described by the DCAT-AP profile
    assert named == {psa, publisher}, named  # the one agency the survey names, not the 244 of the bundled file
    page = (tmp_path / "site" / "en" / "surveys" / "ph-sof.html").read_text(encoding="utf-8")
    assert "Philippine Statistics Authority" in page
    dataset = Dataset().parse(tmp_path / "site" / "catalog.trig")
    assert (psa, FOAF_NAME, None) in dataset.graph(GRAPH["migrmeta/known-agencies.ttl"])
    code, _, err = run(capsys, "validate", "--shapes", str(DATA_DIR / "dcat-ap-3"),
                       str(tmp_path / "site" / "catalog.ttl"))
    assert code == 0, err
    code, _, err = run(capsys, "merge", str(folder), "-o", str(tmp_path / "merged.trig"))
    assert ("1 agency the surveys name is described by no input: psa; the catalogue names it by its id, and "
            "DCAT-AP 3 asks for a name: give the agencies.ttl that describes it with the records "
            f"({bundled} describes it)") in err
    shutil.copy(REPO / "records" / "agencies.ttl", folder)
    code, _, err = run(capsys, "publish", str(folder), "-o", str(tmp_path / "site2"), "-q")
    assert code == 0 and "described by no input" not in err, err


def test_each_agency_iri_has_documents_that_lead_to_its_surveys(published: Published) -> None:
    """agencies/<id>.ttl, .jsonld, .nt (what the servers answer for <base>/agency/<id>): the
    agency as the catalogue publishes it, and every survey or series naming it, directly or by
    a qualified attribution, with its title; no survey typed a dcat:Dataset of this document.
    The three formats hold the same statements."""
    from migrmeta.namespaces import AGENCY, DCT, FOAF, PROV

    site = published.out
    catalogue = Graph().parse(site / "catalog.ttl", format="turtle")
    agency = URIRef(f"{AGENCY}ine-es")
    naming = {s for s, _, o in catalogue if o == agency and (s, RDF.type, DCAT.Dataset) in catalogue}
    naming |= {s for s, _, a in catalogue.triples((None, PROV.qualifiedAttribution, None))
               if (a, PROV.agent, agency) in catalogue}
    assert len(naming) >= 2, naming
    documents = {suffix: parse_bytes((site / "agencies" / f"ine-es{suffix}").read_bytes(), f"ine-es{suffix}", syntax)
                 .graph for suffix, syntax in ((".ttl", "turtle"), (".jsonld", "jsonld"), (".nt", "ntriples"))}
    graph = documents[".ttl"]
    assert all(isomorphic(graph, other) for other in documents.values())
    assert set(graph.triples((agency, None, None))) == set(catalogue.triples((agency, None, None)))
    for survey in naming:
        assert set(graph.objects(survey, DCT.title)) == set(catalogue.objects(survey, DCT.title)), survey
    assert {s for s in graph.subjects(DCT.title) if s != agency} == naming
    assert not set(graph.subjects(RDF.type, DCAT.Dataset))
    every = {p.stem for p in (site / "agencies").glob("*.ttl")}
    described = {str(s)[len(str(AGENCY)):] for s in catalogue.subjects(RDF.type, FOAF.Agent)
                 if str(s).startswith(str(AGENCY))}
    assert every == described
