"""DDI Codebook (1.2.2, 2.5, 2.6; bare or in an OAI-PMH envelope) -> draft survey records.

    drafts = read_ddi("study.xml", agencies=Agencies.from_file(Path("records/agencies.ttl")))
    for draft in drafts:
        print(draft.turtle()); print(render_text([draft.report]))

Elements are matched by local name, so every DDI Codebook namespace (and none) is read
alike. What the questionnaire holds is mapped (docs/harmonization.md has the table); every
other non-empty element is listed in the draft's loss report with its path and count, and
the items the curator must still answer are listed from the shapes. Free text is never
thrown away when it is read as a concept (sampling procedure -> sample type, analysis unit
-> sampling unit, universe -> population): the text is kept and the guess is noted. Concepts
coded in DDI (`<sampProc><concept vocabURI=...>`) are taken as they are, with no guessing,
which is also how `migrmeta export ddi` writes them, so DDI -> migrmeta -> DDI keeps them.
Files that fail their XSD are still read: archives publish many such files.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from lxml import etree
from rdflib import Graph, Literal, URIRef

from ..errors import InputError
from ..loss import LossReport, curie, unanswered_items
from ..namespaces import (
    AGENCY_ROLE,
    DCAT,
    DCT,
    DISCO,
    DOI_RESOLVER,
    MM,
    PROV,
    RDF,
    RDFS,
    SAMPLE_TYPE,
    SKOS,
    SURVEY,
    XSD,
)
from ..reference import Reference, load_reference
from .harmonize import (
    ACCESS_RULES,
    DESIGN_RULES,
    IN_SERIES,
    SAMPLE_RULES,
    UNIT_RULES,
    Agencies,
    Draft,
    Terms,
    add_period,
    earliest,
    fold,
    is_census,
    latest,
    parse_date,
    parse_range,
    slug,
    stable_bnode,
    terms_for,
)
from .safexml import parse_xml

VERSIONS = {
    "http://www.icpsr.umich.edu/DDI": "1.2.2",
    "ddi:codebook:2_5": "2.5",
    "ddi:codebook:2_6": "2.6",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_URL = re.compile(r"^https?://\S+$")
_LINK = re.compile(r"^(https?://|urn:)\S+$")  # publications may be URNs (urn:isbn:...)
_ESCAPED_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_ESCAPED_BLOCK = re.compile(r"</?(p|br|div|li|ul|ol|h[1-6]|tr|table)\b[^<>]*/?>", re.IGNORECASE)
_PERSON = re.compile(r"^[^\W\d][^,()]*,\s*(?:[^\W\d][\w.'-]*\.?\s*){1,4}$")
_PERSON_THEN_ORG = re.compile(r"^[^,()]+,\s*(?:[A-Z]\.\s*)+,\s*(.+)$")

# Containers walked into when listing what was not mapped; any other element is a leaf.
_STRUCTURE = {
    "stdyDscr",
    "citation",
    "titlStmt",
    "rspStmt",
    "prodStmt",
    "distStmt",
    "stdyInfo",
    "subject",
    "sumDscr",
    "method",
    "dataColl",
    "dataAccs",
    "setAvail",
    "useStmt",
    "othrStdyMat",
    "dataDscr",
    "fileDscr",
    "targetSampleSize",
}
_BLOCKS = {"p", "P", "br", "div", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4"}
_QUIET_ATTRS = {XML_LANG, "ID", "elementVersion", "elementVersionDate"}
# Why common DDI elements have no place in a survey record (shown in the loss report).
_WHY: dict[str, tuple[str, int | None]] = {
    "docDscr": ("describes the DDI document itself, not the survey", None),
    "var": ("variable-level metadata: no questionnaire item", None),
    "varGrp": ("variable groups: no questionnaire item", None),
    "fileTxt": ("data files: describe them as dcat:distribution with an access URL", 13),
    "otherMat": ("related materials: add dct:isReferencedBy for publications", 13),
    "geogCover": ("geographic coverage below country level: no questionnaire field", 3),
    "geogUnit": ("geographic units: no questionnaire field", 3),
    "serStmt": ("series: link the draft with dcat:inSeries if the catalogue holds the series", 4),
    "topcClas": ("topic classification: no questionnaire field", None),
    "citReq": ("citation requirement: put a citation in dct:bibliographicCitation by hand", None),
    "relPubl": ("publication without a link: add dct:isReferencedBy by hand", 13),
    "relStdy": ("related study: no questionnaire field", None),
    "collMode": ("mode of data collection: no questionnaire field", None),
    "othId": ("other persons or bodies: add agencies with prov:qualifiedAttribution by hand", 5),
    "depositr": ("depositor: no questionnaire field", None),
}


def read_ddi(path: str | Path, **options: object) -> list[Draft]:
    """Read one DDI file; see `import_ddi` for the options."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})") from exc
    return import_ddi(data, str(path), **options)  # type: ignore[arg-type]


def import_ddi(
    data: bytes,
    source: str,
    *,
    reference: Reference | None = None,
    agencies: Agencies | None = None,
    lang: str = "en",
) -> list[Draft]:
    """DDI XML bytes -> one draft per codeBook (an OAI-PMH response may hold several).

    `lang` is the language of DDI text that declares none (xml:lang).
    """
    root = parse_xml(data, source).getroot()
    codebooks = [root] if _name(root) == "codeBook" else [e for e in root.iter() if _name(e) == "codeBook"]
    if not codebooks:
        raise InputError(
            source,
            f"no DDI codeBook element (the root is <{_name(root)}>)",
            hint="give a DDI Codebook file or an OAI-PMH response with oai_ddi records",
        )
    reference = reference or load_reference()
    terms = terms_for(reference)
    agencies = agencies if agencies is not None else Agencies()
    return [_Study(cb, source, terms, agencies, reference, lang).draft() for cb in codebooks]


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def text_of(element: etree._Element) -> str:
    """Mixed content -> text; paragraphs (blank lines, <p>, <br/>) kept, other spacing folded."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                block = _name(child) in _BLOCKS
                parts.append("\n\n" if block else "")
                walk(child)
                parts.append("\n\n" if block else "")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    text = "".join(parts)
    if _ESCAPED_TAG.search(text):  # HTML written as text (&lt;p&gt;), common in archives' DDI
        text = _ESCAPED_BLOCK.sub("\n\n", text)
        text = html.unescape(_ESCAPED_TAG.sub("", text))
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


class _Study:
    """One codeBook being mapped: the draft graph, and which elements were used."""

    def __init__(
        self,
        codebook: etree._Element,
        source: str,
        terms: Terms,
        agencies: Agencies,
        reference: Reference,
        lang: str,
    ) -> None:
        self.cb, self.terms, self.agencies, self.reference = codebook, terms, agencies, reference
        self.lang = lang
        self.version = codebook.get("version") or VERSIONS.get(etree.QName(codebook).namespace or "", "?")
        self.used: set[etree._Element] = set()
        self.used_attrs: dict[etree._Element, set[str]] = defaultdict(set)
        self.why: dict[etree._Element, tuple[str, int | None]] = {}
        self.agent_of: dict[etree._Element, URIRef] = {}
        self.graph = Graph()
        self.report = LossReport(source, f"DDI Codebook {self.version} -> migrmeta draft")
        self.survey = SURVEY["unnamed"]

    # --- helpers ---------------------------------------------------------------------------

    def find(self, path: str, under: etree._Element | None = None) -> list[etree._Element]:
        nodes = [under if under is not None else self.cb]
        for step in path.split("/"):
            nodes = [c for n in nodes for c in n if _name(c) == step]
        return nodes

    def use(self, element: etree._Element, *attrs: str) -> None:
        self.used.add(element)
        self.used_attrs[element].update(attrs)

    def explicit_lang(self, element: etree._Element) -> str | None:
        for node in (element, *element.iterancestors()):
            value = (node.get(XML_LANG) or "").strip()
            if value and _LANG_TAG.match(value):
                return value
        return None

    def text(self, element: etree._Element) -> Literal | None:
        value = text_of(element)
        return Literal(value, lang=self.explicit_lang(element) or self.lang) if value else None

    def add(self, predicate: URIRef, value: object) -> None:
        self.graph.add((self.survey, predicate, value))  # type: ignore[arg-type]

    def coded(self, element: etree._Element, scheme: str) -> list[URIRef]:
        """Concepts given as <concept vocabURI=...> children (ours or DDI CV ones we map)."""
        found = []
        for concept in self.find("concept", element):
            iri = self.terms.by_iri((concept.get("vocabURI") or "").strip(), scheme)
            if iri is None:
                iri = self.terms.by_label(text_of(concept), scheme) if concept.get("vocab") == "migrmeta" else None
            if iri is not None:
                found.append(iri)
        return found

    # --- the mapping -----------------------------------------------------------------------

    def draft(self) -> Draft:
        identifier = self.identifier()
        self.survey = SURVEY[identifier]
        self.report.target = str(self.survey)
        for kind in (MM.Survey, DCAT.Dataset, DISCO.Study):
            self.add(RDF.type, kind)
        self.add(DCT.identifier, Literal(identifier))
        self.dois()
        self.titles()
        self.abstracts()
        self.coverage()
        self.period()
        agents = self.organisations()
        self.sampling()
        self.access()
        self.links()
        used_agencies = self.agencies.describe(self.graph, agents, self.lang)
        for agency in used_agencies:
            self.report.note(
                f"new agency {agency}: check it is not already in records/agencies.ttl, "
                "then move its description there",
                5,
            )
        self.collect_lost(self.cb, "codeBook")
        self.report.unanswered = unanswered_items(self.graph, self.survey, self.reference)
        header = [
            f"Draft survey record imported from {self.report.source} (DDI Codebook {self.version})",
            "by `migrmeta import ddi`. Complete the questionnaire items listed in the loss report;",
            "new agencies described below belong in records/agencies.ttl.",
        ]
        return Draft(self.survey, identifier, self.graph, self.report, header)

    def identifier(self) -> str:
        """The survey id: the first IDNo that is not a DOI (prefixed by its agency), else
        the codeBook ID or a title. DOIs are kept as dct:source (see `dois`)."""
        chosen = None
        for element in self.find("stdyDscr/citation/titlStmt/IDNo"):
            value, agency = text_of(element), (element.get("agency") or "").strip()
            if _DOI.match(value) or agency.lower() in ("doi", "datacite"):
                continue
            if value:
                prefixed = not agency or fold(value).startswith(fold(agency))
                chosen = value if prefixed else f"{agency}-{value}"
                self.use(element, "agency")
                break
        titles = self.find("stdyDscr/citation/titlStmt/altTitl") + self.find("stdyDscr/citation/titlStmt/titl")
        for fallback in (self.cb.get("ID"), *(text_of(t) for t in titles)):
            if chosen:
                break
            chosen = fallback
        if not chosen:
            raise InputError(
                self.report.source,
                "the DDI study has no IDNo, ID or title to name it",
                hint="add stdyDscr/citation/titlStmt/IDNo",
            )
        return slug(chosen)

    def dois(self) -> None:
        for element in self.find("stdyDscr/citation/titlStmt/IDNo"):
            doi = _DOI.match(text_of(element))
            if doi:
                self.add(DCT.source, URIRef(DOI_RESOLVER + doi.group(1)))
                self.use(element, "agency")

    def titles(self) -> None:
        for element in self.find("stdyDscr/citation/titlStmt/titl"):
            value = self.text(element)
            if value is not None:
                self.add(DCT.title, value)
                self.use(element)
        for element in self.find("stdyDscr/citation/titlStmt/subTitl"):
            value = self.text(element)
            if value is not None:
                self.add(DISCO.subtitle, value)
                self.use(element)
        for element in self.find("stdyDscr/citation/titlStmt/parTitl"):
            value = self.text(element)
            if value is None:
                continue
            # a parallel title is the title in another language: dct:title is one per language
            taken = {getattr(t, "language", None) for t in self.graph.objects(self.survey, DCT.title)}
            self.add(DCT.title if value.language not in taken else DCT.alternative, value)
            self.use(element)
        for element in self.find("stdyDscr/citation/titlStmt/altTitl"):
            short = text_of(element)
            if short:  # acronyms and short names: a language only when the DDI gives one
                lang = self.explicit_lang(element)
                self.add(DCT.alternative, Literal(short, lang=lang) if lang else Literal(short))
                self.use(element)
        for element in self.find("stdyDscr/stdyInfo/subject/keyword"):
            focus = self.terms.by_iri((element.get("vocabURI") or "").strip(), "migrant-type")
            value = self.text(element)
            if focus is not None:
                self.add(MM.migrantFocus, focus)
                self.use(element, "vocab", "vocabURI")
            elif value is not None:
                self.add(DCAT.keyword, value)
                self.use(element)

    def abstracts(self) -> None:
        texts: dict[tuple[URIRef, str | None], list[str]] = defaultdict(list)
        elements = self.find("stdyDscr/stdyInfo/abstract") + self.find("stdyDscr/stdyInfo/purpose")
        for element in elements:
            value = self.text(element)
            if value is None:
                continue
            purpose = _name(element) == "purpose" or element.get("contentType") == "purpose"
            texts[(DISCO.purpose if purpose else DCT.description, value.language)].append(str(value))
            self.use(element, "contentType")
        for (predicate, lang), parts in texts.items():
            self.add(predicate, Literal("\n\n".join(parts), lang=lang))

    def coverage(self) -> None:
        for element in self.find("stdyDscr/stdyInfo/sumDscr/nation"):
            text = text_of(element)
            country = self.terms.country(element.get("abbr"), text)
            if country is not None:
                self.add(DCT.spatial, country)
                self.use(element, "abbr")
            elif text or element.get("abbr"):
                self.why[element] = (
                    f"'{text or element.get('abbr')}' is no country code or name in "
                    "ontology/countries.ttl: add dct:spatial",
                    3,
                )
        self.concepts(
            "stdyDscr/stdyInfo/sumDscr/anlyUnit",
            "sampling-unit",
            MM.samplingUnit,
            UNIT_RULES,
            7,
            keep=(DISCO.analysisUnit, DISCO.AnalysisUnit, SKOS.prefLabel),
        )
        self.concepts(
            "stdyDscr/stdyInfo/sumDscr/universe",
            "population",
            MM.populationCovered,
            None,
            9,
            keep=(DISCO.universe, DISCO.Universe, SKOS.definition),
        )
        for element in self.find("stdyDscr/stdyInfo/sumDscr/dataKind"):
            value = self.text(element)
            if value is None:
                continue
            node = stable_bnode(self.survey, "kindOfData", value, value.language)
            self.add(DISCO.kindOfData, node)
            self.graph.add((node, RDFS.label, value))
            self.use(element)
        self.concepts(
            "stdyDscr/method/dataColl/timeMeth",
            "survey-design",
            MM.surveyDesign,
            DESIGN_RULES,
            8,
            keep=None,
        )

    def concepts(
        self,
        path: str,
        scheme: str,
        predicate: URIRef,
        rules: object,
        item: int,
        keep: tuple[URIRef, URIRef, URIRef] | None,
    ) -> None:
        """Coded concepts as given; else labels or keyword rules on the text, with a note.

        `keep` = (property, class, label property) of the node keeping the text, if any.
        """
        elements = self.find(path)
        coded = {e: self.coded(e, scheme) for e in elements}
        explicit = any(coded.values())
        for element in elements:
            if coded[element]:
                for concept in coded[element]:
                    self.add(predicate, concept)
                self.use(element)
                continue
            value = self.text(element)
            if value is None:
                continue
            guessed: list[URIRef] = []
            if not explicit:
                exact = self.terms.by_label(str(value), scheme)
                guessed = (
                    [exact]
                    if exact
                    else (
                        self.terms.by_rules(str(value), scheme, rules)  # type: ignore[arg-type]
                        if rules
                        else self.terms.labels_in(str(value), scheme)
                    )
                )
            for concept in guessed:
                self.add(predicate, concept)
            if guessed:
                labels = ", ".join(self.terms.label(c) for c in guessed)
                self.report.note(f"{_name(element)} '{_short(value)}' read as {labels}: check", item)
            if keep is not None:
                node = stable_bnode(self.survey, keep[0], value, value.language)
                self.add(keep[0], node)
                self.graph.add((node, RDF.type, keep[1]))
                self.graph.add((node, keep[2], value))
                self.use(element)
            elif guessed:
                self.use(element)
            else:
                self.why[element] = (
                    f"no {scheme} concept recognised in it: add {curie(predicate)}",
                    item,
                )

    def period(self) -> None:
        """dct:temporal from the collection dates, else from the time period covered."""
        chosen: list[etree._Element] = []
        for kind in ("collDate", "timePrd"):
            elements = self.find(f"stdyDscr/stdyInfo/sumDscr/{kind}")
            if chosen:
                for element in elements:
                    self.why[element] = (
                        "dct:temporal holds the collection dates; the period the data cover is not kept",
                        4,
                    )
                continue
            starts, ends = self.dates(elements)
            if starts or ends:
                start = earliest(starts) or earliest(ends)
                end = latest(ends)
                if start is not None:
                    add_period(self.graph, self.survey, start, end)
                chosen = elements

    def dates(self, elements: Iterable[etree._Element]) -> tuple[list[Literal], list[Literal]]:
        starts: list[Literal] = []
        ends: list[Literal] = []
        for element in elements:
            event = (element.get("event") or "").lower()
            text = text_of(element)
            single = parse_date(element.get("date") or "") or parse_date(text, whole=True)
            span = parse_range(text) if single is None else None
            if single is not None:
                if event != "end":
                    starts.append(single)
                if event != "start":
                    ends.append(single)
            elif span is not None:
                starts.append(span[0])
                ends.append(span[1])
            else:
                if text or element.get("date"):
                    self.why[element] = (
                        "no date found (use YYYY, YYYY-MM or YYYY-MM-DD in @date)",
                        4,
                    )
                continue
            self.use(element, "date", "event")
        return starts, ends

    def organisations(self) -> list[URIRef]:
        """AuthEnty -> creators (producers when there is none); funders, collectors, distributor."""
        creators = self.agents(self.find("stdyDscr/citation/rspStmt/AuthEnty"))
        producers = self.agents(self.find("stdyDscr/citation/prodStmt/producer"))
        if not creators:
            creators, producers = producers, []
        funders = self.agents(self.find("stdyDscr/citation/prodStmt/fundAg"))
        collectors = self.agents(self.find("stdyDscr/method/dataColl/dataCollector"))
        distributors = self.agents(self.find("stdyDscr/citation/distStmt/distrbtr"))
        for agent in creators:
            self.add(DCT.creator, agent)
        if distributors:
            self.add(DCT.publisher, distributors[0])
        for agent in [*producers, *funders, *collectors, *distributors[1:]]:
            if agent not in creators:
                self.add(DCT.contributor, agent)
        roles: dict[URIRef, set[URIRef]] = defaultdict(set)
        for element in self.find("stdyDscr/citation/prodStmt/producer"):
            for role in (element.get("role") or "").split(";"):
                concept = self.terms.by_label(role, "agency-role") if role.strip() else None
                producer = self.agent_of.get(element)
                if concept is not None and producer is not None:
                    roles[producer].add(concept)
                    self.use(element, "role")
        for agent in funders:
            roles[agent].add(AGENCY_ROLE.funder)
        for agent in collectors:
            roles[agent].add(AGENCY_ROLE.fieldwork)
        for agent, kinds in sorted(roles.items()):
            node = stable_bnode(self.survey, "attribution", agent)
            self.add(PROV.qualifiedAttribution, node)
            self.graph.add((node, RDF.type, PROV.Attribution))
            self.graph.add((node, PROV.agent, agent))
            for kind in sorted(kinds):
                self.graph.add((node, DCAT.hadRole, kind))
        return [*creators, *producers, *funders, *collectors, *distributors]

    def agents(self, elements: list[etree._Element]) -> list[URIRef]:
        """One agency per organisation; names in several languages (same abbr/URI) merged."""
        groups: dict[str, tuple[dict[str, str], str | None, str | None]] = {}
        members: dict[str, list[etree._Element]] = defaultdict(list)
        for element in elements:
            name = text_of(element)
            if not name:
                continue
            org = _PERSON_THEN_ORG.match(name)
            if org:
                name = org.group(1)
                self.report.note(f"{_name(element)} '{text_of(element)}' read as the organisation '{name}'", 5)
            elif _PERSON.match(name) and not _looks_like_organisation(name):
                self.why[element] = (
                    "a person: item 5 lists organisations (the affiliation may be one)",
                    5,
                )
                continue
            abbr, uri = element.get("abbr"), element.get("URI")
            key = abbr or uri or fold(name)
            names, _, _ = groups.setdefault(key, ({}, abbr, uri if uri and _URL.match(uri) else None))
            names.setdefault(self.explicit_lang(element) or self.lang, name)
            members[key].append(element)
            self.use(element, "abbr", "URI")
        found = []
        for key, (names, abbr, uri) in groups.items():
            agent = self.agencies.resolve(names, abbr, uri)
            for element in members[key]:
                self.agent_of[element] = agent
            found.append(agent)
        return list(dict.fromkeys(found))

    def sampling(self) -> None:
        elements = self.find("stdyDscr/method/dataColl/sampProc")
        coded = {e: self.coded(e, "sample-type") for e in elements}
        explicit = any(coded.values())
        frames: dict[str | None, list[str]] = defaultdict(list)
        for element in elements:
            if coded[element]:
                for concept in coded[element]:
                    self.add(MM.sampleType, concept)
                self.use(element)
                continue
            value = self.text(element)
            if value is None:
                continue
            frames[value.language].append(str(value))
            self.use(element)
            guessed = [] if explicit else self.terms.by_rules(str(value), "sample-type", SAMPLE_RULES)
            for concept in guessed:
                self.add(MM.sampleType, concept)
            if guessed:
                labels = ", ".join(self.terms.label(c) for c in guessed)
                self.report.note(f"sample type read from sampProc by keywords as {labels}: check", 6)
        for lang, parts in frames.items():
            self.add(MM.sampleFrame, Literal("\n\n".join(parts), lang=lang))
        if not explicit and not elements:
            for element in self.find("stdyDscr/stdyInfo/sumDscr/dataKind"):
                if is_census(text_of(element)):
                    self.add(MM.sampleType, SAMPLE_TYPE["complete-enumeration"])
                    self.report.note("sample type 'complete enumeration' read from dataKind: check", 6)
        for element in self.find("stdyDscr/method/dataColl/targetSampleSize/sampleSize"):
            if text_of(element).isdigit() and int(text_of(element)) > 0:
                self.add(MM.sampleSize, Literal(int(text_of(element)), datatype=XSD.integer))
                self.use(element)

    def access(self) -> None:
        """Use statements -> dct:rights; access levels from wording that is clear."""
        rights: dict[str | None, list[str]] = defaultdict(list)
        for kind in ("restrctn", "conditions"):
            for element in self.find(f"stdyDscr/dataAccs/useStmt/{kind}"):
                value = self.text(element)
                if value is not None:
                    rights[value.language].append(str(value))
                    self.use(element)
        for lang, parts in rights.items():
            self.add(DCT.rights, Literal("\n\n".join(parts), lang=lang))
        levels: set[URIRef] = set()
        for path in (
            "setAvail/avlStatus",
            "useStmt/specPerm",
            "useStmt/restrctn",
            "useStmt/conditions",
        ):
            for element in self.find(f"stdyDscr/dataAccs/{path}"):
                text = text_of(element)
                found = self.terms.by_label(text, "access-level") if text else None
                matched = [found] if found else self.terms.by_rules(text, "access-level", ACCESS_RULES)
                if matched:
                    levels.update(matched)
                    self.use(element)
                    if not found:
                        labels = ", ".join(self.terms.label(c) for c in matched)
                        self.report.note(f"access level read from {_name(element)} as {labels}: check", 14)
        for level in sorted(levels):
            self.add(MM.accessLevel, level)

    def links(self) -> None:
        for element in self.find("stdyDscr/citation/holdings"):
            uri = (element.get("URI") or "").strip()
            if _URL.match(uri):
                self.add(DCAT.landingPage, URIRef(uri))
                self.use(element, "URI")
        for element in self.find("stdyDscr/citation/serStmt"):
            series = (element.get("URI") or "").strip()
            if series.startswith(str(SURVEY)):  # a series of this catalogue (as exported)
                self.add(IN_SERIES, URIRef(series))
                self.use(element, "URI")
        for element in self.find("fileDscr"):
            uri = (element.get("URI") or "").strip()
            if _URL.match(uri):
                node = stable_bnode(self.survey, "distribution", uri)
                self.add(DCAT.distribution, node)
                self.graph.add((node, RDF.type, DCAT.Distribution))
                self.graph.add((node, DCAT.accessURL, URIRef(uri)))
                self.use(element, "URI")
        for element in self.find("stdyDscr/othrStdyMat/relPubl"):
            links = [(e.get("URI") or "").strip() for e in element.iter() if isinstance(e.tag, str)]
            text = text_of(element)
            links = [u for u in links if _LINK.match(u)] or ([text] if _LINK.match(text) else [])
            if not links and _DOI.match(text):
                links = [DOI_RESOLVER + _DOI.match(text).group(1)]  # type: ignore[union-attr]
            for link in links:
                self.add(DCT.isReferencedBy, URIRef(link))
                self.use(element, "URI")

    # --- the loss report -------------------------------------------------------------------

    def collect_lost(self, element: etree._Element, path: str) -> None:
        for child in element:
            name = _name(child)
            if not name:
                continue
            location = f"{path}/{name}"
            if child in self.used:
                for attr in child.attrib:
                    if attr not in self.used_attrs[child] and attr not in _QUIET_ATTRS:
                        self.report.lose(f"{location}/@{etree.QName(attr).localname}")
                if name in _STRUCTURE:  # a container with a mapped attribute (fileDscr/@URI)
                    self.collect_lost(child, location)
            elif name in _STRUCTURE and child not in self.why:
                self.collect_lost(child, location)
            elif not _empty(child):
                note, item = self.why.get(child) or _WHY.get(name, ("", None))
                self.report.lose(location, note=note, item=item)


def _empty(element: etree._Element) -> bool:
    attrs = [a for a in element.attrib if a not in _QUIET_ATTRS]
    return not attrs and not text_of(element) and not any(_name(c) and not _empty(c) for c in element)


def _looks_like_organisation(name: str) -> bool:
    return bool(
        re.search(
            r"(?i)\b(universit|institut|office|agency|authority|department|ministry|"
            r"cent(er|re)|council|bureau|service|statistic|foundation|bank|organi[sz]ation|"
            r"commission|survey|research|government|national)",
            name,
        )
    )


def _short(value: object, length: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= length else text[: length - 1] + "…"
