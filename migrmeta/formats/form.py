"""Record graph <-> questionnaire form (a plain dict, written as YAML or JSON).

The field table below is the one mapping between the 14 questionnaire items and RDF: the
form, the spreadsheet (sheet.py), the templates and `migrmeta new` (interactive.py) all use
it. A form holds one survey (its keys at the top) or sections `series`, `surveys`,
`resources` (other described things, e.g. host surveys) and `agencies`. Values are plain
words: codes or labels of the SKOS lists, ISO country codes, agency ids, years.

Export is lossless: anything a field cannot say in plain words is kept in a generic form
(`"<iri>"`, `{value:, lang:|datatype:}`, `other:`, `types:`); docs/form-schema.md has the rules.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import InputError
from ..explain import Finding
from ..load import check_text
from ..namespaces import (
    AGENCY,
    DCAT,
    DCATAP,
    DCT,
    DISCO,
    FOAF,
    MM,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    SURVEY,
    XSD,
    bind_prefixes,
    scheme,
)
from ..reference import Reference
from .answers import (
    SLUG,
    Agencies,
    AnswerError,
    Catalogue,
    Vocabulary,
    check_graphs,
    parse_boolean,
    parse_date,
    parse_integer,
    parse_iri,
    parse_slug_or_iri,
    parse_text,
)

# rdflib's DCAT lists DCAT 2 terms only: inSeries and DatasetSeries are DCAT 3.


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
    ask: str | None = None  # "required" / "optional": asked by `migrmeta new`
    sheet: bool = True  # a column of the spreadsheet


def _f(key: str, item: int | None, prop: URIRef, kind: str, scheme: str | None = None,
       **options: Any) -> Field:
    return Field(key, item, prop, kind, scheme, **options)


PERIOD = (
    _f("start", 4, DCAT.startDate, "date", ask="required"),
    _f("end", 4, DCAT.endDate, "date", ask="optional"),
)
ATTRIBUTION = (
    _f("agency", 5, PROV.agent, "agency"),
    _f("roles", 5, DCAT.hadRole, "concept", "agency-role", multi=True),
)
IDENTIFICATION = (
    _f("criterion", 11, MM.criterion, "concept", "identification-criterion", ask="required"),
    _f("definition", 11, SKOS.definition, "text", ask="optional"),
    _f("threshold_months", 11, MM.thresholdMonths, "integer", minimum=0),
    _f("reference_period_years", 11, MM.referencePeriodYears, "integer", minimum=0),
    _f("min_age", 11, MM.minAge, "integer", minimum=0),
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
    _f("sample_type", 6, MM.sampleType, "concept", "sample-type", multi=True, ask="required"),
    _f("sample_frame", 6, MM.sampleFrame, "text"),
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
       ask="required"),
    _f("migrant_focus", 10, MM.migrantFocus, "concept", "migrant-type", multi=True,
       ask="optional"),
    _f("keywords", 10, DCAT.keyword, "text", multi=True),
    _f("identification", 11, MM.identification, "node", multi=True, fields=IDENTIFICATION,
       node_type=MM.IdentificationMethod, ask="required"),
    _f("remittances", 12, MM.collectsRemittances, "boolean", ask="required"),
    _f("remittance_use", 12, MM.collectsRemittanceUse, "boolean", ask="optional"),
    _f("dissemination", 13, MM.disseminationMeans, "concept", "dissemination", multi=True,
       ask="required"),
    _f("publications", 13, DCT.isReferencedBy, "iri", multi=True),
    _f("distributions", 13, DCAT.distribution, "node", multi=True, fields=DISTRIBUTION,
       node_type=DCAT.Distribution),
    _f("access_level", 14, MM.accessLevel, "concept", "access-level", multi=True,
       ask="required"),
    _f("primary_access_level", 14, MM.primaryAccessLevel, "concept", "access-level"),
    _f("access_rights", 14, DCT.accessRights, "iri"),
    _f("access_conditions", 14, DCT.rights, "text", ask="optional"),
    _f("landing_page", 14, DCAT.landingPage, "iri", ask="optional"),
    _f("sources", None, DCT.source, "iri", multi=True, ask="optional"),
    _f("citations", None, DCT.bibliographicCitation, "text", multi=True),
    _f("modified", None, DCT.modified, "date"),
)
AGENCY_FIELDS: tuple[Field, ...] = (
    _f("name", 5, FOAF.name, "text"),
    _f("acronym", 5, SKOS.altLabel, "string", multi=True),
    _f("homepage", 5, FOAF.homepage, "iri"),
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


# --- generic terms (what no field can say in plain words) ---------------------------------------


def curie(iri: Node) -> str:
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            local = text[len(str(namespace)):]
            if all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
    return f"<{text}>"


def expand(name: str) -> URIRef:
    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    prefix, _, local = name.partition(":")
    if prefix in PREFIXES and local:
        return URIRef(str(PREFIXES[prefix]) + local)
    raise AnswerError(f"\"{name}\" is not a property: write prefix:name (e.g. dct:title) or <IRI>")


class Exporter:
    """A record graph -> a form dict."""

    def __init__(self, graph: Graph, vocab: Vocabulary, source: str = "<graph>") -> None:
        self.graph = graph
        self.vocab = vocab
        self.source = source
        self.decoder = Decoder(vocab, Agencies())
        refs = Counter(o for o in graph.objects() if isinstance(o, BNode))
        bad = sorted(str(b) for b in set(graph.subjects()) if isinstance(b, BNode) and refs[b] != 1)
        if bad:
            raise InputError(source, f"a blank node is used {refs[BNode(bad[0])]} times; a form "
                             "can only hold blank nodes used once", hint="give it an IRI")
        self._stack: list[Node] = []

    def form(self) -> dict[str, Any]:
        entities: dict[str, list[dict[str, Any]]] = {s.name: [] for s in SECTIONS}
        for subject in sorted({s for s in self.graph.subjects() if isinstance(s, URIRef)}):
            section = self.section_of(subject)
            entities[section.name].append(self.entity(subject, section))
        total = sum(len(v) for v in entities.values())
        if total == 1 and entities["surveys"]:
            return entities["surveys"][0]
        return {name: found for name, found in entities.items() if found}

    def section_of(self, subject: URIRef) -> Section:
        types = set(self.graph.objects(subject, RDF.type))
        if MM.SurveySeries in types:
            return SECTION["series"]
        if MM.Survey in types:
            return SECTION["surveys"]
        if types & set(AGENCY_TYPES):
            return SECTION["agencies"]
        return SECTION["resources"]

    def entity(self, subject: URIRef, section: Section) -> dict[str, Any]:
        local = str(subject)[len(section.namespace):] if str(subject).startswith(section.namespace) else ""
        ident = local if SLUG.match(local) else f"<{subject}>"
        data: dict[str, Any] = {"id": ident}
        data.update(self.describe(subject, section.fields, section.types))
        if section.name in ("series", "surveys") and SLUG.match(local):
            ids = list(self.graph.objects(subject, DCT.identifier))
            if ids == [Literal(local)]:
                data.pop("identifier")
            elif not ids:
                data["identifier"] = []
        return data

    def describe(self, node: Node, fields: tuple[Field, ...], types: tuple[URIRef, ...]) -> dict[str, Any]:
        if node in self._stack:
            raise InputError(self.source, "blank nodes refer to each other in a cycle; a form "
                             "cannot hold that")
        self._stack.append(node)
        data: dict[str, Any] = {}
        found = _nodes(self.graph.objects(node, RDF.type))
        if set(found) != set(types):
            data["types"] = _ordered([curie(t) if isinstance(t, URIRef) else self.generic(t)
                                      for t in found])
        for f in fields:
            values = _nodes(self.graph.objects(node, f.prop))
            if values:
                data[f.key] = self.encode(f, values)
        known = {f.prop for f in fields} | {RDF.type}
        other: dict[str, Any] = {}
        for prop in _nodes(set(self.graph.predicates(node)) - known):
            other[curie(prop)] = _ordered([self.generic(v) for v in self.graph.objects(node, prop)])
        if other:
            data["other"] = other
        self._stack.pop()
        return data

    def encode(self, f: Field, values: list[Node]) -> Any:
        if f.kind in DEFAULT_LANG:
            return self.encode_texts(f, values)
        encoded = [self.encode_one(f, v) for v in values]
        encoded = _ordered(encoded)
        return encoded[0] if len(encoded) == 1 and not f.multi else encoded

    def encode_one(self, f: Field, value: Node) -> Any:
        if f.kind == "node" and isinstance(value, BNode):
            return self.describe(value, f.fields, (f.node_type,) if f.node_type else ())
        simple = self._simple(f, value)
        if simple is not None and self._decodes_to(f, simple, value):
            return simple
        return self.generic(value)

    def _simple(self, f: Field, value: Node) -> Any:
        if isinstance(value, URIRef):
            if f.kind == "iri":
                return str(value)
            if f.kind in ("concept", "country"):
                return self.vocab.code_of(str(value), f.scheme or "country")
            namespace = {"agency": str(AGENCY), "survey": str(SURVEY)}.get(f.kind)
            if namespace and str(value).startswith(namespace):
                return str(value)[len(namespace):]
            return None
        if not isinstance(value, Literal):
            return None
        text = str(value)
        if f.kind == "date" and value.datatype == XSD.gYear and text.isdigit():
            return int(text)
        if f.kind == "date" and value.datatype in (XSD.gYearMonth, XSD.date):
            return text
        if f.kind == "integer" and value.datatype == XSD.integer:
            return int(text) if text.lstrip("-").isdigit() else None
        if f.kind == "boolean" and value.datatype == XSD.boolean:
            return {"true": True, "false": False}.get(text)
        return None

    def _decodes_to(self, f: Field, simple: Any, value: Node) -> bool:
        try:
            return self.decoder.scalar(f, simple, lenient=True) == value
        except AnswerError:
            return False

    def encode_texts(self, f: Field, values: list[Node]) -> Any:
        default = DEFAULT_LANG[f.kind]
        plain: list[str] = []
        by_lang: dict[str, list[str]] = {}
        generic: list[Any] = []
        for v in values:
            if not isinstance(v, Literal) or v.datatype not in (None, XSD.string):
                generic.append(self.generic(v))
                continue
            text = str(v)
            clean = text.strip() == text and text and not text.startswith("[")
            if not clean:
                generic.append(self.generic(v))
            elif (v.language or None) == default:
                plain.append(text)
                by_lang.setdefault(default or NONE_LANG, []).append(text)
            else:
                by_lang.setdefault(v.language or NONE_LANG, []).append(text)
        if not generic and len(by_lang) <= 1 and plain:
            return plain[0] if len(plain) == 1 and not f.multi else sorted(plain)
        if not generic:
            keys = sorted(by_lang, key=lambda k: (k != "en", k == NONE_LANG, k))
            return {k: (by_lang[k][0] if len(by_lang[k]) == 1 else sorted(by_lang[k])) for k in keys}
        entries: list[Any] = [*plain, *generic]
        for lang, texts in by_lang.items():
            if lang != (default or NONE_LANG):
                entries += [{"value": t, "lang": lang} if lang != NONE_LANG else {"value": t}
                            for t in texts]
        return _ordered(entries)

    def generic(self, value: Node) -> Any:
        if isinstance(value, URIRef):
            return f"<{value}>"
        if isinstance(value, Literal):
            if value.language:
                return {"value": str(value), "lang": value.language}
            if value.datatype and value.datatype != XSD.string:
                return {"value": str(value), "datatype": curie(value.datatype)}
            return {"value": str(value)}
        return {"node": self.describe(value, (), ())}


def _nodes(nodes: Iterable[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (type(n).__name__, str(n)))


def _ordered(values: list[Any]) -> list[Any]:
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))


def graph_to_form(graph: Graph, vocab: Vocabulary, source: str = "<graph>") -> dict[str, Any]:
    """A record (one survey, or a series with rounds, agencies ...) -> its form."""
    return Exporter(graph, vocab, source).form()


# --- form -> graph ---------------------------------------------------------------------------


class Decoder:
    """One answer of a field -> RDF terms (raises AnswerError)."""

    def __init__(self, vocab: Vocabulary, agencies: Agencies) -> None:
        self.vocab = vocab
        self.agencies = agencies

    def scalar(self, f: Field, raw: Any, lenient: bool = False) -> Node:
        if isinstance(raw, str) and raw.strip().startswith("<") and raw.strip().endswith(">") \
                and f.kind not in DEFAULT_LANG:
            return URIRef(raw.strip()[1:-1])
        if isinstance(raw, dict):
            return self.generic_literal(raw)
        if f.kind in DEFAULT_LANG:
            return parse_text(raw, DEFAULT_LANG[f.kind])
        if f.kind == "concept":
            return self.vocab.concept(f.scheme or "", str(raw))
        if f.kind == "country":
            return self.vocab.concept("country", str(raw))
        if f.kind == "agency":
            if lenient and SLUG.match(str(raw)):
                return URIRef(str(AGENCY) + str(raw))
            return self.agencies.resolve(str(raw), str(AGENCY))
        if f.kind == "survey":
            return parse_slug_or_iri(raw, str(SURVEY))
        if f.kind == "iri":
            return parse_iri(raw)
        if f.kind == "date":
            return parse_date(raw)
        if f.kind == "integer":
            return parse_integer(raw, f.minimum)
        if f.kind == "boolean":
            return parse_boolean(raw)
        raise AnswerError(f"{f.key} takes a nested description, not \"{raw}\"")

    @staticmethod
    def generic_literal(raw: dict[str, Any]) -> Literal:
        if "value" not in raw or set(raw) - {"value", "lang", "datatype"}:
            raise AnswerError(f"{raw} is not a value: write {{value: ..., lang: ..}} or "
                              "{value: ..., datatype: ..}")
        if raw.get("lang"):
            return Literal(str(raw["value"]), lang=str(raw["lang"]))
        if raw.get("datatype"):
            return Literal(str(raw["value"]), datatype=expand(str(raw["datatype"])))
        return Literal(str(raw["value"]))


def _present(raw: Any) -> bool:
    return raw not in (None, "", [], {})


def _split(f: Field, raw: Any) -> list[Any]:
    """The answers of a field as a list (a string of a multi-valued code field splits on ';')."""
    if isinstance(raw, list):
        return [r for r in raw if _present(r)]
    if isinstance(raw, str) and f.multi and f.kind in ("concept", "country", "agency"):
        return [part.strip() for part in raw.split(";") if part.strip()]
    return [raw] if _present(raw) else []


class Builder:
    """Form dicts -> one graph, collecting problems instead of stopping at the first."""

    def __init__(self, vocab: Vocabulary, agencies: Agencies | None = None) -> None:
        self.vocab = vocab
        self.agencies = agencies or Agencies()
        self.decoder = Decoder(vocab, self.agencies)
        self.graph = bind_prefixes(Graph())
        self.problems: list[Problem] = []
        self.entities: list[tuple[str, dict[str, Any], URIRef | None]] = []
        self._blank = 0
        self.unnamed: set[int] = set()  # entities whose id could not be read

    # entities ---------------------------------------------------------------------------

    def add_form(self, form: Any) -> None:
        for section, data in split_form(form):
            self.entities.append((section.name, data, None))
        for index, (name, data, _) in enumerate(self.entities):
            iri = self.subject(index, SECTION[name], data)
            if iri is None and isinstance(data, dict):  # still read the answers, to report them all
                iri = URIRef(f"{SECTION[name].namespace}unnamed-{index + 1}")
                self.unnamed.add(index)
            self.entities[index] = (name, data, iri)
        for index, (name, data, iri) in enumerate(self.entities):  # agencies first: surveys name them
            if name == "agencies" and iri is not None and index not in self.unnamed:
                names = [v for key in ("name", "acronym") for v in _names(data.get(key))]
                self.agencies.add(str(iri).rsplit("/", 1)[-1], iri, names)
        for index, (name, data, iri) in enumerate(self.entities):
            if iri is not None:
                self.add_entity(index, SECTION[name], data, iri)

    def subject(self, index: int, section: Section, data: Any) -> URIRef | None:
        if not isinstance(data, dict):
            self.problem(index, None, f"each entry of {section.name} must be a set of keys")
            return None
        raw = data.get("id")
        if not _present(raw):
            self.problem(index, "id", "missing: give the survey a short id (lower-case letters, "
                         "digits and '-', e.g. ph-sof-2019)")
            return None
        try:
            iri = parse_slug_or_iri(raw, section.namespace)
        except AnswerError as exc:
            self.problem(index, "id", str(exc))
            return None
        if any(other == iri for _, _, other in self.entities):
            self.problem(index, "id", f"\"{raw}\" is used twice: each survey needs its own id")
            return None
        return iri

    def add_entity(self, index: int, section: Section, data: dict[str, Any], subject: URIRef) -> None:
        self.describe(index, subject, data, section.fields, section.types, "")
        if section.name in ("series", "surveys") and "identifier" not in data and \
                SLUG.match(str(data["id"])):
            self.graph.add((subject, DCT.identifier, Literal(str(data["id"]))))

    def describe(self, index: int, node: Node, data: dict[str, Any], fields: tuple[Field, ...],
                 types: tuple[URIRef, ...], prefix: str) -> None:
        known = {f.key for f in fields}
        for key in data:
            if key not in known and key not in RESERVED:
                close = difflib.get_close_matches(str(key), sorted(known), n=1)
                hint = f"; did you mean \"{close[0]}\"?" if close else ""
                self.problem(index, prefix + str(key), f"\"{key}\" is not a key of the form{hint}")
        if "types" in data:
            types = ()
            for raw in _as_list(data["types"]):
                try:
                    self.graph.add((node, RDF.type, expand(str(raw))))
                except AnswerError as exc:
                    self.problem(index, prefix + "types", str(exc))
        for t in types:
            self.graph.add((node, RDF.type, t))
        for f in fields:
            if f.key in data:
                self.add_field(index, node, f, data[f.key], prefix)
        if isinstance(data.get("other"), dict):
            for prop_name, raw in data["other"].items():
                try:
                    prop = expand(str(prop_name))
                    for value in _as_list(raw):
                        self.graph.add((node, prop, self.generic(index, value, prefix)))
                except AnswerError as exc:
                    self.problem(index, prefix + "other", str(exc))

    def add_field(self, index: int, node: Node, f: Field, raw: Any, prefix: str) -> None:
        where = prefix + f.key
        if f.kind in DEFAULT_LANG and isinstance(raw, dict) and "value" not in raw:
            raw = [{"value": t, "lang": lang} if lang != NONE_LANG else {"value": t}
                   for lang, texts in raw.items() for t in _as_list(texts)]
        for value in _split(f, raw):
            try:
                if f.kind == "node" and isinstance(value, dict) and "value" not in value:
                    if not any(_present(v) for v in value.values()):
                        continue
                    child = self.blank()
                    self.describe(index, child, value, f.fields,
                                  (f.node_type,) if f.node_type else (), where + ".")
                    term: Node = child
                elif isinstance(value, dict) and "node" in value:
                    term = self.generic(index, value, prefix)
                elif f.kind in DEFAULT_LANG and isinstance(value, dict):
                    term = Decoder.generic_literal(value)
                else:
                    term = self.decoder.scalar(f, value)
            except AnswerError as exc:
                self.problem(index, where, str(exc), f.item)
                continue
            self.graph.add((node, f.prop, term))

    def generic(self, index: int, raw: Any, prefix: str) -> Node:
        if isinstance(raw, str) and raw.startswith("<") and raw.endswith(">"):
            return URIRef(raw[1:-1])
        if isinstance(raw, dict) and "node" in raw:
            child = self.blank()
            self.describe(index, child, raw["node"] or {}, (), (), prefix)
            return child
        if isinstance(raw, dict):
            return Decoder.generic_literal(raw)
        if isinstance(raw, bool):
            return Literal("true" if raw else "false", datatype=XSD.boolean)
        if isinstance(raw, int):
            return Literal(str(raw), datatype=XSD.integer)
        return Literal(str(raw))

    def blank(self) -> BNode:
        self._blank += 1
        return BNode(f"n{self._blank}")

    def problem(self, index: int | None, key: str | None, message: str, item: int | None = None,
                severity: str = "violation") -> None:
        self.problems.append(Problem(index, key, message, severity, item or item_of(key)))


def item_of(key: str | None) -> int | None:
    if not key:
        return None
    head = key.split(".", 1)[0]
    f = field_by_key(SURVEY_FIELDS, head)
    return f.item if f else None


def _as_list(raw: Any) -> list[Any]:
    return raw if isinstance(raw, list) else [raw]


def _names(raw: Any) -> Iterator[str]:
    if isinstance(raw, dict):
        for v in raw.values():
            yield from (str(x) for x in _as_list(v) if not isinstance(x, dict))
    elif raw is not None:
        yield from (str(x) for x in _as_list(raw) if not isinstance(x, dict))


def split_form(form: Any) -> list[tuple[Section, Any]]:
    """A form -> (section, entry) pairs. A form without `surveys`/`series` is one survey."""
    if not isinstance(form, dict):
        raise AnswerError("a form is a set of keys (title: ..., countries: ...)")
    sectioned = "surveys" in form or "series" in form
    found: list[tuple[Section, Any]] = []
    flat = {k: v for k, v in form.items() if k not in ("resources", "agencies")}
    if not sectioned and (flat or not form):
        found.append((SECTION["surveys"], flat))
    for section in SECTIONS:
        if section.name in form and (sectioned or section.name in ("resources", "agencies")):
            for entry in _as_list(form[section.name] or []):
                found.append((section, entry))
    return found


def form_to_graph(form: Any, vocab: Vocabulary, agencies: Agencies | None = None) -> Builder:
    """A form -> a Builder holding the graph, the problems and where each entity came from."""
    builder = Builder(vocab, agencies)
    try:
        builder.add_form(form)
    except AnswerError as exc:
        builder.problem(None, None, str(exc))
    return builder


# --- checking an imported form, in the contributor's terms --------------------------------------


@dataclass
class Imported:
    """What an importer made of a form (or a sheet row): the graph and its problems."""

    builder: Builder
    problems: list[Problem]

    @property
    def graph(self) -> Graph:
        return self.builder.graph

    @property
    def ok(self) -> bool:
        return not any(p.severity == "violation" for p in self.problems)


def findings_to_problems(findings: list[Finding], builder: Builder) -> list[Problem]:
    """Map each SHACL / catalogue finding back to the survey and the form key it concerns."""
    index = {iri: i for i, (_, _, iri) in enumerate(builder.entities) if iri is not None}
    problems = []
    for finding in findings:
        entity = index.get(URIRef(finding.focus)) if finding.focus else None
        section = builder.entities[entity][0] if entity is not None else "surveys"
        fields = SECTION[section].fields
        key = field_path(fields, finding.path) if finding.path else None
        if key is None and finding.item is not None:
            key = next((f.key for f in fields if f.item == finding.item), None)
        message = f"{finding.message}; {finding.hint}" if finding.hint else finding.message
        message = plain_terms(message, fields)
        severity = finding.severity if finding.severity in ("warning", "info") else "violation"
        problems.append(Problem(entity, key, message, severity, finding.item or item_of(key)))
    return problems


_CURIE = re.compile(r"\b(?:" + "|".join(PREFIXES) + r"):[A-Za-z][A-Za-z0-9_-]*")


def plain_terms(message: str, fields: tuple[Field, ...]) -> str:
    """`dct:isReferencedBy` in a shape's message -> `"publications"`, the form's own key."""
    def key(match: re.Match[str]) -> str:
        found = field_path(fields, match.group(0))
        return f"\"{found}\"" if found else match.group(0)

    return _CURIE.sub(key, message)


def finish(builders: list[tuple[str, Builder]], reference: Reference, *, lang: str = "en",
           catalogue: Catalogue | None = None) -> list[Imported]:
    """Validate built graphs (together) and add the findings to each one's problems.

    A key whose answer could not be read is not also reported as missing by the shapes.
    """
    found = check_graphs([(source, b.graph) for source, b in builders], reference, lang=lang,
                         catalogue=catalogue)
    results = []
    for source, builder in builders:
        answered = {(p.entity, (p.key or "").split(".")[0]) for p in builder.problems}
        answered |= {(i, "identifier") for i in builder.unnamed}
        problems = list(builder.problems)
        for problem in findings_to_problems(found[source], builder):
            if (problem.entity, (problem.key or "").split(".")[0]) not in answered and \
                    problem not in problems:  # one message per key, even for several values
                problems.append(problem)
        for index, (_, data, iri) in enumerate(builder.entities):
            known = catalogue and iri is not None and index not in builder.unnamed
            owner = catalogue.owner(iri) if known and catalogue and iri is not None else None
            if owner:
                problems.append(Problem(index, "id", f"\"{data.get('id')}\" is already described in "
                                        f"{owner}: the new record replaces it there", "warning"))
        results.append(Imported(builder, problems))
    return results


def import_form(form: Any, reference: Reference, *, source: str = "form", lang: str = "en",
                catalogue: Catalogue | None = None, vocab: Vocabulary | None = None) -> Imported:
    """A form (dict) -> a record graph, checked with the shapes; problems by form key."""
    vocab = vocab or Vocabulary(reference)
    agencies = catalogue.agencies() if catalogue else Agencies()
    builder = form_to_graph(form, vocab, agencies)
    return finish([(source, builder)], reference, lang=lang, catalogue=catalogue)[0]


def item_texts(reference: Reference, lang: str = "en") -> dict[int, tuple[str, str]]:
    """Item number -> (name, question) in `lang`, from the ontology's mm:item1..14."""
    names = reference.item_names()
    texts: dict[int, tuple[str, str]] = {}
    for item in reference.graph.subjects(RDF.type, MM.QuestionnaireItem):
        number = reference.graph.value(item, SKOS.notation)
        if number is None:
            continue
        questions = {q.language: str(q) for q in reference.graph.objects(item, SKOS.definition)
                     if isinstance(q, Literal)}
        n = int(str(number))
        name = names.get(n, {})
        texts[n] = (name.get(lang) or name.get("en", ""), questions.get(lang) or questions.get("en", ""))
    return texts


def where(problem: Problem, builder: Builder, items: dict[int, tuple[str, str]]) -> str:
    """`surveys[2] "ph-sof-2019", key "sample_type" (item 6, Type of sample)`."""
    parts = []
    flat = not any(name != "surveys" for name, _, _ in builder.entities) and len(builder.entities) == 1
    if problem.entity is not None and not flat:
        name, data, _ = builder.entities[problem.entity]
        position = sum(1 for n, _, _ in builder.entities[: problem.entity + 1] if n == name)
        ident = data.get("id") if isinstance(data, dict) else None
        parts.append(f"{name}[{position}]" + (f" \"{ident}\"" if ident else ""))
    if problem.key:
        item = f" (item {problem.item}, {items[problem.item][0]})" if problem.item in items else ""
        parts.append(f"key \"{problem.key}\"{item}")
    return ", ".join(parts) or "the form"


# Short prefixes for the concept schemes, as the hand-written records use them.
SCHEME_PREFIXES = {
    "st": "sample-type", "su": "sampling-unit", "sd": "survey-design", "pop": "population",
    "mt": "migrant-type", "ic": "identification-criterion", "dis": "dissemination",
    "acc": "access-level", "role": "agency-role", "status": "survey-status",
    "fw": "migration-framework",
}


def record_turtle(graph: Graph, source: str | None = None) -> bytes:
    """A record as Turtle, the same bytes for the same graph (blank nodes are numbered)."""
    out = bind_prefixes(Graph())
    for prefix, name in SCHEME_PREFIXES.items():
        out.bind(prefix, scheme(name))
    out += graph
    head = f"# Written by migrmeta from {source}; check it with `migrmeta validate`.\n" if source else ""
    return head.encode() + out.serialize(format="turtle", encoding="utf-8")


# --- the form as text: YAML (with the questions as comments) or JSON --------------------------


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans only (`no` stays the word no, `NO` stays Norway), dates stay text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _Dumper(yaml.SafeDumper):
    pass


_BOOL = "tag:yaml.org,2002:bool"
for _cls in (_Loader, _Dumper):
    _cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers
                if tag not in (_BOOL, "tag:yaml.org,2002:timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _cls.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                               list("tTfF"))
_Dumper.add_representer(bool, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str",
                                                              "yes" if v else "no"))


def read_form(data: bytes, source: str) -> Any:
    """Form text (YAML, or JSON when the name ends in .json) -> a dict; errors name the line."""
    text = check_text(data, source)
    if source.lower().endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"is not valid JSON: {exc.msg}", line=exc.lineno,
                             column=exc.colno) from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(source, f"is not a valid form: {problem}",
                         line=mark.line + 1 if mark else None,
                         column=mark.column + 1 if mark else None,
                         hint="check the indentation and put text containing ': ' in quotes"
                         ) from exc


def form_json(form: Any) -> str:
    return json.dumps(form, indent=2, ensure_ascii=False) + "\n"


def form_yaml(form: Any, reference: Reference, *, lang: str = "en",
              notes: Callable[[Field], list[str]] | None = None, header: str = "") -> str:
    """A form as YAML, each questionnaire item headed by its number, name and question."""
    items = item_texts(reference, lang)
    lines = [f"# {line}".rstrip() for line in header.splitlines()] + ([""] if header else [])
    sections = [s for s in SECTIONS if isinstance(form.get(s.name), list)]
    if "surveys" in form or "series" in form:
        for section in sections:
            lines += ["", f"{section.name}:"]
            for entry in form[section.name]:
                body = _entity_lines(entry, section, items, notes)
                lines += ["- " + body[0], *[("  " + b).rstrip() for b in body[1:]]]
    else:
        flat = {k: v for k, v in form.items() if k not in ("resources", "agencies")}
        lines += _entity_lines(flat, SECTION["surveys"], items, notes)
        for section in sections:
            lines += ["", f"{section.name}:"]
            for entry in form[section.name]:
                body = _entity_lines(entry, section, items, notes)
                lines += ["- " + body[0], *[("  " + b).rstrip() for b in body[1:]]]
    return "\n".join(lines).lstrip("\n") + "\n"


def _entity_lines(entry: Any, section: Section, items: dict[int, tuple[str, str]],
                  notes: Callable[[Field], list[str]] | None) -> list[str]:
    if not isinstance(entry, dict):
        return _dump({"entry": entry})
    lines: list[str] = []
    current: int | None = 0
    for key, value in entry.items():
        f = field_by_key(section.fields, key)
        if f is not None and f.item != current and section.name != "agencies":
            current = f.item
            name, question = items.get(f.item, ("", "")) if f.item else ("Sources and record", "")
            lines += ["", f"# {f.item}. {name}" if f.item else f"# {name}"]
            lines += [f"#    {part}" for part in textwrap.wrap(question, 88, break_on_hyphens=False)]
        if f is not None and notes:
            lines += [f"# {n}".rstrip() for n in notes(f)]
        lines += _dump({key: value})
    return lines if lines and lines[0] else lines[1:]


def _dump(data: dict[str, Any]) -> list[str]:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=96)
    return re.sub(r"(:|-) null$", r"\1", text, flags=re.M).splitlines()


__all__ = [
    "AGENCY_FIELDS",
    "SECTIONS",
    "SURVEY_FIELDS",
    "Builder",
    "Decoder",
    "Field",
    "Imported",
    "Problem",
    "Section",
    "field_by_key",
    "field_path",
    "findings_to_problems",
    "finish",
    "form_json",
    "form_to_graph",
    "form_yaml",
    "graph_to_form",
    "import_form",
    "item_texts",
    "read_form",
    "record_turtle",
    "split_form",
    "where",
]
