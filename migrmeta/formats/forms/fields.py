"""The field table: the one mapping between the 14 questionnaire items and RDF properties.

Each `Field` names a form key, its questionnaire item, its property and the kind of value it
takes; `SECTIONS` say which fields and types each section of a form (`series`, `surveys`,
`resources`, `agencies`) has. The form (form_encode / form_decode), the spreadsheet
(sheet.py), the templates and `migrmeta new` (interactive.py) all read this table. Also here:
`Problem` (a problem by form key) and the CURIEs a form writes for terms no field covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from migrmeta.namespaces import AGENCY, DCAT, DCATAP, DCT, DISCO, FOAF, MM, OWL, PROV, RDFS, SKOS, SURVEY
from migrmeta.rdf.curie import curie
from migrmeta.rdf.curie import expand as expand_curie
from migrmeta.values.errors import BadValue
from migrmeta.values.iris import is_bracketed, parse_iri


@dataclass(frozen=True)
class Field:
    """One answer of the form: its key, questionnaire item, RDF property and kind of value.

    kinds: text (language-tagged, English by default), string (plain), concept (of `scheme`),
    country, agency, survey (an id of the catalogue), iri, date, integer, boolean, node (a
    nested description with its own `fields`, typed `node_type`).
    """

    key: str
    item: int | None
    prop: URIRef
    kind: str
    scheme: str | None = None
    multi: bool = False
    fields: tuple[Field, ...] = ()
    node_type: URIRef | None = None
    minimum: int | None = None
    ask: str | None = None  # "required" / "optional": asked by `migrmeta new` (required: what the shapes
    # refuse a record without; a warning's item may be skipped, as in a sheet or a form) (of item 11's parameters,
    # those without are asked when the shapes' rules name them for the criterion: forms/guide.py)
    sheet: bool = True  # a column of the spreadsheet
    what: str | None = None  # what the answer is, said by the template, when its kind says too little
    cell_separator: str = ";"  # between several answers in a sheet's cell: a line break for texts that
    # hold their own ';' (a citation's authors "Farid, S.; El-Batrawy, R."), which ';' would cut apart


def _f(key: str, item: int | None, prop: URIRef, kind: str, scheme: str | None = None,
       **options: Any) -> Field:
    return Field(key, item, prop, kind, scheme, **options)


PERIOD = (
    _f("start", 4, DCAT.startDate, "date", ask="required"),
    _f("end", 4, DCAT.endDate, "date", ask="optional"),
)
ATTRIBUTION = (  # both required: the shapes refuse an attribution without its agency or a role
    _f("agency", 5, PROV.agent, "agency", ask="required"),
    _f("roles", 5, DCAT.hadRole, "concept", "agency-role", multi=True, ask="required"),
)
IDENTIFICATION = (
    _f("criterion", 11, MM.criterion, "concept", "identification-criterion", ask="required"),
    _f("definition", 11, SKOS.definition, "text", ask="optional"),
    _f("threshold_months", 11, MM.thresholdMonths, "integer", minimum=0),
    _f("reference_period_years", 11, MM.referencePeriodYears, "integer", minimum=0),
    _f("min_age", 11, MM.minAge, "integer", minimum=0, ask="optional"),
    _f("framework", 11, MM.framework, "concept", "migration-framework"),
)
DISTRIBUTION = (_f("access_url", 13, DCAT.accessURL, "iri"),)

SURVEY_FIELDS: tuple[Field, ...] = (
    _f("title", 1, DCT.title, "text", ask="required"),
    _f("alternative", 1, DCT.alternative, "string", multi=True, ask="optional"),
    _f("identifier", 1, DCT.identifier, "string", sheet=False),
    _f("description", 2, DCT.description, "text", ask="required"),
    _f("purpose", 2, DISCO.purpose, "text", ask="optional"),
    _f("countries", 3, DCT.spatial, "country", multi=True, ask="required"),
    _f("origin_countries", 3, MM.originCountry, "country", multi=True),
    _f("destination_countries", 3, MM.destinationCountry, "country", multi=True),
    _f("transit_countries", 3, MM.transitCountry, "country", multi=True),
    _f("time_frame", 4, DCT.temporal, "node", fields=PERIOD, node_type=DCT.PeriodOfTime,
       ask="required"),
    _f("status", 4, MM.status, "concept", "survey-status", ask="optional"),
    _f("in_series", 4, DCAT.inSeries, "survey"),
    _f("conducted_by", 5, DCT.creator, "agency", multi=True, ask="required"),
    _f("publisher", 5, DCT.publisher, "agency"),
    _f("collaborators", 5, DCT.contributor, "agency", multi=True, ask="optional"),
    _f("agency_roles", 5, PROV.qualifiedAttribution, "node", multi=True, fields=ATTRIBUTION,
       node_type=PROV.Attribution),
    _f("sample_type", 6, MM.sampleType, "concept", "sample-type", multi=True, ask="optional"),
    _f("sample_frame", 6, MM.sampleFrame, "text", ask="optional"),
    _f("sample_size", 6, MM.sampleSize, "integer", minimum=1, ask="optional"),
    _f("inference_note", 6, MM.inferenceNote, "text"),
    _f("sampling_unit", 7, MM.samplingUnit, "concept", "sampling-unit", multi=True,
       ask="required"),
    _f("primary_sampling_unit", 7, MM.primarySamplingUnit, "text"),
    _f("survey_design", 8, MM.surveyDesign, "concept", "survey-design", multi=True,
       ask="required"),
    _f("host_survey", 8, MM.hostSurvey, "survey", ask="optional"),
    _f("legislation", 8, DCATAP.applicableLegislation, "iri", multi=True),
    _f("populations", 9, MM.populationCovered, "concept", "population", multi=True,
       ask="optional"),
    _f("migrant_focus", 10, MM.migrantFocus, "concept", "migrant-type", multi=True,
       ask="optional"),
    _f("keywords", 10, DCAT.keyword, "text", multi=True),
    _f("identification", 11, MM.identification, "node", multi=True, fields=IDENTIFICATION,
       node_type=MM.IdentificationMethod, ask="optional"),
    _f("remittances", 12, MM.collectsRemittances, "boolean", ask="optional"),
    _f("remittance_use", 12, MM.collectsRemittanceUse, "boolean", ask="optional"),
    _f("dissemination", 13, MM.disseminationMeans, "concept", "dissemination", multi=True,
       ask="optional"),
    _f("publications", 13, DCT.isReferencedBy, "iri", multi=True, ask="optional"),
    _f("distributions", 13, DCAT.distribution, "node", multi=True, fields=DISTRIBUTION,
       node_type=DCAT.Distribution),
    _f("access_level", 14, MM.accessLevel, "concept", "access-level", multi=True,
       ask="optional"),
    _f("primary_access_level", 14, MM.primaryAccessLevel, "concept", "access-level"),
    _f("access_rights", 14, DCT.accessRights, "iri"),
    _f("access_conditions", 14, DCT.rights, "text", ask="optional"),
    _f("landing_page", 14, DCAT.landingPage, "iri", ask="optional"),
    _f("sources", None, DCT.source, "iri", multi=True, ask="optional"),
    _f("citations", None, DCT.bibliographicCitation, "text", multi=True, cell_separator="\n", ask="optional"),
    _f("modified", None, DCT.modified, "date"),
    _f("checked_on", None, MM.checkedOn, "date", ask="optional",
       what="the day you last checked the facts against the sources (year-month-day)"),
)
AGENCY_FIELDS: tuple[Field, ...] = (
    _f("name", 5, FOAF.name, "text", ask="required"),
    _f("acronym", 5, SKOS.altLabel, "string", multi=True, ask="optional"),
    _f("kind", 5, DCT.type, "concept", "agency-type", ask="required"),
    _f("country", 5, MM.basedIn, "country", ask="optional"),
    _f("homepage", 5, FOAF.homepage, "iri", ask="optional"),
    _f("same_as", 5, OWL.sameAs, "iri", multi=True),
    _f("note", 5, RDFS.comment, "text"),
)

SURVEY_TYPES = (MM.Survey, DCAT.Dataset, DISCO.Study)
SERIES_TYPES = (MM.SurveySeries, DCAT.DatasetSeries, DISCO.StudyGroup)
AGENCY_TYPES = (FOAF.Agent, FOAF.Organization, MM.Agency)


@dataclass(frozen=True)
class Section:
    name: str
    fields: tuple[Field, ...]
    types: tuple[URIRef, ...]
    namespace: str


SECTIONS = (
    Section("series", SURVEY_FIELDS, SERIES_TYPES, str(SURVEY)),
    Section("surveys", SURVEY_FIELDS, SURVEY_TYPES, str(SURVEY)),
    Section("resources", SURVEY_FIELDS, (), str(SURVEY)),
    Section("agencies", AGENCY_FIELDS, AGENCY_TYPES, str(AGENCY)),
)
SECTION = {s.name: s for s in SECTIONS}
RESERVED = ("id", "types", "other")
DEFAULT_LANG = {"text": "en", "string": None}
NONE_LANG = "@none"


def field_by_key(fields: tuple[Field, ...], key: str) -> Field | None:
    return next((f for f in fields if f.key == key), None)


def field_path(fields: tuple[Field, ...], prop: str) -> str | None:
    """The form key (dotted when nested) answered by a property given as IRI or CURIE."""
    for f in fields:
        if prop in (str(f.prop), curie(f.prop)):
            return f.key
    for f in fields:
        sub = field_path(f.fields, prop) if f.fields else None
        if sub:
            return f"{f.key}.{sub}"
    return None


@dataclass(frozen=True)
class Problem:
    """A problem in the contributor's terms: which survey (entity) and which key."""

    entity: int | None
    key: str | None
    message: str
    severity: str = "violation"
    item: int | None = None
    shape: str | None = None  # the shape whose finding it is (a rule may read several items)


# --- generic terms (what no field can say in plain words) ---------------------------------------


def expand(name: str) -> URIRef:
    if is_bracketed(name):
        return parse_iri(name)
    found = expand_curie(name)
    if found is not None:
        return found
    raise BadValue(f"\"{name}\" is not a property: write prefix:name (e.g. dct:title) or <IRI>")


def item_of(key: str | None) -> int | None:
    if not key:
        return None
    head = key.split(".", 1)[0]
    f = field_by_key(SURVEY_FIELDS, head)
    return f.item if f else None


def as_list(raw: Any) -> list[Any]:
    """A form's answer as a list: itself, or [] for none, or [the one answer]."""
    return raw if isinstance(raw, list) else [] if raw is None else [raw]
