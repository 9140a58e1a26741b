"""What changed since the previous release: `release.json` (the fingerprint) and `changelog.html`.

`publish` reads the previous release from the site it is about to replace (its catalog.ttl
and release.json), compares it with what it is about to write (`merging.diff`: per survey,
per questionnaire item, blank nodes by content), and writes

    release.json     the fingerprint of this release (a content hash per survey) and the
                     changes of the last MAX_ENTRIES releases' surveys, newest first
    changelog.html   those changes, field by field, for people
    feed.xml         the same as an Atom feed, for portals and feed readers (`feed.py`)

A survey removed that the catalogue now names with `owl:sameAs` (merge folded it onto another,
merging/aliases.py) is not withdrawn: its entry says which survey it is published as
(`published_as`, as `migrmeta diff` says it) and links to that survey's page.

A change is an entry with a stable id (the survey IRI, the kind of change, its content hash
and the release date), so republishing the same records adds nothing, and a feed reader
sees each change once. Dates come from the data (the catalogue's and records'
dct:modified, i.e. the records or `publish --date`), never from the clock: the same records
and the same previous site give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from rdflib import Literal
from rdflib.term import Node

from migrmeta.errors import InputError, PublishError
from migrmeta.io.names import survey_name
from migrmeta.jsontext import json_text
from migrmeta.limits import TRUSTED, using
from migrmeta.merging.diff import CatalogueDiff, Description, SurveyDiff, describe, diff_descriptions, published_as
from migrmeta.merging.snapshot import SITE_FILES, read_snapshot, snapshot_of
from migrmeta.namespaces import DCT, FOAF
from migrmeta.publishing.pages.layout import survey_page_path

RELEASE_FILE = "release.json"
SCHEMA = "https://w3id.org/migrmeta/release/1"
MAX_ENTRIES = 100
Triple = tuple[Node, Node, Node]


@dataclass
class Release:
    """This release: its date, the fingerprint of each survey, and the changes kept."""

    catalog: str
    date: str
    surveys: dict[str, str]
    entries: list[dict[str, Any]] = field(default_factory=list)  # newest first
    diff: CatalogueDiff | None = None  # against the previous release (None: there was none)
    aliases: dict[str, str] = field(default_factory=dict)  # IRI -> the survey it is published as (owl:sameAs)

    def to_json(self) -> str:
        document = {"schema": SCHEMA, "catalog": self.catalog, "date": self.date,
                    "surveys": dict(sorted(self.surveys.items())), "changes": self.entries}
        return json_text(document, sort_keys=True) + "\n"


def next_release(previous_site: Path, published: Iterable[Triple], catalog: Node,
                 names: Mapping[str, str]) -> Release:
    """This release, from what is about to be published and the site it replaces (`names`:
    each survey's file name in the site, as `publish` gives it)."""
    published = list(published)
    catalogs = {catalog}  # a set, as namespaces.IS_TYPE
    date = release_date(published, catalogs)
    after = describe(snapshot_of("new", published).triples)
    release = Release(str(catalog), date, {iri: d.hash for iri, d in after.items()},
                      aliases={iri: kept for iri, kept in published_as(after).items() if iri not in after})
    old_entries: list[dict[str, Any]] = []
    if previous_site.is_dir() and any((previous_site / n).is_file() for n in SITE_FILES):
        try:
            previous = _previous_release(previous_site)
            old_entries = previous.get("changes", [])
            with using(TRUSTED):  # migrmeta's own output, as large as the catalogue: not a contributor's file
                before = _previous_descriptions(previous_site, _fingerprints(previous), after, names)
        except InputError as exc:
            raise PublishError(f"the previous release cannot be read to tell what changed: {exc}",
                               hint=f"fix or remove {previous_site}, then publish again") from exc
        release.diff = diff_descriptions(f"release of {previous.get('date', 'the previous site')}", before,
                                         f"release of {date}", after)
    modified = _record_dates(published)
    new_entries = [_entry(s, date, modified, after) for s in (release.diff.surveys if release.diff else [])]
    ids = {e["id"] for e in new_entries}
    kept = [e for e in old_entries if e.get("id") not in ids]
    release.entries = [{**e, "page": _page_now(e, names)} for e in new_entries + kept][:MAX_ENTRIES]
    return release


def _page_now(entry: dict[str, Any], names: Mapping[str, str]) -> str | None:
    """The entry's page as this release names it: the survey's, or the one of the survey an
    alias is published as; none for a survey removed."""
    shown = entry.get("published_as") or (entry.get("survey") if entry.get("status") != "removed" else None)
    return page_of(str(shown), names) if shown else None


def _previous_descriptions(site: Path, hashes: dict[str, str] | None, after: dict[str, Description],
                           names: Mapping[str, str]) -> dict[str, Description]:
    """The previous release's surveys, as `describe` gives them. Its release.json keeps each
    survey's fingerprint: a survey whose fingerprint is unchanged is described as now, and only
    the others are read, from their own file (surveys/<id>.ttl), each checked against its
    fingerprint. A site without fingerprints, or a file that does not match, is read whole."""
    if hashes is None:
        return describe(read_snapshot(str(site)).triples)
    found = {iri: after[iri] for iri, digest in hashes.items() if iri in after and after[iri].hash == digest}
    for iri in sorted(set(hashes) - set(found)):
        name = names.get(iri) or survey_name(iri)  # a survey removed since: the name its IRI gave it
        path = site / "surveys" / f"{name}.ttl" if name else None
        own = describe(read_snapshot(str(path)).triples).get(iri) if path is not None and path.is_file() else None
        if own is None or own.hash != hashes[iri]:
            return describe(read_snapshot(str(site)).triples)
        found[iri] = own
    return found


def _fingerprints(release: dict[str, Any]) -> dict[str, str] | None:
    """Survey IRI -> fingerprint, from the previous release (None: it kept none)."""
    surveys = release.get("surveys")
    if not isinstance(surveys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in surveys.items()):
        return None
    return surveys


def release_files(release: Release, title: str, base_url: str | None) -> Iterator[tuple[str, str]]:
    """The files this module and `feed.py` add to the site."""
    from migrmeta.publishing.feed import atom_feed

    yield RELEASE_FILE, release.to_json()
    yield "changelog.html", changelog_page(release, title)
    yield "feed.xml", atom_feed(release, title, base_url)


def _previous_release(site: Path) -> dict[str, Any]:
    """The previous site's release.json, read once ({} when it has none): its changes must be
    readable, for they are kept; its date and fingerprints may be missing."""
    path = site / RELEASE_FILE
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["changes"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) and "id" in e for e in entries):
            raise ValueError("`changes` is not a list of entries")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"is not a release file migrmeta can read ({exc})") from exc
    return document  # type: ignore[no-any-return]


def release_date(statements: Iterable[Triple], catalogs: set[Node]) -> str:
    """A release's date: the catalogue's dct:modified (YYYY-MM-DD), or "" when it has none."""
    return _date(next((o for s, p, o in statements if s in catalogs and p == DCT.modified), None)) or ""


def nothing_changed(statements: Iterable[Triple], catalog: Node, surveys: int) -> CatalogueDiff:
    """What changed since the previous release when this one is made from the same records and
    settings (its files taken over, publishing/reuse.py): nothing."""
    name = f"release of {release_date(statements, {catalog})}"
    return CatalogueDiff(name, name, unchanged=surveys)


def _date(value: Node | None) -> str | None:
    return str(value)[:10] if isinstance(value, Literal) else None


def _record_dates(published: list[Triple]) -> dict[str, str]:
    """Survey -> its catalogue record's dct:modified (the date its description last changed)."""
    primary, modified = {FOAF.primaryTopic}, {DCT.modified}  # sets, as namespaces.IS_TYPE
    topic = {s: o for s, p, o in published if p in primary}
    return {str(topic[s]): d for s, p, o in published if p in modified and s in topic
            for d in [_date(o)] if d}


def page_of(survey: str, names: Mapping[str, str]) -> str | None:
    """The survey's page in this release, relative to the site's root (the English one: the
    changelog and the feed are in English), or None when the survey is not in it."""
    name = names.get(survey)
    return survey_page_path(name) if name is not None else None


def _entry(survey: SurveyDiff, date: str, modified: dict[str, str], after: Mapping[str, Description]
           ) -> dict[str, Any]:
    content = survey.new_hash or survey.old_hash or ""
    changes = [{"item": c.item, "item_name": c.item_name, "field": c.field, "old": list(c.old), "new": list(c.new)}
               for c in survey.changes] if survey.status == "changed" else []
    kept = after.get(survey.published_as) if survey.published_as else None
    return {
        "id": f"{survey.survey}#{survey.status}-{date}-{content[:16]}",
        "survey": survey.survey, "title": survey.title, "status": survey.status, "hash": content,
        "release": date, "updated": modified.get(survey.survey, date) if survey.status != "removed" else date,
        "items": sorted({c.item for c in survey.changes if c.item}) if survey.status == "changed" else [],
        "changes": changes,
        # only on an alias's entry: the entries of earlier releases stay as they were written
        **({"published_as": survey.published_as, "published_as_title": kept.title if kept else ""}
           if survey.published_as else {}),
    }


def heading(entry: dict[str, Any]) -> str:
    """What happened to the survey, as the changelog and the feed title it: `Changed`, `Removed`,
    or, for an alias, `Published under another IRI` (not a withdrawal)."""
    return "Published under another IRI" if entry.get("published_as") else str(entry["status"]).capitalize()


def entry_summary(entry: dict[str, Any]) -> str:
    """One line: `Changed: item 4 (Time frame): dct:temporal; not a questionnaire item: dct:source`."""
    if entry.get("published_as"):
        kept = f"“{entry['published_as_title']}” ({entry['published_as']})" if entry.get("published_as_title") \
            else entry["published_as"]
        return (f"Published as {kept} from the release of {entry['release']}: the same survey (owl:sameAs), "
                "now described under one IRI, not withdrawn.")
    if entry["status"] != "changed":
        return f"{entry['status'].capitalize()} in the release of {entry['release']}."
    parts: dict[str, list[str]] = {}
    for change in entry["changes"]:
        label = f"item {change['item']} ({change['item_name']})" if change["item"] else "not a questionnaire item"
        parts.setdefault(label, []).append(change["field"])
    return "Changed: " + "; ".join(f"{label}: {', '.join(fields)}" for label, fields in parts.items()) + "."


def changelog_page(release: Release, title: str) -> str:
    """changelog.html: the changes kept, newest release first, field by field."""
    body = ['<body>\n<nav aria-label="Catalogue"><a href="index.html">' + escape(title) + "</a></nav>", "<main>",
            f"<h1>Changes to {escape(title)}</h1>",
            '<p>Subscribe: <a href="feed.xml">Atom feed</a>. What changed, in the machine-readable form: '
            f'<a href="{RELEASE_FILE}">{RELEASE_FILE}</a>.</p>']
    if not release.entries:
        body.append('<p class="none">No changes recorded yet: the first release is the baseline; each later '
                    "release lists what changed since the one before.</p>")
    for date in dict.fromkeys(e["release"] for e in release.entries):
        body.append(f'<section aria-labelledby="release-{escape(date)}"><h2 id="release-{escape(date)}">'
                    f"Release of {escape(date)}</h2>")
        body += [_entry_html(e) for e in release.entries if e["release"] == date]
        body.append("</section>")
    body += ["</main>", "</body>", "</html>"]
    return _head(f"Changes – {title}", '<link rel="alternate" type="application/atom+xml" href="feed.xml">\n') \
        + "\n".join(body) + "\n"


def _head(title: str, extra: str = "") -> str:
    """The changelog's <head>, with the site's stylesheet (English only, like the feed)."""
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{escape(title)}</title>\n{extra}<link rel="stylesheet" href="assets/site.css">\n</head>\n')


def _entry_html(entry: dict[str, Any]) -> str:
    name = escape(entry["title"] or entry["survey"])
    link = f'<a href="{escape(entry["page"])}">{name}</a>' if entry.get("page") else name
    lines = [f'<article id="{escape(anchor(entry))}">', f"<h3>{escape(heading(entry))}: {link}</h3>",
             f"<p><code>{escape(entry['survey'])}</code>{_published_as(entry)}"
             f" (updated {escape(entry['updated'])})</p>"]
    if entry["changes"]:
        lines.append('<table><thead><tr><th scope="col">Item</th><th scope="col">Field</th>'
                     '<th scope="col">Old value</th><th scope="col">New value</th></tr></thead><tbody>')
        for change in entry["changes"]:
            item = f"{change['item']}. {change['item_name']}" if change["item"] else "—"
            lines.append(f"<tr><td>{escape(item)}</td><td><code>{escape(change['field'])}</code></td>"
                         f"<td>{_values(change['old'])}</td><td>{_values(change['new'])}</td></tr>")
        lines.append("</tbody></table>")
    lines.append("</article>")
    return "\n".join(lines)


def _published_as(entry: dict[str, Any]) -> str:
    """For an alias: ` is now published as <the survey kept, linked to its page> (<its IRI>, owl:sameAs)`."""
    kept = entry.get("published_as")
    if not kept:
        return ""
    name = escape(entry.get("published_as_title") or kept)
    shown = f'<a href="{escape(entry["page"])}">{name}</a>' if entry.get("page") else name
    return f" is now published as {shown} (<code>{escape(kept)}</code>, owl:sameAs): the same survey, not withdrawn"


def _values(values: list[str]) -> str:
    return "<br>".join(f"<code>{escape(v)}</code>" for v in values) or '<span class="none">—</span>'


def anchor(entry: dict[str, Any]) -> str:
    """The entry's id in changelog.html: its kind, date and hash, and the survey's name."""
    local = re.sub(r"[^A-Za-z0-9._-]", "-", entry["survey"].rstrip("/").rsplit("/", 1)[-1])
    return f"{entry['id'].rsplit('#', 1)[-1]}-{local}"


__all__ = ["MAX_ENTRIES", "RELEASE_FILE", "Release", "anchor", "changelog_page", "entry_summary", "heading",
           "next_release", "nothing_changed", "page_of", "release_date", "release_files"]
