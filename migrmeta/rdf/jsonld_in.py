"""JSON-LD documents -> N-Quads, with every context resolved locally and nothing fetched.

pyld (the JSON-LD 1.1 reference processor) expands the document; its document loader
refuses every URL, and contexts are resolved before it sees them: migrmeta's own context
from ontology/context.jsonld, a relative file next to a local record from disk, anything
else refused. Relative IRIs resolve against the project's base IRI, never the working
directory, so the same file means the same thing wherever it is read. Deep nesting and
context cycles are input errors, not crashes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from migrmeta import resources
from migrmeta.errors import InputError
from migrmeta.limits import current
from migrmeta.namespaces import BASE, CONTEXT_IRI
from migrmeta.rdf.encoding import check_strings


@cache
def _local_context() -> Any:
    return json.loads(resources.context_file().read_text(encoding="utf-8"))["@context"]


def load_json(text: str, source: str) -> Any:
    """Parse JSON text; syntax errors and excessive nesting name the file and line."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    except RecursionError:
        raise _too_deep(source) from None
    check_depth(document, source)
    return check_strings(document, source)


def why_empty(text: str) -> str:
    """Why a JSON-LD document gave no statement, as a messages.toml key of a hint: a context
    alone (what data documents name), no @context at all (plain JSON: no key is RDF), or keys
    its context does not define."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):  # read already: not reached
        return "input.one_survey"
    if not document:  # {} or []
        return "input.one_survey"
    if isinstance(document, dict) and set(document) == {"@context"}:
        return "input.jsonld_context_only_hint"
    if not any(key == "@context" for key, _ in members(document)):  # at any depth: a node's own counts
        return "input.jsonld_no_context_hint"
    return "input.jsonld_undefined_keys_hint"


def _too_deep(source: str) -> InputError:
    limit = current().depth
    return InputError(source, f"is nested more than {limit} levels deep (limit `depth`)",
                      hint="a survey record is shallow; raise {--limit depth=N|the limit depth} if this one is honest")


def check_depth(document: Any, source: str) -> None:
    """Refuse JSON nested deeper than the `depth` limit (walked without recursion)."""
    limit = current().depth
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            raise _too_deep(source)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


Copies = Mapping[str, Path]  # context IRI -> a local copy the user gave (`--context IRI=FILE`)


def resolve_contexts(document: Any, source: str, copies: Copies | None = None,
                     _seen: frozenset[str] = frozenset()) -> Any:
    """Replace every context reference by its content; only local ones are known."""
    if isinstance(document, list):
        return [resolve_contexts(item, source, copies, _seen) for item in document]
    if not isinstance(document, dict):
        return document
    resolved: dict[str, Any] = {}
    for key, value in document.items():
        if key == "@context":
            resolved[key] = _context_value(value, source, copies or {}, _seen)
        elif key == "@import":
            raise InputError(source, f"JSON-LD @import of {value!r} is not supported (not fetched)")
        else:
            resolved[key] = resolve_contexts(value, source, copies, _seen)
    return resolved


def _context_value(value: Any, source: str, copies: Copies, seen: frozenset[str]) -> Any:
    if isinstance(value, list):
        return [_context_value(item, source, copies, seen) for item in value]
    if isinstance(value, dict):
        return resolve_contexts(value, source, copies, seen)
    if not isinstance(value, str):
        return value
    if value == CONTEXT_IRI:
        return _local_context()
    if value in copies:
        return _from_file(copies[value], value, copies, seen)
    if "://" in value or value.startswith(("file:", "urn:")) or source == "<stdin>":
        raise InputError(source, f"JSON-LD context {value!r} is remote and is not fetched",
                         hint=f'use "@context": "{CONTEXT_IRI}" (resolved locally) or put the context inline')
    path = (Path(source).parent / value).resolve()
    if not path.is_file():
        raise InputError(source, f"JSON-LD context file {value!r} not found (looked at {path})")
    return _from_file(path, value, copies, seen)


def _from_file(path: Path, reference: str, copies: Copies, seen: frozenset[str]) -> Any:
    key = str(path.resolve())
    if key in seen:
        raise InputError(str(path), f"JSON-LD context {reference!r} refers back to itself (a cycle of contexts)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"context file cannot be read ({exc})") from exc
    context_document = load_json(text, str(path))
    context = context_document.get("@context", context_document) if isinstance(context_document, dict) else {}
    return _context_value(context, str(path), copies, seen | {key})


def _refuse(url: str, options: Any = None) -> Any:
    from pyld.jsonld import JsonLdError

    raise JsonLdError(f"{url} is not fetched", "jsonld.LoadDocumentError", code="loading document failed")


def to_nquads(text: str, source: str, *, base: str | None = None, copies: Copies | None = None) -> bytes:
    """A JSON-LD document as N-Quads; every IRI checked (a bad one is an error with its line)."""
    from pyld import jsonld  # deferred: only JSON-LD inputs need it

    base = base or BASE
    loaded = load_json(text, source)
    if not isinstance(loaded, dict | list):  # pyld would take a string for a URL to fetch
        kind = {type(None): "JSON null", bool: "JSON true or false", str: "a JSON string"}.get(type(loaded),
                                                                                          "a JSON number")
        raise InputError(source, f"holds {kind}, not a JSON-LD document",
                         hint="a record is a JSON object ({ \"@context\": ..., \"@id\": ... }) or a list of them")
    try:
        document = resolve_contexts(loaded, source, copies)
    except InputError as exc:
        if exc.location.source == source:
            raise
        raise InputError(source, f"its context {exc.location}: {exc.problem}", hint=exc.hint) from exc
    options = {"base": base, "documentLoader": _refuse}
    try:
        expanded = jsonld.expand(document, options)
        _check_iris(expanded, text, source)
        nquads = jsonld.to_rdf(expanded, {**options, "format": "application/n-quads"})
    except RecursionError:
        raise _too_deep(source) from None
    except jsonld.JsonLdError as exc:
        raise InputError(source, f"invalid JSON-LD: {_jsonld_reason(exc)}") from exc
    return str(nquads).encode("utf-8")


# A vocabulary no real term expands to: prepended to a document's context, it catches the keys
# the context does not define (which JSON-LD drops without a word), and only those.
_UNMAPPED = "urn:migrmeta:unmapped-key:"


Unmapped = tuple[str, str | None, int | None, int]  # key, a node holding it, its first line, times used


def unmapped_keys(text: str, source: str, *, copies: Copies | None = None) -> tuple[list[Unmapped], list[str]]:
    """The keys of a JSON-LD document that its context does not define, so that JSON-LD drops
    them and their values: (key, the @id of the first node holding it, the line where it is
    first written, how many times it is used), in the order of their lines; and, when there
    are any, the terms its contexts define (the document read once for both). None for a
    document that cannot be read (reading it says why), or whose context gives an @vocab (then
    nothing is dropped)."""
    from pyld import jsonld

    try:
        document = resolve_contexts(load_json(text, source), source, copies)
    except InputError:
        return [], []
    if any(key == "@vocab" for key, _ in members(document)):
        return [], []
    try:
        expanded = jsonld.expand(_with_vocab(document), {"base": BASE, "documentLoader": _refuse})
    except (jsonld.JsonLdError, RecursionError):
        return [], []
    holders: dict[str, list[str | None]] = {}
    stack: list[tuple[Any, str | None]] = [(expanded, None)]
    while stack:
        value, owner = stack.pop()
        if isinstance(value, list):
            stack.extend((item, owner) for item in reversed(value))
        elif isinstance(value, dict):
            node = value.get("@id") if isinstance(value.get("@id"), str) and not value["@id"].startswith("_:") \
                else owner
            for key, item in value.items():
                if key.startswith(_UNMAPPED):
                    holders.setdefault(key[len(_UNMAPPED):], []).append(node)
                elif isinstance(item, list | dict):
                    stack.append((item, node))
    found = [(key, min(nodes, key=lambda n: n or ""), _line_of(text, f'"{key}"'), len(nodes))
             for key, nodes in holders.items()]
    return sorted(found, key=lambda f: (f[2] or 0, f[0])), _context_terms(document) if found else []


def _with_vocab(document: Any) -> Any:
    """The document with the unmapped-key vocabulary in front of its own context (each top
    node's, for a list)."""
    if isinstance(document, list):
        return [_with_vocab(node) for node in document]
    if not isinstance(document, dict):
        return document
    own = document.get("@context")
    contexts = own if isinstance(own, list) else [own] if own is not None else []
    return {**document, "@context": [{"@vocab": _UNMAPPED}, *contexts]}


def _context_terms(document: Any) -> list[str]:
    """The terms a JSON-LD document's contexts define (its own and those it names, resolved)."""
    terms: set[str] = set()
    for key, item in members(document):
        if key == "@context":
            for context in item if isinstance(item, list) else [item]:
                if isinstance(context, dict):
                    terms.update(k for k in context if not k.startswith("@"))
    return sorted(terms)


def _jsonld_reason(exc: Exception) -> str:
    details = getattr(exc, "details", None) or {}
    cause = getattr(exc, "cause", None)
    message = str(getattr(exc, "message", "") or exc).splitlines()[0]
    if cause is not None and cause is not exc:
        return f"{message} ({_jsonld_reason(cause)})"
    code = details.get("code") if isinstance(details, dict) else None
    return f"{message} ({code})" if code else message


def members(document: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) of every JSON object in a document, however deep."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                yield key, item
                if isinstance(item, list | dict):
                    stack.append(item)


def _iris(expanded: Any) -> Iterator[str]:
    """Every IRI of an expanded document: node ids, types, properties, datatypes."""
    for key, item in members(expanded):
        if key == "@id" and isinstance(item, str):
            yield item
        elif key == "@type":
            yield from (t for t in (item if isinstance(item, list) else [item]) if isinstance(t, str))
        elif not key.startswith("@"):
            yield key


def _check_iris(expanded: Any, text: str, source: str) -> None:
    from migrmeta.rdf.iri import iri_problem

    for iri in _iris(expanded):
        if iri.startswith("_:"):
            continue
        problem = iri_problem(iri)
        if problem:
            raise InputError(source, f"invalid IRI {iri!r}: {problem}", line=_line_of(text, iri),
                             hint="IRIs may not hold spaces, quotes, <>{}|^` or control characters; "
                                  "percent-encode them")


def _line_of(text: str, value: str) -> int | None:
    for needle in (json.dumps(value)[1:-1], value):
        found = text.find(needle)
        if found >= 0:
            return text.count("\n", 0, found) + 1
    return None


__all__ = ["Copies", "check_depth", "load_json", "members", "resolve_contexts", "to_nquads", "unmapped_keys"]
