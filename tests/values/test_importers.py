"""Every importer reads a value the same way: one message for a bad date, one literal for a good one.

The real commands run end to end (`migrmeta import form | sheet | ddi | dcat`), each with a
start date written the way its format writes it; `query --param country=` and `import form`
take the same country names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from paths import RECORDS
from rdflib import Graph, Literal

from migrmeta import namespaces as ns
from migrmeta.cli import main
from migrmeta.formats.forms import form as forms
from migrmeta.formats.forms import sheet as sheets
from migrmeta.formats.forms.answers import Vocabulary
from migrmeta.load.files import read_input
from migrmeta.load.reference import Reference
from migrmeta.values.dates import parse_date
from migrmeta.values.errors import BadValue

BAD = ["2019-02-30", "2024-13", "31/12/2019"]
GOOD = ["2019", "2019-10", "2019-10-01"]
CATALOGUE = ["--catalogue", str(RECORDS)]

Run = Callable[[list[str]], tuple[int, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """The real entry point (with its mapping of errors to exit codes); exit code and output."""
    def invoke(args: list[str]) -> tuple[int, str]:
        with pytest.raises(SystemExit) as exited:
            main(args)
        out, err = capsys.readouterr()
        return int(exited.value.code or 0), out + err
    return invoke


@pytest.fixture(scope="module")
def survey(reference: Reference) -> dict[str, object]:
    """A complete survey as a form entry (records/eg-hims-2013.ttl under a new id)."""
    entry = forms.graph_to_form(read_input(str(RECORDS / "eg-hims-2013.ttl")).graph, Vocabulary(reference))
    entry = {**entry, "id": "dates-test"}
    entry.pop("identifier", None)
    return entry


def _start(path: Path) -> Literal | None:
    graph = Graph().parse(path, format="turtle")
    period = graph.value(ns.SURVEY["dates-test"], ns.DCT.temporal)
    value = graph.value(period, ns.DCAT.startDate) if period is not None else None
    return value if isinstance(value, Literal) else None


# --- one importer each: write the input, run the command, return (output, start date) -----------


def _form(tmp: Path, run: Run, survey: dict[str, object], date: str) -> tuple[str, Literal | None]:
    path, out = tmp / "survey.yaml", tmp / "survey.ttl"
    path.write_text(yaml.safe_dump({**survey, "time_frame": {"start": date}}, allow_unicode=True), encoding="utf-8")
    _, said = run(["import", "form", str(path), "-o", str(out), *CATALOGUE])
    return said, _start(out) if out.exists() else None


def _sheet(tmp: Path, run: Run, survey: dict[str, object], date: str, reference: Reference
           ) -> tuple[str, Literal | None]:
    cols = sheets.columns(reference)
    row = sheets.entry_to_row({**survey, "time_frame": {"start": date}}, cols)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([c.header for c in cols])
    writer.writerow(row)
    path, out = tmp / "surveys.csv", tmp / "records"
    path.write_text(text.getvalue(), encoding="utf-8")
    _, said = run(["import", "sheet", str(path), "-o", str(out), *CATALOGUE])
    written = out / "dates-test.ttl"
    return said, _start(written) if written.exists() else None


DDI = """<?xml version="1.0" encoding="UTF-8"?>
<codeBook xmlns="ddi:codebook:2_5" version="2.5">
  <stdyDscr><citation><titlStmt><titl>Dates test</titl><IDNo>dates-test</IDNo></titlStmt></citation>
    <stdyInfo><sumDscr><collDate date="{date}" event="single"/></sumDscr></stdyInfo></stdyDscr>
</codeBook>
"""


def _ddi(tmp: Path, run: Run, date: str) -> tuple[str, Literal | None]:
    path, out = tmp / "study.xml", tmp / "drafts"
    path.write_text(DDI.format(date=date), encoding="utf-8")
    _, said = run(["import", "ddi", str(path), "-o", str(out)])
    return said, _start(out / "dates-test.ttl")


DCAT = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/dataset/dates-test> a dcat:Dataset ;
    dct:identifier "dates-test" ; dct:title "Dates test"@en ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "{date}" ] .
"""


def _dcat(tmp: Path, run: Run, date: str) -> tuple[str, Literal | None]:
    path, out = tmp / "catalog.ttl", tmp / "drafts"
    path.write_text(DCAT.format(date=date), encoding="utf-8")
    _, said = run(["import", "dcat", str(path), "-o", str(out)])
    return said, _start(out / "dates-test.ttl")


IMPORTERS = ["form", "sheet", "ddi", "dcat"]


def _import(importer: str, tmp: Path, run: Run, survey: dict[str, object], date: str,
            reference: Reference) -> tuple[str, Literal | None]:
    if importer == "form":
        return _form(tmp, run, survey, date)
    if importer == "sheet":
        return _sheet(tmp, run, survey, date, reference)
    return _ddi(tmp, run, date) if importer == "ddi" else _dcat(tmp, run, date)


@pytest.mark.parametrize("importer", IMPORTERS)
@pytest.mark.parametrize("date", BAD)
def test_a_bad_date_gets_the_same_message_from_every_importer(
        importer: str, date: str, tmp_path: Path, run: Run, survey: dict[str, object], reference: Reference) -> None:
    with pytest.raises(BadValue) as refused:
        parse_date(date)
    message = str(refused.value)  # e.g. "2019-02-30" is not a date: February 2019 has 28 days
    said, start = _import(importer, tmp_path, run, survey, date, reference)
    assert message in said, said
    assert start is None  # never an ill-typed xsd:date in a record or draft
    assert "Traceback" not in said


@pytest.mark.parametrize("importer", IMPORTERS)
@pytest.mark.parametrize("date", GOOD)
def test_a_good_date_gets_the_same_typed_literal_from_every_importer(
        importer: str, date: str, tmp_path: Path, run: Run, survey: dict[str, object], reference: Reference) -> None:
    said, start = _import(importer, tmp_path, run, survey, date, reference)
    assert start == parse_date(date), said  # xsd:gYear / gYearMonth / date, the same everywhere
    assert start is not None and start.datatype == {4: ns.XSD.gYear, 7: ns.XSD.gYearMonth}.get(len(date), ns.XSD.date)


# --- countries -------------------------------------------------------------------------------------

COUNTRY_NAMES = {
    "UK": "GBR", "Great Britain": "GBR", "England": "GBR", "Czech Republic": "CZE", "Turkey": "TUR",
    "Türkiye": "TUR", "United States of America": "USA", "USA": "USA", "Côte d'Ivoire": "CIV",
    "Côte d’Ivoire": "CIV", "Korea, Rep.": "KOR", "South Korea": "KOR", "Mexique": "MEX", "SN": "SEN",
}


def test_country_names_through_import_form_and_query(tmp_path: Path, run: Run, survey: dict[str, object]) -> None:
    path, out = tmp_path / "survey.yaml", tmp_path / "dates-test.ttl"
    form = {**survey, "countries": sorted(COUNTRY_NAMES)}
    path.write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    code, said = run(["import", "form", str(path), "-o", str(out), *CATALOGUE])
    assert code == 0, said
    spatial = set(Graph().parse(out, format="turtle").objects(ns.SURVEY["dates-test"], ns.DCT.spatial))
    assert spatial == {ns.COUNTRY[code] for code in COUNTRY_NAMES.values()}
    for name, iso in COUNTRY_NAMES.items():  # the saved question finds the survey by the same names
        code, said = run(["query", "surveys-by-country", "-p", f"country={name}", "--data", str(out),
                          "--data", str(RECORDS / "agencies.ttl"), "--format", "csv"])
        assert code == 0 and str(ns.SURVEY["dates-test"]) in said, (name, iso, said)


@pytest.mark.parametrize(("name", "message"), [
    ("Atlantis", '"Atlantis" is not a country code or name'),
    ("Filipines", '"Filipines" is not a country code or name; did you mean "Philippines"?'),
])
def test_an_unknown_country_reads_the_same_in_a_form_and_in_query(name: str, message: str, tmp_path: Path,
                                                                    run: Run, survey: dict[str, object]) -> None:
    path = tmp_path / "survey.yaml"
    path.write_text(yaml.safe_dump({**survey, "countries": [name]}, allow_unicode=True), encoding="utf-8")
    code, said = run(["import", "form", str(path), "-o", str(tmp_path / "x.ttl"), *CATALOGUE])
    assert code == 1 and message in said, said
    code, said = run(["query", "surveys-by-country", "-p", f"country={name}"])
    assert code == 2 and message in said, said
