"""What the checks across records need of each record, read from the store in a few queries.

The same `Summary` as `checks.summarize(graph)` gives for one rdflib graph, for every named
graph of a store at once: each query names the graph of each row, so the work grows with
the statements read, not with the number of records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pyoxigraph as ox

from migrmeta.namespaces import DCAT, DCT, FOAF, MM, PROV, RDF
from migrmeta.validation.outcome import Summary

Graphs = dict[ox.NamedNode, str]  # graph -> the record's source


def _iri(term: object) -> str:
    return f"<{term}>"


_TYPE = _iri(RDF.type)
_QUERIES = {
    "typed": f"SELECT ?g ?s ?c WHERE {{ VALUES ?c {{ {_iri(MM.Survey)} {_iri(MM.SurveySeries)} {_iri(MM.Agency)} "
             f"{_iri(FOAF.Agent)} {_iri(FOAF.Organization)} }} GRAPH ?g {{ ?s {_TYPE} ?c }} }}",
    "links": f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?p {{ {_iri(DCT.creator)} {_iri(DCT.publisher)} "
             f"{_iri(DCT.contributor)} }} GRAPH ?g {{ ?s ?p ?o FILTER(isIRI(?o)) }} }}",
    "agents": f"SELECT ?g ?s ?o ?owner WHERE {{ GRAPH ?g {{ ?s {_iri(PROV.agent)} ?o FILTER(isIRI(?o)) "
              f"OPTIONAL {{ ?owner {_iri(PROV.qualifiedAttribution)} ?s }} }} }}",
    "identifiers": f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s {_iri(DCT.identifier)} ?o }} }}",
    "hosts": f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s {_iri(MM.hostSurvey)} ?o FILTER(isIRI(?o)) }} }}",
    "rounds": f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s {_iri(DCAT.inSeries)} ?o }} }}",
    "titles": f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s {_iri(DCT.title)} ?o }} }}",
    "creators": f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s {_TYPE} {_iri(MM.Survey)} ; {_iri(DCT.creator)} ?o }} }}",
    "starts": f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s {_TYPE} {_iri(MM.Survey)} ; {_iri(DCT.temporal)} ?t . "
              f"?t {_iri(DCAT.startDate)} ?o }} }}",
}
_AGENCY_CLASSES = {str(MM.Agency), str(FOAF.Agent), str(FOAF.Organization)}


def _rows(store: ox.Store, name: str, graphs: Graphs) -> Iterator[tuple[str, ox.QuerySolution]]:
    answer = store.query(_QUERIES[name])
    assert isinstance(answer, ox.QuerySolutions)
    for row in answer:
        source = graphs.get(row["g"])
        if source is not None:
            yield source, row


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term as `str()` gives an rdflib term: the IRI, the lexical form, the blank node's label."""
    return "" if term is None or isinstance(term, ox.Triple) else term.value


def summaries(store: ox.Store, graphs: Graphs) -> dict[str, Summary]:
    """Each record's Summary (records by source)."""
    found = {source: Summary() for source in graphs.values()}
    agencies: dict[str, set[str]] = defaultdict(set)
    named: set[tuple[str, str]] = set()  # (source, survey IRI): the keys of rule 37 are read for these
    for source, row in _rows(store, "typed", graphs):
        kind, subject = row["c"].value, row["s"]
        summary = found[source]
        if kind == str(MM.Survey):
            summary.surveys.append(_text(subject))
            if isinstance(subject, ox.NamedNode):
                named.add((source, subject.value))
        elif kind == str(MM.SurveySeries):
            summary.series.append(_text(subject))
        if kind in _AGENCY_CLASSES and isinstance(subject, ox.NamedNode):
            agencies[source].add(subject.value)
    for source, row in _rows(store, "links", graphs):
        found[source].agency_links.append((_text(row["s"]), row["p"].value, row["o"].value))
    seen: set[tuple[str, str, str]] = set()
    for source, row in _rows(store, "agents", graphs):
        link = (source, _text(row["s"]), row["o"].value)
        if link in seen:  # one link however many owners (rdflib's value() picks one)
            continue
        seen.add(link)
        owner = row["owner"]
        subject = owner.value if isinstance(owner, ox.NamedNode) else link[1]
        found[source].agency_links.append((subject, str(PROV.agent), link[2]))
    for name, attribute in (("identifiers", "identifiers"), ("hosts", "hosts"), ("rounds", "rounds")):
        for source, row in _rows(store, name, graphs):
            getattr(found[source], attribute).append((_text(row["s"]), _text(row["o"])))
    titles: dict[tuple[str, str], list[str]] = defaultdict(list)
    for source, row in _rows(store, "titles", graphs):
        if isinstance(row["s"], ox.NamedNode):
            found[source].titled.append(row["s"].value)
        titles[(source, _text(row["s"]))].append(_text(row["o"]))
    firsts: dict[str, dict[tuple[str, str], list[str]]] = {"creators": defaultdict(list), "starts": defaultdict(list)}
    for name, by_key in firsts.items():
        for source, row in _rows(store, name, graphs):
            by_key[(source, _text(row["s"]))].append(_text(row["o"]))
    for source, summary in found.items():
        summary.surveys.sort()
        summary.series.sort()
        summary.agencies = sorted(agencies.get(source, ()))
        summary.titled = sorted(set(summary.titled))
        for survey in summary.surveys:
            key = (source, survey)
            if key not in named:
                continue
            creators, starts = sorted(firsts["creators"].get(key, [])), sorted(firsts["starts"].get(key, []))
            for title in sorted(titles.get(key, [])) if creators and starts else []:
                summary.keys.append((survey, title.casefold().strip(), creators[0], starts[0]))
        summary.agency_links.sort()
        summary.identifiers.sort()
        summary.hosts.sort()
        summary.rounds.sort()
    return found


__all__ = ["summaries"]
