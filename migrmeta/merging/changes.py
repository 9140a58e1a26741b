"""A catalogue diff (`merging.diff`) for people and machines: text, Markdown and JSON.

Every renderer writes the surveys in IRI order and the fields in questionnaire order, then the
agencies that changed (in IRI order, their fields by name), so the same diff always gives the
same bytes (a changelog can be committed and diffed itself).
"""

from __future__ import annotations

import html
import re
from typing import Any

from migrmeta import defaults
from migrmeta.jsontext import json_text
from migrmeta.merging.diff import CatalogueDiff, FieldChange, SurveyDiff
from migrmeta.rdf.curie import curie
from migrmeta.values.text import shortened

JSON_SCHEMA = "https://w3id.org/migrmeta/diff/1"
FORMATS = defaults.DIFF_FORMATS


def summary(diff: CatalogueDiff) -> str:
    """`1 added, 0 removed, 2 changed, 39 unchanged`; a removed survey merge folded onto another
    (owl:sameAs) is counted apart: `1 removed (1 published as another survey)`."""
    moved = sum(1 for s in diff.surveys if s.status == "removed" and s.published_as)
    removed = f"{diff.count('removed')} removed" + (f" ({moved} published as another survey)" if moved else "")
    text = f"{diff.count('added')} added, {removed}, {diff.count('changed')} changed, {diff.unchanged} unchanged"
    if diff.agencies:  # said only when one changed: a diff of surveys alone reads as before
        text += (f"; agencies: {diff.count_agencies('added')} added, {diff.count_agencies('removed')} removed, "
                 f"{diff.count_agencies('changed')} changed")
    return text


def item_label(change: FieldChange) -> str:
    return f"item {change.item} ({change.item_name})" if change.item else "not a questionnaire item"


def render_text(diff: CatalogueDiff) -> str:
    lines = [f"{diff.old} -> {diff.new}: {summary(diff)}"]
    for survey in diff.surveys:
        lines.append("")
        lines.append(f"{survey.status:<8} {curie(survey.survey)}" + (f"  {_one_line(survey.title)}" if survey.title
                                                                     else "") + _published_as(survey))
        for change in survey.changes:
            lines.append(f"  {item_label(change)}: {change.field}")
            lines += [f"    - {_short(v, others=change.new)}" for v in change.old]
            lines += [f"    + {_short(v, others=change.old)}" for v in change.new]
    for agency in diff.agencies:
        lines.append("")
        lines.append(f"{agency.status:<8} {curie(agency.survey)}" + (f"  {_one_line(agency.title)}" if agency.title
                                                                     else ""))
        for change in agency.changes:
            lines.append(f"  {change.field}")
            lines += [f"    - {_short(v, others=change.new)}" for v in change.old]
            lines += [f"    + {_short(v, others=change.old)}" for v in change.new]
    return "\n".join(lines) + "\n"


def render_markdown(diff: CatalogueDiff) -> str:
    lines = [f"# Changes from `{diff.old}` to `{diff.new}`", "", summary(diff).capitalize() + "."]
    for survey in diff.surveys:
        title = survey.title or curie(survey.survey)
        lines += ["", f"## {survey.status.capitalize()}: {_cell(title)} (`{curie(survey.survey)}`)"
                  + _published_as(survey), ""]
        lines += ["| item | field | old value | new value |", "| --- | --- | --- | --- |"]
        for change in survey.changes:
            item = f"{change.item} {change.item_name}" if change.item else "—"
            lines.append(f"| {item} | `{change.field}` | {_values(change.old, change.new)} | "
                         f"{_values(change.new, change.old)} |")
    for agency in diff.agencies:
        name = agency.title or curie(agency.survey)
        lines += ["", f"## Agency {agency.status}: {_cell(name)} (`{curie(agency.survey)}`)", ""]
        lines += ["| field | old value | new value |", "| --- | --- | --- |"]
        lines += [f"| `{c.field}` | {_values(c.old, c.new)} | {_values(c.new, c.old)} |" for c in agency.changes]
    return "\n".join(lines) + "\n"


def to_json(diff: CatalogueDiff) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA,
        "old": diff.old,
        "new": diff.new,
        "summary": {"added": diff.count("added"), "removed": diff.count("removed"),
                    "changed": diff.count("changed"), "unchanged": diff.unchanged},
        "surveys": [_survey_json(s) for s in diff.surveys],
        "agencies_summary": {"added": diff.count_agencies("added"), "removed": diff.count_agencies("removed"),
                             "changed": diff.count_agencies("changed"), "unchanged": diff.agencies_unchanged},
        "agencies": [_agency_json(a) for a in diff.agencies],
    }


def _survey_json(survey: SurveyDiff) -> dict[str, Any]:
    return {
        "survey": survey.survey, "title": survey.title, "status": survey.status,
        "old_hash": survey.old_hash, "new_hash": survey.new_hash, "published_as": survey.published_as,
        "changes": [{"item": c.item, "item_name": c.item_name, "field": c.field, "property": c.property,
                     "old": list(c.old), "new": list(c.new)} for c in survey.changes],
    }


def _agency_json(agency: SurveyDiff) -> dict[str, Any]:
    return {
        "agency": agency.survey, "name": agency.title, "status": agency.status,
        "old_hash": agency.old_hash, "new_hash": agency.new_hash,
        "changes": [{"field": c.field, "property": c.property, "old": list(c.old), "new": list(c.new)}
                    for c in agency.changes],
    }


def render_json(diff: CatalogueDiff) -> str:
    return json_text(to_json(diff)) + "\n"


def render(diff: CatalogueDiff, fmt: str = "text") -> str:
    return {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt](diff)


def _published_as(survey: SurveyDiff) -> str:
    return f"  (published as {curie(survey.published_as)}: owl:sameAs)" if survey.published_as else ""


def _short(text: str, limit: int = 300, others: tuple[str, ...] = ()) -> str:
    """A value as written (with escapes, on one line): its spaces are data, kept as they are.
    Cut where it would read as a value of `others` it is not (an edit past the cut), it shows
    the stretch where they part instead: "…the migrants have a higher education…"."""
    shown = shortened(text, limit, keep_spacing=True)
    for other in others:
        if other != text and shortened(other, limit, keep_spacing=True) == shown:
            start = next((i for i, (a, b) in enumerate(zip(text, other, strict=False)) if a != b),
                         min(len(text), len(other)))
            begin, end = max(0, start - limit // 3), start + limit * 2 // 3
            return ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
    return shown


def _one_line(text: str) -> str:
    """A title on one line. Not for values: a change of spacing alone must not show as two
    equal lines."""
    return shortened(text, 300)


_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")  # emphasis, code, links (no link without its [ ]), cells, strikes


def _cell(text: str) -> str:
    """Text in a Markdown table or heading: one line, its markup shown as text, HTML and Markdown
    alike (a title's `<b>`, `**bold**` or `[link](url)` is the title's, not the page's)."""
    return _MARKDOWN.sub(r"\\\1", html.escape(_one_line(text), quote=False))


def _values(values: tuple[str, ...], others: tuple[str, ...] = ()) -> str:
    return "<br>".join(_code(_short(v, others=others).replace("|", "\\|")) for v in values)


def _code(text: str) -> str:
    """A Markdown code span, with a longer fence when the text holds a backtick."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


__all__ = ["FORMATS", "JSON_SCHEMA", "item_label", "render", "render_json", "render_markdown", "render_text",
           "summary", "to_json"]
