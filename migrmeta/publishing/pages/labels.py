"""Every word the site shows, in English, French and Spanish, looked up once per language.

    labels = site_labels("fr")
    labels.ui("search"), labels.item(3), labels.field(MM.sampleType), labels.concept(iri)

The site's own words are in `ui.json` beside this module. Questionnaire items, properties,
classes and concepts are labelled from the reference data (`load.reference.Reference`):
item names from the ontology, fields by their `sh:name` in the shapes (the questionnaire's
wording), else the ontology's `rdfs:label`; concepts by their `skos:prefLabel`; countries by
`migrmeta.values.countries` (names in the three languages) with UN M49 regions from
country-converter's table. A missing translation falls back to English, so a page never
shows a property's IRI or CURIE.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Literal

from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import RDFS, SH, SKOS, XSD
from migrmeta.publishing.html import esc
from migrmeta.rdf.curie import expand
from migrmeta.values.countries import M49, countries

LANGUAGES = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"
UI_FILE = Path(__file__).resolve().parent / "ui.json"


@cache
def ui_strings() -> dict[str, Any]:
    strings: dict[str, Any] = json.loads(UI_FILE.read_text(encoding="utf-8"))
    return strings


def _in(labels: dict[str, str], lang: str) -> str | None:
    return labels.get(lang) or labels.get(DEFAULT_LANGUAGE) or (min(labels.values()) if labels else None)


def _literals_by_lang(values: Any) -> dict[str, str]:
    """{language: text}; of several values in one language, the shortest."""
    found: dict[str, str] = {}
    for value in values:
        if isinstance(value, Literal):
            lang = value.language or DEFAULT_LANGUAGE
            text = str(value)
            if lang not in found or (len(text), text) < (len(found[lang]), found[lang]):
                found[lang] = text
    return found


class Labels:
    """Labels in one language (plain dictionaries: cheap to look up in loops)."""

    def __init__(self, lang: str, reference: Reference) -> None:
        self.lang = lang
        strings = ui_strings()
        self._ui = {key: _in(value, lang) or key for key, value in strings.items()
                    if isinstance(value, dict) and key not in ("regions", "fields") and not key.startswith("_")}
        self._regions = {name: names.get(lang, name) for name, names in strings["regions"].items()}
        graph = reference.graph
        self._items = {n: _in(names, lang) or str(n) for n, names in reference.item_names().items()}
        self._fields = self._field_labels(reference, strings["fields"])
        self._concepts = {iri: _in(c.labels, lang) or c.notation for iri, c in reference.concepts.items()}
        self._definitions: dict[str, str] = {}
        for concept in set(graph.subjects(SKOS.definition, None)):
            if str(concept) in reference.concepts:
                chosen = _in(_literals_by_lang(graph.objects(concept, SKOS.definition)), lang)
                if chosen:
                    self._definitions[str(concept)] = chosen
        self._countries = {c.iri: c.label(lang) for c in countries()}
        self._html: dict[str, str] = {}

    def _field_labels(self, reference: Reference, extra: dict[str, dict[str, str]]) -> dict[str, str]:
        by_path: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for shape, path in reference.shapes.subject_objects(SH.path):
            for name in reference.shapes.objects(shape, SH.name):
                if isinstance(name, Literal):
                    by_path[str(path)][name.language or DEFAULT_LANGUAGE].append(str(name))
        labels: dict[str, str] = {}
        for shape_path, by_lang in by_path.items():
            shortest = {lang: min(values, key=lambda v: (len(v), v)) for lang, values in by_lang.items()}
            chosen = _in(shortest, self.lang)
            if chosen:
                labels[shape_path] = chosen
        for term, label in reference.graph.subject_objects(RDFS.label):
            if str(term) not in labels and isinstance(label, Literal):
                chosen = _in(_literals_by_lang(reference.graph.objects(term, RDFS.label)), self.lang)
                if chosen:
                    labels[str(term)] = chosen
        for curie, names in extra.items():
            labels.setdefault(str(expand(curie) or curie), _in(names, self.lang) or curie)
        return labels

    # --- lookups -------------------------------------------------------------------------------

    def ui(self, key: str) -> str:
        return self._ui[key]

    def boolean(self, value: Literal) -> str | None:
        """A yes-or-no answer as the pages say it, in their language; None for another literal."""
        if value.datatype != XSD.boolean:
            return None
        return self.ui("yes") if value.toPython() is True else self.ui("no")

    def ui_html(self, key: str) -> str:
        """ui(key), escaped for HTML (once)."""
        found = self._html.get(key)
        if found is None:
            found = self._html[key] = esc(self._ui[key])
        return found

    def field_html(self, iri: object) -> str:
        """field(iri), escaped for HTML (once)."""
        key = "field " + str(iri)
        found = self._html.get(key)
        if found is None:
            found = self._html[key] = esc(self.field(iri))
        return found

    def item(self, number: int) -> str:
        return self._items.get(number, str(number))

    def role(self, predicate: object) -> str:
        """How an agency named by dct:creator, dct:publisher or dct:contributor is shown among its
        roles ("collaborating agency", not the item's own name "collaborating agencies")."""
        local = str(predicate).rsplit("/", 1)[-1]
        key = f"role_{local}"
        return self._ui[key] if key in self._ui else self.field(predicate)

    def field(self, iri: object) -> str:
        """A property's name for readers (never its IRI: the last part, spaced, at worst)."""
        text = str(iri)
        found = self._fields.get(text)
        if found is not None:
            return found
        local = text.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return "".join(" " + c.lower() if c.isupper() else c for c in local).strip()

    def concept(self, iri: object) -> str | None:
        return self._concepts.get(str(iri))

    def definition(self, iri: object) -> str | None:
        return self._definitions.get(str(iri))

    def country(self, iri: object) -> str | None:
        return self._countries.get(str(iri))

    def region(self, name: str) -> str:
        found: str = self._regions.get(name, name)
        return found

    def language_name(self, lang: str) -> str:
        name: str = ui_strings()["language_name"][lang]
        return name


@cache
def site_labels(lang: str) -> Labels:
    return Labels(lang, load_reference())


@cache
def m49(country_iri: str) -> M49 | None:
    return countries().m49(country_iri)


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Labels", "m49", "site_labels", "ui_strings"]
