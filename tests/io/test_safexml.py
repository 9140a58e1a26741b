"""Outside XML is parsed safely: no entity expansion, no local files, no network."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from http_server import LocalServer, QuietHandler, StartServer
from paths import DATA as DATA_DIR

from migrmeta.cli import cli
from migrmeta.errors import InputError
from migrmeta.formats.ddi.reader import import_ddi
from migrmeta.io.safexml import parse_xml

DATA = DATA_DIR / "ddi"


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_billion_laughs_is_refused_with_its_line() -> None:
    path = DATA / "billion-laughs.xml"
    with pytest.raises(InputError) as caught:
        parse_xml(path.read_bytes(), str(path))
    error = caught.value
    assert "billion laughs" in error.problem
    assert error.location.source == str(path)
    assert error.location.line == _line_of(path, "<!ENTITY lol1 ")


def test_external_entity_to_a_local_file_is_not_expanded() -> None:
    path = DATA / "xxe-local-file.xml"
    with pytest.raises(InputError) as caught:
        parse_xml(path.read_bytes(), str(path))
    assert "file:///etc/passwd" in caught.value.problem
    assert "not loaded" in caught.value.problem
    assert "root:" not in str(caught.value)  # the file's content never shows up
    assert caught.value.location.line == _line_of(path, "<!ENTITY secret")


def test_importers_refuse_attacks_as_unreadable_input(tmp_path: Path) -> None:
    for name in ("billion-laughs.xml", "xxe-local-file.xml"):
        with pytest.raises(InputError):
            import_ddi((DATA / name).read_bytes(), name)
    good = DATA / "ddi26-made.xml"
    result = CliRunner().invoke(
        cli, ["import", "ddi", str(DATA / "xxe-local-file.xml"), str(good), "-o", str(tmp_path)]
    )
    assert result.exit_code == 3
    assert (tmp_path / "nso-srm-2011.ttl").is_file()  # the good file is still imported


class _DtdHandler(QuietHandler):
    """Answers every path with an entity declaration; the test checks that none is asked for."""

    def do_GET(self) -> None:
        self.reply(b'<!ENTITY remote "fetched">', "application/xml-dtd")


@pytest.fixture
def dtd_server(http_server: StartServer) -> LocalServer:
    return http_server(_DtdHandler)


def test_external_dtd_and_parameter_entities_are_never_fetched(dtd_server: LocalServer) -> None:
    external = f'<?xml version="1.0"?><!DOCTYPE codeBook SYSTEM "{dtd_server.url}/codebook.dtd"><codeBook/>'
    tree = parse_xml(external.encode(), "external-dtd.xml")
    assert tree.getroot().tag == "codeBook"
    parameter = (
        f'<?xml version="1.0"?><!DOCTYPE codeBook [ <!ENTITY % p SYSTEM "{dtd_server.url}/p.dtd"> %p; ]>'
        "<codeBook>&remote;</codeBook>"
    )
    with pytest.raises(InputError):
        parse_xml(parameter.encode(), "parameter-entity.xml")
    assert dtd_server.hits == []


def test_malformed_xml_names_file_and_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_xml(b"<codeBook>\n  <stdyDscr>\n</codeBook>\n", "broken.xml")
    assert caught.value.location.source == "broken.xml"
    assert caught.value.location.line == 3


def test_utf16_with_either_byte_order_is_read() -> None:
    little = parse_xml((DATA / "ag-eth-survey-2003_ddi.xml").read_bytes(), "le")
    big = parse_xml((DATA / "ddi26-made-utf16be.xml").read_bytes(), "be")
    utf8 = parse_xml((DATA / "ddi26-made.xml").read_bytes(), "utf8")
    assert little.getroot().get("ID") == "ag-eth-survey-2003"
    assert "".join(big.getroot().itertext()) == "".join(utf8.getroot().itertext())


def test_a_cut_off_document_gives_its_position_once() -> None:
    """lxml appends ", line N, column M" to libxml2's message: the location already says it
    (a harvest's cut-off page read "line 197, line 197, column 227")."""
    with pytest.raises(InputError) as caught:
        parse_xml(b'<?xml version="1.0"?>\n<OAI-PMH>\n<record>\n<header>abc', "page")
    assert str(caught.value).split("\n")[0] == (
        "page:4:12: XML syntax error: Premature end of data in tag <header> (opened on line 4)")


def test_an_empty_file_is_told_what_its_command_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`countries build empty.ttl` was told to 'give a DDI Codebook XML file' (the statistician review)."""
    from command import said

    empty = tmp_path / "empty.rdf"
    empty.write_bytes(b"")
    code, output = said(capsys, "countries", "build", str(empty), "-o", str(tmp_path / "c.ttl"))
    assert code == 3 and "is empty" in output
    assert "the EU country authority table" in output and "DDI" not in output
    with pytest.raises(InputError) as caught:
        import_ddi(empty.read_bytes(), str(empty))
    assert caught.value.hint == "give a DDI Codebook XML file"
