"""Documentation generated from the ontology: the questionnaire item -> terms table."""

from __future__ import annotations

from rdflib import Literal, URIRef

from migrmeta.load.reference import Reference
from migrmeta.namespaces import MM, RDF, RDFS, SKOS
from migrmeta.rdf.curie import curie


def _label(reference: Reference, node: URIRef, lang: str = "en") -> str:
    for label in reference.graph.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return ""


def items_table(reference: Reference) -> str:
    """Markdown: every questionnaire item with its question and the terms that answer it."""
    g = reference.graph
    rows = []
    for item in g.subjects(RDF.type, MM.QuestionnaireItem):
        number = g.value(item, SKOS.notation)
        if number is None:
            continue
        question = next((str(d) for d in g.objects(item, SKOS.definition)
                         if isinstance(d, Literal) and d.language == "en"), "")
        terms = sorted(curie(t) for t in reference.answering_terms().get(int(str(number)), ()))
        ours = sorted(curie(t) for t in g.subjects(MM.questionnaireItem, Literal(int(str(number))))
                      if isinstance(t, URIRef) and str(t).startswith(str(MM)))
        label = _label(reference, item) if isinstance(item, URIRef) else ""
        rows.append((int(str(number)), label, question, sorted(set(terms) | set(ours))))
    lines = [
        "# Questionnaire items and the terms that answer them",
        "",
        "Generated from `ontology/migrmeta.ttl` by `migrmeta docs items`; do not edit by hand",
        "(a test checks that this file is current).",
        "",
        "| # | item | question (UN Population Division, 2007) | terms |",
        "| --- | --- | --- | --- |",
    ]
    for position, label, question, terms in sorted(rows):
        cell = ", ".join(f"`{t}`" for t in terms)
        lines.append(f"| {position} | {label} | {question.replace('|', '/')} | {cell} |")
    return "\n".join(lines) + "\n"
