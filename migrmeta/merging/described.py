"""The agencies the surveys name that no input describes, and where their descriptions come from.

    unnamed = unnamed_agencies(contributions)
    taken = describe_from(contributions, Path("records/agencies.ttl"), default_agency)

Validation knows the agencies of a file besides the inputs (`--agencies`, else the bundled
agencies.ttl): a survey may name one without describing it. A merge of those inputs alone would
only name it: the catalogue's pages would call the agency by its id, and DCAT-AP 3 asks every
agent's foaf:name. `publish` therefore takes over, from the file validation knew, the
descriptions of those agencies and of nothing else (the bundled file describes 244 agencies,
and what an input says of an agency is its own), in a graph named `known-agencies.ttl`;
`merge`, which validates nothing, says which agencies are left undescribed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from migrmeta import resources
from migrmeta.merging.parsed import Parsed
from migrmeta.merging.sources import Contribution, Source, Triple, contributions_from, short_agency
from migrmeta.namespaces import DCT, FOAF, IS_TYPE, PROV, interned
from migrmeta.rdf.skolem import is_skolem
from migrmeta.values.agencies import Agencies
from migrmeta.values.dates import newest_day

KNOWN_NAME = "known-agencies.ttl"  # the contribution of the agencies taken over, in catalog.trig
_AGENT_LINKS = frozenset(interned(p) for p in (DCT.creator, DCT.publisher, DCT.contributor, DCT.rightsHolder,
                                                PROV.agent))
_NAME = interned(FOAF.name)
_WATCHED = _AGENT_LINKS | {_NAME}  # one set test per statement: rdflib's == is a Python call


def unnamed_agencies(contributions: Sequence[Contribution]) -> list[URIRef]:
    """The agencies the surveys name (creator, publisher, contributor, rights holder, PROV agent)
    that no input gives a foaf:name (a reviewer's find: `publish psa/` of a folder without its
    agencies.ttl published `agency:psa a foaf:Agent`, nameless, in silence)."""
    linked: set[URIRef] = set()
    named: set[Node] = set()
    for c in contributions:
        for s, p, o in c.triples:
            if p in _WATCHED:
                if p not in _AGENT_LINKS:
                    named.add(s)
                elif isinstance(o, URIRef) and not is_skolem(o):
                    linked.add(o)
    return sorted(linked - named, key=str)


def describe_from(contributions: list[Contribution], unnamed: Sequence[URIRef], path: str | Path,
                  default_agency: URIRef | None, parsed: Parsed | None = None) -> list[URIRef]:
    """Add to `contributions` what `path` says of `unnamed` (`unnamed_agencies`): their statements
    and their nested nodes, nothing else, as one contribution of `default_agency` (as
    agencies.ttl given as an input would be). The agencies taken (none when the file describes
    none of them, or cannot be read: validation said so already)."""
    if not unnamed:
        return []
    read, errors = contributions_from([Source(str(path))], default_agency=default_agency, parsed=parsed)
    if errors or not read:
        return []
    known = read[0]
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    for triple in known.triples:
        by_subject[triple[0]].append(triple)
    taken = [a for a in unnamed if any(p == _NAME for _, p, _ in by_subject.get(a, ()))]
    if not taken:
        return []
    # what an input says of the agency is its own: only what none says is taken (a homepage or a
    # country given there would be a conflict with the file's, and refuse the publish)
    wanted = set(taken)
    said = {(s, p) for c in contributions for s, p, _ in c.triples if s in wanted and p not in IS_TYPE}
    kept: set[Triple] = set()
    todo: list[Node] = list(taken)
    seen: set[Node] = set(todo)
    while todo:  # each agency's statements, and those of the nodes nested in them (skolemized blank nodes)
        for triple in by_subject.get(todo.pop(), ()):
            if (triple[0], triple[1]) in said:
                continue
            kept.add(triple)
            nested = triple[2]
            if is_skolem(nested) and nested not in seen:
                seen.add(nested)
                todo.append(nested)
    known.triples = kept
    known.modified = known.modified or newest_day(c.modified for c in contributions)
    # a name of its own: `publish --skip-invalid` finds a record's last version by its file name,
    # and an input agencies.ttl is not this file (an input of that name makes both unfindable)
    known.name = KNOWN_NAME
    known.graph = URIRef(f"{str(known.graph).rsplit('/', 1)[0]}/{KNOWN_NAME}")
    if any(c.graph == known.graph for c in contributions):  # an input's graph keeps its name; this one is told apart
        known.graph = URIRef(f"{known.graph}-{known.sha256[:8]}")
    contributions.append(known)
    return taken


def _agencies(unnamed: Sequence[URIRef]) -> str:
    shown = ", ".join(short_agency(a) for a in unnamed[:5])
    return shown + (f" and {len(unnamed) - 5} more" if len(unnamed) > 5 else "")


def unnamed_notice(unnamed: Sequence[URIRef]) -> list[str]:
    """The warning for `unnamed_agencies`, naming the agencies.ttl that describes them, if any."""
    if not unnamed:
        return []
    bundled = resources.bundled_agencies()
    known = set(Agencies.from_file(bundled).ids.values()) if bundled is not None else set()
    one = len(unnamed) == 1
    there = f" ({bundled} describes {'it' if one else 'them'})" if known and set(unnamed) <= known else ""
    return [f"{len(unnamed)} {'agency' if one else 'agencies'} the surveys name {'is' if one else 'are'} described "
            f"by no input: {_agencies(unnamed)}; the catalogue names {'it' if one else 'them'} by "
            f"{'its' if one else 'their'} id, and DCAT-AP 3 asks for a name: give the agencies.ttl that describes "
            f"{'it' if one else 'them'} with the records{there}"]


def taken_notice(taken: Sequence[URIRef], path: str | None) -> list[str]:
    """What `publish` says of the agencies it described as the file validation knew does."""
    if not taken or path is None:
        return []
    one = len(taken) == 1
    return [f"{len(taken)} {'agency' if one else 'agencies'} the surveys name {'is' if one else 'are'} described "
            f"by no input: {_agencies(taken)}; published as {path} describes {'it' if one else 'them'}, the "
            f"agencies validation knew (give an agencies.ttl with the records to describe "
            f"{'it' if one else 'them'} otherwise)"]


__all__ = ["KNOWN_NAME", "describe_from", "taken_notice", "unnamed_agencies", "unnamed_notice"]
