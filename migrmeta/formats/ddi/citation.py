"""DDI citation and study description -> the draft: id, titles, abstracts, agencies, links.

Answers items 1 (titles, id), 2 (abstract, purpose), 5 (agencies and their roles), 10
(keywords) and the links: series (4), publications and data files (13), landing page (14).
The survey id is the first IDNo that is not a DOI; a DOI IDNo is its landing page. Each organisation
becomes one agency (names in several languages merged); a person is not an agency and is
listed in the loss report, but the organisation written after a person's initials is kept.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree
from rdflib import Literal, URIRef

from migrmeta.errors import InputError
from migrmeta.formats.ddi.study import Study
from migrmeta.formats.ddi.xml import XML_LANG, explicit_lang, is_own_export, local_name, text_of
from migrmeta.formats.harmonize import IN_SERIES, stable_bnode
from migrmeta.namespaces import AGENCY_ROLE, DCAT, DCT, DISCO, DOI_RESOLVER, MM, PROV, RDF, SURVEY
from migrmeta.values.iris import doi_of, is_iri, is_web_address
from migrmeta.values.text import fold, slug

_DOIS = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s\"<>]+")
_EXTRACT = re.compile(r"^(?:User|Data) Extract\b", re.IGNORECASE)  # IPUMS: "User Extract cps_00157.dat"
_ASKS = re.compile(r"\b(must|should|please|requires?)\b", re.IGNORECASE)
_PERSON = re.compile(r"^[^\W\d][^,()]*,\s*(?:[^\W\d][\w.'-]*\.?\s*){1,4}$")
_PERSON_THEN_ORG = re.compile(r"^[^,()]+,\s*(?:[A-Z]\.\s*)+,\s*(.+)$")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_ISBN = re.compile(r"\bISBN\b|\burn:isbn:", re.IGNORECASE)


def identifier(study: Study) -> str:
    """The survey id: the first IDNo that is not a DOI (prefixed by its agency), else
    the codeBook ID or a title. DOIs are kept as dct:source (see `dois`)."""
    chosen = None
    for element in study.find("stdyDscr/citation/titlStmt/IDNo"):
        value, agency = text_of(element), (element.get("agency") or "").strip()
        if doi_of(value) or agency.lower() in ("doi", "datacite"):
            continue
        if value:
            prefixed = not agency or fold(value).startswith(fold(agency))
            chosen = value if prefixed else f"{agency}-{value}"
            study.ledger.use(element, "agency")
            break
    titles = study.find("stdyDscr/citation/titlStmt/altTitl") + study.find("stdyDscr/citation/titlStmt/titl")
    for fallback in (study.cb.get("ID"), *(text_of(t) for t in titles)):
        if chosen:
            break
        chosen = fallback
    if not chosen:
        raise InputError(
            study.report.source,
            "the DDI study has no IDNo, ID or title to name it",
            hint="add stdyDscr/citation/titlStmt/IDNo",
        )
    return slug(chosen) or "unnamed"


def dois(study: Study) -> None:
    """A DOI IDNo identifies the study itself: it is its landing page (https://doi.org/...,
    unless a holdings address already gives that DOI), which `export ddi` writes back as
    IDNo; not a source, which the record only cites."""
    held = {doi_of((e.get("URI") or "").strip()) for e in study.find("stdyDscr/citation/holdings")}
    for element in study.find("stdyDscr/citation/titlStmt/IDNo"):
        doi = doi_of(text_of(element))
        if doi and is_iri(DOI_RESOLVER + doi):
            if doi not in held:
                study.add(DCAT.landingPage, URIRef(DOI_RESOLVER + doi))
            study.ledger.use(element, "agency")


def titles(study: Study) -> None:
    for element in study.find("stdyDscr/citation/titlStmt/titl"):
        value = study.text(element)
        if value is not None:
            study.add(DCT.title, value)
            study.ledger.use(element)
    for element in study.find("stdyDscr/citation/titlStmt/subTitl"):
        value = study.text(element)
        if value is not None:
            study.add(DISCO.subtitle, value)
            study.ledger.use(element)
    for element in study.find("stdyDscr/citation/titlStmt/parTitl"):
        value = study.text(element)
        if value is None:
            continue
        # a parallel title is the title in another language: dct:title is one per language
        taken = {getattr(t, "language", None) for t in study.graph.objects(study.survey, DCT.title)}
        study.add(DCT.title if value.language not in taken else DCT.alternative, value)
        study.ledger.use(element)
    for element in study.find("stdyDscr/citation/titlStmt/altTitl"):
        short = text_of(element)
        if short:  # acronyms and short names: a language only when the DDI gives one
            lang = explicit_lang(element)
            study.add(DCT.alternative, Literal(short, lang=lang) if lang else Literal(short))
            study.ledger.use(element)
    for element in study.find("stdyDscr/stdyInfo/subject/keyword"):
        focus = study.terms.by_iri((element.get("vocabURI") or "").strip(), "migrant-type")
        value = study.text(element)
        if focus is not None:
            study.add(MM.migrantFocus, focus)
            study.ledger.use(element, "vocab", "vocabURI")
        elif value is not None:
            study.add(DCAT.keyword, value)
            study.ledger.use(element)


def abstracts(study: Study) -> None:
    texts: dict[tuple[URIRef, str | None], list[str]] = defaultdict(list)
    elements = study.find("stdyDscr/stdyInfo/abstract") + study.find("stdyDscr/stdyInfo/purpose")
    for element in elements:
        value = study.text(element)
        if value is None:
            continue
        purpose = local_name(element) == "purpose" or element.get("contentType") == "purpose"
        texts[(DISCO.purpose if purpose else DCT.description, value.language)].append(str(value))
        study.ledger.use(element, "contentType")
    for (predicate, lang), parts in texts.items():
        study.add(predicate, Literal("\n\n".join(parts), lang=lang))


def organisations(study: Study) -> list[URIRef]:
    """AuthEnty -> creators (producers when there is none); funders, collectors, distributor."""
    creators = agents(study, study.find("stdyDscr/citation/rspStmt/AuthEnty"))
    producers = agents(study, study.find("stdyDscr/citation/prodStmt/producer"))
    if not creators:
        creators, producers = producers, []
    funders = agents(study, study.find("stdyDscr/citation/prodStmt/fundAg"))
    collectors = agents(study, study.find("stdyDscr/method/dataColl/dataCollector"))
    distributors = agents(study, study.find("stdyDscr/citation/distStmt/distrbtr"))
    for agent in creators:
        study.add(DCT.creator, agent)
    if distributors:
        study.add(DCT.publisher, distributors[0])
    for agent in [*producers, *funders, *collectors, *distributors[1:]]:
        if agent not in creators:
            study.add(DCT.contributor, agent)
    roles: dict[URIRef, set[URIRef]] = defaultdict(set)
    for element in study.find("stdyDscr/citation/prodStmt/producer"):
        for role in (element.get("role") or "").split(";"):
            concept = study.terms.by_label(role, "agency-role") if role.strip() else None
            producer = study.agent_of.get(element)
            if concept is not None and producer is not None:
                roles[producer].add(concept)
                study.ledger.use(element, "role")
    for agent in funders:
        roles[agent].add(AGENCY_ROLE.funder)
    for agent in collectors:
        roles[agent].add(AGENCY_ROLE.fieldwork)
    for agent, kinds in sorted(roles.items()):
        node = stable_bnode(study.survey, "attribution", agent)
        study.add(PROV.qualifiedAttribution, node)
        study.graph.add((node, RDF.type, PROV.Attribution))
        study.graph.add((node, PROV.agent, agent))
        for kind in sorted(kinds):
            study.graph.add((node, DCAT.hadRole, kind))
    return [*creators, *producers, *funders, *collectors, *distributors]


def agents(study: Study, elements: list[etree._Element]) -> list[URIRef]:
    """One agency per organisation; names in several languages merged: the same abbr or URI, or
    elements that differ only by xml:lang (a ministry's Finnish and English names)."""
    groups: dict[str, tuple[dict[str, str], str | None, str | None]] = {}
    members: dict[str, list[etree._Element]] = defaultdict(list)
    translated = _translations(elements)
    for element in elements:
        name = text_of(element)
        if not name:
            continue
        org = _PERSON_THEN_ORG.match(name)
        if org:
            name = org.group(1)
            study.report.note(f"{local_name(element)} '{text_of(element)}' read as the organisation '{name}'", 5)
        elif _PERSON.match(name) and not _looks_like_organisation(name):
            study.ledger.why[element] = (
                "a person: item 5 lists organisations (the affiliation may be one)",
                5,
            )
            continue
        abbr, uri = element.get("abbr"), element.get("URI")
        key = abbr or uri or translated.get(element) or fold(name)
        names, _, _ = groups.setdefault(key, ({}, abbr, uri if uri and is_web_address(uri) else None))
        names.setdefault(explicit_lang(element) or study.lang, name)
        members[key].append(element)
        study.ledger.use(element, "abbr", "URI")
    found = []
    countries = {c for c in study.graph.objects(study.survey, DCT.spatial) if isinstance(c, URIRef)}  # read first
    for key, (names, abbr, uri) in groups.items():
        agent = study.agencies.match(names, abbr, uri, countries=countries)
        for element in members[key]:
            study.agent_of[element] = agent
        found.append(agent)
    return list(dict.fromkeys(found))


def _translations(elements: list[etree._Element]) -> dict[etree._Element, str]:
    """Elements that are one name in several languages -> a shared key.

    Archives write each name once per language, in turns (fi, en, fi, en) or in blocks
    (fi, fi, en, en); the elements then differ only by xml:lang, and the n-th name of each
    language is the same organisation. Otherwise a run of neighbours that differ only by
    xml:lang, each language once, is one name.
    """
    def signature(element: etree._Element) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, v.strip()) for k, v in element.attrib.items() if k != XML_LANG))

    tagged = [e for e in elements if e.get(XML_LANG) and text_of(e)]
    by_lang: dict[str, list[etree._Element]] = defaultdict(list)
    for element in tagged:
        by_lang[explicit_lang(element) or ""].append(element)
    blocks = list(by_lang.values())
    keys: dict[etree._Element, str] = {}
    if len(blocks) > 1 and len(tagged) == len(elements) and len({len(b) for b in blocks}) == 1 and \
            all([signature(e) for e in b] == [signature(e) for e in blocks[0]] for b in blocks):
        for block in blocks:
            for position, element in enumerate(block):
                keys[element] = f"translation {position}"
        return keys
    group: list[etree._Element] = []
    for element in elements:
        if group and element in tagged and signature(element) == signature(group[-1]) and \
                explicit_lang(element) not in {explicit_lang(e) for e in group}:
            group.append(element)
        else:
            group = [element] if element in tagged else []
        for member in group:
            keys[member] = f"translation of {id(group[0])}"
    return {e: k for e, k in keys.items() if sum(1 for v in keys.values() if v == k) > 1}


def series(study: Study) -> None:
    """An IPUMS-style extract is titled "User Extract x.dat": the survey is its series (serName);
    a DOI in serInfo is the data's source."""
    names = [n for n in study.find("stdyDscr/citation/serStmt/serName") if text_of(n)]
    for element in study.find("stdyDscr/citation/serStmt/serInfo"):
        for doi in _DOIS.findall(text_of(element)):
            if is_iri(DOI_RESOLVER + doi.rstrip(".,;)")):
                study.add(DCT.source, URIRef(DOI_RESOLVER + doi.rstrip(".,;)")))
                study.ledger.use(element)
    extract = [t for t in study.graph.objects(study.survey, DCT.title) if _EXTRACT.match(str(t))]
    if extract and names:
        for title in extract:
            study.graph.remove((study.survey, DCT.title, title))
            study.report.note(f"'{title}' names a data extract, not the survey: the title is the series' "
                              f"name '{text_of(names[0])}'; check", 1)
        for name in names:
            value = study.text(name)
            if value is not None:
                study.add(DCT.title, value)
                study.ledger.use(name, "abbr")
    for statement in study.find("stdyDscr/citation/serStmt"):
        parts = [c for c in statement if local_name(c)]
        if parts and all(c in study.ledger.used for c in parts):
            study.ledger.use(statement)


def citation_requirement(study: Study) -> None:
    """useStmt/citReq: the citation it asks for (the paragraphs that hold a DOI or a web
    address, else the whole text) -> dct:bibliographicCitation. othrStdyMat/othRefs too, in
    the files `migrmeta export ddi` wrote (it puts citations there) or when the text reads as
    a citation; other references (archives' notes) go to the loss report."""
    for element in study.find("stdyDscr/dataAccs/useStmt/citReq"):
        value = study.text(element)
        if value is None:
            continue
        paragraphs = str(value).split("\n\n")
        cited = [p for p in paragraphs if _DOIS.search(p) and not _ASKS.search(p)]
        study.add(DCT.bibliographicCitation, Literal("\n\n".join(cited or paragraphs), lang=value.language))
        study.ledger.use(element)
        if cited and len(cited) < len(paragraphs):
            study.report.note("citReq: the citation it gives kept as dct:bibliographicCitation, "
                              "the rest of the requirement left out", None)
    own = is_own_export(study.cb)
    for element in study.find("stdyDscr/othrStdyMat/othRefs"):
        value = study.text(element)
        if value is None:
            continue
        if own or looks_like_citation(str(value)):  # `migrmeta export ddi` writes citations there
            study.add(DCT.bibliographicCitation, value)
            study.ledger.use(element)
        else:  # archives write notes there ("Language Of Study Description: English")
            study.ledger.why[element] = ("other references that do not read as a bibliographic citation (no "
                                         "DOI, address or ISBN, no year in a citation's parts): no questionnaire "
                                         "field; if it is a citation, add it as dct:bibliographicCitation", None)


def looks_like_citation(text: str) -> bool:
    """A bibliographic citation gives a DOI, web address or ISBN, or a year among parts such as
    author, title and publisher ("INSTAT and IOM. Return Migration ... 2013. Tirana: ...")."""
    if _DOIS.search(text) or _URL.search(text) or _ISBN.search(text):
        return True
    return bool(_YEAR.search(text)) and len([p for p in re.split(r"[.;]\s+", text) if p.strip()]) >= 2


def links(study: Study) -> None:
    for element in study.find("stdyDscr/citation/holdings"):
        uri = (element.get("URI") or "").strip()
        if is_web_address(uri):
            study.add(DCAT.landingPage, URIRef(uri))
            study.ledger.use(element, "URI")
    for element in study.find("stdyDscr/citation/serStmt"):
        series = (element.get("URI") or "").strip()
        if series.startswith(str(SURVEY)) and is_iri(series):  # a series of this catalogue (as exported)
            study.add(IN_SERIES, URIRef(series))
            study.ledger.use(element, "URI")
    for element in study.find("fileDscr"):
        uri = (element.get("URI") or "").strip()
        if is_web_address(uri):
            node = stable_bnode(study.survey, "distribution", uri)
            study.add(DCAT.distribution, node)
            study.graph.add((node, RDF.type, DCAT.Distribution))
            study.graph.add((node, DCAT.accessURL, URIRef(uri)))
            study.ledger.use(element, "URI")
    for element in study.find("stdyDscr/othrStdyMat/relPubl"):
        links = [(e.get("URI") or "").strip() for e in element.iter() if isinstance(e.tag, str)]
        text = text_of(element)
        links = [u for u in links if _is_link(u)] or ([text] if _is_link(text) else [])
        doi = doi_of(text) if not links else None
        if doi and is_iri(DOI_RESOLVER + doi):
            links = [DOI_RESOLVER + doi]
        if not links:  # a citation with its address in the text: the address is the link
            links = [DOI_RESOLVER + d.rstrip(".,;)") for d in _DOIS.findall(text)] or \
                [u.rstrip(".,;)") for u in _URL.findall(text)]
            links = [u for u in links if _is_link(u)][:1]
        for link in links:
            study.add(DCT.isReferencedBy, URIRef(link))
            study.ledger.use(element, "URI")


def _is_link(text: str) -> bool:
    """A web address, or a URN (publications may be urn:isbn:...)."""
    return is_web_address(text) or (text.lower().startswith("urn:") and is_iri(text))


def _looks_like_organisation(name: str) -> bool:
    return bool(
        re.search(
            r"(?i)\b(universit|institut|office|agency|authority|department|ministry|"
            r"cent(er|re)|council|bureau|service|statistic|foundation|bank|organi[sz]ation|"
            r"commission|survey|research|government|national)",
            name,
        )
        # a company's legal form after a comma ("Gallup, Inc."), not a person's initials
        or re.search(r"(?i),\s*(inc|ltd|llc|plc|corp|corporation|company|co|gmbh|limited)\.?$", name)
    )
