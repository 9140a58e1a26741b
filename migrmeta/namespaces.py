"""Every namespace and prefix migrmeta uses; no IRI literal elsewhere in the code."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT as _DCAT2
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, VOID, XSD

# One rdflib object per IRI for the process: the reader's terms and the constants below are the
# same objects, so `p in IS_TYPE` or `s in subjects` is settled by identity (in C). Equal but
# distinct objects make every match call rdflib's == (a Python call): 2.1 million calls in the
# stages before a 10,000-record catalogue's files are written.
_IRIS: dict[str, URIRef] = {}


def named(iri: str) -> URIRef:
    """The process's one URIRef for the IRI."""
    found = _IRIS.get(iri)
    if found is None:
        found = _IRIS[iri] = URIRef(iri)
    return found


def interned(term: URIRef) -> URIRef:
    """The process's one URIRef equal to `term` (`term` itself when it is the first)."""
    return _IRIS.setdefault(str(term), term)


class IriSpace(Namespace):
    """An open namespace (rdflib's `Namespace`) whose terms are the process's one URIRef per IRI
    (`named`), each made once: rdflib's makes and checks a new URIRef at every `MM.Survey`
    (about 2.5 µs; 25 of them a survey in its DDI file alone). After its first use a term is
    an attribute of the namespace, found without a call."""

    def term(self, name: str) -> URIRef:
        return named(self + (name if isinstance(name, str) else ""))  # rdflib's rule for slices

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # special Python names, as rdflib
            raise AttributeError(name)
        found = self.__dict__[name] = self.term(name)
        return found


# The project's base IRI: every IRI migrmeta mints lives under it.
BASE = "https://w3id.org/migrmeta/"
MM = IriSpace(f"{BASE}ns#")
MMSH = IriSpace(f"{BASE}shapes#")  # the project's shapes, and the annotations they carry for the report
DCT = DCTERMS
# rdflib's closed DCAT namespace predates DCAT 3 (dcat:inSeries, dcat:DatasetSeries): use this one.
DCAT = IriSpace(str(_DCAT2))
DCATAP = IriSpace("http://data.europa.eu/r5r/")
DISCO = IriSpace("http://rdf-vocabulary.ddialliance.org/discovery#")
VCARD = IriSpace("http://www.w3.org/2006/vcard/ns#")
ADMS = IriSpace("http://www.w3.org/ns/adms#")
SCHEMA = SDO

VOCAB_BASE = f"{BASE}vocab/"
SURVEY = IriSpace(f"{BASE}survey/")
AGENCY = IriSpace(f"{BASE}agency/")
COUNTRY = IriSpace("http://publications.europa.eu/resource/authority/country/")
COUNTRY_SCHEME = COUNTRY[""].rstrip("/")
COUNTRY_DATASET = "http://publications.europa.eu/resource/dataset/country"  # the table's release page
ACCESS_RIGHT = IriSpace("http://publications.europa.eu/resource/authority/access-right/")
CONTEXT_IRI = f"{BASE}context.jsonld"
HYDRA = IriSpace("http://www.w3.org/ns/hydra/core#")
ORG = IriSpace("http://www.w3.org/ns/org#")
# ADMS publisher types: the list DCAT-AP 3 asks an agent's dct:type to come from
PUBLISHER_TYPE = IriSpace("http://purl.org/adms/publishertype/")
DOI_RESOLVER = "https://doi.org/"


def scheme(name: str) -> IriSpace:
    """The namespace of one of the project's concept schemes (`sample-type`, ...)."""
    return IriSpace(f"{VOCAB_BASE}{name}/")


def scheme_iri(name: str) -> str:
    return f"{VOCAB_BASE}{name}"


SAMPLE_TYPE = scheme("sample-type")
SAMPLING_UNIT = scheme("sampling-unit")
SURVEY_DESIGN = scheme("survey-design")
POPULATION = scheme("population")
MIGRANT_TYPE = scheme("migrant-type")
CRITERION = scheme("identification-criterion")
DISSEMINATION = scheme("dissemination")
ACCESS_LEVEL = scheme("access-level")
LOCATION_ROLE = scheme("location-role")
AGENCY_ROLE = scheme("agency-role")
AGENCY_TYPE = scheme("agency-type")
SURVEY_STATUS = scheme("survey-status")
FRAMEWORK = scheme("migration-framework")

_BOUND: dict[str, object] = {
    "mm": MM,
    "dct": DCT,
    "dcat": DCAT,
    "dcatap": DCATAP,
    "disco": DISCO,
    "prov": PROV,
    "skos": SKOS,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "schema": SCHEMA,
    "vcard": VCARD,
    "void": VOID,
    "adms": ADMS,
    "org": ORG,
    "country": COUNTRY,
    "survey": SURVEY,
    "agency": AGENCY,
}
# prefix -> namespace, as plain Namespaces (rdflib's closed namespaces are classes)
PREFIXES: dict[str, Namespace] = {prefix: Namespace(str(ns)) for prefix, ns in _BOUND.items()}

# rdf:type as a set, for loops over statements: `p in IS_TYPE` compares hashes first (in C) and
# calls rdflib's == (a Python call) only when they match and are not the same object;
# `p == RDF.type` calls it every time.
IS_TYPE = frozenset({interned(RDF.type)})
# A literal's datatype when it is written as a plain string (none, or xsd:string), for
# `term.datatype in PLAIN_DATATYPES`: no Python call unless it is one (a != is a call every time).
PLAIN_DATATYPES = frozenset({None, interned(XSD.string)})
# The classes of what the catalogue describes, for `o in SURVEY_CLASSES` in the same loops.
SURVEY_CLASSES = frozenset({interned(MM.Survey), interned(MM.SurveySeries)})
# The classes an agency is typed with (a record types it with all three; any one makes an agency).
AGENCY_CLASSES = frozenset({interned(FOAF.Agent), interned(FOAF.Organization), interned(MM.Agency)})


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (replacing rdflib's defaults) and return the graph."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


__all__ = [
    "ACCESS_LEVEL",
    "ACCESS_RIGHT",
    "ADMS",
    "AGENCY",
    "AGENCY_CLASSES",
    "AGENCY_ROLE",
    "BASE",
    "CONTEXT_IRI",
    "COUNTRY",
    "COUNTRY_DATASET",
    "COUNTRY_SCHEME",
    "CRITERION",
    "DCAT",
    "DCATAP",
    "DCT",
    "DISCO",
    "DISSEMINATION",
    "DOI_RESOLVER",
    "FOAF",
    "FRAMEWORK",
    "HYDRA",
    "IS_TYPE",
    "LOCATION_ROLE",
    "MIGRANT_TYPE",
    "MM",
    "MMSH",
    "OWL",
    "PLAIN_DATATYPES",
    "POPULATION",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SAMPLE_TYPE",
    "SAMPLING_UNIT",
    "SCHEMA",
    "SH",
    "SKOS",
    "SURVEY",
    "SURVEY_CLASSES",
    "SURVEY_DESIGN",
    "SURVEY_STATUS",
    "VCARD",
    "VOCAB_BASE",
    "VOID",
    "XSD",
    "IriSpace",
    "bind_prefixes",
    "interned",
    "named",
    "scheme",
    "scheme_iri",
]
