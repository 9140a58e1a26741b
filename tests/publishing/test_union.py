"""A survey several agencies describe, checked as merged: `publish` reports what the united
description breaks and no file breaks alone; `validate` and the reports read a merged dataset
as merged (the values a conflict set aside left out)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from paths import DATA, REPO

from migrmeta.cli import cli

RECORD = REPO / "records" / "al-lsms-2005.ttl"  # micro-data disseminated, public-use access
AGENCIES = REPO / "records" / "agencies.ttl"


def contributions(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    """The record as PSA gives it, and as UN DESA gives it with `edits`: each conforms alone."""
    (tmp_path / "psa").mkdir()
    (tmp_path / "un").mkdir()
    text = RECORD.read_text(encoding="utf-8")
    (tmp_path / "psa" / RECORD.name).write_text(text, encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "un" / RECORD.name).write_text(text, encoding="utf-8")
    return [f"{tmp_path / 'psa' / RECORD.name}=psa", f"{tmp_path / 'un' / RECORD.name}=un-desa-pd", str(AGENCIES)]


NO_ACCESS = (("mm:accessLevel acc:public-use", "mm:accessLevel acc:no-access"),
             ("mm:disseminationMeans dis:microdata-digital, dis:documentation", "mm:disseminationMeans dis:documentation"))


def publish(tmp_path: Path, inputs: list[str], *flags: str) -> object:
    return CliRunner().invoke(cli, ["publish", "-q", "-j", "1", "--cache-dir", str(tmp_path / "cache"),
                                    "-o", str(tmp_path / "site"), *flags, *inputs])


def test_publish_refuses_a_survey_that_breaks_a_rule_only_as_merged(tmp_path: Path) -> None:
    inputs = contributions(tmp_path, *NO_ACCESS)  # one says micro-data, the other 'no access' (rule 27)
    for alone in inputs[:2]:
        assert CliRunner().invoke(cli, ["validate", "--no-cache", alone.split("=")[0]]).exit_code == 0
    result = publish(tmp_path, inputs)
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert "as merged with " + str(tmp_path / "un" / RECORD.name) + " (un-desa-pd)" in output
    assert "as merged with " + str(tmp_path / "psa" / RECORD.name) + " (psa)" in output
    assert "access cannot be 'no access'" in output and "each file conforms alone, not together" in output
    assert not (tmp_path / "site").exists()


def test_skip_invalid_leaves_out_the_files_that_break_a_rule_together(tmp_path: Path) -> None:
    other = str(REPO / "records" / "fi-uth-2014.ttl")  # another survey, so that something is left to publish
    result = publish(tmp_path, [*contributions(tmp_path, *NO_ACCESS), other], "--skip-invalid")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "Published 1 survey " in result.output  # type: ignore[attr-defined]
    assert f"{tmp_path / 'psa' / RECORD.name} (conforms alone, not as merged with the others" in \
        result.output  # type: ignore[attr-defined]
    assert f"{tmp_path / 'un' / RECORD.name} (conforms alone, not as merged with the others" in \
        result.output  # type: ignore[attr-defined]
    # the two files alone were the whole catalogue: nothing published, not an empty site
    (tmp_path / "alone").mkdir()
    alone = publish(tmp_path / "alone", contributions(tmp_path / "alone", *NO_ACCESS), "--skip-invalid")
    assert alone.exit_code == 1 and "no record of a survey conforms" in alone.output  # type: ignore[attr-defined]


def test_publish_refuses_unknown_access_beside_a_known_level_only_as_merged(tmp_path: Path) -> None:
    # one says public-use, the other 'unknown': both, once united (rule 38)
    result = publish(tmp_path, contributions(tmp_path, ("mm:accessLevel acc:public-use", "mm:accessLevel acc:unknown")))
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert "access is given both as 'unknown' and as a known level: remove 'unknown'" in output
    assert "each file conforms alone, not together" in output
    assert not (tmp_path / "site").exists()


def test_publish_reports_a_warning_only_the_union_has(tmp_path: Path) -> None:
    # public-use beside open: two access levels and no main one (rule 31, a warning)
    inputs = contributions(tmp_path, ("mm:accessLevel acc:public-use", "mm:accessLevel acc:open"))
    result = publish(tmp_path, inputs)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "Published 1 survey " in result.output  # type: ignore[attr-defined]
    assert "main access level: as merged with" in result.output  # type: ignore[attr-defined]


def merged(tmp_path: Path) -> Path:
    """The record's time frame as two agencies give it, merged with PSA's start kept, and another survey."""
    inputs = contributions(tmp_path, ('dcat:startDate "2005-05"', 'dcat:startDate "2005-03"'))
    inputs.append(str(REPO / "records" / "fi-uth-2014.ttl"))
    out = tmp_path / "catalogue.trig"
    result = CliRunner().invoke(cli, ["merge", *inputs, "--prefer", "psa", "-o", str(out)])
    assert result.exit_code == 0 and "1 conflicts (0 unresolved)" in result.output, result.output
    return out


def test_validate_reads_a_merged_dataset_as_merged(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--no-cache", str(merged(tmp_path))])
    assert result.exit_code == 0, result.output  # read as one record: two time frames, two start dates
    assert "violation:" not in result.output and "several surveys" not in result.output  # one dataset, many surveys


def test_validate_reads_a_published_site_as_merged(tmp_path: Path) -> None:
    site = tmp_path / "site"
    sof = DATA / "merge"
    inputs = [str(sof / "psa" / "ph-sof.ttl"), f"{sof / 'un-desa-pd' / 'ph-sof.ttl'}=un-desa-pd", str(sof / "agencies.ttl")]
    assert publish(tmp_path, inputs, "--prefer", "psa").exit_code == 0  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["validate", "--no-cache", str(site)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{site / 'catalog.trig'}\n")  # the dataset, not every file of the site


def test_the_inventory_shows_the_value_the_merge_kept(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "inventory", "--format", "csv", str(merged(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "2005-05–2005-07" in result.output and "2005-03" not in result.output


def test_report_quality_counts_no_violation_the_merge_settled(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "quality", "--format", "json", "--no-cache", str(merged(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "give exactly one time frame" not in result.output  # the shapes' words for two time frames



def test_a_survey_two_agencies_describe_alike_scores_as_one_and_is_not_told_to_be_one_file(tmp_path: Path) -> None:
    """Two agencies giving the same description is what a federated catalogue is for: the page's
    score and report quality's are the score of one description (no 'described in two files'
    fault, no warning counted twice), and a refused publish does not tell them to use one file."""
    from migrmeta.reports.quality import build_quality

    alone, both, refused = (tmp_path / name for name in ("alone", "both", "refused"))
    for folder in (alone, both, refused):
        folder.mkdir()
    (alone / "psa").mkdir()
    (alone / "psa" / RECORD.name).write_bytes(RECORD.read_bytes())
    assert publish(alone, [f"{alone / 'psa' / RECORD.name}=psa", str(AGENCIES)]).exit_code == 0  # type: ignore[attr-defined]
    assert publish(both, contributions(both)).exit_code == 0  # type: ignore[attr-defined]
    page = Path("en") / "surveys" / "al-lsms-2005.html"
    scores = [re.findall(r'data-score="([0-9.]+)"', (folder / "site" / page).read_text("utf-8")) for folder in (alone, both)]
    assert scores[0] and scores[0] == scores[1]
    reports = [build_quality(paths, cache=False) for paths in ([alone / "psa", AGENCIES], [both / "psa", both / "un", AGENCIES])]
    totals = [[r.score.total for r in report.rows if r.identifier == "al-lsms-2005"] for report in reports]
    assert totals[0] and totals[0] == totals[1]
    assert not any("also described in" in reason for row in reports[1].rows for reason in row.score.reasons())

    result = publish(refused, contributions(refused, *NO_ACCESS))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "describe each survey in one file" not in result.output  # type: ignore[attr-defined]


def test_a_finding_as_merged_is_given_only_to_the_files_describing_its_survey(tmp_path: Path) -> None:
    # PSA's file describes both rounds; UN DESA's file the 2021 round (no access, where PSA
    # disseminates micro-data: rule 27 as merged); IOM's the 2022 round only, which it joins
    # to the same check without any part in the 2021 round
    text = (REPO / "records" / "ve-encovi.ttl").read_text(encoding="utf-8")
    head = text[:text.index("# --- the series and host")]
    r2021, r2022 = text[text.index("survey:ve-encovi-2021 a"):text.index("# --- ENCOVI 2022")], \
        text[text.index("survey:ve-encovi-2022 a"):]
    means = "mm:disseminationMeans dis:reports ;\n\n    dct:source <https://elimpulso"
    assert means in text
    files = {"psa": text.replace(means, means.replace("dis:reports", "dis:microdata-digital")),
             "un-desa-pd": head + r2021.replace("mm:disseminationMeans dis:reports ;",
                                                "mm:disseminationMeans dis:reports ; mm:accessLevel acc:no-access ;"),
             "iom": head + r2022}
    inputs = []
    for agency, content in files.items():
        (tmp_path / agency).mkdir()
        (tmp_path / agency / "ve-encovi.ttl").write_text(content, encoding="utf-8")
        inputs.append(f"{tmp_path / agency / 've-encovi.ttl'}={agency}")
    result = publish(tmp_path, [*inputs, str(AGENCIES)], "--skip-invalid")
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 0, output
    iom = str(tmp_path / "iom" / "ve-encovi.ttl")
    assert "access cannot be 'no access'" in output and f"as merged with {tmp_path / 'un-desa-pd'}" in output
    assert f"{iom} (conforms alone" not in output and "(iom): micro-data" not in output
    assert "Published 1 survey " in output  # the 2022 round, from IOM's file
