"""SPARQL answers: one shape for local and remote answers (`QueryResult`), and its renderings.

A SELECT or ASK answer renders as an aligned table for people, or as the SPARQL 1.1 Query
Results formats (CSV, TSV, JSON); a CONSTRUCT or DESCRIBE graph as Turtle or JSON-LD, its
triples sorted so that the same answer gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from migrmeta.errors import UsageError
from migrmeta.namespaces import XSD
from migrmeta.querying.saved import Term
from migrmeta.rdf.curie import Curies

RESULT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "jsonld")


@dataclass
class QueryResult:
    """A SELECT table, an ASK boolean or a CONSTRUCT/DESCRIBE graph."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool = False
    triples: list[ox.Triple] = field(default_factory=list)
    # what the reading of the data said (a merge's output beside its records left out, load/merged.py)
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_oxigraph(cls, answer: Any) -> QueryResult:
        if isinstance(answer, ox.QueryBoolean):
            return cls("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [[solution[i] for i in range(len(variables))] for solution in answer]
            return cls("select", variables=variables, rows=rows)
        return cls("graph", triples=list(answer))


def iter_rows(result: QueryResult) -> Iterator[dict[str, Term]]:
    """The rows of a SELECT as {variable: term}, unbound variables left out."""
    for row in result.rows:
        yield {v: t for v, t in zip(result.variables, row, strict=True) if t is not None}


def _display(term: Term | None, names: Curies) -> str:
    """A cell of a table: a prefixed name (the one CURIE rule) or the bare IRI, a literal's text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        name = names.name(term.value)
        return term.value if name.startswith("<") else name
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)  # an RDF-star quoted triple


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_table(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> str:
    names = Curies(prefixes)
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    cells = [[_display(t, names).replace("\n", " ") for t in row] for row in result.rows]
    header = result.variables
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    count = len(cells)
    out.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(out) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    entry = {"type": "literal", "value": term.value}
    if term.language:
        entry["xml:lang"] = term.language
    elif term.datatype.value != str(XSD.string):
        entry["datatype"] = term.datatype.value
    return entry


def render_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        document: dict[str, Any] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                    for row in result.rows]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False) + "\n"


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def render_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue()


def render_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in N-Triples syntax."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def render_graph(result: QueryResult, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE answers with the project's writers: Turtle (blank nodes written
    inline or labelled from their content), or JSON-LD compacted with the project's context.
    The same answer always gives the same bytes."""
    from migrmeta.rdf.jsonld_out import blank_nodes_labelled, jsonld
    from migrmeta.rdf.terms import Converter
    from migrmeta.rdf.turtle import turtle

    convert = Converter().triple
    triples = [convert(t) for t in result.triples]
    if fmt == "turtle":
        return turtle(triples)
    # blank nodes labelled from their content, in linear time (rdflib's canonical graph took
    # minutes for a few hundred), and written as blank nodes, not IRIs
    named, labels = blank_nodes_labelled(triples)
    return jsonld(named, [], self_contained=True, blank_labels=labels)  # read by tools that may be offline


def render(result: QueryResult, fmt: str = "table") -> str:
    """The answer in a format; a SELECT cannot be Turtle, nor a graph a table."""
    if result.kind == "graph":
        if fmt == "table":
            fmt = "turtle"
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"a CONSTRUCT or DESCRIBE query gives a graph, not a table: "
                             f"use {{--format|fmt=}} turtle or jsonld, not {fmt}")
        return render_graph(result, fmt)
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"a SELECT or ASK query gives a table: use {{--format|fmt=}} table, csv, tsv or json, "
                         f"not {fmt}")
    renderer = {"table": render_table, "csv": render_csv, "tsv": render_tsv, "json": render_json}[fmt]
    return renderer(result)
