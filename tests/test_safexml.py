"""Outside XML is parsed safely: no entity expansion, no local files, no network."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from migrmeta.cli import cli
from migrmeta.errors import InputError
from migrmeta.formats.ddi import import_ddi
from migrmeta.formats.safexml import parse_xml

DATA = Path(__file__).parent / "data" / "ddi"


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


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.hits.append(self.path)
        body = b'<!ENTITY remote "fetched">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dtd_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Counting.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_external_dtd_and_parameter_entities_are_never_fetched(dtd_server: str) -> None:
    external = f'<?xml version="1.0"?><!DOCTYPE codeBook SYSTEM "{dtd_server}/codebook.dtd"><codeBook/>'
    tree = parse_xml(external.encode(), "external-dtd.xml")
    assert tree.getroot().tag == "codeBook"
    parameter = (
        f'<?xml version="1.0"?><!DOCTYPE codeBook [ <!ENTITY % p SYSTEM "{dtd_server}/p.dtd"> %p; ]>'
        "<codeBook>&remote;</codeBook>"
    )
    with pytest.raises(InputError):
        parse_xml(parameter.encode(), "parameter-entity.xml")
    assert _Counting.hits == []


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
