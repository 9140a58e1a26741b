"""feed.xml: the catalogue's changes as an Atom 1.0 feed (RFC 4287), one entry per changed survey,
in each language (`<lang>/feed.xml`), and the English one at the site's root (`feed.xml`, where
subscribers of earlier releases have it: the same entry ids, so nothing is shown twice).

    feed id       the catalogue's IRI (the root feed), `<catalogue>#changes-<lang>` (a language's;
                  `<catalogue>-changes-<lang>` when the catalogue's IRI has a fragment)
    xml:lang      the feed's language; titles and summaries in its words (pages/changes.py); a
                  survey's title in another language is marked (an XHTML title, RFC 4287 3.1)
    entry id      the change's id from release.json: the survey IRI with a fragment naming
                  the kind of change, the release date and the content hash (stable: the
                  same change always has the same id, so a reader shows it once)
    updated       the survey's dct:modified (its catalogue record's), or the release date
                  for a removal; the feed's: the newest entry's, else the release date.
                  Dates only, at midnight UTC: no clock is read.
    link          the survey's page in the feed's language (relative to the feed, or under
                  --base-url); for a survey now published as another (owl:sameAs), that one's
                  page; for a survey removed, its entry in the changelog

Written with `html.escape` for every text; the same release gives the same bytes.
"""

from __future__ import annotations

from html import escape
from typing import Any

from migrmeta.publishing.changelog import CHANGELOG, FEED, Release, anchor, entry_page, with_fragment
from migrmeta.publishing.pages.changes import catalogue_title, heading, summary, survey_title
from migrmeta.publishing.pages.labels import Labels, site_labels
from migrmeta.publishing.pages.layout import absolute
from migrmeta.publishing.pages.model import SiteData

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
GENERATOR = "https://w3id.org/migrmeta"


def _time(date: str) -> str:
    return f"{date}T00:00:00Z" if len(date) == 10 else "1970-01-01T00:00:00Z"


def atom_feed(release: Release, site: SiteData, lang: str, base_url: str | None = None, *,
              at_root: bool = False) -> str:
    """The Atom document for the changes a release keeps (newest first), in `lang`: at
    `<lang>/feed.xml`, or with `at_root` at the site's root (its links go into `<lang>/`)."""
    labels = site_labels(lang)
    folder = f"{lang}/" if at_root else ""  # from the feed to the language's pages
    base = absolute(base_url, "" if at_root else f"{lang}/") if base_url else ""  # where the feed is
    catalogue = catalogue_title(site, lang)
    updated = max([_updated(e) for e in release.entries] + [release.date or "1970-01-01"])
    feed_id = release.catalog if at_root else with_fragment(release.catalog, f"changes-{lang}")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="{ATOM}" xml:lang="{lang}"' + (f' xml:base="{escape(base)}"' if base else "") + ">",
             f"  <id>{escape(feed_id)}</id>",
             f"  <title>{escape(labels.ui('changes_feed_title').format(catalogue=catalogue))}</title>",
             f"  <updated>{_time(updated)}</updated>",
             f'  <link rel="self" type="application/atom+xml" href="{FEED}"/>',
             f'  <link rel="alternate" type="text/html" href="{folder}{CHANGELOG}"/>',
             f"  <author><name>{escape(catalogue)}</name></author>",
             f'  <generator uri="{GENERATOR}">migrmeta</generator>']
    lines += [_entry(site, entry, labels, folder) for entry in release.entries]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _updated(entry: dict[str, Any]) -> str:
    """An entry's Atom date: when the change was released, not before (a record's own date, the
    changelog's "updated", may be older than the release that first tells its change, and a feed
    reader passes over what is older than it saw already)."""
    return max(str(entry["updated"]), str(entry.get("release") or ""))


def _title(site: SiteData, entry: dict[str, Any], labels: Labels) -> str:
    """The entry's title: text, or XHTML when the survey's title is in another language than
    the feed's, so that a reader (and its screen reader) knows that part's language."""
    name = survey_title(site, entry, labels.lang)
    if not name.lang or name.lang == labels.lang:
        return f"<title>{heading(entry, labels, escape(name.value))}</title>"
    marked = f'<span xml:lang="{escape(name.lang)}">{escape(name.value)}</span>'
    return f'<title type="xhtml"><div xmlns="{XHTML}">{heading(entry, labels, marked)}</div></title>'


def _entry(site: SiteData, entry: dict[str, Any], labels: Labels, folder: str) -> str:
    link = folder + (entry_page(site, entry) or f"{CHANGELOG}#{anchor(entry)}")
    category = labels.ui("changes_category")
    categories = "".join(f'\n    <category term="item-{n}" label="{escape(category.format(number=n))}"/>'
                         for n in entry["items"])
    return (f"  <entry>\n    <id>{escape(entry['id'])}</id>\n"
            f"    {_title(site, entry, labels)}\n"
            f"    <updated>{_time(_updated(entry))}</updated>\n"
            f'    <link rel="alternate" type="text/html" href="{escape(link)}"/>\n'
            f'    <link rel="related" href="{escape(entry["survey"])}"/>{categories}\n'
            f'    <summary type="text">{escape(summary(site, entry, labels))}</summary>\n  </entry>')


__all__ = ["ATOM", "atom_feed"]
