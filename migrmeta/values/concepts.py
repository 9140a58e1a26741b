"""Concepts of the project's SKOS lists, found by code or by label in any language.

The words of a concept are its notation (`probability.cluster`), the last part of a dotted
notation (`cluster`), and every prefLabel and altLabel in every language of the
vocabulary files (`Cluster`, `Sondage en grappes`, `Muestreo por conglomerados`, `Cluster
sample`). Lookups go through `Names`: the whole answer, then its words (`grappes` ->
"Sondage en grappes"), then a suggestion for the message. A suggestion shows the label in
the language of the message (`resolve(..., lang="fr")`: "Terminée"), English by default,
whatever language was mistyped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from migrmeta.load.reference import Reference
from migrmeta.namespaces import COUNTRY_SCHEME, SKOS, scheme_iri
from migrmeta.values.errors import BadValue
from migrmeta.values.names import Names

_AMBIGUOUS_SHOWN = 6  # more matches than this: the answer says too little to list them
_LISTED = 12  # a list this short is given whole to an answer with nothing close in it


@dataclass
class Entry:
    """One concept: its IRI, scheme, notation and labels."""

    iri: str
    scheme: str
    notation: str
    labels: dict[str, str] = field(default_factory=dict)  # language -> prefLabel
    alt_labels: list[str] = field(default_factory=list)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.notation


class Concepts:
    """The concepts of the SKOS schemes (countries excluded: see `countries`), by scheme."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        self._names: dict[str, Names] = defaultdict(Names)
        for entry in sorted(entries, key=lambda e: (e.scheme, e.notation)):
            if entry.scheme == COUNTRY_SCHEME:
                continue
            self.entries[entry.iri] = entry
            names = self._names[entry.scheme]
            shown = entry.label("en")
            names.add(entry.iri, entry.notation, entry.notation, code=True)
            for label in entry.labels.values():
                names.add(entry.iri, label, shown)
            for label in entry.alt_labels:
                names.add(entry.iri, label)
            if "." in entry.notation:  # after the labels: "snowball" shows as "Snowball"
                last = entry.notation.rsplit(".", 1)[-1]
                names.add(entry.iri, last, last, code=True)

    @classmethod
    def from_reference(cls, reference: Reference) -> Concepts:
        return cls(Entry(c.iri, c.scheme, c.notation, dict(c.labels), list(c.alt_labels))
                   for c in reference.concepts.values())

    @classmethod
    def from_file(cls, path: Path) -> Concepts:
        """The concepts of one vocabulary file (pyoxigraph: fast, for `query --param`)."""
        entries: dict[str, Entry] = {}

        def entry(iri: str) -> Entry:
            return entries.setdefault(iri, Entry(iri, "", ""))

        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject, predicate, obj = quad.subject.value, quad.predicate.value, quad.object
            if predicate == str(SKOS.inScheme):
                entry(subject).scheme = obj.value
            elif predicate == str(SKOS.notation):
                entry(subject).notation = obj.value
            elif predicate == str(SKOS.prefLabel) and isinstance(obj, ox.Literal):
                entry(subject).labels[obj.language or "en"] = obj.value
            elif predicate == str(SKOS.altLabel):
                entry(subject).alt_labels.append(obj.value)
        return cls(e for e in entries.values() if e.scheme and e.notation)

    def in_scheme(self, scheme: str) -> list[Entry]:
        """The concepts of a scheme (its IRI or its name, `sample-type`), by notation."""
        iri = _scheme(scheme)
        return [e for e in self.entries.values() if e.scheme == iri]

    def names(self, scheme: str) -> Names:
        return self._names[_scheme(scheme)]

    def exact(self, scheme: str, text: str) -> URIRef | None:
        """The one concept whose code or label is the whole text, else None."""
        found = self.names(scheme).exact(text)
        return URIRef(found[0]) if len(found) == 1 else None

    def resolve(self, scheme: str, text: str, title: str | None = None, lang: str = "en") -> URIRef:
        """A code or label (any language; or the words of one label) -> the concept IRI.

        BadValue when the answer fits no concept (with a close one, if any, labelled in
        `lang`) or several.
        """
        written = " ".join(str(text).split())
        iri = _scheme(scheme)
        if written.startswith(iri + "/") and written in self.entries:
            return URIRef(written)
        names = self._names[iri]
        found = names.exact(written) or names.by_words(written)
        if len(found) == 1:
            return URIRef(found[0])
        if 1 < len(found) <= _AMBIGUOUS_SHOWN:
            codes = ", ".join(self.entries[c].notation for c in found)
            raise BadValue(f'"{written}" fits several answers ({codes}): write one of these codes')
        shown = title or iri.rsplit("/", 1)[-1]
        if len(found) > _AMBIGUOUS_SHOWN:  # a word many labels share ("survey"): it fits, too many of them
            if len(found) <= _LISTED:
                codes = ", ".join(sorted(self.entries[c].notation for c in found))
                raise BadValue(f'"{written}" fits {len(found)} answers of the list "{shown}": write more of the '
                               f'answer, or one of these codes: {codes}')
            raise BadValue(f'"{written}" fits {len(found)} answers of the list "{shown}": write more of the '
                           'answer, or its code')
        suggestion = self._suggestion(names, written, lang)
        listed = self.in_scheme(iri)
        if suggestion is None and 0 < len(listed) <= _LISTED:  # nothing close: what may be answered, not silence
            codes = ", ".join(sorted(e.notation for e in listed))
            raise BadValue(f'"{written}" is not in the list "{shown}": answer one of {codes}')
        raise BadValue(f'"{written}" is not in the list "{shown}"', suggestion)

    def _suggestion(self, names: Names, written: str, lang: str) -> str | None:
        """The closest answer as shown: a code as it is, a label in `lang`."""
        for value, shown, _ in names.close(written):
            entry = self.entries.get(value)
            if entry is not None and shown == entry.label("en"):
                return entry.label(lang)
            return shown
        return None


def _scheme(scheme: str) -> str:
    return scheme if "://" in scheme else scheme_iri(scheme)


@cache
def scheme_concepts(path: Path) -> Concepts:
    """The concepts of one vocabulary file, read once per process."""
    return Concepts.from_file(path)
