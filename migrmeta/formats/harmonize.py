"""Outside values -> the catalogue's terms, shared by the DDI and DCAT importers.

Importers meet the same problems: a country given as `eth`, `DE` or `Deutschland`; an
organisation named in two languages or with its acronym; a date as `2003`, `2003-05` or
`1851-01-01 00:00:00.000`; free text that names a concept of a vocabulary. Everything here
is looked up in the project's data (countries.ttl, the SKOS vocabularies, agencies.ttl), so
a new label in a vocabulary improves every importer without a code change.

Drafts are written deterministically: blank nodes get ids derived from their content, and
the Turtle header says where the draft came from (never the time it was made).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.loss import LossReport
from migrmeta.io.files import write_atomically
from migrmeta.load import parse_bytes
from migrmeta.load.reference import Reference
from migrmeta.namespaces import AGENCY, COUNTRY_SCHEME, DCAT, DCT, FOAF, MM, RDF, SKOS, XSD, scheme_iri
from migrmeta.rdf.turtle import turtle

# rdflib's DCAT namespace lists DCAT 2 terms; DCAT 3 ones are spelled out from it.
IN_SERIES = URIRef(f"{DCAT}inSeries")
DATASET_SERIES = URIRef(f"{DCAT}DatasetSeries")

# --- text --------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name, for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain.casefold()).split())


def slug(text: str, max_length: int = 60) -> str:
    """Lower-case ASCII id, `-` separated (the project's IRI convention), cut at a word."""
    value = "-".join(fold(text).replace("_", " ").split())
    value = re.sub(r"[^a-z0-9-]", "", value.encode("ascii", "ignore").decode()).strip("-")
    if len(value) > max_length:
        value = value[:max_length].rsplit("-", 1)[0]
    return value or "unnamed"


def stable_bnode(*parts: object) -> BNode:
    """A blank node whose id depends only on its content: same input, same Turtle."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return BNode(f"b{digest[:16]}")


# --- dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_RANGE = re.compile(r"^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*(?:-|–|—|/|to)\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*$")


def parse_date(text: str, *, whole: bool = False) -> Literal | None:
    """`2003`, `2003-05`, `2003-05-12`, `2003-05-12T00:00:00Z`, `1851-01-01 00:00:00.000` ->
    an xsd:gYear / gYearMonth / date literal. With `whole`, nothing may follow the date."""
    text = text.strip()
    found = _ISO.match(text)
    if not found:
        return None
    rest = text[found.end() :]
    if whole and rest.strip():
        return None
    if rest and not re.match(r"^([T ]\d{2}:\d{2}|Z|[+-]\d{2}:\d{2}|\s*$)", rest):
        return None
    year, month, day = found.groups()
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return None
    if day:
        return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    if month:
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    return Literal(year, datatype=XSD.gYear)


def parse_range(text: str) -> tuple[Literal, Literal] | None:
    """`1851 - 1911`, `2008/2010`, `2009-09-01/2010-05-31` -> (start, end)."""
    found = _RANGE.match(text)
    if found:
        start, end = parse_date(found.group(1), whole=True), parse_date(found.group(2), whole=True)
        if start is not None and end is not None:
            return start, end
    if "/" in text:  # ISO 8601 intervals with times: 2009-09-01T12:00:00Z/2010-05-31T12:00:00Z
        first, _, second = text.partition("/")
        start, end = parse_date(first), parse_date(second)
        if start is not None and end is not None:
            return start, end
    return None


def _key(value: Literal, end: bool) -> tuple[int, int, int]:
    parts = [int(p) for p in str(value).split("-")]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    day = parts[2] if len(parts) > 2 else (31 if end else 1)
    return parts[0], month, day


def earliest(values: Iterable[Literal]) -> Literal | None:
    return min(values, key=lambda v: _key(v, False), default=None)


def latest(values: Iterable[Literal]) -> Literal | None:
    return max(values, key=lambda v: _key(v, True), default=None)


def add_period(graph: Graph, subject: URIRef, start: Literal, end: Literal | None) -> None:
    """dct:temporal [ a dct:PeriodOfTime ; dcat:startDate ; dcat:endDate ]."""
    node = stable_bnode(subject, "temporal", start, end)
    graph.add((subject, DCT.temporal, node))
    graph.add((node, RDF.type, DCT.PeriodOfTime))
    graph.add((node, DCAT.startDate, start))
    if end is not None:
        graph.add((node, DCAT.endDate, end))


# --- wording -> concepts ------------------------------------------------------------------
# Keyword rules (pattern -> notation in the scheme) for free text in outside catalogues:
# DDI sampProc, anlyUnit, timeMeth and use statements, DCAT rights. Only wording that is
# clear is matched; importers note every guess so the curator checks it. Vocabulary labels
# are tried first (Terms.by_label); these rules catch the usual phrasings around them.


def _rules(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), notation) for pattern, notation in pairs)


SAMPLE_RULES = _rules(
    (
        r"\bno sampling\b|\btotal universe\b|\bcomplete enumeration\b|\bfull count\b",
        "complete-enumeration",
    ),
    (r"\bsimple random\b", "probability.simple-random"),
    (r"\bsystematic(ally)? (random|sampl|select)|\bsystematically\b", "probability.systematic"),
    (r"\bdisproportion", "probability.stratified.disproportional"),
    (r"\bproportional(ly)? (allocat|stratif)", "probability.stratified.proportional"),
    (r"\bstratif", "probability.stratified"),
    (r"\bcluster", "probability.cluster"),
    (r"\b(multi|two|three|four|2|3|4)[- ]?stages?\b|\bmultistage\b", "probability.multistage"),
    (r"\bPPS\b|probability proportional(ly)? to", "probability.pps"),
    (r"(?<!non-)(?<!non )\b(random(ly)?|probability sampl\w*)\b", "probability"),
    (r"\bquota", "nonprobability.quota"),
    (r"\bsnowball", "nonprobability.snowball"),
    (r"respondent[- ]driven", "nonprobability.rds"),
    (r"\bconvenience\b|\bavailability sampl", "nonprobability.convenience"),
    (r"\bpurposive|\bjudge?ment(al)? sampl", "nonprobability.purposive"),
    (r"\bnon[- ]?probability", "nonprobability"),
)
UNIT_RULES = _rules(
    (r"\bindividual|\bperson|\brespondent", "individual"),
    (r"\bhousehold", "household"),
    (r"\bfamil(y|ies)\b", "family"),
    (r"\bdwelling|\bhousing unit", "dwelling"),
    (r"\bcommunit(y|ies)\b|\blocalit(y|ies)\b|\bvillages?\b", "community"),
)
DESIGN_RULES = _rules(
    (r"repeated cross[- ]?section", "repeated-cross-section"),
    (r"\bpanel\b|\blongitudinal\b", "longitudinal.panel"),
)
ACCESS_RULES = _rules(
    (r"\bpublic[- ]use\b", "public-use"),
    (r"\blicen[cs]ed\b|\bscientific use\b", "licensed"),
    (r"\benclave\b|\bsecure (data )?(lab|access|use)", "restricted-enclave"),
    (r"\bopen (data|access)\b|\bdirect access\b|\bfreely available\b", "open"),
)


def is_census(text: str) -> bool:
    """DDI dataKind for a census (`Census/enumeration data [cen]`, the NADA wording)."""
    return bool(re.search(r"\[cen\]|^census\b", text.strip(), re.IGNORECASE))


# --- countries and concepts ---------------------------------------------------------------


class Terms:
    """Countries and vocabulary concepts, found by code, label or mapped IRI."""

    def __init__(self, reference: Reference) -> None:
        g = reference.graph
        self.graph = g
        self._codes: dict[str, URIRef] = {}
        self._country_names: dict[str, URIRef] = {}
        for country in g.subjects(SKOS.inScheme, URIRef(COUNTRY_SCHEME)):
            if not isinstance(country, URIRef):
                continue
            for code in (*g.objects(country, SKOS.notation), *g.objects(country, MM.alpha2)):
                self._codes[str(code).upper()] = country
            for label in g.objects(country, SKOS.prefLabel):
                self._country_names.setdefault(fold(str(label)), country)
        self._mapped: dict[str, URIRef] = {}
        self._labels: dict[str, dict[str, URIRef]] = {}
        for concept, scheme in g.subject_objects(SKOS.inScheme):
            if not isinstance(concept, URIRef) or str(scheme) == COUNTRY_SCHEME:
                continue
            self._mapped[str(concept)] = concept
            for match in (
                *g.objects(concept, SKOS.exactMatch),
                *g.objects(concept, SKOS.closeMatch),
            ):
                self._mapped.setdefault(str(match), concept)
            names = self._labels.setdefault(str(scheme), {})
            for label in (*g.objects(concept, SKOS.prefLabel), *g.objects(concept, SKOS.altLabel)):
                names.setdefault(fold(str(label)), concept)

    def country(self, code: str | None = None, name: str | None = None) -> URIRef | None:
        """An alpha-2 or alpha-3 code (any case) or a name in English, French or Spanish."""
        if code and code.strip().upper() in self._codes:
            return self._codes[code.strip().upper()]
        if name:
            return self._country_names.get(fold(name))
        return None

    def by_country_iri(self, iri: str) -> URIRef | None:
        """The country for an EU authority IRI of the list (deprecated ones are not)."""
        node = URIRef(iri)
        return node if (node, SKOS.inScheme, URIRef(COUNTRY_SCHEME)) in self.graph else None

    def country_label(self, country: Node, lang: str = "en") -> str:
        labels = {getattr(lbl, "language", None): str(lbl) for lbl in self.graph.objects(country, SKOS.prefLabel)}
        return labels.get(lang) or labels.get("en") or str(country).rsplit("/", 1)[-1]

    def by_iri(self, iri: str, scheme: str) -> URIRef | None:
        """Our concept for its own IRI or a DDI CV IRI it is mapped to (exact/close match)."""
        concept = self._mapped.get(iri)
        if concept is not None and (concept, SKOS.inScheme, URIRef(scheme_iri(scheme))) in self.graph:
            return concept
        return None

    def by_label(self, text: str, scheme: str) -> URIRef | None:
        """The concept whose label (any language) is the whole text."""
        return self._labels.get(scheme_iri(scheme), {}).get(fold(text))

    def labels_in(self, text: str, scheme: str, min_words: int = 2) -> list[URIRef]:
        """Concepts whose label of `min_words` words or more occurs in the text."""
        folded = f" {fold(text)} "
        found = {
            c
            for label, c in self._labels.get(scheme_iri(scheme), {}).items()
            if len(label.split()) >= min_words and f" {label} " in folded
        }
        return sorted(found)

    def by_rules(self, text: str, scheme: str, rules: Iterable[tuple[re.Pattern[str], str]]) -> list[URIRef]:
        """Concepts named by keyword rules (pattern -> notation), most specific only."""
        base = scheme_iri(scheme)
        found = {URIRef(f"{base}/{notation}") for pattern, notation in rules if pattern.search(text)}
        found = {c for c in found if (c, SKOS.inScheme, URIRef(base)) in self.graph}
        return sorted(self.most_specific(found))

    def most_specific(self, concepts: set[URIRef]) -> set[URIRef]:
        ancestors: set[Node | None] = set()
        for concept in concepts:
            ancestors |= set(self.graph.transitive_objects(concept, SKOS.broader)) - {concept}
        return {c for c in concepts if c not in ancestors}

    def label(self, concept: Node, lang: str = "en") -> str:
        labels = {getattr(lbl, "language", None): str(lbl) for lbl in self.graph.objects(concept, SKOS.prefLabel)}
        return labels.get(lang) or labels.get("en") or str(concept).rsplit("/", 1)[-1]


_terms: dict[int, tuple[Graph, Terms]] = {}


def terms_for(reference: Reference) -> Terms:
    """The Terms of a reference, built once (indexing the vocabularies takes a moment)."""
    cached = _terms.get(id(reference.graph))
    if cached is None or cached[0] is not reference.graph:  # the graph is kept, so ids stay unique
        cached = _terms[id(reference.graph)] = (reference.graph, Terms(reference))
    return cached[1]


# --- agencies ------------------------------------------------------------------------------

_ACRONYM_IN_NAME = re.compile(r"^(.*\S)\s*\(([A-Z][A-Z0-9&.\-]{1,11}s?)\)\s*$")


@dataclass
class NewAgency:
    iri: URIRef
    names: dict[str, str] = field(default_factory=dict)  # lang ("" = unknown) -> name
    acronyms: set[str] = field(default_factory=set)
    homepage: str | None = None


class Agencies:
    """Existing agencies (records/agencies.ttl) matched by name or acronym; new ones named.

    A new agency's IRI is derived from its name (English if known), so importing the same
    file twice, or a file exported from the catalogue, gives the same IRI.
    """

    def __init__(self, graph: Graph | None = None) -> None:
        self.graph = graph if graph is not None else Graph()
        self._names: dict[str, URIRef] = {}
        self._acronyms: dict[str, URIRef] = {}
        known = set(self.graph.subjects(RDF.type, FOAF.Organization)) | set(self.graph.subjects(RDF.type, MM.Agency))
        for agency in sorted(known, key=str):
            if not isinstance(agency, URIRef):
                continue
            for name in self.graph.objects(agency, FOAF.name):
                self._names.setdefault(fold(str(name)), agency)
            for acronym in self.graph.objects(agency, SKOS.altLabel):
                self._acronyms.setdefault(str(acronym).strip(), agency)
        self.new: dict[URIRef, NewAgency] = {}

    @classmethod
    def from_file(cls, path: Path | None) -> Agencies:
        if path is None or not path.is_file():
            return cls()
        return cls(parse_bytes(path.read_bytes(), str(path), "turtle").graph)

    def resolve(self, names: dict[str, str], acronym: str | None = None, homepage: str | None = None) -> URIRef:
        """names: {lang: name} of one organisation. Returns its IRI (existing or new)."""
        for name in names.values():  # the full name first: "Institute of Statistics (Albania)"
            if fold(name) in self._names:
                return self._names[fold(name)]
        clean: dict[str, str] = {}
        acronyms = {acronym.strip()} if acronym and acronym.strip() else set()
        for lang, name in names.items():
            split = _ACRONYM_IN_NAME.match(name)
            if split:  # "Central Statistical Authority (CSA)"
                name = split.group(1)
                acronyms.add(split.group(2))
            clean[lang] = " ".join(name.split())
        for name in clean.values():
            if fold(name) in self._names:
                return self._names[fold(name)]
            if name in self._acronyms:
                return self._acronyms[name]
        for acr in sorted(acronyms):
            if acr in self._acronyms:
                return self._acronyms[acr]
        main = clean.get("en") or next(iter(sorted(clean.items())), ("", ""))[1]
        iri = AGENCY[slug(main)]
        entry = self.new.setdefault(iri, NewAgency(iri))
        for lang, name in clean.items():
            entry.names.setdefault(lang, name)
        entry.acronyms |= acronyms
        entry.homepage = entry.homepage or homepage
        for name in clean.values():
            self._names.setdefault(fold(name), iri)
        for acr in acronyms:
            self._acronyms.setdefault(acr, iri)
        return iri

    def describe(self, graph: Graph, used: Iterable[Node], default_lang: str) -> list[URIRef]:
        """Add the description of each new agency in `used` to the graph; returns them."""
        added: list[URIRef] = []
        for iri in sorted({u for u in used if isinstance(u, URIRef) and u in self.new}):
            entry = self.new[iri]
            graph.add((iri, RDF.type, FOAF.Agent))
            graph.add((iri, RDF.type, FOAF.Organization))
            graph.add((iri, RDF.type, MM.Agency))
            for lang, name in sorted(entry.names.items()):
                graph.add((iri, FOAF.name, Literal(name, lang=lang or default_lang)))
            for acronym in sorted(entry.acronyms):
                graph.add((iri, SKOS.altLabel, Literal(acronym)))
            if entry.homepage:
                graph.add((iri, FOAF.homepage, URIRef(entry.homepage)))
            added.append(iri)
        return added


def agency_name(graph: Graph, agency: Node, lang: str = "en") -> str:
    names = {getattr(n, "language", None) or "": str(n) for n in graph.objects(agency, FOAF.name)}
    return (
        names.get(lang)
        or names.get("en")
        or names.get("")
        or next(iter(sorted(names.values())), str(agency).rsplit("/", 1)[-1])
    )


# --- writing drafts ------------------------------------------------------------------------


@dataclass
class Draft:
    """A draft record made by an importer: the survey, its graph and what was lost."""

    survey: URIRef
    identifier: str
    graph: Graph
    report: LossReport
    header: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.identifier}.ttl"

    def turtle(self) -> str:
        return draft_turtle(self.graph, self.header)


def draft_turtle(graph: Graph, header: Iterable[str]) -> str:
    """Deterministic Turtle (the one writer) with a comment header."""
    return turtle(graph, header=header)


def write_text(path: Path, text: str) -> None:
    """Write atomically: a half-written draft never replaces a good one."""
    write_atomically(path, text)
