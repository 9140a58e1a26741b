"""Running a query on the embedded store safely: SERVICE found by the parser, a deadline, Ctrl-C.

- `service_calls(text)`: the endpoints a query would contact, read from the SPARQL algebra
  (rdflib's parser), never from a pattern over the text, so `#` or `'` inside an IRI or a
  prefix name with `-` cannot hide a SERVICE. A query the parser cannot read is refused when
  it mentions SERVICE at all (the check fails closed).
- `syntax_problem(text, source)`: a query that cannot be parsed is an `InputError` naming the
  line and column, the same whether it would run here or be sent to an endpoint.
- `run(store, text, seconds)`: the query runs in a forked child process that inherits the
  store; the parent waits at most `seconds` (the `query_seconds` limit) and stops the child
  on the deadline or on Ctrl-C (KeyboardInterrupt), so an expensive query really stops.
  Where fork is not available (Windows, macOS) the query runs in a worker thread: the
  deadline and Ctrl-C still return control at once, but the thread finishes on its own.

Measured on records/ (13,600 statements): a small answer costs 10 ms more than a direct
query, every statement of the store (3.3 MB of results) 140 ms instead of 25 ms.
"""

from __future__ import annotations

import multiprocessing
import re
import signal
import sys
import threading
import warnings
from functools import lru_cache
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from migrmeta.errors import InputError, MigrmetaError, UsageError
from migrmeta.io.interrupts import interrupts_held, release_interrupts
from migrmeta.namespaces import PREFIXES
from migrmeta.querying.binding import calls_service


class QueryFailure(Exception):
    """The child's error, carried back: its kind ("syntax", "failed") and message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


# --- SERVICE, from the algebra ---------------------------------------------------------------


@lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    """rdflib's parse of a query (None when it cannot read it): the one SPARQL parser that
    questions about a query's text (SERVICE, FROM) ask, never a pattern over the text."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except Exception:
        return None


def names_its_dataset(text: str) -> bool:
    """Does the query say which graphs it reads (FROM / FROM NAMED)?"""
    parsed = _parsed(text)
    # (CompValue.get answers the key's own name for a missing key: ask `in`)
    return parsed is not None and "datasetClause" in parsed[1] and bool(parsed[1]["datasetClause"])


def where_variables(text: str) -> set[str] | None:
    """The variables in scope in the query's WHERE clause, where a parameter's VALUES block goes
    (a subquery gives only those it projects); None when the parser cannot read the query. A
    value for ?country, used only inside a subquery, bound nothing and was lost in silence (the
    researcher review)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    parsed = _parsed(text)
    if parsed is None or "where" not in parsed[1]:
        return None
    found: set[str] = set()
    stack: list[Any] = [parsed[1]["where"]]
    while stack:
        node = stack.pop()
        if isinstance(node, Variable):
            found.add(str(node))
        elif isinstance(node, CompValue):
            if node.name == "SubSelect" and "projection" in node:  # SELECT *: all of its WHERE's
                projected = [item[key] for item in node["projection"] for key in ("var", "evar") if key in item]
                found.update(str(v) for v in projected)
                continue
            stack.extend(node.values())
        elif isinstance(node, list | tuple | ParseResults):
            stack.extend(node)
    return found


def service_calls(text: str) -> list[str] | None:
    """The endpoints a query would contact through SERVICE (IRIs, or `?var`); None when the
    SPARQL parser cannot read the query (then nobody can say it calls no endpoint)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    nodes = _algebra_nodes(text)
    if nodes is None:
        return None
    found = [f"?{term}" if isinstance(term, Variable) else f"<{term}>" for node in nodes
             if isinstance(node, CompValue) and node.name == "ServiceGraphPattern" for term in [node.get("term")]]
    if not found and calls_service(text):
        # rdflib expands codepoint escapes (\u0022) before it parses, Oxigraph does not: a query
        # both read, in which only one reading calls SERVICE, is one nobody can vouch for
        return None
    return sorted(set(found))


def iris_in(text: str) -> set[str] | None:
    """The IRIs a query names (in its patterns, property paths and expressions); None when the
    SPARQL parser cannot read it."""
    from rdflib.term import URIRef

    nodes = _algebra_nodes(text)
    return None if nodes is None else {str(node) for node in nodes if isinstance(node, URIRef)}


@lru_cache(maxsize=64)
def _algebra_nodes(text: str) -> tuple[Any, ...] | None:
    """Every node of the query's algebra (operators, terms, property paths), or None when the
    SPARQL parser cannot read the query."""
    from rdflib.paths import Path
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:  # a parse of its own: translateQuery rewrites the tree it is given, which _parsed shares
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:
        return None
    found: list[Any] = []
    stack: list[Any] = [algebra]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        if isinstance(node, CompValue):
            stack.extend(node.values())
        elif isinstance(node, Path):  # skos:broader*, ^dct:isPartOf, a/b
            stack.extend(vars(node).values())
        elif isinstance(node, list | tuple | set | frozenset):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return tuple(found)


# --- syntax errors, said the same way wherever the query runs --------------------------------

# The parser lists the characters a name may start with as Unicode ranges, over four lines.
_CHARACTER_CLASS = re.compile(r"\[(?:[^\[\]]|\n)*'\\u\{[0-9A-Fa-f]+\}'(?:[^\[\]]|\n)*\]")


def _undeclared_prefixes(text: str) -> list[tuple[str, int]]:
    """(prefix, offset) of the query's prefixed names whose prefix its PREFIX lines do not declare
    (`PREFIX :` declares the empty one), in order."""
    from migrmeta.querying.saved import _tokens

    declared = {m.group(1) or "" for m in re.finditer(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:", text)}
    used = [(text[start:end].split(":", 1)[0], start) for kind, start, end in _tokens(text)
            if kind == "name" and ":" in text[start:end] and text[start] not in "?$"]
    return [(p, at) for p, at in used if p not in declared and p != "_"]


def syntax_error(message: str, source: str, text: str | None = None) -> MigrmetaError:
    """Oxigraph's syntax error as a message for people: where, and what it expected; with the
    query's `text`, what it is instead of a query (nothing, or a SPARQL Update), said as such."""
    if text is not None and (instead := not_a_query(text, source)) is not None:
        return instead
    if text is not None and (found := _undeclared_prefixes(text)):  # the likeliest cause of all
        undeclared = list(dict.fromkeys(p for p, _ in found))
        known = {p: str(PREFIXES[p]) for p in undeclared if p in PREFIXES}
        line = text.count("\n", 0, found[0][1]) + 1  # where the first is used
        names = ", ".join(f"{p}:" for p in undeclared)
        said = f"the prefix {names} is not declared" if len(undeclared) == 1 else \
            f"the prefixes {names} are not declared"
        unknown = [p for p in undeclared if p not in known]
        return InputError(source, f"SPARQL syntax error: {said}", line=line,
                          hint="declare " + ("it" if len(undeclared) == 1 else "them") + " at the top of the query: "
                               + " ".join(f"PREFIX {p}: <{known.get(p, '...')}>" for p in undeclared)
                               + (f" (<...>: the namespace {', '.join(unknown)}: stands for)" if unknown else ""))
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if match:
        said = _expected(match.group(3))
        line, column = int(match.group(1)), int(match.group(2))
        closers = _left_open(text, line, column) if text is not None else []
        if closers:
            said = (f"the query ends before {' and '.join(repr(c) for c in closers)} "
                    f"{'closes' if len(closers) == 1 else 'close'} what it opened ({said})")
        stuck = _stuck_at(text) if text is not None and not closers else None
        if stuck is not None and stuck[:2] < (line, column):
            # Oxigraph names the furthest point any alternative reached (often the end of the
            # text), rdflib's parser the token where the query stopped making sense: that one
            # is where to look (`FILTER(?t = )` on line 5, not the empty line 10 after it)
            line, column, token = stuck
            said = f"the query cannot be read from {token!r} on"
        return InputError(source, f"SPARQL syntax error: {said}", line=line, column=column,
                          hint="fix the query; see docs/queries.md")
    return InputError(source, f"SPARQL syntax error: {message}", hint="fix the query; see docs/queries.md")


def _expected(said: str) -> str:
    """Oxigraph's "expected one of ..." for people: the characters a name may hold said "a name",
    once (the list named it up to four ways: two Unicode ranges, ['_'] and [_]), digits "a digit"."""
    said = " ".join(_CHARACTER_CLASS.sub("a name", said).split())
    head, found, rest = said.partition("expected one of ")
    if not found:
        return said
    items = [{"['_']": "a name", "[_]": "a name", "['0'..='9']": "a digit"}.get(i, i)
             for i in re.split(r", (?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", rest)]
    return head + found + ", ".join(dict.fromkeys(items))


_OPENERS = {"(": ")", "{": "}", "[": "]"}


def _unclosed(text: str) -> list[str]:
    """The brackets a query leaves open at its end, innermost first (`FILTER(?t` inside `{`: ")",
    "}"); strings, IRIs and comments (saved._tokens, the one lexer) are not read for them."""
    from migrmeta.querying.saved import _tokens

    read, at = [], 0
    for kind, start, end in _tokens(text):
        if kind in ("comment", "string", "iri"):
            read.append(text[at:start])
            at = end
    read.append(text[at:])
    stack: list[str] = []
    for char in "".join(read):
        if char in _OPENERS:
            stack.append(_OPENERS[char])
        elif stack and char == stack[-1]:
            stack.pop()
    return stack[::-1]


def _left_open(text: str, line: int, column: int) -> list[str]:
    """The brackets left open by a query that ends too soon (nothing after Oxigraph's position):
    what is missing is at the end, where Oxigraph says it is and what it expected there; [] for
    a query that does not end too soon."""
    lines = text.splitlines()
    rest = "\n".join([lines[line - 1][column - 1:], *lines[line:]]) if 0 < line <= len(lines) else ""
    return [] if rest.strip() else _unclosed(text)


def _stuck_at(text: str) -> tuple[int, int, str] | None:
    """Where rdflib's parser stops reading the query: line, column and the token there."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except ParseBaseException as exc:
        token = re.match(r"\S{0,20}", text[exc.loc:])
        return exc.lineno, exc.col, token.group() if token else ""
    except Exception:
        return None
    return None


def not_a_query(text: str, source: str) -> MigrmetaError | None:
    """An empty text (comments at most), or a SPARQL Update (INSERT, DELETE, LOAD, CLEAR...),
    which the parser reports as a syntax error at its first word."""
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return InputError(source, "the query is empty",
                          hint="write a SELECT, ASK, CONSTRUCT or DESCRIBE query, or run a saved question "
                               "({`migrmeta query --list`|migrmeta.querying.saved.saved_queries()})")
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return None
    return UsageError(f"{source}: this is a SPARQL Update, not a query: query answers SELECT, ASK, CONSTRUCT "
                      "and DESCRIBE, and changes nothing",
                      hint="change the records and publish them again, or load them into a store with "
                           "{`migrmeta push`|migrmeta.push()}")


def syntax_problem(text: str, source: str) -> MigrmetaError | None:
    """The `InputError` the embedded store would give for a query it cannot parse, or None. An
    endpoint is still sent such a query (a store may read its own extensions, such as Virtuoso's
    DEFINE pragmas); when it refuses it as a bad request, this is the error: a typo gets the
    same message (and exit 3) there as here.

    rdflib's parser reads nearly every query; only when it cannot is the text given to Oxigraph's
    own parser, on an empty store (nothing to read, no endpoint to call: a text naming SERVICE
    is left to the endpoint)."""
    if _parsed(text) is not None:  # rdflib reads prefixes late: an undeclared one passes its parser
        return syntax_error("", source, text) if _undeclared_prefixes(text) else None
    if calls_service(text):
        return None
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        return syntax_error(exc.msg or str(exc), source, text)
    except Exception:  # parsed, and failed on evaluation: the endpoint will say what it thinks
        return None
    return None


# --- a deadline and Ctrl-C -------------------------------------------------------------------


def _answer(store: ox.Store, text: str) -> tuple[str, bytes]:
    """Evaluate and serialize the answer (SPARQL JSON for SELECT/ASK, N-Triples for graphs). The
    default graph is the store's own, which `EmbeddedStore` fills with every record's
    statements (once each), unless the query names its own dataset (`FROM <g>`)."""
    answer = store.query(text)
    if isinstance(answer, ox.QuerySolutions | ox.QueryBoolean):
        return "results", answer.serialize(format=ox.QueryResultsFormat.JSON) or b""
    return "graph", ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES) or b""


def _child(store: ox.Store, text: str, conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us; no traceback of our own
    release_interrupts()  # forked while the parent held them (_in_child)
    try:
        conn.send(("ok", *_answer(store, text)))
    except SyntaxError as exc:
        conn.send(("syntax", exc.msg or str(exc), b""))
    except Exception as exc:
        conn.send(("failed", str(exc), b""))
    finally:
        conn.close()


def _decode(kind: str, data: bytes) -> Any:
    if kind == "results":
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


class TooLong(MigrmetaError):
    """The query ran past its deadline and was stopped."""


def _too_long(seconds: float) -> MigrmetaError:
    return TooLong(f"the query ran longer than {seconds:g} s and was stopped (limit `query_seconds`)",
                         hint="narrow the query (LIMIT, more specific patterns), or raise "
                              "{the limit before the command: migrmeta --limit query_seconds=N query ...|the limit "
                              "query_seconds}")


def _in_child(store: ox.Store, text: str, seconds: float) -> Any:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(store, text, sender), daemon=True)
    try:
        # held: Ctrl-C between the fork and `child` knowing its pid left the query running, and
        # holding the terminal's pipes open, after the parent had ended; held, it lands in `try`
        with interrupts_held(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+ warns about fork in a threaded process
            child.start()
        sender.close()
        if not receiver.poll(seconds):
            raise _too_long(seconds)
        try:
            kind, message, data = receiver.recv()
        except EOFError:
            raise QueryFailure("failed", f"the query process ended without an answer (exit {child.exitcode})"
                               ) from None
    finally:  # the deadline, Ctrl-C, or done: the child never outlives the call
        sender.close()
        if child.pid is not None:
            if child.is_alive():
                child.kill()
            child.join()
        receiver.close()
    if kind == "ok":
        return _decode(message, data)
    raise QueryFailure(kind, message)


def _in_thread(store: ox.Store, text: str, seconds: float) -> Any:
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["answer"] = _answer(store, text)
        except SyntaxError as exc:
            box["error"] = QueryFailure("syntax", exc.msg or str(exc))
        except Exception as exc:
            box["error"] = QueryFailure("failed", str(exc))

    worker = threading.Thread(target=work, daemon=True, name="migrmeta-query")
    worker.start()
    worker.join(seconds)  # interruptible: Ctrl-C raises KeyboardInterrupt here
    if worker.is_alive():
        raise _too_long(seconds)
    if "error" in box:
        raise box["error"]
    return _decode(*box["answer"])


def run(store: ox.Store, text: str, seconds: float) -> Any:
    """The answer of `text` on `store` (QuerySolutions, QueryBoolean or a list of triples),
    within `seconds`; QueryFailure when oxigraph refuses or fails, MigrmetaError on the deadline."""
    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods():
        return _in_child(store, text, seconds)
    return _in_thread(store, text, seconds)


__all__ = ["QueryFailure", "run", "service_calls", "syntax_error", "syntax_problem"]
