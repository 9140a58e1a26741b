"""Raw SHACL results -> findings in the questionnaire's terms, in English, French or Spanish.

Each finding names the questionnaire item (number and name, from the ontology), the field
(the shape's sh:name), the offending value, the shape's sh:message in the chosen language
and, for closed answers, a hint listing the allowed values with the closest ones first.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from migrmeta.errors import speak
from migrmeta.load.reference import Reference
from migrmeta.messages import catalogue, message, translate
from migrmeta.namespaces import COUNTRY, COUNTRY_SCHEME, MM, PREFIXES, RDF, VOCAB_BASE, XSD
from migrmeta.validation.outcome import RawResult, Term
from migrmeta.validation.texts import ShapeTexts, vocabulary_of
from migrmeta.values.countries import countries
from migrmeta.values.dates import parse_date
from migrmeta.values.errors import BadValue
from migrmeta.values.names import Names

LANGUAGES = ("en", "fr", "es")

# Words of the report itself (the messages come from the shapes): messages.toml, "report.*" and
# "component.*" (what a failed SHACL core constraint means, for the details of a nested value).


def phrase(key: str, lang: str, **params: object) -> str:
    return message(f"report.{key}", lang, **params)


def component_meaning(component: str, lang: str) -> str:
    key = f"component.{component}"
    return message(key, lang) if key in catalogue() else component


class Severity(StrEnum):
    """How bad a finding is; compares equal to its name (`finding.severity == "violation"`)."""

    VIOLATION = "violation"  # the record does not conform
    WARNING = "warning"  # a fact is missing or doubtful; the record conforms
    INFO = "info"
    ERROR = "error"  # the input could not be read


@dataclass(frozen=True)
class Finding:
    """One problem in one record, ready for people and machines."""

    severity: Severity
    source: str
    line: int | None
    focus: str | None
    item: int | None
    item_name: str | None
    field: str | None
    path: str | None
    value: str | None
    message: str
    hint: str | None = None  # may name a flag as `{--flag|argument}`: text(), to_json() and the renderers speak it
    shape: str | None = None
    component: str | None = None
    check: str = "shacl"  # shacl | input | catalogue | union (a survey as merged: publishing/union.py)
    term: Term | None = dataclass_field(default=None, compare=False, repr=False)  # the value as RDF

    def text(self, lang: str = "en", *, cli: bool = False) -> str:
        head = f"{phrase('item', lang)} {self.item} ({self.item_name}): " if self.item else ""
        body = f"{head}{self.message}"
        return f"{body}; {speak(self.hint, cli=cli)}" if self.hint else body

    def to_json(self, *, cli: bool = False) -> dict[str, Any]:
        found = {name: getattr(self, name) for name in JSON_FIELDS}
        if self.hint:
            found["hint"] = speak(self.hint, cli=cli)
        return found


JSON_FIELDS = (
    "severity", "source", "line", "focus", "item", "item_name", "field", "path", "value",
    "message", "hint", "shape", "component", "check",
)


def display(term: Term | None) -> str | None:
    """A value as a contributor wrote it: a code or local name, a literal's text."""
    if term is None or term.kind == "bnode":
        return None
    if term.kind == "literal":
        return term.value
    return _display_iri(term.value)


_COUNTRY = str(COUNTRY)


@lru_cache(maxsize=65536)
def _display_iri(iri: str) -> str:
    if iri.startswith(_COUNTRY):
        return iri[len(_COUNTRY) :]
    if iri.startswith(VOCAB_BASE):
        return iri.rsplit("/", 1)[-1]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


_DATE_TYPES = {str(XSD.date), str(XSD.gYear), str(XSD.gYearMonth)}


def _not_a_date(value: Term | None) -> str | None:
    """Why a literal typed as a date, year or month is none (values/dates' message), else None."""
    if value is None or value.kind != "literal" or value.datatype not in _DATE_TYPES:
        return None
    try:
        parse_date(value.value)
    except BadValue as refused:
        return str(refused)
    return None


class Explainer:
    """Turns raw results into findings, with the shapes' texts in one language."""

    def __init__(self, reference: Reference | ShapeTexts, lang: str = "en") -> None:
        self.texts = reference if isinstance(reference, ShapeTexts) else ShapeTexts.of(reference)
        self.lang = lang if lang in LANGUAGES else "en"
        self.items = self.texts.items
        self._scheme_names: dict[str, Names] = {}
        self._term_names: dict[tuple[str, str], Names] = {}
        self._hints: dict[tuple[str, str], str | None] = {}

    def item_name(self, item: int | None) -> str | None:
        if item is None:
            return None
        names = self.items.get(item, {})
        return names.get(self.lang) or names.get("en")

    def details(self, details: list[RawResult]) -> str | None:
        """Nested failures (inside a blank node) as one line: `mm:thresholdMonths '6.5' (wrong datatype)`."""
        if not details:
            return None
        dates: list[str] = []  # a date that is none ("2019-13"^^xsd:gYearMonth): why, in the words a form uses
        parts = []
        for raw in details:
            path = display(Term("iri", raw.path)) if raw.path else ""
            refused = _not_a_date(raw.value)
            if refused is not None:
                dates.append((f"{path}: " if path else "") + translate(refused, self.lang))
                continue
            value = display(raw.value)
            meaning = component_meaning(raw.component, self.lang)
            parts.append(" ".join(p for p in (path, f"'{value}'" if value else "", f"({meaning})") if p))
        said = sorted(set(dates))
        if parts:  # the other details, as before, after the dates
            said.append(phrase("in_detail", self.lang, details="; ".join(sorted(set(parts)))))
        return "; ".join(said)

    def explain(self, raw: RawResult, source: str, details: list[RawResult] | None = None) -> Finding:
        text = self.texts.get(raw.shape)
        number = text.order
        item = number if number is not None and 1 <= number <= 14 else None
        meant = self._meant(text.scheme, raw.value)
        value = raw.value.value if meant is not None and raw.value is not None else display(raw.value)
        path = display(Term("iri", raw.path)) if raw.path else None
        own = text.best(text.messages, self.lang)
        if own is not None:
            quoted = f"'{value}'" if value is not None else ""
            named = f"'{path}'" if path is not None else ""
            message = own.replace("{?value}", quoted).replace("{$value}", quoted).replace("{?path}", named).strip()
        else:  # a shape the tables cannot word (a user's, e.g. DCAT-AP's): what it checked, and the result's words
            said = text.best(list(raw.messages), self.lang) or component_meaning(raw.component, self.lang)
            checked = " ".join(p for p in (path, f"'{value}'" if value is not None else None) if p)
            message = f"{checked}: {said}" if checked else said
        field = text.best(text.names, self.lang)
        return Finding(
            severity=Severity(raw.severity),
            source=source,
            line=raw.line,
            focus=None if raw.focus.kind == "bnode" else raw.focus.value,
            item=item,
            item_name=self.item_name(item),
            field=field,
            path=path,
            value=value,
            message=message,
            hint=(self._namespace_hint(meant) or self._hint(text.scheme, raw.value)
                  or self._term_hint(text.suggests, raw) or self.details(details or [])),
            shape=raw.shape,
            component=raw.component,
            term=raw.value,
        )

    # -- hints for closed answers ------------------------------------------------------------

    def _meant(self, scheme: str | None, value: Term | None) -> str | None:
        """The IRI of the list's concept that `value` names under another namespace (a prefix
        declared with a typo: sampletype/probability for sample-type/probability), or None."""
        if scheme is None or value is None or value.kind != "iri" or not value.value.startswith(VOCAB_BASE):
            return None
        local = value.value.rsplit("/", 1)[-1]
        for concept in self.texts.concepts.get(scheme, []):
            if concept.iri != value.value and concept.iri.rsplit("/", 1)[-1] == local:
                return concept.iri
        return None

    def _namespace_hint(self, meant: str | None) -> str | None:
        if meant is None:
            return None
        return phrase("namespace_hint", self.lang, iri=meant, namespace=meant.rsplit("/", 1)[0] + "/")

    def _hint(self, scheme: str | None, value: Term | None) -> str | None:
        if scheme is None or value is None or value.kind == "bnode":
            return None
        written = display(value) or ""
        key = (scheme, written)
        if key not in self._hints:  # the same wrong value in many records: worked out once
            self._hints[key] = self._work_out_hint(scheme, written)
        return self._hints[key]

    def _work_out_hint(self, scheme: str, written: str) -> str | None:
        if scheme == COUNTRY_SCHEME:
            return self._country_hint(written)
        concepts = self.texts.concepts.get(scheme, [])
        if not concepts:
            return None
        names = self._scheme_names.get(scheme)
        if names is None:
            names = self._scheme_names[scheme] = Names()
            for concept in concepts:
                names.add(concept.notation, concept.notation, code=True)
                for label in [*concept.labels.values(), *concept.alt_labels]:
                    names.add(concept.notation, label, concept.notation)
        suggestions = names.exact(written) or names.by_words(written)[:3] or names.suggest(written, 3)
        notations = [c.notation for c in concepts]
        listed = ", ".join(notations[:15])
        if len(notations) > 15:
            listed += " " + phrase("more", self.lang, count=len(notations),
                                   file=f"ontology/vocabularies/{scheme.rsplit('/', 1)[-1]}.ttl")
        parts = []
        if suggestions:
            parts.append(phrase("did_you_mean", self.lang, suggestions=" / ".join(f"'{s}'" for s in suggestions)))
        parts.append(phrase("use_one_of", self.lang, values=listed))
        return "; ".join(parts)

    def _term_hint(self, kind: str | None, raw: RawResult) -> str | None:
        """For a term of the vocabulary that it does not define (a class written as the value,
        a property as the path): the close terms of that kind, else where the terms are listed."""
        written = raw.path if kind == str(RDF.Property) else raw.value.value if raw.value else None
        if kind is None or not written:
            return None
        vocabulary = vocabulary_of(written)  # suggested from the same vocabulary: dct:contributer, dct:contributor
        names = self._term_names.get((kind, vocabulary))
        if names is None:
            names = self._term_names[(kind, vocabulary)] = Names()
            for term in self.texts.terms.get(kind, []):
                if vocabulary_of(term) == vocabulary:
                    names.add(term, term[len(vocabulary):], display(Term("iri", term)))
        local = written[len(vocabulary):]
        found = [display(Term("iri", t)) or t for t in names.exact(local)] or names.suggest(local, 3)
        if not found:  # dct:startDate for dcat:startDate: the same name in another checked vocabulary
            found = [display(Term("iri", t)) or t for t in self.texts.terms.get(kind, [])
                     if t[len(vocabulary_of(t)):] == local and vocabulary_of(t) != vocabulary]
        if found:
            return phrase("did_you_mean", self.lang, suggestions=" / ".join(f"'{s}'" for s in found))
        listed = "ontology/migrmeta.ttl" if vocabulary == str(MM) else "ontology/outside-terms.ttl"
        return phrase("vocabulary_terms", self.lang, file=listed)

    def _country_hint(self, written: str) -> str:
        known = countries()
        found = known.find(written) or [value for value, _, _ in known.names.close(written)]
        suggestions = list(dict.fromkeys(c.code for c in map(known.get, found) if c is not None))[:3]
        if suggestions:
            return phrase("did_you_mean", self.lang, suggestions=" / ".join(f"'{s}'" for s in suggestions))
        return phrase("country_hint", self.lang, examples="MEX, SEN, PHL")
