"""A contributor's answer as typed -> an RDF term, or a reason and a suggestion.

Statisticians answer in words: a code of a SKOS list or its label in any language of the
list (any case, accents optional), a country as an ISO code or a name, a date as a year,
year-month or full date, yes / no / oui / non / sí. The values themselves are read by the
value toolkit (`migrmeta.values`: dates, countries, concepts, agencies, IRIs, ids), the
same as every other importer; every parser raises `BadValue` with a message that quotes
what was written and, where one is close, the answer that was probably meant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta import resources
from migrmeta.errors import InputError
from migrmeta.load import iter_records
from migrmeta.load.reference import Reference
from migrmeta.messages import in_every_language, message
from migrmeta.namespaces import COUNTRY_SCHEME, DCT, MM, RDF, SKOS, XSD, scheme_iri
from migrmeta.progress import Progress
from migrmeta.rdf.ntriples import ntriples
from migrmeta.validation.across import check_catalogue
from migrmeta.validation.findings import Explainer, Finding
from migrmeta.validation.outcome import Outcome
from migrmeta.validation.runner import check_records, explain_results
from migrmeta.validation.summaries import summarize
from migrmeta.values.agencies import Agencies
from migrmeta.values.concepts import Concepts
from migrmeta.values.countries import countries
from migrmeta.values.errors import BadValue
from migrmeta.values.iris import is_bracketed, is_iri, parse_iri
from migrmeta.values.numbers import parse_integer as parse_integer  # the one number parser, re-exported
from migrmeta.values.text import fold, is_slug, slug

# The words of a yes/no answer, in every language (those shown, answer.yes / answer.no of
# messages.toml, among them), compared `fold`ed: "Oui.", "SÍ" and "yes!" are yes.
YES = {"yes", "y", "true", "1", "oui", "o", "si", "vrai", "verdadero",
       *(fold(text) for text in in_every_language("answer.yes"))}
NO = {"no", "n", "false", "0", "non", "faux", "falso", *(fold(text) for text in in_every_language("answer.no"))}


@dataclass(frozen=True)
class Choice:
    """One allowed answer: the code stored and the label shown."""

    iri: str
    code: str
    label: str


class Vocabulary:
    """The lists a form answers from, by the form's names (`sample-type`, `country`):
    their choices and titles in `lang` (a message names the list and suggests an answer in the
    contributor's language); answers are looked up by `migrmeta.values` (Concepts, Countries)
    in any language."""

    def __init__(self, reference: Reference, lang: str = "en") -> None:
        self.reference = reference
        self.lang = lang
        self.concepts = Concepts.from_reference(reference)
        self.countries = countries()
        self._choices: dict[str, list[Choice]] = defaultdict(list)
        self._titles: dict[str, str] = {}
        graph = reference.graph
        for concept in sorted(reference.concepts.values(), key=lambda c: c.notation):
            name = concept.scheme.rsplit("/", 1)[-1] if concept.scheme != COUNTRY_SCHEME else "country"
            label = concept.labels.get(lang) or concept.labels.get("en") or concept.notation
            self._choices[name].append(Choice(concept.iri, concept.notation, label))
        for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
            titles = {t.language: str(t) for t in graph.objects(scheme, DCT.title) if isinstance(t, Literal)}
            key = "country" if str(scheme) == COUNTRY_SCHEME else str(scheme).rsplit("/", 1)[-1]
            self._titles[key] = titles.get(lang) or titles.get("en") or key

    def choices(self, scheme: str) -> list[Choice]:
        """The answers of a list, by code, each with its label in the vocabulary's language."""
        return list(self._choices[scheme])

    def title(self, scheme: str) -> str:
        """The list's title in the vocabulary's language ("Statut de l'enquête")."""
        return self._titles.get(scheme, scheme)

    def code_of(self, iri: str, scheme: str) -> str | None:
        """The code written in a form for a concept IRI of `scheme`, None when not in it."""
        concept = self.reference.concepts.get(iri)
        if concept is None:
            return None
        name = "country" if concept.scheme == COUNTRY_SCHEME else concept.scheme.rsplit("/", 1)[-1]
        return concept.notation if name == scheme else None

    def concept(self, scheme: str, answer: str) -> URIRef:
        """A code or label of `scheme` (or `country`) -> the concept IRI."""
        if is_bracketed(answer):
            return parse_iri(answer)
        if scheme == "country":
            return self.countries.resolve(answer, self.lang)
        return self.concepts.resolve(scheme_iri(scheme), answer, self.title(scheme), self.lang)


# --- scalar answers ----------------------------------------------------------------------------


def parse_boolean(answer: object) -> Literal:
    if isinstance(answer, bool):
        return Literal("true" if answer else "false", datatype=XSD.boolean)
    text = fold(str(answer))
    if text in YES:
        return Literal("true", datatype=XSD.boolean)
    if text in NO:
        return Literal("false", datatype=XSD.boolean)
    first = text.split()[0] if text else ""  # "yes please", "non merci": asked again, never taken as a no
    meant = "yes" if first in YES else "no" if first in NO else None
    raise BadValue(f"\"{answer}\" is not yes or no (yes/no, oui/non, sí/no)", meant)


def parse_slug_or_iri(answer: object, namespace: str) -> URIRef:
    """A survey id (`ph-lfs`) or a full IRI (`<https://...>`, checked: absolute, no spaces)."""
    text = str(answer).strip()
    if is_bracketed(text):
        return parse_iri(text)
    if is_slug(text):
        return URIRef(namespace + text)
    if "://" in text and is_iri(text):
        return URIRef(text)
    raise BadValue(f"\"{text}\" is not an id: use lower-case letters, digits and '-'", slug(text) or None)


# --- checking what an importer produced -------------------------------------------------------


@dataclass
class Catalogue:
    """The records already published (records/): agencies to name, hosts and ids to know.
    `bundled`: the agencies file read instead, when there was no catalogue to read."""

    graphs: list[tuple[str, Graph]] = field(default_factory=list)
    bundled: Path | None = None
    _agencies: Agencies | None = field(default=None, init=False, repr=False, compare=False)

    def agencies(self) -> Agencies:
        """The catalogue's agencies, a copy of its own for each caller (read once, copied after:
        a sheet asks once per row)."""
        if self._agencies is None:
            self._agencies = Agencies()
            for _, graph in self.graphs:
                self._agencies.add_graph(graph)
            where = self.agencies_file()
            if where is not None:  # the file this catalogue's agencies are in, not always records/'s
                self._agencies.add_hint = message("hint.agency_form", "en", where=where)  # said in --lang later
        return self._agencies.copy()

    def agencies_file(self) -> str | None:
        """The file describing the catalogue's agencies (the one describing most of them)."""
        counted = [(sum(1 for _ in graph.subjects(RDF.type, MM.Agency)), source) for source, graph in self.graphs]
        most = max(counted, default=(0, ""))
        return most[1] if most[0] else None

    def owner(self, subject: Node) -> str | None:
        """The file that already describes `subject` (a survey or series), if any."""
        for source, graph in self.graphs:
            if (subject, RDF.type, MM.Survey) in graph or (subject, RDF.type, MM.SurveySeries) in graph:
                return source
        return None


def load_catalogue(path: Path | None) -> Catalogue:
    """Every readable record under `path` (unreadable ones are left to `migrmeta validate`).

    Without a catalogue (None, or no such folder: outside the repository), the agencies bundled
    with migrmeta, the same `validate` knows (`resources.bundled_agencies`); `bundled` says so.
    """
    if path is None or not path.exists():
        bundled = resources.bundled_agencies()
        if bundled is None:
            return Catalogue()
        return Catalogue([(str(r.source), r.graph) for r in iter_records([bundled]) if not isinstance(r, InputError)],
                         bundled)
    return Catalogue([(r.source, r.graph) for r in iter_records([path]) if not isinstance(r, InputError)])


_CONTEXT_CHECKS = ("unknown_agency", "host_absent")  # need the catalogue to be judged


def check_graphs(graphs: Sequence[tuple[str, Graph]], reference: Reference, *, lang: str = "en",
                 catalogue: Catalogue | None = None, progress: Progress | None = None,
                 engine: str = "sparql") -> dict[str, list[Finding]]:
    """Validate in-memory record graphs with the shapes and the checks across records.

    The graphs are checked together (so two rows with one id are caught) and against the
    catalogue for what needs it (agencies, host surveys); overlap with the catalogue itself
    is the importer's business (it may be an update).
    """
    # each graph is read back by the one reader, so its blank nodes stay its own
    items = [(source, ntriples(graph).encode("utf-8"), "ntriples") for source, graph in graphs]
    checked = check_records(items, engine=engine, reference=reference, progress=progress)  # one store, compiled
    outcomes = checked.outcomes
    explainer = Explainer(checked.texts, lang)
    found: dict[str, list[Finding]] = {o.source: explain_results(explainer, o) for o in outcomes}
    for finding in check_catalogue(outcomes, explainer.lang, explainer.item_name):
        if finding.component not in _CONTEXT_CHECKS:
            found[finding.source].append(finding)
    context = [Outcome(source, "", summary=summarize(graph)) for source, graph in
               (catalogue.graphs if catalogue else [])]
    for finding in check_catalogue([*outcomes, *context], explainer.lang, explainer.item_name):
        if finding.component in _CONTEXT_CHECKS and finding.source in found:
            found[finding.source].append(finding)
    return found


__all__ = [
    "Catalogue",
    "Choice",
    "Vocabulary",
    "check_graphs",
    "load_catalogue",
    "parse_boolean",
    "parse_integer",
    "parse_slug_or_iri",
]
