"""Outside values -> the catalogue's terms, shared by the DDI and DCAT importers.

Importers meet the same problems: free text that names a concept of a vocabulary, a
period to write, an agency to name in a page. Values themselves (dates, countries,
agencies, concept labels, ids) are read by the value toolkit, `migrmeta.values`, the same
as forms and sheets; what is here is what only the DDI and DCAT mappings need: keyword
rules, concept IRIs of other vocabularies (DDI CV) and how a draft is written.

Drafts are written deterministically: blank nodes get ids derived from their content, and
the Turtle header says where the draft came from (never the time it was made).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.loss import LossReport
from migrmeta.io.files import write_atomically
from migrmeta.io.names import file_name
from migrmeta.load.reference import Reference
from migrmeta.namespaces import COUNTRY_SCHEME, DCAT, DCT, FOAF, RDF, SKOS, scheme_iri
from migrmeta.rdf.readonly import Statements
from migrmeta.rdf.turtle import turtle
from migrmeta.values.agencies import Agencies
from migrmeta.values.concepts import Concepts
from migrmeta.values.iris import doi_of
from migrmeta.values.text import fold, is_slug, pick, slug, text_sort_key

# rdflib's DCAT namespace lists DCAT 2 terms; DCAT 3 ones are spelled out from it.
IN_SERIES = URIRef(f"{DCAT}inSeries")
DATASET_SERIES = URIRef(f"{DCAT}DatasetSeries")

# --- drafts -----------------------------------------------------------------------------------


def stable_bnode(*parts: object) -> BNode:
    """A blank node whose id depends only on its content: same input, same Turtle."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return BNode(f"b{digest[:16]}")


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


# An access level its words deny is none: "This dataset is not open access", "Not available
# for public use" (a reviewer's find: both gave the level they deny). A denial counts only a
# few words before the keyword, in its clause: "Households with no migrants ... simple random
# sampling" denies no sampling, nor "Data cannot be redistributed and are available as a public
# use file" the public use. "No cost", "without registration" deny nothing of the kind.
_FREE = r"(?!\s+(?:cost|charge|fees?|registration|restrictions?)\b)"
_NEGATION = re.compile(rf"\b(?:not|never|neither|nor|cannot|can't|isn't|aren't)\b|\bno\b{_FREE}|"
                       rf"\bwithout\b{_FREE}", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.;:!?,\n]|\bbut\b|\bhowever\b|\bexcept\b", re.IGNORECASE)
_DENIAL_WORDS = 4  # a denial this many words before the keyword, or nearer, denies it


def affirmed(pattern: re.Pattern[str], text: str) -> bool:
    """The pattern is found in `text` once at least without a denial ("not", "no", "never"...)
    among the few words before it in its clause."""
    for found in pattern.finditer(text):
        before = text[:found.start()]
        breaks = [b.end() for b in _CLAUSE_BREAK.finditer(before)]
        near = " ".join(before[breaks[-1] if breaks else 0:].split()[-_DENIAL_WORDS:])
        if not _NEGATION.search(near):
            return True
    return False


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
    # DDI CV TimeMethod: "Longitudinal: Trend/Repeated cross-section" (Longitudinal.TrendRepeatedCrossSection)
    # asks new samples each time: not a panel
    (r"repeated[- ]?cross[- ]?section|\btrend\b", "repeated-cross-section"),
    (r"\bpanel\b|\blongitudinal\b(?![\s:./-]*(trend|repeated))", "longitudinal.panel"),
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
    """Vocabulary concepts found by their IRI, a mapped IRI (DDI CV), a label or keyword rules."""

    def __init__(self, reference: Reference) -> None:
        g = reference.graph
        self.graph, self.reference = g, reference
        self.concepts = Concepts.from_reference(reference)
        self._mapped: dict[str, URIRef] = {}
        for concept, scheme in g.subject_objects(SKOS.inScheme):
            if not isinstance(concept, URIRef) or str(scheme) == COUNTRY_SCHEME:
                continue
            self._mapped[str(concept)] = concept
            for match in (
                *g.objects(concept, SKOS.exactMatch),
                *g.objects(concept, SKOS.closeMatch),
            ):
                self._mapped.setdefault(str(match), concept)

    def by_iri(self, iri: str, scheme: str) -> URIRef | None:
        """Our concept for its own IRI or a DDI CV IRI it is mapped to (exact/close match)."""
        concept = self._mapped.get(iri)
        if concept is not None and URIRef(scheme_iri(scheme)) in self.reference.schemes_of(concept):
            return concept
        return None

    def by_label(self, text: str, scheme: str) -> URIRef | None:
        """The concept whose code or label (any language) is the whole text."""
        return self.concepts.exact(scheme, text)

    def labels_in(self, text: str, scheme: str, min_words: int = 2) -> list[URIRef]:
        """Concepts whose label of `min_words` words or more occurs in the text."""
        folded = f" {fold(text)} "
        found = set()
        for entry in self.concepts.in_scheme(scheme):
            for label in (*entry.labels.values(), *entry.alt_labels):
                key = fold(label)
                if len(key.split()) >= min_words and f" {key} " in folded:
                    found.add(URIRef(entry.iri))
        return sorted(found)

    def by_rules(self, text: str, scheme: str, rules: Iterable[tuple[re.Pattern[str], str]],
                 denied: bool = False) -> list[URIRef]:
        """Concepts named by keyword rules (pattern -> notation), most specific only; with
        `denied`, a keyword its words deny ("not open access") names none."""
        base = scheme_iri(scheme)
        found = {URIRef(f"{base}/{notation}") for pattern, notation in rules
                 if (affirmed(pattern, text) if denied else pattern.search(text))}
        found = {c for c in found if URIRef(base) in self.reference.schemes_of(c)}
        return sorted(self.most_specific(found))

    def most_specific(self, concepts: set[URIRef]) -> set[URIRef]:
        ancestors: set[Node | None] = set()
        for concept in concepts:
            ancestors |= set(self.graph.transitive_objects(concept, SKOS.broader)) - {concept}
        return {c for c in concepts if c not in ancestors}

    def label(self, concept: Node, lang: str = "en") -> str:
        labels = self.reference.pref_labels(concept)
        return labels.get(lang) or labels.get("en") or str(concept).rsplit("/", 1)[-1]


_terms: dict[int, tuple[Graph, Terms]] = {}


def terms_for(reference: Reference) -> Terms:
    """The Terms of a reference, built once (indexing the vocabularies takes a moment)."""
    cached = _terms.get(id(reference.graph))
    if cached is None or cached[0] is not reference.graph:  # the graph is kept, so ids stay unique
        cached = _terms[id(reference.graph)] = (reference.graph, Terms(reference))
    return cached[1]


# --- agencies ------------------------------------------------------------------------------


def new_agency_note(agencies: Agencies, agency: URIRef) -> str:
    """The loss report's note on a new agency: where it belongs, and known ones it may be."""
    entry = agencies.new.get(agency)
    if entry is not None and entry.elsewhere is not None:
        return (f"new agency {agency}: its name or acronym is that of {agencies.shown(entry.elsewhere)}, "
                "based in none of the survey's countries, so it was not "
                f"taken for it: if it is that agency, use <{entry.elsewhere}>; else check it is not already in "
                "records/agencies.ttl, then move its description there")
    similar = ", ".join(f"<{iri}>" for iri in entry.similar) if entry else ""
    maybe = f" (it may be {similar}: then use that one)" if similar else ""
    return (f"new agency {agency}: check it is not already in records/agencies.ttl{maybe}, "
            "then move its description there")


def study_dois(graph: Statements, dataset: Node) -> list[str]:
    """The DOIs that identify the dataset itself, each once: those of its landing pages, then of
    its distributions' access and download URLs (the World Bank's Microdata Library gives a
    study's DOI as both). Never a DOI the record only cites (`dct:source`, `dct:isReferencedBy`,
    a citation): that is another work's (a journal article on the survey), not the survey's."""
    landing = sorted(str(p) for p in graph.objects(dataset, DCAT.landingPage))
    files = sorted({str(u) for d in graph.objects(dataset, DCAT.distribution)
                    for p in (DCAT.accessURL, DCAT.downloadURL) for u in graph.objects(d, p)})
    return list(dict.fromkeys(doi for page in landing + files if (doi := doi_of(page))))


def agency_name(graph: Statements, agency: Node, lang: str = "en") -> str:
    """Its foaf:name as the site's pages choose one for `lang` (`pick`), else its IRI's last part."""
    found = pick(sorted(graph.objects(agency, FOAF.name), key=text_sort_key), lang)
    return found.value if found is not None else str(agency).rstrip("/").rsplit("/", 1)[-1]


# --- writing drafts ------------------------------------------------------------------------


@dataclass
class Draft:
    """A draft record made by an importer: the survey, its graph and what was lost."""

    survey: URIRef
    identifier: str
    graph: Graph
    report: LossReport
    header: list[str] = field(default_factory=list)
    origin: str = ""  # where in the source it came from, for messages ("row 3")

    @property
    def filename(self) -> str:
        return draft_filename(self.identifier)

    def turtle(self) -> str:
        return draft_turtle(self.graph, self.header)


def draft_turtle(graph: Graph, header: Iterable[str]) -> str:
    """Deterministic Turtle (the one writer) with a comment header."""
    return turtle(graph, header=header)


def write_text(path: Path, text: str) -> None:
    """Write atomically: a half-written draft never replaces a good one."""
    write_atomically(path, text)


def draft_filename(identifier: str, n: int = 1, *, source: str = "") -> str:
    """A draft's name on disk: `<id>.ttl` (`<id>-<n>.ttl` for the n-th draft of one id). An
    outside identifier that is not a record id is made one (`slug`) first; the name then goes
    through the one rule for names on disk (io/names.py), so no identifier can name a path."""
    name = identifier if is_slug(identifier) else slug(identifier) or "unnamed"
    return file_name(name if n == 1 else f"{name}-{n}", ".ttl", source=source or identifier)


def write_draft(draft: Draft, output: Path, taken: set[str], name: str | None = None) -> Path:
    """Write the draft to OUTPUT/<name> (default: its id, with -2, -3... when the id is
    already taken in this run); the name is added to `taken`."""
    if name is None:
        n = 1
        name = draft_filename(draft.identifier)
        while name in taken:
            n += 1
            name = draft_filename(draft.identifier, n)
    taken.add(name)
    target = output / name
    write_text(target, draft.turtle())
    draft.report.output = str(target)
    return target
