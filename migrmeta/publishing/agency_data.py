"""An agency's data documents: what a linked-data client asking for an agency's IRI gets.

    agencies/ons.ttl, .jsonld, .nt      <https://w3id.org/migrmeta/agency/ons>

Each states the agency as the catalogue publishes it (its names, kind, country, home page:
its statements and those of the nodes they nest) and how the surveys and series name it: each
statement a survey makes of it (dct:publisher, mm:conductedBy ...), and each qualified
attribution naming it (the survey's link to the attribution and the attribution itself, with
the agency's role), with the survey's titles and its type (mm:Survey or mm:SurveySeries only:
typed dcat:Dataset, it would be a dataset of this document, which its own documents describe),
so that a client goes on from the agency to its surveys. Each is written by the writer of a
survey's file of that format (SURVEY_DATA).
The servers' rules (server/) answer `<base>/agency/<id>` with them by Accept, and send a browser
to the agency's page (`<lang>/agencies/<id>.html`, pages/agency.py: the same surveys, with their
roles, for readers).

Only the agencies named under migrmeta's agency namespace get documents (pages/model.py,
agency_file_name): another IRI is its owner's to answer. They are made from the whole
catalogue (every survey naming the agency), so they go with the catalogue's files in the
reuse manifest (reuse.CATALOGUE_PARTS).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.namespaces import DCT, IS_TYPE, SURVEY_CLASSES
from migrmeta.publishing.alias_data import SURVEY_DATA
from migrmeta.rdf.skolem import is_skolem

Triple = tuple[Node, Node, Node]
Described = Callable[[Sequence[Node], Mapping[Node, list[Triple]]], list[Triple]]
FOLDER = "agencies"
_SURVEY_NAMING = frozenset({DCT.title})


def agency_documents(by_subject: Mapping[Node, list[Triple]], datasets: Sequence[Node], agencies: Mapping[str, Node],
                     described: Described, naming: frozenset[Node]) -> Iterator[tuple[str, str]]:
    """(site path, text) of each agency's documents in each format, in the order of their names.
    `agencies`: those given documents, by name (`SiteData.agencies`, the rule their pages follow
    too); `described` gives the statements about some nodes and the skolem nodes they use; what
    the agency's own statements name (its country, its kind) is given the statements of `naming`
    (types, labels), as in a survey's documents."""
    links = _links(by_subject, datasets, set(agencies.values()))
    for name in sorted(agencies):
        agency = agencies[name]
        triples = described([agency], by_subject)
        values = sorted({o for _, _, o in triples if isinstance(o, URIRef) and not is_skolem(o)} - {agency}, key=str)
        triples += [t for value in values for t in by_subject.get(value, ()) if t[1] in naming]
        named = links.get(agency, [])
        surveys = sorted({s for s, _, _ in named if not is_skolem(s)}, key=str)
        triples += named
        triples += [t for survey in surveys for t in by_subject.get(survey, ())
                    if t[1] in _SURVEY_NAMING or (t[1] in IS_TYPE and t[2] in SURVEY_CLASSES)]
        unique = list(dict.fromkeys(triples))  # a survey naming it twice is named once
        for suffix, write in SURVEY_DATA:
            yield f"{FOLDER}/{name}{suffix}", write(unique, [agency])


def _links(by_subject: Mapping[Node, list[Triple]], datasets: Sequence[Node], agencies: set[Node]
           ) -> dict[Node, list[Triple]]:
    """Agency -> the statements by which the surveys name it: directly, or through a nested node
    (a qualified attribution: the survey's link to it and its statements)."""
    found: dict[Node, list[Triple]] = {}
    for dataset in datasets:
        for triple in by_subject.get(dataset, ()):
            target = triple[2]
            if target in agencies:
                found.setdefault(target, []).append(triple)
            elif is_skolem(target):
                nested = by_subject.get(target, ())
                for agency in sorted({o for _, _, o in nested if o in agencies}, key=str):
                    found.setdefault(agency, []).extend([triple, *nested])
    return found


__all__ = ["FOLDER", "agency_documents"]
