"""void.ttl: the VoID description of the published catalogue (how big, what classes and
properties, where its dumps are), for harvesters and SPARQL service descriptions."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.dcat.profile import Profile
from migrmeta.namespaces import BASE, DCT, FOAF, IS_TYPE, RDF, SURVEY, VOID, interned
from migrmeta.rdf.curie import Curies

Triple = tuple[Node, Node, Node]
_TYPE = interned(RDF.type)  # hoisted: rdflib's closed namespaces are slow to look up in loops


def void_description(published: set[Triple], profile: Profile, base_url: str | None,
                     dumps: Iterable[str], with_provenance: str | None = None) -> list[Triple]:
    """The VoID description of the published catalogue: counts, partitions by class and
    property, and the catalogue files (`dumps`) as its data dumps, under `base_url`; the file
    `with_provenance` (catalog.trig) as the dump of a dataset the catalogue is a subset of."""
    base_url = base_url or BASE
    base = base_url if base_url.endswith("/") else base_url + "/"
    dataset = URIRef(f"{base}void.ttl#catalogue")
    classes: Counter[Node] = Counter()
    properties: Counter[Node] = Counter()
    subjects: set[Node] = set()
    objects: set[Node] = set()
    for s, p, o in published:
        subjects.add(s)
        objects.add(o)
        properties[p] += 1
        if p in IS_TYPE:
            classes[o] += 1
    entities = sum(1 for s in subjects if str(s).startswith(str(SURVEY)))
    catalog = {profile.catalog}  # a set, as namespaces.IS_TYPE
    modified = next((o for s, p, o in published if s in catalog and p == DCT.modified), None)
    title = sorted((o for s, p, o in published if s in catalog and p == DCT.title), key=str)
    triples: list[Triple] = [
        (dataset, _TYPE, VOID.Dataset),
        (dataset, FOAF.primaryTopic, profile.catalog),
        (dataset, VOID.rootResource, profile.catalog),
        (dataset, DCT.publisher, profile.publisher),
        (dataset, VOID.triples, Literal(len(published))),
        (dataset, VOID.entities, Literal(entities)),
        (dataset, VOID.distinctSubjects, Literal(len(subjects))),
        (dataset, VOID.distinctObjects, Literal(len(objects))),
        (dataset, VOID.properties, Literal(len(properties))),
        (dataset, VOID.classes, Literal(len(classes))),
        (dataset, VOID.uriSpace, Literal(str(SURVEY))),
    ]
    triples += [(dataset, DCT.title, t) for t in title]
    if modified is not None:
        triples.append((dataset, DCT.modified, modified))
    if profile.surveys:
        triples.append((dataset, VOID.exampleResource, profile.surveys[0]))
    triples += [(dataset, VOID.dataDump, URIRef(f"{base}{name}")) for name in dumps]
    if with_provenance:
        triples += _with_provenance(URIRef(f"{base}void.ttl#with-provenance"), dataset,
                                    URIRef(f"{base}{with_provenance}"))
    namespaces = sorted({str(p).rsplit("#", 1)[0] + "#" if "#" in str(p) else str(p).rsplit("/", 1)[0] + "/"
                         for p in properties})
    triples += [(dataset, VOID.vocabulary, URIRef(n)) for n in namespaces]
    names = Curies()
    for cls, count in classes.items():
        node = partition(dataset, "class", cls, names)
        triples += [(dataset, VOID.classPartition, node), (node, VOID["class"], cls),
                    (node, VOID.entities, Literal(count))]
    for prop, count in properties.items():
        node = partition(dataset, "property", prop, names)
        triples += [(dataset, VOID.propertyPartition, node), (node, VOID.property, prop),
                    (node, VOID.triples, Literal(count))]
    return triples


def partition(dataset: URIRef, kind: str, term: Node, names: Curies) -> URIRef:
    """`void.ttl#class-dcat-Dataset`: named after the class or property, stable across runs."""
    name = names.iri(str(term))
    if name.startswith("<"):
        name = hashlib.sha256(str(term).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{str(dataset).split('#')[0]}#{kind}-{name.replace(':', '-')}")



def _with_provenance(node: URIRef, catalogue: URIRef, dump: URIRef) -> list[Triple]:
    """catalog.trig: the catalogue's statements by contribution, with what the merge and the
    profile set aside. Its union holds more than the catalogue (a harvester loading it whole
    gets the contributed wording beside the published one), so it is not a dump of it."""
    return [(node, _TYPE, VOID.Dataset), (node, VOID.subset, catalogue), (node, VOID.dataDump, dump),
            (node, DCT.title, Literal("The catalogue with its provenance", lang="en")),
            (node, DCT.description, Literal(
                "One named graph per contribution (who contributed which statements, from which file), the "
                "statements that lost a merge conflict (<graph>/superseded), the contributed wording the DCAT-AP "
                "profile replaced (<graph>/replaced) and the profile's additions; the contribution graphs and the "
                "profile's graph together are the catalogue.", lang="en"))]


__all__ = ["partition", "void_description"]
