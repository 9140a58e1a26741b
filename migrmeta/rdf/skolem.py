"""Blank nodes -> stable IRIs derived from their content (skolemization).

A blank node has no identity outside the file it was parsed from: parse the same record
twice and its nodes get new labels, so a catalogue that keeps them would mint new
identities on every publish. Each blank node is replaced by

    https://w3id.org/migrmeta/.well-known/genid/<hash>

where <hash> is the SHA-256 of the canonical content of the node's subtree: its outgoing
statements, sorted, with nested blank nodes replaced by their own hashes. The same content
always gives the same IRI, whatever the input syntax, labels or statement order, and two
contributions holding the same nested node (the same period, the same attribution) share
it. Cycles between blank nodes (rare in records) are broken by a marker naming the depth
of the node they return to, so the result stays deterministic.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import cast

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from migrmeta.namespaces import BASE, PLAIN_DATATYPES, named

Triple = tuple[Node, Node, Node]

# RDF 1.1 Concepts §3.5: skolem IRIs live under /.well-known/genid/.
GENID = Namespace(f"{BASE}.well-known/genid/")
HASH_LENGTH = 32  # hex digits (128 bits): collisions are not a practical concern

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def escape_lexical(text: str) -> str:
    """Escape a literal's lexical form as canonical N-Triples does (RDFC-1.0)."""
    return _NEEDS_ESCAPE.sub(_escape, text)


# What kind of term an object is, by its class: rdflib's term classes are ABCs, whose
# isinstance() is a Python call each time it is false (millions of times in a publish).
IRI, LITERAL, BLANK, OTHER = "iri", "literal", "blank", "other"
_KINDS: dict[type, str] = {}


def kind_of(term: object) -> str:
    """IRI, LITERAL, BLANK or OTHER (subclasses of rdflib's classes count as theirs)."""
    kind = _KINDS.get(type(term))
    if kind is None:
        cls = type(term)
        kind = _KINDS[cls] = IRI if issubclass(cls, URIRef) else LITERAL if issubclass(cls, Literal) \
            else BLANK if issubclass(cls, BNode) else OTHER
    return kind


def encode(term: Node) -> str:
    """The canonical N-Triples form of an IRI or a literal (xsd:string written plain)."""
    kind = IRI if type(term) is URIRef else kind_of(term)  # most terms are IRIs: no call for them
    if kind is IRI:
        return f"<{term}>"
    if kind is LITERAL:
        assert isinstance(term, Literal)
        body = f'"{escape_lexical(str(term))}"'
        if term.language:
            return f"{body}@{term.language.lower()}"
        if term.datatype not in PLAIN_DATATYPES:
            return f"{body}^^<{term.datatype}>"
        return body
    if kind is BLANK:
        return f"_:{term}"
    raise TypeError(f"unsupported RDF term {term!r}")


_GENID = str(GENID)


def is_skolem(term: Node) -> bool:
    cls = type(term)
    if cls is Literal:  # the most common non-IRI: no call
        return False
    # str.startswith, not term.startswith: rdflib overrides it in Python
    return (cls is URIRef or kind_of(term) is IRI) and str.startswith(cast(str, term), _GENID)


GENID_BYTES = b"genid"  # a file without these bytes writes no skolem IRI (as written, or under a prefix)


def deskolemize(triples: Iterable[Triple], described_only: bool = False) -> list[Triple]:
    """The triples with each skolem IRI of migrmeta's (a published file's nested nodes) back to a
    blank node, which `skolemize` then names by its content again (RDF 1.1 Concepts §3.5 allows
    the round trip). A published file edited and contributed back kept the old IRI on a node
    whose content had changed: the merge then saw one period with two start years, where two
    periods were a conflict `--prefer` settles (the curator review). With `described_only`, a
    node the triples only point at keeps its IRI: it is described elsewhere (another file)."""
    triples = list(triples)
    described = {s for s, _, _ in triples if is_skolem(s)} if described_only else None
    blank: dict[Node, BNode] = {}

    def back(term: Node) -> Node:
        if not is_skolem(term) or (described is not None and term not in described):
            return term
        node = blank.get(term)
        if node is None:
            node = blank[term] = BNode(f"g{str(term)[len(_GENID):]}")
        return node

    return [(back(s), p, back(o)) for s, p, o in triples]


def skolem_map(triples: Iterable[Triple]) -> dict[BNode, URIRef]:
    """Each blank node of the triples -> its content-derived IRI."""
    outgoing: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    nodes: set[BNode] = set()
    for s, p, o in triples:
        if kind_of(s) is BLANK:
            outgoing[s].append((p, o))
            nodes.add(cast(BNode, s))
        if kind_of(o) is BLANK:
            nodes.add(cast(BNode, o))
    memo: dict[Node, str] = {}

    def digest(node: Node, stack: list[Node]) -> tuple[str, bool]:
        """The node's hash, and whether it depended on a cycle (then not memoized)."""
        if node in memo:
            return memo[node], False
        stack.append(node)
        cyclic = False
        lines = []
        for p, o in outgoing.get(node, ()):
            if kind_of(o) is BLANK:
                if o in stack:
                    value, cyclic = f"_:cycle{len(stack) - stack.index(o)}", True
                else:
                    child, child_cyclic = digest(o, stack)
                    value, cyclic = f"_:{child}", cyclic or child_cyclic
            else:
                value = encode(o)
            lines.append(f"{encode(p)} {value}")
        stack.pop()
        lines.sort()
        text = "\n".join(lines)
        result = hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]
        if not cyclic:
            memo[node] = result
        return result, cyclic

    return {node: named(_GENID + digest(node, [])[0]) for node in sorted(nodes)}  # one object per IRI


def skolemize(triples: Iterable[Triple]) -> list[Triple]:
    """The triples with every blank node replaced by its skolem IRI (duplicates dropped)."""
    triples = list(triples)
    mapping = skolem_map(triples)
    if not mapping:
        return list(dict.fromkeys(triples))
    lookup = cast(dict[Node, Node], mapping)
    out = (
        (lookup.get(s, s) if kind_of(s) is BLANK else s, p, lookup.get(o, o) if kind_of(o) is BLANK else o)
        for s, p, o in triples
    )
    return list(dict.fromkeys(out))
