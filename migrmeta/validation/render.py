"""Validation reports for people (text) and machines (JSON, SHACL Turtle, JUnit XML).

The JSON schema is documented in docs/validation-report.md and versioned by
`"schema": "https://w3id.org/migrmeta/validation-report/1"`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef

from migrmeta.errors import speak
from migrmeta.io.cells import terminal_text, xml_text
from migrmeta.jsontext import json_text
from migrmeta.namespaces import MMSH, RDF, SH, bind_prefixes
from migrmeta.rdf.curie import project_prefixes
from migrmeta.rdf.reader import TURTLE_REPORT_HEAD
from migrmeta.rdf.turtle import turtle
from migrmeta.validation.findings import Finding, phrase
from migrmeta.validation.outcome import Term
from migrmeta.validation.runner import Report

JSON_SCHEMA = "https://w3id.org/migrmeta/validation-report/1"
_SEVERITY_IRI = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info, "error": SH.Violation}

WORDS: dict[str, dict[str, str]] = {
    "records": {"en": "records", "fr": "fiches", "es": "registros"},
    "record": {"en": "record", "fr": "fiche", "es": "registro"},
    "no_survey": {"en": "describing no survey", "fr": "ne décrivant aucune enquête",
                  "es": "que no describen ninguna encuesta"},
    "no_survey1": {"en": "describing no survey", "fr": "ne décrivant aucune enquête",
                   "es": "que no describe ninguna encuesta"},
    "conforming": {"en": "conforming", "fr": "conformes", "es": "conformes"},
    "conforming1": {"en": "conforming", "fr": "conforme", "es": "conforme"},
    "warning1": {"en": "warning", "fr": "avertissement", "es": "advertencia"},
    "violation1": {"en": "violation", "fr": "violation", "es": "violación"},
    "unreadable1": {"en": "unreadable", "fr": "illisible", "es": "ilegible"},
    "violations": {"en": "violations", "fr": "violations", "es": "violaciones"},
    "warnings": {"en": "warnings", "fr": "avertissements", "es": "advertencias"},
    "unreadable": {"en": "unreadable", "fr": "illisibles", "es": "ilegibles"},
    "violation": {"en": "violation", "fr": "violation", "es": "violación"},
    "warning": {"en": "warning", "fr": "avertissement", "es": "advertencia"},
    "info": {"en": "info", "fr": "info", "es": "info"},
    "error": {"en": "error", "fr": "erreur", "es": "error"},
    "catalogue": {"en": "catalogue", "fr": "catalogue", "es": "catálogo"},
    "ok": {"en": "conforms", "fr": "conforme", "es": "conforme"},
    "hint": {"en": "hint", "fr": "conseil", "es": "sugerencia"},
}
_COLOURS = {"violation": "31", "error": "31;1", "warning": "33", "info": "36", "ok": "32"}


def word(key: str, lang: str) -> str:
    return WORDS[key].get(lang, WORDS[key]["en"])


def counted(number: int, plural: str, singular: str, lang: str) -> str:
    """`1 record`, `2 records` (0 takes the plural in English and Spanish, the singular in French)."""
    one = number == 1 or (number == 0 and lang == "fr")
    return f"{number} {word(singular if one else plural, lang)}"


def summary_line(report: Report) -> str:
    lang = report.lang
    conforming = sum(1 for r in report.records if r.conforms)
    records = counted(len(report.records), "records", "record", lang)
    # a file of agencies (records/agencies.ttl) is a record too, but no survey: said, so that
    # the count of records is not read as a count of surveys
    aside = sum(1 for r in report.records if r.readable and not r.surveys)
    if aside:
        records += f" ({counted(aside, 'no_survey', 'no_survey1', lang)})"
    parts = [
        records,
        counted(conforming, "conforming", "conforming1", lang),
        counted(report.count("violation"), "violations", "violation1", lang),
        counted(report.count("warning"), "warnings", "warning1", lang),
    ]
    if report.unreadable:
        parts.append(counted(report.unreadable, "unreadable", "unreadable1", lang))
    return ", ".join(parts)


def render_text(report: Report, *, colour: bool = False, quiet: bool = False, verbose: bool = False,
                cli: bool = False) -> str:
    """Findings grouped by file and record, then the summary line (with `verbose`, first the
    shapes the compiled engine left to pySHACL, and why); control characters of the data (ESC,
    OSC and CSI sequences) are shown as escapes, never sent to the terminal. Hints speak of
    flags with `cli`, else of arguments (errors.speak)."""
    lang = report.lang
    safe = terminal_text

    def paint(text: str, key: str) -> str:
        return f"\033[{_COLOURS[key]}m{text}\033[0m" if colour else text

    lines: list[str] = []
    for record in report.records:
        shown = [f for f in record.findings if not (quiet and f.severity in ("warning", "info"))]
        if not shown:
            continue
        lines.append(safe(record.source))
        by_focus: dict[str | None, list[Finding]] = {}
        for finding in shown:
            by_focus.setdefault(finding.focus, []).append(finding)
        for focus, findings in by_focus.items():
            indent = "  "
            if focus:
                lines.append(f"  {safe(focus)}")
                indent = "    "
            for f in findings:
                where = f"{f.source}:{f.line}: " if f.line else ""
                label = paint(word(f.severity, lang), f.severity)
                field = f" / {f.field}" if f.field else ""
                text = f"{phrase('item', lang)} {f.item} ({f.item_name}){field}: {f.message}" if f.item else f.message
                lines.append(f"{indent}{safe(where)}{label}: {safe(text)}")
                if f.hint:
                    lines.append(f"{indent}  {word('hint', lang)}: {safe(speak(f.hint, cli=cli))}")
    if verbose:
        lines.extend(fallback_lines(report))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def fallback_lines(report: Report) -> list[str]:
    """The shapes validated by pySHACL rather than compiled to SPARQL, each with the reason."""
    if report.engine != "sparql":
        return [f"engine: {report.engine}"]
    if not report.fallbacks:
        lines = ["engine: sparql (every shape compiled)"]
    else:
        lines = [f"engine: sparql; {_english(len(report.fallbacks), 'shape')} validated by pySHACL, not compiled:"]
        lines += [f"  {shape}: {reason}" for shape, reason in report.fallbacks]
    if report.left_to_pyshacl:
        lines.append(f"{_english(len(report.left_to_pyshacl), 'record')} checked by pySHACL, not in the store:")
        lines += [f"  {source}: {reason}" for source, reason in report.left_to_pyshacl]
    return lines


def _english(number: int, noun: str) -> str:
    """`1 shape`, `2 shapes`: the engine's lines are in English whatever the report's language."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def render_json(report: Report, *, cli: bool = False) -> str:
    data = {
        "schema": JSON_SCHEMA,
        "conforms": report.conforms,
        "language": report.lang,
        "summary": {
            "records": len(report.records),
            "conforming": sum(1 for r in report.records if r.conforms),
            "violations": report.count("violation"),
            "warnings": report.count("warning"),
            "infos": report.count("info"),
            "unreadable": report.unreadable,
        },
        "records": [
            {
                "source": r.source,
                "sha256": r.sha256 or None,
                "surveys": r.surveys,
                "conforms": r.conforms,
                "findings": [f.to_json(cli=cli) for f in r.findings],
            }
            for r in report.records
        ],
    }
    return json_text(data) + "\n"


def _rdf(term: Term) -> URIRef | Literal | BNode:
    if term.kind == "iri":
        return URIRef(term.value)
    if term.kind == "literal":
        datatype = URIRef(term.datatype) if term.datatype and not term.lang else None
        return Literal(term.value, lang=term.lang, datatype=datatype)
    return BNode()


def report_graph(report: Report) -> Graph:
    """The findings as a standard SHACL validation report (sh:ValidationReport)."""
    graph = bind_prefixes(Graph())
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    for index, f in enumerate(report.findings):
        node = BNode(f"r{index}")
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, _SEVERITY_IRI[f.severity]))
        graph.add((node, SH.focusNode, URIRef(f.focus) if f.focus else _file_node(f.source)))
        graph.add((node, SH.resultMessage, Literal(f.message, lang=report.lang)))
        if f.shape:
            graph.add((node, SH.sourceShape, URIRef(f.shape)))
        if f.component and f.check == "shacl":
            graph.add((node, SH.sourceConstraintComponent, _component(f.component)))
        if f.term is not None and f.term.kind != "bnode":
            graph.add((node, SH.value, _rdf(f.term)))
        elif f.value is not None:
            graph.add((node, SH.value, Literal(f.value)))
        if f.path and ":" in f.path and not f.path.startswith("http"):
            with suppress(ValueError):
                graph.add((node, SH.resultPath, graph.namespace_manager.expand_curie(f.path)))
    return graph


def _file_node(source: str) -> URIRef:
    """The focus node of a finding about a file (an unreadable one): a `file:` IRI of its path as
    given, percent-encoded (a space or `<` made a report no RDF parser reads); standard input
    has a name of its own."""
    if source in ("-", "<stdin>"):
        return URIRef("urn:migrmeta:standard-input")
    return URIRef("file:" + quote(source, safe="/._-~"))


def _component(name: str) -> URIRef:
    """A result's constraint component: SHACL's, else migrmeta's own (a check of the reader:
    validation/dropped.py)."""
    try:
        return SH[name]
    except AttributeError:  # SH is a closed namespace
        return MMSH[name]


TURTLE_HEAD = TURTLE_REPORT_HEAD  # the reader knows it (rdf/reader.py)


def render_turtle(report: Report, *, cli: bool = False) -> str:  # hints are not part of a SHACL report
    """The SHACL report in Turtle, under a first line that tells it from a record when it is
    saved among them (rdf/reader.written_report): its statements are no survey's."""
    return TURTLE_HEAD + turtle(report_graph(report), {**project_prefixes(), "sh": str(SH)})


def render_junit(report: Report, *, cli: bool = False) -> str:
    """One test suite, one test case per record; failures are violations and unreadable files.
    Well-formed XML whatever the data holds: characters XML forbids are dropped."""
    lang = report.lang
    failures = sum(1 for r in report.records if not r.conforms)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="migrmeta validate" tests="{len(report.records)}" failures="{failures}">',
        f'  <testsuite name="migrmeta validate" tests="{len(report.records)}" failures="{failures}">',
    ]
    for record in report.records:
        out.append(f"    <testcase classname=\"migrmeta.records\" name={quoteattr(xml_text(record.source))}>")
        bad = [f for f in record.findings if f.severity in ("violation", "error")]
        other = [f for f in record.findings if f.severity not in ("violation", "error")]
        if bad:
            text = "\n".join(_line(f, lang, cli) for f in bad)
            first = quoteattr(_line(bad[0], lang, cli).replace("\n", " "))
            out.append(f'      <failure message={first} type="violation">{escape(text)}</failure>')
        if other:
            out.append(f"      <system-out>{escape(chr(10).join(_line(f, lang, cli) for f in other))}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(out)


def _line(f: Finding, lang: str, cli: bool) -> str:
    """One finding for the JUnit report, without the characters XML forbids."""
    where = f"{f.source}:{f.line}: " if f.line else f"{f.source}: "
    return xml_text(f"{where}{word(f.severity, lang)}: {f.text(lang, cli=cli)}")


RENDERERS: dict[str, Callable[..., str]] = {  # (report, *, cli=False)
    "json": render_json,
    "turtle": render_turtle,
    "junit": render_junit,
}
