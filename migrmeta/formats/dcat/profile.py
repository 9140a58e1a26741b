"""The DCAT-AP 3 profile: a `dcat:Catalog` with a `dcat:CatalogRecord` per survey, and what
DCAT-AP validators need that the records leave implicit.

    profile = apply(catalogue_triples, reference, CatalogOptions(publisher=...), sources)
    published = (catalogue_triples - profile.replaced) | profile.additions

Contributed statements are kept; the profile adds (rules in profile.ttl, data, not code):
- the types DCAT-AP looks for without reasoning: `dcat:Dataset`/`disco:Study` from
  `mm:Survey`, `dcat:DatasetSeries`/`disco:StudyGroup` (and `dcat:Dataset`) from
  `mm:SurveySeries`, and the class ranges of range.ttl on values (`dct:Location` on
  countries, `foaf:Document` on pages, `dct:RightsStatement` on access rights ...);
- `dct:accessRights` derived from `mm:accessLevel` (the primary one when there are several)
  through the access-level concepts' `mm:accessRights`;
- `dcat:theme` SOCI (population and society) from the EU data-theme list;
- the catalogue (title, description, publisher, languages, countries, modified) and one
  record per dataset and series (`foaf:primaryTopic`, `dct:modified`, `prov:wasDerivedFrom`
  the contribution graphs, `dct:conformsTo` DCAT-AP 3).

Two mappings replace statements (listed in `Profile.replaced`; catalog.trig keeps the
contributed wording):
- DCAT-AP 3 reads `dct:source` on a dataset as "a dataset this one is derived from" (range
  `dcat:Dataset`), while migrmeta records cite source documents with it. Such statements are
  published as `foaf:page` (a page about the dataset).
- DCAT-AP 3 asks an agent's `dct:type` to be an ADMS publisher type (mdr-vocabularies.shape.ttl),
  while records give the agency-type kind. The kind is published as `org:classification` and
  `dct:type` is its match in the ADMS list (the matches of agency-type.ttl).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import PublishError, UsageError
from migrmeta.load import read_trusted
from migrmeta.load.reference import Reference
from migrmeta.namespaces import (
    AGENCY,
    COUNTRY_SCHEME,
    DCAT,
    DCT,
    DISCO,
    FOAF,
    MM,
    ORG,
    PROV,
    PUBLISHER_TYPE,
    RDF,
    RDFS,
    SH,
    SKOS,
    XSD,
    interned,
)
from migrmeta.rdf.skolem import GENID
from migrmeta.values.dates import newest_day
from migrmeta.values.names import Names

Triple = tuple[Node, Node, Node]
_TYPE = interned(RDF.type)  # hoisted: rdflib's closed namespaces are slow to look up in loops
Add = Callable[[Triple], None]
DATA_FILE = Path(__file__).with_suffix(".ttl")
# Superclasses stated in the published graph: what DCAT-AP validators and DDI-RDF readers look for.
STATED_NAMESPACES = (str(DCAT), str(DISCO), str(FOAF))


@dataclass(frozen=True)
class CatalogOptions:
    """The catalogue's description; None keeps the default from profile.ttl."""

    iri: str | None = None
    title: str | None = None
    description: str | None = None
    publisher: URIRef | None = None
    date: str | None = None  # dct:modified of records whose surveys carry none


@dataclass
class Profile:
    catalog: URIRef
    publisher: URIRef
    additions: set[Triple]
    replaced: set[Triple]
    records: dict[Node, URIRef] = field(default_factory=dict)  # dataset -> its catalogue record
    surveys: list[URIRef] = field(default_factory=list)  # datasets and series, sorted


@dataclass(frozen=True)
class ProfileData:
    ranges: dict[Node, set[Node]]  # property -> classes its values get
    targets: set[Node]  # classes whose values the range rules apply to
    has_value: list[tuple[Node, Node, Node]]  # (class, property, value) added
    superclasses: dict[Node, set[Node]]
    record_template: list[tuple[Node, Node]]
    published: list[Triple]
    catalog: URIRef


@cache
def profile_data() -> ProfileData:
    graph = read_trusted(DATA_FILE).graph
    rule_nodes: set[Node] = set()
    ranges: dict[Node, set[Node]] = defaultdict(set)
    targets: set[Node] = set()
    has_value: list[tuple[Node, Node, Node]] = []
    for shape in graph.subjects(_TYPE, SH.NodeShape):
        rule_nodes.add(shape)
        classes = set(graph.objects(shape, SH.targetClass))
        for prop in graph.objects(shape, SH.property):
            rule_nodes.add(prop)
            path = graph.value(prop, SH.path)
            if path is None:
                continue
            for cls in graph.objects(prop, SH["class"]):
                ranges[path].add(cls)
                targets.update(classes)
            for value in graph.objects(prop, SH.hasValue):
                has_value += [(cls, path, value) for cls in sorted(classes, key=str)]
    superclasses: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        superclasses[sub].add(sup)
    template = next(s for s in graph.subjects(_TYPE, DCAT.CatalogRecord) if isinstance(s, BNode))
    rule_nodes.add(template)
    published = [t for t in graph if t[0] not in rule_nodes and t[1] != RDFS.subClassOf]
    catalog = next(s for s in graph.subjects(_TYPE, DCAT.Catalog) if isinstance(s, URIRef))
    return ProfileData(dict(ranges), targets, has_value, dict(superclasses),
                       [(p, o) for p, o in graph.predicate_objects(template) if p != _TYPE],
                       published, catalog)


def _closure(classes: Iterable[Node], axioms: Mapping[Node, set[Node]]) -> set[Node]:
    found: set[Node] = set()
    todo = list(classes)
    while todo:
        for sup in axioms.get(todo.pop(), ()):
            if sup not in found:
                found.add(sup)
                todo.append(sup)
    return found


def _axioms(reference: Reference, data: ProfileData) -> dict[Node, set[Node]]:
    axioms: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in reference.graph.subject_objects(RDFS.subClassOf):
        axioms[sub].add(sup)
    for sub, sups in data.superclasses.items():
        axioms[sub] |= sups
    return axioms


def record_iri(dataset: Node) -> URIRef:
    """`<survey>#record`: the record lives in the survey's own document."""
    text = str(dataset)
    return URIRef(f"{text}#record") if "#" not in text else GENID[hashlib.sha256(text.encode()).hexdigest()[:32]]


class _Additions:
    """The catalogue as subject -> predicate -> objects, and what the profile adds to it."""

    def __init__(self, catalogue: set[Triple]) -> None:
        self.catalogue = catalogue
        self.by_subject: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in catalogue:
            self.by_subject[s][p].add(o)
        self.added: set[Triple] = set()
        self.replaced: set[Triple] = set()

    def types(self, node: Node) -> set[Node]:
        return self.by_subject[node][_TYPE] if node in self.by_subject else set()

    def add(self, triple: Triple) -> None:
        if triple not in self.catalogue:
            self.added.add(triple)
            self.by_subject[triple[0]][triple[1]].add(triple[2])

    def entailed_types(self, axioms: Mapping[Node, set[Node]]) -> None:
        """The classes DCAT-AP validators look for, from the ontology's subclass axioms."""
        for subject in list(self.by_subject):
            for sup in sorted(_closure(self.types(subject), axioms), key=str):
                if str(sup).startswith(STATED_NAMESPACES):
                    self.add((subject, _TYPE, sup))

    def datasets(self, data: ProfileData, reference: Reference) -> list[URIRef]:
        """Access rights, fixed values and source documents (as foaf:page) of every dataset."""
        found = sorted((s for s in self.by_subject if DCAT.Dataset in self.types(s) and isinstance(s, URIRef)),
                       key=str)
        for dataset in found:
            _access_rights(dataset, self.by_subject, reference, self.add)
            for cls, prop, value in data.has_value:
                if cls in self.types(dataset):
                    self.add((dataset, prop, value))
            for document in sorted(self.by_subject[dataset].get(DCT.source, ()), key=str):
                if DCAT.Dataset not in self.types(document):
                    self.replaced.add((dataset, DCT.source, document))
                    self.add((dataset, FOAF.page, document))
        return found

    def records(self, catalog: Node, datasets: list[URIRef], data: ProfileData, options: CatalogOptions,
                sources: Mapping[Node, Sequence[URIRef]]) -> dict[Node, URIRef]:
        """A dcat:CatalogRecord per dataset, dated by its record (else the newest record)."""
        dates = {d: _date_of(d, self.by_subject, options) for d in datasets}
        newest = max((v for v in dates.values() if v is not None), key=str, default=None)
        records: dict[Node, URIRef] = {}
        for dataset in datasets:
            record = records[dataset] = record_iri(dataset)
            self.add((record, _TYPE, DCAT.CatalogRecord))
            self.add((record, FOAF.primaryTopic, dataset))
            self.add((catalog, DCAT.record, record))
            modified = dates[dataset] or newest
            if modified is None:
                raise PublishError(f"{dataset}: no record carries dct:modified, and DCAT-AP needs one per catalogue "
                                   "record; nothing was written", hint="give {--date YYYY-MM-DD|date=\"YYYY-MM-DD\"} "
                                   "(the date of the records)")
            self.add((record, DCT.modified, modified))
            for graph in sources.get(dataset, ()):
                self.add((record, PROV.wasDerivedFrom, graph))
            for prop, value in data.record_template:
                self.add((record, prop, value))
        if newest is not None:
            self.add((catalog, DCT.modified, newest))
        return records

    def concepts(self, data: ProfileData, reference: Reference) -> None:
        """Agents' kinds (dct:type, ontology/vocabularies/agency-type.ttl) published as DCAT-AP asks:
        dct:type the matching ADMS publisher type, the kind itself as org:classification (typed
        skos:Concept with the vocabulary's labels); and the classes the profile's ranges ask of
        values."""
        for subject in [s for s in self.by_subject if FOAF.Agent in self.types(s)]:
            for kind in sorted(self.by_subject[subject].get(DCT.type, ()), key=str):
                publisher_type = _publisher_type(kind, reference)
                if publisher_type is not None:
                    self.replaced.add((subject, DCT.type, kind))
                    self.add((subject, DCT.type, publisher_type))
                    self.add((subject, ORG.classification, kind))
                for label in sorted(reference.graph.objects(kind, SKOS.prefLabel), key=str):
                    self.add((kind, _TYPE, SKOS.Concept))
                    self.add((kind, SKOS.prefLabel, label))
        self.countries(reference)
        for subject in [s for s in self.by_subject if self.types(s) & data.targets]:
            for prop, classes in data.ranges.items():
                for value in list(self.by_subject[subject].get(prop, ())):
                    if isinstance(value, URIRef):
                        for cls in sorted(classes, key=str):
                            self.add((value, _TYPE, cls))

    def countries(self, reference: Reference) -> None:
        """The countries of dct:spatial as the EU country table has them (its scheme, code and
        names: mdr-vocabularies.shape.ttl asks for the scheme, harvesters show the names)."""
        places = {o for described in self.by_subject.values() for o in described.get(DCT.spatial, ())}
        scheme = URIRef(COUNTRY_SCHEME)
        for place in sorted(places, key=str):
            if (place, SKOS.inScheme, scheme) in reference.graph:
                self.add((place, SKOS.inScheme, scheme))
                for prop in (SKOS.notation, SKOS.prefLabel):
                    for value in sorted(reference.graph.objects(place, prop), key=str):
                        self.add((place, prop, value))


def apply(
    catalogue: set[Triple], reference: Reference, options: CatalogOptions = CatalogOptions(),
    sources: Mapping[Node, Sequence[URIRef]] | None = None,
) -> Profile:
    """The profile's additions to (and replacements in) a merged catalogue."""
    data = profile_data()
    work = _Additions(catalogue)
    work.entailed_types(_axioms(reference, data))
    datasets = work.datasets(data, reference)
    catalog, publisher = _catalog(options, data, datasets, work.by_subject, work.add)
    if not any(s == publisher for s, p, _ in data.published) and not work.by_subject[publisher].get(FOAF.name):
        # exit 2, as --prefer or PATH=AGENCY naming an agency not described (merging/merge.py)
        described = Names()
        for subject, properties in work.by_subject.items():
            if isinstance(subject, URIRef) and str(subject).startswith(str(AGENCY)) and properties.get(FOAF.name):
                ident = str(subject)[len(str(AGENCY)):]
                described.add(ident, ident, ident)
        meant = described.suggest(str(publisher).rsplit("/", 1)[-1], 2)
        raise UsageError(f"the catalogue's publisher {publisher} is not described in the records; nothing was "
                         "written", hint=(f"did you mean {' or '.join(meant)}? " if meant else "")
                         + "give an agency of agencies.ttl (it needs a foaf:name)")
    records = work.records(catalog, datasets, data, options, sources or {})
    work.concepts(data, reference)
    # none of them contributed (as `add`): what the records state is told apart (the quality score reads it)
    additions = work.added | {t for t in _used_static(data, chain(catalogue, work.added)) if t not in catalogue}
    return Profile(catalog, publisher, additions, work.replaced, records, datasets)


# The nearest match first: agency-type.ttl matches most kinds closely, national statistical
# offices broadly (a national authority), and some kinds to two publisher types.
_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)


def _publisher_type(kind: Node, reference: Reference) -> URIRef | None:
    """The ADMS publisher type an agency kind matches (DCAT-AP: at most one dct:type an agent)."""
    for match in _MATCHES:
        found = sorted(o for o in reference.graph.objects(kind, match)
                       if isinstance(o, URIRef) and o.startswith(PUBLISHER_TYPE))
        if found:
            return found[0]
    return None


def _access_rights(dataset: Node, by_subject: Mapping[Node, Mapping[Node, set[Node]]],
                   reference: Reference, add: Add) -> None:
    """dct:accessRights from the (primary) access level, unless the record states one."""
    described = by_subject[dataset]
    if described.get(DCT.accessRights):
        return
    levels = described.get(MM.primaryAccessLevel) or described.get(MM.accessLevel) or set()
    rights = {r for level in levels for r in reference.graph.objects(level, MM.accessRights)}
    if len(rights) == 1:
        add((dataset, DCT.accessRights, rights.pop()))


def _catalog(options: CatalogOptions, data: ProfileData, datasets: Sequence[Node],
             by_subject: Mapping[Node, Mapping[Node, set[Node]]], add: Add) -> tuple[URIRef, URIRef]:
    default = data.catalog
    catalog = URIRef(options.iri) if options.iri else default
    template = [(p, o) for s, p, o in data.published if s == default]
    if options.title:
        template = [(p, o) for p, o in template if p != DCT.title] + [(DCT.title, Literal(options.title, lang="en"))]
    if options.description:
        template = [(p, o) for p, o in template if p != DCT.description]
        template.append((DCT.description, Literal(options.description, lang="en")))
    if options.publisher:
        template = [(p, o) for p, o in template if p != DCT.publisher] + [(DCT.publisher, options.publisher)]
    for prop, value in template:
        add((catalog, prop, value))
    for dataset in datasets:
        add((catalog, DCAT.dataset, dataset))
        for country in by_subject[dataset].get(DCT.spatial, ()):
            add((catalog, DCT.spatial, country))
    publisher = next(o for p, o in template if p == DCT.publisher)
    assert isinstance(publisher, URIRef)
    return catalog, publisher


def _date_of(dataset: Node, by_subject: Mapping[Node, Mapping[Node, set[Node]]],
             options: CatalogOptions) -> Literal | None:
    """Its record's dct:modified, else --date, else the day its facts were checked (mm:checkedOn):
    the rule of merging/sources.py."""
    said = by_subject[dataset]
    modified = newest_day(said.get(DCT.modified, ()))
    if modified is None and options.date:
        return Literal(options.date, datatype=XSD.date)
    return modified or newest_day(said.get(MM.checkedOn, ()))


def _used_static(data: ProfileData, graph: Iterable[Triple]) -> set[Triple]:
    """The static descriptions (agents, concepts, schemes) the catalogue refers to (`graph`: its
    statements, not made one set first: a set of 380,000 statements hashes each again)."""
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    for triple in data.published:
        if triple[0] != data.catalog:
            by_subject[triple[0]].append(triple)
    used = {o for _, _, o in graph}
    found: set[Triple] = set()
    todo = [s for s in by_subject if s in used]
    seen = set(todo)
    while todo:
        for triple in by_subject[todo.pop()]:
            found.add(triple)
            if triple[2] in by_subject and triple[2] not in seen:
                seen.add(triple[2])
                todo.append(triple[2])
    return found


__all__ = ["GENID", "CatalogOptions", "Profile", "apply", "profile_data", "record_iri"]
