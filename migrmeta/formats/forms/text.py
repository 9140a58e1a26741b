"""The form as text: reading YAML/JSON form files, writing them, and writing records as Turtle.

YAML is read as YAML 1.2 (only true/false are booleans, so `no` and `NO` (Norway) stay
words; dates, numbers with a point (`12.500`) and numbers written otherwise than in plain
decimal digits (`012500`, `1_000`) stay text; a key given twice is an error naming the line).
Written YAML heads each questionnaire item with its number, name and question (`item_texts`,
from the ontology), so a contributor sees what is asked next to the answer.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal

from migrmeta.errors import InputError, UsageError
from migrmeta.formats.forms.fields import SECTION, SECTIONS, Field, Section, field_by_key
from migrmeta.jsontext import json_text
from migrmeta.limits import current
from migrmeta.load.reference import Reference
from migrmeta.messages import message
from migrmeta.namespaces import MM, RDF, SKOS
from migrmeta.rdf.encoding import check_strings, check_text
from migrmeta.rdf.jsonld_in import load_json
from migrmeta.rdf.turtle import turtle


def item_texts(reference: Reference, lang: str = "en") -> dict[int, tuple[str, str]]:
    """Item number -> (name, question) in `lang`, from the ontology's mm:item1..14."""
    names = reference.item_names()
    texts: dict[int, tuple[str, str]] = {}
    for item in reference.graph.subjects(RDF.type, MM.QuestionnaireItem):
        number = reference.graph.value(item, SKOS.notation)
        if number is None:
            continue
        questions = {q.language: str(q) for q in reference.graph.objects(item, SKOS.definition)
                     if isinstance(q, Literal)}
        n = int(str(number))
        name = names.get(n, {})
        texts[n] = (name.get(lang) or name.get("en", ""), questions.get(lang) or questions.get("en", ""))
    return texts


# Short prefixes for the concept schemes, as the hand-written records use them.
SCHEME_PREFIXES = {
    "st": "sample-type", "su": "sampling-unit", "sd": "survey-design", "pop": "population",
    "mt": "migrant-type", "ic": "identification-criterion", "dis": "dissemination",
    "acc": "access-level", "role": "agency-role", "status": "survey-status",
    "fw": "migration-framework",
}


def record_turtle(graph: Graph, source: str | None = None) -> bytes:
    """A record as Turtle with the one writer: the same bytes for the same graph."""
    header = [f"Written by migrmeta from {source}; check it with `migrmeta validate`."] if source else []
    return turtle(graph, header=header).encode("utf-8")


class _Refused(yaml.composer.ComposerError):
    """Hostile YAML: a limit or a rule of migrmeta, not a YAML syntax error."""


class _Twice(yaml.constructor.ConstructorError):
    """A key given twice in one mapping (YAML would keep the last in silence)."""


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans only (`no` stays the word no, `NO` stays Norway), dates stay text.

    Hostile YAML is refused with its line: more aliases than the `yaml_aliases` limit, an
    alias of a node that itself holds aliases or is not finished (how alias bombs and cycles
    grow), nesting deeper than the `depth` limit, and keys that are not plain values (`? [a, b]`).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._limits = current()
        self._aliases = 0
        self._depth = 0
        self._finished: set[int] = set()
        self._holds_alias: set[int] = set()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            self._aliases += 1
            target = self.anchors.get(event.anchor)
            problem = (f"more than {self._limits.yaml_aliases} aliases (limit `yaml_aliases`)"
                       if self._aliases > self._limits.yaml_aliases else
                       f"the alias *{event.anchor} refers to a node that holds aliases or contains it; "
                       "nested aliases are refused (alias bombs)"
                       if target is not None and (id(target) in self._holds_alias or id(target) not in self._finished)
                       else None)
            if problem:
                raise _Refused(None, None, problem, event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > self._limits.depth:
            raise _Refused(None, None, f"nested more than {self._limits.depth} levels deep "
                                              "(limit `depth`)", self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        before = self._aliases
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._finished.add(id(node))
        if self._aliases > before:
            self._holds_alias.add(id(node))
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(None, None, "a key must be a plain word, not a list or a mapping",
                               key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _Twice(None, None, message("parser.yaml_key_twice", "en", key=repr(key)), key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _Dumper(yaml.SafeDumper):
    pass


_BOOL = "tag:yaml.org,2002:bool"
for _cls in (_Loader, _Dumper):
    _cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers
                if tag not in (_BOOL, "tag:yaml.org,2002:timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _cls.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                               list("tTfF"))
# a number with a point stays as written (12.500 is 12500 to many, 12.5 to YAML): the answer's parser
# (values/numbers.py) reads it and asks rather than guesses
_Loader.yaml_implicit_resolvers = {first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:float"]
                                   for first, resolvers in _Loader.yaml_implicit_resolvers.items()}
# an integer is plain decimal digits: YAML 1.1 read `012500` as octal (5440), `1:30` as 90 and
# `00123` (an id) as 83, in silence (a reviewer's find). Anything else stays as written, for the
# answer's parser to read or refuse; the dumper keeps YAML 1.1's resolver, so it quotes them.
_INT = "tag:yaml.org,2002:int"
_Loader.yaml_implicit_resolvers = {first: [(tag, rx) for tag, rx in resolvers if tag != _INT]
                                   for first, resolvers in _Loader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Dumper.add_representer(bool, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str",
                                                              "yes" if v else "no"))


def read_form(data: bytes, source: str) -> Any:
    """Form text (YAML, or JSON when the name ends in .json) -> a dict; errors name the line."""
    text = check_text(data, source, kind="a form (YAML or JSON text)",
                      resave="a form is text: `migrmeta export form` or `migrmeta template --format yaml` writes one")
    if source.lower().endswith(".json"):
        return load_json(text, source)  # nesting bound by the `depth` limit
    try:
        return check_strings(yaml.load(text, Loader=_Loader), source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        if problem.startswith("found character '\\t'"):  # PyYAML's words for a tab: said as the fix
            problem = message("parser.yaml_tab", "en")
        hint = "input.form_refused_hint" if isinstance(exc, _Refused) else \
            "input.form_key_twice_hint" if isinstance(exc, _Twice) else "input.form_indentation_hint"
        raise InputError(source, message("input.not_a_form", "en", problem=problem),
                         line=mark.line + 1 if mark else None,
                         column=mark.column + 1 if mark else None,
                         hint=message(hint, "en")) from exc
    except yaml.YAMLError as exc:  # e.g. a character YAML does not allow
        raise InputError(source, message("input.not_a_form", "en", problem=exc)) from exc


FORM_SUFFIXES = {".yaml": False, ".yml": False, ".json": True}  # a form file's extension -> is it JSON


def form_is_json(path: Path) -> bool:
    """Whether the form file `path` is written as JSON (.json) or YAML (.yaml, .yml); another extension is refused."""
    as_json = FORM_SUFFIXES.get(path.suffix.lower())
    if as_json is None:
        raise UsageError(f"{path}: write the form as .yaml or .yml (with the questions) or .json; nothing was written",
                         hint=f"give a name such as {path.with_suffix('.yaml').name}")
    return as_json


def form_json(form: Any) -> str:
    return json_text(form) + "\n"


def form_yaml(form: Any, reference: Reference, *, lang: str = "en",
              notes: Callable[[Field], list[str]] | None = None, header: str = "") -> str:
    """A form as YAML, each questionnaire item headed by its number, name and question."""
    items = item_texts(reference, lang)
    lines = [f"# {line}".rstrip() for line in header.splitlines()] + ([""] if header else [])
    sections = [s for s in SECTIONS if isinstance(form.get(s.name), list)]
    if "surveys" in form or "series" in form:
        for section in sections:
            lines += ["", f"{section.name}:"]
            for entry in form[section.name]:
                body = _entity_lines(entry, section, items, notes, lang)
                lines += ["- " + body[0], *[("  " + b).rstrip() for b in body[1:]]]
    else:
        flat = {k: v for k, v in form.items() if k not in ("resources", "agencies")}
        lines += _entity_lines(flat, SECTION["surveys"], items, notes, lang)
        for section in sections:
            lines += ["", f"{section.name}:"]
            for entry in form[section.name]:
                body = _entity_lines(entry, section, items, notes, lang)
                lines += ["- " + body[0], *[("  " + b).rstrip() for b in body[1:]]]
    return "\n".join(lines).lstrip("\n") + "\n"


def _entity_lines(entry: Any, section: Section, items: dict[int, tuple[str, str]],
                  notes: Callable[[Field], list[str]] | None, lang: str) -> list[str]:
    if not isinstance(entry, dict):
        return _dump({"entry": entry})
    lines: list[str] = []
    current: int | None = 0
    for key, value in entry.items():
        f = field_by_key(section.fields, key)
        if f is not None and f.item != current and section.name != "agencies":
            current = f.item
            name, question = items.get(f.item, ("", "")) if f.item else (message("template.sources", lang), "")
            lines += ["", f"# {f.item}. {name}" if f.item else f"# {name}"]
            lines += [f"#    {part}" for part in textwrap.wrap(question, 88, break_on_hyphens=False)]
        if f is not None and notes:
            lines += [f"# {n}".rstrip() for n in notes(f)]
        lines += _dump({key: value})
    return lines if lines and lines[0] else lines[1:]


def _dump(data: dict[str, Any]) -> list[str]:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=96)
    return re.sub(r"(:|-) null$", r"\1", text, flags=re.M).splitlines()
