"""The inventory report: one row per survey (items 1, 3, 4, 6, 8, 12, 14) and completeness.

Completeness is the share of surveys answering each questionnaire item, overall and per
conducting agency. An item is answered as `report quality` counts it
(`validation/items.py: answered_items`): by any of the fields the ontology lists for it
(`mm:itemN mm:answeredBy`), so the report follows the data model without a list of its own.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.io.cells import csv_cell
from migrmeta.load import Verdict
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import DCT, FOAF, MM, RDF
from migrmeta.reports.inputs import inputs_named
from migrmeta.reports.sources import read_catalogue  # the reports' one reader of their inputs
from migrmeta.validation.findings import display
from migrmeta.validation.items import answered_items
from migrmeta.validation.outcome import Term
from migrmeta.values.periods import time_frame

COLUMNS = (1, 3, 4, 6, 8, 12, 14)


@dataclass
class Row:
    survey: str
    title: str
    countries: str
    time_frame: str
    sample_type: str
    design: str
    remittances: str
    access: str
    agencies: list[str]
    answered: set[int] = field(default_factory=set)

    @property
    def agency(self) -> str:
        return "; ".join(self.agencies)

    def cells(self) -> list[str]:
        return [self.title, self.countries, self.time_frame, self.sample_type, self.design, self.remittances,
                self.access]


@dataclass
class Inventory:
    rows: list[Row]
    item_names: dict[int, str]
    problems: list[str] = field(default_factory=list)
    inputs: str = "`records/`"  # what it was made from, as its header names it (reports/inputs.py)
    notices: list[str] = field(default_factory=list)  # a merge's output beside its records, left out

    def completeness(self) -> dict[int, float]:
        total = len(self.rows) or 1
        return {i: sum(1 for r in self.rows if i in r.answered) / total for i in range(1, 15)}

    def completeness_by_agency(self) -> dict[str, dict[int, float]]:
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            for agency in row.agencies:
                groups[agency].append(row)
        return {
            agency: {i: sum(1 for r in rows if i in r.answered) / len(rows) for i in range(1, 15)}
            for agency, rows in sorted(groups.items())
        }


def _text(graph: Graph, node: Node, predicate: URIRef) -> str:
    values = [v for v in graph.objects(node, predicate) if isinstance(v, Literal)]
    english = sorted(str(v) for v in values if v.language == "en")  # whatever order the files came in
    others = sorted(str(v) for v in values if v.language not in ("en",))
    if english:
        title = str(english[0])
        return f"{others[0]} ({title})" if others else title
    return others[0] if others else ""


def _true(node: Node | None) -> bool:
    return isinstance(node, Literal) and node.toPython() is True


def _english(graph: Graph, node: Node, predicate: URIRef) -> str:
    values = sorted((v for v in graph.objects(node, predicate) if isinstance(v, Literal)),
                    key=lambda v: (v.language != "en", str(v)))
    return str(values[0]) if values else ""


def _codes(graph: Graph, node: Node, predicate: URIRef) -> str:
    return ", ".join(sorted(display(Term("iri", str(o))) or "" for o in graph.objects(node, predicate)
                            if isinstance(o, URIRef)))


def _labels(graph: Graph, node: Node, predicate: URIRef, reference: Reference) -> str:
    """The answers by their English labels in the vocabularies ("multi-stage probability
    sample", not probability.multistage); a code the vocabularies do not know as it is."""
    return ", ".join(sorted(reference.pref_labels(o).get("en") or display(Term("iri", str(o))) or ""
                            for o in graph.objects(node, predicate) if isinstance(o, URIRef)))


def build_inventory(paths: Iterable[str | Path], reference: Reference | None = None) -> Inventory:
    reference = reference or load_reference()
    paths = list(paths)
    beside: list[Verdict] = []
    several: list[str] = []
    catalogue, _, problems = read_catalogue(paths, beside, several)
    names = {i: n.get("en", str(i)) for i, n in reference.item_names().items()}
    rows = []
    for survey in sorted(catalogue.subjects(RDF.type, MM.Survey), key=str):
        frame = time_frame(catalogue.value, survey)  # `2006–2007`, `2019–…` (ongoing), `1993-09` (end not given)
        period = frame.written("–", "…") if frame is not None else ""
        remittances = catalogue.value(survey, MM.collectsRemittances)
        use = catalogue.value(survey, MM.collectsRemittanceUse)
        remit = "" if remittances is None else ("yes" if _true(remittances) else "no")
        if remit == "yes" and _true(use):
            remit = "yes, with use"
        agencies = sorted(_english(catalogue, c, FOAF.name) or display(Term("iri", str(c))) or ""
                          for c in catalogue.objects(survey, DCT.creator))
        rows.append(Row(
            survey=str(survey),
            title=_text(catalogue, survey, DCT.title),
            countries=_codes(catalogue, survey, DCT.spatial),
            time_frame=period,
            sample_type=_labels(catalogue, survey, MM.sampleType, reference),
            design=_labels(catalogue, survey, MM.surveyDesign, reference),
            remittances=remit,
            access=_labels(catalogue, survey, MM.accessLevel, reference),
            agencies=agencies,
            answered=set(answered_items(catalogue, survey, reference)),
        ))
    return Inventory(rows, names, problems, inputs_named(paths), [*(v.notice() for v in beside), *several])


# The legend's word on `report quality`, which counts answered items by the same function.
_SAME_AS_QUALITY = ("{command} counts the same items answered; where the shapes ask for one field in "
                    "particular (a sample type for item 6, an access level for item 14), it scores an item answered "
                    "by another field lower and says so (\"answered without the recommended field\"), "
                    "never \"not answered\".")


def _headers(inventory: Inventory) -> list[str]:
    return [f"{i}. {inventory.item_names.get(i, '')}" for i in COLUMNS]


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def markdown_text(text: str) -> str:
    """Text for a Markdown table cell: HTML escaped (no tags, no entities of the record's own),
    Markdown's specials backslashed, on one line."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def render_markdown(inventory: Inventory) -> str:
    def cell(text: str) -> str:
        return markdown_text(text) or "—"

    lines = ["# Inventory of surveys on international migration", "",
             f"Generated by `migrmeta report inventory --format markdown` from {inventory.inputs}; "
             "do not edit by hand.", "",
             f"{len(inventory.rows)} surveys. A dash: the column's answer is not given (unknown or unsure in the "
             "sources).",
             "", "| " + " | ".join(_headers(inventory)) + " |", "|" + " --- |" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(c) for c in row.cells()) + " |" for row in inventory.rows]
    lines += ["", "## Completeness", "", "Share of surveys answering each questionnaire item by any of the fields "
              "that answer it (the ontology's `mm:answeredBy`: item 14 by an access level, conditions of access "
              "or a landing page, item 6 by a sample type, frame or size or a note on inference), so a share can "
              "exceed the table's column of one field. " + _SAME_AS_QUALITY.format(command="`migrmeta report quality`"),
              "",
              "| item | " + " | ".join(str(i) for i in range(1, 15)) + " |", "|" + " --- |" * 15]
    overall = inventory.completeness()
    lines.append("| all surveys | " + " | ".join(_percent(overall[i]) for i in range(1, 15)) + " |")
    for agency, shares in inventory.completeness_by_agency().items():
        lines.append(f"| {cell(agency)} | " + " | ".join(_percent(shares[i]) for i in range(1, 15)) + " |")
    lines += ["", "Items: " + "; ".join(f"{i} {inventory.item_names.get(i, '')}" for i in range(1, 15)) + "."]
    return "\n".join(lines) + "\n"


def render_csv(inventory: Inventory) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["survey", *_headers(inventory), "conducting organisation",
                     *[f"answers item {i}" for i in range(1, 15)]])
    for row in inventory.rows:  # one line each, as text, never formulas (the OWASP rule: io/cells.py)
        writer.writerow([csv_cell(" ".join(c.split())) for c in [row.survey, *row.cells(), row.agency]]
                        + ["yes" if i in row.answered else "no" for i in range(1, 15)])
    return out.getvalue()


def render_html(inventory: Inventory) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in _headers(inventory))
    body = "\n".join("<tr>" + "".join(f"<td>{esc(c) or '—'}</td>" for c in row.cells()) + "</tr>"
                     for row in inventory.rows)
    overall = inventory.completeness()
    same = _SAME_AS_QUALITY.format(command="<code>migrmeta report quality</code>")
    comp_head = "".join(f"<th>{i}</th>" for i in range(1, 15))
    comp_rows = ["<tr><th>all surveys</th>" + "".join(f"<td>{_percent(overall[i])}</td>" for i in range(1, 15))
                 + "</tr>"]
    for agency, shares in inventory.completeness_by_agency().items():
        comp_rows.append(f"<tr><th>{esc(agency)}</th>" + "".join(f"<td>{_percent(shares[i])}</td>"
                                                                 for i in range(1, 15)) + "</tr>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Inventory of surveys on international migration</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin-bottom:2em}}
td,th{{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}}</style></head>
<body><h1>Inventory of surveys on international migration</h1>
<p>{len(inventory.rows)} surveys. A dash means the column's answer is not given. The completeness counts an
item answered by any of the fields that answer it (the ontology's mm:answeredBy). {same}</p>
<table><thead><tr>{head}</tr></thead><tbody>
{body}
</tbody></table>
<h2>Completeness</h2><p>Share of surveys answering each questionnaire item.</p>
<table><thead><tr><th>item</th>{comp_head}</tr></thead><tbody>
{chr(10).join(comp_rows)}
</tbody></table></body></html>
"""


RENDERERS = {"markdown": render_markdown, "csv": render_csv, "html": render_html}
