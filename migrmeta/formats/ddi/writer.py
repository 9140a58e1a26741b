"""Survey records -> DDI Codebook 2.5 XML (valid against the DDI-C 2.5.1 XSD), with a loss report.

    xml, report = export_ddi(graph, survey_iri, agencies=agencies_graph)

One codeBook per survey. Elements are written in the XSD's order. Concepts of the project's
vocabularies are written as `<concept vocab="migrmeta" vocabURI="...">label</concept>` inside
the DDI element that holds them (sampProc, anlyUnit, universe, timeMeth for a time dimension;
keywords carry vocabURI; dedicated survey or module is a method note whose type is the concept),
so `migrmeta import ddi` reads them back exactly. What DDI Codebook has no place
for (how migrants are identified, remittances, dissemination means, host survey, location
roles, ...) is listed in the report, by property and questionnaire item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import InputError
from migrmeta.formats.ddi.reader import XML_LANG
from migrmeta.formats.ddi.xml import DESIGN_NOTE, OWN_SOFTWARE, OWN_VOCAB, TIME_METHODS
from migrmeta.formats.exporting import Written
from migrmeta.formats.harmonize import IN_SERIES, agency_name, study_dois, terms_for
from migrmeta.formats.loss import LossReport
from migrmeta.io.cells import xml_text
from migrmeta.io.safexml import parser
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import AGENCY_ROLE, DCAT, DCT, DISCO, FOAF, MM, PROV, RDF, RDFS, SKOS
from migrmeta.rdf.curie import curie
from migrmeta.rdf.readonly import ReadOnlyGraph, Statements
from migrmeta.values.countries import countries as country_list
from migrmeta.values.countries import iso_alpha3
from migrmeta.values.iris import doi_of

NS = "ddi:codebook:2_5"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"
VOCAB = OWN_VOCAB  # the @vocab of concepts from the project's schemes (how the importer knows the file)
_NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")

# Properties of a survey written to DDI; everything else on the survey is reported as lost.
EXPORTED = {
    RDF.type,
    DCT.title,
    DCT.alternative,
    DCT.identifier,
    DISCO.subtitle,
    DCT.description,
    DISCO.purpose,
    DCT.spatial,
    DCT.temporal,
    DCT.creator,
    DCT.publisher,
    DCT.contributor,
    PROV.qualifiedAttribution,
    MM.sampleType,
    MM.sampleFrame,
    MM.sampleSize,
    MM.samplingUnit,
    DISCO.analysisUnit,
    MM.surveyDesign,
    MM.populationCovered,
    DISCO.universe,
    DISCO.kindOfData,
    MM.migrantFocus,
    DCAT.keyword,
    MM.accessLevel,
    DCT.rights,
    DCAT.landingPage,
    DCT.isReferencedBy,
    DCAT.distribution,
    DCT.bibliographicCitation,
}
# Why a property is lost (the default says "no DDI Codebook element").
_WHY: dict[Node, str] = {
    MM.identification: "DDI Codebook has no element for how migrants are identified (variables only)",
    MM.collectsRemittances: "no DDI Codebook element; remittance questions live in dataDscr variables",
    MM.status: "DDI Codebook records no survey status",
    MM.hostSurvey: "DDI Codebook cannot say the study is a module of another survey",
    MM.originCountry: "the country is written as nation; its role (origin) is lost",
    MM.destinationCountry: "the country is written as nation; its role (destination) is lost",
    MM.transitCountry: "the country is written as nation; its role (transit) is lost",
    MM.primaryAccessLevel: "DDI has no notion of a primary access level",
    DCT.accessRights: "derived from the access level when published",
    DCT.source: "DDI Codebook has no element for a record's sources (a DOI is written as IDNo only when it is "
                "the survey's own: its landing page or a data file)",
    IN_SERIES: "serStmt needs the series' title, which no input gives: give the series' record too",
}


def export_ddi(
    graph: Statements,
    survey: URIRef,
    *,
    agencies: Graph | None = None,
    reference: Reference | None = None,
    source: str = "",
    losses: bool = True,
) -> tuple[bytes, LossReport]:
    """One survey -> (DDI Codebook 2.5 XML bytes, what DDI could not hold; with `losses`
    false, only what the writer met on its way: `publish` writes the file, not the report)."""
    reference = reference or load_reference()
    writer = _Writer(graph, survey, agencies, reference, source)
    return writer.xml(losses), writer.report


def write_ddi(graph: Graph, survey: URIRef, *, catalogue: Graph, agencies: Graph, source: str,
              xsd: Path | None = None, reference: Reference | None = None) -> Written:
    """The converter's writer (formats/registry.py): DDI-C 2.5 for one survey, checked
    against a local copy of the XSD when `xsd` is given."""
    xml, report = export_ddi(graph, survey, agencies=catalogue, reference=reference, source=source)
    problems = [f"not valid DDI-C 2.5: {error}" for error in validate_ddi(xml, xsd)] if xsd else []
    return Written(xml, report, problems)


def validate_ddi(xml: bytes, xsd: Path) -> list[str]:
    """Errors of the document against a local copy of the DDI-C XSD ([] when valid).

    The schema and its imports are read from disk only (no network)."""
    try:
        schema = etree.XMLSchema(etree.parse(str(xsd), etree.XMLParser(no_network=True, resolve_entities=False)))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError, OSError) as exc:
        raise InputError(str(xsd), f"is not a readable XML Schema ({exc})",
                         hint="give the local codebook.xsd of DDI-C 2.5, with its imports beside it") from exc
    document = etree.fromstring(xml, parser())
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


class _Writer:
    def __init__(self, graph: Statements, survey: URIRef, agencies: Graph | None, reference: Reference,
                 source: str) -> None:
        self.g, self.survey, self.reference = graph, survey, reference
        # no copy of the record when it names its agencies
        self.names: Statements = ReadOnlyGraph([*agencies, *graph]) if agencies else graph
        self.terms = terms_for(reference)
        self.report = LossReport(source or str(survey), "migrmeta -> DDI Codebook 2.5", str(survey))
        # each agency the codebook names -> what of it is written (its name, acronym, home page)
        self.written_agencies: dict[Node, set[str]] = {}

    # --- helpers ---------------------------------------------------------------------------

    def values(self, predicate: Node, subject: Node | None = None) -> list[Node]:
        return sorted(self.g.objects(subject if subject is not None else self.survey, predicate), key=_order)

    def el(
        self,
        parent: etree._Element,
        name: str,
        text: str | None = None,
        lang: str | None = None,
        **attrs: str | None,
    ) -> etree._Element:
        element = etree.SubElement(parent, f"{{{NS}}}{name}")
        if lang:
            element.set(XML_LANG, lang)
        for key, value in attrs.items():
            if value:
                element.set(key, xml_text(value))
        if text:
            element.text = xml_text(text)  # control characters RDF allows and XML 1.0 does not: dropped
        return element

    def texts(self, parent: etree._Element, name: str, predicate: URIRef, **attrs: str | None) -> None:
        for value in self.values(predicate):
            if isinstance(value, Literal):
                self.el(parent, name, str(value), value.language, **attrs)

    def concept(self, parent: etree._Element, name: str, concept: Node) -> None:
        holder = self.el(parent, name)
        self.el(holder, "concept", self.terms.label(concept), vocab=VOCAB, vocabURI=str(concept))

    def series_titles(self, series: Node) -> list[Literal]:
        """The titles of a series the survey is a round of, where its agencies' names are looked
        up: the graph (publish gives a survey's statements with those of the series it names)
        and the catalogue the caller gives (`export ddi`: every input, the series' file among them)."""
        return sorted((t for t in self.names.objects(series, DCT.title) if isinstance(t, Literal)), key=_order)

    def agency(self, agency: Node) -> tuple[str, str | None, str | None]:
        name = agency_name(self.names, agency)
        if not any(True for _ in self.names.objects(agency, FOAF.name)):
            self.report.note(f"no foaf:name for {agency} (give records/agencies.ttl): its id is written", 5)
        acronym = min((str(a) for a in self.names.objects(agency, SKOS.altLabel)), default=None)
        homepage = self.names.value(agency, FOAF.homepage)
        self.written_agencies.setdefault(agency, set()).update({name, acronym or ""})
        return name, acronym, str(homepage) if homepage else None

    def roles(self) -> dict[Node, set[Node]]:
        found: dict[Node, set[Node]] = {}
        for attribution in self.values(PROV.qualifiedAttribution):
            agent = self.g.value(attribution, PROV.agent)
            if agent is not None:
                found.setdefault(agent, set()).update(self.g.objects(attribution, DCAT.hadRole))
        return found

    # --- the document ----------------------------------------------------------------------

    def xml(self, losses: bool = True) -> bytes:
        root = etree.Element(f"{{{NS}}}codeBook", nsmap={None: NS, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
        root.set("version", "2.5")
        identifier = str(self.g.value(self.survey, DCT.identifier) or "")
        if _NCNAME.match(identifier):
            root.set("ID", identifier)
        self.document(root, identifier)
        study = self.el(root, "stdyDscr")
        self.citation(self.el(study, "citation"), identifier)
        self.study_info(self.el(study, "stdyInfo"))
        self.method(study)
        self.access(study)
        self.other_material(study)
        for distribution in self.values(DCAT.distribution):
            self.file(root, distribution)
        if losses:
            self.losses()
        written: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
        return written

    def document(self, root: etree._Element, identifier: str) -> None:
        """docDscr: this file, produced by migrmeta (what tells `import ddi` the file is its own,
        whose othRefs are citations: a series codes no concept that would tell it)."""
        citation = self.el(self.el(root, "docDscr"), "citation")
        self.title(self.el(citation, "titlStmt"), identifier)
        self.el(self.el(citation, "prodStmt"), "software", OWN_SOFTWARE)

    def title(self, statement: etree._Element, identifier: str) -> Literal | None:
        """titl: the English title, else the first; the identifier when there is none. The title written."""
        titles = [t for t in self.values(DCT.title) if isinstance(t, Literal)]
        main = next((t for t in titles if t.language == "en"), titles[0] if titles else None)
        self.el(statement, "titl", str(main) if main is not None else identifier,
                main.language if main is not None else None)
        return main

    def citation(self, citation: etree._Element, identifier: str) -> None:
        titles = [t for t in self.values(DCT.title) if isinstance(t, Literal)]
        statement = self.el(citation, "titlStmt")
        main = self.title(statement, identifier)
        self.texts(statement, "subTitl", DISCO.subtitle)
        self.texts(statement, "altTitl", DCT.alternative)
        for title in titles:
            if title is not main:
                self.el(statement, "parTitl", str(title), title.language)
        if identifier:
            self.el(statement, "IDNo", identifier)
        for doi in study_dois(self.g, self.survey):  # as a DDI catalogue (NADA) lists a study's DOIs
            self.el(statement, "IDNo", doi, agency="DOI")
        creators = self.values(DCT.creator)
        if creators:
            responsible = self.el(citation, "rspStmt")
            for agent in creators:
                self.el(responsible, "AuthEnty", self.agency(agent)[0])
        roles = self.roles()
        plain = {AGENCY_ROLE.funder, AGENCY_ROLE.fieldwork, AGENCY_ROLE.conductor}
        others = [a for a in self.values(DCT.contributor) if a not in creators]
        others += sorted((a for a in roles if a not in creators and a not in others), key=_order)
        # an agency other than the creators: a producer with its roles, conducting included (as
        # AuthEnty it would come back a creator; left out, a co-conducting ministry was lost in
        # silence), unless it only funds (fundAg) or collects (dataCollector)
        elsewhere = {AGENCY_ROLE.funder, AGENCY_ROLE.fieldwork}
        producers = [a for a in others if roles.get(a, set()) - elsewhere or not roles.get(a)]
        funders = [a for a, kinds in sorted(roles.items(), key=_order_pair) if AGENCY_ROLE.funder in kinds]
        for agent in creators:
            if roles.get(agent, set()) - plain:
                labels = ", ".join(self.terms.label(r) for r in sorted(roles[agent] - plain, key=_order))
                self.report.lose(curie(DCAT.hadRole), note=f"roles of a conducting organisation ({labels})", item=5)
        if producers or funders:
            production = self.el(citation, "prodStmt")
            for agent in producers:
                other = sorted(roles.get(agent, set()) - elsewhere, key=_order)
                name, acronym, _ = self.agency(agent)
                role = "; ".join(self.terms.label(r) for r in other) or None
                self.el(production, "producer", name, abbr=acronym, role=role)
            for agent in funders:
                name, acronym, _ = self.agency(agent)
                self.el(production, "fundAg", name, abbr=acronym)
        publishers = self.values(DCT.publisher)
        collectors = [a for a, kinds in roles.items() if AGENCY_ROLE.fieldwork in kinds]
        self.contributors_back(creators or producers, [*producers, *funders, *collectors, *publishers[1:]])
        if publishers:
            distribution = self.el(citation, "distStmt")
            for agent in publishers:
                name, acronym, homepage = self.agency(agent)
                self.el(distribution, "distrbtr", name, abbr=acronym, URI=homepage)
                self.written_agencies[agent].add(homepage or "")
        for series in self.values(IN_SERIES):
            titles = self.series_titles(series)
            if titles:
                statement = self.el(citation, "serStmt", URI=str(series))
                for title in titles:
                    self.el(statement, "serName", str(title), title.language)
        for page in self.values(DCAT.landingPage):
            self.el(citation, "holdings", URI=str(page))


    def contributors_back(self, creators: Sequence[Node], others: Sequence[Node]) -> None:
        """DDI has no contributor: `import ddi` makes one of every agency written as a producer,
        funder, data collector or second distributor that is no creator (AuthEnty). A contributor
        that comes back otherwise is in the report (a reviewer's find: a round trip lost UPPI,
        a creator and a contributor, and made the Home Office, a publisher with a role, one)."""
        stated = set(self.values(DCT.contributor))
        back = set(others) - set(creators)
        for agent in sorted(stated - back, key=_order):
            name = agency_name(self.names, agent)
            self.report.lose(curie(DCT.contributor), note=f"{name}: a contributor and a creator; DDI names it once, "
                             "as an author (AuthEnty)" if agent in creators else
                             f"{name}: does not come back a contributor", item=5)
        for agent in sorted(back - stated, key=_order):
            self.report.note(f"{agency_name(self.names, agent)} is written with its roles (a producer, funder, "
                             "collector or distributor), and `import ddi` reads such an agency as a dct:contributor "
                             "too", 5)

    def study_info(self, info: etree._Element) -> None:
        keywords = self.values(DCAT.keyword)
        focus = self.values(MM.migrantFocus)
        if keywords or focus:
            subject = self.el(info, "subject")
            for keyword in keywords:
                self.el(subject, "keyword", str(keyword), getattr(keyword, "language", None))
            for concept in focus:
                self.el(
                    subject,
                    "keyword",
                    self.terms.label(concept),
                    vocab=VOCAB,
                    vocabURI=str(concept),
                )
        self.texts(info, "abstract", DCT.description, contentType="abstract")
        self.texts(info, "abstract", DISCO.purpose, contentType="purpose")
        summary = self.el(info, "sumDscr")
        for period in self.values(DCT.temporal):
            for event, predicate in (("start", DCAT.startDate), ("end", DCAT.endDate)):
                value = self.g.value(period, predicate)
                if value is not None:
                    self.el(summary, "collDate", str(value), date=str(value), event=event)
        countries = {
            c
            for p in (DCT.spatial, MM.originCountry, MM.destinationCountry, MM.transitCountry)
            for c in self.g.objects(self.survey, p)
        }
        for country in sorted(countries, key=_order):
            known = country_list().get(str(country))
            code = self.g.value(country, SKOS.notation) or (known.code if known else None)
            self.el(
                summary,
                "nation",
                known.label("en") if known else str(country).rsplit("/", 1)[-1],
                abbr=iso_alpha3(str(code)) if code else None,
            )
        for node in self.values(DISCO.analysisUnit):
            self.labels(summary, "anlyUnit", node, SKOS.prefLabel)
        for concept in self.values(MM.samplingUnit):
            self.concept(summary, "anlyUnit", concept)
        for node in self.values(DISCO.universe):
            self.labels(summary, "universe", node, SKOS.definition)
        for concept in self.values(MM.populationCovered):
            self.concept(summary, "universe", concept)
        for node in self.values(DISCO.kindOfData):
            self.labels(summary, "dataKind", node, RDFS.label)
        if not len(summary):
            info.remove(summary)

    def labels(self, parent: etree._Element, name: str, node: Node, predicate: URIRef) -> None:
        for label in sorted(self.g.objects(node, predicate), key=_order):
            if isinstance(label, Literal):
                self.el(parent, name, str(label), label.language)

    def method(self, study: etree._Element) -> None:
        method = etree.Element(f"{{{NS}}}method")
        collection = self.el(method, "dataColl")
        designs = self.values(MM.surveyDesign)
        for concept in designs:
            if self.time_method(concept):
                self.concept(collection, "timeMeth", concept)
        for agent, kinds in sorted(self.roles().items(), key=_order_pair):
            if AGENCY_ROLE.fieldwork in kinds:
                name, acronym, _ = self.agency(agent)
                self.el(collection, "dataCollector", name, abbr=acronym)
        for concept in self.values(MM.sampleType):
            self.concept(collection, "sampProc", concept)
        if self.values(MM.sampleFrame):  # the list the sample was drawn from, not how it was drawn
            self.texts(self.el(collection, "sampleFrame"), "txt", MM.sampleFrame)
        for size in self.values(MM.sampleSize):
            target = self.el(collection, "targetSampleSize")
            self.el(target, "sampleSize", str(size))
        # dedicated survey or module (item 8) is no time method: a note on the method, the
        # concept's IRI as its type (what DDI leaves to a controlled vocabulary)
        for concept in designs:
            if not self.time_method(concept):
                self.el(method, "notes", self.terms.label(concept), type=str(concept), subject=DESIGN_NOTE)
        if not len(collection):
            method.remove(collection)
        if len(method):
            study.append(method)

    def time_method(self, concept: Node) -> bool:
        """A survey design that is a time dimension (a panel, a retrospective history, repeated
        cross-sections), or narrower than one: DDI's timeMeth."""
        return any(c in TIME_METHODS for c in self.reference.graph.transitive_objects(concept, SKOS.broader))

    def access(self, study: etree._Element) -> None:
        levels, rights = self.values(MM.accessLevel), self.values(DCT.rights)
        if not levels and not rights:
            return
        access = self.el(study, "dataAccs")
        if levels:
            availability = self.el(access, "setAvail")
            for level in levels:
                self.el(availability, "avlStatus", self.terms.label(level), "en")
        if rights:
            use = self.el(access, "useStmt")
            for value in rights:
                self.el(use, "conditions", str(value), getattr(value, "language", None))

    def other_material(self, study: etree._Element) -> None:
        publications = self.values(DCT.isReferencedBy)
        citations = self.values(DCT.bibliographicCitation)
        if not publications and not citations:
            return
        material = self.el(study, "othrStdyMat")
        for publication in publications:
            self.el(material, "relPubl", str(publication))
        for cited in citations:
            self.el(material, "othRefs", str(cited), getattr(cited, "language", None))

    def file_url(self, distribution: Node) -> Node | None:
        """A data file's address: its download URL, else its access URL."""
        return self.g.value(distribution, DCAT.downloadURL) or self.g.value(distribution, DCAT.accessURL)

    def file(self, root: etree._Element, distribution: Node) -> None:
        url = self.file_url(distribution)
        if url is None:
            self.report.lose(curie(DCAT.distribution), note="a distribution without an access URL", item=13)
            return
        described = self.el(root, "fileDscr", URI=str(url))
        title = self.g.value(distribution, DCT.title)
        if title is not None:
            self.el(self.el(described, "fileTxt"), "fileName", str(title))

    def losses(self) -> None:
        items = self.reference.item_of_terms()  # as diff and the pages place a field
        for predicate in sorted(set(self.g.predicates(self.survey, None)), key=str):
            lost = predicate not in EXPORTED or predicate in (
                MM.originCountry,
                MM.destinationCountry,
                MM.transitCountry,
            )
            if predicate == DCT.source:
                own = set(study_dois(self.g, self.survey))
                count = sum(1 for s in self.values(DCT.source) if doi_of(str(s)) not in own)
            else:
                count = len(self.values(predicate)) if lost else 0
            if predicate == IN_SERIES:  # written as serStmt, unless the series' title is nowhere given
                count = sum(1 for series in self.values(predicate) if not self.series_titles(series))
            if count:
                note = _WHY.get(predicate, "no DDI Codebook element")
                self.report.lose(curie(predicate), count, note, items.get(predicate))
        for attribution in self.values(PROV.qualifiedAttribution):
            if self.g.value(attribution, PROV.agent) is None:
                self.report.lose(curie(PROV.qualifiedAttribution), note="an attribution without an agent", item=5)
        self.agency_losses()
        for series in self.values(IN_SERIES):  # a series is no study: its codebook is its rounds'
            if series == self.survey or (series, RDF.type, MM.SurveySeries) not in self.g:
                continue
            kept = {RDF.type, DCT.title} if self.series_titles(series) else {RDF.type}  # serStmt/serName
            described = sorted({p for p in self.g.predicates(series, None) if p not in kept}, key=str)
            if described:
                count = sum(1 for p in described for _ in self.g.objects(series, p))
                self.report.lose(curie(series), count,
                                 "the series this study is a round of: a codebook names it (serStmt) and no more; "
                                 f"not carried over: {', '.join(curie(p) for p in described)}")


    def agency_losses(self) -> None:
        """What the record says of an agency it describes itself (an agency new to the catalogue,
        as `import ddi` writes it) that the codebook leaves out: its other names and acronyms,
        its home page outside distStmt, its kind and country. An agency described only in
        agencies.ttl is the catalogue's, not the record's: nothing of it is lost here."""
        for agency in sorted(self.written_agencies, key=_order):
            written = self.written_agencies[agency]
            lost = [(p, o) for p in set(self.g.predicates(agency)) if p != RDF.type
                    for o in self.g.objects(agency, p) if not (p in _AGENCY_TEXTS and str(o) in written)]
            left = sorted({p for p, _ in lost}, key=str)
            if left:
                count = len(lost)
                self.report.lose(curie(agency), count, "an agency the record describes: the codebook gives its "
                                 f"name, acronym and home page once; not carried over: "
                                 f"{', '.join(curie(p) for p in left)}", 5)


# what a codebook writes of an agency, when it is the value written (agency())
_AGENCY_TEXTS = frozenset({FOAF.name, SKOS.altLabel, FOAF.homepage})


def _order(node: Node) -> tuple[str, str, str]:
    return (type(node).__name__, getattr(node, "language", None) or "", str(node))


def _order_pair(pair: tuple[Node, object]) -> tuple[str, str, str]:
    return _order(pair[0])
