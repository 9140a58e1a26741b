"""The changelog in each language, `<lang>/changelog.html`, and the words of the feeds (`feed.py`).

release.json records each change in the catalogue's terms: the field as a prefixed name
(`dct:temporal`), the questionnaire item by number, the survey's title as it was. Here they
are said in the page's language, by the site's one set of words (`labels.py`, `ui.json`):

    the field            its label, as the survey pages name it (`Labels.field`), the prefixed
                         name beside it in <code> (what `migrmeta diff` and release.json say)
    the item             its number and name (`Labels.item`)
    the survey           its title in the page's language when it is still published (the
                         pages' `SiteData.title`), else the title release.json recorded
    what happened        Added, Changed, Removed, Published under another IRI (an alias,
                         owl:sameAs: merging/changes.py's "published as")
    dates                as the other pages write them: YYYY-MM-DD

`changelog.html` at the root, where the only changelog used to be, chooses a language as the
root index.html does (`build.chooser`), so old links, and their #entry, still arrive.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.util import from_n3

from migrmeta.namespaces import AGENCY, DCT, FOAF
from migrmeta.publishing.changelog import CHANGELOG, FEED, RELEASE_FILE, Release, anchor, entry_page
from migrmeta.publishing.html import esc, text_html, web_link
from migrmeta.publishing.pages.build import catalogue_text, chooser
from migrmeta.publishing.pages.labels import DEFAULT_LANGUAGE, Labels, site_labels
from migrmeta.publishing.pages.layout import PageInfo, document
from migrmeta.publishing.pages.model import SiteData
from migrmeta.rdf.curie import expand, project_prefixes
from migrmeta.values.text import Text

Entry = dict[str, Any]


def catalogue_title(site: SiteData, lang: str) -> str:
    return catalogue_text(site, DCT.title, lang) or "migrmeta"


def changelog_chooser(site: SiteData, base_url: str | None) -> str:
    """changelog.html at the root: the changelog in each language (and the English feed, which
    feed readers found here)."""
    feed = (f'<link rel="alternate" type="application/atom+xml" title="{site_labels(DEFAULT_LANGUAGE).ui_html("feed")}"'
            f' href="{FEED}">\n')
    return chooser(site, base_url, CHANGELOG, "changes_title", head=feed)


def heading(entry: Entry, labels: Labels, survey: str) -> str:
    """What happened to the survey, before its name (`survey`, as given: text or HTML): Changed,
    Removed, Added, or, for an alias, Published under another IRI (not a withdrawal)."""
    kind = "agency_" if entry.get("kind") == "agency" else ""  # an agency renamed, or moved its home page
    what = labels.ui_html("changes_moved" if entry.get("published_as") else f"changes_{kind}{entry['status']}")
    return labels.ui_html("changes_heading").format(what=what, survey=survey)


def survey_title(site: SiteData, entry: Entry, lang: str) -> Text:
    """The survey's title in `lang` while it is published; else the title release.json recorded."""
    return _title(site, str(entry["survey"]), str(entry.get("title") or ""), lang, entry.get("title_lang"))


def kept_title(site: SiteData, entry: Entry, lang: str) -> Text:
    """The title of the survey an alias is published as."""
    return _title(site, str(entry["published_as"]), str(entry.get("published_as_title") or ""), lang)


def _title(site: SiteData, iri: str, recorded: str, lang: str, recorded_lang: str | None = None) -> Text:
    """A published survey's title, or an agency's name, in `lang` as their pages give them (an
    agency was called by the English name release.json recorded: a reviewer's find); else
    what was recorded (a survey removed), in the language recorded with it."""
    node = URIRef(iri)
    if site.name_of(node) is not None:
        return site.title(node, lang)
    named = site.text(node, _FOAF_name, lang)
    if named is not None:
        return named
    return Text(recorded, recorded_lang or None) if recorded else Text(iri, None)


def field_label(change: Entry, labels: Labels) -> str:
    """The field as the survey pages name it (a prefixed name release.json recorded, expanded)."""
    prop = expand(str(change["field"]))
    return labels.field(prop) if prop is not None else str(change["field"])


def summary(site: SiteData, entry: Entry, labels: Labels) -> str:
    """One line, for the feed: `Changed: item 4 (Time frame): start date; not a questionnaire item: source.`"""
    date = entry["release"]
    if entry.get("published_as"):
        title = kept_title(site, entry, labels.lang).value
        return labels.ui("changes_summary_moved").format(title=title, iri=entry["published_as"], date=date)
    if entry.get("kind") == "agency":  # its fields (name, home page), no questionnaire item
        fields = list(dict.fromkeys(field_label(change, labels) for change in entry["changes"]))
        what = labels.ui(f"changes_agency_{entry['status']}")
        wording = "changes_agency_summary" if entry_page(site, entry) else "changes_agency_summary_no_page"
        return labels.ui(wording).format(fields=": ".join([what, ", ".join(fields)]) if fields else what,
                                         date=date)
    if entry["status"] != "changed":
        return labels.ui(f"changes_summary_{entry['status']}").format(date=date)
    parts: dict[int | None, list[str]] = {}
    for change in entry["changes"]:
        fields = parts.setdefault(change["item"] or None, [])
        label = field_label(change, labels)
        if label not in fields:
            fields.append(label)
    said = [labels.ui("changes_summary_item").format(number=item, item=labels.item(item), fields=", ".join(fields))
            if item else labels.ui("changes_summary_other").format(fields=", ".join(fields))
            for item, fields in parts.items()]
    return labels.ui("changes_summary_changed").format(changes="; ".join(said))


def changelog_page(release: Release, site: SiteData, lang: str, base_url: str | None) -> str:
    """<lang>/changelog.html: the changes kept, newest release first, field by field."""
    labels = site_labels(lang)
    catalogue = catalogue_title(site, lang)
    info = PageInfo(lang, CHANGELOG)
    feed = f'<a href="{FEED}" type="application/atom+xml">{labels.ui_html("changes_feed")}</a>'
    release_link = f'<a href="{info.root}{RELEASE_FILE}" type="application/json">{RELEASE_FILE}</a>'
    home = f'<a href="index.html">{esc(catalogue)}</a>'
    body = [f'<nav class="crumbs" aria-label="{labels.ui_html("home")}">{home}</nav>',
            f"<h1>{esc(labels.ui('changes_title').format(catalogue=catalogue))}</h1>",
            f"<p>{labels.ui_html('changes_subscribe').format(feed=feed, release=release_link)}</p>"]
    if not release.entries:
        body.append(f'<p class="none">{labels.ui_html("changes_none")}</p>')
    for date in dict.fromkeys(e["release"] for e in release.entries):
        body.append(f'<section aria-labelledby="release-{esc(date)}"><h2 id="release-{esc(date)}">'
                    f"{esc(labels.ui('changes_release').format(date=date))}</h2>")
        body += [_entry_html(site, e, labels) for e in release.entries if e["release"] == date]
        body.append("</section>")
    return document(info, labels, title=labels.ui("changes_page").format(catalogue=catalogue),
                    catalogue_title=catalogue, body="\n".join(body) + "\n", base_url=base_url)


def _entry_html(site: SiteData, entry: Entry, labels: Labels) -> str:
    href = entry_page(site, entry)
    name = text_html(survey_title(site, entry, labels.lang), labels.lang)
    shown = f'<a href="{esc(href)}">{name}</a>' if href else name
    updated = esc(labels.ui("changes_updated").format(date=entry["updated"]))
    lines = [f'<article id="{esc(anchor(entry))}">', f"<h3>{heading(entry, labels, shown)}</h3>",
             f"<p>{_published_as(site, entry, labels, href)} ({updated})</p>"]
    if entry["changes"]:
        columns = "".join(f'<th scope="col">{labels.ui_html(key)}</th>'
                          for key in ("changes_item", "changes_field", "changes_old", "changes_new"))
        lines.append(f"<table><thead><tr>{columns}</tr></thead><tbody>")
        for change in entry["changes"]:
            item = f"{change['item']}. {labels.item(change['item'])}" if change["item"] else "—"
            field = (f'<span title="{esc(change["field"])}">{esc(field_label(change, labels))}</span>'
                     f' <code>{esc(change["field"])}</code>')
            lines.append(f"<tr><td>{esc(item)}</td><td>{field}</td>"
                         f"<td>{_values(change['old'], site, labels)}</td>"
                         f"<td>{_values(change['new'], site, labels)}</td></tr>")
        lines.append("</tbody></table>")
    lines.append("</article>")
    return "\n".join(lines)


def _published_as(site: SiteData, entry: Entry, labels: Labels, href: str | None) -> str:
    """The survey's IRI; for an alias, `<IRI> is now published as <the survey kept, linked to its
    page> (<its IRI>, owl:sameAs): the same survey, not withdrawn`, in the page's language."""
    survey = f"<code>{esc(entry['survey'])}</code>"
    kept = entry.get("published_as")
    if not kept:
        return survey
    name = text_html(kept_title(site, entry, labels.lang), labels.lang)
    shown = f'<a href="{esc(href)}">{name}</a>' if href else name
    return labels.ui_html("changes_published_as").format(survey=survey, kept=shown, iri=f"<code>{esc(kept)}</code>")


def _values(values: list[str], site: SiteData, labels: Labels) -> str:
    return "<br>".join(_value(v, site, labels) for v in values) or '<span class="none">—</span>'


def _value(written: str, site: SiteData, labels: Labels) -> str:
    """A changed value as the survey pages show it: a literal's text, a country's, a concept's or
    an agency's name in the page's language, a web address as a link; what they cannot say
    (a blank node's content) as written. The written form stays in the title, for precision."""
    if written.startswith('"'):
        try:
            literal = from_n3(written, nsm=_PREFIXED.namespace_manager)  # the diff writes Turtle's escapes
        except Exception:  # not one term after all: shown as written
            literal = None
        if isinstance(literal, Literal):
            said = labels.boolean(literal)
            shown = esc(said) if said is not None else text_html(Text(str(literal), literal.language), labels.lang)
            return f'<span title="{esc(written)}">{shown}</span>'
    iri = expand(written) if not written.startswith("[") else None
    if iri is None:
        return f"<code>{esc(written)}</code>"
    name = labels.country(iri) or labels.concept(iri)
    if name is None and str(iri).startswith(str(AGENCY)):
        name = site.agency_name(iri, labels.lang).value
    if name is None:
        return web_link(str(iri))
    return f'<span title="{esc(written)}">{esc(name)}</span>'


_FOAF_name = FOAF.name
_PREFIXED = Graph(bind_namespaces="none")  # the prefixes the diff writes datatypes with (rdf/curie.py)
for _prefix, _namespace in project_prefixes().items():
    _PREFIXED.bind(_prefix, _namespace)


__all__ = ["catalogue_title", "changelog_chooser", "changelog_page", "field_label", "heading", "kept_title", "summary",
           "survey_title"]
