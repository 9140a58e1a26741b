"""Where a statement is written in a JSON-LD record: the line of a node's "@id", of a key its
context maps to a property, of a value under that key.

A Turtle record is searched for IRIs and prefixed names as written (load/record.LineIndex); a
JSON-LD one writes neither: its keys are the context's terms ("startDate" for dcat:startDate),
its ids compact IRIs ("survey:gb-ips"), and its nodes nest. So the document is read as JSON
tokens, each string or scalar with its line, the key it is the value of (through arrays, and
through value objects such as {"@value": ..., "@language": ...}) and the node object it
belongs to; the contexts (its own, and migrmeta's named by IRI, read from the package, never
fetched) say which keys and compact IRIs stand for which IRI. The context's own lines are never
taken for the data's. Best effort, for messages: None where it cannot tell.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from migrmeta.errors import InputError
from migrmeta.rdf.jsonld_in import members, resolve_contexts

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|-?\d[\d.eE+-]*|true|false|null')
_VALUE_KEYS = {"@value", "@language", "@direction", "@index"}


@dataclass
class _Object:
    parent: int | None
    held_by: str | None  # the key it is the value of (through arrays)
    in_context: bool
    keys: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Token:
    line: int  # 1-based
    text: str  # a string's content, or a scalar as written
    is_key: bool
    owner: str | None  # the key whose value it is (for a key: itself)
    node: int  # the node object it belongs to


class JsonLdLines:
    """The lines of one JSON-LD document's data (`of` gives None for anything else)."""

    def __init__(self, document: Any, text: str) -> None:
        self.iris: dict[str, set[str]] = {}  # IRI -> the terms and compact IRIs that stand for it
        self.prefixes: list[tuple[str, str]] = []
        self.id_keys, self.type_keys = {"@id"}, {"@type"}
        self._read_contexts(document)
        self.objects: list[_Object] = []
        self.tokens = [t for t in self._tokens(text) if not self.objects[t.node].in_context]
        self.nodes = [self._node_of(n) for n in range(len(self.objects))]  # each object's node object
        self.by_node: dict[int, list[_Token]] = {}
        for token in self.tokens:
            self.by_node.setdefault(self.nodes[token.node], []).append(token)
        self.ids: dict[str, list[_Token]] = {}  # an "@id" as written -> its tokens, in a node object's own
        self.key_lines: dict[str, set[int]] = {}  # a key as written -> the lines it is written on
        for token in self.tokens:
            if not token.is_key and token.owner in self.id_keys and self.nodes[token.node] == token.node:
                self.ids.setdefault(token.text, []).append(token)
            elif token.is_key:
                self.key_lines.setdefault(token.text, set()).add(token.line)

    @classmethod
    def of(cls, data: bytes, text: str, source: str | None = None) -> JsonLdLines | None:
        """`source`: the record's file, against which a relative context is found (none: a
        relative context is not read, never one of the working directory)."""
        if data.lstrip()[:1] not in (b"{", b"["):
            return None
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):  # not JSON: Turtle's `[ ... ] .`, TriG's `{ ... }`
            return None
        with suppress(InputError):  # a context given with --context: its own terms unknown here
            document = resolve_contexts(document, source if source and os.path.isfile(source) else "<stdin>")
        return cls(document, text) if isinstance(document, dict | list) else None

    # --- what stands for an IRI ---------------------------------------------------------------

    def _read_contexts(self, document: Any) -> None:
        contexts = [c for key, item in members(document) if key == "@context"
                    for c in (item if isinstance(item, list) else [item]) if isinstance(c, dict)]
        for context in contexts:  # prefixes first: a term's IRI may be written with one
            for term, value in context.items():
                if isinstance(value, str) and not term.startswith("@") and value.endswith(("/", "#", ":")):
                    self.prefixes.append((term, value))
        for context in contexts:
            for term, value in context.items():
                target = value.get("@id") if isinstance(value, dict) else value
                if term.startswith("@") or not isinstance(target, str):
                    continue
                if target == "@id":
                    self.id_keys.add(term)
                elif target == "@type":
                    self.type_keys.add(term)
                elif not target.startswith("@"):
                    self.iris.setdefault(self._expand(target), set()).add(term)

    def _expand(self, written: str) -> str:
        prefix, _, local = written.partition(":")
        namespace = next((ns for p, ns in self.prefixes if p == prefix), None)
        return namespace + local if namespace is not None and not local.startswith("//") else written

    def forms(self, iri: str) -> set[str]:
        """How the IRI may be written: in full, as a compact IRI, as a term."""
        found = {iri, *self.iris.get(iri, ())}
        found.update(f"{p}:{iri[len(ns):]}" for p, ns in self.prefixes if iri.startswith(ns) and len(iri) > len(ns))
        return found

    # --- the tokens ---------------------------------------------------------------------------

    def _tokens(self, text: str) -> Iterator[_Token]:
        line, at = 1, 0
        frames: list[tuple[str, int | None, str | None]] = []  # ("o", object, key) or ("a", None, None)
        expect_key = False
        for match in _TOKEN.finditer(text):
            line += text.count("\n", at, match.start())
            at = match.start()
            token = match.group()
            if token in "{[":
                owner = frames[-1][2] if frames else None
                parent = self._enclosing(frames)
                in_context = owner == "@context" or (parent is not None and self.objects[parent].in_context)
                if token == "{":
                    self.objects.append(_Object(parent, owner, in_context))
                    frames.append(("o", len(self.objects) - 1, None))
                    expect_key = True
                else:
                    frames.append(("a", parent, frames[-1][2] if frames else None))
                continue
            if token in "}]":
                if frames:
                    frames.pop()
                expect_key = False
                continue
            if token == ",":
                expect_key = bool(frames) and frames[-1][0] == "o"
                continue
            if token == ":" or not frames:
                continue
            value = json.loads(token) if token.startswith('"') else token
            kind, obj, key = frames[-1]
            if expect_key and kind == "o" and obj is not None:
                frames[-1] = (kind, obj, value)
                self.objects[obj].keys.add(value)
                expect_key = False
                yield _Token(line, value, True, value, obj)
            elif obj is not None:
                yield _Token(line, value, False, key, obj)

    @staticmethod
    def _enclosing(frames: list[tuple[str, int | None, str | None]]) -> int | None:
        return next((obj for _, obj, _ in reversed(frames) if obj is not None), None)

    def _node_of(self, obj: int) -> int:
        """The node object a token of `obj` belongs to: a value object ({"@value": ...}) or a
        reference ({"@id": ...} alone) belongs to the node holding it."""
        while True:
            found = self.objects[obj]
            is_value = bool(found.keys & _VALUE_KEYS) or (bool(found.keys) and found.keys <= self.id_keys)
            if not is_value or found.parent is None:
                return obj
            obj = found.parent

    def _owner(self, token: _Token) -> str | None:
        """The key a value is under: a value object's own keys ("@value", "@language", its
        datatype) stand for the key holding the value object."""
        obj, key = token.node, token.owner
        while self.nodes[obj] != obj:
            key = self.objects[obj].held_by
            parent = self.objects[obj].parent
            if parent is None:
                break
            obj = parent
        return key

    # --- lines ----------------------------------------------------------------------------------

    def line_of(self, node: str | None, path: str | None, value: str | None, written: bool) -> int | None:
        """The line of the node's "@id" (None for a node written without one: then the path's
        key, when written once in the document), or of its `path` / `value` there."""
        starts = sorted((t for written_as in (self.forms(node) if node is not None else ())
                         for t in self.ids.get(written_as, ())), key=lambda t: t.line)
        keys = self.forms(path) if path else set()
        if not starts:  # a node with no id (looked up once per finding: never a pass over the tokens)
            if not written:
                return None
            lines = set().union(*(self.key_lines.get(k, ()) for k in keys))
            return next(iter(lines)) if len(lines) == 1 else None
        own = [t for n in sorted({t.node for t in starts}) for t in self.by_node.get(n, ())]
        if value == node:
            value = None
        values = (self.forms(value) if "://" in value else {value}) if value else set()
        if values and keys:
            found = next((t for t in own if not t.is_key and t.text in values and self._owner(t) in keys), None)
            if found is not None:
                return found.line
        for wanted, is_key in ((values, False), (keys, True)):
            found = next((t for t in own if t.is_key == is_key and t.text in wanted), None)
            if found is not None:
                return found.line
        return starts[0].line


__all__ = ["JsonLdLines"]
