"""How a query is sent to a remote endpoint: its form (for the Accept header) and its parameters.

`saved.inject_values` binds parameters with a VALUES block at the start of the WHERE clause,
which every store reads alike, except Virtuoso when the query also calls SERVICE: it refuses
a VALUES block outside the SERVICE blocks (400, `SP031: Unsupported combination of
subqueries and service invocations`; docs/federation.md, "Virtuoso"). For such queries sent
to a remote endpoint, `bind_for_endpoint` writes each bound term in place of its variable
instead (`substitute`). This is safe: the terms were parsed and validated by
`saved.parse_value` and are written in N-Triples syntax by pyoxigraph (escaped), never as
the text the user typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from migrmeta.errors import UsageError
from migrmeta.querying.saved import Binding, _tokens, alternatives, inject_values, where_position

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first of these keywords outside braces,
    comments, strings and IRIs ("" when there is none, e.g. an update)."""
    depth = 0
    for kind, start, end in _tokens(text):
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
        elif kind == "word" and depth == 0 and text[start:end].upper() in FORMS:
            return text[start:end].upper()
    return ""


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def calls_service(text: str) -> bool:
    """Does the query hold a SERVICE clause (outside comments, strings, IRIs and names)? Read as
    written and with its codepoint escapes expanded (SPARQL 1.1 §19.2; rdflib expands them,
    Oxigraph does not): either reading that calls SERVICE counts. The check of a query no parser
    vouches for: it fails closed."""
    def codepoint(match: re.Match[str]) -> str:
        number = int(match.group(1) or match.group(2), 16)
        return chr(number) if number <= 0x10FFFF else match.group()

    return any(any(kind == "word" and reading[start:end].upper() == "SERVICE" for kind, start, end in _tokens(reading))
               for reading in dict.fromkeys((text, _CODEPOINT.sub(codepoint, text))))


def _where_end(text: str, opening: int) -> int:
    """Offset of the `}` closing the group whose `{` ends at `opening`."""
    depth = 1
    for kind, start, _ in _tokens(text):
        if start < opening:
            continue
        depth += 1 if kind == "{" else -1 if kind == "}" else 0
        if depth == 0:
            return start
    raise UsageError("the WHERE clause of the query is not closed (a `}` is missing)")


def substitute(text: str, bindings: Mapping[str, Binding]) -> str:
    """The query with each bound variable of its WHERE clause replaced by its term; a bound
    variable listed in the projection becomes `(term AS ?name)`, so it is still answered.
    A parameter given several values has no one term to write: refused."""
    if not bindings:
        return text
    several = sorted(name for name, binding in bindings.items() if len(alternatives(binding)) > 1)
    if several:
        values = alternatives(bindings[several[0]])
        raise UsageError(f"?{several[0]} stands for {len(values)} values (given several times, or a region's "
                         "countries), and a query calling SERVICE is sent to an endpoint with one value each "
                         "(Virtuoso refuses a VALUES block beside SERVICE; docs/federation.md)",
                         hint=f"ask once per value: {', '.join(str(v) for v in values[:8])}"
                              + (", ..." if len(values) > 8 else ""))
    opening = where_position(text)
    closing = _where_end(text, opening)
    edits: list[tuple[int, int, str]] = []
    select = query_form(text) == "SELECT"
    previous = ""
    for kind, start, end in _tokens(text):
        word = text[start:end]
        name = word[1:]
        if kind == "name" and word[:1] in "?$" and name in bindings:
            term = str(alternatives(bindings[name])[0])
            if opening <= start < closing:
                edits.append((start, end, term))
            elif select and start < opening and previous != "AS":
                edits.append((start, end, term if _inside_parentheses(text, start) else f"({term} AS ?{name})"))
        if kind in ("word", "name"):
            previous = word.upper()
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _inside_parentheses(text: str, position: int) -> bool:
    """Is the variable at `position` of the SELECT list inside an expression `( ... AS ?x)`?"""
    head = text[:position]
    select = head.upper().rfind("SELECT")
    return select >= 0 and head[select:].count("(") != head[select:].count(")")


def bind_for_endpoint(text: str, bindings: Mapping[str, Binding]) -> str:
    """The query as sent to a remote endpoint: a VALUES block, or the terms written in place
    of their variables when the query calls SERVICE (which Virtuoso needs)."""
    if bindings and calls_service(text):
        return substitute(text, bindings)
    return inject_values(text, bindings)


__all__ = ["FORMS", "GRAPH_FORMS", "bind_for_endpoint", "calls_service", "query_form", "substitute"]
