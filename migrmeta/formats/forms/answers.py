"""A contributor's answer as typed -> an RDF term, or a reason and a suggestion.

Statisticians answer in words: a code of a SKOS list or its label in English, French or
Spanish (any case, accents optional), a country as an ISO code or a name, a date as a year,
year-month or full date, yes / no / oui / non / sí. Every parser raises `AnswerError` with a
message that quotes what was written and, where one is close, the answer that was probably
meant (difflib against codes and labels in three languages).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import InputError
from migrmeta.load import iter_records
from migrmeta.load.reference import Reference
from migrmeta.namespaces import COUNTRY, COUNTRY_SCHEME, DCT, FOAF, MM, RDF, SKOS, XSD, scheme_iri
from migrmeta.validation.across import check_catalogue
from migrmeta.validation.checks import Outcome, summarize
from migrmeta.validation.findings import Explainer, Finding
from migrmeta.validation.runner import check_items, explain_results

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LANG_MARK = re.compile(r"^\[([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\]\s*")
YES = {"yes", "y", "true", "1", "oui", "o", "si", "sí", "vrai", "verdadero"}
NO = {"no", "n", "false", "0", "non", "faux", "falso"}


class AnswerError(ValueError):
    """An answer that cannot be used; `suggestion` is an answer that would be accepted."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        self.message = message
        self.suggestion = suggestion
        text = f"{message}; did you mean \"{suggestion}\"?" if suggestion else message
        super().__init__(text)

    def __str__(self) -> str:
        return self.args[0]


def normalize(text: str) -> str:
    """Case, accents, spacing and hyphens do not matter when matching an answer."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").replace("-", " ").replace("_", " ").split())


def suggest(text: str, candidates: dict[str, str]) -> str | None:
    """The candidate (as it is displayed) closest to `text`; keys are normalized forms."""
    key = normalize(text)
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
    if close:
        return candidates[close[0]]
    within = sorted({shown for norm, shown in candidates.items() if key and len(key) > 3 and key in norm})
    return within[0] if len(within) == 1 else None


@dataclass(frozen=True)
class Choice:
    """One allowed answer: the code stored and the label shown."""

    iri: str
    code: str
    label: str


class Vocabulary:
    """Lookups of the SKOS lists and the country list by code and by label."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self._names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._shown: dict[str, dict[str, str]] = defaultdict(dict)
        self._choices: dict[str, list[Choice]] = defaultdict(list)
        self._titles: dict[str, str] = {}
        graph = reference.graph
        for concept in sorted(reference.concepts.values(), key=lambda c: c.notation):
            name = concept.scheme.rsplit("/", 1)[-1] if concept.scheme != COUNTRY_SCHEME else "country"
            label = concept.labels.get("en") or concept.notation
            self._choices[name].append(Choice(concept.iri, concept.notation, label))
            # (accepted word, what a suggestion shows): French and Spanish labels suggest the
            # English one, so that a message reads the same whatever was mistyped
            words = [(concept.notation, concept.notation), (label, label)]
            words += [(text, label) for text in concept.labels.values()]
            words += [(text, text) for text in concept.alt_labels]
            if name == "country":
                alpha2 = graph.value(URIRef(concept.iri), MM.alpha2)
                words += [(str(alpha2), str(alpha2))] if alpha2 is not None else []
            elif "." in concept.notation:
                last = concept.notation.rsplit(".", 1)[-1]
                words.append((last, last))
            for word, shown in words:
                self._names[name][normalize(word)].add(concept.iri)
                self._shown[name].setdefault(normalize(word), shown)
        for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
            title = next((t for t in graph.objects(scheme, DCT.title)
                          if isinstance(t, Literal) and t.language == "en"), None)
            key = "country" if str(scheme) == COUNTRY_SCHEME else str(scheme).rsplit("/", 1)[-1]
            self._titles[key] = str(title) if title is not None else key

    def choices(self, scheme: str) -> list[Choice]:
        return list(self._choices[scheme])

    def title(self, scheme: str) -> str:
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
        text = answer.strip()
        if text.startswith("<") and text.endswith(">"):
            return URIRef(text[1:-1])
        if scheme != "country" and text.startswith(scheme_iri(scheme) + "/"):
            text = text.rsplit("/", 1)[-1]
        if scheme == "country" and text.startswith(str(COUNTRY)):
            text = text[len(str(COUNTRY)):]
        found = sorted(self._names[scheme].get(normalize(text), set()))
        if len(found) == 1:
            return URIRef(found[0])
        if len(found) > 1:
            codes = ", ".join(self.code_of(iri, scheme) or iri for iri in found)
            raise AnswerError(f"\"{text}\" fits several answers ({codes}): write one of these codes")
        if scheme == "country":
            raise AnswerError(f"\"{text}\" is not a country code or name",
                              suggest(text, self._shown[scheme]))
        raise AnswerError(f"\"{text}\" is not in the list \"{self.title(scheme)}\"",
                          suggest(text, self._shown[scheme]))


class Agencies:
    """The agencies a record may name: from records/agencies.ttl and the form itself."""

    def __init__(self, graph: Graph | None = None) -> None:
        self.ids: dict[str, URIRef] = {}
        self._names: dict[str, set[str]] = defaultdict(set)
        self._shown: dict[str, str] = {}
        if graph is not None:
            self.add_graph(graph)

    def add(self, slug: str, iri: URIRef, names: Iterable[str] = ()) -> None:
        self.ids[slug] = iri
        for word in [slug, *names]:
            self._names[normalize(word)].add(slug)
            self._shown.setdefault(normalize(word), word)

    def add_graph(self, graph: Graph) -> None:
        for agency in sorted(set(graph.subjects(RDF.type, FOAF.Organization))
                             | set(graph.subjects(RDF.type, MM.Agency)), key=str):
            if isinstance(agency, URIRef):
                slug = str(agency).rstrip("/").rsplit("/", 1)[-1]
                names = [str(n) for p in (FOAF.name, SKOS.altLabel) for n in graph.objects(agency, p)]
                self.add(slug, agency, names)

    def resolve(self, answer: str, namespace: str) -> URIRef:
        """An agency id, acronym, name or IRI -> the agency IRI."""
        text = answer.strip()
        if text.startswith("<") and text.endswith(">"):
            return URIRef(text[1:-1])
        if IRI.match(text) and "://" in text:
            return URIRef(text)
        found = sorted(self._names.get(normalize(text), set()))
        if len(found) == 1:
            return self.ids[found[0]]
        if len(found) > 1:
            raise AnswerError(f"\"{text}\" names several agencies ({', '.join(found)}): write the id")
        if SLUG.match(text) and not self.ids:  # nothing known to check against
            return URIRef(namespace + text)
        hint = "add it to records/agencies.ttl or to the form's agencies: list"
        message = f"\"{text}\" is not a known agency ({hint})"
        raise AnswerError(message, suggest(text, self._shown))


# --- scalar answers ----------------------------------------------------------------------------


def parse_date(answer: object) -> Literal:
    """2019 -> xsd:gYear, 2019-10 -> xsd:gYearMonth, 2019-10-01 (or a date cell) -> xsd:date."""
    if isinstance(answer, dt.datetime):
        answer = answer.date()
    if isinstance(answer, dt.date):
        return Literal(answer.isoformat(), datatype=XSD.date)
    text = str(answer).strip()
    match = _DATE.match(text)
    if not match:
        raise AnswerError(f"\"{text}\" is not a date: write a year (2019), a month (2019-10) "
                          "or a day (2019-10-01)")
    year, month, day = match.groups()
    try:
        if day:
            dt.date(int(year), int(month), int(day))
        elif month and not 1 <= int(month) <= 12:
            raise ValueError
    except ValueError:
        raise AnswerError(f"\"{text}\" is not a real date (check the month and day)") from None
    datatype = XSD.date if day else XSD.gYearMonth if month else XSD.gYear
    return Literal(text, datatype=datatype)


def parse_boolean(answer: object) -> Literal:
    if isinstance(answer, bool):
        return Literal("true" if answer else "false", datatype=XSD.boolean)
    text = normalize(str(answer))
    if text in YES:
        return Literal("true", datatype=XSD.boolean)
    if text in NO:
        return Literal("false", datatype=XSD.boolean)
    raise AnswerError(f"\"{answer}\" is not yes or no (yes/no, oui/non, sí/no)")


def parse_integer(answer: object, minimum: int | None = None) -> Literal:
    if isinstance(answer, bool):
        raise AnswerError(f"\"{answer}\" is not a whole number")
    if isinstance(answer, float) and answer.is_integer():
        answer = int(answer)
    text = str(answer).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise AnswerError(f"\"{answer}\" is not a whole number (e.g. 3914)")
    value = int(text)
    if minimum is not None and value < minimum:
        raise AnswerError(f"\"{answer}\" is too small (at least {minimum})")
    return Literal(str(value), datatype=XSD.integer)


def parse_iri(answer: object) -> URIRef:
    text = str(answer).strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if not IRI.match(text):
        fix = f"https://{text}" if "." in text and " " not in text else None
        raise AnswerError(f"\"{text}\" is not a web address (it must start with https:// or "
                          "http://)", fix)
    return URIRef(text)


def parse_slug_or_iri(answer: object, namespace: str) -> URIRef:
    """A survey id (`ph-lfs`) or a full IRI."""
    text = str(answer).strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if SLUG.match(text):
        return URIRef(namespace + text)
    if IRI.match(text) and "://" in text:
        return URIRef(text)
    raise AnswerError(f"\"{text}\" is not an id: use lower-case letters, digits and '-'",
                      slugify(text) or None)


def split_language(text: str, default: str | None) -> tuple[str, str | None]:
    """`[fr] Enquête` -> ('Enquête', 'fr'); otherwise the text in the default language."""
    match = _LANG_MARK.match(text)
    if match:
        return text[match.end():].strip(), match.group(1).lower()
    return text.strip(), default


def parse_text(answer: object, default_lang: str | None) -> Literal:
    text, lang = split_language(str(answer), default_lang)
    if not text:
        raise AnswerError("the text is empty")
    return Literal(text, lang=lang) if lang else Literal(text)


def slugify(text: str) -> str:
    bare = normalize(text)
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-")


# --- checking what an importer produced -------------------------------------------------------


@dataclass
class Catalogue:
    """The records already published (records/): agencies to name, hosts and ids to know."""

    graphs: list[tuple[str, Graph]] = field(default_factory=list)

    def agencies(self) -> Agencies:
        found = Agencies()
        for _, graph in self.graphs:
            found.add_graph(graph)
        return found

    def owner(self, subject: Node) -> str | None:
        """The file that already describes `subject` (a survey or series), if any."""
        for source, graph in self.graphs:
            if (subject, RDF.type, MM.Survey) in graph or (subject, RDF.type, MM.SurveySeries) in graph:
                return source
        return None


def load_catalogue(path: Path | None) -> Catalogue:
    """Every readable record under `path` (unreadable ones are left to `migrmeta validate`)."""
    if path is None or not path.exists():
        return Catalogue()
    return Catalogue([(r.source, r.graph) for r in iter_records([path]) if not isinstance(r, InputError)])


_CONTEXT_CHECKS = ("unknown_agency", "host_absent")  # need the catalogue to be judged


def check_graphs(graphs: Sequence[tuple[str, Graph]], reference: Reference, *, lang: str = "en",
                 catalogue: Catalogue | None = None) -> dict[str, list[Finding]]:
    """Validate in-memory record graphs with the shapes and the checks across records.

    The graphs are checked together (so two rows with one id are caught) and against the
    catalogue for what needs it (agencies, host surveys); overlap with the catalogue itself
    is the importer's business (it may be an update).
    """
    # each graph is read back by the one reader, so its blank nodes stay its own
    items = [(source, graph.serialize(format="nt", encoding="utf-8"), "ntriples") for source, graph in graphs]
    outcomes = check_items(items, reference, jobs=os.cpu_count() or 1)  # batches of 50, in parallel
    explainer = Explainer(reference, lang)
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
    "SLUG",
    "Agencies",
    "AnswerError",
    "Catalogue",
    "Choice",
    "Vocabulary",
    "check_graphs",
    "load_catalogue",
    "normalize",
    "parse_boolean",
    "parse_date",
    "parse_integer",
    "parse_iri",
    "parse_slug_or_iri",
    "parse_text",
    "slugify",
    "split_language",
    "suggest",
]
