"""The list of valid countries: EU authority-table concepts for ISO 3166-1 alpha-3 codes (and
the table's codes for the two ISO countries it writes otherwise, Kosovo 1A0 and FQ0).

`ontology/countries.ttl` is derived from the EU Publications Office table
(`countries-skos.rdf`) by `build_country_list`; `migrmeta countries build` regenerates it.
Only current (not deprecated) entries are kept, with labels in English, French and Spanish,
the alpha-3 code as `skos:notation` and the ISO alpha-2 code (for importers) as
`mm:alpha2`, so an unknown code is a violation, not a pattern match.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from rdflib import Graph, Literal, URIRef

from migrmeta.errors import InputError
from migrmeta.io.files import write_output
from migrmeta.io.safexml import parse_xml
from migrmeta.namespaces import COUNTRY, COUNTRY_DATASET, COUNTRY_SCHEME, DCT, MM, RDF, SKOS, bind_prefixes
from migrmeta.rdf.turtle import turtle
from migrmeta.values.countries import ISO_TO_EU

EU_ONLY_CODES = frozenset(ISO_TO_EU.values())

LANGUAGES = ("en", "fr", "es")
_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "at": "http://publications.europa.eu/ontology/authority/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
}
# TED's mapped codes are ISO 3166-1 alpha-2 except UK and EL (for GB and GR); the EurLex
# FD_* tables look like ISO but hold legacy codes (OMN -> AO), so they are not used.
_NOT_ISO = {"UK": "GB", "EL": "GR"}


def _alpha2(concept: etree._Element) -> str | None:
    for mapped in concept.iterfind("at:op-mapped-code/at:MappedCode", _NS):
        code = mapped.findtext("at:legacy-code", namespaces=_NS) or ""
        if mapped.findtext("dc:source", namespaces=_NS) in ("TED", "TED_SCHEMA") and len(code) == 2 \
                and code.isalpha():  # Kosovo's "1A" is TED's own, no ISO code
            return _NOT_ISO.get(code, code)
    return None


def build_country_list(source: Path) -> Graph:
    """Read the EU country authority table (SKOS RDF/XML) and return the project's list."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(str(source), f"cannot be read ({exc.strerror or exc})") from exc
    # the one safe parser: an entity is refused, never dropped
    root = parse_xml(data, str(source), "the EU country authority table (countries-skos.rdf)").getroot()
    version = root.find("skos:ConceptScheme/owl:versionInfo", _NS)
    graph = bind_prefixes(Graph())
    scheme = URIRef(COUNTRY_SCHEME)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCT.title, Literal("Countries (EU Publications Office authority table)", lang="en")))
    graph.add((scheme, DCT.title, Literal("Pays (table d'autorité de l'Office des publications de l'UE)", lang="fr")))
    spanish = "Países (tabla de autoridad de la Oficina de Publicaciones de la UE)"
    graph.add((scheme, DCT.title, Literal(spanish, lang="es")))
    graph.add((scheme, DCT.source, URIRef(COUNTRY_DATASET)))
    if version is not None and version.text:
        graph.add((scheme, MM.sourceVersion, Literal(version.text.strip())))
    for concept in root.iterfind("skos:Concept", _NS):
        if concept.get(f"{{{_NS['at']}}}deprecated") == "true":
            continue
        iri = concept.get(f"{{{_NS['rdf']}}}about", "")
        code = iri.rsplit("/", 1)[-1]
        # alpha-3, and the table's own codes for Kosovo (1A0) and the French Southern
        # Territories (FQ0), which ISO gives (XKX, ATF) but the table writes otherwise
        if not iri.startswith(str(COUNTRY)) or not ((len(code) == 3 and code.isalpha()) or code in EU_ONLY_CODES):
            continue
        node = URIRef(iri)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, RDF.type, DCT.Location))
        graph.add((node, SKOS.inScheme, scheme))
        graph.add((node, SKOS.notation, Literal(code)))
        alpha2 = _alpha2(concept)
        if alpha2:
            graph.add((node, MM.alpha2, Literal(alpha2)))
        for label in concept.iterfind("skos:prefLabel", _NS):
            lang = label.get("{http://www.w3.org/XML/1998/namespace}lang")
            if lang in LANGUAGES and label.text:
                graph.add((node, SKOS.prefLabel, Literal(label.text.strip(), lang=lang)))
    return graph


def write_country_list(source: Path, target: Path, *, force: bool = True) -> int:
    """Regenerate `target` from the EU table; returns the number of countries.

    A source without current countries leaves `target` untouched (it is what every record
    is validated against); `force` false: an existing `target` is not replaced either.
    """
    graph = build_country_list(source)
    count = sum(1 for _ in graph.subjects(RDF.type, SKOS.Concept))
    if count == 0:
        raise InputError(str(source), "holds no current country of the EU authority table",
                         hint="give the table's SKOS RDF/XML dump (countries-skos.rdf)")
    header = [
        f"Derived from {source.name}, the EU Publications Office country authority table",
        f"({COUNTRY_DATASET}), by `migrmeta countries build`.",
        "Do not edit by hand: regenerate it from a newer table instead.",
    ]
    write_output(target, turtle(graph, header=header), force=force, inputs=[source])
    return count
