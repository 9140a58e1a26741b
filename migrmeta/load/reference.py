"""Reference data: the ontology, the SKOS vocabularies, the country list and the shapes.

Loaded once per process, each graph parsed when first used. `Reference.closure_for(graph)`
gives the few vocabulary triples a record needs for validation (scheme membership,
hierarchy, location roles of the concepts it uses), so each record is validated against a
small graph instead of the whole reference.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta import resources
from migrmeta.errors import UsageError
from migrmeta.load.files import read_trusted
from migrmeta.namespaces import MM, MMSH, RDF, RDFS, SH, SKOS
from migrmeta.rdf.terms import value_order

# What the project's shapes read of a concept (labels and definitions are left out, unless a
# shape's path names them: `closure_for`'s `read`).
_CLOSURE_PREDICATES = (RDF.type, SKOS.inScheme, SKOS.broader, MM.locationRole, SKOS.notation)


def reference_files() -> list[Path]:
    """The ontology, the vocabularies and the country list, in a stable order."""
    files = [resources.ontology_file(), resources.outside_terms_file(), resources.countries_file()]
    files += sorted(resources.vocabulary_dir().glob("*.ttl"))
    return [f for f in files if f.is_file()]


def shape_files(shapes_dir: Path | None = None) -> list[Path]:
    return sorted((shapes_dir or resources.shapes_dir()).glob("*.ttl"))


class ShapesOwner(StrEnum):
    """Whose shapes a folder holds: migrmeta's (any version, under any file names), a user's
    own (a profile: DCAT-AP 3, a national one), or both."""

    MIGRMETA = "migrmeta"
    USER = "user"
    MIXED = "mixed"


def shapes_owner(shapes_dir: Path | None) -> ShapesOwner:
    """Whose the shapes of `shapes_dir` are (None: the bundled ones, migrmeta's), by their node
    shapes' IRIs: migrmeta's are all in its shapes namespace (mmsh:), whatever the files are
    called or whichever version they are."""
    if shapes_dir is None:
        return ShapesOwner.MIGRMETA
    graph = _parse_files(shape_files(shapes_dir))
    shapes = {str(s) for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    ours = {s for s in shapes if s.startswith(str(MMSH))}
    if ours and ours == shapes:
        return ShapesOwner.MIGRMETA
    return ShapesOwner.MIXED if ours else ShapesOwner.USER


def _parse_files(files: Iterable[Path]) -> Graph:
    """The files' statements, each subject's values added in order: pySHACL words a shape's
    several sh:node values ("every Shape in (A, B)") in the order the graph gives them."""
    graph = Graph()
    for path in files:
        parsed = read_trusted(path).graph
        graph.addN((s, p, o, graph) for s, p, o in sorted(parsed, key=value_order))
    return graph


def fingerprint(files: Iterable[Path]) -> str:
    """A hash of the files' names and contents: part of every cache key."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class Concept:
    iri: str
    scheme: str
    notation: str
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: list[str] = field(default_factory=list)


class Reference:
    """The reference data and the shapes; each graph is parsed the first time it is used (a
    validation whose compiled shapes are cached needs neither)."""

    def __init__(self, graph: Graph | None = None, shapes: Graph | None = None, fingerprint: str = "", *,
                 graph_files: Sequence[Path] = (), shape_files: Sequence[Path] = ()) -> None:
        self._graph, self._shapes, self.fingerprint = graph, shapes, fingerprint
        self.graph_files, self.shape_files = list(graph_files), list(shape_files)
        self._closure: dict[frozenset[Node], dict[Node, list[tuple[Node, Node, Node]]]] = {}
        self._concepts: dict[str, Concept] | None = None
        self._item_names: dict[int, dict[str, str]] | None = None
        self._answering: dict[int, frozenset[URIRef]] | None = None
        self._items_of: dict[Node, frozenset[int]] = {}
        self._pref_labels: dict[Node, dict[str | None, str]] = {}
        self._schemes: dict[Node, frozenset[Node]] = {}

    def __repr__(self) -> str:
        return f"Reference(fingerprint={self.fingerprint!r})"

    @property
    def graph(self) -> Graph:
        """The ontology, the vocabularies and the country list."""
        if self._graph is None:
            self._graph = _parse_files(self.graph_files)
        return self._graph

    @property
    def shapes(self) -> Graph:
        if self._shapes is None:
            self._shapes = _parse_files(self.shape_files)
        return self._shapes

    def closure_triples(self, read: Iterable[Node] = ()) -> list[tuple[Node, Node, Node]]:
        """What the shapes read of the vocabularies: the statements `closure_for` picks from."""
        predicates = dict.fromkeys([*_CLOSURE_PREDICATES, *sorted(read, key=str)])
        return [t for p in predicates for t in self.graph.triples((None, p, None))]

    def closure_index(self, read: frozenset[Node] = frozenset()) -> dict[Node, list[tuple[Node, Node, Node]]]:
        index = self._closure.get(read)
        if index is None:
            by_subject: dict[Node, list[tuple[Node, Node, Node]]] = defaultdict(list)
            for triple in self.closure_triples(read):
                by_subject[triple[0]].append(triple)
            index = self._closure[read] = dict(by_subject)
        return index

    def closure_for(self, graph: Graph, read: frozenset[Node] = frozenset()) -> list[tuple[Node, Node, Node]]:
        """Reference triples about every IRI the record uses (as object or predicate), following
        skos:broader: those the project's shapes read, and those of the predicates `read` (what
        the shapes' paths name, shacl.path_predicates: DCAT-AP 3 asks every skos:Concept for a
        skos:prefLabel)."""
        seen: set[Node] = set()
        index = self.closure_index(read)
        used = {*graph.objects(), *graph.predicates()}  # a predicate's declaration: is it a known term
        todo: list[Node] = [o for o in used if isinstance(o, URIRef) and o in index]
        triples: list[tuple[Node, Node, Node]] = []
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for triple in index.get(node, ()):
                triples.append(triple)
                if triple[1] in (SKOS.broader, MM.locationRole) and triple[2] not in seen:
                    todo.append(triple[2])
        # the declarations of the predicates these bring (a scheme's dct:source): the record's
        # nodes they describe are checked for unknown properties too (shapes/vocabulary.ttl)
        for predicate in {t[1] for t in triples} - seen:
            triples += index.get(predicate, ())
        return triples

    @property
    def concepts(self) -> dict[str, Concept]:
        if self._concepts is None:
            self._concepts = _concepts(self.graph)
        return self._concepts

    def scheme_concepts(self, scheme: str) -> list[Concept]:
        return sorted(
            (c for c in self.concepts.values() if c.scheme == scheme), key=lambda c: c.notation
        )

    def pref_labels(self, node: Node) -> Mapping[str | None, str]:
        """The node's skos:prefLabel in the reference graph by language (None: untagged), read
        once per node: the DDI file and the schema.org JSON-LD of each survey ask for the same
        concepts again (a tenth of the DDI file's time when each asked the graph)."""
        found = self._pref_labels.get(node)
        if found is None:
            found = self._pref_labels[node] = {getattr(v, "language", None): str(v)
                                               for v in self.graph.objects(node, SKOS.prefLabel)}
        return found

    def schemes_of(self, node: Node) -> frozenset[Node]:
        """The concept schemes the node is in (skos:inScheme), read once per node: the quality
        score and the importers test every closed answer (a statement looked up in the reference
        graph is a walk through rdflib's store each time)."""
        found = self._schemes.get(node)
        if found is None:
            found = self._schemes[node] = frozenset(self.graph.objects(node, SKOS.inScheme))
        return found

    def item_names(self) -> dict[int, dict[str, str]]:
        """Questionnaire item number -> {language: short name}, from the ontology (read once:
        a publish asks for them once per survey page)."""
        if self._item_names is None:
            self._item_names = self._read_item_names()
        return self._item_names

    def answering_terms(self) -> dict[int, frozenset[URIRef]]:
        """Questionnaire item number -> the terms that record its answer: the ontology's
        `mm:itemN mm:answeredBy`, the data model's one statement of it (read once)."""
        if self._answering is None:
            terms: dict[int, frozenset[URIRef]] = {}
            for item in self.graph.subjects(RDF.type, MM.QuestionnaireItem):
                number = self.graph.value(item, SKOS.notation)
                if number is not None:
                    terms[int(str(number))] = frozenset(t for t in self.graph.objects(item, MM.answeredBy)
                                                        if isinstance(t, URIRef))
            self._answering = dict(sorted(terms.items()))
            found: dict[Node, set[int]] = defaultdict(set)
            for item_number, answering in self._answering.items():
                for term in answering:
                    found[term].add(item_number)
            self._items_of = {term: frozenset(numbers) for term, numbers in found.items()}
        return self._answering

    def item_of_terms(self) -> dict[Node, int]:
        """Term -> the one item it is shown under where one must be chosen (a change in `migrmeta
        diff`, an answer on a survey page, a field an export loses): the lowest it answers
        (`answering_terms`)."""
        self.answering_terms()
        return {term: min(items) for term, items in self._items_of.items()}

    def items_answered_by(self, predicates: Iterable[Node]) -> frozenset[int]:
        """The items that statements with these predicates answer (`answering_terms`, read the
        other way: mm:locationRole answers items 3 and 9, dct:rights item 14)."""
        self.answering_terms()
        return frozenset(n for p in set(predicates) for n in self._items_of.get(p, ()))

    def _read_item_names(self) -> dict[int, dict[str, str]]:
        names: dict[int, dict[str, str]] = {}
        for item in self.graph.subjects(RDF.type, MM.QuestionnaireItem):
            number = self.graph.value(item, SKOS.notation)
            if number is None:
                continue
            names[int(str(number))] = {
                label.language or "en": str(label)
                for label in self.graph.objects(item, RDFS.label)
                if isinstance(label, Literal)
            }
        return names


def _concepts(g: Graph) -> dict[str, Concept]:
    """Every concept of the reference data by IRI, with its scheme, notation and labels."""
    concepts: dict[str, Concept] = {}
    for concept, scheme in g.subject_objects(SKOS.inScheme):
        notation = g.value(concept, SKOS.notation)
        entry = Concept(str(concept), str(scheme), str(notation) if notation else str(concept))
        for label in g.objects(concept, SKOS.prefLabel):
            if isinstance(label, Literal) and label.language:
                entry.labels[label.language] = str(label)
        entry.alt_labels = [str(a) for a in g.objects(concept, SKOS.altLabel)]
        concepts[str(concept)] = entry
    return concepts


@cache
def load_reference(shapes_dir: Path | None = None) -> Reference:
    """The reference data and the shapes (once per process; parsed when first used)."""
    ref_files = reference_files()
    shp_files = shape_files(shapes_dir)
    if shapes_dir is not None and not shp_files:
        raise UsageError(f"{shapes_dir}: no shapes here (no *.ttl file); nothing would be checked",
                         hint="give the folder that holds the SHACL shapes as Turtle files (e.g. DCAT-AP 3's)")
    return Reference(fingerprint=fingerprint([*ref_files, *shp_files]), graph_files=ref_files, shape_files=shp_files)
