"""Form -> record graph: each answer decoded through the field table (fields.py).

`Decoder` turns one answer into an RDF term; `Builder` reads whole forms (one survey, or the
sections `series`, `surveys`, `resources`, `agencies`) into one graph, collecting every
problem by form key instead of stopping at the first. Agencies of the form are read first so
that surveys can name them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.forms.answers import Vocabulary, parse_boolean, parse_slug_or_iri
from migrmeta.formats.forms.fields import (
    DEFAULT_LANG,
    NONE_LANG,
    RESERVED,
    SECTION,
    SECTIONS,
    Field,
    Problem,
    Section,
    expand,
    item_of,
)
from migrmeta.messages import message
from migrmeta.namespaces import AGENCY, DCT, RDF, SURVEY, XSD, bind_prefixes
from migrmeta.values.agencies import Agencies
from migrmeta.values.dates import parse_date
from migrmeta.values.errors import BadValue
from migrmeta.values.iris import is_bracketed, parse_iri
from migrmeta.values.names import Names
from migrmeta.values.numbers import parse_integer
from migrmeta.values.text import is_slug, known_language, lang_text, split_language


class Decoder:
    """One answer of a field -> RDF terms (raises BadValue)."""

    def __init__(self, vocab: Vocabulary, agencies: Agencies, text_lang: str = "en") -> None:
        self.vocab = vocab
        self.agencies = agencies
        self.text_lang = text_lang  # of text written without a `[fr] ` mark
        self.countries: frozenset[URIRef] = frozenset()  # the survey's: its agencies are checked against them

    def countries_of(self, data: dict[str, Any]) -> frozenset[URIRef]:
        """The countries a survey names (where it is, and its migrants' origin, destination and
        transit), those that can be read; an answer that cannot is reported with its own key."""
        return frozenset(term for key in COUNTRY_KEYS for term in self._countries(data.get(key)))

    def country_of(self, answer: object) -> URIRef | None:
        """The country an agency's answer names (code, name or IRI; the first, in the order
        written, of an answer naming several), None when it names none that can be read: the
        country a near duplicate must share, for the form and for `migrmeta new` alike."""
        return next(self._countries(answer), None)

    def _countries(self, raw: object) -> Iterator[URIRef]:
        """The countries an answer names (a list, or text split on ';'), in the order written."""
        for item in _as_list(raw) if _present(raw) else []:
            for part in str(item).split(";") if isinstance(item, str) else [item]:
                try:
                    yield self.vocab.concept("country", str(part).strip())
                except BadValue:
                    continue

    def scalar(self, f: Field, raw: Any, lenient: bool = False) -> Node:
        if isinstance(raw, str) and is_bracketed(raw) and f.kind not in DEFAULT_LANG:
            return parse_iri(raw)
        if isinstance(raw, dict):
            return self.generic_literal(raw)
        if f.kind in DEFAULT_LANG:
            return lang_text(raw, self.text_lang if f.kind == "text" else DEFAULT_LANG[f.kind])
        if f.kind == "concept":
            return self.vocab.concept(f.scheme or "", str(raw))
        if f.kind == "country":
            return self.vocab.concept("country", str(raw))
        if f.kind == "agency":
            if lenient and is_slug(str(raw)):
                return URIRef(str(AGENCY) + str(raw))
            return self.agencies.resolve(str(raw), str(AGENCY), self.countries)
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
        keys = ", ".join(sub.key for sub in f.fields[:4])
        raise BadValue(message("value.nested_answer", "en", value=raw, key=f.key, keys=keys))

    @staticmethod
    def generic_literal(raw: dict[str, Any]) -> Literal:
        if "value" not in raw or set(raw) - {"value", "lang", "datatype"}:
            raise BadValue(f"{raw} is not a value: write {{value: ..., lang: ..}} or "
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


@lru_cache(maxsize=64)
def _key_names(keys: tuple[str, ...]) -> Names:
    """The keys of a section, to suggest the one meant (built once per section, not per row)."""
    names = Names()
    for name in keys:
        names.add(name, name)
    return names


class Builder:
    """Form dicts -> one graph, collecting problems instead of stopping at the first."""

    def __init__(self, vocab: Vocabulary, agencies: Agencies | None = None, text_lang: str = "en") -> None:
        self.vocab = vocab
        self.agencies = agencies or Agencies()
        self.decoder = Decoder(vocab, self.agencies, text_lang)
        self.graph = bind_prefixes(Graph(bind_namespaces="none"))  # the project's prefixes only: 1 ms less a row
        self.problems: list[Problem] = []
        self.entities: list[tuple[str, dict[str, Any], URIRef | None]] = []
        self._blank = 0
        self.unnamed: set[int] = set()  # entities whose id could not be read
        self.one_survey = False  # the form is one survey, its keys at the top (no surveys: section)

    # entities ---------------------------------------------------------------------------

    def add_form(self, form: Any) -> None:
        if isinstance(form, dict) and LANGUAGE in form:  # the language of the form's untagged text
            declared = str(form[LANGUAGE]).strip().lower()
            if LANG_TAG.match(declared) and known_language(declared):
                self.decoder.text_lang = declared
            else:
                self.problem(None, LANGUAGE, f"\"{form[LANGUAGE]}\" is not a language code (en, fr, es, ...)")
            form = {k: v for k, v in form.items() if k != LANGUAGE}
        self.one_survey = isinstance(form, dict) and "surveys" not in form and "series" not in form
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
                country = self.decoder.country_of(data.get("country"))
                self.near_duplicates(index, iri, names, data.get("homepage"), country)
                self.agencies.add(iri, names, country=country)
        for index, (name, data, iri) in enumerate(self.entities):
            if iri is not None:
                self.add_entity(index, SECTION[name], data, iri)

    def near_duplicates(self, index: int, iri: URIRef, names: list[str], homepage: object,
                        country: URIRef | None = None) -> None:
        """A new agency that may be one the catalogue knows already (never one based in another
        country): a warning naming it, with its name and country."""
        if self.agencies.known(iri):
            return
        for other in self.agencies.similar(names, str(homepage) if isinstance(homepage, str) else None,
                                           besides=iri, country=country)[:1]:
            ident = str(other).rstrip("/").rsplit("/", 1)[-1]
            self.problem(index, "name", f"this agency may be the catalogue's {self.agencies.shown(other)}: if it "
                         f"is, name \"{ident}\" instead of describing it again", 5, "warning")

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
        except BadValue as exc:
            self.problem(index, "id", str(exc))
            return None
        if any(other == iri for _, _, other in self.entities):
            key = "form.id_twice_agency" if section.name == "agencies" else "form.id_twice_survey"
            self.problem(index, "id", message(key, "en", value=raw))  # said in the report's language
            return None
        return iri

    def add_entity(self, index: int, section: Section, data: dict[str, Any], subject: URIRef) -> None:
        self.decoder.countries = self.decoder.countries_of(data) if section.name != "agencies" else frozenset()
        try:
            self.describe(index, subject, data, section.fields, section.types, "")
        finally:
            self.decoder.countries = frozenset()
        if section.name in ("series", "surveys") and "identifier" not in data and index not in self.unnamed and \
                is_slug(str(data.get("id"))):
            self.graph.add((subject, DCT.identifier, Literal(str(data["id"]))))

    def describe(self, index: int, node: Node, data: dict[str, Any], fields: tuple[Field, ...],
                 types: tuple[URIRef, ...], prefix: str) -> None:
        known = {f.key for f in fields}
        for key in data:
            if key not in known and key not in RESERVED:
                keys = _key_names(tuple(sorted(known)))
                error = BadValue(f"\"{key}\" is not a key of the form", next(iter(keys.suggest(str(key))), None))
                self.problem(index, prefix + str(key), str(error))
        if "types" in data:
            types = ()
            for raw in _as_list(data["types"]):
                try:
                    self.graph.add((node, RDF.type, expand(str(raw))))
                except BadValue as exc:
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
                except BadValue as exc:
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
            except BadValue as exc:
                self.problem(index, where, str(exc), f.item)
                continue
            self.graph.add((node, f.prop, term))

    def generic(self, index: int, raw: Any, prefix: str) -> Node:
        if isinstance(raw, str) and is_bracketed(raw):
            return parse_iri(raw)
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


def _as_list(raw: Any) -> list[Any]:
    return raw if isinstance(raw, list) else [raw]


def _names(raw: Any) -> Iterator[str]:
    """An agency's names and acronyms as written (a `[fr] ` mark left out)."""
    if isinstance(raw, dict):
        for v in raw.values():
            yield from (split_language(str(x), None)[0] for x in _as_list(v) if not isinstance(x, dict))
    elif raw is not None:
        yield from (split_language(str(x), None)[0] for x in _as_list(raw) if not isinstance(x, dict))


def split_form(form: Any) -> list[tuple[Section, Any]]:
    """A form -> (section, entry) pairs. A form without `surveys`/`series` is one survey."""
    if not isinstance(form, dict):
        raise BadValue(message("form.not_a_mapping"))
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


COUNTRY_KEYS = ("countries", "origin_countries", "destination_countries", "transit_countries")
LANGUAGE = "language"  # a form's top-level key: the language of its text without a `[fr] ` mark
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)*$")


def form_to_graph(form: Any, vocab: Vocabulary, agencies: Agencies | None = None) -> Builder:
    """A form -> a Builder holding the graph, the problems and where each entity came from."""
    builder = Builder(vocab, agencies)
    try:
        builder.add_form(form)
    except BadValue as exc:
        builder.problem(None, None, str(exc))
    return builder
