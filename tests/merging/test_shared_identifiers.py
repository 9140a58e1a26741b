"""Two surveys' IRIs giving one `dct:identifier` are one survey only when `owl:sameAs` says so:
`merge` (and so `publish`) refuses them otherwise, naming both IRIs, files and lines, and writes
nothing; `validate` reports `duplicate_identifier` only between IRIs no owl:sameAs links, and
a quality score counts it (migrmeta/merging/identifiers.py, validation/across.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from command import run
from paths import RECORDS
from rdflib import Dataset, Literal, URIRef

from migrmeta.messages import LANGUAGES, message, translate
from migrmeta.namespaces import DCT, MM, OWL, RDF, SURVEY

RECORD = RECORDS / "gb-ips.ttl"  # one survey, dct:identifier "gb-ips"
AGENCIES = RECORDS / "agencies.ttl"
IPS = SURVEY["gb-ips"]
OTHER = URIRef("https://example.org/catalogue/ips")
SAME_AS = f"<{OWL.sameAs}>"


def _records(root: Path, *, link: str = "") -> tuple[Path, Path]:
    """The bundled record as ONS gives it, and a copy under another IRI with the same
    identifier (`link`: statements written before the copy's survey, e.g. an owl:sameAs)."""
    text = RECORD.read_text(encoding="utf-8")
    assert text.count("survey:gb-ips a") == 1 and 'dct:identifier "gb-ips"' in text
    first, second = root / "ons" / RECORD.name, root / "un" / RECORD.name
    for path, content in ((first, text), (second, text.replace("survey:gb-ips a", f"{link}<{OTHER}> a"))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return first, second


def _line(path: Path, text: str, after: str) -> int:
    """The number of the first line holding `text` after the line holding `after`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines[start:], start + 1) if text in line)


def test_merge_refuses_one_identifier_for_two_iris_and_writes_nothing(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _records(tmp_path)
    out = tmp_path / "catalogue.trig"
    out.write_text("the previous dataset", encoding="utf-8")
    code, stdout, err = run(capsys, "merge", str(first), f"{second}=un-desa-pd", str(AGENCIES), "-o", str(out),
                            "--force")
    assert code == 1, err
    assert out.read_text(encoding="utf-8") == "the previous dataset"  # left as it was, even with --force
    assert not stdout
    first_at = f"{first}:{_line(first, 'dct:identifier', 'survey:gb-ips a')}"
    second_at = f"{second}:{_line(second, 'dct:identifier', str(OTHER))}"
    assert f"shared identifier: <{OTHER}> ({second_at}) and survey:gb-ips ({first_at})" in err
    assert "dct:identifier 'gb-ips'" in err
    assert f"add `<{OTHER}> owl:sameAs survey:gb-ips` to a record if they are one survey, " \
           "or give one of them another identifier" in err
    assert err.rstrip().endswith("1 identifiers shared, 0 unreadable inputs; nothing written")


@pytest.mark.parametrize("link", [
    f"<{OTHER}> {SAME_AS} <{IPS}> .\n",  # directly
    f"<{OTHER}> {SAME_AS} <https://example.org/mid> .\n<{IPS}> {SAME_AS} <https://example.org/mid> .\n",  # a chain
], ids=["same-as", "chain"])
def test_owl_same_as_makes_them_one_survey_the_merge_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            link: str) -> None:
    first, second = _records(tmp_path, link=link)
    out = tmp_path / "catalogue.trig"
    code, _, err = run(capsys, "merge", str(first), f"{second}=un-desa-pd", str(AGENCIES), "-o", str(out))
    assert code == 0, err
    assert "shared identifier" not in err and "same survey:" in err
    dataset = Dataset()
    dataset.parse(out, format="trig")
    named = {s for s, _, _, _ in dataset.quads((None, DCT.identifier, Literal("gb-ips"), None))}
    surveys = {s for s, _, _, _ in dataset.quads((None, RDF.type, MM.Survey, None))}
    assert len(named) == 1 and named <= surveys  # one survey, under one IRI


def _components(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, dict[str, set[str]]]:
    """validate's exit code and, by component, the files of its findings across records."""
    code, out, _ = run(capsys, "validate", "--no-cache", "--format", "json", *map(str, paths))
    found: dict[str, set[str]] = {}
    for record in json.loads(out)["records"]:
        for finding in record["findings"]:
            if finding["check"] == "catalogue":
                found.setdefault(finding["component"], set()).add(record["source"])
    return code, found


def test_validate_reports_the_identifier_only_between_iris_no_same_as_links(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _records(tmp_path / "apart")
    code, found = _components(capsys, first, second, AGENCIES)
    assert code == 1
    assert found["duplicate_identifier"] == {str(first), str(second)}
    assert found["duplicate_key"] == {str(first), str(second)}  # the same title, creator and start too

    first, second = _records(tmp_path / "linked", link=f"<{OTHER}> {SAME_AS} <{IPS}> .\n")
    code, found = _components(capsys, first, second, AGENCIES)
    assert code == 0, found
    assert "duplicate_identifier" not in found and "duplicate_key" not in found  # one survey, folded by the merge


def test_a_quality_score_counts_the_shared_identifier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def scores(*paths: Path) -> dict[str, tuple[float, list[str]]]:
        code, out, err = run(capsys, "report", "quality", "--format", "json", "--no-cache", *map(str, paths))
        assert code in (0, 1), err
        return {row["subject"]: (row["score"], [c["reason"] for c in row["criteria"]])
                for row in json.loads(out)["records"]}

    first, second = _records(tmp_path)
    alone = scores(first, AGENCIES)[str(IPS)]
    shared = scores(first, second, AGENCIES)[str(IPS)]
    assert shared[0] < alone[0]
    assert any("identifier 'gb-ips' is also used by" in reason for reason in shared[1])
    assert not any("is also used by" in reason for reason in alone[1])


def test_publish_refuses_them_and_skip_invalid_says_why_it_left_them_out(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _records(tmp_path / "in")
    other = tmp_path / "in" / "fr-teo.ttl"
    other.write_bytes((RECORDS / "fr-teo.ttl").read_bytes())
    site = tmp_path / "site"
    inputs = [str(first), f"{second}=un-desa-pd", str(other), str(AGENCIES)]
    code, out, err = run(capsys, "publish", "-q", "--no-cache", "-o", str(site), *inputs)
    assert code == 1 and not site.exists()
    assert "identifier 'gb-ips' is also used by" in out + err

    code, out, err = run(capsys, "publish", "-q", "--no-cache", "--skip-invalid", "-o", str(site), *inputs)
    assert code == 0, err
    assert out.startswith("Published ") and not (site / "surveys" / "gb-ips.ttl").exists()
    assert (site / "surveys" / "fr-teo.ttl").exists()
    assert "Skipped 2 records, 2 with violations" in out
    for path in (first, second):  # each record left out, then its violations
        lines = out[out.index(f"  {path}\n"):].splitlines()[1:]
        reasons = lines[:next((n for n, line in enumerate(lines) if not line.startswith("    ")), len(lines))]
        # at the line of its identifier, as validate says it (the checks across records name it now)
        assert any(re.match(r"    line \d+: item 1 \(", r) and "identifier 'gb-ips' is also used by" in r
                   for r in reasons), reasons


@pytest.mark.parametrize("key", ["merge.shared_identifier", "merge.shared_identifier_linked",
                                 "across.duplicate_identifier_linked"])
def test_the_refusal_is_said_in_french_and_spanish(key: str) -> None:
    if key.startswith("merge."):
        fields = {"identifier": "gb-ips", "first": "survey:a", "second": "survey:b", "first_at": "a.ttl:3",
                  "second_at": "b.ttl:5"}
    else:
        fields = {"value": "gb-ips", "other_iri": "survey:b", "other": "b.ttl"}
    english = message(key, "en", **fields)
    for lang in LANGUAGES:
        said = message(key, lang, **fields)
        assert lang == "en" or said != english
        assert all(value in said for value in fields.values())
        if key == "merge.shared_identifier":
            assert "`survey:a owl:sameAs survey:b`" in said
        else:  # linked already: the way out is another identifier, and dcat:inSeries
            assert "owl:sameAs survey:" not in said and "dcat:inSeries" in said
        assert translate(english, lang) == said  # the English report read back in each language


def _survey_and_series(root: Path) -> tuple[Path, Path]:
    """The bundled survey, and a series under another IRI giving its identifier, owl:sameAs
    linking the two (written as a block of its own before the series' statements)."""
    first, second = _records(root, link=f"<{OTHER}> {SAME_AS} <{IPS}> .\n")
    text = second.read_text(encoding="utf-8")
    assert f"<{OTHER}> a mm:Survey," in text
    second.write_text(text.replace(f"<{OTHER}> a mm:Survey,", f"<{OTHER}> a mm:SurveySeries,"), encoding="utf-8")
    return first, second


def test_merge_refuses_a_survey_and_a_series_linked_by_same_as_giving_one_identifier(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A survey and a series are never folded (merging/aliases.py): both would be published
    under one identifier (the second under a hashed file name). The refusal says so, with
    the line of each dct:identifier (the series' in its second block), and does not suggest
    the owl:sameAs the records already have."""
    first, second = _survey_and_series(tmp_path)
    out = tmp_path / "catalogue.trig"
    code, stdout, err = run(capsys, "merge", str(first), f"{second}=un-desa-pd", str(AGENCIES), "-o", str(out))
    assert code == 1, err
    assert not out.exists() and not stdout
    first_at = f"{first}:{_line(first, 'dct:identifier', 'survey:gb-ips a')}"
    second_at = f"{second}:{_line(second, 'dct:identifier', f'<{OTHER}> a mm:SurveySeries')}"
    assert f"shared identifier: <{OTHER}> ({second_at}) and survey:gb-ips ({first_at}) both give " \
           "dct:identifier 'gb-ips'; owl:sameAs links them, but one is a survey (mm:Survey) and the other " \
           "a series (mm:SurveySeries)" in err
    assert "link a round to its series with dcat:inSeries rather than owl:sameAs" in err
    assert "likely duplicate:" not in err and "add `" not in err  # linked already: no hint to link them
    assert "0 likely duplicates" in err


def test_validate_and_publish_refuse_a_survey_and_a_series_giving_one_identifier(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _survey_and_series(tmp_path / "in")
    code, out, _ = run(capsys, "validate", "--no-cache", "--format", "json", str(first), str(second), str(AGENCIES))
    assert code == 1
    said = {record["source"]: [f["message"] for f in record["findings"] if f["component"] == "duplicate_identifier"]
            for record in json.loads(out)["records"]}
    assert said[str(first)] == [f"identifier 'gb-ips' is also given by {OTHER} in {second}; owl:sameAs links the "
                                "two, but one is a survey and the other a series, which stay two: identifiers must "
                                "be unique in the catalogue (give the series an identifier of its own, and link a "
                                "round to its series with dcat:inSeries rather than owl:sameAs)"]
    assert said[str(second)] and f"is also given by {IPS} in {first}" in said[str(second)][0]

    site = tmp_path / "site"
    code, out, err = run(capsys, "publish", "-q", "--no-cache", "-o", str(site), str(first), str(second),
                         str(AGENCIES))
    assert code == 1 and not site.exists()  # before: both published, the series as surveys/s-<hash>.*
    assert "one is a survey and the other a series" in out + err


def test_publish_refuses_at_the_merge_when_the_link_was_in_a_record_left_out(tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The owl:sameAs that made them one survey is in a record --skip-invalid leaves out: validate
    saw the link, the merge does not, and refuses; the previous site stays."""
    first, second = _records(tmp_path / "in")
    link = tmp_path / "in" / "link.ttl"
    link.write_text(f"<{OTHER}> {SAME_AS} <{IPS}> .\n<https://example.org/empty> a <{MM.Survey}> .\n", encoding="utf-8")
    site = tmp_path / "site"
    inputs = [str(first), f"{second}=un-desa-pd", str(link), str(AGENCIES)]
    code, out, err = run(capsys, "publish", "-q", "--no-cache", "--skip-invalid", "-o", str(site), *inputs)
    assert code == 1 and not site.exists()
    assert f"shared identifier: <{OTHER}> ({second}:" in err
    assert f"Nothing published: surveys share an identifier (above); {site}/ is unchanged." in err

    link.write_text(f"<{OTHER}> {SAME_AS} <{IPS}> .\n", encoding="utf-8")  # the link alone conforms: one survey
    code, out, err = run(capsys, "publish", "-q", "--no-cache", "-o", str(site), *inputs)
    assert code == 0, out + err
    assert "Published 1 survey " in out and "same survey: survey:gb-ips is published as" in err
