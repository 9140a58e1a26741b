"""Issue 4: the inventory report and the bundled catalogue."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from migrmeta.cli import cli
from migrmeta.load import iter_records
from migrmeta.namespaces import DCT, FOAF, MM, OWL, RDF
from migrmeta.reports.inventory import build_inventory, render_csv, render_html, render_markdown


def catalogue(root: Path) -> Graph:
    graph = Graph()
    for record in iter_records([root / "records"]):
        assert not isinstance(record, Exception), record
        graph += record.graph
    return graph


def test_inventory_document_is_current(root: Path) -> None:
    inventory = build_inventory([root / "records"])
    assert (root / "docs" / "inventory.md").read_text(encoding="utf-8") == render_markdown(inventory)


def test_inventory_formats(root: Path) -> None:
    inventory = build_inventory([root / "records"])
    rows = list(csv.DictReader(io.StringIO(render_csv(inventory))))
    assert len(rows) == len(inventory.rows) >= 25
    sof = next(r for r in rows if r["survey"].endswith("/ph-sof-2019"))
    assert sof["3. Countries covered"] == "PHL"
    assert sof["12. Remittances"] == "yes"
    assert sof["answers item 7"] == "yes"
    page = render_html(inventory)
    headers, overall = 2, 1
    assert page.count("<tr>") == headers + len(inventory.rows) + overall + len(inventory.completeness_by_agency())
    assert "Survey on Overseas Filipinos 2019" in page


def test_a_completed_survey_without_an_end_shows_its_start_alone(root: Path) -> None:
    """records/au-lsia.ttl: the LSIA cohorts are completed and give no end: not "1993-09–…"."""
    rows = {r.survey.rsplit("/", 1)[-1]: r.time_frame for r in build_inventory([root / "records"]).rows}
    assert rows["au-lsia-1993"] == "1993-09" and rows["au-lsia-1999"] == "1999-09"
    assert rows["gb-ips"] == "1961–…"  # ongoing: runs on
    assert rows["es-eni-2007"] == "2006–2007"


def test_completeness_counts_the_answers(root: Path) -> None:
    inventory = build_inventory([root / "records"])
    shares = inventory.completeness()
    assert shares[1] == 1.0  # every survey has a title
    answered_12 = sum(1 for r in inventory.rows if 12 in r.answered)
    assert shares[12] == answered_12 / len(inventory.rows)
    assert 0 < answered_12 < len(inventory.rows)


def test_report_command(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "inventory.html"
    result = CliRunner().invoke(cli, ["report", "inventory", "--format", "html", "-o", str(out),
                                      str(root / "records")])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_catalogue_breadth(root: Path) -> None:
    graph = catalogue(root)
    surveys = set(graph.subjects(RDF.type, MM.Survey))
    programmes = {graph.value(s, URIRef("http://www.w3.org/ns/dcat#inSeries")) or s for s in surveys}
    assert len(programmes) >= 25
    countries = {c for s in surveys for c in graph.objects(s, DCT.spatial)}
    assert len(countries) >= 15
    creators = {c for s in surveys for c in graph.objects(s, DCT.creator)}
    assert len(creators) >= 10


def test_every_survey_cites_a_source(root: Path) -> None:
    graph = catalogue(root)
    for survey in graph.subjects(RDF.type, MM.Survey):
        assert set(graph.objects(survey, DCT.source)) | set(graph.objects(survey, DCT.bibliographicCitation)), survey


def test_agencies_have_english_names_and_wikidata_links(root: Path) -> None:
    graph = Graph().parse(root / "records" / "agencies.ttl")
    agencies = set(graph.subjects(RDF.type, MM.Agency))
    assert agencies
    for agency in agencies:
        assert any(getattr(n, "language", None) == "en" for n in graph.objects(agency, FOAF.name)), agency
    links = [str(o) for o in graph.objects(None, OWL.sameAs)]
    assert links and all(link.startswith("http://www.wikidata.org/entity/Q") for link in links)


def test_new_user_questions(root: Path) -> None:
    """Which surveys cover Mexico, collect remittance data, give researchers micro-data."""
    graph = catalogue(root)
    mexico = {str(s) for s in graph.subjects(DCT.spatial, URIRef(
        "http://publications.europa.eu/resource/authority/country/MEX")) if (s, RDF.type, MM.Survey) in graph}
    assert {"https://w3id.org/migrmeta/survey/mx-enadid-2018", "https://w3id.org/migrmeta/survey/mx-emif-norte",
            "https://w3id.org/migrmeta/survey/mmp"} <= mexico
    remittances = {str(s) for s in graph.subjects(MM.collectsRemittances, None)
                   if graph.value(s, MM.collectsRemittances).toPython() is True}
    assert "https://w3id.org/migrmeta/survey/in-kms-2018" in remittances
    microdata = {str(s) for s in graph.subjects(MM.disseminationMeans, URIRef(
        "https://w3id.org/migrmeta/vocab/dissemination/microdata-digital"))}
    assert "https://w3id.org/migrmeta/survey/mmp" in microdata


def test_answers_read_as_the_vocabularies_name_them(root: Path) -> None:
    """A reader of the inventory sees 'Multi-stage probability sample', not the code
    probability.multistage (the vocabularies' English labels)."""
    inventory = build_inventory([root / "records" / "al-lsms-2005.ttl"])
    (row,) = inventory.rows
    assert (row.sample_type, row.design, row.access) == (
        "Probability sample", "Migration module in a host survey", "Public use file")


def test_the_header_names_what_the_report_was_made_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Markdown headers of report inventory and report quality name the inputs given (a
    merged dataset, a folder), not `records/` whatever was read; the bundled records stay
    `records/` (docs/inventory.md is made from them)."""
    from migrmeta.reports.quality import build_quality
    from migrmeta.reports.quality import render_markdown as quality_markdown

    repo = Path(__file__).resolve().parents[2]
    contributions = tmp_path / "contributions"
    contributions.mkdir()
    (contributions / "mafe.ttl").write_bytes((repo / "records" / "mafe.ttl").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert "from `contributions/`;" in render_markdown(build_inventory([contributions]))
    assert "from `contributions/`;" in quality_markdown(build_quality([contributions], cache=False))
    assert "from `records/`;" in render_markdown(build_inventory([repo / "records"]))
    outside = tmp_path.parent / f"{tmp_path.name}-outside.ttl"
    outside.write_bytes((repo / "records" / "mafe.ttl").read_bytes())
    assert f"from `{outside}`;" in render_markdown(build_inventory([str(outside)]))


@pytest.mark.parametrize("report", ["inventory", "quality"])
def test_a_survey_two_files_describe_is_said_and_read_alike_in_any_order(root: Path, tmp_path: Path,
                                                                          report: str) -> None:
    """The reports took one side of a conflict by the order of the inputs, without a word, where
    `merge` exits 1 and `validate` calls it a violation (the curator's review)."""
    (tmp_path / "psa").mkdir()
    (tmp_path / "un").mkdir()
    text = (root / "records" / "ph-sof.ttl").read_text(encoding="utf-8")
    (tmp_path / "psa" / "ph-sof.ttl").write_text(text, encoding="utf-8")
    (tmp_path / "un" / "ph-sof.ttl").write_text(text.replace('"Survey on Overseas Filipinos 2019"@en',
                                                             '"Survey of Overseas Filipinos, 2019"@en'), encoding="utf-8")
    outputs = []
    for first, second in (("psa", "un"), ("un", "psa")):
        done = CliRunner().invoke(cli, ["report", report, "--format", "csv", str(tmp_path / first),
                                        str(tmp_path / second)])
        assert done.exit_code == 0, done.output
        outputs.append(done.stdout)
        said = done.stderr
        assert ("survey:ph-sof, survey:ph-sof-2019 are described in 2 files "
                f"({tmp_path / 'psa' / 'ph-sof.ttl'}, {tmp_path / 'un' / 'ph-sof.ttl'})") in said, said
        assert "--prefer AGENCY -o merged.trig" in said
    assert outputs[0] == outputs[1]
