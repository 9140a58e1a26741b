"""What a question asks and takes, in the contributor's language, from the questionnaire's own data.

- `Guide.what(field)`: the kind of answer a field takes ("a value of the list « Type
  d'échantillon » (code or label)"), the words of the YAML template's notes and of
  `migrmeta new`'s help;
- `Guide.help(...)`: what `migrmeta new` says at `?`: the item and its question (the
  ontology's mm:itemN), what the field means (the ontology's rdfs:comment, else the shapes'
  sh:description), the answer expected with an example, the choices of a list with their
  skos:definition;
- `follow_ups(reference)`: for an identification criterion, the parameters of its method
  that the shapes' rules name (mm:thresholdMonths and mm:framework for a duration criterion,
  the reference period or threshold for absent household members), required when a
  violation asks for them all, with the rule's description to say why they are asked.

Every word comes from messages.toml, the ontology, the vocabularies or the shapes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.forms.answers import Vocabulary
from migrmeta.formats.forms.fields import IDENTIFICATION, Field
from migrmeta.formats.forms.text import item_texts
from migrmeta.load.reference import Reference
from migrmeta.messages import message
from migrmeta.namespaces import MM, RDFS, SH, SKOS, scheme_iri


class Guide:
    """The words that explain a question, in `lang`."""

    def __init__(self, reference: Reference, vocab: Vocabulary, lang: str = "en") -> None:
        self.reference = reference
        self.vocab = vocab
        self.lang = lang
        self.items = item_texts(reference, lang)

    def what(self, f: Field, agencies: Sequence[str] = (), *, typed: bool = False) -> str:
        """What `f` takes: `typed` for an answer typed at a prompt (text in the session's
        language), else for a form (text in the form's language)."""
        if f.kind == "node":
            return message("what.nodes" if f.multi else "what.node", self.lang)
        if f.what and self.lang == "en":  # a field's own words (checked_on), in English only
            text = f.what
        elif f.kind == "concept":
            text = message("what.concept", self.lang, list=self.vocab.title(f.scheme or ""))
        elif f.kind == "agency" and agencies:
            text = message("what.agency_ids", self.lang, ids=", ".join(agencies[:6]))
        elif f.kind == "text" and typed:
            text = message("what.typed_text", self.lang)
        else:
            text = message(f"what.{f.kind}", self.lang)
        return message("what.several", self.lang, what=text) if f.multi else text

    def description(self, f: Field) -> str | None:
        """What the field means: the ontology's rdfs:comment, else the shapes' sh:description
        (of a shape that is not a rule), in the language, else in English."""
        found: dict[str | None, str] = {}
        for text in self.reference.graph.objects(f.prop, RDFS.comment):
            if isinstance(text, Literal):
                found.setdefault(text.language, str(text))
        shapes = self.reference.shapes
        for shape in sorted(shapes.subjects(SH.path, f.prop), key=str):
            if (shape, SH.sparql, None) in shapes:
                continue
            for text in shapes.objects(shape, SH.description):
                if isinstance(text, Literal) and text.language not in found:
                    found[text.language] = str(text)
        return found.get(self.lang) or found.get("en")

    def definition(self, iri: str) -> str | None:
        texts = {t.language: str(t) for t in self.reference.graph.objects(URIRef(iri), SKOS.definition)
                 if isinstance(t, Literal)}
        return texts.get(self.lang) or texts.get("en")

    def help(self, item: int | None, f: Field, label: str, choices: Sequence[tuple[str, str, str]] = (),
             what: str | None = None, *, described: bool = True, example: str | None = None) -> list[str]:
        """The lines `?` shows: the item, the field (`described`: with what it means), the
        answer expected and an example, the choices (number, label, IRI) with their
        definitions, and the words of the prompt. `example`: the example's key in messages.toml
        (else the field's own, `example.<key>`, else its kind's)."""
        lines = []
        if item in self.items:
            name, question = self.items[item]
            lines.append(message("new.help_item", self.lang, number=item, name=name, question=question))
        meaning = self.description(f) if described else None
        lines.append(f"{label}: {meaning}" if meaning else label)
        lines.append(message("new.help_answer", self.lang, what=what or self.what(f, typed=True)))
        if choices:
            number, shown, _ = choices[0]
            lines.append(message("new.help_example", self.lang, example=f"{number} / {shown}"))
            if f.multi:
                lines.append(message("new.help_several", self.lang))
            for number, shown, iri in choices:
                definition = self.definition(iri) if iri else None
                lines.append(f"  {number:>2}. {shown}" + (f": {definition}" if definition else ""))
        elif key := next((k for k in (example, f"example.{f.key}", f"example.{f.kind}") if k in _examples()), None):
            lines.append(message("new.help_example", self.lang, example=message(key, self.lang)))
        lines.append(message("new.help_keys", self.lang))
        return lines


@cache
def _examples() -> frozenset[str]:
    from migrmeta.messages import catalogue

    return frozenset(key for key in catalogue() if key.startswith("example."))


# --- item 11: the parameters the shapes ask of a criterion ---------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """A parameter of an identification method that a rule of the shapes names for a criterion."""

    field: Field
    required: bool  # a violation asks for it (not one of alternatives)
    rule: URIRef  # the shape, for its description


def follow_ups(reference: Reference) -> dict[str, list[FollowUp]]:
    """Criterion IRI -> the method's parameters that the shapes' rules name for it, in the
    order of the form's fields (IDENTIFICATION): read from each SPARQL rule on
    mm:identification that names a criterion, the parameters it mentions; required when the
    rule is a violation and does not accept one of several (`mm:a|mm:b`)."""
    return _follow_ups(reference)


@cache
def _follow_ups(reference: Reference) -> dict[str, list[FollowUp]]:
    shapes = reference.shapes
    prefixes = _prefixes(reference)
    criteria_ns = scheme_iri("identification-criterion") + "/"
    criteria = [p for p, ns in prefixes.items() if ns == criteria_ns]
    found: dict[str, dict[Field, FollowUp]] = {}
    for shape in sorted(shapes.subjects(SH.path, MM.identification), key=str):
        if not isinstance(shape, URIRef):
            continue
        for constraint in shapes.objects(shape, SH.sparql):
            select = str(shapes.value(constraint, SH.select) or "")
            named = [criteria_ns + code for prefix in criteria
                     for code in re.findall(rf"(?<![\w:]){re.escape(prefix)}:([A-Za-z0-9_.-]*[A-Za-z0-9_])", select)]
            parameters = [sub for sub in IDENTIFICATION
                          if sub.key != "criterion" and _mentions(select, prefixes, sub.prop)]
            violation = shapes.value(shape, SH.severity) == SH.Violation
            for criterion in named:
                entry = found.setdefault(criterion, {})
                for sub in parameters:
                    alternative = _mentions(select, prefixes, sub.prop, alternative=True)
                    required = violation and not alternative
                    before = entry.get(sub)
                    if before is None or (required and not before.required):
                        entry[sub] = FollowUp(sub, required, shape)
    return {criterion: [entry[sub] for sub in IDENTIFICATION if sub in entry] for criterion, entry in found.items()}


def _mentions(select: str, prefixes: dict[str, str], prop: URIRef, alternative: bool = False) -> bool:
    """Does the rule's query name `prop` (by a prefix it declares), alone or as one of alternatives?"""
    for prefix, namespace in prefixes.items():
        if not str(prop).startswith(namespace):
            continue
        written = re.escape(f"{prefix}:{str(prop)[len(namespace):]}")
        pattern = rf"\|\s*{written}(?![\w-])|(?<![\w:]){written}\s*\|" if alternative else \
            rf"(?<![\w:]){written}(?![\w-])"
        if re.search(pattern, select):
            return True
    return False


def _prefixes(reference: Reference) -> dict[str, str]:
    """The prefixes the shapes declare for their SPARQL rules (sh:declare)."""
    shapes = reference.shapes
    found: dict[str, str] = {}
    for declaration in shapes.subjects(SH.namespace, None):
        prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            found[str(prefix)] = str(namespace)
    return found


def rule_items(reference: Reference, rule: str | None) -> frozenset[int]:
    """The questionnaire items a rule's SPARQL query reads (the ontology's mm:answeredBy terms it
    names): a rule reported under item 11 that asks for a population of item 9 reads both."""
    return _rule_items(reference, rule) if rule else frozenset()


@cache
def _rule_items(reference: Reference, rule: str) -> frozenset[int]:
    shapes = reference.shapes
    prefixes = _prefixes(reference)
    selects = [str(shapes.value(c, SH.select) or "") for c in shapes.objects(URIRef(rule), SH.sparql)]
    return frozenset(item for item, terms in reference.answering_terms().items()
                     for select in selects if any(_mentions(select, prefixes, t) for t in terms))


def rule_description(reference: Reference, rule: Node, lang: str) -> str | None:
    texts = {t.language: str(t) for t in reference.shapes.objects(rule, SH.description) if isinstance(t, Literal)}
    return texts.get(lang) or texts.get("en")


__all__ = ["FollowUp", "Guide", "follow_ups", "rule_description", "rule_items"]
