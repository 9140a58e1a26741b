"""OAI-PMH's Dublin Core (`oai_dc`) -> a draft survey record, with a loss report.

The fallback when a repository offers no DDI: every OAI-PMH repository must offer oai_dc.
Dublin Core says little about a survey, so the draft holds what it can say plainly and the
loss report lists the rest and the questionnaire items to answer:

    dc:title        -> dct:title (item 1; xml:lang, else the --lang language)
    dc:description  -> dct:description (item 2)
    dc:coverage     -> dct:spatial, when it names one country (item 3); else lost, with a note
    dc:identifier   -> a DOI: dct:source; another http(s) URL: dcat:landingPage (item 14)
    anything else   -> lost, counted by element (creators and publishers: item 5, by hand)
"""

from __future__ import annotations

import re

from lxml import etree
from rdflib import Graph, Literal, URIRef

from migrmeta.formats.ddi.xml import explicit_lang, local_name, text_of
from migrmeta.formats.harmonize import Draft
from migrmeta.formats.loss import LossReport, items_to_complete
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import DCAT, DCT, DOI_RESOLVER, MM, RDF, SURVEY
from migrmeta.values.countries import countries
from migrmeta.values.errors import BadValue
from migrmeta.values.iris import doi_of, is_iri
from migrmeta.values.text import slug

DC = "http://purl.org/dc/elements/1.1/"
_LOST = {
    "creator": ("agency: describe it in records/agencies.ttl and link it with dct:creator", 5),
    "publisher": ("agency: link it with dct:publisher or prov:qualifiedAttribution", 5),
    "contributor": ("agency: link it with prov:qualifiedAttribution", 5),
    "date": ("a Dublin Core date is not the period of data collection: give dct:temporal", 4),
    "subject": ("keywords: add dcat:keyword by hand if useful", None),
    "type": ("resource type: no questionnaire item", None),
    "format": ("file format: describe the data files as dcat:distribution", 13),
    "rights": ("rights: choose the access level (mm:accessLevel)", 14),
    "relation": ("related resource: add dct:isReferencedBy for publications", 13),
    "source": ("source: no questionnaire item", None),
    "language": ("language of the resource: no questionnaire item", None),
}


def import_dc(element: etree._Element, source: str, identifier: str, *, reference: Reference | None = None,
              lang: str = "en") -> Draft:
    """One `oai_dc:dc` element -> a draft named `identifier` (a slug)."""
    reference = reference or load_reference()
    survey = SURVEY[identifier]
    graph = Graph()
    report = LossReport(source, "OAI-PMH Dublin Core (oai_dc) -> migrmeta draft", target=str(survey))
    for kind in (MM.Survey, DCAT.Dataset):
        graph.add((survey, RDF.type, kind))
    graph.add((survey, DCT.identifier, Literal(identifier)))
    titles: set[str | None] = set()
    for child in element:
        name = local_name(child)
        if not isinstance(child.tag, str):  # a comment or a processing instruction: no data
            continue
        if etree.QName(child).namespace != DC:  # dcterms:spatial, a MODS payload...: not Dublin Core's 15
            if text_of(child) or len(child):
                report.lose(_element_name(child), note="not an element of Dublin Core (oai_dc): not read; "
                            "give its facts by hand", item=None)
            continue
        text = text_of(child) if name else ""
        if not text:
            continue
        language = explicit_lang(child) or lang
        if name == "title" and language not in titles:
            titles.add(language)
            graph.add((survey, DCT.title, Literal(text, lang=language)))
        elif name == "title":
            graph.add((survey, DCT.alternative, Literal(text, lang=language)))
        elif name == "description":
            graph.add((survey, DCT.description, Literal(text, lang=language)))
        elif name == "coverage" and (country := _country(text)) is not None:
            graph.add((survey, DCT.spatial, country))
        elif name == "identifier" and _identifier(graph, survey, text):
            continue
        else:
            note, item = _LOST.get(name, ("no questionnaire item", None))
            if name == "coverage":
                note, item = f"coverage {text!r} is not one country: give dct:spatial by hand", 3
            report.lose(f"oai_dc:dc/dc:{name}", note=note, item=item)
    report.to_complete = items_to_complete(graph, survey, reference)
    header = [f"Draft survey record imported from {source} (Dublin Core, oai_dc).",
              "Dublin Core says little about a survey: complete the questionnaire items listed in the loss report."]
    return Draft(survey, identifier, graph, report, header)


def _element_name(child: etree._Element) -> str:
    """An element as the loss report names it: its prefix and name, else {namespace}name."""
    qname = etree.QName(child)
    return f"oai_dc:dc/{child.prefix}:{qname.localname}" if child.prefix else f"oai_dc:dc/{{{qname.namespace}}}" \
        f"{qname.localname}"


def dc_identifier(element: etree._Element) -> str:
    """A name for the draft from the first title ("" when there is none)."""
    title = next((text_of(c) for c in element if local_name(c) == "title" and text_of(c)), "")
    return slug(title)


def _country(text: str) -> URIRef | None:
    try:
        return countries().resolve(text)
    except BadValue:
        return None


def _identifier(graph: Graph, survey: URIRef, text: str) -> bool:
    doi = doi_of(text)
    if doi and is_iri(DOI_RESOLVER + doi):
        graph.add((survey, DCT.source, URIRef(DOI_RESOLVER + doi)))
        return True
    if re.match(r"^https?://\S+$", text) and is_iri(text):
        graph.add((survey, DCAT.landingPage, URIRef(text)))
        return True
    return False


__all__ = ["DC", "dc_identifier", "import_dc"]
