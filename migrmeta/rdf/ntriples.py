"""N-Triples and N-Quads: canonical lines (`skolem.encode`), sorted, without duplicates."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import Node

from migrmeta.rdf.skolem import encode

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node | None]


def ntriples(triples: Iterable[Triple]) -> str:
    return "".join(sorted({f"{encode(s)} {encode(p)} {encode(o)} .\n" for s, p, o in triples}))


def nquads(quads: Iterable[Quad]) -> str:
    lines = {f"{encode(s)} {encode(p)} {encode(o)}{'' if g is None else ' ' + encode(g)} .\n" for s, p, o, g in quads}
    return "".join(sorted(lines))


__all__ = ["Quad", "Triple", "nquads", "ntriples"]
