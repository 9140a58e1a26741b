"""Every command reads RDF through the one reader: two N-Triples records that both use the
blank-node label `_:b0` stay two records with their own time frames (issue 11)."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import DATA, RECORDS, REPO
from rdflib import BNode, Dataset, Graph

from migrmeta.cli import cli
from migrmeta.namespaces import DCAT, DCT, SURVEY


def _start(name: str) -> str:
    """The start of the record's time frame, as its own Turtle says."""
    graph = Graph().parse(RECORDS / f"{name}.ttl")
    [start] = {str(d) for p in graph.objects(SURVEY[name], DCT.temporal) for d in graph.objects(p, DCAT.startDate)}
    return start


SURVEYS = {name: _start(name) for name in ("es-eni-2007", "al-lsms-2005")}  # record -> start of its time frame


def labelled_ntriples(record: Path) -> str:
    """The record as N-Triples whose blank nodes are labelled b0, b1, ... as other tools write them."""
    graph = Graph().parse(record)
    labels: dict[BNode, str] = {}

    def show(term: object) -> str:
        if isinstance(term, BNode):
            return "_:" + labels.setdefault(term, f"b{len(labels)}")
        return term.n3()  # type: ignore[attr-defined]

    ordered = sorted(graph, key=lambda t: (isinstance(t[0], BNode), str(t[1]), str(t[0])))
    return "".join(f"{show(s)} {show(p)} {show(o)} .\n" for s, p, o in ordered)


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    for name in SURVEYS:
        text = labelled_ntriples(RECORDS / f"{name}.ttl")
        assert "_:b0 " in text
        (folder / f"{name}.nt").write_text(text)
    shutil.copy(RECORDS / "agencies.ttl", folder / "agencies.ttl")
    return folder


def starts(graph: Graph) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name in SURVEYS:
        for period in graph.objects(SURVEY[name], DCT.temporal):
            found.setdefault(name, set()).update(str(d) for d in graph.objects(period, DCAT.startDate))
    return found


EXPECTED = {name: {year} for name, year in SURVEYS.items()}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def check_validate(folder: Path, out: Path) -> None:
    code, output = run("validate", "--no-cache", "--format", "json", str(folder))
    report = json.loads(output)
    assert code == 0, output
    periods = [f for r in report["records"] for f in r["findings"] if "startDate" in (f.get("path") or "")]
    assert periods == []  # a shared node would have two start dates: a maxCount violation


def check_merge(folder: Path, out: Path) -> None:
    code, output = run("merge", str(folder), "-o", str(out / "m.trig"))
    assert code == 0, output
    dataset = Dataset()
    dataset.parse(out / "m.trig", format="trig")
    union = Graph()
    for quad in dataset.quads():
        union.add(quad[:3])
    assert starts(union) == EXPECTED


def check_publish(folder: Path, out: Path) -> None:
    code, output = run("publish", "--no-cache", str(folder), "-o", str(out / "site"))
    assert code == 0, output
    assert starts(Graph().parse(out / "site" / "catalog.ttl")) == EXPECTED


def check_query(folder: Path, out: Path) -> None:
    code, output = run("query", "--data", str(folder), "--format", "csv", "-e",
                       "SELECT ?s ?y WHERE { ?s <http://purl.org/dc/terms/temporal>/<http://www.w3.org/ns/dcat#startDate> ?y }")
    assert code == 0, output
    rows = sorted(line for line in output.splitlines()[1:] if line)
    assert rows == sorted(f"{SURVEY[name]},{year}" for name, year in SURVEYS.items())


def check_push(folder: Path, out: Path) -> None:
    code, output = run("push", "--dry-run", str(folder))
    assert code == 0, output
    for name in SURVEYS:
        local = len(Graph().parse(folder / f"{name}.nt"))
        assert re.search(rf"{re.escape(str(SURVEY[name]))}/graph\s+{local}\s", output), output


def check_export_ddi(folder: Path, out: Path) -> None:
    code, output = run("export", "ddi", str(folder / "es-eni-2007.nt"), str(folder / "al-lsms-2005.nt"),
                       "-o", str(out / "ddi"))
    assert code == 0, output
    for name, year in SURVEYS.items():
        text = (out / "ddi" / f"{name}.xml").read_text()
        assert re.findall(r'<collDate [^>]*event="start"[^>]*>([0-9-]+)<', text) == [year]


def check_export_schemaorg(folder: Path, out: Path) -> None:
    code, output = run("export", "schemaorg", str(folder / "es-eni-2007.nt"), str(folder / "al-lsms-2005.nt"),
                       "-o", str(out / "so"))
    assert code == 0, output
    for name, year in SURVEYS.items():
        coverage = json.loads((out / "so" / f"{name}.jsonld").read_text())["temporalCoverage"]
        assert coverage.startswith(year[:4]), coverage


@pytest.mark.parametrize("check", [check_validate, check_merge, check_publish, check_query, check_push,
                                   check_export_ddi, check_export_schemaorg], ids=lambda c: c.__name__[6:])
def test_two_records_with_the_same_blank_node_label_stay_two(check: Callable[[Path, Path], None], pair: Path,
                                                             tmp_path: Path) -> None:
    check(pair, tmp_path)


def test_the_input_really_shares_labels(pair: Path) -> None:
    labels = [set(re.findall(r"_:b\d+", (pair / f"{name}.nt").read_text())) for name in SURVEYS]
    assert labels[0] & labels[1]


def test_a_file_named_twice_is_one_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`validate pub/ pub/mafe.ttl` reads mafe.ttl once: no 'also described in pub/mafe.ttl'
    against itself; `export ddi` writes its file once; `import ddi X X` makes one draft; an
    import folder without files of the converter's kind is said, not passed over."""
    from command import run

    from migrmeta.load import expand_paths

    pub = tmp_path / "pub"
    pub.mkdir()
    for name in ("mafe.ttl", "agencies.ttl"):
        (pub / name).write_bytes((REPO / "records" / name).read_bytes())
    twice = [str(pub), str(pub / "mafe.ttl"), f"{pub}/./mafe.ttl"]
    assert sorted(n for n in expand_paths(twice) if isinstance(n, str)) == [str(pub / "agencies.ttl"),
                                                                            str(pub / "mafe.ttl")]
    code, out, _ = run(capsys, "validate", "--no-cache", *twice)
    assert code == 0 and "2 records (1 describing no survey), 2 conforming" in out, out
    # agencies.ttl named by one spelling, found beside a record by another: once
    code, out, _ = run(capsys, "validate", "--no-cache", str(pub / "mafe.ttl"), os.path.relpath(pub / "agencies.ttl"))
    assert code == 0 and "2 records (1 describing no survey), 2 conforming" in out, out
    code, _, err = run(capsys, "export", "ddi", *twice, "-o", str(tmp_path / "ddi"))
    assert code == 0, err
    ddi = DATA / "ddi" / "ukds-7481.xml"
    code, _, err = run(capsys, "import", "ddi", str(ddi), str(ddi), "-o", str(tmp_path / "drafts"))
    assert code == 0 and [p.name for p in (tmp_path / "drafts").iterdir()] == ["ukda-7481.ttl"], err
    (tmp_path / "none").mkdir()
    code, _, err = run(capsys, "import", "ddi", str(tmp_path / "none"))
    assert code == 3 and "no .xml files in this directory" in err
