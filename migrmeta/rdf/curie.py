"""One rule for prefixed names (CURIEs), for Turtle and for people.

The prefixes are the project's (namespaces.PREFIXES) and the concept-scheme prefixes of the
JSON-LD context (`st:`, `su:`, ...), so a value reads the same in a record, a report, a
query answer and a form. An IRI gets the prefix of the longest namespace it starts with,
when what is left is a valid Turtle local name; otherwise it is written whole, `<iri>`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta import resources
from migrmeta.namespaces import PLAIN_DATATYPES, PREFIXES
from migrmeta.rdf.skolem import BLANK, IRI, LITERAL, encode, escape_lexical, kind_of

# What may follow `prefix:` in each syntax: Turtle's local names (without escapes), and
# JSON-LD's compact IRIs (anything that does not read as `prefix://`).
TURTLE_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
JSONLD_LOCAL = re.compile(r"^(?!//)\S+$")


@cache
def project_prefixes() -> dict[str, str]:
    """prefix -> namespace: namespaces.PREFIXES, then the context's scheme prefixes."""
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    context = json.loads(resources.context_file().read_text(encoding="utf-8"))["@context"]
    for name, value in context.items():
        if isinstance(value, str) and value.endswith(("/", "#")) and name not in prefixes:
            prefixes[name] = value
    return prefixes


_CACHES: dict[tuple[tuple[str, str], ...], dict[str, tuple[str, str | None]]] = {}  # per prefixes and grammar
# The same for terms (an IRI or literal as written, and the prefix it uses), by the term itself:
# a publish writes a survey's IRIs, dates and codes in many documents, each with its own
# `written` (a survey's Turtle at 10,000 records: 0.186 -> 0.160 ms). Long texts (titles,
# descriptions) come back in few documents: not kept, so the cache stays a few MB.
_SHARED_TEXT = 80  # characters
_TERM_CACHES: dict[tuple[tuple[str, str], ...], dict[Node, tuple[str, str | None]]] = {}


class Curies:
    """IRIs -> prefixed names with one set of prefixes; remembers which prefixes were used.

    Lookups are cached per set of prefixes for the life of the process (catalogues repeat
    their IRIs).
    """

    def __init__(self, prefixes: Mapping[str, str] | None = None, local: re.Pattern[str] = TURTLE_LOCAL) -> None:
        self.prefixes = dict(project_prefixes() if prefixes is None else prefixes)
        self.local = local
        key = (*sorted(self.prefixes.items()), ("", local.pattern))
        self.by_namespace = {namespace: prefix for prefix, namespace in sorted(self.prefixes.items(), reverse=True)}
        self.cache = _CACHES.setdefault(key, {})
        self.terms = _TERM_CACHES.setdefault(key, {})
        self.used: set[str] = set()
        # IRIs and literals as written with these prefixes: a document (a TriG file: all its
        # graphs) names the same terms again and again
        self.written: dict[Node, str] = {}

    def _lookup(self, iri: str) -> tuple[str, str | None]:
        cut = len(iri)
        while True:  # the longest namespace first: split after the last '/' or '#', then earlier ones
            cut = max(iri.rfind("/", 0, cut), iri.rfind("#", 0, cut))
            if cut < 0:
                return f"<{iri}>", None
            prefix = self.by_namespace.get(iri[: cut + 1])
            if prefix is not None:
                local = iri[cut + 1:]
                return (f"{prefix}:{local}", prefix) if self.local.match(local) else (f"<{iri}>", None)

    def name(self, iri: str) -> str:
        """`prefix:local`, or `<iri>`."""
        found = self._named(str(iri))
        if found[1] is not None:
            self.used.add(found[1])
        return found[0]

    iri = name

    def term(self, term: Node) -> str:
        """A term as Turtle writes it: a prefixed name, `<iri>`, or a literal (datatype prefixed)."""
        found = self.written.get(term)
        if found is None:
            entry = self.terms.get(term)
            if entry is None:
                kind = kind_of(term)
                if kind is BLANK:  # a blank node's text is the document's to choose
                    return encode(term)
                entry = self._term(term, kind)
                if kind is IRI or len(entry[0]) <= _SHARED_TEXT:
                    self.terms[term] = entry
            found = self.written[term] = entry[0]
            if entry[1] is not None:
                self.used.add(entry[1])
        return found

    def _term(self, term: Node, kind: str) -> tuple[str, str | None]:
        """The term's text, and the prefix it uses (`kind`: skolem.kind_of's, known to the caller)."""
        if kind is IRI:
            return self._named(str(term))
        if kind is LITERAL:
            assert isinstance(term, Literal)  # for the type checker: kind_of said so
            datatype = term.datatype
            if datatype not in PLAIN_DATATYPES and datatype is not None and not term.language:
                name, prefix = self._named(str(datatype))
                return f'"{escape_lexical(str(term))}"^^{name}', prefix
        return encode(term), None

    def _named(self, iri: str) -> tuple[str, str | None]:
        found = self.cache.get(iri)
        if found is None:
            found = self.cache[iri] = self._lookup(iri)
        return found

    def header(self) -> str:
        """Turtle @prefix lines for the prefixes used so far, sorted."""
        return "".join(f"@prefix {p}: <{self.prefixes[p]}> .\n" for p in sorted(self.used))


def curie(iri: str | Node, prefixes: Mapping[str, str] | None = None) -> str:
    """`dct:title` for a property IRI, `<iri>` when no prefix fits."""
    if prefixes is None:  # the project's prefixes: one Curies for the process, not one per call
        global _PROJECT
        if _PROJECT is None:
            _PROJECT = Curies()
        return _PROJECT.name(str(iri))
    return Curies(prefixes).name(str(iri))


_PROJECT: Curies | None = None


def expand(name: str, prefixes: Mapping[str, str] | None = None) -> URIRef | None:
    """The IRI of `prefix:local` or `<iri>`; None when the prefix is unknown."""
    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    prefix, _, local = name.partition(":")
    namespaces = project_prefixes() if prefixes is None else prefixes
    if prefix in namespaces and local:
        return URIRef(namespaces[prefix] + local)
    return None


__all__ = ["JSONLD_LOCAL", "TURTLE_LOCAL", "Curies", "curie", "expand", "project_prefixes"]
