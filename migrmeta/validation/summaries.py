"""What the checks across records need of each record, read from the store in a few queries.

`summarize(graph)` gives the `Summary` of one rdflib graph; `summaries` the same, for every named
graph of a store at once: each query names the graph of each row, so the work grows with
the statements read, not with the number of records. (Rows are unpacked by position: a
solution read by variable name costs three times as much, and there are ~8 rows a record.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from migrmeta.namespaces import AGENCY_CLASSES, DCAT, DCT, FOAF, MM, OWL, PROV, RDF, SKOS
from migrmeta.validation.outcome import Summary

Graphs = dict[ox.NamedNode, str]  # graph -> the record's source


def _iri(term: object) -> str:
    return f"<{term}>"


_TYPE = _iri(RDF.type)
_SEP = "\u001f"  # between the values GROUP_CONCAT joins (a control character no record's text holds)
_QUERIES = {
    "typed": f"SELECT ?g ?s ?c WHERE {{ VALUES ?c {{ {_iri(MM.Survey)} {_iri(MM.SurveySeries)} {_iri(MM.Agency)} "
             f"{_iri(FOAF.Agent)} {_iri(FOAF.Organization)} {_iri(DCAT.Catalog)} }} GRAPH ?g {{ ?s {_TYPE} ?c }} }}",
    "links": f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?p {{ {_iri(DCT.creator)} {_iri(DCT.publisher)} "
             f"{_iri(DCT.contributor)} }} GRAPH ?g {{ ?s ?p ?o FILTER(isIRI(?o)) }} }}",
    "agents": f"SELECT ?g ?s ?o ?owner WHERE {{ GRAPH ?g {{ ?s {_iri(PROV.agent)} ?o FILTER(isIRI(?o)) "
              f"OPTIONAL {{ ?owner {_iri(PROV.qualifiedAttribution)} ?s }} }} }}",
    "pairs": f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?p {{ {_iri(DCT.identifier)} {_iri(MM.hostSurvey)} "
             f"{_iri(DCAT.inSeries)} {_iri(OWL.sameAs)} }} GRAPH ?g {{ ?s ?p ?o }} }}",
    "titles": f"SELECT ?g ?s (GROUP_CONCAT(STR(?o); SEPARATOR='{_SEP}') AS ?t) "
              f"WHERE {{ GRAPH ?g {{ ?s {_iri(DCT.title)} ?o }} }} GROUP BY ?g ?s",
    "details": f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?p {{ {_iri(FOAF.name)} {_iri(SKOS.altLabel)} "
               f"{_iri(FOAF.homepage)} {_iri(MM.basedIn)} {_iri(OWL.differentFrom)} }} "
               f"GRAPH ?g {{ ?s ?p ?o FILTER(isIRI(?s)) }} }}",
    "keys": f"SELECT ?g ?s (GROUP_CONCAT(DISTINCT STR(?c); SEPARATOR='{_SEP}') AS ?cs) "
            f"(GROUP_CONCAT(DISTINCT STR(?d); SEPARATOR='{_SEP}') AS ?ds) WHERE {{ GRAPH ?g {{ "
            f"?s {_TYPE} {_iri(MM.Survey)} ; {_iri(DCT.creator)} ?c ; {_iri(DCT.temporal)} ?t . "
            f"?t {_iri(DCAT.startDate)} ?d FILTER(isIRI(?s)) }} }} GROUP BY ?g ?s",
}
_AGENCY_CLASSES = {str(c) for c in AGENCY_CLASSES}
_PAIRS = {str(DCT.identifier): "identifiers", str(MM.hostSurvey): "hosts", str(DCAT.inSeries): "rounds",
          str(OWL.sameAs): "same_as"}
_IRIS_ONLY = {"hosts", "same_as"}  # a blank host is the shapes' business; owl:sameAs links IRIs
AGENCY_DETAILS = {str(FOAF.name): "name", str(SKOS.altLabel): "acronym", str(FOAF.homepage): "homepage",
                  str(MM.basedIn): "country", str(OWL.differentFrom): "different"}  # different: a curator's "not one"


def _rows(store: ox.Store, name: str, graphs: Graphs) -> Iterator[tuple[Any, ...]]:
    """(source, the other values...) of each row whose graph is a record's."""
    answer = store.query(_QUERIES[name])
    assert isinstance(answer, ox.QuerySolutions)
    get = graphs.get
    for graph, *values in answer:
        source = get(graph)
        if source is not None:
            yield (source, *values)


def summaries(store: ox.Store, graphs: Graphs) -> dict[str, Summary]:
    """Each record's Summary (records by source); strings as `str()` gives rdflib terms."""
    found = {source: Summary() for source in graphs.values()}
    agencies: dict[str, set[str]] = defaultdict(set)
    survey, series, catalog = str(MM.Survey), str(MM.SurveySeries), str(DCAT.Catalog)
    for source, subject, kind in _rows(store, "typed", graphs):
        if kind.value == survey:
            found[source].surveys.append(subject.value)
        elif kind.value == series:
            found[source].series.append(subject.value)
        elif kind.value == catalog:
            found[source].catalogs.append(subject.value)
        if kind.value in _AGENCY_CLASSES and isinstance(subject, ox.NamedNode):
            agencies[source].add(subject.value)
    for source, subject, prop, obj in _rows(store, "links", graphs):
        found[source].agency_links.append((subject.value, prop.value, obj.value))
    seen: set[tuple[str, str, str]] = set()
    for source, subject, obj, owner in _rows(store, "agents", graphs):
        link = (source, subject.value, obj.value)
        if link in seen:  # one link however many owners (rdflib's value() picks one)
            continue
        seen.add(link)
        named = owner.value if isinstance(owner, ox.NamedNode) else subject.value
        found[source].agency_links.append((named, str(PROV.agent), obj.value))
    for source, subject, prop, obj in _rows(store, "pairs", graphs):
        kind = _PAIRS[prop.value]
        if kind not in _IRIS_ONLY or (isinstance(obj, ox.NamedNode) and isinstance(subject, ox.NamedNode)):
            getattr(found[source], kind).append((subject.value, obj.value))
    for source, subject, prop, obj in _rows(store, "details", graphs):
        if subject.value in agencies.get(source, ()):
            found[source].agency_details.append(
                (subject.value, AGENCY_DETAILS[prop.value], obj.value, getattr(obj, "language", None) or ""))
    titles: dict[tuple[str, str], str] = {}
    for source, subject, joined in _rows(store, "titles", graphs):
        if isinstance(subject, ox.NamedNode):
            found[source].titled.append(subject.value)
        if joined is not None:  # unbound when a title is a blank node (STR fails): no key then
            titles[(source, subject.value)] = joined.value
    for source, subject, creators, starts in _rows(store, "keys", graphs):
        joined = titles.get((source, subject.value))
        if joined is None or creators is None or starts is None:
            continue
        first_creator, first_start = min(creators.value.split(_SEP)), min(starts.value.split(_SEP))
        found[source].keys.extend((subject.value, t.casefold().strip(), first_creator, first_start)
                                  for t in sorted(joined.split(_SEP)))
    for source, summary in found.items():
        summary.surveys.sort()
        summary.series.sort()
        summary.catalogs.sort()
        summary.agencies = sorted(agencies.get(source, ()))
        summary.titled.sort()
        summary.keys.sort(key=lambda k: k[0])  # surveys in order, each one's titles in order
        summary.agency_links.sort()
        summary.identifiers.sort()
        summary.hosts.sort()
        summary.rounds.sort()
        summary.same_as.sort()
        summary.agency_details.sort()
    return found


_AGENCY_LINKS = (DCT.creator, DCT.publisher, DCT.contributor)
_DETAIL_PROPERTIES = tuple(URIRef(p) for p in AGENCY_DETAILS)


def summarize(graph: Graph) -> Summary:
    summary = Summary()
    surveys = sorted(str(s) for s in graph.subjects(RDF.type, MM.Survey))
    summary.surveys = surveys
    summary.series = sorted(str(s) for s in graph.subjects(RDF.type, MM.SurveySeries))
    summary.catalogs = sorted(str(s) for s in graph.subjects(RDF.type, DCAT.Catalog))
    summary.agencies = sorted(
        {str(s) for cls in (MM.Agency, FOAF.Agent, FOAF.Organization) for s in graph.subjects(RDF.type, cls)
         if isinstance(s, URIRef)}
    )
    summary.agency_details = sorted(
        (agency, AGENCY_DETAILS[str(prop)], str(value), (value.language if isinstance(value, Literal) else None) or "")
        for agency in summary.agencies for prop in _DETAIL_PROPERTIES for value in graph.objects(URIRef(agency), prop))
    for prop in _AGENCY_LINKS:
        for s, o in graph.subject_objects(prop):
            if isinstance(o, URIRef):
                summary.agency_links.append((str(s), str(prop), str(o)))
    for s, o in graph.subject_objects(PROV.agent):
        if isinstance(o, URIRef):  # reported on the survey the (blank) attribution belongs to
            owner = graph.value(predicate=PROV.qualifiedAttribution, object=s)
            subject = owner if isinstance(owner, URIRef) else s
            summary.agency_links.append((str(subject), str(PROV.agent), str(o)))
    for s, o in graph.subject_objects(DCT.identifier):
        summary.identifiers.append((str(s), str(o)))
    for s, o in graph.subject_objects(MM.hostSurvey):
        if isinstance(o, URIRef):  # a blank host is reported by the shapes (it needs an IRI)
            summary.hosts.append((str(s), str(o)))
    summary.rounds = sorted((str(s), str(o)) for s, o in graph.subject_objects(DCAT.inSeries))
    summary.same_as = sorted((str(s), str(o)) for s, o in graph.subject_objects(OWL.sameAs)
                             if isinstance(s, URIRef) and isinstance(o, URIRef))
    summary.titled = sorted({str(s) for s in graph.subjects(DCT.title) if isinstance(s, URIRef)})
    for survey in surveys:
        node = URIRef(survey)
        titles = sorted(str(t) for t in graph.objects(node, DCT.title))
        creators = sorted(str(c) for c in graph.objects(node, DCT.creator))
        starts = sorted(str(d) for p in graph.objects(node, DCT.temporal) for d in graph.objects(p, DCAT.startDate))
        if titles and creators and starts:
            for title in titles:
                summary.keys.append((survey, title.casefold().strip(), creators[0], starts[0]))
    summary.agency_links.sort()
    summary.identifiers.sort()
    summary.hosts.sort()
    return summary


__all__ = ["AGENCY_DETAILS", "summaries", "summarize"]
