"""Files, directories and standard input -> one RDF graph per record.

Every problem with an input is an `InputError` naming the file and, where known, the line:
empty files, binary files, files that are not UTF-8, syntax errors, JSON-LD that asks for a
remote context (never fetched). Parsing uses pyoxigraph (fast, precise error locations);
JSON-LD goes through rdflib once every context has been resolved locally.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta import resources
from migrmeta.errors import InputError, UsageError
from migrmeta.namespaces import CONTEXT_IRI, XSD, bind_prefixes

STDIN = "-"

# Extension -> format name; the names are also the values of `--input-format`.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}
_OXI_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
# Reference data sits next to records in a checkout but is not a record.
_NOT_RECORDS = {"context.jsonld"}
_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an XLSX spreadsheet?): use `migrmeta import sheet` for spreadsheets",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive: decompress it first",
}


@dataclass
class Record:
    """One contributed file, parsed."""

    source: str
    graph: Graph
    data: bytes = field(repr=False)
    format: str = "turtle"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def line_of(self, node: Node, path: str | None = None, value: str | None = None) -> int | None:
        """The line where `node` is described, or where its `path` / `value` is written there.

        Best effort, for messages: Turtle-like text is searched, other syntaxes give the
        subject's line or None.
        """
        return _line_of(self, node, path, value)


def expand_paths(paths: Iterable[str | Path]) -> list[str | InputError]:
    """Files, directories (recursive, RDF extensions only) and `-` -> sorted input names.

    A missing path or a directory without records gives an `InputError` in its place, so
    the other inputs are still read.
    """
    found: list[str | InputError] = []
    for raw in paths:
        if str(raw) == STDIN:
            found.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in FORMATS
                and p.name not in _NOT_RECORDS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                found.append(InputError(
                    str(path),
                    "no records in this directory",
                    hint="records are files ending in " + ", ".join(sorted(set(FORMATS))),
                ))
            found.extend(str(p) for p in files)
        elif path.is_file():
            found.append(str(path))
        else:
            found.append(InputError(str(path), "no such file or directory"))
    return found


def format_for(name: str, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in _OXI_FORMATS and explicit != "jsonld":
            known = ", ".join(sorted(set(FORMATS.values())))
            raise UsageError(f"unknown input format {explicit!r}; use one of: {known}")
        return explicit
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            name,
            f"unknown file type {suffix or '(no extension)'!r}",
            hint="name the file .ttl, .jsonld, .nt, .nq, .trig or .rdf, or pass --input-format",
        )
    return FORMATS[suffix]


def sniff_format(data: bytes) -> str:
    """The format of standard input, from its first bytes: JSON-LD, RDF/XML or Turtle."""
    head = data.lstrip()[:200]
    if head.startswith((b"{", b"[")):
        return "jsonld"
    if head.startswith(b"<?xml") or head.startswith(b"<rdf:RDF"):
        return "rdfxml"
    return "turtle"


def read_raw(name: str, input_format: str | None = None) -> tuple[str, bytes, str]:
    """One input's (source name, bytes, format), unparsed: a path or `-` for standard input."""
    if name == STDIN:
        data = sys.stdin.buffer.read()
        return "<stdin>", data, input_format or sniff_format(data)
    fmt = format_for(name, input_format)
    try:
        return name, Path(name).read_bytes(), fmt
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from exc


def read_input(name: str, input_format: str | None = None) -> Record:
    """Read and parse one input (a path or `-` for standard input)."""
    source, data, fmt = read_raw(name, input_format)
    return parse_bytes(data, source, fmt)


def agencies_beside(path: str | Path) -> Path | None:
    """The agencies.ttl described once next to a record (or in a folder of records), if any."""
    start = Path(path)
    sibling = (start if start.is_dir() else start.parent) / "agencies.ttl"
    return sibling if sibling.is_file() else None


def parse_bytes(data: bytes, source: str, fmt: str) -> Record:
    text = check_text(data, source, xml=fmt == "rdfxml")
    graph = _parse_jsonld(text, source) if fmt == "jsonld" else _parse_oxigraph(data, source, fmt)
    if len(graph) == 0:
        raise InputError(source, "holds no statements", hint="a record describes one survey")
    return Record(source=source, graph=bind_prefixes(graph), data=data, format=fmt)


def check_text(data: bytes, source: str, *, xml: bool = False) -> str:
    """Reject empty, binary and non-UTF-8 input with a message saying what to do."""
    if not data.strip():
        raise InputError(source, "is empty", hint="fill it in (records/ and docs/ have examples)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        if xml:  # XML declares its own encoding; let the XML parser read it
            return ""
        raise InputError(
            source,
            "is encoded in UTF-16; it must be UTF-8",
            hint=f"save it as UTF-8 (e.g. `{_iconv('UTF-16', source)}`)",
        )
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(source, f"is a binary file ({what}), not RDF")
    if b"\x00" in data[:8192]:
        raise InputError(source, "is a binary file, not RDF text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if xml and re.match(rb"\s*<\?xml[^>]*encoding=", data):
            return ""
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            source,
            f"is not UTF-8 (byte 0x{data[exc.start]:02X}); it looks like Latin-1 or Windows-1252",
            line=line,
            column=column,
            hint=f"save it as UTF-8 (e.g. `{_iconv('LATIN1', source)}`)",
        ) from exc


def _iconv(encoding: str, source: str) -> str:
    path = Path(source)
    return f"iconv -f {encoding} -t UTF-8 {path.name} > {path.stem}-utf8{path.suffix}"


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte is zero in ASCII-heavy text."""
    head = data[:400]
    if len(head) < 8:
        return False
    for zeros, text in ((head[0::2], head[1::2]), (head[1::2], head[0::2])):
        if zeros.count(0) > 0.9 * len(zeros) and text.count(0) < 0.1 * len(text):
            return True
    return False


# --- RDF syntaxes through pyoxigraph ---------------------------------------------------------


def _parse_oxigraph(data: bytes, source: str, fmt: str) -> Graph:
    graph = Graph()
    add = graph.add
    # Blank node labels are local to a file: `_:b0` in two files are two nodes.
    blanks: dict[str, BNode] = {}

    def term(value: Any) -> Node:
        if isinstance(value, ox.BlankNode):
            node = blanks.get(value.value)
            if node is None:
                node = blanks[value.value] = BNode()
            return node
        return to_rdflib(value)

    try:
        for quad in ox.parse(data, format=_OXI_FORMATS[fmt]):
            add((term(quad.subject), quad_predicate(quad), term(quad.object)))
    except SyntaxError as exc:
        line = exc.lineno
        message = re.sub(r"^Parser error (at|between) line \d+ (column|between columns) \d+"
                         r"( and (line \d+ column )?\d+)?: ", "", exc.msg)
        if "No scheme found" in message:
            message += " (write IRIs in full, <https://...>, or with a declared prefix)"
        raise InputError(source, f"syntax error: {message}", line=line, column=exc.offset,
                         hint="fix the statement at that line; other files are still checked") from exc
    except ValueError as exc:  # e.g. a relative IRI without base
        raise InputError(source, f"syntax error: {exc}") from exc
    return graph


def quad_predicate(quad: Any) -> URIRef:
    return URIRef(quad.predicate.value)


def to_rdflib(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term {term!r}")


# --- JSON-LD, with contexts resolved locally -------------------------------------------------


def _local_context() -> Any:
    return json.loads(resources.context_file().read_text(encoding="utf-8"))["@context"]


def resolve_contexts(document: Any, source: str) -> Any:
    """Replace every context reference by its content; only migrmeta's own is known.

    A remote context is refused, never fetched: a data file must not make us go online.
    """
    if isinstance(document, list):
        return [resolve_contexts(item, source) for item in document]
    if not isinstance(document, dict):
        return document
    resolved: dict[str, Any] = {}
    for key, value in document.items():
        if key == "@context":
            resolved[key] = _resolve_context_value(value, source)
        elif key == "@import":
            raise InputError(source, f"JSON-LD @import of {value!r} is not supported (not fetched)")
        else:
            resolved[key] = resolve_contexts(value, source)
    return resolved


def _resolve_context_value(value: Any, source: str) -> Any:
    if isinstance(value, list):
        return [_resolve_context_value(item, source) for item in value]
    if isinstance(value, str):
        if value == CONTEXT_IRI:
            return _local_context()
        local = _local_file(value, source)
        if local is not None:
            return local
        raise InputError(
            source,
            f"JSON-LD context {value!r} is remote and is not fetched",
            hint=f'use "@context": "{CONTEXT_IRI}" (resolved locally) or put the context inline',
        )
    if isinstance(value, dict):
        return {k: resolve_contexts(v, source) if k != "@import" else _refuse_import(v, source)
                for k, v in value.items()}
    return value


def _local_file(reference: str, source: str) -> Any:
    """A context given as a relative path next to a local record: read from disk, not fetched."""
    if "://" in reference or reference.startswith(("file:", "urn:")) or source == "<stdin>":
        return None
    path = (Path(source).parent / reference).resolve()
    if not path.is_file():
        raise InputError(source, f"JSON-LD context file {reference!r} not found (looked at {path})")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"context file cannot be read as JSON ({exc})") from exc
    context = document.get("@context", {}) if isinstance(document, dict) else {}
    return _resolve_context_value(context, str(path))


def _refuse_import(value: Any, source: str) -> Any:
    raise InputError(source, f"JSON-LD @import of {value!r} is not supported (not fetched)")


def _parse_jsonld(text: str, source: str) -> Graph:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    document = resolve_contexts(document, source)
    graph = Graph()
    try:
        graph.parse(data=json.dumps(document), format="json-ld")
    except InputError:
        raise
    except Exception as exc:  # rdflib raises assorted errors on malformed JSON-LD
        raise InputError(source, f"invalid JSON-LD: {exc}") from exc
    return graph


# --- line numbers for messages ---------------------------------------------------------------

_PREFIX_RE = re.compile(r"@?prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


def _needles(text: str, iri: str) -> list[str]:
    found = [f"<{iri}>"]
    for prefix, namespace in _PREFIX_RE.findall(text):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            found.append(f"{prefix}:{iri[len(namespace):]}")
    found.append(f'"{iri}"')
    return found


def _line_of(record: Record, node: Node, path: str | None = None, value: str | None = None) -> int | None:
    if not isinstance(node, URIRef):
        return None
    lines = record.data.decode("utf-8", errors="replace").splitlines()
    text = "\n".join(lines)
    subject = _needles(text, str(node))
    start = next((n for n, line in enumerate(lines) if any(line.lstrip().startswith(x) for x in subject)), None)
    if start is None:
        start = next((n for n, line in enumerate(lines) if any(x in line for x in subject)), None)
    if start is None:
        return None
    wanted = [*(_needles(text, value) if value and "://" in value else [value] if value else []),
              *(_needles(text, path) if path else [])]
    if wanted:
        for n in range(start, len(lines)):
            line = lines[n]
            if n > start and line[:1] not in ("", " ", "\t", "#", "]", ")"):  # the next subject begins
                break
            if any(w and w in line for w in wanted):
                return n + 1
    return start + 1


def iter_records(
    paths: Iterable[str | Path], input_format: str | None = None
) -> Iterator[Record | InputError]:
    """Each input parsed, or the error that stopped it: one bad file never stops the rest."""
    for name in expand_paths(paths):
        if isinstance(name, InputError):
            yield name
            continue
        try:
            yield read_input(name, input_format)
        except InputError as exc:
            yield exc
