"""Spreadsheets: templates with drop-down lists, one record per row, problems by row and column."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from paths import REPO
from rdflib import Literal

from migrmeta import namespaces as ns
from migrmeta.cli import cli, main
from migrmeta.formats.forms import sheet as sheets
from migrmeta.formats.forms import template as templates
from migrmeta.formats.forms.answers import Vocabulary, load_catalogue
from migrmeta.formats.forms.form import graph_to_form
from migrmeta.load import read_input
from migrmeta.load.reference import Reference
from migrmeta.validation.runner import validate

ROOT = REPO
RECORDS = ROOT / "records"
CATALOGUE = ["--catalogue", str(RECORDS)]

# Two surveys as a statistician types them: labels, names, "yes", several values with ";".
# Facts from records/eg-hims-2013.ttl and records/tn-hims-2020.ttl (ids changed: new rows).
EGYPT = {
    "Survey id": "eg-hims-2013-sheet",
    "1. Title": "Egypt Household International Migration Survey 2013",
    "1. Acronym or other title": "Egypt-HIMS",
    "2. Description": "Nationally representative household survey of CAPMAS, part of the MED-HIMS "
                      "programme.",
    "2. Purpose": "Determinants and consequences of international migration, and the links between "
                  "migration and development.",
    "3. Countries": "Egypt",
    "4. Time frame: start": 2013,
    "4. Time frame: end": 2013,
    "4. Status": "Completed",
    "5. Conducting organisation": "CAPMAS",
    "5. Collaborating agencies": "IOM",
    "6. Type of sample": "Probability sample",
    "7. Sampling unit": "Household",
    "8. Dedicated survey or module": "Dedicated (specialised) migration survey",
    "9. Populations covered": "Proxy respondents for migrants abroad; Return migrants at origin",
    "11. Identification of migrants: identification criterion": "Absent (former) household members abroad",
    "11. Identification of migrants: definition": "Former members of the household, aged 15 and over, "
                                                  "who now live abroad.",
    "11. Identification of migrants: minimum age": 15,
    "12. Remittance data": "yes",
    "12. Use of remittances": "yes",
    "13. Dissemination": "Reports",
    "Citations": "Farid, S. and El-Batrawy, R. (eds.) (2015). Egypt-HIMS: Main Findings and Key "
                 "Indicators. CAPMAS.",
    "Sources": "https://ec.europa.eu/eurostat/web/european-neighbourhood-policy/enp-south/med-hims",
}
TUNISIA = {
    "Survey id": "tn-hims-2020-sheet",
    "1. Title": "National Survey on International Migration (Tunisia-HIMS); "
                "[fr] Enquête nationale sur la migration internationale (Tunisia-HIMS)",
    "2. Description": "First national survey on international migration in Tunisia, within the "
                      "MED-HIMS programme.",
    "2. Purpose": "Contribute to a migration information system for Tunisia.",
    "3. Countries": "TN",
    "4. Time frame: start": "2020-07",
    "4. Time frame: end": "2021-03",
    "4. Status": "completed",
    "5. Conducting organisation": "ins-tunisia",
    "6. Type of sample": "snowbal sampling",  # the mistake
    "7. Sampling unit": "ménage",
    "8. Dedicated survey or module": "dedicated",
    "9. Populations covered": "proxy-for-migrants-abroad; return-migrants-at-origin",
    "11. Identification of migrants: identification criterion": "absent-household-members",
    "12. Remittance data": "oui",
    "13. Dissemination": "reports",
    "13. Publications": "https://ins.tn/publication/rapport-de-lenquete-nationale-sur-la-migration-"
                        "internationale-tunisia-hims",
    "Sources": "https://ins.tn/publication/rapport-de-lenquete-nationale-sur-la-migration-"
               "internationale-tunisia-hims",
}


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out + err


def test_headers_carry_item_number_and_name(reference: Reference) -> None:
    headers = [c.header for c in sheets.columns(reference)]
    assert headers[0] == sheets.ID_HEADER
    assert "6. Type of sample" in headers and "4. Time frame: start" in headers
    assert len(headers) == len(set(headers))
    for header in headers[1:]:
        assert re.match(r"^(\d{1,2}\. \S|[A-Z])", header), header
    french = [c.header for c in sheets.columns(reference, "fr")]
    assert "6. Type d'échantillon" in french


def test_xlsx_template_has_example_and_drop_down_lists(reference: Reference, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    done = CliRunner().invoke(cli, ["template", "--format", "xlsx", "-o", str(out), *CATALOGUE,
                                    "--example", str(RECORDS / "ph-sof.ttl")])
    assert done.exit_code == 0, done.output
    book = load_workbook(out)
    sheet, lists = book["Surveys"], book["Lists"]
    assert lists.sheet_state == "hidden"
    headers = [c.value for c in sheet[1]]
    example = dict(zip(headers, [c.value for c in sheet[2]], strict=True))
    record = read_input(str(RECORDS / "ph-sof.ttl")).graph
    survey = ns.SURVEY["ph-sof-2019"]
    assert example[sheets.ID_HEADER].startswith("#")  # skipped on import
    assert Literal(example["1. Title"], lang="en") in set(record.objects(survey, ns.DCT.title))
    codes = {c.strip() for c in example["6. Type of sample"].split(";")}
    assert {str(v).rsplit("/", 1)[-1] for v in record.objects(survey, ns.MM.sampleType)} == codes
    checks = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    letter = sheet.cell(row=1, column=headers.index("6. Type of sample") + 1).column_letter
    sample = checks[f"{letter}2:{letter}500"]
    assert sample.type == "list" and sample.formula1.startswith("Lists!$")
    assert not sample.showErrorMessage  # several values allowed: "a; b"
    allowed = [row[0].value for row in lists[sample.formula1.split("!")[1].replace("$", "")]]
    vocab = Vocabulary(reference)
    assert {str(vocab.concept("sample-type", a)) for a in allowed} == \
        {c.iri for c in reference.scheme_concepts(ns.scheme_iri("sample-type"))}
    letter = sheet.cell(row=1, column=headers.index("4. Status") + 1).column_letter
    assert checks[f"{letter}2:{letter}500"].showErrorMessage  # one value: warn when not listed


def test_templates_are_byte_identical(reference: Reference) -> None:
    example = templates.example_entry(reference, RECORDS / "ph-sof.ttl")
    assert templates.template_xlsx(reference, example) == templates.template_xlsx(reference, example)
    assert templates.template_csv(reference, example) == templates.template_csv(reference, example)


def test_yaml_template_is_an_empty_form_with_the_questions(reference: Reference) -> None:
    example = templates.example_entry(reference, RECORDS / "ph-sof.ttl")
    text = templates.template_yaml(reference, example)
    for number, names in reference.item_names().items():
        assert f"# {number}. {names['en']}\n" in text
    assert "#     probability.simple-random  (Simple random)" in text
    from migrmeta.formats.forms.form import form_to_graph, read_form
    built = form_to_graph(read_form(text.encode(), "t.yaml"), Vocabulary(reference))
    assert [p.key for p in built.problems] == ["id"]  # empty: only the id is missing


def _fill(path: Path, rows: list[dict[str, object]], first: int = 3) -> None:
    book = load_workbook(path)
    sheet = book["Surveys"]
    headers = [c.value for c in sheet[1]]
    for n, row in enumerate(rows, first):
        for header, value in row.items():
            sheet.cell(row=n, column=headers.index(header) + 1, value=value)
    book.save(path)


def test_a_new_user_fills_the_template_fixes_the_cell_and_imports(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    workbook, out = tmp_path / "surveys.xlsx", tmp_path / "records"
    assert run_main(capsys, "template", "--format", "xlsx", "-o", str(workbook), *CATALOGUE)[0] == 0
    _fill(workbook, [EGYPT, TUNISIA])

    code, said = run_main(capsys, "import", "sheet", str(workbook), "-o", str(out), *CATALOGUE)
    assert code == 1
    found = re.search(r'row (\d+), column "([^"]+)": "snowbal sampling" is not in the list "Sample type"; '
                      r'did you mean "([^"]+)"\?', said)
    assert found, said
    row, column, suggestion = int(found.group(1)), found.group(2), found.group(3)
    assert (row, column) == (4, "6. Type of sample")
    assert (out / "eg-hims-2013-sheet.ttl").is_file()  # the good row is written anyway
    assert not (out / "tn-hims-2020-sheet.ttl").exists()

    _fill(workbook, [{column: suggestion}], first=row)  # the fix, from the message alone
    code, said = run_main(capsys, "import", "sheet", str(workbook), "-o", str(out), *CATALOGUE)
    assert code == 1 and "eg-hims-2013-sheet.ttl exists already and was not replaced" in said  # never silently
    code, said = run_main(capsys, "import", "sheet", str(workbook), "-o", str(out), "--lang", "fr", *CATALOGUE)
    assert code == 1 and "eg-hims-2013-sheet.ttl existe déjà et n’a pas été remplacé (ligne 3)" in said, said
    code, said = run_main(capsys, "import", "sheet", str(workbook), "-o", str(out), "--force", *CATALOGUE)
    assert code == 0, said
    (out / "agencies.ttl").write_bytes((RECORDS / "agencies.ttl").read_bytes())
    report = validate([out], cache=False)
    assert report.conforms, [f.message for f in report.findings]
    tunisia = read_input(str(out / "tn-hims-2020-sheet.ttl")).graph
    survey = ns.SURVEY["tn-hims-2020-sheet"]
    assert tunisia.value(survey, ns.MM.sampleType) == ns.scheme("sample-type")["nonprobability.snowball"]
    assert Literal("Enquête nationale sur la migration internationale (Tunisia-HIMS)", lang="fr") in \
        set(tunisia.objects(survey, ns.DCT.title))
    assert tunisia.value(survey, ns.MM.samplingUnit) == ns.scheme("sampling-unit").household


def test_csv_rows_fail_alone_and_report_row_and_column(reference: Reference, tmp_path: Path) -> None:
    cols = sheets.columns(reference)
    headers = [c.header for c in cols]
    good = {**EGYPT, "11. Identification of migrants: identification criterion":
            "absent-household-members; citizenship",
            "11. Identification of migrants: definition": "Former household members abroad; Foreign citizens",
            "11. Identification of migrants: duration threshold (months)": "; 12",
            "11. Identification of migrants: minimum age": "15;"}  # the first criterion's, in its place
    bad = {**TUNISIA, "6. Type of sample": "snowball", "3. Countries": "Tunisie; Atlantis",
           "4. Time frame: start": "July 2020", "Survey id": "Tunisia HIMS"}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # as a French-locale spreadsheet saves it
    writer.writerow(headers)
    for row in (good, bad):
        writer.writerow([row.get(h, "") for h in headers])
    path = tmp_path / "surveys.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    first, second = result.rows
    assert first.ok and not second.ok and result.exit_code() == 1
    texts = [str(p) for p in second.problems]
    assert any(t.startswith('row 3, column "3. Countries": "Atlantis" is not a country code or name')
               for t in texts)
    assert any(t.startswith('row 3, column "4. Time frame: start": "July 2020" is not a date') for t in texts)
    assert any(t.startswith('row 3, column "Survey id": "Tunisia HIMS" is not an id') and
               'did you mean "tunisia-hims"' in t for t in texts)
    graph = first.imported.graph if first.imported else None
    assert graph is not None
    methods = {graph.value(m, ns.MM.criterion).rsplit("/", 1)[-1]: m
               for m in graph.objects(ns.SURVEY["eg-hims-2013-sheet"], ns.MM.identification)}
    assert set(methods) == {"absent-household-members", "citizenship"}
    assert graph.value(methods["citizenship"], ns.MM.thresholdMonths) == Literal(12)
    assert graph.value(methods["absent-household-members"], ns.MM.thresholdMonths) is None


def test_two_rows_with_one_id_are_caught(reference: Reference, tmp_path: Path) -> None:
    headers = [c.header for c in sheets.columns(reference)]
    path = tmp_path / "twice.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for title in ("One title", "Another title"):
            writer.writerow([{**EGYPT, "1. Title": title}.get(h, "") for h in headers])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert not result.ok
    assert any("row 2" in p.message or "row 3" in p.message for r in result.rows for p in r.problems)


def test_a_title_marked_with_no_language_refuses_the_row(reference: Reference, tmp_path: Path) -> None:
    """`T F; [fr] Enquête F; [xx] bad` was written as "bad"@xx, unsaid."""
    row = {**EGYPT, "1. Title": "T F; [fr] Enquête F; [xx] bad"}
    path = _write_csv(tmp_path / "xx.csv", [c.header for c in sheets.columns(reference)], [row])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    [row] = result.rows
    assert not result.ok and any('"[xx]" is not a language code' in p.message for p in row.problems)


def test_unknown_columns_are_reported_and_french_headers_accepted(reference: Reference,
                                                                  tmp_path: Path) -> None:
    french = sheets.columns(reference, "fr")
    row = graph_to_form(read_input(str(RECORDS / "mmp.ttl")).graph, Vocabulary(reference))
    cells = sheets.entry_to_row(row, french)
    path = tmp_path / "fr.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in french] + ["Remarques"])
        writer.writerow([*cells, "à revoir"])
    result = sheets.import_sheet(path, reference, lang="fr", catalogue=load_catalogue(RECORDS))
    assert [str(p) for p in result.problems] == [
        'row 1, column "Remarques": not a column of the template; its cells are not imported']
    assert result.rows[0].ok, [str(p) for p in result.rows[0].problems]


def test_not_a_spreadsheet(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "surveys.xlsx"
    fake.write_text("not a workbook")
    code, said = run_main(capsys, "import", "sheet", str(fake))
    assert code == 3 and str(fake) in said and "Traceback" not in said


def test_guide_csv_example_imports(reference: Reference, tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "contributing-a-survey.md").read_text(encoding="utf-8")
    example = re.search(r"```csv\n(.*?)```", guide, re.S)
    assert example
    path = tmp_path / "guide.csv"
    path.write_text(example.group(1), encoding="utf-8")
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert [r.id for r in result.rows] == ["eg-hims-2013", "tn-hims-2020"]
    assert result.ok, [str(p) for r in result.rows for p in r.problems]


def test_misaligned_definitions_are_reported(reference: Reference, tmp_path: Path) -> None:
    headers = [c.header for c in sheets.columns(reference)]
    row = {**EGYPT, "11. Identification of migrants: identification criterion": "citizenship; country of birth",
           "11. Identification of migrants: definition": "Foreign citizens; born abroad; or both",
           "11. Identification of migrants: minimum age": "15; 15"}
    path = tmp_path / "m.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerow([row.get(h, "") for h in headers])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert [str(p) for p in result.rows[0].problems if p.severity == "violation"] == [
        'row 2, column "11. Identification of migrants: definition": this column gives 3 against 2 in the first '
        "column of this question: give one per answer, separated by ';' (and no ';' inside one)"]


@pytest.mark.parametrize("command", [["template"], ["new"], ["import", "form"], ["import", "sheet"],
                                     ["export", "form"]])
def test_commands_have_help(command: list[str]) -> None:
    done = CliRunner().invoke(cli, [*command, "--help"])
    assert done.exit_code == 0, done.output
    assert "Examples:" in done.output


# --- issue 14: agencies in the sheet (item 3), the language of what people type (item 5), names (4)


def _violations(row: dict[str, object], path: Path, reference: Reference) -> list[str]:
    """The violations of a one-row sheet written to `path`, as the importer says them."""
    result = sheets.import_sheet(_write_csv(path, list(row), [row]), reference, catalogue=load_catalogue(RECORDS))
    return [str(p) for r in result.rows for p in r.problems if p.severity == "violation"]


def _write_csv(path: Path, headers: list[str], rows: list[dict[str, object]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


SENEGAL = {**EGYPT, "Survey id": "sn-survey-sheet", "1. Title": "Enquête sur la migration au Sénégal",
           "1. Acronym or other title": "EMS", "2. Description": "Enquête nationale auprès des ménages.",
           "2. Purpose": "Mesurer l'émigration et les transferts.", "3. Countries": "Senegal",
           "5. Conducting organisation": "ANSD", "5. Collaborating agencies": "IOM", "Citations": "",
           "Sources": "https://www.ansd.sn/"}


def test_a_sheet_describes_the_agencies_the_catalogue_does_not_know(reference: Reference, tmp_path: Path) -> None:
    headers = [c.header for c in sheets.columns(reference)]
    path = _write_csv(tmp_path / "surveys.csv", headers, [SENEGAL])
    agencies = [c.header for c in sheets.agency_columns(reference)]
    assert agencies[0] == "Agency id" and "Kind of agency" in agencies
    ansd = {"Agency id": "ansd", agencies[1]: "National Agency of Statistics and Demography; "
            "[fr] Agence nationale de la statistique et de la démographie", agencies[2]: "ANSD",
            "Kind of agency": "national-statistical-office", agencies[4]: "SEN"}
    without = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert any('"ANSD" is not a known agency' in str(p) for p in without.rows[0].problems)
    _write_csv(tmp_path / "surveys-agencies.csv", agencies, [ansd])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    (row,) = result.rows
    assert row.ok, [str(p) for p in row.problems]
    graph = row.imported.graph if row.imported else None
    assert graph is not None
    assert graph.value(ns.SURVEY["sn-survey-sheet"], ns.DCT.creator) == ns.AGENCY.ansd
    assert graph.value(ns.AGENCY.ansd, ns.MM.basedIn) == ns.COUNTRY.SEN
    assert Literal("Agence nationale de la statistique et de la démographie", lang="fr") in \
        set(graph.objects(ns.AGENCY.ansd, ns.FOAF.name))
    # a problem of the agency is said at its own row
    _write_csv(tmp_path / "surveys-agencies.csv", agencies, [{**ansd, "Kind of agency": ""}])
    lacking = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert any('surveys-agencies.csv, row 2 (agency "ansd")' in str(p) for p in lacking.rows[0].problems)


def test_an_agencys_warning_is_said_once_and_its_error_on_every_row_it_refuses(reference: Reference,
                                                                              tmp_path: Path) -> None:
    """Two survey rows name one agency of the agencies file that looks like a known one: the
    warning is about the agency's row, said at the first survey row only; an error of that
    agency refuses both rows, so each says why."""
    headers = [c.header for c in sheets.columns(reference)]
    rows = [{**SENEGAL, "5. Conducting organisation": "psa2"},
            {**SENEGAL, "Survey id": "sn-other", "1. Title": "Another survey", "5. Conducting organisation": "psa2"}]
    path = _write_csv(tmp_path / "surveys.csv", headers, rows)
    columns = [c.header for c in sheets.agency_columns(reference)]
    psa2 = {"Agency id": "psa2", "Agency name": "Philippine Statistics Authority", "Acronym": "PSA2",
            "Kind of agency": "national-statistical-office", "Country based in": "PHL", "Home page": "https://psa.gov.ph/"}
    assert set(psa2) <= set(columns)
    _write_csv(tmp_path / "surveys-agencies.csv", columns, [psa2])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    alike = [[str(p) for p in row.problems if "may be the catalogue's psa" in p.message] for row in result.rows]
    assert [len(found) for found in alike] == [1, 0], alike
    assert alike[0][0].startswith('row 2: surveys-agencies.csv, row 2 (agency "psa2")')
    _write_csv(tmp_path / "surveys-agencies.csv", columns, [{**psa2, "Kind of agency": ""}])
    lacking = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    errors = [[p for p in row.problems if p.severity == "violation" and '(agency "psa2")' in p.message]
              for row in lacking.rows]
    assert all(len(found) == 1 for found in errors) and not any(row.ok for row in lacking.rows), errors


def test_xlsx_template_has_an_agencies_sheet(reference: Reference, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(templates.template_xlsx(reference, None, "fr"))
    book = load_workbook(path)
    assert sheets.AGENCY_SHEET in load_workbook(io.BytesIO(templates.template_xlsx(reference, None))).sheetnames
    assert book.sheetnames == ["Enquêtes", "Organismes", "Listes"]  # named in the template's language
    assert [c.value for c in book["Organismes"][1]][:2] == ["Identifiant de l'organisme", "Nom de l'organisme"]


def test_a_french_workbook_filled_in_french_is_read(reference: Reference, tmp_path: Path) -> None:
    """Its sheets (Enquêtes, Organismes) are found, the French labels of its drop-downs are read."""
    path = tmp_path / "enquetes.xlsx"
    path.write_bytes(templates.template_xlsx(reference, None, "fr"))
    book = load_workbook(path)
    english = {c.key: c.header for c in sheets.columns(reference)}
    french = [c.header for c in sheets.columns(reference, "fr")]
    keys = [c.key for c in sheets.columns(reference, "fr")]
    row = {k: SENEGAL[english[k]] for k in english if english[k] in SENEGAL}
    row.update({"sample_type": "Échantillon probabiliste", "sampling_unit": "Ménage", "status": "Terminée",
                "remittances": "oui", "remittance_use": "non"})
    for n, key in enumerate(keys, 1):
        book["Enquêtes"].cell(row=2, column=n, value=row.get(key))
    agency = ["ansd", "[en] National Agency of Statistics and Demography", "ANSD", "Institut national de statistique",
              "Sénégal"]
    for n, value in enumerate(agency, 1):
        book["Organismes"].cell(row=2, column=n, value=value)
    book.save(path)
    assert french[0] == "Identifiant de l'enquête"
    (result,) = sheets.import_sheet(path, reference, lang="fr", catalogue=load_catalogue(RECORDS)).rows
    assert result.ok, [p.text("fr") for p in result.problems]
    graph = result.imported.graph if result.imported else None
    assert graph is not None
    survey = ns.SURVEY["sn-survey-sheet"]
    assert graph.value(survey, ns.DCT.creator) == ns.AGENCY.ansd
    assert graph.value(ns.AGENCY.ansd, ns.DCT.type) == ns.scheme("agency-type")["national-statistical-office"]
    assert graph.value(survey, ns.MM.status) == ns.scheme("survey-status").completed
    assert graph.value(survey, ns.MM.collectsRemittanceUse) == Literal(False)


def test_french_sheet_text_is_french_and_every_message_too(reference: Reference, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """import sheet --lang fr: French headers all through, French text stored @fr, French messages."""
    headers = [c.header for c in sheets.columns(reference, "fr")]
    assert "4. Période: début" in headers and "Identifiant de l'enquête" in headers
    assert not [h for h in headers if re.search(r": (start|end|agency|roles|definition|access url)$", h)]
    english = {c.key: c.header for c in sheets.columns(reference)}
    french = {c.key: c.header for c in sheets.columns(reference, "fr")}
    row = {french[k]: SENEGAL[english[k]] for k in english if english[k] in SENEGAL}
    row[french["conducted_by"]] = "ANSD-X"  # not known: a French message
    row[french["time_frame.start"]] = "2019-13"
    path = _write_csv(tmp_path / "enquetes.csv", headers, [row])
    code, said = run_main(capsys, "import", "sheet", str(path), "-o", str(tmp_path / "out"), "--lang", "fr",
                          *CATALOGUE)
    assert code == 1
    assert "« ANSD-X » n’est pas un organisme connu" in said
    assert "« 2019-13 » n’est pas une date" in said
    assert "ligne 2, colonne" in said and "1 lignes, 0 écrites, 1 avec des problèmes" in said
    assert " is not " not in said and "row 2" not in said
    row[french["conducted_by"]] = "CRES"  # an agency of the catalogue based in Senegal, the survey's country
    row[french["time_frame.start"]] = "2013"
    _write_csv(path, headers, [row])
    code, said = run_main(capsys, "import", "sheet", str(path), "-o", str(tmp_path / "out"), "--lang", "fr",
                          *CATALOGUE)
    assert code == 0, said
    graph = read_input(str(tmp_path / "out" / "sn-survey-sheet.ttl")).graph
    survey = ns.SURVEY["sn-survey-sheet"]
    assert set(graph.objects(survey, ns.DCT.title)) == {Literal("Enquête sur la migration au Sénégal", lang="fr")}
    assert {d.language for d in graph.objects(survey, ns.DCT.description)} == {"fr"}


def test_a_spanish_sheet_names_the_countries_of_a_refusal_in_spanish(reference: Reference, tmp_path: Path) -> None:
    """import sheet --lang es named them in English in a Spanish message."""
    headers = [c.header for c in sheets.columns(reference, "es")]
    spanish = {c.key: c.header for c in sheets.columns(reference, "es")}
    english = {c.key: c.header for c in sheets.columns(reference)}
    row = {spanish[k]: EGYPT[english[k]] for k in english if english[k] in EGYPT}
    row[spanish["countries"]] = "Congo"
    path = _write_csv(tmp_path / "encuestas.csv", headers, [row])
    (result,) = sheets.import_sheet(path, reference, lang="es", catalogue=load_catalogue(RECORDS)).rows
    texts = [p.text("es") for p in result.problems]
    assert any("«Congo» corresponde a varios países (COD (República Democrática del Congo), COG (Congo))" in t
               for t in texts), texts


def test_a_column_may_say_its_language(reference: Reference, tmp_path: Path) -> None:
    headers = [c.header for c in sheets.columns(reference)]
    headers = [f"{h} [es]" if h == "2. Purpose" else h for h in headers]
    row = {**{h: v for h, v in EGYPT.items()}, "2. Purpose [es]": "Medir la emigración."}
    path = _write_csv(tmp_path / "s.csv", headers, [row])
    (result,) = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS)).rows
    graph = result.imported.graph if result.imported else None
    assert graph is not None
    assert set(graph.objects(ns.SURVEY["eg-hims-2013-sheet"], ns.DISCO.purpose)) == {
        Literal("Medir la emigración.", lang="es")}


@pytest.mark.parametrize(("written", "code"), [
    ("UK", "GBR"), ("Czech Republic", "CZE"), ("Turkey", "TUR"), ("United States of America", "USA"),
    ("Côte d'Ivoire", "CIV"), ("Côte d’Ivoire", "CIV")])
def test_country_names_in_a_sheet(reference: Reference, tmp_path: Path, written: str, code: str) -> None:
    """issue 14, item 4, through the real importer."""
    headers = [c.header for c in sheets.columns(reference)]
    path = _write_csv(tmp_path / "s.csv", headers, [{**EGYPT, "3. Countries": written}])
    (row,) = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS)).rows
    assert row.imported is not None
    assert row.imported.graph.value(ns.SURVEY["eg-hims-2013-sheet"], ns.DCT.spatial) == ns.COUNTRY[code], \
        [str(p) for p in row.problems]


# --- a statisticians' review: ids, encodings, shifted rows, where new agencies go --------------------


def _write_xlsx(path: Path, headers: list[str], rows: list[dict[str, object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Surveys"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_empty_survey_id_is_said_at_its_cell(reference: Reference, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                suffix: str) -> None:
    """An empty "Survey id" crashed the import (KeyError: 'id', exit 1 with a traceback)."""
    headers = [c.header for c in sheets.columns(reference)]
    rows = [{**EGYPT, "Survey id": "", "1. Title": "Another survey"}, EGYPT]
    path = (_write_csv if suffix == ".csv" else _write_xlsx)(tmp_path / f"surveys{suffix}", headers, rows)
    code, said = run_main(capsys, "import", "sheet", str(path), "-o", str(tmp_path / "out"), *CATALOGUE)
    assert code == 1 and "Traceback" not in said and "KeyError" not in said
    assert "row 2, column \"Survey id\": missing: give the survey a short id" in said
    assert (tmp_path / "out" / "eg-hims-2013-sheet.ttl").is_file()  # the other row is written
    assert "2 rows, 1 written, 1 with problems" in said


def test_a_row_with_more_cells_than_the_header_is_refused_not_shifted(reference: Reference, tmp_path: Path) -> None:
    """A `;`-CSV row whose title holds a `;`: its values moved one column right, silently."""
    path = tmp_path / "s.csv"
    path.write_text("Survey id;1. Title;3. Countries;6. Sample size\n"
                    "sn-a;Survey A; with a semicolon;Senegal;12 500\n"
                    "sn-b;Survey B;Senegal;12 500\n", encoding="utf-8")
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    shifted, good = result.rows
    assert [str(p) for p in shifted.problems] == [
        "row 2: too many cells: 1 more than the columns of the first row; a cell holding the separator (; or ,) was "
        "cut in two and the cells after it moved: put that cell in quotes, or save the sheet again from your "
        "spreadsheet program"]
    assert not shifted.ok and shifted.imported is None
    assert good.imported is not None
    assert good.imported.graph.value(ns.SURVEY["sn-b"], ns.MM.sampleSize) == Literal(12500)


def test_a_windows_1252_csv_is_explained_in_the_users_language(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The message was English under --lang fr and offered an iconv command renaming the file."""
    path = tmp_path / "enquetes.csv"
    path.write_bytes("Identifiant de l'enquête;1. Titre\nsn-x;Enquête sur l'émigration\n".encode("cp1252"))
    code, said = run_main(capsys, "import", "sheet", str(path), "-o", str(tmp_path / "out"), "--lang", "fr",
                          *CATALOGUE)
    assert code == 3
    assert f"{path}:1:22: n’est pas en UTF-8 (octet 0xEA) ; il semble en Latin-1 ou Windows-1252" in said
    assert "« CSV UTF-8 (délimité par des virgules) » sous le même nom, enquetes.csv" in said
    assert "iconv" not in said and "utf8.csv" not in said and "hint:" not in said


def test_a_csv_without_its_agencies_file_gets_a_note(reference: Reference, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    headers = [c.header for c in sheets.columns(reference)]
    path = _write_csv(tmp_path / "surveys.csv", headers, [{**EGYPT, "5. Conducting organisation": "CAPMASS"}])
    code, said = run_main(capsys, "import", "sheet", str(path), "-o", str(tmp_path / "out"), *CATALOGUE)
    assert code == 1
    assert f"{path}: no surveys-agencies.csv beside this file: agencies the catalogue does not know can be " \
           "described there" in said
    assert '"CAPMASS" is not a known agency (describe it in surveys-agencies.csv, beside this file, one row per ' \
           'agency); did you mean' in said
    assert "form's agencies: list" not in said


def test_a_workbook_points_to_its_agencies_sheet(reference: Reference, tmp_path: Path) -> None:
    headers = [c.header for c in sheets.columns(reference)]
    path = _write_xlsx(tmp_path / "surveys.xlsx", headers, [{**EGYPT, "5. Conducting organisation": "ANSD-X"}])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    said = [str(p) for p in result.rows[0].problems]
    assert 'row 2, column "5. Conducting organisation": "ANSD-X" is not a known agency (describe it on the sheet ' \
           '"Agencies" of this workbook, one row per agency)' in said
    assert not result.notes  # a workbook has its Agencies sheet: no file to look for


def test_a_sheet_is_told_how_to_add_the_english_title_and_never_true_or_false(reference: Reference, tmp_path: Path) -> None:
    headers = [c.header for c in sheets.columns(reference, "fr")]
    english = {c.key: c.header for c in sheets.columns(reference)}
    french = {c.key: c.header for c in sheets.columns(reference, "fr")}
    row = {french[k]: EGYPT[english[k]] for k in english if english[k] in EGYPT}
    row[french["remittances"]] = ""
    row[french["sample_size"]] = "12,5"
    path = _write_csv(tmp_path / "s.csv", headers, [row])
    result = sheets.import_sheet(path, reference, lang="fr", catalogue=load_catalogue(RECORDS))
    said = [p.text("fr") for p in result.rows[0].problems]
    assert any("donnez aussi le titre en anglais (dans la même cellule, après le texte : « ; [en] » et le texte "
               "anglais)" in s for s in said), said
    assert any("(oui ou non)" in s for s in said) and not any("true" in s for s in said)
    assert any("« 12,5 » n’est pas un nombre entier" in s for s in said)


@pytest.mark.parametrize(("command", "name", "data", "said", "hint"), [
    ("sheet", "ctrl.csv", b"Survey id,1. Title\nxx-a,T\x00\x01\x02garbage\n",
     "ctrl.csv:2: is a binary file (a NUL byte), not a CSV sheet",
     "save it again from the spreadsheet as CSV UTF-8, or give the .xlsx file"),
    ("form", "f.yaml", b"title: T\x00\n",
     "f.yaml:1: is a binary file (a NUL byte), not a form (YAML or JSON text)",
     "`migrmeta export form` or `migrmeta template --format yaml` writes one"),
])
def test_a_binary_sheet_or_form_is_said_to_be_one_with_its_line_and_what_to_do(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, name: str, data: bytes, said: str,
        hint: str) -> None:
    """Not "not RDF text" with no line and no hint: the file is a sheet or a form."""
    source = tmp_path / name
    source.write_bytes(data)
    code, output = run_main(capsys, "import", command, str(source), "-o", str(tmp_path / "out"))
    assert code == 3
    assert f"{source.parent}/{said}" in output and hint in output and "not RDF" not in output


def test_an_unfilled_template_imports_nothing_and_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A template sent back as it was written (its example row skipped): exit 1, so a script
    `import sheet ... && publish` stops, and the message says why."""
    template = tmp_path / "surveys.csv"
    assert run_main(capsys, "template", "--format", "csv", "-o", str(template))[0] == 0
    code, output = run_main(capsys, "import", "sheet", str(template), "-o", str(tmp_path / "records"))
    assert code == 1, output
    assert f"{template}: no survey rows (rows whose survey id starts with # are skipped)" in output
    assert not (tmp_path / "records").exists() or not any((tmp_path / "records").iterdir())


def test_a_citation_holding_semicolons_stays_whole_and_lines_separate_citations(reference: Reference,
                                                                                tmp_path: Path) -> None:
    """A citation's authors are separated by ';' ("Farid, S.; El-Batrawy, R."): ';' no longer cuts
    it in two; several citations take a line each in the cell (Alt+Enter), as export writes them."""
    one = "Farid, S.; El-Batrawy, R. (eds.) (2015). Egypt-HIMS: Main Findings and Key Indicators. CAPMAS."
    two = "CAPMAS (2016). Egypt-HIMS 2013, Questionnaires; Manual."
    headers = list(EGYPT)
    path = _write_csv(tmp_path / "s.csv", headers, [{**EGYPT, "Citations": f"{one}\n{two}"}])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert result.ok, [str(p) for r in result.rows for p in r.problems]
    imported = result.rows[0].imported
    assert imported is not None
    cited = {str(o) for o in imported.graph.objects(None, ns.DCT.bibliographicCitation)}
    assert cited == {one, two}
    row = sheets.entry_to_row(graph_to_form(imported.graph, Vocabulary(reference)), sheets.columns(reference))
    assert f"{one}\n{two}" in row or f"{two}\n{one}" in row  # exported back: a line each


@pytest.mark.parametrize("header, meant", [("2. Purpose of the survey", '"2. Purpose"'),
                                           ("14. Researchers access", '"14. Researcher access"'),
                                           ("Citatons", '"Citations"')])
def test_an_answer_under_a_misspelt_header_is_refused_with_the_header_meant(
        reference: Reference, tmp_path: Path, header: str, meant: str) -> None:
    """As a form's unknown key is: the row is not written without the answer, and the
    template's header is suggested; a column of the user's own ("Remarks") stays a warning."""
    row = {**EGYPT, header: "an answer that would be lost", "Remarks": "to check"}
    path = _write_csv(tmp_path / "s.csv", [*EGYPT, header, "Remarks"], [row])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    said = [str(p) for r in result.rows for p in r.problems]
    assert not result.ok and result.rows[0].imported is None
    assert [s for s in said if header in s] == [
        f'row 2, column "{header}": not a column of the template, so this answer would be lost: did you mean '
        + said[0].split("did you mean ", 1)[1]]
    assert meant in said[0].split("did you mean ", 1)[1].split(" / ")[0]
    assert [str(p) for p in result.problems] == [
        'row 1, column "Remarks": not a column of the template; its cells are not imported']


@pytest.mark.parametrize("lang", ["en", "es"])
def test_columns_of_the_users_own_are_notes_whatever_words_they_share(reference: Reference, tmp_path: Path,
                                                                      lang: str) -> None:
    """"Notes", "Year", "Checked by" share a word with a template header ("6. Note on inference",
    "... reference period (years)", "Checked on"): only a whole header nearly the template's
    refuses a row, in whatever language the sheet's headers are, not the session's alone."""
    own = {"Notes": "to check", "Year": "2013", "Checked by": "A. N. Other", "Data": "see file"}
    path = _write_csv(tmp_path / "s.csv", [*EGYPT, *own], [{**EGYPT, **own}])
    result = sheets.import_sheet(path, reference, lang=lang, catalogue=load_catalogue(RECORDS))
    assert result.rows[0].ok, [str(p) for p in result.rows[0].problems]
    assert sorted(p.column for p in result.problems) == sorted(own)
    path = _write_csv(tmp_path / "t.csv", [*EGYPT, "Citatons"], [{**EGYPT, "Citatons": "A citation."}])
    result = sheets.import_sheet(path, reference, lang=lang, catalogue=load_catalogue(RECORDS))
    assert not result.ok and '"Citations"' in str(result.rows[0].problems[0])


def test_a_second_sheet_of_surveys_is_named_not_dropped(reference: Reference, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _write_xlsx(tmp_path / "s.xlsx", list(EGYPT), [EGYPT])
    book = load_workbook(path)
    copy = book.copy_worksheet(book["Surveys"])
    copy.title = "Surveys 2024"
    copy.cell(row=2, column=1, value="eg-hims-2024-sheet")
    book.save(path)
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert [r.id for r in result.rows] == ["eg-hims-2013-sheet"]
    assert [p.text() for p in result.problems] == [
        'the sheet "Surveys 2024" has survey rows too, and only the sheet "Surveys" is read: move its rows to '
        '"Surveys", or save it as a workbook of its own and import that']
    assert not result.ok


def test_two_groups_of_roles_for_one_agency_say_how_to_separate_them(reference: Reference, tmp_path: Path) -> None:
    """'conductor; funder' for one agency was "an attribution needs one agency IRI (...); in detail:
    agency (missing)" on the agency's column, which was filled (the curator review)."""
    row = {**EGYPT, "5. Role of an agency: agency": "CAPMAS", "5. Role of an agency: roles": "conductor; funder"}
    path = _write_csv(tmp_path / "s.csv", list(row), [row])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    said = [str(p) for r in result.rows for p in r.problems if p.severity == "violation"]
    assert said == ['row 2, column "5. Role of an agency: roles": this column gives 2 against 1 in the first column of this '
                    "question: give one per answer, separated by ';' (several values of one answer are separated "
                    "by ',')"], said
    fixed = {**row, "5. Role of an agency: roles": "conductor, funder"}
    result = sheets.import_sheet(_write_csv(tmp_path / "t.csv", list(fixed), [fixed]), reference,
                                 catalogue=load_catalogue(RECORDS))
    assert result.ok, [str(p) for r in result.rows for p in r.problems]


def test_one_role_for_two_agencies_or_none_says_what_each_agency_needs(reference: Reference, tmp_path: Path) -> None:
    """'world-bank; iom' with roles 'conductor' gave the second agency no role, said as "an
    attribution needs one agency IRI (prov:agent) ...": which agency, and what is an IRI?"""
    row = {**EGYPT, "5. Role of an agency: agency": "CAPMAS; IOM", "5. Role of an agency: roles": "conductor"}
    said = _violations(row, tmp_path / "s.csv", reference)
    assert said == ['row 2, column "5. Role of an agency: roles": this column gives 1 against 2 in the first column of this '
                    "question: give one per answer, separated by ';' (several values of one answer are separated "
                    "by ',')"], said
    none = {**row, "5. Role of an agency: agency": "CAPMAS"}
    none.pop("5. Role of an agency: roles")
    result = sheets.import_sheet(_write_csv(tmp_path / "t.csv", list(none), [none]), reference,
                                 catalogue=load_catalogue(RECORDS))
    said = [str(p) for r in result.rows for p in r.problems if p.severity == "violation"]
    assert len(said) == 1 and 'needs its roles in "5. Role of an agency: roles", in the same order' in said[0], said
    assert "IRI" not in said[0] and "prov:agent" not in said[0]


def test_a_copy_of_the_template_holding_only_its_example_is_no_sheet_of_surveys(reference: Reference,
                                                                                tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _write_xlsx(tmp_path / "s.xlsx", list(EGYPT), [EGYPT])
    book = load_workbook(path)
    copy = book.copy_worksheet(book["Surveys"])
    copy.title = "Old surveys"
    copy.cell(row=2, column=1, value="#ph-sof-2019")  # the template's example row: never imported
    book.save(path)
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert result.ok and result.problems == [], [p.text() for p in result.problems]


@pytest.mark.parametrize(("shown", "start", "datatype"), [
    ("mmm-yy", "2013-07", "gYearMonth"), ("mm/yyyy", "2013-07", "gYearMonth"), ("yyyy", "2013", "gYear"),
    ('[$-409]mmmm\\ yyyy', "2013-07", "gYearMonth"), ("yyyy-mm-dd", "2013-07-01", "date"),
    ("d-mmm-yy", "2013-07-01", "date")])
def test_an_excel_date_is_as_precise_as_its_cell_shows_it(reference: Reference, tmp_path: Path, shown: str,
                                                          start: str, datatype: str) -> None:
    """`2020-07` typed in Excel is stored as 2020-07-01 shown "Jul-20": it was imported as that
    exact day, without a word (the statisticians' review)."""
    import datetime as dt

    from openpyxl import load_workbook

    path = _write_xlsx(tmp_path / "s.xlsx", list(EGYPT), [EGYPT])
    book = load_workbook(path)
    sheet = book["Surveys"]
    column = next(c.column for c in sheet[1] if c.value == "4. Time frame: start")
    cell = sheet.cell(row=2, column=column, value=dt.datetime(2013, 7, 1))
    cell.number_format = shown
    sheet.cell(row=2, column=column + 1, value=None)  # no end: the start alone
    book.save(path)
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert result.rows[0].ok, [str(p) for p in result.rows[0].problems]
    imported = result.rows[0].imported
    assert imported is not None
    (found,) = [o for o in imported.graph.objects(None, ns.DCAT.startDate)]
    assert (str(found), found.datatype) == (start, ns.XSD[datatype])


def test_a_column_twice_is_said_once_with_what_to_do(reference: Reference, tmp_path: Path) -> None:
    """After "this column appears twice", the column was also "not a column of the template ... did you
    mean "3. Countries"?": the same header it is (the statisticians' review)."""
    row = {**EGYPT}
    path = tmp_path / "s.csv"
    headers = [*EGYPT, "3. Countries"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerow([*(row[h] for h in EGYPT), "Mali"])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    said = [str(p) for p in result.problems] + [str(p) for r in result.rows for p in r.problems]
    about = [text for text in said if '"3. Countries"' in text]
    assert about == ['row 1, column "3. Countries": this column appears twice: put the answers of both in the first '
                     "one, separated by ';', and remove the other",
                     'row 2, column "3. Countries": the second column of this name, so this answer would be lost: put '
                     "the answers of both in the first one, separated by ';', and remove the other"], about
    assert not result.ok
    # the row's answer in the second column (Mali) would be lost: the row is not written (the curators' review)
    assert result.rows[0].imported is None and not result.rows[0].ok


def _csv_sheet(path: Path, headers: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(("header", "meant"), [("4. End date", "4. Time frame: end"), ("3. Country", "3. Countries"),
                                               ("10. Migrant types", "10. Migrant types in focus")])
def test_a_header_numbered_with_an_item_is_meant_as_one_of_its_columns(reference: Reference, tmp_path: Path,
                                                                       header: str, meant: str) -> None:
    """"4. End date" was "not a column of the template" and its answer dropped, the record
    written (exit 0): numbered with item 4, it is meant as one of item 4's columns; the row is
    refused and the closest of them named first (the curators' review)."""
    headers = [h for h in EGYPT if h != meant]
    path = _csv_sheet(tmp_path / "s.csv", [*headers, header], [[*(EGYPT[h] for h in headers), "2014"]])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    (row,) = result.rows
    assert row.imported is None and not result.ok
    said = [str(p) for p in row.problems]
    assert said[0].startswith(f'row 2, column "{header}": not a column of the template, so this answer would be lost: '
                              f'did you mean "{meant}"'), said


def test_a_column_of_the_users_own_is_still_a_note(reference: Reference, tmp_path: Path) -> None:
    path = _csv_sheet(tmp_path / "s.csv", [*EGYPT, "Notes", "15. Remarks"], [[*EGYPT.values(), "checked", "x"]])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert result.rows[0].imported is not None, [str(p) for p in result.rows[0].problems]
    assert {p.column for p in result.problems if "its cells are not imported" in p.message} == {"Notes", "15. Remarks"}


def test_a_cell_under_no_header_refuses_its_row(reference: Reference, tmp_path: Path) -> None:
    """A cell in a column without a header (CSV or workbook), or right of the last header (a
    workbook), was dropped in silence: it would be lost, so its row is refused, the column named."""
    headers = list(EGYPT)
    blank = headers.index("3. Countries") + 1
    path = _csv_sheet(tmp_path / "s.csv", [*headers[:blank], "", *headers[blank:]],
                      [[*(EGYPT[h] for h in headers[:blank]), "Gambia", *(EGYPT[h] for h in headers[blank:])],
                       [*(EGYPT[h] for h in headers[:blank]), "", *(EGYPT[h] for h in headers[blank:])]])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    first, second = result.rows
    from openpyxl.utils import get_column_letter
    assert first.imported is None and [str(p) for p in first.problems] == [
        f"row 2: column {get_column_letter(blank + 1)} has no header, so this answer would be lost: give the column "
        "its header from the template, or move the answer to the column it belongs in"]
    assert not any("has no header" in str(p) for p in second.problems)  # an empty cell loses nothing
    workbook = tmp_path / "w.xlsx"
    workbook.write_bytes(templates.template_xlsx(reference, None))
    _fill(workbook, [EGYPT], first=2)
    book = load_workbook(workbook)
    book["Surveys"].cell(row=2, column=book["Surveys"].max_column + 3, value="Gambia")
    book.save(workbook)
    result = sheets.import_sheet(workbook, reference, catalogue=load_catalogue(RECORDS))
    assert result.rows[0].imported is None
    assert any("has no header, so this answer would be lost" in str(p) for p in result.rows[0].problems)


def test_the_agencies_file_loses_nothing_unsaid(reference: Reference, tmp_path: Path) -> None:
    """The agencies file beside a sheet: a header not of its template ("Web site") dropped the
    home page in silence; a name holding the separator shifted the cells after it (the acronym
    read as the kind, ...); a row no survey names was written nowhere, unsaid. Each is said at
    the agency's row, and the survey rows naming a row that would lose an answer are refused."""
    headers = [c.header for c in sheets.columns(reference)]
    path = _write_csv(tmp_path / "surveys.csv", headers, [{**SENEGAL, "5. Conducting organisation": "ansd-sn"}])
    agency = ["ansd-sn", "National Agency of Statistics and Demography", "ANSD", "national-statistical-office", "SEN",
              "https://www.ansd.sn/"]
    beside = tmp_path / "surveys-agencies.csv"
    own = [c.header for c in sheets.agency_columns(reference)]
    _csv_sheet(beside, [*own[:5], "Web site"], [agency, ["unused-ag", "Unused agency", "UA", "government", "SEN", ""]])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    sheet_level = [str(p) for p in result.problems]
    assert ('surveys-agencies.csv, row 2 (agency "ansd-sn"): column "Web site" is not a column of the agencies '
            'template, so this answer would be lost: did you mean "Home page"?') in sheet_level
    assert ('surveys-agencies.csv, row 3 (agency "unused-ag"): no survey row names this agency, so it is not written: '
            "name it in a survey row, or remove its row") in sheet_level
    (row,) = result.rows
    assert row.imported is None and [str(p) for p in row.problems] == [
        'row 2: surveys-agencies.csv, row 2 (agency "ansd-sn"): this agency\'s row would lose an answer (see above): '
        "correct it first"]
    # a name holding the separator, not quoted: the row has a cell too many
    beside.write_text(",".join(own) + "\n" + ",".join([agency[0], "National Agency of Statistics, Senegal",
                                                        *agency[2:]]) + "\n", encoding="utf-8")
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert any(str(p).startswith('surveys-agencies.csv, row 2 (agency "ansd-sn"): too many cells: 1 more than the '
                                 "columns of the first row") for p in result.problems), [str(p) for p in result.problems]
    assert result.rows[0].imported is None
    # the same file, right: written, nothing said about it
    _csv_sheet(beside, own, [agency])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    assert result.rows[0].imported is not None and not result.problems, [str(p) for p in result.problems]


@pytest.mark.parametrize(("lang", "row_word", "said"), [
    ("en", "row", "give one of the two rows another id, or make them one row"),
    ("fr", "ligne", "donnez un autre identifiant à l'une des deux lignes, ou n'en faites qu'une")])
def test_a_survey_id_given_twice_is_said_at_the_id_in_the_sheets_words(reference: Reference, tmp_path: Path,
                                                                       lang: str, row_word: str, said: str) -> None:
    """Two rows with one Survey id were told at the column "1. Title", with the survey's IRI,
    "row 4" left in English in a French message, and the advice of a record file."""
    path = _csv_sheet(tmp_path / "s.csv", list(EGYPT), [list(EGYPT.values()), list(EGYPT.values())])
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS), lang=lang)
    first = [p.text(lang) for p in result.rows[0].problems if "eg-hims-2013-sheet" in p.message]
    assert len(first) == 1, [p.text(lang) for p in result.rows[0].problems]
    assert first[0].startswith(f"{row_word} 2, ") and ('"Survey id"' in first[0] or "« Survey id »" in first[0]), first
    assert f"{row_word} 3" in first[0] and said in first[0] and "https://" not in first[0] and "IRI" not in first[0]


def test_an_answer_in_cells_merged_down_is_read_for_every_row_it_spans(reference: Reference, tmp_path: Path) -> None:
    """One 'Collaborating agencies' cell merged over two survey rows: the workbook stores it in
    the first row only, and the second survey lost IOM without a word (the statistician review)."""
    from openpyxl import load_workbook

    other = {**EGYPT, "Survey id": "eg-hims-2013-copy", "1. Title": "Another Egypt survey",
             "5. Collaborating agencies": None}
    headers = list(EGYPT)
    path = _write_xlsx(tmp_path / "s.xlsx", headers, [EGYPT, other])
    book = load_workbook(path)
    column = headers.index("5. Collaborating agencies") + 1
    book["Surveys"].merge_cells(start_row=2, end_row=3, start_column=column, end_column=column)
    title = headers.index("1. Title") + 1  # merged across two columns: the first column's value only
    book["Surveys"].merge_cells(start_row=3, end_row=3, start_column=title, end_column=title + 1)
    book.save(path)
    assert book["Surveys"].cell(row=3, column=column).value is None  # as Excel stores it
    result = sheets.import_sheet(path, reference, catalogue=load_catalogue(RECORDS))
    iom = ns.AGENCY["iom"]
    for row in result.rows:
        assert row.imported is not None, [str(p) for p in row.problems]
        assert iom in set(row.imported.graph.objects(ns.SURVEY[row.id], ns.DCT.contributor)), row.id
    second = result.rows[1].imported
    assert second is not None
    assert {str(t) for t in second.graph.objects(ns.SURVEY["eg-hims-2013-copy"], ns.DCT.title)} == \
        {"Another Egypt survey"}


def test_a_file_that_is_no_spreadsheet_is_said_in_the_users_language(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """`import sheet record.ttl --lang es` said 'unknown spreadsheet type' / 'consejo: save the sheet as ...'."""
    path = tmp_path / "record.ttl"
    path.write_text("", encoding="utf-8")
    code, said = run_main(capsys, "import", "sheet", str(path), "-o", str(tmp_path / "out"), "--lang", "es",
                          *CATALOGUE)
    assert code == 3
    assert f"{path}: tipo de hoja de cálculo desconocido: '.ttl'\n  consejo: guarde la hoja como .xlsx o .csv" in said


def test_export_form_says_an_unreadable_record_in_the_forms_language(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """`export form --lang fr` raised its errors in English, and said 'wrote' on success."""
    broken = tmp_path / "cp1252.ttl"
    broken.write_bytes("# caf\u00e9\n".encode("cp1252"))
    code, said = run_main(capsys, "export", "form", str(broken), "--lang", "fr")
    assert code == 3
    assert f"{broken}:1:6: n’est pas en UTF-8 (octet 0xE9)" in said and "conseil: " in said and "hint" not in said
    code, said = run_main(capsys, "export", "form", str(RECORDS / "mmp.ttl"), "-o", str(tmp_path / "mmp.yaml"),
                          "--lang", "es")
    assert code == 0 and (tmp_path / "mmp.yaml").is_file()
    assert "wrote" not in said, said


def test_a_detail_given_once_for_two_answers_is_refused_with_how_to_place_it(reference: Reference,
                                                                             tmp_path: Path) -> None:
    """A minimum age of 15 for "country of birth; citizenship" was the first criterion's alone,
    in silence (a reviewer's find); '15; 15' or '15;' says which."""
    row = {**EGYPT, "11. Identification of migrants: identification criterion":
           "Absent (former) household members abroad; Return migrants",
           "11. Identification of migrants: definition": "Former members abroad; Members back from abroad",
           "11. Identification of migrants: minimum age": "15"}
    said = _violations(row, tmp_path / "s.csv", reference)
    assert said == ['row 2, column "11. Identification of migrants: minimum age": this column gives 1 against 2 in '
                    "the first column of this question: give one per answer, separated by ';' (an answer without "
                    "one keeps its place, left empty: '15;')"], said
    for ages in ("15; 15", "15;"):
        placed = {**row, "11. Identification of migrants: minimum age": ages}
        assert not _violations(placed, tmp_path / "t.csv", reference), ages


def test_a_column_is_named_as_the_sheet_heads_it(reference: Reference, tmp_path: Path) -> None:
    """"4. Série" and the Spanish "4. Serie" fold alike: a French sheet's messages named its
    column "4. Serie" (a reviewer's find)."""
    row = {**EGYPT, "4. Série": "<not an address>"}
    result = sheets.import_sheet(_write_csv(tmp_path / "s.csv", list(row), [row]), reference,
                                 catalogue=load_catalogue(RECORDS))
    columns = {p.column for r in result.rows for p in r.problems}
    assert "4. Série" in columns and "4. Serie" not in columns, [str(p) for r in result.rows for p in r.problems]
