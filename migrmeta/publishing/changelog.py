"""What changed since the previous release: `release.json` (the fingerprint), the changelog and the feeds.

`publish` reads the previous release from the site it is about to replace (its catalog.ttl
and release.json), compares it with what it is about to write (`merging.diff`: per survey,
per questionnaire item, blank nodes by content), and writes

    release.json            the fingerprint of this release (a content hash per survey) and the
                            changes of the last MAX_ENTRIES releases' surveys, newest first
    <lang>/changelog.html   those changes, field by field, for people, in en, fr, es
                            (pages/changes.py); changelog.html at the root chooses a language
    <lang>/feed.xml         the same as an Atom feed, for portals and feed readers (`feed.py`);
                            feed.xml at the root is the English one, where subscribers have it

release.json keeps what happened in the catalogue's terms (the fields as prefixed names, the
titles as recorded); the pages and feeds put it in each language's words when they are written.

A survey removed that the catalogue now names with `owl:sameAs` (merge folded it onto another,
merging/aliases.py) is not withdrawn: its entry says which survey it is published as
(`published_as`, as `migrmeta diff` says it) and links to that survey's page.

A change is an entry with a stable id (the survey IRI, the kind of change, its content hash
and the release date), so republishing the same records adds nothing, and a feed reader
sees each change once. Dates come from the data (the catalogue's and records'
dct:modified, i.e. the records or `publish --date`, and the previous release's date, which a
release never precedes), never from the clock: the same records and the same previous site
give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.errors import InputError, PublishError
from migrmeta.io.names import survey_name
from migrmeta.jsontext import json_text
from migrmeta.limits import TRUSTED, using
from migrmeta.merging.diff import (
    CatalogueDiff,
    Description,
    SurveyDiff,
    describe,
    diff_agencies,
    diff_descriptions,
    published_as,
    surveys_and_agencies,
)
from migrmeta.merging.snapshot import SITE_FILES, read_snapshot, snapshot_of
from migrmeta.namespaces import DCT, FOAF
from migrmeta.publishing.pages.labels import DEFAULT_LANGUAGE, LANGUAGES
from migrmeta.publishing.pages.layout import CHANGELOG, FEED, PageInfo, agency_page
from migrmeta.publishing.pages.model import SiteData
from migrmeta.values.dates import day_of

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
    agencies: dict[str, str] = field(default_factory=dict)  # the fingerprint of each agency
    # each survey's date as its catalogue record gives it (dct:modified), what a harvester compares
    modified: dict[str, str] = field(default_factory=dict)
    # changed since the previous release, yet dated no later than that release dated it: a
    # harvester going by the date does not fetch it again (survey IRI -> the date)
    stale: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        document = {"schema": SCHEMA, "catalog": self.catalog, "date": self.date,
                    "surveys": dict(sorted(self.surveys.items())), "agencies": dict(sorted(self.agencies.items())),
                    "modified": dict(sorted(self.modified.items())), "changes": self.entries}
        return json_text(document, sort_keys=True) + "\n"


def next_release(previous_site: Path, published: Iterable[Triple], catalog: Node, site: SiteData) -> Release:
    """This release, from what is about to be published and the site it replaces (`site`: the
    pages' view of it, each survey's and agency's file name as `publish` gives it)."""
    published = list(published)
    names = {str(survey): name for survey, name in site.names.items()}
    catalogs = {catalog}  # a set, as namespaces.IS_TYPE
    date = release_date(published, catalogs)
    # the agencies too: a renamed agency changes the pages, a change to tell
    after, agencies = surveys_and_agencies(snapshot_of("new", published).triples)
    release = Release(str(catalog), date, {iri: d.hash for iri, d in after.items()},
                      aliases={iri: kept for iri, kept in published_as(after).items() if iri not in after},
                      agencies={iri: d.hash for iri, d in agencies.items()})
    old_entries: list[dict[str, Any]] = []
    previous: dict[str, Any] = {}
    if previous_site.is_dir() and any((previous_site / n).is_file() for n in SITE_FILES):
        try:
            previous = _previous_release(previous_site)
            old_entries = previous.get("changes", [])
            with using(TRUSTED):  # migrmeta's own output, as large as the catalogue: not a contributor's file
                whole = _WholeSite(previous_site)  # read at most once, for both
                before = _previous_descriptions(whole, _fingerprints(previous), after, names)
                agencies_before = _previous_agencies(whole, previous, agencies)
        except InputError as exc:
            raise PublishError(f"the previous release cannot be read to tell what changed: {exc}",
                               hint=f"fix or remove {exc.location.source} (not the site), then publish again") from exc
        # never before the release it follows: the newest records removed (or their dates moved back)
        # would date it earlier, and the feed's readers take what is older than they saw as read
        last = previous.get("date")
        if isinstance(last, str) and _DAY.fullmatch(last) and last > date:
            date = release.date = last
        release.diff = diff_descriptions(f"release of {previous.get('date', 'the previous site')}", before,
                                         f"release of {date}", after)
        release.diff.agencies, release.diff.agencies_unchanged = diff_agencies(agencies_before, agencies)
    modified = _record_dates(published)
    release.modified = {iri: modified[iri] for iri in after if iri in modified}
    if release.diff is not None:  # the dates the previous release gave (none before they were kept)
        dated = previous.get("modified")
        before_dates = dated if isinstance(dated, dict) else {}
        release.stale = {d.survey: modified.get(d.survey, "") for d in release.diff.surveys
                         if d.status == "changed" and isinstance(was := before_dates.get(d.survey), str)
                         and modified.get(d.survey, "") <= was}
    new_entries = [_entry(s, date, modified, after) for s in (release.diff.surveys if release.diff else [])]
    agency_changes = release.diff.agencies if release.diff else []
    new_entries += [{**_entry(agency, date, {}, {}), "kind": "agency"} for agency in agency_changes]
    # an id is the survey, the kind, the day and the new content: a change undone the same day
    # (or a survey removed, restored and removed again) comes back to an earlier entry's id. That
    # entry stays, and the new one takes a number, so feed readers see it as new
    taken = {e.get("id") for e in old_entries}
    for entry in new_entries:
        first, n = entry["id"], 2
        while entry["id"] in taken:
            entry["id"], n = f"{first}-{n}", n + 1
        taken.add(entry["id"])
    release.entries = [{**e, "page": _page_now(e, site)} for e in new_entries + old_entries][:MAX_ENTRIES]
    return release


def _page_now(entry: dict[str, Any], site: SiteData) -> str | None:
    """The entry's page as this release names it, from the site's root: the English one, as
    release.json records it (the pages in each language link their own: `entry_page`)."""
    page = entry_page(site, entry)
    return PageInfo(DEFAULT_LANGUAGE, page).site_path() if page is not None else None


def entry_page(site: SiteData, entry: dict[str, Any]) -> str | None:
    """The page an entry links, from a language's folder: the survey's, the one of the survey an
    alias is published as, an agency's (pages/agency.py); none for a survey removed, or an
    agency without a page."""
    shown = shown_survey(entry)
    if shown and entry.get("kind") == "agency":
        agency = site.agency_file_name(URIRef(shown))
        return agency_page(agency) if agency is not None else None
    name = site.name_of(URIRef(shown)) if shown else None
    return f"surveys/{name}.html" if name is not None else None


def shown_survey(entry: dict[str, Any]) -> str | None:
    """The survey whose page an entry links: the survey's own, or the one an alias is published
    as; none for a survey removed."""
    shown = entry.get("published_as") or (entry.get("survey") if entry.get("status") != "removed" else None)
    return str(shown) if shown else None


class _WholeSite:
    """The previous site's catalogue (catalog.ttl), read and described once when it must be."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._described: tuple[dict[str, Description], dict[str, Description]] | None = None

    def described(self) -> tuple[dict[str, Description], dict[str, Description]]:
        """Its surveys and series, and its agencies."""
        if self._described is None:
            self._described = surveys_and_agencies(read_snapshot(str(self.site)).triples)
        return self._described


def _previous_descriptions(whole: _WholeSite, hashes: dict[str, str] | None, after: dict[str, Description],
                           names: Mapping[str, str]) -> dict[str, Description]:
    """The previous release's surveys, as `describe` gives them. Its release.json keeps each
    survey's fingerprint: a survey whose fingerprint is unchanged is described as now, and only
    the others are read, from their own file (surveys/<id>.ttl), each checked against its
    fingerprint. A site without fingerprints, or a file that does not match, is read whole."""
    if hashes is None:
        return whole.described()[0]
    found = {iri: after[iri] for iri, digest in hashes.items() if iri in after and after[iri].hash == digest}
    for iri in sorted(set(hashes) - set(found)):
        name = names.get(iri) or survey_name(iri)  # a survey removed since: the name its IRI gave it
        path = whole.site / "surveys" / f"{name}.ttl" if name else None
        own = describe(read_snapshot(str(path)).triples).get(iri) if path is not None and path.is_file() else None
        if own is None or own.hash != hashes[iri]:
            return whole.described()[0]
        found[iri] = own
    return found


def _previous_agencies(whole: _WholeSite, release: dict[str, Any], now: Mapping[str, Description]
                       ) -> Mapping[str, Description]:
    """The previous release's agencies, as `describe` gives them: by its fingerprints, those
    unchanged are described as now, and an agency added since needs nothing of it (nothing read,
    the common case); a site without them, or an agency changed or removed, is read whole."""
    kept = release.get("agencies")
    if isinstance(kept, dict) and all(iri in now and now[iri].hash == digest for iri, digest in kept.items()):
        return {iri: now[iri] for iri in kept}
    return whole.described()[1]


def _fingerprints(release: dict[str, Any]) -> dict[str, str] | None:
    """Survey IRI -> fingerprint, from the previous release (None: it kept none)."""
    surveys = release.get("surveys")
    if not isinstance(surveys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in surveys.items()):
        return None
    return surveys


def release_files(release: Release, site: SiteData, base_url: str | None) -> Iterator[tuple[str, str]]:
    """The files this module, `feed.py` and `pages/changes.py` add to the site: release.json; in
    each language the changelog and its feed; at the root, the language chooser where the
    changelog was and the English feed where subscribers have it."""
    from migrmeta.publishing.feed import atom_feed
    from migrmeta.publishing.pages.changes import changelog_chooser, changelog_page

    yield RELEASE_FILE, release.to_json()
    yield CHANGELOG, changelog_chooser(site, base_url)
    yield FEED, atom_feed(release, site, DEFAULT_LANGUAGE, base_url, at_root=True)
    for lang in LANGUAGES:
        yield f"{lang}/{CHANGELOG}", changelog_page(release, site, lang, base_url)
        yield f"{lang}/{FEED}", atom_feed(release, site, lang, base_url)


def release_file_names() -> list[str]:
    """Every file `release_files` writes, as the site names them."""
    return [RELEASE_FILE, CHANGELOG, FEED, *(f"{lang}/{name}" for lang in LANGUAGES for name in (CHANGELOG, FEED))]


def _previous_release(site: Path) -> dict[str, Any]:
    """The previous site's release.json, read once ({} when it has none): its changes must be
    readable, for they are kept; its date and fingerprints may be missing."""
    path = site / RELEASE_FILE
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"is not a release file migrmeta can read ({exc})") from exc
    # said in the file's terms, not Python's ("'NoneType' object is not subscriptable": the harvester review)
    if not isinstance(document, dict):
        problem = f"it holds a JSON {type(document).__name__.replace('NoneType', 'null')}, not an object"
    elif "changes" not in document:
        problem = 'it has no "changes"'
    elif not isinstance(document["changes"], list):
        problem = '"changes" is not a list'
    else:
        bad = next((n for n, e in enumerate(document["changes"], 1) if not isinstance(e, dict) or "id" not in e), None)
        problem = f'entry {bad} of "changes" is not an object with an "id"' if bad is not None else ""
    if problem:
        raise InputError(str(path), f"is not a release file migrmeta can read: {problem}")
    return document  # type: ignore[no-any-return]


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def release_date(statements: Iterable[Triple], catalogs: set[Node]) -> str:
    """A release's date: the catalogue's dct:modified (YYYY-MM-DD), or "" when it has none."""
    return day_of(next((o for s, p, o in statements if s in catalogs and p == DCT.modified), None)) or ""


def nothing_changed(statements: Iterable[Triple], catalog: Node, surveys: int) -> CatalogueDiff:
    """What changed since the previous release when this one is made from the same records and
    settings (its files taken over, publishing/reuse.py): nothing."""
    name = f"release of {release_date(statements, {catalog})}"
    return CatalogueDiff(name, name, unchanged=surveys)


def _record_dates(published: list[Triple]) -> dict[str, str]:
    """Survey -> its catalogue record's dct:modified (the date its description last changed)."""
    primary, modified = {FOAF.primaryTopic}, {DCT.modified}  # sets, as namespaces.IS_TYPE
    topic = {s: o for s, p, o in published if p in primary}
    return {str(topic[s]): d for s, p, o in published if p in modified and s in topic
            for d in [day_of(o)] if d}


def _entry(survey: SurveyDiff, date: str, modified: dict[str, str], after: Mapping[str, Description]
           ) -> dict[str, Any]:
    content = survey.new_hash or survey.old_hash or ""
    changes = [{"item": c.item, "item_name": c.item_name, "field": c.field, "old": list(c.old), "new": list(c.new)}
               for c in survey.changes] if survey.status == "changed" else []
    kept = after.get(survey.published_as) if survey.published_as else None
    return {
        "id": with_fragment(survey.survey, f"{survey.status}-{date}-{content[:16]}"),
        "survey": survey.survey, "title": survey.title, "status": survey.status, "hash": content,
        # the recorded title's language: a removed survey's title is shown as recorded, marked in a
        # page of another language (entries of earlier releases have none: left unmarked)
        **({"title_lang": survey.title_lang} if survey.title_lang else {}),
        "release": date, "updated": modified.get(survey.survey, date) if survey.status != "removed" else date,
        "items": sorted({c.item for c in survey.changes if c.item}) if survey.status == "changed" else [],
        "changes": changes,
        # only on an alias's entry: the entries of earlier releases stay as they were written
        **({"published_as": survey.published_as, "published_as_title": kept.title if kept else ""}
           if survey.published_as else {}),
    }


def with_fragment(iri: str, fragment: str) -> str:
    """`<iri>#<fragment>`, an id of the feeds; `<iri>-<fragment>` when the IRI has a fragment
    already (a catalogue `…/catalogue#it`): two `#` make no IRI, and Atom ids must be IRIs."""
    return f"{iri}{'-' if '#' in iri else '#'}{fragment}"


def anchor(entry: dict[str, Any]) -> str:
    """The entry's id in changelog.html: its kind, date and hash, and the survey's name."""
    local = re.sub(r"[^A-Za-z0-9._-]", "-", entry["survey"].rstrip("/").rsplit("/", 1)[-1])
    return f"{entry['id'].rsplit('#', 1)[-1]}-{local}"


__all__ = ["CHANGELOG", "FEED", "MAX_ENTRIES", "RELEASE_FILE", "Release", "anchor", "entry_page", "next_release",
           "nothing_changed", "release_date", "release_file_names", "release_files", "shown_survey", "with_fragment"]
