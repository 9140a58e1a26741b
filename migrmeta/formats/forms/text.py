"""The form as text: reading YAML/JSON form files, writing them, and writing records as Turtle.

YAML is read as YAML 1.2 (only true/false are booleans, so `no` and `NO` (Norway) stay
words; dates stay text; a key given twice is an error naming the line). Written YAML heads each
questionnaire item with its number, name and question (`item_texts`, from the ontology), so a
contributor sees what is asked next to the answer.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from typing import Any

import yaml
from rdflib import Graph, Literal

from migrmeta.errors import InputError
from migrmeta.formats.forms.fields import SECTION, SECTIONS, Field, Section, field_by_key
from migrmeta.load.reference import Reference
from migrmeta.namespaces import MM, RDF, SKOS
from migrmeta.rdf.encoding import check_text
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


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans only (`no` stays the word no, `NO` stays Norway), dates stay text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark)
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
_Dumper.add_representer(bool, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str",
                                                              "yes" if v else "no"))


def read_form(data: bytes, source: str) -> Any:
    """Form text (YAML, or JSON when the name ends in .json) -> a dict; errors name the line."""
    text = check_text(data, source)
    if source.lower().endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"is not valid JSON: {exc.msg}", line=exc.lineno,
                             column=exc.colno) from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(source, f"is not a valid form: {problem}",
                         line=mark.line + 1 if mark else None,
                         column=mark.column + 1 if mark else None,
                         hint="check the indentation and put text containing ': ' in quotes"
                         ) from exc


def form_json(form: Any) -> str:
    return json.dumps(form, indent=2, ensure_ascii=False) + "\n"


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
                body = _entity_lines(entry, section, items, notes)
                lines += ["- " + body[0], *[("  " + b).rstrip() for b in body[1:]]]
    else:
        flat = {k: v for k, v in form.items() if k not in ("resources", "agencies")}
        lines += _entity_lines(flat, SECTION["surveys"], items, notes)
        for section in sections:
            lines += ["", f"{section.name}:"]
            for entry in form[section.name]:
                body = _entity_lines(entry, section, items, notes)
                lines += ["- " + body[0], *[("  " + b).rstrip() for b in body[1:]]]
    return "\n".join(lines).lstrip("\n") + "\n"


def _entity_lines(entry: Any, section: Section, items: dict[int, tuple[str, str]],
                  notes: Callable[[Field], list[str]] | None) -> list[str]:
    if not isinstance(entry, dict):
        return _dump({"entry": entry})
    lines: list[str] = []
    current: int | None = 0
    for key, value in entry.items():
        f = field_by_key(section.fields, key)
        if f is not None and f.item != current and section.name != "agencies":
            current = f.item
            name, question = items.get(f.item, ("", "")) if f.item else ("Sources and record", "")
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
