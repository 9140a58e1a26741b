"""DCAT catalogues (CKAN, DCAT-AP portals, Project Open Data) -> draft survey records.

    result = import_dcat("catalog.ttl")                 # or an http(s) URL
    for draft in result.drafts: ...

Turtle, RDF/XML and JSON-LD are read from a file or a URL (see migrmeta.fetch: size cap,
timeouts, Hydra paging). One draft per dcat:Dataset: title, description, keywords, countries
(EU country IRIs, or names in English, French or Spanish), time frame, publisher and creator
as agencies, landing page, distributions with their URLs (and the endpoint of a data service
serving the dataset), access rights and rights text. What is not carried over, of the dataset
or of what points at it (`^dcat:servesDataset/...`, `^foaf:primaryTopic`), is in the report.
DCAT has nothing for items 6-12 (sample, sampling unit, design, populations, migrant types,
identification, remittances): each draft's report lists them for the curator.

JSON-LD naming a remote @context is never fetched: give a local copy with
`contexts={iri: path}` (`--context IRI=FILE`), or the import stops with an error saying so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import InputError
from migrmeta.formats.dcat.paging import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    DEFAULT_TIMEOUT,
    Fetched,
    fetch_pages,
    is_url,
)
from migrmeta.formats.harmonize import (
    ACCESS_RULES,
    DATASET_SERIES,
    IN_SERIES,
    Draft,
    Terms,
    add_period,
    new_agency_note,
    stable_bnode,
    terms_for,
)
from migrmeta.formats.importing import Batch, Message
from migrmeta.formats.loss import LossReport, items_to_complete
from migrmeta.load import read_bounded
from migrmeta.load.reference import Reference, load_reference
from migrmeta.merging.dataset import merged_file
from migrmeta.namespaces import (
    ACCESS_RIGHT,
    DCAT,
    DCT,
    DISCO,
    FOAF,
    MM,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SURVEY,
    VCARD,
    XSD,
    IriSpace,
)
from migrmeta.progress import Progress, tell
from migrmeta.rdf import syntaxes
from migrmeta.rdf.curie import curie
from migrmeta.rdf.reader import parse
from migrmeta.rdf.terms import Converter
from migrmeta.values.agencies import Agencies
from migrmeta.values.countries import countries
from migrmeta.values.dates import earliest, ends_before, latest, parse_date, parse_period
from migrmeta.values.errors import BadValue
from migrmeta.values.iris import is_web_address
from migrmeta.values.text import language_tag, shortened, slug

# schema.org is written both ways in the wild (datos.gob.es uses http).
_SDO_HTTP = IriSpace("http://schema.org/")
_LOCN = IriSpace("http://www.w3.org/ns/locn#")
_NAMES = (FOAF.name, SKOS.prefLabel, VCARD.fn, RDFS.label, DCT.title, _LOCN.geographicName)
MAPPED = {
    RDF.type,
    DCT.identifier,
    DCT.title,
    DCT.description,
    DCAT.keyword,
    *(_TEXTS := (DCT.alternative, DISCO.purpose, DCT.bibliographicCitation)),
    DCAT.landingPage,
    DCT.spatial,
    DCT.temporal,
    DCT.publisher,
    DCT.creator,
    DCAT.distribution,
    DCT.accessRights,
    DCT.rights,
    DCT.license,
    DCT.contributor,
    DCT.isReferencedBy,
    DCT.source,
    FOAF.page,
    PROV.qualifiedAttribution,
}

DRAFTING = "drafting datasets"  # the stage an import reports (migrmeta.progress)

@dataclass
class DcatImport:
    drafts: list[Draft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)  # pages that failed after others were read


def read_dcat_source(source: str, progress: Progress | None = None, **options: Any) -> Batch:
    """The converter's reader (formats/registry.py): a DCAT file or URL -> a draft per dataset;
    warnings (paging stopped, series not imported) as notes, pages that failed as errors."""
    result = import_dcat(source, progress=progress, **options)
    return Batch(result.drafts, [Message("warning", warning) for warning in result.warnings], result.errors)


_WEB_PAGES = ("text/html", "application/xhtml+xml")


def import_dcat(
    target: str,
    *,
    reference: Reference | None = None,
    agencies: Agencies | None = None,
    lang: str = "en",
    contexts: dict[str, Path] | None = None,
    input_format: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> DcatImport:
    """A DCAT file or URL -> one draft per dcat:Dataset (all Hydra pages of a URL); `progress`
    hears of the datasets drafted."""
    contexts = contexts or {}
    result = DcatImport()
    graph = Graph()
    if is_url(target):

        def parse(page: Fetched) -> Graph:
            if input_format is None and page.content_type in _WEB_PAGES:  # its words read as a Turtle error
                raise InputError(page.url, f"the server answered a web page ({page.content_type}), not RDF",
                                 hint="give the address of the catalogue's RDF (portals link it as Turtle, "
                                      "RDF/XML or JSON-LD, often as 'DCAT' or 'RDF'), or "
                                      "{--input-format|input_format=} when the server mislabels it")
            return parse_rdf(page.data, page.url, input_format or page.format, base=page.url, contexts=contexts)

        pages = fetch_pages(target, parse, max_pages=max_pages, max_bytes=max_bytes, timeout=timeout)
        for _, page_graph in pages.pages:
            graph += page_graph
        result.warnings.extend(pages.warnings)
        result.errors.extend(pages.errors)
    else:
        path = Path(target)
        data = read_bounded(path, target)
        syntax = syntaxes.for_path(path)
        fmt = input_format or (syntax.name if syntax else None)
        if fmt is None:
            raise InputError(
                target,
                f"unknown file type {path.suffix or '(none)'!r}",
                hint="name it .ttl, .rdf or .jsonld, or give {--input-format|input_format=}",
            )
        published = merged_file(target) if fmt in ("trig", "nquads") else None
        if published is not None:  # a site's catalog.trig: as published, not the union of its graphs,
            graph = Graph()        # which holds the values a conflict set aside
            convert = Converter().triple
            for triple in published.as_published():
                graph.add(convert(triple))
        else:
            graph = parse_rdf(data, target, fmt, contexts=contexts)
    reference = reference or load_reference()
    # its own copy of the known agencies: the new ones another source names (and their acronyms)
    # never reach this source's drafts, which depend on this source only
    mapper = _Mapper(graph, target, terms_for(reference), (agencies or Agencies()).copy(), reference, lang)
    # a dcat:DatasetSeries (typed dcat:Dataset too, or not: DCAT 3 makes it one) is a series
    # draft, made first so that its rounds' dcat:inSeries name the series' new IRI
    series = list(mapper.series)
    datasets = sorted(set(graph.subjects(RDF.type, DCAT.Dataset)) - set(series), key=str)
    if not datasets and not series:
        raise InputError(target, "holds no dcat:Dataset", hint="give a DCAT catalogue or dataset description")
    used_ids: set[str] = set()
    everything = [*series, *datasets]
    for done, dataset in enumerate(everything):
        tell(progress, DRAFTING, done, len(everything))
        draft = mapper.draft(dataset, used_ids)
        used_ids.add(draft.identifier)
        result.drafts.append(draft)
    tell(progress, DRAFTING, len(everything), len(everything))
    return result


def parse_rdf(
    data: bytes, source: str, fmt: str, *, base: str | None = None, contexts: dict[str, Path] | None = None
) -> Graph:
    """Turtle, RDF/XML, N-Triples, TriG, N-Quads or JSON-LD -> a graph, through the one reader."""
    try:
        quads = parse(data, source, fmt, base=base, contexts=contexts)
    except InputError as exc:  # a JSON document with no statement says why itself (rdf/reader.py)
        if "is remote and is not fetched" in exc.problem:
            raise InputError(exc.location.source, exc.problem, hint="give a local copy of that context with "
                             "{--context IRI=FILE|contexts={IRI: FILE}} (remote contexts are never fetched)") from exc
        raise
    graph = Graph()
    convert = Converter().triple
    for quad in quads:
        graph.add(convert(quad))
    return graph


class _Mapper:
    def __init__(
        self, graph: Graph, source: str, terms: Terms, agencies: Agencies, reference: Reference, lang: str
    ) -> None:
        self.g, self.source, self.terms, self.agencies, self.reference = graph, source, terms, agencies, reference
        self.lang = lang
        self.untagged = lang  # the language of untagged text in the dataset being drafted (its dct:language)
        self.countries: frozenset[URIRef] = frozenset()  # the countries of the dataset being drafted
        # each series of the catalogue, sorted -> its draft's IRI, once drafted
        self.series: dict[Node, URIRef] = dict.fromkeys(sorted(set(graph.subjects(RDF.type, DATASET_SERIES)), key=str),
                                                        URIRef(""))
        # what is drafted: a link from one of these to a dataset is in that draft's own report
        self.drafted = set(graph.subjects(RDF.type, DCAT.Dataset)) | set(self.series)

    def names(self, node: Node) -> dict[str, str]:
        found: dict[str, str] = {}
        if isinstance(node, Literal):
            return {node.language or self.untagged: str(node)}
        for predicate in _NAMES:
            for name in sorted(self.g.objects(node, predicate), key=str):
                if isinstance(name, Literal) and str(name).strip():
                    found.setdefault(name.language or self.untagged, str(name).strip())
        return found

    def draft(self, dataset: Node, used: set[str]) -> Draft:
        """One dataset's draft; a series' (one of `self.series`: typed as records type a series,
        its rounds drafted after it point to it)."""
        g = self.g
        report = LossReport(self.source, "DCAT -> migrmeta draft")
        identifier = self.identifier(dataset, used)
        survey = SURVEY[identifier]
        report.target = str(survey)
        out = Graph()

        def add(p: URIRef, o: Node) -> None:
            out.add((survey, p, o))

        is_series = dataset in self.series
        if is_series:
            self.series[dataset] = survey
        for kind in (MM.SurveySeries, DATASET_SERIES, DISCO.StudyGroup) if is_series else \
                (MM.Survey, DCAT.Dataset, DISCO.Study):
            add(RDF.type, kind)
        add(DCT.identifier, Literal(identifier))
        if isinstance(dataset, URIRef) and dataset != survey:  # where it was read; not itself, when
            add(DCT.source, dataset)  # the catalogue is one migrmeta published (the survey's own IRI)
        self.own_identifiers(dataset, identifier, add, report)
        # the language of its untagged text: "es", or an IRI of the EU authority table (.../language/DEU)
        languages = {tag for v in g.objects(dataset, DCT.language) if (tag := language_tag(str(v))) is not None}
        dataset_lang = languages.pop() if len(languages) == 1 else None
        self.untagged = dataset_lang or self.lang  # its agents' untagged names too
        untagged = False
        # the texts of the questionnaire a DCAT document may hold (its own, or one migrmeta published)
        for predicate in (DCT.title, DCT.description, DCAT.keyword, *_TEXTS):
            for value in sorted(g.objects(dataset, predicate), key=str):
                if isinstance(value, Literal) and str(value).strip():
                    if predicate == DCT.alternative:  # acronyms and codes ("LSMS 2005"): untagged, as records hold them
                        add(predicate, Literal(" ".join(str(value).split()), lang=value.language))
                        continue
                    untagged |= not value.language
                    add(
                        predicate,
                        Literal(
                            " ".join(str(value).split()) if predicate != DCT.description else str(value).strip(),
                            lang=value.language or dataset_lang or self.lang,
                        ),
                    )
        if untagged and not dataset_lang:
            report.note(f"text without a language tag was tagged @{self.lang} (change it with {{--lang|lang=}})", 1)
        for page in g.objects(dataset, DCAT.landingPage):
            if _is_link(page):
                add(DCAT.landingPage, URIRef(str(page)))
        self.spatial(dataset, add, report)
        # its agents are matched knowing its countries (another country's "INE" is not its own)
        self.countries = frozenset(c for c in out.objects(survey, DCT.spatial) if isinstance(c, URIRef))
        self.temporal(dataset, out, survey, report)
        agents = self.agents(dataset, add, report)
        agents += self.attributions(dataset, out, survey, report)
        self.distributions(dataset, out, survey, report)
        self.services(dataset, out, survey, report)
        self.access(dataset, add, report)
        self.documents(dataset, add, report)  # after self.untagged: a citation given as text is tagged so
        for series in sorted(g.objects(dataset, IN_SERIES), key=str):
            if self.series.get(series):  # a series of this catalogue, drafted before its rounds
                add(IN_SERIES, self.series[series])
            else:
                report.lose(curie(IN_SERIES), note=f"series {series} is not in the catalogue: link a series by hand",
                            item=4)
        mapped = MAPPED | {DCT.language, IN_SERIES}
        for unmapped in sorted(set(g.predicates(dataset, None)) - mapped, key=str):
            ours = str(unmapped).startswith(str(MM))  # a catalogue migrmeta published: its record holds them
            report.lose(curie(unmapped), len(set(g.objects(dataset, unmapped))),
                        note="a migrmeta answer, which DCAT does not carry: the survey's own record has it "
                             "(surveys/<id>.ttl of the site)" if ours else "")
        self.pointing(dataset, report)
        for agency in self.agencies.describe(out, agents, self.untagged):
            report.note(new_agency_note(self.agencies, agency), 5)
        report.to_complete = items_to_complete(out, survey, self.reference)
        header = [
            f"Draft survey record imported from {self.source} (DCAT dataset {dataset})",
            "by `migrmeta import dcat`. Complete the questionnaire items listed in the loss report;",
            "new agencies described below belong in records/agencies.ttl.",
        ]
        return Draft(survey, identifier, out, report, header)

    def identifier(self, dataset: Node, used: set[str]) -> str:
        given = sorted(str(v) for v in self.g.objects(dataset, DCT.identifier))
        candidates = [
            *given,
            str(dataset) if isinstance(dataset, URIRef) else "",
            *sorted(str(t) for t in self.g.objects(dataset, DCT.title)),
        ]
        for candidate in candidates:
            text = candidate.rstrip("/").rsplit("/", 1)[-1] if "://" in candidate else candidate
            if slug(text):
                base, n = slug(text), 2
                value = base
                while value in used:
                    value, n = f"{base}-{n}", n + 1
                return value
        return f"dataset-{len(used) + 1}"

    def own_identifiers(self, dataset: Node, identifier: str, add: Any, report: LossReport) -> None:
        """The source's dct:identifier, where the draft's is not the same: the record's must be
        a slug (shapes/survey.ttl), so a web address is kept as a source document (dct:source),
        anything else is reported; a note or the report says so either way."""
        for given in sorted({str(v).strip() for v in self.g.objects(dataset, DCT.identifier)} - {"", identifier}):
            if _is_link(given):
                add(DCT.source, URIRef(given))
                report.note(f"dct:identifier {given}: kept as dct:source, a web address; the record's "
                            f"identifier is {identifier} (lower-case letters, digits, '-', '.', '_')", 1)
            else:
                report.lose(curie(DCT.identifier), item=1,
                            note=f"{given!r}: the record's identifier is {identifier} (lower-case letters, digits, "
                            "'-', '.', '_'), and one that is no web address has no other place")

    def spatial(self, dataset: Node, add: Any, report: LossReport) -> None:
        for place in sorted(self.g.objects(dataset, DCT.spatial), key=str):
            country: URIRef | None = None
            problem = ""
            if isinstance(place, URIRef) and countries().get(str(place)):
                country = URIRef(str(place))
            else:
                for name in self.names(place).values():
                    try:
                        country = country or countries().resolve(name)
                    except BadValue as exc:
                        problem = problem or f" ({exc})"
            if country is not None:
                add(DCT.spatial, country)
            else:
                shown = place if not isinstance(place, BNode) else "a location without a country name"
                report.lose(curie(DCT.spatial), note=f"{shown}: not a country of ontology/countries.ttl{problem}",
                            item=3)

    def temporal(self, dataset: Node, out: Graph, survey: URIRef, report: LossReport) -> None:
        """dct:temporal as a literal (a date or a period) or a PeriodOfTime; dates the value
        toolkit refuses are listed in the report with its message."""
        starts: list[Literal] = []
        ends: list[Literal] = []
        for period in sorted(self.g.objects(dataset, DCT.temporal), key=str):
            if isinstance(period, Literal):
                try:
                    first, last = parse_period(str(period))
                except BadValue as exc:
                    report.lose(curie(DCT.temporal), note=str(exc), item=4)
                    continue
                starts.append(first)
                ends.extend([last] if last is not None else [])
                continue
            for predicates, bucket in (
                ((DCAT.startDate, SCHEMA.startDate, _SDO_HTTP.startDate), starts),
                ((DCAT.endDate, SCHEMA.endDate, _SDO_HTTP.endDate), ends),
            ):
                for predicate in predicates:
                    for value in sorted(self.g.objects(period, predicate), key=str):
                        try:
                            bucket.append(parse_date(str(value)))
                        except BadValue as exc:
                            report.lose(curie(predicate), note=str(exc), item=4)
        start, end = earliest(starts), latest(ends)
        if start is not None and end is not None and ends_before(start, end):  # it would break item 4
            report.lose(curie(DCT.temporal), note=f"the period ends ({end}) before it starts ({start}): correct "
                        "the dates", item=4)
        elif start is not None:
            add_period(out, survey, start, end)

    def documents(self, dataset: Node, add: Any, report: LossReport) -> None:
        """The documents its facts come from (dct:source; foaf:page, as migrmeta publishes a
        record's dct:source) and the publications using it (dct:isReferencedBy, item 13)."""
        for predicate, ours in ((DCT.source, DCT.source), (FOAF.page, DCT.source),
                                (DCT.isReferencedBy, DCT.isReferencedBy)):
            for document in sorted(self.g.objects(dataset, predicate), key=str):
                if isinstance(document, URIRef):  # a web page, or a book's urn:isbn
                    if document != dataset:
                        add(ours, document)
                elif isinstance(document, Literal) and predicate == DCT.source and str(document).strip():
                    add(DCT.bibliographicCitation, Literal(" ".join(str(document).split()),
                                                           lang=document.language or self.untagged))
                else:  # a citation of a publication, a document without an address
                    report.lose(curie(predicate), note=f"{_shown(document)}: not a web address; give the "
                                "document's address", item=13 if predicate == DCT.isReferencedBy else None)

    def agents(self, dataset: Node, add: Any, report: LossReport) -> list[URIRef]:
        found = []
        for predicate in (DCT.creator, DCT.publisher, DCT.contributor):
            for node in sorted(self.g.objects(dataset, predicate), key=str):
                agency = self.agency(node, predicate, report)
                if agency is not None:
                    add(predicate, agency)
                    found.append(agency)
        return found

    def agency(self, node: Node, predicate: URIRef, report: LossReport) -> URIRef | None:
        """The agency an agent of the catalogue is (matched by name, acronym, web site, kind)."""
        names = self.names(node)
        if not names:
            report.lose(curie(predicate), note=f"{node}: an agent without a name", item=5)
            return None
        homepage = self.g.value(node, FOAF.homepage) if not isinstance(node, Literal) else None
        acronym = self.g.value(node, SKOS.altLabel) if not isinstance(node, Literal) else None
        return self.agencies.match(
            names, str(acronym) if acronym else None, str(homepage) if _is_link(homepage) else None,
            None if isinstance(node, Literal) else self.kind(node, report), countries=self.countries,
        )

    def attributions(self, dataset: Node, out: Graph, survey: URIRef, report: LossReport) -> list[URIRef]:
        """DCAT 3's qualified attributions (an agent and its roles: funder, fieldwork...), with
        the roles of migrmeta's list; a role outside it is in the report."""
        found = []
        for attribution in sorted(self.g.objects(dataset, PROV.qualifiedAttribution), key=str):
            agent = self.g.value(attribution, PROV.agent)
            if agent is None:
                report.lose(curie(PROV.qualifiedAttribution), note="an attribution without an agent (prov:agent)",
                            item=5)
                continue
            agency = self.agency(agent, PROV.qualifiedAttribution, report)  # one without a name: reported there
            if agency is None:
                continue
            roles = []
            for role in sorted(self.g.objects(attribution, DCAT.hadRole), key=str):
                if isinstance(role, URIRef) and self.terms.by_iri(str(role), "agency-role") is not None:
                    roles.append(role)
                else:
                    report.lose(curie(DCAT.hadRole), note=f"{role}: not a role of migrmeta's list", item=5)
            node = stable_bnode(survey, "attribution", agency)
            out.add((survey, PROV.qualifiedAttribution, node))
            out.add((node, RDF.type, PROV.Attribution))
            out.add((node, PROV.agent, agency))
            for role in roles:
                out.add((node, DCAT.hadRole, role))
            found.append(agency)
        return found

    def kind(self, agent: Node, report: LossReport) -> URIRef | None:
        """An agent's agency-type concept: as migrmeta publishes it (org:classification), else
        the one an ADMS publisher type (dct:type, DCAT-AP) closely matches (noted: the ADMS
        list is coarser, a national authority may be a statistical office)."""
        for value in sorted(self.g.objects(agent, ORG.classification), key=str):
            if isinstance(value, URIRef) and self.terms.by_iri(str(value), "agency-type") is not None:
                return value
        for value in sorted(self.g.objects(agent, DCT.type), key=str):
            concept = self.terms.by_iri(str(value), "agency-type") if isinstance(value, URIRef) else None
            if concept is not None:
                report.note(f"{agent}: kind read from dct:type {curie(value)} as {self.terms.label(concept)}: check", 5)
                return concept
        return None

    def distributions(self, dataset: Node, out: Graph, survey: URIRef, report: LossReport) -> None:
        for distribution in self.g.objects(dataset, DCAT.distribution):
            access = [u for u in self.g.objects(distribution, DCAT.accessURL) if _is_link(u)]
            download = [u for u in self.g.objects(distribution, DCAT.downloadURL) if _is_link(u)]
            if not access and not download:
                services = "".join(f"; its data service {s}" for s in self.service_texts(distribution))
                report.lose(curie(DCAT.distribution), note=f"{distribution}: no access or download URL{services}",
                            item=13)
                continue
            url = str(sorted(access or download, key=str)[0])
            node = stable_bnode(survey, "distribution", url, *sorted(map(str, download)))
            out.add((survey, DCAT.distribution, node))
            out.add((node, RDF.type, DCAT.Distribution))
            out.add((node, DCAT.accessURL, URIRef(url)))
            for value in download:
                out.add((node, DCAT.downloadURL, URIRef(str(value))))
            for value in self.g.objects(distribution, DCT.title):
                if isinstance(value, Literal):
                    out.add((node, DCT.title, value))
            media = self.g.value(distribution, DCAT.mediaType)
            if media is not None:
                out.add((node, DCAT.mediaType, media))
            for predicate in (DCT.format, DCT.language, DCT.license):
                for value in self.g.objects(distribution, predicate):
                    if _is_link(value):
                        out.add((node, predicate, URIRef(str(value))))
                    else:
                        report.lose(f"{curie(DCAT.distribution)}/{curie(predicate)}", note=f"{value}: not an IRI",
                                    item=13)
            for value in self.g.objects(distribution, DCT.description):
                if isinstance(value, Literal):
                    out.add((node, DCT.description, value))
            for size in self.g.objects(distribution, DCAT.byteSize):
                out.add((node, DCAT.byteSize, _byte_size(size)))
            for service in self.service_texts(distribution):
                report.lose(f"{curie(DCAT.distribution)}/{curie(DCAT.accessService)}", item=13,
                            note=f"{service}: a data service has no place in a survey record's distribution")
            for other in sorted(set(self.g.predicates(distribution)) - _DISTRIBUTION_KEPT, key=str):
                report.lose(f"{curie(DCAT.distribution)}/{curie(other)}", len(set(self.g.objects(distribution,
                            other))), note="no place in a survey record's distribution", item=13)

    def service_texts(self, distribution: Node) -> list[str]:
        """A distribution's data services (dcat:accessService), each with its endpoint URLs."""
        return [f"{service}" + "".join(f" (endpoint {u})" for u in sorted(map(str, self.g.objects(service,
                DCAT.endpointURL)))) for service in sorted(self.g.objects(distribution, DCAT.accessService), key=str)]

    def services(self, dataset: Node, out: Graph, survey: URIRef, report: LossReport) -> None:
        """A dcat:DataService serving the dataset (dcat:servesDataset, pointing at it): its endpoint
        is a distribution's access URL, with the service's title and description (noted); the rest
        of the service is listed, and a service without an endpoint is reported."""
        kept = set(out.objects(None, DCAT.accessURL))
        where = f"^{curie(DCAT.servesDataset)}"
        for service in sorted(self.g.subjects(DCAT.servesDataset, dataset), key=str):
            endpoints = sorted({URIRef(str(u)) for u in self.g.objects(service, DCAT.endpointURL) if _is_link(u)},
                               key=str)
            if not endpoints:
                report.lose(where, note=f"{service}: a data service serving this dataset, without an endpoint URL",
                            item=13)
            for url in endpoints:
                if url not in kept:  # else a distribution of the dataset gives it already
                    node = stable_bnode(survey, "distribution", url)
                    out.add((survey, DCAT.distribution, node))
                    out.add((node, RDF.type, DCAT.Distribution))
                    out.add((node, DCAT.accessURL, url))
                    for predicate in (DCT.title, DCT.description):
                        for value in self.g.objects(service, predicate):
                            if isinstance(value, Literal):
                                out.add((node, predicate, value))
                report.note(f"{service}, a data service serving this dataset: its endpoint {url} is the access URL "
                            "of a distribution", 13)
            for other in sorted(set(self.g.predicates(service)) - _SERVICE_KEPT, key=str):
                report.lose(f"{where}/{curie(other)}", len(set(self.g.objects(service, other))), item=13,
                            note=f"{service}: no place in a survey record's distribution")

    def pointing(self, dataset: Node, report: LossReport) -> None:
        """What other resources say of the dataset (it is their object), as `^property`: all but
        a catalogue listing it (dcat:dataset: the catalogue is what is read), a dataset or series
        drafted too (its own report lists its links) and the data services serving it (above)."""
        for subject, predicate in sorted(set(self.g.subject_predicates(dataset)), key=str):
            if subject == dataset or subject in self.drafted or predicate == DCAT.servesDataset:
                continue
            if predicate == DCAT.dataset and (subject, RDF.type, DCAT.Catalog) in self.g:
                continue
            kinds = ", ".join(curie(t) for t in sorted(self.g.objects(subject, RDF.type), key=str))
            shown = "a resource without an IRI" if isinstance(subject, BNode) else str(subject)
            report.lose(f"^{curie(predicate)}", note=f"{shown}{f' ({kinds})' if kinds else ''} points at this "
                        "dataset: not carried over")

    def access(self, dataset: Node, add: Any, report: LossReport) -> None:
        for right in self.g.objects(dataset, DCT.accessRights):
            if isinstance(right, URIRef) and str(right).startswith(str(ACCESS_RIGHT)):
                add(DCT.accessRights, right)
            else:
                report.lose(curie(DCT.accessRights), note=f"{right}: not an EU access-right IRI", item=14)
        texts: dict[str, list[str]] = defaultdict(list)
        for right in self.g.objects(dataset, DCT.rights):
            for lang, text in self.names(right).items():
                texts[lang].append(text)
            if not self.names(right):
                report.lose(curie(DCT.rights), note=f"{right}: rights statement without text", item=14)
        # a catalogue migrmeta published states its access levels (not carried over: the survey's
        # record has them); a guess from its rights' words would contradict them ("unknown")
        stated = (dataset, MM.accessLevel, None) in self.g
        for lang, parts in sorted(texts.items()):
            add(DCT.rights, Literal("\n\n".join(sorted(parts)), lang=lang))
            for level in () if stated else self.terms.by_rules("\n".join(parts), "access-level", ACCESS_RULES,
                                                               denied=True):
                add(MM.accessLevel, level)
                report.note(f"access level read from dct:rights as {self.terms.label(level)}: check", 14)
        for license_ in self.g.objects(dataset, DCT.license):
            if _is_link(license_):
                add(DCT.license, URIRef(str(license_)))


_DISTRIBUTION_KEPT = {RDF.type, DCAT.accessURL, DCAT.downloadURL, DCT.title, DCAT.mediaType, DCT.format,
                      DCT.language, DCT.license, DCT.description, DCAT.byteSize, DCAT.accessService}
_SERVICE_KEPT = {RDF.type, DCAT.endpointURL, DCAT.servesDataset, DCT.title, DCT.description}


def _byte_size(value: Node) -> Node:
    """dcat:byteSize as DCAT-AP 3 types it (xsd:nonNegativeInteger); portals write 147253.0 as decimals."""
    try:
        number = float(str(value))
    except ValueError:
        return value
    if number.is_integer() and number >= 0:
        return Literal(str(int(number)), datatype=XSD.nonNegativeInteger)
    return value


def _is_link(value: object) -> bool:
    return value is not None and is_web_address(str(value))


def _shown(value: Node) -> str:
    """A value in a loss note: a literal's text, shortened; a blank node as such."""
    if isinstance(value, Literal):
        return repr(shortened(str(value), 60))
    return "a blank node" if isinstance(value, BNode) else str(value)
