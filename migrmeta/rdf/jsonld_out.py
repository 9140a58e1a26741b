"""JSON-LD output: compaction with the project's context, written deterministically.

Compaction follows the JSON-LD 1.1 algorithm (inverse context, term selection, value
compaction) for the features the project's context uses: prefixes, `id`/`type` aliases,
terms with @type (@id, @vocab or a datatype) and @set/@language containers. A context that
uses anything else (@vocab, @reverse, @nest, scoped contexts, @base, protected terms...) is
refused with an error rather than compacted wrongly. Node objects are compacted straight from
the statements, without their expanded form: the term for each property and kind of value is
selected once. tests/rdf/test_jsonld_out.py (every kind of value) and
tests/publishing/test_publish.py check the output against pyld (compacting its own expansion
gives it back unchanged) and read every file back with rdflib and pyld; this is ~50x faster
than pyld on a large catalogue and needs no network access (the context is read from
ontology/context.jsonld).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from functools import cache
from typing import NamedTuple, cast

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta import resources
from migrmeta.jsontext import document_text, json_text
from migrmeta.namespaces import IS_TYPE, PLAIN_DATATYPES
from migrmeta.rdf.curie import JSONLD_LOCAL, Curies
from migrmeta.rdf.skolem import IRI, LITERAL, encode, is_skolem, kind_of, skolem_map

Triple = tuple[Node, Node, Node]
# Context features the compactor implements; anything else in a context is refused.
_TERM_KEYS = {"@id", "@type", "@container"}
_CONTAINERS = {"@set", "@language"}
_CONTEXT_KEYWORDS = {"@version"}


def _key(term: Node) -> tuple[int, str]:
    return (0, str(term)) if isinstance(term, URIRef) else (1, str(term))


class UnsupportedContext(ValueError):
    """The context uses a JSON-LD feature this compactor does not implement."""


class _Slot(NamedTuple):
    """The term a property's values of one kind compact to, and that term's definition."""

    term: str
    is_set: bool  # @container @set: always an array
    language_map: bool  # @container @language: texts by language tag
    kind: object  # the term's @type: "@id", "@vocab", a datatype IRI, or None


def _first(pair: tuple[str, object]) -> str:
    return pair[0]


JsonObject = dict[str, object]


class JsonLdCompactor:
    def __init__(self, context: Mapping[str, object], context_iri: str) -> None:
        self.context_iri = context_iri
        _check_supported(context)
        raw = {k: v for k, v in context.items() if not k.startswith("@")}
        self.aliases: dict[str, str] = {}
        self.terms: dict[str, dict[str, object]] = {}
        for term, value in raw.items():
            if value in ("@id", "@type"):
                self.aliases[str(value)] = term
                continue
            definition = value if isinstance(value, dict) else {"@id": value}
            entry: dict[str, object] = {"@id": self._expand(str(definition["@id"]), raw)}
            if "@type" in definition:
                kind = str(definition["@type"])
                entry["@type"] = kind if kind.startswith("@") else self._expand(kind, raw)
            container = definition.get("@container", [])
            entry["@container"] = [container] if isinstance(container, str) else list(container)  # type: ignore[arg-type]
            entry["_prefix"] = isinstance(value, str) and value.endswith((":", "/", "?", "#", "[", "]", "@"))
            self.terms[term] = entry
        self.inverse = self._inverse()
        self.curies = Curies({t: str(e["@id"]) for t, e in self.terms.items() if e["_prefix"]}, JSONLD_LOCAL)
        self.type_terms: dict[str, str] = {}
        self.curie_cache: dict[str, str] = {}
        self.slots: dict[tuple[Node, str, str], _Slot] = {}
        self.vocab_references: dict[str, bool] = {}
        # skolem IRIs that stand for blank nodes of the input (a query's answer): written "_:label"
        self.blank_labels: Mapping[str, str] = {}

    @staticmethod
    def _expand(value: str, raw: Mapping[str, object]) -> str:
        prefix, _, local = value.partition(":")
        if local and not local.startswith("//") and isinstance(raw.get(prefix), str):
            return f"{raw[prefix]}{local}"
        return value

    def _inverse(self) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
        inverse: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
        for term in sorted(self.terms, key=lambda t: (len(t), t)):
            entry = self.terms[term]
            container = "".join(sorted(_strings(entry["@container"]))) or "@none"
            maps = inverse.setdefault(str(entry["@id"]), {}).setdefault(
                container, {"@language": {}, "@type": {}})
            if "@type" in entry:
                maps["@type"].setdefault(str(entry["@type"]), term)
            else:
                maps["@language"].setdefault("@none", term)
                maps["@type"].setdefault("@none", term)
        return inverse

    # IRI compaction ------------------------------------------------------------------------

    def keyword(self, keyword: str) -> str:
        return self.aliases.get(keyword, keyword)

    def curie(self, iri: str) -> str:
        cached = self.curie_cache.get(iri)
        if cached is None:
            cached = self.curie_cache[iri] = self._curie(iri)
        return cached

    def _curie(self, iri: str) -> str:
        """The one CURIE rule (rdf.curie) over the context's own prefixes; a compact IRI that
        would read as a term of the context is not used (JSON-LD 1.1, IRI compaction)."""
        candidate = self.curies.name(iri)
        if candidate.startswith("<") or candidate in self.terms:
            return iri
        return candidate

    def vocab_term(self, iri: str, kind: str, value: str) -> str:
        """Term selection (JSON-LD 1.1 IRI compaction) for a property and a kind of value:
        ("@id", "@vocab" or "@id") a node, the first when the node is a term of the context;
        ("@language", tag) a tagged text; ("@type", datatype) a typed one; ("@language",
        "@null") a plain string."""
        node = kind == "@id"
        prefs: tuple[str, ...]
        if node:
            kind, prefs = "@type", (value, "@vocab" if value == "@id" else "@id", "@none")
            value = "@id"
        else:
            prefs = (value, "@none")
        containers = ["@id", "@id@set", "@type", "@set@type"] if node else []
        if kind == "@language" and value != "@null":
            containers += ["@language", "@language@set"]
        containers += ["@set", "@none", "@index", "@index@set"]
        if value == "@null":
            containers += ["@language", "@language@set"]
        for container in containers:
            maps = self.inverse.get(iri, {}).get(container)
            if maps is not None:
                chosen = next((maps[kind][p] for p in prefs if p in maps[kind]), None)
                if chosen is not None:
                    return chosen
        return self.curie(iri)

    def type_term(self, iri: str) -> str:
        """An IRI compacted as a vocabulary term, without a value (types, datatypes)."""
        cached = self.type_terms.get(iri)
        if cached is None:
            for container in ("@set", "@none"):
                maps = self.inverse.get(iri, {}).get(container)
                if maps is not None:
                    cached = next((maps["@type"][p] for p in ("@id", "@none") if p in maps["@type"]), None)
                    if cached is not None:
                        break
            cached = cached or self.curie(iri)
            self.type_terms[iri] = cached
        return cached

    # node and value compaction ------------------------------------------------------------

    def node_object(self, by_subject: Mapping[Node, Mapping[Node, set[Node]]], subject: Node,
                    stack: tuple[Node, ...] = ()) -> JsonObject:
        """The compacted node object of `subject`, straight from its statements, its skolem
        nodes embedded: what compacting its expanded form gives (JSON-LD 1.1, compaction),
        without building that form (a dict per value, read back: 40% of the time)."""
        stack = (*stack, subject)
        predicates = by_subject[subject]
        # the expanded form's keys, sorted as compaction walks them: "@id", "@type", property IRIs
        keys: list[tuple[str, Node | None]] = [("@id", None)]
        for predicate, objects in predicates.items():
            if predicate in IS_TYPE and all(type(o) is URIRef or kind_of(o) is IRI for o in objects):
                keys.append(("@type", predicate))
            else:
                keys.append((str(predicate), predicate))
        keys.sort(key=_first)
        out: JsonObject = {}
        for key, found in keys:
            if found is None:
                iri = str(subject)
                out[self.keyword("@id")] = (self.blank_labels.get(iri) if self.blank_labels else None) \
                    or self.curie(iri)
                continue
            predicate, objects = found, predicates[found]
            ordered = sorted(objects, key=encode) if len(objects) > 1 else objects
            if key == "@type":
                types = [self.type_term(str(o)) for o in ordered]
                out[self.keyword("@type")] = types[0] if len(types) == 1 else types
                continue
            for o in ordered:
                self._add_object(out, predicate, o, by_subject, stack)
        return out

    def _add_object(self, out: JsonObject, predicate: Node, o: Node,
                    by_subject: Mapping[Node, Mapping[Node, set[Node]]], stack: tuple[Node, ...]) -> None:
        if type(o) is not URIRef and kind_of(o) is LITERAL:
            assert isinstance(o, Literal)
            language, datatype = o.language, o.datatype
            if language:
                signature: tuple[str, str] = ("@language", language)
            elif datatype not in PLAIN_DATATYPES:
                signature = ("@type", str(datatype))
            else:
                signature = ("@language", "@null")
            slot = self._slot(predicate, signature)
            value: object = str(o)
            if signature[0] == "@type" and signature[1] != slot.kind:
                value = {self.keyword("@type"): self.type_term(signature[1]), "@value": value}
            elif language and not slot.language_map:
                value = {"@language": language, "@value": value}
            if slot.language_map:  # a plain or tagged text (typed values never select such a term)
                _add_value(out.setdefault(slot.term, {}), language or "@none", value, slot.is_set)  # type: ignore[arg-type]
            else:
                _add_value(out, slot.term, value, slot.is_set)
            return
        reference = str(o)
        slot = self._slot(predicate, ("@id", "@vocab" if self._vocab_reference(reference) else "@id"))
        if is_skolem(o) and o in by_subject and o not in stack:
            value = self.node_object(by_subject, o, stack)
        else:
            compacted = (self.blank_labels.get(reference) if self.blank_labels else None) or (
                self.type_term(reference) if slot.kind == "@vocab" else self.curie(reference))
            value = compacted if slot.kind in ("@id", "@vocab") else {self.keyword("@id"): compacted}
        _add_value(out, slot.term, value, slot.is_set)

    def _vocab_reference(self, reference: str) -> bool:
        """Whether a node reference is itself a term of the context (then @vocab is preferred)."""
        found = self.vocab_references.get(reference)
        if found is None:
            found = self.vocab_references[reference] = reference in self.inverse and \
                str(self.terms.get(self.type_term(reference), {}).get("@id")) == reference
        return found

    def _slot(self, predicate: Node, signature: tuple[str, str]) -> _Slot:
        """Where values of one kind (`vocab_term`) of a property go: the term selected for
        them and its definition, found once for each kind."""
        key = (predicate, *signature)
        slot = self.slots.get(key)
        if slot is None:
            term = self.vocab_term(str(predicate), *signature)
            entry = self.terms.get(term, {})
            container = _strings(entry.get("@container", []))
            slot = self.slots[key] = _Slot(term, "@set" in container, "@language" in container, entry.get("@type"))
        return slot

    def document(self, nodes: list[JsonObject], context: object | None = None) -> JsonObject:
        """Top-level document; one node is unwrapped, several go in @graph (as pyld does).

        The context is referenced by its IRI unless `context` gives what to write instead
        (the context itself, for a self-contained document)."""
        ref = self.context_iri if context is None else context
        if len(nodes) == 1:
            return {"@context": ref, **nodes[0]}
        return {"@context": ref, "@graph": nodes}


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _add_value(target: dict[str, object], key: str, value: object, as_array: bool) -> None:
    if key in target:
        existing = target[key]
        if not isinstance(existing, list):
            target[key] = existing = [existing]
        existing.append(value)
    else:
        target[key] = [value] if as_array else value


def _objects_by_predicate() -> defaultdict[Node, set[Node]]:
    return defaultdict(set)


def jsonld_nodes(triples: Iterable[Triple], roots: Sequence[Node], compactor: JsonLdCompactor) -> list[JsonObject]:
    """Compacted node objects for `roots`, in that order, with skolem nodes embedded.

    Every skolem node is embedded where it is used (in each place if used twice), so a
    survey is one object; the subjects not listed in roots nor embedded follow, sorted.
    """
    by_subject: dict[Node, dict[Node, set[Node]]] = defaultdict(_objects_by_predicate)
    referenced: set[Node] = set()
    for s, p, o in triples:
        by_subject[s][p].add(o)
        if is_skolem(o):
            referenced.add(o)

    listed = [r for r in roots if r in by_subject]
    listed_set = set(listed)
    extra = sorted((s for s in by_subject if s not in listed_set and s not in referenced), key=_key)
    written = [*listed, *extra]
    # skolem nodes only other skolem nodes reach, in a cycle (a knows b, b knows a): written at
    # the top too, the first in IRI order, or they would be in no object at all
    unreached = _unreached(by_subject, written, referenced)
    while unreached:
        first = min(unreached, key=_key)
        written.append(first)
        unreached -= _reached(by_subject, [first]) | {first}
    return [compactor.node_object(by_subject, s) for s in written]


def _reached(by_subject: Mapping[Node, Mapping[Node, set[Node]]], starts: Iterable[Node]) -> set[Node]:
    """The skolem nodes described here that the nodes `starts` embed, however deep."""
    seen: set[Node] = set()
    todo = list(starts)
    while todo:
        for objects in by_subject.get(todo.pop(), {}).values():
            for o in objects:
                if o not in seen and is_skolem(o) and o in by_subject:
                    seen.add(o)
                    todo.append(o)
    return seen


def _unreached(by_subject: Mapping[Node, Mapping[Node, set[Node]]], written: list[Node],
               referenced: set[Node]) -> set[Node]:
    described = {o for o in referenced if o in by_subject}
    return described - _reached(by_subject, written) if described else set()


@cache
def _project_context() -> object:
    return json.loads(resources.context_file().read_text(encoding="utf-8"))["@context"]


@cache
def _context_block() -> str:
    """The project's context as an indented document writes it one level down (the value of a
    top-level "@context")."""
    return json_text(_project_context()).replace("\n", "\n  ")


@cache
def project_compactor() -> JsonLdCompactor:
    from migrmeta.namespaces import CONTEXT_IRI

    document = json.loads(resources.context_file().read_text(encoding="utf-8"))
    return JsonLdCompactor(document["@context"], CONTEXT_IRI)


def jsonld(triples: Iterable[Triple], roots: Sequence[Node], *, one_per_line: bool = False,
           self_contained: bool = False, blank_labels: Mapping[str, str] | None = None) -> str:
    """A compacted JSON-LD document; `one_per_line` writes one node object per line;
    `self_contained` writes the context in the document (readable with no network) instead
    of its IRI; `blank_labels` gives the skolem IRIs written as blank nodes ("_:b1f..."),
    each by its label (`blank_nodes_labelled`)."""
    compactor = project_compactor()
    if blank_labels:
        compactor = copy(compactor)  # the caches shared, the labels this document's own
        compactor.blank_labels = blank_labels
    nodes = jsonld_nodes(list(triples), roots, compactor)
    if not one_per_line:
        text = document_text(compactor.document(nodes, None))  # orjson: the nodes hold no float
        if self_contained:  # the context, written once (its "@version": 1.1 by json_text), in the IRI's place
            named = f'"@context": {json.dumps(compactor.context_iri)}'
            text = text.replace(named, f'"@context": {_context_block()}', 1)
        return text + "\n"
    dumped = [json.dumps(n, ensure_ascii=False) for n in nodes]
    context_text = json.dumps(_project_context() if self_contained else compactor.context_iri, ensure_ascii=False)
    return f'{{"@context": {context_text},\n "@graph": [\n' + ",\n".join(dumped) + "\n]}\n"


def blank_nodes_labelled(triples: Iterable[Triple]) -> tuple[list[Triple], dict[str, str]]:
    """The triples with each blank node as a skolem IRI of its own, named from its content (the
    same graph gives the same document, and a node used once is embedded where it is used),
    and the label `jsonld` writes each of these IRIs as, so that the document holds blank
    nodes again, not IRIs. Two nodes of the same content stay two (`-2` after the second's
    label), told apart by what refers to them."""
    triples = list(dict.fromkeys(triples))
    mapping: Mapping[Node, URIRef] = cast(Mapping[Node, URIRef], skolem_map(triples))
    incoming: dict[Node, list[str]] = defaultdict(list)
    for s, p, o in triples:
        if o in mapping:
            incoming[o].append(f"{mapping.get(s) or encode(s)} {encode(p)}")
    by_content: dict[URIRef, list[Node]] = defaultdict(list)
    for node, iri in mapping.items():
        by_content[iri].append(node)
    named: dict[Node, Node] = {}
    labels: dict[str, str] = {}
    for iri, nodes in by_content.items():
        nodes.sort(key=lambda n: sorted(incoming.get(n, ())))
        for index, node in enumerate(nodes):
            suffix = f"-{index + 1}" if index else ""
            named[node] = URIRef(f"{iri}{suffix}")
            labels[f"{iri}{suffix}"] = "_:b" + str(iri).rsplit("/", 1)[-1][:16] + suffix
    return [(named.get(s, s), p, named.get(o, o)) for s, p, o in triples], labels


def _check_supported(context: Mapping[str, object]) -> None:
    for key in context:
        if key.startswith("@") and key not in _CONTEXT_KEYWORDS:
            raise UnsupportedContext(f"the JSON-LD compactor does not implement {key} in a context")
    for term, value in context.items():
        if term.startswith("@") or isinstance(value, str):
            continue
        if not isinstance(value, dict):
            raise UnsupportedContext(f"term {term!r}: a definition must be a string or an object")
        unknown = set(value) - _TERM_KEYS
        if unknown:
            raise UnsupportedContext(f"term {term!r} uses {', '.join(sorted(unknown))}, which the JSON-LD "
                                     "compactor does not implement (e.g. @reverse, @nest, scoped @context)")
        container = value.get("@container", [])
        containers = {container} if isinstance(container, str) else set(container)
        if not containers <= _CONTAINERS:
            raise UnsupportedContext(f"term {term!r}: container {sorted(containers - _CONTAINERS)} is not implemented")
