"""`migrmeta report quality`: the bundled catalogue's report (docs/quality-report.md, kept current), formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from paths import DATA, REPO
from rdflib import Graph, URIRef

from migrmeta.cli import cli
from migrmeta.namespaces import DCT
from migrmeta.reports.quality import (
    JSON_SCHEMA,
    QualityReport,
    build_quality,
    render_csv,
    render_json,
    render_markdown,
    render_text,
)
from migrmeta.validation.quality import CRITERIA, DIMENSIONS

COMPLETE = DATA / "shapes" / "sof-complete.ttl"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def catalogue_report(cache_dir: Path) -> QualityReport:
    return build_quality([REPO / "records"], cache_dir=cache_dir)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["report", "quality", "--no-cache", *args], catch_exceptions=False)


def test_quality_report_document_is_current(catalogue_report: QualityReport) -> None:
    """Regenerate with: migrmeta report quality --format markdown -o docs/quality-report.md"""
    assert (REPO / "docs" / "quality-report.md").read_text(encoding="utf-8") == render_markdown(catalogue_report)


def test_catalogue_scores(catalogue_report: QualityReport) -> None:
    report = catalogue_report
    assert report.as_of == max(date.fromisoformat(r.score.as_of) for r in report.rows)
    assert len(report.surveys) > 100 and all(0 <= r.score.total <= 100 for r in report.rows)
    assert report.mean == round(sum(r.score.total for r in report.surveys) / len(report.surveys), 1)
    sof = next(r for r in report.rows if r.identifier == "ph-sof-2019")
    assert sof.score.kind == "survey" and sof.source.endswith("ph-sof.ttl")
    series = next(r for r in report.rows if r.identifier == "in-kms")
    assert series.score.kind == "series" and series.score.rounds == 5
    psa = next(a for a in report.agencies if a.name == "Philippine Statistics Authority")
    records = Graph()
    for path in sorted((REPO / "records").glob("*.ttl")):
        records.parse(path)
    creator = URIRef("https://w3id.org/migrmeta/agency/psa")
    conducted = [r.score.subject for r in report.rows
                 if r.score.kind == "survey" and (URIRef(r.score.subject), DCT.creator, creator) in records]
    assert psa.country == "PHL" and [s.subject for s in psa.scores] == conducted and sof.score.subject in conducted
    assert any(a.country == "international" for a in report.agencies)  # the World Bank, IOM, ...


def test_formats(catalogue_report: QualityReport) -> None:
    report = catalogue_report
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert len(rows) == len(report.rows)
    assert set(rows[0]) >= {"record", "score", "rating", *DIMENSIONS, *(c.key for c in CRITERIA)}
    agencies = list(csv.DictReader(io.StringIO(render_csv(report, by="agency"))))
    assert len(agencies) == len(report.agencies)
    document = json.loads(render_json(report))
    assert document["schema"] == JSON_SCHEMA
    assert document["catalogue"]["score"] == report.mean
    assert len(document["records"]) == len(report.rows)
    assert document["records"][0]["criteria"][0]["criterion"] == CRITERIA[0].key
    text = render_text(report)
    assert f"mean {report.mean:g}/100" in text and "ph-sof-2019" in text
    # messages.plural's count and noun, one survey or several
    for agency in report.agencies:
        count = len(agency.scores)
        noun = "1 survey" if count == 1 else f"{count} surveys"
        assert f"{agency.name} ({agency.country}, {noun})\n" in text, agency.name
    assert any(len(a.scores) == 1 for a in report.agencies) and any(len(a.scores) > 1 for a in report.agencies)


def test_report_is_deterministic(catalogue_report: QualityReport, cache_dir: Path) -> None:
    again = build_quality([REPO / "records"], cache_dir=cache_dir)
    assert render_json(again) == render_json(catalogue_report)


def test_command_outputs_and_as_of(tmp_path: Path) -> None:
    shutil.copy(COMPLETE, tmp_path / "sof.ttl")
    result = invoke("--format", "json", str(tmp_path))
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["as_of"] == "2026-11-30"
    later = json.loads(invoke("--format", "json", "--as-of", "2030-01-01", str(tmp_path)).output)
    assert later["as_of"] == "2030-01-01"
    assert later["catalogue"]["score"] == document["catalogue"]["score"] - 7  # the check is over three years old
    out = tmp_path / "q.md"
    assert invoke("--format", "markdown", "-o", str(out), str(tmp_path)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Metadata quality of the catalogue")


def test_exit_codes(tmp_path: Path) -> None:
    shutil.copy(COMPLETE, tmp_path / "sof.ttl")
    assert invoke("--fail-under", "50", str(tmp_path)).exit_code == 0
    low = invoke("--fail-under", "99", str(tmp_path))
    assert low.exit_code == 1 and "ph-sof-2019" in low.output
    bad_date = invoke("--as-of", "30/11/2026", str(tmp_path))
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    (tmp_path / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    unreadable = invoke(str(tmp_path))
    assert unreadable.exit_code == 3 and "broken.ttl" in unreadable.output and "ph-sof-2019" in unreadable.output


def test_nothing_readable_scores_nothing_rather_than_a_poor_mean_of_1970(tmp_path: Path) -> None:
    """An empty folder printed "Metadata quality as of 1970-01-01: 0 surveys, mean 0/100 (poor)"."""
    (tmp_path / "empty").mkdir()
    done = CliRunner().invoke(cli, ["report", "quality", str(tmp_path / "empty"), "--no-cache"])
    assert done.exit_code == 3
    assert "1970" not in done.output and "(poor)" not in done.output
    assert "no survey could be read: nothing was scored" in done.output


def test_an_as_of_before_the_records_checks_is_said(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["report", "quality", str(COMPLETE), "--as-of", "2020-01-01", "--no-cache"])
    assert done.exit_code == 0, done.output
    assert "warning: --as-of 2020-01-01 is before the check of 2 surveys and series (mm:checkedOn)" in done.output
    done = CliRunner().invoke(cli, ["report", "quality", str(COMPLETE), "--as-of", "2030-01-01", "--no-cache"])
    assert done.exit_code == 0 and "is before the check" not in done.output
