"""The data documents of an alias: what a linked-data client asking for an IRI now published
as another survey (`owl:sameAs`, merging/aliases.py) gets, in each data format of a survey.

    surveys/un-sof.ttl      <https://w3id.org/migrmeta/survey/un-sof> owl:sameAs <.../survey/ph-sof> .

An alias keeps its old page (pages/moved.py) and, by the same rule (`moved.moved`), the data
files a survey of that name would have, `surveys/<name>.ttl`, `.jsonld` and `.nt`, each
written by the project's writer of that format (SURVEY_DATA, which writes a survey's own
files too). Each states `<alias> owl:sameAs <survey>` and, with a base URL, `rdfs:seeAlso`
the survey's document in the same format. The servers' rules (server/) answer
`<base>/survey/<alias>` with them by Accept, as for any survey. They are made from the whole
catalogue (which aliases it names), so they go with the catalogue's files in the reuse
manifest (reuse.CATALOGUE_PARTS): taken over when no record changed, made again otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.namespaces import OWL, RDFS
from migrmeta.publishing.pages.layout import absolute
from migrmeta.publishing.pages.model import SiteData
from migrmeta.publishing.pages.moved import moved
from migrmeta.rdf.jsonld_out import jsonld
from migrmeta.rdf.ntriples import ntriples
from migrmeta.rdf.turtle import turtle

Triple = tuple[Node, Node, Node]
Writer = Callable[[list[Triple], Sequence[Node]], str]  # (statements, the document's main subjects) -> text

# a survey's data files, by suffix, and their writer: the survey's own files and its aliases'
SURVEY_DATA: tuple[tuple[str, Writer], ...] = (
    (".ttl", lambda triples, roots: turtle(triples)),
    (".jsonld", lambda triples, roots: jsonld(triples, roots, self_contained=True)),  # read alone, offline
    (".nt", lambda triples, roots: ntriples(triples)),
)


def alias_documents(site: SiteData, aliases: Mapping[str, str], base_url: str | None) -> Iterator[tuple[str, str]]:
    """(site path, text) of each alias's data document in each format, sorted by alias IRI."""
    for alias in moved(site, aliases):
        for suffix, write in SURVEY_DATA:
            triples: list[Triple] = [(alias.alias, OWL.sameAs, alias.kept)]
            if base_url:
                document = URIRef(absolute(base_url, f"surveys/{alias.target}{suffix}"))
                triples.append((alias.alias, RDFS.seeAlso, document))
            yield f"surveys/{alias.name}{suffix}", write(triples, [alias.alias])


__all__ = ["SURVEY_DATA", "alias_documents"]
