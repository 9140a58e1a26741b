"""A user's mistake gets one clear line and a documented exit code, never a traceback."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from paths import REPO

from migrmeta.cli import main
from migrmeta.io.files import write_atomically

ROOT = REPO


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.out + captured.err


def test_unwritable_output_is_one_line_not_a_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "deeper"
    (tmp_path / "no-such-folder").write_text("a file, not a folder", encoding="utf-8")
    code, output = run(capsys, "validate", "--no-cache", "-o", str(target), str(ROOT / "records" / "gb-ips.ttl"))
    assert code == 1
    assert str(target) in output and "Traceback" not in output


def test_countries_build_never_replaces_the_list_with_nothing(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    target = tmp_path / "countries.ttl"
    target.write_text("# the previous list\n", encoding="utf-8")
    not_the_table = tmp_path / "other.xml"
    not_the_table.write_text("<catalogue/>", encoding="utf-8")
    code, output = run(capsys, "countries", "build", str(not_the_table), "-o", str(target), "--force")
    assert code == 3 and "no current country" in output
    broken = tmp_path / "broken.xml"
    broken.write_text("<a", encoding="utf-8")
    code, output = run(capsys, "countries", "build", str(broken), "-o", str(target), "--force")
    assert code == 3 and f"{broken}:1:3: XML syntax error" in output  # the file, line and column
    assert target.read_text(encoding="utf-8") == "# the previous list\n"


def test_catalogue_iri_must_be_absolute(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, output = run(capsys, "publish", "-o", str(tmp_path / "site"), "--catalog-iri", "not an iri",
                       str(ROOT / "records"))
    assert code == 2 and "--catalog-iri" in output
    assert not (tmp_path / "site").exists()


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / "out.ttl", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.ttl").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]  # no temporary file left


@pytest.mark.parametrize("exporter", ["ddi", "schemaorg"])
def test_exporting_a_file_without_surveys_says_so(capsys: pytest.CaptureFixture[str], exporter: str) -> None:
    code, output = run(capsys, "export", exporter, str(ROOT / "records" / "agencies.ttl"))
    assert code == 3 and "holds no survey to export" in output


def test_hints_of_unreadable_records_name_the_flag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A hint that names an option says it as the command line does (`--input-format`), in
    every report format; from Python, as the argument (`input_format=`)."""
    import migrmeta

    record = tmp_path / "survey.txt"
    record.write_bytes((ROOT / "records" / "mafe.ttl").read_bytes())
    for fmt in ("text", "json", "junit"):
        code, output = run(capsys, "validate", "--no-cache", "--format", fmt, str(record))
        assert code == 3 and "`migrmeta validate --input-format FORMAT` reads" in output and "{--" not in output, fmt
    finding = migrmeta.validate([record], cache=False).findings[0]
    assert finding.text().endswith("(only validate(..., input_format=) reads a file under any name)")


@pytest.mark.parametrize("command", [("merge", "{record}", "-o", "{out}"), ("diff", "{mafe}", "{record}"),
                                     ("export", "ddi", "{record}"), ("report", "inventory", "{record}"),
                                     ("report", "quality", "--no-cache", "{record}")])
def test_a_command_without_input_format_does_not_offer_it(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          command: tuple[str, ...]) -> None:
    """Only validate reads a file under any name: the others' hint says so, instead of offering
    an option they do not have (`report` said it as the Python argument, `input_format=`)."""
    record = tmp_path / "survey.txt"
    record.write_bytes((ROOT / "records" / "mafe.ttl").read_bytes())
    values = {"{out}": str(tmp_path / "m.trig"), "{mafe}": str(ROOT / "records" / "mafe.ttl"), "{record}": str(record)}
    code, output = run(capsys, *(values.get(a, a) for a in command))
    assert code == 3, output
    assert "hint: name the file .ttl, .jsonld, .nt, .nq, .trig or .rdf (only `migrmeta validate " \
           "--input-format FORMAT` reads a file under any name)" in output
    assert "or give --input-format" not in output and "input_format=" not in output


def test_template_refuses_a_survey_or_catalogue_that_is_not_there(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`--example-survey nope` used to show ph-sof-2019 silently, and `--catalogue /missing`
    to behave as an empty catalogue: both are usage errors naming what is there; the default
    records/ may be absent (outside a checkout)."""
    code, output = run(capsys, "template", "--example-survey", "nope", "-o", str(tmp_path / "a.xlsx"))
    assert code == 2 and "describes no survey 'nope'" in output and "ph-sof-2019" in output
    code, output = run(capsys, "template", "--catalogue", str(tmp_path / "missing"), "-o", str(tmp_path / "b.xlsx"))
    assert code == 2 and "no such folder" in output
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "b.xlsx").exists()
    monkeypatch.chdir(tmp_path)  # no records/ here: the default catalogue is simply empty
    code, output = run(capsys, "template", "-o", "c.xlsx")
    assert code == 0 and (tmp_path / "c.xlsx").is_file()


def test_countries_build_refuses_an_entity_rather_than_dropping_it(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path) -> None:
    """`countries build` reads the table through the one safe XML parser: `&s;` in a label is
    refused with the file and line, as in DDI and DCAT files, not dropped from the name."""
    table = tmp_path / "table.rdf"
    table.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY s "x"> ]>\n'
                     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                     'xmlns:skos="http://www.w3.org/2004/02/skos/core#"><skos:Concept '
                     'rdf:about="http://publications.europa.eu/resource/authority/country/FRA">'
                     '<skos:prefLabel xml:lang="en">Fr&s;</skos:prefLabel></skos:Concept></rdf:RDF>\n',
                     encoding="utf-8")
    code, output = run(capsys, "countries", "build", str(table), "-o", str(tmp_path / "countries.ttl"))
    assert code == 3 and f"{table}:2: entity declaration 's' is refused" in output
    assert not (tmp_path / "countries.ttl").exists()
