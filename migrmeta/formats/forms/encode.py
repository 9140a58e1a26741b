"""Record graph -> form: plain words where the field table allows, else a generic form.

Export is lossless: a value is written in plain words (a code, an agency id, a year) only when
it decodes back to the same term (checked with form_decode's `Decoder`); anything else is kept
generically (`"<iri>"`, `{value:, lang:|datatype:}`, `other:`, `types:`). Values are sorted, so
the same graph gives the same form; docs/form-schema.md has the rules.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import InputError
from migrmeta.formats.forms.answers import Vocabulary
from migrmeta.formats.forms.decode import Decoder
from migrmeta.formats.forms.fields import (
    AGENCY_TYPES,
    DEFAULT_LANG,
    NONE_LANG,
    SECTION,
    SECTIONS,
    Field,
    Section,
)
from migrmeta.namespaces import AGENCY, DCT, MM, RDF, SURVEY, XSD
from migrmeta.rdf.curie import curie
from migrmeta.values.agencies import Agencies
from migrmeta.values.errors import BadValue
from migrmeta.values.text import is_slug


class Exporter:
    """A record graph -> a form dict."""

    def __init__(self, graph: Graph, vocab: Vocabulary, source: str = "<graph>") -> None:
        self.graph = graph
        self.vocab = vocab
        self.source = source
        self.decoder = Decoder(vocab, Agencies())
        refs = Counter(o for o in graph.objects() if isinstance(o, BNode))
        bad = sorted(str(b) for b in set(graph.subjects()) if isinstance(b, BNode) and refs[b] != 1)
        if bad:
            raise InputError(source, f"a blank node is used {refs[BNode(bad[0])]} times; a form "
                             "can only hold blank nodes used once", hint="give it an IRI")
        self._stack: list[Node] = []

    def form(self) -> dict[str, Any]:
        entities: dict[str, list[dict[str, Any]]] = {s.name: [] for s in SECTIONS}
        for subject in sorted({s for s in self.graph.subjects() if isinstance(s, URIRef)}):
            section = self.section_of(subject)
            entities[section.name].append(self.entity(subject, section))
        total = sum(len(v) for v in entities.values())
        if total == 1 and entities["surveys"]:
            return entities["surveys"][0]
        return {name: found for name, found in entities.items() if found}

    def section_of(self, subject: URIRef) -> Section:
        types = set(self.graph.objects(subject, RDF.type))
        if MM.SurveySeries in types:
            return SECTION["series"]
        if MM.Survey in types:
            return SECTION["surveys"]
        if types & set(AGENCY_TYPES):
            return SECTION["agencies"]
        return SECTION["resources"]

    def entity(self, subject: URIRef, section: Section) -> dict[str, Any]:
        local = str(subject)[len(section.namespace):] if str(subject).startswith(section.namespace) else ""
        ident = local if is_slug(local) else f"<{subject}>"
        data: dict[str, Any] = {"id": ident}
        data.update(self.describe(subject, section.fields, section.types))
        if section.name in ("series", "surveys") and is_slug(local):
            ids = list(self.graph.objects(subject, DCT.identifier))
            if ids == [Literal(local)]:
                data.pop("identifier")
            elif not ids:
                data["identifier"] = []
        return data

    def describe(self, node: Node, fields: tuple[Field, ...], types: tuple[URIRef, ...]) -> dict[str, Any]:
        if node in self._stack:
            raise InputError(self.source, "blank nodes refer to each other in a cycle; a form "
                             "cannot hold that")
        self._stack.append(node)
        data: dict[str, Any] = {}
        found = _nodes(self.graph.objects(node, RDF.type))
        if set(found) != set(types):
            data["types"] = _ordered([curie(t) if isinstance(t, URIRef) else self.generic(t)
                                      for t in found])
        for f in fields:
            values = _nodes(self.graph.objects(node, f.prop))
            if values:
                data[f.key] = self.encode(f, values)
        known = {f.prop for f in fields} | {RDF.type}
        other: dict[str, Any] = {}
        for prop in _nodes(set(self.graph.predicates(node)) - known):
            other[curie(prop)] = _ordered([self.generic(v) for v in self.graph.objects(node, prop)])
        if other:
            data["other"] = other
        self._stack.pop()
        return data

    def encode(self, f: Field, values: list[Node]) -> Any:
        if f.kind in DEFAULT_LANG:
            return self.encode_texts(f, values)
        encoded = [self.encode_one(f, v) for v in values]
        encoded = _ordered(encoded)
        return encoded[0] if len(encoded) == 1 and not f.multi else encoded

    def encode_one(self, f: Field, value: Node) -> Any:
        if f.kind == "node" and isinstance(value, BNode):
            return self.describe(value, f.fields, (f.node_type,) if f.node_type else ())
        simple = self._simple(f, value)
        if simple is not None and self._decodes_to(f, simple, value):
            return simple
        return self.generic(value)

    def _simple(self, f: Field, value: Node) -> Any:
        if isinstance(value, URIRef):
            if f.kind == "iri":
                return str(value)
            if f.kind in ("concept", "country"):
                return self.vocab.code_of(str(value), f.scheme or "country")
            namespace = {"agency": str(AGENCY), "survey": str(SURVEY)}.get(f.kind)
            if namespace and str(value).startswith(namespace):
                return str(value)[len(namespace):]
            return None
        if not isinstance(value, Literal):
            return None
        text = str(value)
        if f.kind == "date" and value.datatype == XSD.gYear and text.isdigit():
            return int(text)
        if f.kind == "date" and value.datatype in (XSD.gYearMonth, XSD.date):
            return text
        if f.kind == "integer" and value.datatype == XSD.integer:
            return int(text) if text.lstrip("-").isdigit() else None
        if f.kind == "boolean" and value.datatype == XSD.boolean:
            return {"true": True, "false": False}.get(text)
        return None

    def _decodes_to(self, f: Field, simple: Any, value: Node) -> bool:
        try:
            return self.decoder.scalar(f, simple, lenient=True) == value
        except BadValue:
            return False

    def encode_texts(self, f: Field, values: list[Node]) -> Any:
        default = DEFAULT_LANG[f.kind]
        plain: list[str] = []
        by_lang: dict[str, list[str]] = {}
        generic: list[Any] = []
        for v in values:
            if not isinstance(v, Literal) or v.datatype not in (None, XSD.string):
                generic.append(self.generic(v))
                continue
            text = str(v)
            clean = text.strip() == text and text and not text.startswith("[")
            if not clean:
                generic.append(self.generic(v))
            elif (v.language or None) == default:
                plain.append(text)
                by_lang.setdefault(default or NONE_LANG, []).append(text)
            else:
                by_lang.setdefault(v.language or NONE_LANG, []).append(text)
        if not generic and len(by_lang) <= 1 and plain:
            return plain[0] if len(plain) == 1 and not f.multi else sorted(plain)
        if not generic:
            keys = sorted(by_lang, key=lambda k: (k != "en", k == NONE_LANG, k))
            return {k: (by_lang[k][0] if len(by_lang[k]) == 1 else sorted(by_lang[k])) for k in keys}
        entries: list[Any] = [*plain, *generic]
        for lang, texts in by_lang.items():
            if lang != (default or NONE_LANG):
                entries += [{"value": t, "lang": lang} if lang != NONE_LANG else {"value": t}
                            for t in texts]
        return _ordered(entries)

    def generic(self, value: Node) -> Any:
        if isinstance(value, URIRef):
            return f"<{value}>"
        if isinstance(value, Literal):
            if value.language:
                return {"value": str(value), "lang": value.language}
            if value.datatype and value.datatype != XSD.string:
                return {"value": str(value), "datatype": curie(value.datatype)}
            return {"value": str(value)}
        return {"node": self.describe(value, (), ())}


def _nodes(nodes: Iterable[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (type(n).__name__, str(n)))


def _ordered(values: list[Any]) -> list[Any]:
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))


def graph_to_form(graph: Graph, vocab: Vocabulary, source: str = "<graph>") -> dict[str, Any]:
    """A record (one survey, or a series with rounds, agencies ...) -> its form."""
    return Exporter(graph, vocab, source).form()
