"""Checking what a form (or a sheet row) became, reported in the contributor's terms.

The built graphs are validated together with the shapes (and against the catalogue); each
finding is mapped back to the survey and the form key it concerns, with CURIEs in messages
replaced by form keys, so a contributor reads `surveys[2] "ph-sof-2019", key "sample_type"`
rather than a focus node and a property path. The shapes speak to people who write RDF
("with a language tag", "the IRI of an agency", "true or false", `"2026-11-30"^^xsd:date`):
`plain_terms` says those phrases in a form's (or a sheet's) own words, in each language, from
the `jargon.*` / `plain.*` entries of messages.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef

from migrmeta.formats.forms.answers import Catalogue, check_graphs
from migrmeta.formats.forms.decode import Builder
from migrmeta.formats.forms.fields import SECTION, Field, Problem, field_path, item_of
from migrmeta.load.reference import Reference
from migrmeta.messages import catalogue as words
from migrmeta.messages import message
from migrmeta.namespaces import PREFIXES
from migrmeta.progress import Progress
from migrmeta.validation.findings import Finding


@dataclass
class Imported:
    """What an importer made of a form (or a sheet row): the graph and its problems."""

    builder: Builder
    problems: list[Problem]

    @property
    def graph(self) -> Graph:
        return self.builder.graph

    @property
    def ok(self) -> bool:
        return not any(p.severity == "violation" for p in self.problems)


def findings_to_problems(findings: list[Finding], builder: Builder, lang: str = "en",
                         medium: str = "form") -> list[Problem]:
    """Map each SHACL / catalogue finding back to the survey and the form key it concerns, said in
    the words of a form (or of a sheet: `medium`); an answer given empty is said to be empty."""
    index = {iri: i for i, (_, _, iri) in enumerate(builder.entities) if iri is not None}
    stand_ins = _stand_ins(builder)
    problems = []
    for finding in findings:
        entity = index.get(URIRef(finding.focus)) if finding.focus else None
        section = builder.entities[entity][0] if entity is not None else "surveys"
        fields = SECTION[section].fields
        key = field_path(fields, finding.path) if finding.path else None
        if key is None and finding.item is not None:
            key = next((f.key for f in fields if f.item == finding.item), None)
        message = f"{finding.message}; {finding.hint}" if finding.hint else finding.message
        if finding.component == "duplicate_iri" and finding.focus:  # an id given twice: said at the id
            key = "id"
            message = message.replace(finding.focus, f'"{finding.focus.rstrip("/").rsplit("/", 1)[-1]}"')
        for pattern, position in stand_ins:  # an entry whose id could not be read: by its place in the form
            message = pattern.sub(position, message)
        message = plain_terms(message, fields, lang, medium, key)
        data = builder.entities[entity][1] if entity is not None else None
        head = (key or "").split(".")[0]
        if isinstance(data, dict) and head in data and data[head] in (None, "", [], {}):
            message = f"the answer is empty: {message}"  # `title: ""`: not a missing key
        severity = finding.severity if finding.severity in ("warning", "info") else "violation"
        problems.append(Problem(entity, key, message, severity, finding.item or item_of(key), finding.shape))
    return problems


def _stand_ins(builder: Builder) -> list[tuple[re.Pattern[str], str]]:
    """The IRIs given the entries whose id could not be read (an id used twice: `survey:unnamed-2`),
    in full or prefixed, each with the entry's place in the form (`surveys[2]`): a contributor
    never wrote the stand-in, and would look for it in vain."""
    found = []
    for i in sorted(builder.unnamed):
        name, _, iri = builder.entities[i]
        if iri is None:
            continue
        position = sum(1 for n, _, _ in builder.entities[: i + 1] if n == name)
        local = re.escape(str(iri).rsplit("/", 1)[-1])
        pattern = re.compile(rf"<?{re.escape(str(iri))}(?![\w-])>?|\b[a-z][a-z-]*:{local}(?![\w-])")
        found.append((pattern, f"{name}[{position}]"))
    return found


_CURIE = re.compile(r"\b(?:" + "|".join(PREFIXES) + r"):[A-Za-z][A-Za-z0-9_-]*")
_ID = re.compile(r"'(?:survey|agency):([A-Za-z0-9._-]+)'")  # 'survey:enquete-emploi': an id of the form
_DAY = re.compile(r'"(\d{4}-\d{2}-\d{2})"\^\^xsd:date')


def plain_terms(message: str, fields: tuple[Field, ...], lang: str = "en", medium: str = "form",
                key: str | None = None) -> str:
    """A shape's message in a contributor's words: its RDF phrases said as a form (or a sheet,
    or `migrmeta new`'s prompts: `medium`) says them (messages.toml, `jargon.*` -> `plain.*`,
    `plain_sheet.*` for a sheet, `plain_prompt.*` for a prompt),
    `dct:isReferencedBy` -> `"publications"` (the form's own key), `'survey:x'` -> `"x"`."""
    table = words()
    for name, jargon in _jargon():
        said = jargon.get(lang) or jargon["en"]
        if said in message:
            plain = table.get(f"plain_{medium}.{name}") or table[f"plain.{name}"]
            message = message.replace(said, (plain.get(lang) or plain["en"]).replace("{key}", key or "..."))

    def form_key(match: re.Match[str]) -> str:
        found = field_path(fields, match.group(0))
        return f"\"{found}\"" if found else match.group(0)

    message = _ID.sub(lambda m: f"\"{m.group(1)}\"", _DAY.sub(r"\1", message))
    return _CURIE.sub(form_key, message)


@cache
def _jargon() -> list[tuple[str, dict[str, str]]]:
    """(name, {lang: phrase}) of the shapes' RDF phrases, the longest first (a phrase holding another wins)."""
    found = [(key.split(".", 1)[1], texts) for key, texts in words().items() if key.startswith("jargon.")]
    return sorted(found, key=lambda item: -len(item[1]["en"]))


def finish(builders: list[tuple[str, Builder]], reference: Reference, *, lang: str = "en",
           catalogue: Catalogue | None = None, progress: Progress | None = None,
           medium: str = "form") -> list[Imported]:
    """Validate built graphs (together) and add the findings to each one's problems, in the
    words of a form (or of a sheet: `medium`).

    A key whose answer could not be read is not also reported as missing by the shapes.
    """
    found = check_graphs([(source, b.graph) for source, b in builders], reference, lang=lang,
                         catalogue=catalogue, progress=progress)
    results = []
    for source, builder in builders:
        answered = {(p.entity, (p.key or "").split(".")[0]) for p in builder.problems}
        answered |= {(i, "identifier") for i in builder.unnamed}
        problems = list(builder.problems)
        for problem in findings_to_problems(found[source], builder, lang, medium):
            if (problem.entity, (problem.key or "").split(".")[0]) not in answered and \
                    problem not in problems:  # one message per key, even for several values
                problems.append(problem)
        for index, (_, data, iri) in enumerate(builder.entities):
            known = catalogue and iri is not None and index not in builder.unnamed
            owner = catalogue.owner(iri) if known and catalogue and iri is not None else None
            if owner:
                problems.append(Problem(index, "id", message("form.already_described", "en", value=data.get("id"),
                                                             owner=owner), "warning"))
        results.append(Imported(builder, problems))
    return results


def where(problem: Problem, builder: Builder, items: dict[int, tuple[str, str]], lang: str = "en") -> str:
    """`surveys[2] "ph-sof-2019", key "sample_type" (item 6, Type of sample)`, in `lang`."""
    parts = []
    # one survey written at the top of the form has no `surveys[1]` to name, agencies beside it or not
    flat = (builder.one_survey and problem.entity is not None and builder.entities[problem.entity][0] == "surveys") \
        or (not any(name != "surveys" for name, _, _ in builder.entities) and len(builder.entities) == 1)
    if problem.entity is not None and not flat:
        name, data, _ = builder.entities[problem.entity]
        position = sum(1 for n, _, _ in builder.entities[: problem.entity + 1] if n == name)
        ident = data.get("id") if isinstance(data, dict) else None
        parts.append(f"{name}[{position}]" + (f" \"{ident}\"" if ident else ""))
    if problem.key:
        item = f" ({message('where.item', lang, number=problem.item, name=items[problem.item][0])})" \
            if problem.item in items else ""
        parts.append(message("where.key", lang, key=problem.key) + item)
    return ", ".join(parts) or message("where.the_form", lang)
