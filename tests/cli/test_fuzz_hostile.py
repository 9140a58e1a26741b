"""Issue 12, must-show 7: generated hostile records thrown at the commands (Hypothesis).

Every example is a record (Turtle or JSON-LD) or a form (YAML) made from a real one, with
generated identifiers, IRIs, literals, nesting and encodings. Each command must keep the
promise: an exit code of 0-3, no traceback, an error naming the file, nothing written outside
the output folder (the parent folder is checked), nothing fetched (a socket guard).

Bounded in time: a fixed seed (derandomize) and a modest number of examples per command.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from paths import RECORDS

from migrmeta.cli import main

GOOD = RECORDS / "gb-ips.ttl"
SURVEY = "https://w3id.org/migrmeta/survey/"
# no shrinking: a failure prints its example as generated, and the run stays bounded
FUZZ = settings(max_examples=12, deadline=None, derandomize=True, database=None, print_blob=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

# --- what is generated ---------------------------------------------------------------------------

NASTY = list('<>"{}|^`\\ \n\t\r\x00\x01\x1b\x7f\u0085\u202e\ufeff#%/.:@=+-&;\'[]()*_')
text = st.text(alphabet=st.one_of(st.sampled_from(NASTY), st.characters(codec="utf-8")), max_size=30)
identifiers = st.one_of(
    st.sampled_from(["../../x", "/abs/x", "a/b", "a\\b", "con", "lpt1.txt", "a" * 300, "enquête-2019", ".x", ""]),
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,30}", fullmatch=True),
    text,
)
iris = st.one_of(
    st.builds(lambda t: SURVEY + t, text),
    st.sampled_from(["survey/relative", "../up", "file:///etc/passwd", "http://127.0.0.1:9/x", "urn:x:y",
                     "javascript:alert(1)", SURVEY + "gb-ips"]),
    text,
)
encodings = st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "latin-1", "garbage"])  # mostly readable
depths = st.one_of(st.integers(0, 4), st.integers(0, 60))
escaped = st.sampled_from([True, True, True, False])


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _turtle(identifier: str, title: str, iri: str, depth: int, escape: bool) -> str:
    quote = _escape if escape else (lambda v: v)
    source = GOOD.read_text(encoding="utf-8")
    source = source.replace('dct:identifier "gb-ips"', f'dct:identifier "{quote(identifier)}"')
    source = source.replace('dct:title "International Passenger Survey"@en', f'dct:title "{quote(title)}"@en')
    nested = "[ dct:source " * depth + f"<{iri}>" + " ]" * depth
    return source.replace("dct:alternative \"IPS\" ;", f"dct:alternative \"IPS\" ;\n    dct:relation {nested} ;")


def _jsonld(identifier: str, title: str, iri: str, depth: int) -> str:
    value: Any = {"@id": iri}
    for _ in range(depth):
        value = {"http://purl.org/dc/terms/source": value}
    dct = "http://purl.org/dc/terms/"
    return json.dumps({"@context": "https://w3id.org/migrmeta/context.jsonld", "@id": iri, "@type": "Survey",
                       dct + "identifier": identifier, dct + "title": {"@value": title, "@language": "en"},
                       dct + "relation": value})


def _encode(content: str, encoding: str) -> bytes:
    if encoding == "garbage":
        return b"\xff\xfe\x00\xc3(" + content.encode("utf-8", errors="replace")[:500]
    return content.encode(encoding, errors="replace")


records = st.builds(
    lambda syntax, identifier, title, iri, depth, escape, encoding: (
        f"record.{syntax}",
        _encode(_turtle(identifier, title, iri, depth, escape) if syntax == "ttl" else
                _jsonld(identifier, title, iri, depth), encoding)),
    st.sampled_from(["ttl", "jsonld"]), identifiers, text, iris, depths, escaped, encodings,
)


def _form(identifier: str, title: str, depth: int, aliases: int) -> str:
    nested = "[" * depth + "x" + "]" * depth
    alias_lines = "anchor: &a [x, y]\n" + "".join(f"copy{n}: *a\n" for n in range(aliases))
    return f"id: {json.dumps(identifier)}\ntitle: {json.dumps(title)}\nsampleType: {nested}\n{alias_lines}"


forms = st.builds(lambda *args: ("form.yaml", _encode(_form(*args[:4]), args[4])),
                  identifiers, text, depths, st.integers(0, 120), encodings)

# --- the promise ---------------------------------------------------------------------------------


@contextlib.contextmanager
def no_network() -> Iterator[list[object]]:
    """Every attempt to open a connection is refused and recorded."""
    attempts: list[object] = []
    real_connect, real_connect_ex, real_create = socket.socket.connect, socket.socket.connect_ex, \
        socket.create_connection

    def refuse(*args: object, **kwargs: object) -> Any:
        attempts.append(args[1:] if args else kwargs)
        raise OSError("network access is not allowed in this test")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    try:
        yield attempts
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
        socket.create_connection = real_create


def run_command(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as stopped:
            code = stopped.code if isinstance(stopped.code, int) else (0 if stopped.code is None else 1)
        else:
            code = 0
    return code, out.getvalue(), err.getvalue()


def keeps_the_promise(command: list[str], example: tuple[str, bytes]) -> None:
    name, data = example
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        inputs, out = root / "in", root / "out"
        inputs.mkdir()
        (inputs / "agencies.ttl").write_bytes((RECORDS / "agencies.ttl").read_bytes())
        path = inputs / name
        path.write_bytes(data)
        before = set(root.rglob("*"))
        argv = [part.replace("{in}", str(path)).replace("{out}", str(out)) for part in command]
        with no_network() as attempts:
            code, stdout, stderr = run_command(argv)
        written = set(root.rglob("*")) - before
        assert code in (0, 1, 2, 3), (code, stderr)
        assert "Traceback" not in stderr + stdout, stderr
        assert all(p == out or out in p.parents for p in written), written
        assert not attempts, attempts
        if code == 3:
            assert str(path) in stderr + stdout, stderr


@pytest.mark.parametrize("command", [
    ["validate", "--no-cache", "{in}"],
    ["export", "ddi", "{in}", "-o", "{out}"],
    ["export", "schemaorg", "{in}", "-o", "{out}"],
], ids=["validate", "export-ddi", "export-schemaorg"])
@FUZZ
@given(example=records)
def test_generated_records_keep_the_promise(command: list[str], example: tuple[str, bytes]) -> None:
    keeps_the_promise(command, example)


@settings(FUZZ, max_examples=6)
@given(example=records)
def test_generated_records_keep_the_promise_on_publish(example: tuple[str, bytes]) -> None:
    keeps_the_promise(["publish", "--no-cache", "--skip-invalid", "-o", "{out}", "{in}"], example)


@FUZZ
@given(example=forms)
def test_generated_forms_keep_the_promise(example: tuple[str, bytes]) -> None:
    keeps_the_promise(["import", "form", "{in}", "-o", "{out}/x.ttl", "--catalogue", str(RECORDS)], example)
