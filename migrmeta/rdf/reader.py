"""The one RDF reader: bytes of a file in any syntax -> pyoxigraph quads, or an InputError.

Every command reads RDF here (through `migrmeta.load`), so every command gets the same
guarantees: blank-node labels are local to the file (`_:b0` in two files are two nodes),
errors name the file, line and column and say what to do, IRIs are checked at the door
(RFC 3987, absolute; JSON-LD's relative IRIs resolve against the project's base, never the
working directory), and the limits of `migrmeta.limits` hold: file size, nesting depth,
list length, XML entities.
"""

from __future__ import annotations

import re
import shlex
from collections import defaultdict

import pyoxigraph as ox

from migrmeta.errors import InputError, literal
from migrmeta.limits import current
from migrmeta.messages import message
from migrmeta.rdf import syntaxes
from migrmeta.rdf.encoding import check_text, xml_as_utf8
from migrmeta.rdf.jsonld_in import Copies, to_nquads, why_empty

_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
_LOCATION = re.compile(
    r"^Parser error (at|between) line \d+ (column|between columns) \d+( and (line \d+ column )?\d+)?: "
)


# The first bytes of a report migrmeta writes in a syntax a record may have, and its format
# the first line of the Turtle report `validate` writes (validation/render.py), which tells it from a record
TURTLE_REPORT_HEAD = "# A SHACL validation report written by migrmeta validate: not a record\n"
_TURTLE_REPORT = TURTLE_REPORT_HEAD.encode()
_REPORT_HEADS = (
    (b'"schema": "https://w3id.org/migrmeta/', "JSON"),
    (b'<testsuites name="migrmeta ', "JUnit XML"),
    (_TURTLE_REPORT, "SHACL Turtle"),
)


# DDI XML: a Codebook's root element (or an OAI-PMH response, which holds codebooks), with or
# without a prefix, after any declaration, processing instructions, comments and doctype (the
# root only: an RDF/XML record may well have a property named codeBook)
_DDI_ROOT = re.compile(rb"\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*"
                       rb"<(?:[A-Za-z_][\w.-]*:)?(codeBook|OAI-PMH)[\s>/]", re.S)


def _is_codebook(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (with its BOM), as some catalogues export DDI
        head = head.decode("utf-16", "replace").encode("utf-8")
    root = _DDI_ROOT.match(head.removeprefix(b"\xef\xbb\xbf"))
    return root is not None and (root.group(1) == b"codeBook" or b"codeBook" in head)  # OAI-PMH: of DDI, not oai_dc


_RDF_NAMESPACE = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def _root_name(data: bytes) -> str:
    """The first element's name of an XML document (after its declaration and comments)."""
    match = _ROOT.search(data, 0, 4096)
    return match.group(1).decode("utf-8", errors="replace") if match else "?"


def not_a_record(data: bytes, source: str, syntax: str) -> InputError | None:
    """What a file of a record's suffix is when it is no record: a report migrmeta wrote (it would
    read as "holds no statements" or an RDF/XML syntax error), or a study's DDI Codebook (.xml)."""
    if syntax in ("jsonld", "rdfxml", "turtle") and (report := written_report(data)) is not None:
        # a .ttl report is read like a record when found in a folder (its head is not looked at
        # there: every .ttl would be opened twice), so it is refused, not left out
        hint = "input.written_report_hint" if syntax != "turtle" else "input.written_turtle_report_hint"
        return InputError(source, message("input.written_report", "en", format=report), hint=message(hint, "en"))
    if syntax == "rdfxml" and _is_codebook(data):  # .xml: RDF/XML, or a study's DDI
        return InputError(source, message("input.ddi_codebook", "en"),
                          hint=message("input.ddi_codebook_hint", "en", shell=literal(shlex.quote(source)),
                                       python=literal(repr(source))))
    return None


def written_report(head: bytes) -> str | None:
    """The format of the report migrmeta wrote that a file beginning with `head` (its first
    512 bytes) is (`validate -o report.json`), else None."""
    return next((what for marker, what in _REPORT_HEADS if marker in head[:512]), None)


def parse(data: bytes, source: str, syntax: str, *, base: str | None = None,
          contexts: Copies | None = None) -> list[ox.Quad]:
    """Parse one file's bytes; `syntax` is a name of `syntaxes.NAMES`.

    `base` resolves relative IRIs (a fetched page's URL); without it they are errors, except
    in JSON-LD, where they resolve against the project's base IRI. `contexts` maps JSON-LD
    context IRIs to local copies the user gave.
    """
    limits = current()
    if len(data) > limits.file_bytes:
        raise InputError(source, f"is {len(data) / 1e6:.1f} MB, over the {limits.file_mb:g} MB limit "
                         "(limit `file_mb`)",
                         hint="split it into one file per survey, or raise {--limit file_mb=N|the limit file_mb}")
    found = syntaxes.by_name(syntax)
    if found is None:
        raise InputError(source, f"unknown syntax {syntax!r}; use one of: {', '.join(syntaxes.NAMES)}")
    refused = not_a_record(data, source, syntax)
    if refused is not None:
        raise refused
    text = None  # a JSON-LD document's text: why it holds no statement is said in its own terms
    if syntax == "jsonld":
        text = check_text(data, source)
        data, fmt = to_nquads(text, source, base=base, copies=contexts), ox.RdfFormat.N_QUADS
        base = None
    else:
        check_text(data, source, xml=syntax == "rdfxml")
        if syntax == "rdfxml":
            data = xml_as_utf8(data, source)  # the parser reads UTF-8 only
            check_entities(data, source)
            if _RDF_NAMESPACE not in data:
                # an Atom feed, a sitemap: read as RDF/XML, a small one even gave statements about
                # its elements, a larger one "XML namespaces are required" (the harvester review)
                raise InputError(source, message("input.xml_not_rdf", "en", root=_root_name(data)),
                                 hint=message("input.xml_not_rdf_hint", "en"))
        fmt = found.oxigraph
        data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 BOM (Windows editors write one): not a subject
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=base, rename_blank_nodes=True))
    except SyntaxError as exc:
        raise _syntax_error(exc, source) from exc
    except ValueError as exc:  # e.g. a relative IRI without base
        raise InputError(source, f"syntax error: {exc}") from exc
    except MemoryError as exc:
        raise _too_long(exc, source, None if syntax == "jsonld" else data) from exc  # JSON-LD: lines of its N-Quads
    if not quads:  # a JSON document says why (a context alone, plain JSON ...)
        raise InputError(source, message("input.no_statements", "en"),
                         hint=message(why_empty(text) if text is not None else "input.one_survey", "en"))
    if may_hold_triple_terms(data, syntax) and any(isinstance(q.subject, ox.Triple)
                                                   or isinstance(q.object, ox.Triple) for q in quads):
        at = _first_triple_term(data) if syntax != "jsonld" else None  # JSON-LD's data is N-Quads by now
        raise InputError(source, message("input.triple_term", "en"),
                         line=data.count(b"\n", 0, at) + 1 if at is not None else None,
                         hint=message("input.triple_term_hint", "en"))
    check_structure(quads, source)
    return quads


# RDF 1.2 makes triple terms in the Turtle family with <<( )>>, << >>, an annotation {| |} or a
# reifier ~ (RDF/XML has its own markup): the cheap test that tells when to look for them
_TRIPLE_TERM_MARKS = (b"<<", b"{|", b"~")


def may_hold_triple_terms(data: bytes, syntax: str) -> bool:
    return syntax == "rdfxml" or any(mark in data for mark in _TRIPLE_TERM_MARKS)


def _first_triple_term(data: bytes) -> int | None:
    """Where the first mark of a triple term is, outside strings, IRIs and comments (a literal
    may well hold "<<"): best effort, for the line of a message."""
    at, end = 0, len(data)
    while at < end:
        byte = data[at:at + 1]
        if data.startswith((b'"""', b"'''"), at):
            close = data.find(data[at:at + 3], at + 3)
            at = end if close == -1 else close + 3
        elif byte in (b'"', b"'"):
            at += 1
            while at < end and data[at:at + 1] != byte and data[at:at + 1] != b"\n":
                at += 2 if data[at:at + 1] == b"\\" else 1
            at += 1
        elif byte == b"#":
            newline = data.find(b"\n", at)
            at = end if newline == -1 else newline + 1
        elif data.startswith(_TRIPLE_TERM_MARKS, at):
            return at
        elif byte == b"<":  # an IRI: <https://example.org/~user> is no reifier
            close = data.find(b">", at)
            at = end if close == -1 else close + 1
        else:
            at += 1
    return None


_TOKEN_BYTES = 16 * 1024 * 1024  # the parsers' buffer: no literal or IRI may be longer


def _too_long(exc: MemoryError, source: str, data: bytes | None) -> InputError | MemoryError:
    """The parsers refuse a single literal or IRI over 16 MiB (a buffer's size, not memory
    running out): an InputError naming the line where it is (`data`: the file's own bytes);
    any other MemoryError as it is."""
    if "buffer maximal size" not in str(exc):
        return exc
    return InputError(source, "holds a value (a literal or an IRI) of more than 16 MiB, which the reader does not take",
                      line=_long_value_line(data) if data is not None else None,
                      hint="a survey record's values are short: shorten it, or link to the document it comes from")


def _long_value_line(data: bytes) -> int | None:
    """The line of the first line longer than the buffer, else of the first long string in
    triple quotes that spans lines and is longer."""
    for number, text in enumerate(data.split(b"\n"), start=1):
        if len(text) > _TOKEN_BYTES:
            return number
    quotes = [m.start() for m in re.finditer(rb'"""|\'\'\'', data)]
    for opening, closing in zip(quotes[::2], quotes[1::2], strict=False):
        if closing - opening > _TOKEN_BYTES:
            return data.count(b"\n", 0, opening) + 1
    return None


# Syntaxes the store parses itself, straight into a named graph (graph syntaxes of one file)
_STRAIGHT = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


def load_into(store: ox.Store, data: bytes, source: str, syntax: str, graph: ox.NamedNode,
              parsed: list[ox.Quad] | None = None) -> None:
    """Parse one file's bytes into `graph` of `store`, with the guarantees of `parse`.

    Turtle and N-Triples without blank-node labels are parsed by the store itself (no Python
    object per statement; each `[]` is a fresh node, so files never share blank nodes); other
    input goes through `parse`, unless the caller has its statements already (`parsed`: what
    `parse` gave for these bytes). Either way nothing is added when the file is refused, and
    the error is the one `parse` gives. The limits on nesting and list length need the
    statements: `check_loaded` applies them once every file is in.
    """
    if parsed is not None:
        _add(store, parsed, graph)
        return
    straight = _STRAIGHT.get(syntax)
    if (straight is None or b"_:" in data or may_hold_triple_terms(data, syntax)  # refused by `parse`
            or data.startswith(_TURTLE_REPORT)  # a report migrmeta wrote: refused by `parse`
            or len(data) > current().file_bytes or data.startswith(b"\xef\xbb\xbf")):
        _add(store, parse(data, source, syntax), graph)
        return
    check_text(data, source)
    try:
        store.load(input=data, format=straight, to_graph=graph)  # one transaction: all or nothing
    except (SyntaxError, ValueError, MemoryError):
        _add(store, parse(data, source, syntax), graph)  # parse raises the InputError naming the line
        return
    if next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None:
        raise InputError(source, "holds no statements", hint="a record describes one survey")


def _add(store: ox.Store, quads: list[ox.Quad], graph: ox.NamedNode) -> None:
    store.extend([ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads])


def check_loaded(store: ox.Store, graphs: dict[ox.NamedNode, str]) -> list[InputError]:
    """The nesting and list-length limits over files loaded by `load_into` (graph -> source).

    Only a graph with enough blank-node-to-blank-node statements to break a limit is read
    back and walked; a refused file's graph is removed from the store."""
    limits = current()
    least = min(limits.depth + 1, limits.list_length)
    query = ("SELECT ?g WHERE { GRAPH ?g { ?a ?p ?b FILTER(isBlank(?a) && isBlank(?b)) } } "
             f"GROUP BY ?g HAVING (COUNT(*) >= {least})")
    answer = store.query(query)
    assert isinstance(answer, ox.QuerySolutions)
    refused = []
    for row in answer:
        graph = row["g"]
        if graph not in graphs:
            continue
        try:
            check_structure(list(store.quads_for_pattern(None, None, None, graph)), graphs[graph])
        except InputError as exc:
            store.remove_graph(graph)
            refused.append(exc)
    return refused


_BARE_WORD = re.compile(r"^([^\s\"'<>]+) is not a valid RDF object$")


def _syntax_error(exc: SyntaxError, source: str) -> InputError:
    said = _LOCATION.sub("", exc.msg or str(exc))
    if "No scheme found" in said:
        said += " (write IRIs in full, <https://...>, or with a declared prefix)"
    elif "Invalid IRI" in said:
        said += " (IRIs may not hold spaces, quotes, <>{}|^` or control characters; percent-encode them)"
    elif (bare := _BARE_WORD.match(said)) is not None:  # `mm:collectsRemittances yes`
        said = message("input.bare_word", "en", problem=said, word=bare.group(1))
    return InputError(source, f"syntax error: {said}", line=exc.lineno, column=exc.offset,
                      hint="fix the statement at that line")  # what becomes of the other files is the command's to say


_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?[^\s]+\s+(SYSTEM|PUBLIC|\"[^\"]*\"|'[^']*')", re.S)


def check_entities(data: bytes, source: str) -> None:
    """XML entities: external ones and ones that expand others (entity bombs) are refused."""
    doctype = _DOCTYPE.search(data[:1_000_000])
    if doctype is None:
        return
    subset = doctype.group(1)
    declared = _ENTITY.findall(subset)
    limit = current().entities
    line = data.count(b"\n", 0, doctype.start()) + 1
    if subset.count(b"<!ENTITY") != len(declared) or any(
        kind in (b"SYSTEM", b"PUBLIC") or (kind.startswith((b'"', b"'")) and (b"&" in kind or b"%" in kind))
        for _, kind in declared
    ):
        raise InputError(source, "declares XML entities that are external or expand other entities; "
                         "they are refused (nothing is fetched or expanded)", line=line,
                         hint="remove the DOCTYPE's entity declarations and write the text in full")
    if len(declared) > limit:
        raise InputError(source, f"declares {len(declared)} XML entities, over the limit of {limit} "
                         "(limit `entities`)", line=line, hint="write the text in full")


def check_structure(quads: list[ox.Quad], source: str) -> None:
    """Blank nodes nested deeper than `depth`, or a list longer than `list_length`: refused.

    Such data is valid RDF, but no survey record needs it, and code that walks nested
    nodes (writers, skolemization) would fail on it later, after a clean validation.
    """
    limits = current()
    children: dict[ox.BlankNode, list[tuple[ox.BlankNode, bool]]] = defaultdict(list)
    has_parent: set[ox.BlankNode] = set()
    for quad in quads:
        if isinstance(quad.object, ox.BlankNode) and quad.object != quad.subject:
            is_rest = quad.predicate.value == _RDF_REST
            if isinstance(quad.subject, ox.BlankNode):
                children[quad.subject].append((quad.object, is_rest))
                has_parent.add(quad.object)
    roots = [node for node in children if node not in has_parent] or list(children)[:1]
    for root in roots:
        _walk(root, children, source, limits.depth, limits.list_length)


def _walk(root: ox.BlankNode, children: dict[ox.BlankNode, list[tuple[ox.BlankNode, bool]]], source: str,
          max_depth: int, max_list: int) -> None:
    stack = [(root, 0, 0)]
    seen: set[ox.BlankNode] = set()
    while stack:
        node, depth, length = stack.pop()
        if depth > max_depth:
            raise InputError(source, f"nests blank nodes more than {max_depth} levels deep (limit `depth`)",
                             hint="a survey record is shallow; raise {--limit depth=N|the limit depth} "
                                  "if this one is honest")
        if length >= max_list:  # `length` rdf:rest links: length + 1 members
            raise InputError(source, f"holds an RDF list of more than {max_list} members (limit `list_length`)",
                             hint="raise {--limit list_length=N|the limit list_length} if this list is honest")
        if node in seen:  # a cycle, or a node shared by two parents: walked once
            continue
        seen.add(node)
        for child, is_rest in children.get(node, ()):
            stack.append((child, depth if is_rest else depth + 1, length + 1 if is_rest else 0))


__all__ = ["check_entities", "check_loaded", "check_structure", "load_into", "parse"]
