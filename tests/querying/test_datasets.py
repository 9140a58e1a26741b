"""`query` reads what `push` (and `validate`, `publish`) read, and says the same thing wherever
the query runs; against real `oxigraph serve` servers.

- a merged dataset (`.trig` from `merge`, a published site or its `catalog.trig`) is read as
  push reads it: the statements that lost a merge or that the profile replaced stay out, so
  `--data x.trig` answers as the store pushed `x.trig`;
- agencies.ttl in two folders (as validate and publish accept it) is one graph, not an error;
- a query that cannot be parsed: the same message and exit 3 locally and with --endpoint;
- a default graph holding a stray statement but no survey (a non-union Oxigraph) does not turn
  every saved question into a silent "(0 rows)".
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from command import run
from oxigraph_server import OxigraphServer
from paths import DATA, REPO

from migrmeta.namespaces import SURVEY
from migrmeta.querying.store import ROOT, EmbeddedStore, read_catalogue

RECORDS = REPO / "records"
MERGE = DATA / "merge"
# every statement without a blank node (their labels differ from store to store), and how many there are;
# distinct, since Oxigraph's union default graph matches a statement once per graph holding it and the
# embedded store's default graph, the merge, holds it once
STATEMENTS = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def rows(answer: str) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in json.loads(answer)["results"]["bindings"])


def ask(capsys: pytest.CaptureFixture[str], query: str, *where: str) -> list[str]:
    code, out, err = run(capsys, "query", "-e", query, *where, "--format", "json")
    assert code == 0, err
    return rows(out)


@pytest.mark.server
def test_a_merged_dataset_answers_as_the_store_it_was_pushed_to(
        oxigraph_factory: Callable[..., OxigraphServer], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.trig"
    inputs = [str(MERGE / "psa" / "ph-sof.ttl"), f"{MERGE / 'un-desa-pd' / 'ph-sof.ttl'}=un-desa-pd",
              str(MERGE / "agencies.ttl")]
    assert run(capsys, "merge", *inputs, "--prefer", "psa", "-o", str(catalogue))[0] == 0
    assert "/superseded>" in catalogue.read_text(encoding="utf-8")  # statements that lost the merge
    server = oxigraph_factory()  # a plain `oxigraph serve`: the question is asked of its named graphs
    code, out, err = run(capsys, "push", str(catalogue), "--endpoint", server.query_url)
    assert code == 0, out + err
    remote = ask(capsys, STATEMENTS, "--endpoint", server.query_url)
    assert ask(capsys, STATEMENTS, "--data", str(catalogue)) == remote
    assert ask(capsys, COUNT, "--data", str(catalogue)) == ask(capsys, COUNT, "--endpoint", server.query_url)


@pytest.mark.server
def test_a_published_site_and_its_catalog_trig_answer_as_the_store(
        oxigraph_factory: Callable[..., OxigraphServer], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    site = tmp_path / "site"
    code, out, err = run(capsys, "publish", str(RECORDS), "-o", str(site), "--date", "2026-11-30")
    assert code == 0, out + err
    server = oxigraph_factory(union_default_graph=True)
    code, out, err = run(capsys, "push", str(site), "--endpoint", server.query_url)
    assert code == 0, out + err
    remote = ask(capsys, COUNT, "--endpoint", server.query_url)
    assert ask(capsys, COUNT, "--data", str(site / "catalog.trig")) == remote  # not the .trig read as one record
    assert ask(capsys, COUNT, "--data", str(site)) == remote
    remote = ask(capsys, STATEMENTS, "--endpoint", server.query_url)
    assert ask(capsys, STATEMENTS, "--data", str(site / "catalog.trig")) == remote


def test_a_site_keeps_what_it_set_aside_out_of_the_store(tmp_path: Path) -> None:
    """The catalog.trig of a site: a contribution and the statements that lost a merge; only the first are read,
    whether the site or the file is given."""
    site = tmp_path / "site"
    site.mkdir()
    kept = (RECORDS / "mx-enadid.ttl").read_text(encoding="utf-8")
    prefixes = "".join(line + "\n" for line in kept.splitlines() if line.startswith("@prefix"))
    body = "\n".join(line for line in kept.splitlines() if not line.startswith("@prefix"))
    lost = f"<{SURVEY['lost']}> a <https://w3id.org/migrmeta/ns#Survey> ."
    (site / "catalog.trig").write_text(
        f"{prefixes}<{ROOT}graph/inegi/mx-enadid.ttl> {{\n{body}\n}}\n<{ROOT}graph/inegi/mx-enadid.ttl/superseded> "
        f"{{ {lost} }}\n", encoding="utf-8")
    for given in (site, site / "catalog.trig"):
        store, errors = EmbeddedStore.open([str(given)], reference=False)
        assert errors == []
        assert store.query(f"ASK {{ <{SURVEY['mx-enadid']}> ?p ?o }}").boolean is True
        assert store.query(f"ASK {{ <{SURVEY['lost']}> ?p ?o }}").boolean is False


@pytest.mark.server
def test_agencies_in_two_folders_are_read_as_validate_reads_them(
        oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for part, record in (("a", "mx-enadid.ttl"), ("b", "mafe.ttl")):
        (tmp_path / "multi" / part).mkdir(parents=True)
        for name in ("agencies.ttl", record):
            shutil.copy(RECORDS / name, tmp_path / "multi" / part / name)
    (tmp_path / "multi" / "b" / "agencies.ttl").write_text(
        (RECORDS / "agencies.ttl").read_text(encoding="utf-8") + '\n<urn:extra> <urn:p> "only in b" .\n',
        encoding="utf-8")
    folder = str(tmp_path / "multi")
    assert run(capsys, "validate", folder)[0] == 0
    graphs, errors = read_catalogue([folder])
    assert errors == []
    agencies = next(g for g in graphs if g.name == f"{ROOT}agencies/graph")
    assert agencies.sources == (f"{folder}/a/agencies.ttl", f"{folder}/b/agencies.ttl")
    code, out, err = run(capsys, "query", "surveys-by-country", "-p", "country=MEX", "--data", folder)
    assert code == 0, err
    assert "survey:mx-enadid" in out and "describes the same survey" not in err
    code, out, err = run(capsys, "push", folder, "--endpoint", oxigraph.query_url, "--prune")
    assert code == 0, out + err
    assert oxigraph.sizes()[f"{ROOT}agencies/graph"] == len(agencies)  # both files' statements, in one graph
    assert f"{folder}/a/agencies.ttl, {folder}/b/agencies.ttl" in run(
        capsys, "push", folder, "--dry-run")[1]


@pytest.mark.server
def test_a_query_that_cannot_be_parsed_is_said_the_same_everywhere(
        oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str]) -> None:
    broken = "SELECT * WHERE { ?s ?p }"
    local = run(capsys, "query", "-e", broken, "--data", str(RECORDS / "mafe.ttl"))
    remote = run(capsys, "query", "-e", broken, "--endpoint", oxigraph.query_url)
    assert local[0] == remote[0] == 3  # docs/queries.md: 3 the query cannot be read
    assert local[2] == remote[2] and "<query text>:1:" in remote[2] and "SPARQL syntax error" in remote[2]


@pytest.mark.server
def test_a_stray_statement_in_the_default_graph_does_not_hide_the_catalogue(
        oxigraph_factory: Callable[..., OxigraphServer], capsys: pytest.CaptureFixture[str]) -> None:
    plain = oxigraph_factory()  # without --union-default-graph
    code, out, err = run(capsys, "push", str(RECORDS / "mx-enadid.ttl"), "--endpoint", plain.query_url)
    assert code == 0, out + err
    requests.post(plain.base + "/update", data={"update": 'INSERT DATA { <urn:x> <urn:y> "z" }'},
                  timeout=30).raise_for_status()
    code, out, err = run(capsys, "query", "surveys-by-country", "-p", "country=MEX", "--endpoint", plain.query_url)
    assert code == 0, err
    assert "survey:mx-enadid-2018" in out and "(0 rows)" not in out
    assert "holds statements but no survey: the question was asked of its 2 named graphs" in err


def test_show_ends_with_a_newline(capsys: pytest.CaptureFixture[str]) -> None:
    for where in ([], ["--endpoint", "http://127.0.0.1:9/query"]):  # nothing is sent either way
        code, out, _ = run(capsys, "query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--show", *where)
        assert code == 0 and out.endswith("}\n")


@pytest.mark.server
def test_a_query_rdflib_cannot_read_keeps_its_from_on_an_endpoint(
        oxigraph_factory: Callable[..., OxigraphServer], capsys: pytest.CaptureFixture[str]) -> None:
    """A query only Oxigraph's parser reads (a '#' before SERVICE on its line) was sent to a plain
    server with union-default-graph, which overrides its FROM: it counted every survey instead of
    the graph it named (the researcher review). It is sent as it is."""
    plain = oxigraph_factory()
    for record in ("mafe.ttl", "gb-ips.ttl"):
        code, out, err = run(capsys, "push", str(RECORDS / record), "--endpoint", plain.query_url)
        assert code == 0, out + err
    graph = next(g for g in plain.sizes() if "mafe" in g)
    query = ("PREFIX mm: <https://w3id.org/migrmeta/ns#> SELECT (COUNT(DISTINCT ?s) AS ?n) "
             f"FROM <{graph}> WHERE {{ ?s a mm:Survey OPTIONAL {{ SERVICE SILENT <http://127.0.0.1:9/q> "
             "{ ?s a mm:Survey } } }")
    from migrmeta.querying.execution import service_calls

    assert service_calls(query) is None  # rdflib cannot read it
    code, out, err = run(capsys, "query", "-e", query, "--endpoint", plain.query_url, "--format", "csv")
    assert code == 0 and out.splitlines()[1:] == ["1"] and "named graphs" not in err, (out, err, plain.sizes())
