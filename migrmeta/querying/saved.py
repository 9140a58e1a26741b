"""Saved questions (`queries/*.rq`) and parameters bound as RDF terms.

A saved question is a SPARQL 1.1 query whose leading comment block is a small YAML
document: a title, a description and the declared parameters::

    # title: Surveys covering a country
    # description: Surveys and series whose countries (item 3) include the given one.
    # parameters:
    #   country:
    #     type: country          # country | iri | literal | concept
    #     default: SEN
    #     description: ISO 3166 alpha-3 or alpha-2 code, or a country name.
    SELECT ...

A parameter given several times (`-p country=GTM -p country=HND`), or a country parameter
given a UN M49 region, sub-region or intermediate region (`Sub-Saharan Africa`, `Central
America`), binds each value as an alternative: one row of
the VALUES block per value (per combination, with several such parameters).

A parameter value is never pasted into the query text. It is parsed into an RDF term
(a country of `ontology/countries.ttl`, a validated IRI, a literal, a concept of a
scheme) by pyoxigraph, and the term, written in N-Triples syntax by pyoxigraph, goes into
a `VALUES` block placed at the start of the query's WHERE clause (`inject_values`). The
same text goes to the embedded store and to remote endpoints, so both bind alike.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from migrmeta import resources
from migrmeta.errors import InputError, UsageError
from migrmeta.namespaces import PREFIXES, XSD
from migrmeta.values.concepts import Concepts, scheme_concepts
from migrmeta.values.countries import countries
from migrmeta.values.errors import BadValue

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Binding = Term | tuple[Term, ...]  # one term, or the alternatives a parameter was given
PARAMETER_TYPES = ("country", "iri", "literal", "concept")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER_KEY = re.compile(r"(title|description|parameters)\s*:")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: `?name` in the query."""

    name: str
    type: str
    default: str | None = None
    description: str = ""
    scheme: str | None = None  # concept: the scheme id (`sample-type`)
    datatype: str | None = None  # literal: `xsd:boolean`, `xsd:integer`, ...
    language: str | None = None  # literal: a language tag


@dataclass
class SavedQuery:
    """A query with what its header declares; ad hoc queries have an empty header."""

    name: str
    text: str
    source: str
    title: str = ""
    description: str = ""
    parameters: dict[str, Parameter] = field(default_factory=dict)

    def bind(self, values: Mapping[str, str | Sequence[str]]) -> dict[str, Binding]:
        """Parse the given values (and the defaults of the others) into RDF terms; a parameter
        given several values binds them as alternatives."""
        given = {name: [raw] if isinstance(raw, str) else list(raw) for name, raw in values.items()}
        if self.parameters:
            unknown = sorted(set(given) - set(self.parameters))
            if unknown:
                raise UsageError(
                    f"{self.name}: no parameter {', '.join(unknown)}",
                    hint="its parameters are " + ", ".join(self.parameters) + " (see `migrmeta query --list`)",
                )
            bound: dict[str, Binding] = {}
            for name, parameter in self.parameters.items():
                raws = given.get(name) or ([parameter.default] if parameter.default is not None else [])
                if raws:
                    bound[name] = _one_or_all([t for raw in raws for t in parse_values(parameter, raw)])
            self._in_scope(bound)
            return bound
        if self.title and given:  # a saved question that declares none: a value would bind nothing it means
            raise UsageError(f"{self.name}: takes no parameters ({', '.join(sorted(given))} given)",
                             hint="the questions that take some: {`migrmeta query --list`|saved_queries()}")
        # An ad hoc query: any variable of the query, value read as an IRI or a plain literal.
        for name in given:
            if not _NAME.match(name) or not re.search(rf"[?$]{name}\b", self.text):
                raise UsageError(f"{self.source}: the query has no variable ?{name} to bind")
        self._in_scope(given)
        return {name: _one_or_all([parse_value(Parameter(name, "iri" if _looks_like_iri(raw) else "literal"), raw)
                                   for raw in raws]) for name, raws in given.items()}

    def _in_scope(self, names: Mapping[str, object]) -> None:
        """Each bound variable is in scope where its VALUES block goes, the query's WHERE clause:
        one used only inside a subquery that does not select it was bound to nothing, and the
        answer was every survey's (the researcher review). A query calling SERVICE has its values
        written in place on an endpoint (binding.py): not checked."""
        from migrmeta.querying.execution import service_calls, where_variables

        variables = where_variables(self.text)
        if variables is None or not names or service_calls(self.text):
            return
        for name in names:
            if name not in variables:
                raise UsageError(f"{self.source}: ?{name} is not in scope in the query's WHERE clause, where its "
                                 "value would go (a subquery uses it without selecting it): the value would bind "
                                 "nothing", hint=f"select ?{name} in the subquery (SELECT ... ?{name} WHERE ...), "
                                                 "or write the value in the subquery itself")


def _one_or_all(terms: list[Term]) -> Binding:
    unique = list(dict.fromkeys(terms))
    return unique[0] if len(unique) == 1 else tuple(unique)


def alternatives(binding: Binding) -> tuple[Term, ...]:
    return binding if isinstance(binding, tuple) else (binding,)


# --- the header ---------------------------------------------------------------------------


def parse_saved(text: str, source: str, name: str | None = None) -> SavedQuery:
    """Read a query and the YAML in its leading comment block."""
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[2:] if line.startswith("# ") else line[1:])
    query = SavedQuery(name=name or Path(source).stem, text=text, source=source)
    if not any(_HEADER_KEY.match(line) for line in header):
        return query  # ordinary comments, not a header
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(source, f"the header is not valid YAML ({getattr(exc, 'problem', exc)})",
                         line=mark.line + 1 if mark else None,
                         hint="header lines are `# key: value`; see docs/queries.md") from exc
    if not isinstance(meta, dict):
        return query  # an ordinary comment, not a header
    query.title = str(meta.get("title", "")).strip()
    query.description = " ".join(str(meta.get("description", "")).split())
    declared = meta.get("parameters") or {}
    if not isinstance(declared, dict):
        raise InputError(source, "`parameters` must map each name to its declaration")
    for pname, spec in declared.items():
        query.parameters[str(pname)] = _parameter(str(pname), spec or {}, query)
    return query


def _parameter(name: str, spec: Any, query: SavedQuery) -> Parameter:
    where = query.source
    if not isinstance(spec, dict):
        raise InputError(where, f"parameter {name}: give type, default and description as keys")
    if not _NAME.match(name):
        raise InputError(where, f"parameter {name!r} is not a SPARQL variable name")
    if not re.search(rf"[?$]{name}\b", _strip_comments(query.text)):
        raise InputError(where, f"parameter {name} is declared but the query has no ?{name}")
    kind = str(spec.get("type", ""))
    if kind not in PARAMETER_TYPES:
        raise InputError(where, f"parameter {name}: type {kind!r} is not one of {', '.join(PARAMETER_TYPES)}")
    if kind == "concept" and not spec.get("scheme"):
        raise InputError(where, f"parameter {name}: a concept parameter needs `scheme` (e.g. sample-type)")
    default = spec.get("default")
    parameter = Parameter(
        name=name, type=kind, default=None if default is None else _yaml_text(default),
        description=" ".join(str(spec.get("description", "")).split()),
        scheme=spec.get("scheme"), datatype=spec.get("datatype"), language=spec.get("language"),
    )
    if parameter.default is not None:
        try:
            parse_value(parameter, parameter.default)
        except UsageError as exc:
            raise InputError(where, f"parameter {name}: default {parameter.default!r} is invalid "
                                    f"({exc.message})") from exc
    return parameter


def _yaml_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _strip_comments(text: str) -> str:
    for kind, start, end in reversed(_tokens(text)):
        if kind == "comment":
            text = text[:start] + " " * (end - start) + text[end:]
    return text


# --- saved questions on disk --------------------------------------------------------------


def saved_queries(directory: Path | None = None, broken: dict[str, InputError] | None = None
                  ) -> dict[str, SavedQuery]:
    """Every `.rq` file of the directory (default: the bundled `queries/`), by name. With
    `broken`, a file that cannot be read is put there by name, and the others are still read
    (one draft does not block a folder's questions); without, it raises."""
    folder = directory or resources.queries_dir()
    found: dict[str, SavedQuery] = {}
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        try:
            found[path.stem] = read_query_file(path)
        except InputError as exc:
            if broken is None:
                raise
            broken[path.stem] = exc
    return found


def read_query_file(path: Path, name: str | None = None) -> SavedQuery:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot be read as a UTF-8 query ({exc})") from exc
    return parse_saved(text, str(path), name)


# --- values -> RDF terms ------------------------------------------------------------------


def parse_values(parameter: Parameter, raw: str) -> list[Term]:
    """The terms a value stands for: one, or the countries of a UN M49 region a country
    parameter is given ("Central America": Belize ... Panama)."""
    if parameter.type == "country":
        known = countries()
        region = known.region(raw.strip())
        if region is not None:
            return [ox.NamedNode(str(iri)) for iri in known.in_region(region)]
    return [parse_value(parameter, raw)]


def parse_value(parameter: Parameter, raw: str) -> Term:
    """The RDF term a parameter value stands for, or a UsageError saying what is accepted."""
    value = raw.strip()
    if parameter.type == "country":
        return _country(parameter.name, value)
    if parameter.type == "concept":
        return _concept(parameter, value)
    if parameter.type == "iri":
        return _iri(parameter.name, value)
    datatype = _expand(parameter.datatype) if parameter.datatype else None
    if datatype == str(XSD.boolean):
        if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise UsageError(f"parameter {parameter.name}: {raw!r} is not true or false")
        value = "true" if value.lower() in ("true", "1", "yes") else "false"
    elif datatype == str(XSD.integer) and not re.fullmatch(r"[+-]?\d+", value):
        raise UsageError(f"parameter {parameter.name}: {raw!r} is not an integer")
    if parameter.language:
        return ox.Literal(raw, language=parameter.language)
    if datatype:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(raw)


def _looks_like_iri(value: str) -> bool:
    value = value.strip()
    return (value.startswith("<") and value.endswith(">")) or bool(re.match(r"[A-Za-z][\w+.-]*:\S", value))


def _expand(value: str) -> str:
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return str(PREFIXES[prefix]) + local
    return value


def _iri(name: str, value: str) -> ox.NamedNode:
    text = value[1:-1] if value.startswith("<") and value.endswith(">") else _expand(value)
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise UsageError(f"parameter {name}: {value!r} is not an absolute IRI ({exc})",
                         hint="give a full IRI such as https://w3id.org/migrmeta/survey/ph-sof "
                              "or a prefixed name such as survey:ph-sof") from exc


_COUNTRY_HINT = ("give an ISO 3166 alpha-3 code (SEN), an alpha-2 code (SN) or a name (Senegal, "
                 "Côte d'Ivoire, UK); the list is ontology/countries.ttl")


def _country(name: str, value: str) -> ox.NamedNode:
    known = countries()
    try:
        return ox.NamedNode(str(known.resolve(value)))
    except BadValue as exc:
        region = known.near_region(value)
        if region is None:
            raise UsageError(f"parameter {name}: {exc}", hint=_COUNTRY_HINT) from exc
        raise UsageError(
            f'parameter {name}: "{value}" is neither a country nor a UN M49 region; did you mean "{region}"?',
            hint="a region is written by its UN M49 English name: a region (Africa, Americas), a sub-region "
                 "(Sub-Saharan Africa, Latin America and the Caribbean, Southern Asia) or an intermediate "
                 f"region (Western Africa, Caribbean); or {_COUNTRY_HINT}",
        ) from exc


def scheme_notations(scheme: str) -> dict[str, str]:
    """Notation -> concept IRI for one of the project's concept schemes."""
    return {entry.notation: entry.iri for entry in _scheme(scheme).entries.values()}


def _scheme(scheme: str) -> Concepts:
    path = resources.vocabulary_dir() / f"{scheme}.ttl"
    if not path.is_file():
        raise UsageError(f"no concept scheme {scheme!r} in {resources.vocabulary_dir()}")
    return scheme_concepts(path)


def _concept(parameter: Parameter, value: str) -> ox.NamedNode:
    """A notation, a concept IRI or a label in any language of the scheme (`grappes`)."""
    scheme = str(parameter.scheme)
    concepts = _scheme(scheme)
    try:
        return ox.NamedNode(str(concepts.resolve(scheme, value)))
    except BadValue as exc:
        raise UsageError(
            f"parameter {parameter.name}: {exc}",
            hint="use one of: " + ", ".join(sorted(scheme_notations(scheme))),
        ) from exc


# --- VALUES injection ---------------------------------------------------------------------

# IRIREF as the SPARQL grammar defines it; a `<` that does not start one is an operator.
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LONG_STRING = re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"", re.S)
_STRING = re.compile(r"'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"")
_WORD = re.compile(r"[A-Za-z_][\w-]*")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) for comments, strings, IRIs, braces and words, in order.

    Just enough lexing to find braces and keywords that are really syntax: `{` inside a
    string, an IRI or a comment is skipped, and so is a keyword inside a prefixed name.
    """
    tokens: list[tuple[str, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            tokens.append(("comment", i, end))
            i = end
        elif ch in "'\"":
            match = _LONG_STRING.match(text, i) or _STRING.match(text, i)
            end = match.end() if match else n
            tokens.append(("string", i, end))
            i = end
        elif ch == "<" and (match := _IRIREF.match(text, i)):
            tokens.append(("iri", i, match.end()))
            i = match.end()
        elif ch in "{}":
            tokens.append((ch, i, i + 1))
            i += 1
        elif ch in "?$:" or ch.isalnum() or ch == "_":
            start = i
            i += 1
            while i < n and (text[i].isalnum() or text[i] in "_-.:%" or text[i] == "\\"):
                i += 2 if text[i] == "\\" else 1
            word = text[start:i].rstrip(".")
            i = start + len(word)
            plain = ch not in "?$:" and ":" not in word and _WORD.fullmatch(word)
            tokens.append(("word" if plain else "name", start, i))
        else:
            i += 1
    return tokens


def where_position(text: str) -> int:
    """Offset just after the `{` that opens the query's WHERE clause."""
    depth = 0
    form = ""
    groups_seen = 0
    previous = ""
    for kind, start, end in _tokens(text):
        if kind == "word" and depth == 0:
            word = text[start:end].upper()
            if not form and word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
                form = word
            previous = word
        elif kind == "{":
            if depth == 0 and form:
                groups_seen += 1
                if form == "CONSTRUCT" and groups_seen == 1:
                    if previous == "WHERE":  # CONSTRUCT WHERE { triples }: no room for VALUES
                        raise UsageError("the short form CONSTRUCT WHERE { ... } cannot take parameters",
                                         hint="write CONSTRUCT { template } WHERE { pattern }")
                else:  # CONSTRUCT { template } WHERE? { pattern }: the template is skipped
                    return end
            depth += 1
            previous = "{"
        elif kind == "}":
            depth -= 1
            previous = "}"
        elif kind not in ("comment",) and depth == 0:
            previous = kind
    raise UsageError("cannot find the WHERE clause of the query to bind its parameters",
                     hint="a query with parameters needs a SELECT, CONSTRUCT, DESCRIBE or ASK form "
                          "with a WHERE { ... }")


def values_block(bindings: Mapping[str, Binding]) -> str:
    """`VALUES (?a ?b) { (<iri> "literal") }`, terms written by pyoxigraph (escaped); a row per
    combination of the alternatives."""
    names = sorted(bindings)
    for name in names:
        if not _NAME.match(name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
    variables = " ".join(f"?{name}" for name in names)
    rows = itertools.product(*(alternatives(bindings[name]) for name in names))
    return f" VALUES ({variables}) {{ {' '.join('(' + ' '.join(map(str, row)) + ')' for row in rows)} }} "


def inject_values(text: str, bindings: Mapping[str, Binding]) -> str:
    """The query with the bindings as a VALUES block at the start of its WHERE clause."""
    if not bindings:
        return text
    position = where_position(text)
    return text[:position] + values_block(bindings) + text[position:]


def resolve_question(question: str | None = None, *, text: str | None = None,
                     folder: Path | None = None) -> SavedQuery:
    """One query: a saved question's name, a .rq file, or the query `text` itself."""
    if (question is None) == (text is None):
        raise UsageError("give one query: a saved question name, a .rq file, or the query text",
                         hint="the saved questions: {`migrmeta query --list`|migrmeta.querying.saved.saved_queries()}")
    if text is not None:
        return parse_saved(text, "<query text>", "query")
    assert question is not None
    if Path(question).is_file():
        return read_query_file(Path(question))
    broken: dict[str, InputError] = {}
    saved = saved_queries(folder, broken)
    if question in broken:
        raise broken[question]
    if Path(question).is_dir() and question not in saved:
        raise UsageError(f"{question} is a folder, not a query: give a .rq file, a saved question's name, "
                         "or the query text",
                         hint="a folder of saved questions is given with {--queries DIR|folder=}, "
                              "e.g. {`migrmeta query --queries DIR --list`|saved_queries(Path(\"DIR\"))}")
    if question in saved:
        return saved[question]
    if question.lower().endswith(".rq") or any(sep in question for sep in ("/", os.sep)):  # meant as a file
        raise InputError(question, "no such file or directory",  # unreadable input: exit 3, as validate's
                         hint="check the path; the saved questions are listed by "
                              "{`migrmeta query --list`|migrmeta.querying.saved.saved_queries()}")
    raise UsageError(f"no saved question or file named {question!r}",
                     hint="saved questions: " + ", ".join(saved) if saved else None)
