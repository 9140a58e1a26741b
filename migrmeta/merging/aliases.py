"""One survey under several IRIs (`owl:sameAs`) folded into one: its canonical IRI.

    aliases = fold_aliases(contributions, prefer=[AGENCY["psa"]])
    aliases[0].alias, aliases[0].canonical, aliases[0].source, aliases[0].line, aliases[0].reason

IRIs linked by `owl:sameAs`, directly or through a chain (A sameAs B, B sameAs C; a cycle
too), are one thing. When two or more of them are described as a survey or series (typed
`mm:Survey` or `mm:SurveySeries` in some contribution), one IRI is kept, in this order:

1. the one the first agency of `prefer` describes (its contributions type it), alone;
2. the subject of the `owl:sameAs` (`<A> owl:sameAs <B>` keeps A): an IRI that is the object
   of no `owl:sameAs` among them;
3. the first in IRI order.

The others are aliases: every statement naming an alias, as subject or object (a round's
`dcat:inSeries`), names the canonical IRI instead, in the graph of the contribution that
made it, and the contribution that declared the `owl:sameAs` keeps `<canonical> owl:sameAs
<alias>`, so harvesters and old links find the survey. Two values of a single-valued item
that meet under the canonical IRI are a conflict as any other (`merge.find_conflicts`).
An IRI no contribution describes as a survey (a Wikidata item) is a link, never folded;
a survey and a series linked are told apart by their type, and not folded either: the
link is kept, and the merge does not compare them (two surveys linked through a series are
still one). Agencies are not folded (their IRIs name the contributors themselves).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.merging.sources import SURVEY_CLASSES, Contribution, Triple, short_agency
from migrmeta.namespaces import IS_TYPE, OWL, interned
from migrmeta.rdf.partition import Partition

_SAME_AS = frozenset({interned(OWL.sameAs)})  # a set, as namespaces.IS_TYPE


@dataclass(frozen=True)
class Alias:
    """A survey's IRI published as another's, and the `owl:sameAs` that says so."""

    alias: URIRef
    canonical: URIRef
    source: str  # the file of the owl:sameAs naming the alias
    line: int | None
    reason: str  # why the canonical IRI is kept: "psa preferred" | "the subject of owl:sameAs" | "first in IRI order"


Link = tuple[URIRef, URIRef, Contribution]  # <s> owl:sameAs <o>, in this contribution


def fold_aliases(contributions: Sequence[Contribution], prefer: Sequence[URIRef] = ()) -> list[Alias]:
    """Fold each survey known under several IRIs onto one (in place); the aliases folded, in IRI order."""
    links: list[Link] = [(s, o, c) for c in contributions for s, p, o in c.triples
                         if p in _SAME_AS and isinstance(s, URIRef) and isinstance(o, URIRef) and s != o]
    if not links:  # most catalogues: one pass, nothing more
        return []
    linked = {x for s, o, _ in links for x in (s, o)}
    kinds: dict[Node, set[Node]] = defaultdict(set)
    users: dict[Node, set[Node]] = defaultdict(set)  # IRI -> the agencies describing it
    for c in contributions:
        for s, p, o in c.triples:
            if p in IS_TYPE and o in SURVEY_CLASSES and s in linked:
                kinds[s].add(o)
                users[s].add(c.agency)
    aliases: list[Alias] = []
    for members in _classes(links):
        by_kind: dict[frozenset[Node], list[URIRef]] = defaultdict(list)  # a round and its series stay two
        for m in members:
            if m in kinds:  # a link to an IRI no record describes: nothing to fold
                by_kind[frozenset(kinds[m])].append(m)
        for described in by_kind.values():
            if len(described) < 2:
                continue
            canonical, reason = _canonical(described, links, users, prefer)
            for alias in described:
                if alias != canonical:
                    source, line = _declared(alias, links, set(described))
                    aliases.append(Alias(alias, canonical, source, line, reason))
    aliases.sort(key=lambda a: str(a.alias))
    _rewrite(contributions, {a.alias: a.canonical for a in aliases})
    return aliases


def _classes(links: Sequence[Link]) -> list[list[URIRef]]:
    """The IRIs linked, directly or by a chain, each class in IRI order."""
    same: Partition[Node] = Partition()
    for s, o, _ in links:
        same.union(s, o)
    return [[m for m in members if isinstance(m, URIRef)] for members in same.classes()]


def _canonical(described: list[URIRef], links: Sequence[Link], users: dict[Node, set[Node]],
               prefer: Sequence[URIRef]) -> tuple[URIRef, str]:
    """The IRI kept, and why: the preferred agency's, the subject of owl:sameAs, the first."""
    objects = {o for s, o, _ in links if s in described and s != o}

    def rank(m: URIRef) -> tuple[int, int, str]:
        preferred = next((i for i, agency in enumerate(prefer) if agency in users[m]), len(prefer))
        return preferred, int(m in objects), str(m)

    first, second = sorted(rank(m) for m in described)[:2]
    canonical = next(m for m in described if str(m) == first[2])
    if first[0] != second[0]:
        return canonical, f"{short_agency(prefer[first[0]])} preferred"
    return canonical, "the subject of owl:sameAs" if first[1] != second[1] else "first in IRI order"


def _declared(alias: URIRef, links: Sequence[Link], described: set[URIRef]) -> tuple[str, int | None]:
    """The file and line of the first owl:sameAs naming the alias, to another survey's IRI if one
    does (line: best effort, for the report)."""
    s, o, c = min((link for link in links if alias in link[:2]),
                  key=lambda k: (not {k[0], k[1]} <= described, k[2].source, str(k[0]), str(k[1])))
    return c.source, c.line_of(s, OWL.sameAs, str(o))


def _rewrite(contributions: Sequence[Contribution], canonical: dict[Node, Node]) -> None:
    """Each statement naming an alias names the canonical IRI; an owl:sameAs between two names
    of the survey becomes `<canonical> owl:sameAs <alias>`."""
    if not canonical:
        return
    same_as = interned(OWL.sameAs)
    for c in contributions:
        touched = [t for t in c.triples if t[0] in canonical or t[2] in canonical]
        moved: set[Triple] = set()
        for s, p, o in touched:
            if p in _SAME_AS:
                moved |= {(canonical[x], same_as, x) for x in (s, o) if x in canonical}
            s2, o2 = canonical.get(s, s), canonical.get(o, o)
            if not (p in _SAME_AS and s2 == o2):
                moved.add((s2, p, o2))
        c.triples -= set(touched)
        c.triples |= moved


__all__ = ["Alias", "fold_aliases"]
