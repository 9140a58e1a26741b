"""One contributed file, parsed: its bytes, its statements, and where each statement is written."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from migrmeta.load.jsonld_lines import JsonLdLines
from migrmeta.namespaces import bind_prefixes
from migrmeta.rdf.reader import parse
from migrmeta.rdf.terms import Converter, to_oxigraph


@dataclass
class Record:
    """One contributed file, parsed by the one reader (`migrmeta.rdf.reader`)."""

    source: str
    quads: list[ox.Quad] = field(repr=False)
    data: bytes = field(repr=False)
    format: str = "turtle"

    @classmethod
    def from_graph(cls, source: str, graph: Graph, data: bytes = b"") -> Record:
        """A record made in memory (an importer's output, a test's edit) rather than read from a file."""
        quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
        record = cls(source=source, quads=quads, data=data)
        record.__dict__["graph"] = graph  # the cached_property's slot: keep the caller's graph object
        return record

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def triples(self) -> list[ox.Triple]:
        """The statements as pyoxigraph triples (named graphs of N-Quads / TriG merged)."""
        return [quad.triple for quad in self.quads]

    @cached_property
    def graph(self) -> Graph:
        """The statements as an rdflib graph with the project's prefixes (for pySHACL and writers)."""
        graph = Graph()
        convert = Converter().triple
        add = graph.add
        for quad in self.quads:
            add(convert(quad))
        return bind_prefixes(graph)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.data, self.source)

    def line_of(self, node: Node, path: str | None = None, value: str | None = None, *,
                written: bool = True) -> int | None:
        """The line where `node` is described, or where its `path` / `value` is written there
        (`written`: LineIndex.line_of).

        Best effort, for messages: Turtle-like text is searched, other syntaxes give the
        subject's line or None.
        """
        return self.lines.line_of(node, path, value, written=written)


def lines_of_file(path: str, sha256: str) -> LineIndex | None:
    """Where things are written in a record validated earlier, its file read again: None when it
    cannot be read, or no longer holds the bytes validated (`sha256`), whose lines would mislead."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    return LineIndex(raw, path) if hashlib.sha256(raw).hexdigest() == sha256 else None


def parse_bytes(data: bytes, source: str, fmt: str) -> Record:
    """Parse one input's bytes (`fmt` a syntax name) into a Record; InputError when it cannot be."""
    return Record(source=source, quads=parse(data, source, fmt), data=data, format=fmt)


_PREFIX_RE = re.compile(r"@?prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


class LineIndex:
    """Where things are written in a file: built once per file, however many lookups follow."""

    def __init__(self, data: bytes, source: str | None = None) -> None:
        """`source`: the file, where a JSON-LD record's relative context is found."""
        text = data.decode("utf-8", errors="replace")
        self.lines = text.splitlines()
        self.json = JsonLdLines.of(data, text, source)  # a JSON-LD record: its keys are terms, its ids compact
        self.prefixes = _PREFIX_RE.findall("\n".join(line for line in self.lines if "prefix" in line.lower()))
        self._starts: dict[str, int | None] = {}
        self._needles: dict[str, list[str]] = {}  # a record's findings name the same properties again and again
        self._blocks: list[int] | None = None  # the lines where a statement block begins, when first needed
        self._block_of: dict[int, range] = {}  # a block's first line -> its lines

    def needles(self, iri: str) -> list[str]:
        found = self._needles.get(iri)
        if found is None:
            found = [f"<{iri}>"]
            for prefix, namespace in self.prefixes:
                if iri.startswith(namespace) and len(iri) > len(namespace):
                    found.append(f"{prefix}:{iri[len(namespace):]}")
            found.append(f'"{iri}"')
            self._needles[iri] = found
        return found

    def start_of(self, iri: str) -> int | None:
        if iri not in self._starts:
            subject = self.needles(iri)
            lines = self.lines
            start = next((n for n, line in enumerate(lines) if line.lstrip().startswith(tuple(subject))), None)
            if start is None:
                start = next((n for n, line in enumerate(lines) if any(x in line for x in subject)), None)
            self._starts[iri] = start
        return self._starts[iri]

    def line_of(self, node: Node, path: str | None = None, value: str | None = None, *,
                written: bool = True) -> int | None:
        """`written`: the finding is about a value written under `path` (not one missing there)."""
        if self.json is not None:
            return self.json.line_of(str(node) if isinstance(node, URIRef) else None, path, value, written)
        start = self.start_of(str(node)) if isinstance(node, URIRef) else None
        if start is None:  # a nested node (blank, or skolemized): its path, when written on one line only
            return self._only_line(path) if path and written else None
        if value == str(node):  # a node shape's result on the node itself: its path is what is written
            value = None
        values = [w for w in (self.needles(value) if value and "://" in value else [value] if value else []) if w]
        paths = [w for w in (self.needles(path) if path else []) if w]
        if not (values or paths):
            return start + 1
        lines = _Lines(self.lines, self._block_lines((start, *self._later_blocks(str(node), start))))
        # the value under its path (on the path's line, or in the object list that goes on from it);
        # else the value anywhere, else the path: the same wrong value under two properties is
        # found under the one the finding is about
        if values and paths:
            for n in lines.under(values, paths):
                return n + 1
        for wanted in (values, paths):
            found = lines.first(wanted)
            if found is not None:
                return found + 1
        return start + 1

    def _only_line(self, iri: str) -> int | None:
        wanted = [w for w in self.needles(iri)[:-1] if w]  # <iri> and prefixed names, not the quoted form
        # a whole name: dcat:hadRol is not in "dcat:hadRole"
        pattern = re.compile("|".join(re.escape(w) + r"(?![\w.-])" for w in wanted))
        found = [n for n, line in enumerate(self.lines) if pattern.search(line)]
        return found[0] + 1 if len(found) == 1 else None

    def _block_lines(self, blocks: tuple[int, ...]) -> list[int]:
        """The lines of the subject's first block, then of any later one (`<x> owl:sameAs <y> .`
        then `<x> a ...`)."""
        found: list[int] = []
        for block in blocks:
            lines = self._block_of.get(block)
            if lines is None:
                end = next((n for n in range(block + 1, len(self.lines)) if _begins_subject(self.lines[n])),
                           len(self.lines))
                lines = self._block_of[block] = range(block, end)
            found += lines
        return found

    def _later_blocks(self, iri: str, start: int) -> list[int]:
        """The lines after `start` where a statement block about `iri` begins (written unindented)."""
        if self._blocks is None:
            self._blocks = [n for n, line in enumerate(self.lines) if _begins_subject(line)]
        subject = tuple(self.needles(iri)[:-1])  # <iri> and prefixed names, not the quoted form
        return [n for n in self._blocks if n > start and self.lines[n].startswith(subject)]


class _Lines:
    """Some lines of a file (a subject's blocks), searched as one text: a finding's needles are
    found by str.find rather than tested on every line (a record's findings each scanned its
    subject's lines several times: a fifth of a validation's time outside the store)."""

    def __init__(self, all_lines: list[str], numbers: list[int]) -> None:
        self.all_lines = all_lines
        self.numbers = numbers
        self.text = "\n".join(all_lines[n] for n in numbers)
        self.starts: list[int] = []  # where each line begins in the text
        offset = 0
        for n in numbers:
            self.starts.append(offset)
            offset += len(all_lines[n]) + 1

    def _hits(self, wanted: list[str]) -> list[int]:
        """The positions (in `numbers`) of the lines that hold any of `wanted`, in order. A
        needle never spans two lines: one holding a line break is never found, as line by line."""
        hits: set[int] = set()
        for needle in wanted:
            if not needle or "\n" in needle:
                continue
            at = self.text.find(needle)
            while at != -1:
                index = bisect_right(self.starts, at) - 1
                hits.add(index)
                # on to the next line: a line counts once
                at = self.text.find(needle, self.starts[index + 1]) if index + 1 < len(self.starts) else -1
        return sorted(hits)

    def first(self, wanted: list[str]) -> int | None:
        hits = self._hits(wanted)
        return self.numbers[hits[0]] if hits else None

    def under(self, values: list[str], paths: list[str]) -> Iterator[int]:
        """The lines holding a value under one of `paths`: on a path's line, or on a line of
        the object list going on from it (no line between ends in ';' or '.')."""
        with_path = set(self._hits(paths))
        for index in self._hits(values):
            at = index
            while True:
                if at in with_path:
                    yield self.numbers[index]
                    break
                # the line before, in the file (the last line before the first: as Python indexes)
                if at == 0 or _ends_objects(self.all_lines[self.numbers[at] - 1]):
                    break
                at -= 1


def _ends_objects(line: str) -> bool:
    """A line after which a new predicate (or subject) begins: it ends in ';' or '.'."""
    return line.rstrip().endswith((";", "."))


def _begins_subject(line: str) -> bool:
    """A Turtle line that starts a statement block: not indented, not a comment or a closing bracket."""
    return line[:1] not in ("", " ", "\t", "#", "]", ")")


__all__ = ["LineIndex", "Record", "parse_bytes"]
