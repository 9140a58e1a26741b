"""Across agencies: two Oxigraph servers, each holding only its own agency's records, and
one query with SPARQL 1.1 SERVICE that returns the surveys of both (docs/federation.md).

INEGI conducts ENADID (records/mx-enadid.ttl); El Colegio de la Frontera Norte conducts
Emif Norte (records/mx-emif-norte.ttl). Both cover Mexico.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from oxigraph_server import OxigraphServer
from paths import REPO
from rdflib import Graph, URIRef

from migrmeta.cli import main
from migrmeta.namespaces import AGENCY, COUNTRY, DCT, MM, RDF

ROOT = REPO
RECORDS = ROOT / "records"
AGENCIES = {"inegi": "mx-enadid.ttl", "colef": "mx-emif-norte.ttl"}
PLACEHOLDERS = ("https://sparql.agency-a.example/query", "https://sparql.agency-b.example/query")

pytestmark = pytest.mark.server


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def surveys_covering_mexico(record: str) -> set[str]:
    graph = Graph().parse(RECORDS / record, format="turtle")
    kinds = {MM.Survey, MM.SurveySeries}
    return {str(s) for s in graph.subjects(DCT.spatial, COUNTRY.MEX)
            if set(graph.objects(s, RDF.type)) & kinds}


def conducted_by(record: str) -> set[URIRef]:
    graph = Graph().parse(RECORDS / record, format="turtle")
    return set(graph.objects(None, DCT.creator))


def tsv_column(out: str, name: str) -> set[str]:
    lines = out.splitlines()
    index = lines[0].split("\t").index(f"?{name}")
    return {line.split("\t")[index].strip("<>") for line in lines[1:] if line}


def recipe() -> str:
    text = (ROOT / "docs" / "federation.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sparql\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/federation.md should hold one SPARQL recipe"
    return blocks[0]


@pytest.fixture
def agencies(oxigraph_factory: Callable[..., OxigraphServer], tmp_path: Path,
             capsys: pytest.CaptureFixture[str]) -> dict[str, OxigraphServer]:
    """One server per agency, each loaded by `migrmeta push` with only that agency's record."""
    servers: dict[str, OxigraphServer] = {}
    for agency, record in AGENCIES.items():
        assert AGENCY[agency] in conducted_by(record)
        folder = tmp_path / agency
        folder.mkdir()
        shutil.copy(RECORDS / record, folder / record)
        shutil.copy(RECORDS / "agencies.ttl", folder / "agencies.ttl")
        servers[agency] = oxigraph_factory(union_default_graph=True)
        code, out, err = run(capsys, "push", str(folder), "--endpoint", servers[agency].query_url)
        assert code == 0, out + err
    return servers


def test_the_two_catalogues_are_realistic_and_distinct() -> None:
    inegi, colef = (surveys_covering_mexico(r) for r in AGENCIES.values())
    assert inegi and colef and not inegi & colef
    assert not conducted_by(AGENCIES["inegi"]) & conducted_by(AGENCIES["colef"])


def test_each_endpoint_holds_only_its_own(agencies: dict[str, OxigraphServer],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    for agency, record in AGENCIES.items():
        code, out, err = run(capsys, "query", "surveys-by-country", "-p", "country=MEX",
                             "--endpoint", agencies[agency].query_url, "--format", "tsv")
        assert code == 0, err
        assert tsv_column(out, "survey") == surveys_covering_mexico(record)


def test_one_service_query_on_an_agency_endpoint_returns_both(agencies: dict[str, OxigraphServer],
                                                            capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    # run on INEGI's endpoint: its own graphs locally, COLEF's through SERVICE
    query = recipe().replace(PLACEHOLDERS[0], agencies["inegi"].query_url)
    query = query.replace(PLACEHOLDERS[1], agencies["colef"].query_url)
    (tmp_path / "across-agencies.rq").write_text(query, encoding="utf-8")
    code, out, err = run(capsys, "query", str(tmp_path / "across-agencies.rq"), "-p", "country=Mexico",
                         "--endpoint", agencies["inegi"].query_url, "--format", "tsv")
    assert code == 0, err
    expected = set().union(*(surveys_covering_mexico(r) for r in AGENCIES.values()))
    assert tsv_column(out, "survey") == expected
    assert tsv_column(out, "agency") == {str(AGENCY.inegi), str(AGENCY.colef)}


def test_the_embedded_store_can_federate_too(agencies: dict[str, OxigraphServer],
                                             capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    query = recipe().replace(PLACEHOLDERS[0], agencies["inegi"].query_url)
    query = query.replace(PLACEHOLDERS[1], agencies["colef"].query_url)
    (tmp_path / "across-agencies.rq").write_text(query, encoding="utf-8")
    # local data of neither agency: whatever comes back came through SERVICE
    refused = run(capsys, "query", str(tmp_path / "across-agencies.rq"), "--data", str(RECORDS / "ph-sof.ttl"))
    assert refused[0] == 2 and "--allow-service" in refused[2]  # never contacted without the user's word
    code, out, err = run(capsys, "query", str(tmp_path / "across-agencies.rq"), "--data", str(RECORDS / "ph-sof.ttl"),
                         "--format", "tsv", "--allow-service")
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    by_endpoint = {(r[0].strip("<>"), r[3].strip('"')) for r in rows}
    expected = {(s, "agency-a") for s in surveys_covering_mexico(AGENCIES["inegi"])}
    expected |= {(s, "agency-b") for s in surveys_covering_mexico(AGENCIES["colef"])}
    assert by_endpoint == expected


def test_an_unreachable_agency_fails_clearly(agencies: dict[str, OxigraphServer],
                                            capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    query = recipe().replace(PLACEHOLDERS[0], agencies["inegi"].query_url)
    query = query.replace(PLACEHOLDERS[1], agencies["colef"].query_url)
    agencies["colef"].stop()
    (tmp_path / "q.rq").write_text(query, encoding="utf-8")
    code, _, err = run(capsys, "query", str(tmp_path / "q.rq"), "--endpoint", agencies["inegi"].query_url)
    assert code == 1 and "Traceback" not in err
    silent = query.replace(f"SERVICE <{agencies['colef'].query_url}>", f"SERVICE SILENT <{agencies['colef'].query_url}>")
    (tmp_path / "silent.rq").write_text(silent, encoding="utf-8")
    code, out, err = run(capsys, "query", str(tmp_path / "silent.rq"), "--endpoint", agencies["inegi"].query_url,
                         "--format", "tsv")
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    assert {r[0].strip("<>") for r in rows if r[0]} == surveys_covering_mexico(AGENCIES["inegi"])
    # per SPARQL 1.1 Federation, a failed SERVICE SILENT gives one solution binding nothing
    assert [r[3] for r in rows if not r[0]] == ['"agency-b"']
