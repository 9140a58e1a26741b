"""feed.xml: the catalogue's changes as an Atom 1.0 feed (RFC 4287), one entry per changed survey.

    feed id       the catalogue's IRI
    entry id      the change's id from release.json: the survey IRI with a fragment naming
                  the kind of change, the release date and the content hash (stable: the
                  same change always has the same id, so a reader shows it once)
    updated       the survey's dct:modified (its catalogue record's), or the release date
                  for a removal; the feed's: the newest entry's, else the release date.
                  Dates only, at midnight UTC: no clock is read.
    link          the survey's page (relative to the feed, or under --base-url); for a survey
                  now published as another (owl:sameAs), that one's page

Written with `html.escape` for every text; the same release gives the same bytes.
"""

from __future__ import annotations

from html import escape
from typing import Any

from migrmeta.publishing.changelog import Release, anchor, entry_summary, heading

ATOM = "http://www.w3.org/2005/Atom"
GENERATOR = "https://w3id.org/migrmeta"


def _time(date: str) -> str:
    return f"{date}T00:00:00Z" if len(date) == 10 else "1970-01-01T00:00:00Z"


def atom_feed(release: Release, title: str, base_url: str | None = None) -> str:
    """The Atom document for the changes a release keeps (newest first)."""
    base = (base_url if base_url.endswith("/") else base_url + "/") if base_url else ""
    updated = max([e["updated"] for e in release.entries] + [release.date or "1970-01-01"])
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="{ATOM}" xml:lang="en"' + (f' xml:base="{escape(base)}"' if base else "") + ">",
             f"  <id>{escape(release.catalog)}</id>",
             f"  <title>{escape(title)}: changes</title>",
             f"  <updated>{_time(updated)}</updated>",
             '  <link rel="self" type="application/atom+xml" href="feed.xml"/>',
             '  <link rel="alternate" type="text/html" href="changelog.html"/>',
             f"  <author><name>{escape(title)}</name></author>",
             f'  <generator uri="{GENERATOR}">migrmeta</generator>']
    lines += [_entry(entry) for entry in release.entries]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry(entry: dict[str, Any]) -> str:
    name = entry["title"] or entry["survey"]
    page = entry.get("page") or f"changelog.html#{anchor(entry)}"
    categories = "".join(f'\n    <category term="item-{n}" label="questionnaire item {n}"/>' for n in entry["items"])
    return (f"  <entry>\n    <id>{escape(entry['id'])}</id>\n"
            f"    <title>{escape(heading(entry))}: {escape(name)}</title>\n"
            f"    <updated>{_time(entry['updated'])}</updated>\n"
            f'    <link rel="alternate" type="text/html" href="{escape(page)}"/>\n'
            f'    <link rel="related" href="{escape(entry["survey"])}"/>{categories}\n'
            f'    <summary type="text">{escape(entry_summary(entry))}</summary>\n  </entry>')


__all__ = ["ATOM", "atom_feed"]
