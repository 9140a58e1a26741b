"""The frame of every page: `<html lang>`, head (title, hreflang alternates, the stylesheet),
a skip link, the header with the language switcher, and the footer.

Pages live at `<lang>/index.html`, `<lang>/surveys/<id>.html` and `<lang>/agencies/<id>.html`;
the data and the assets are shared by the three languages (`surveys/<id>.ttl`,
`assets/site.css`). Links are relative, so the site works from `file://` and under any path;
the hreflang alternates are absolute when a base URL is given (search engines want absolute
URLs), relative otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from migrmeta.publishing.html import esc
from migrmeta.publishing.pages.labels import DEFAULT_LANGUAGE, LANGUAGES, Labels

# In each language's folder: the changelog and its Atom feed (publishing/changelog.py writes them,
# every page links its own language's); at the root, the changelog's chooser and the English feed.
CHANGELOG = "changelog.html"
FEED = "feed.xml"


@dataclass(frozen=True)
class PageInfo:
    """Where a page is: its language and its path below the language folder."""

    lang: str
    path: str  # "index.html", "surveys/<id>.html"

    @property
    def root(self) -> str:
        """From this page up to the site's root: "../" or "../../"."""
        return "../" * (self.path.count("/") + 1)

    def site_path(self, lang: str | None = None) -> str:
        return f"{lang or self.lang}/{self.path}"

    def href_to(self, lang: str) -> str:
        """This page in another language, relative to this one."""
        return f"{self.root}{lang}/{self.path}"


def survey_page_path(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Where the page of the survey whose files are named `name` is, from the site's root."""
    return PageInfo(lang, f"surveys/{name}.html").site_path()


AGENCY_PAGES = "agencies"  # in each language's folder: <lang>/agencies/<name>.html (agency.py)
AGENCY_LIST = "agencies.html"  # in each language's folder: every agency (beside the folder: an agency may be "index")


def agency_page(name: str) -> str:
    """The page of the agency whose documents are named `name`, below a language's folder."""
    return f"{AGENCY_PAGES}/{name}.html"


def agency_page_path(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Where the page of the agency whose documents are named `name` is, from the site's root."""
    return PageInfo(lang, agency_page(name)).site_path()


# A survey's or an agency's data documents (surveys/<id>.*, agencies/<id>.*): suffix, type, name.
DATA_FILES = (("ttl", "text/turtle", "Turtle"), ("jsonld", "application/ld+json", "JSON-LD"),
              ("nt", "application/n-triples", "N-Triples"))


def data_links(base: str) -> str:
    """The <link rel="alternate"> of a page to its thing's Turtle and JSON-LD (`base`: their
    path without the suffix, as HTML)."""
    return (f'<link rel="alternate" type="text/turtle" href="{base}.ttl">\n'
            f'<link rel="alternate" type="application/ld+json" href="{base}.jsonld">\n')


def downloads(heading_html: str, base: str, files: tuple[tuple[str, str, str], ...], more: str = "") -> str:
    """The section linking a thing's data documents (`files`: DATA_FILES and more; `base` as for
    `data_links`), `more` list items after them."""
    items = "".join(f'<li><a href="{base}.{ext}" type="{kind}">{esc(label)}</a></li>' for ext, kind, label in files)
    return (f'<section aria-labelledby="downloads">\n<h2 id="downloads">{heading_html}</h2>\n'
            f'<ul class="downloads">{items}{more}</ul>\n</section>\n')


def absolute(base_url: str, site_path: str) -> str:
    return (base_url if base_url.endswith("/") else base_url + "/") + site_path


# Pages with a chooser at the site's root (the language picker, which sends a browser on to its
# language): their x-default, as search engines advise for such a page.
CHOOSERS = ("index.html", CHANGELOG)


def x_default(path: str) -> str:
    """The page for a reader whose language the site does not have, from the site's root:
    the root chooser of a page that has one, else the English page."""
    return path if path in CHOOSERS else PageInfo(DEFAULT_LANGUAGE, path).site_path()


def alternates(page: PageInfo, base_url: str | None) -> str:
    """<link rel="alternate" hreflang> for the three languages and x-default (`x_default`)."""
    def href(lang: str) -> str:
        return absolute(base_url, page.site_path(lang)) if base_url else page.href_to(lang)

    links = [f'<link rel="alternate" hreflang="{lang}" href="{esc(href(lang))}">' for lang in LANGUAGES]
    default = absolute(base_url, x_default(page.path)) if base_url else page.root + x_default(page.path)
    links.append(f'<link rel="alternate" hreflang="x-default" href="{esc(default)}">')
    return "\n".join(links) + "\n"


def switcher(page: PageInfo, labels: Labels) -> str:
    """The language switcher: each language named in itself, the current one marked."""
    items = []
    for lang in LANGUAGES:
        name = esc(labels.language_name(lang))
        if lang == page.lang:
            items.append(f'<li><a href="{esc(page.href_to(lang))}" lang="{lang}" aria-current="page">{name}</a></li>')
        else:
            items.append(f'<li><a href="{esc(page.href_to(lang))}" hreflang="{lang}" lang="{lang}">{name}</a></li>')
    return (f'<nav class="languages" aria-label="{labels.ui_html("language")}"><ul>'
            + "".join(items) + "</ul></nav>")


def _current(page: PageInfo, path: str) -> str:
    """aria-current on a footer link to the page it is on."""
    return ' aria-current="page"' if page.path == path else ""


def document(page: PageInfo, labels: Labels, *, title: str, catalogue_title: str, body: str,
             base_url: str | None, head: str = "", scripts: tuple[str, ...] = (),
             description: str | None = None) -> str:
    """A whole page. `body` is the content of <main>; `scripts` are asset file names. It links
    the agencies, the changelog and the Atom feed of its own language (`<lang>/agencies.html`,
    `changelog.html`, `feed.xml`)."""
    root = page.root
    own = "../" * page.path.count("/")  # up to the language's folder: its changelog and feed
    meta = f'<meta name="description" content="{esc(description)}">\n' if description else ""
    script_tags = "".join(f'<script src="{root}assets/{esc(s)}" defer></script>\n' for s in scripts)
    return (
        f'<!DOCTYPE html>\n<html lang="{page.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{meta}"
        f"{alternates(page, base_url)}"
        f'<link rel="stylesheet" href="{root}assets/site.css">\n'
        f'<link rel="alternate" type="application/atom+xml" title="{labels.ui_html("feed")}" href="{own}{FEED}">\n'
        f"{head}{script_tags}</head>\n"
        f'<body>\n<a class="skip" href="#main">{labels.ui_html("skip")}</a>\n'
        '<header class="site">\n'
        f'<p class="brand"><a href="{root}{page.lang}/index.html">{esc(catalogue_title)}</a></p>\n'
        f"{switcher(page, labels)}\n</header>\n"
        f'<main id="main">\n{body}</main>\n'
        f'<footer class="site"><p>{labels.ui_html("questionnaire")}</p>\n'
        f'<p><a href="{own}{AGENCY_LIST}"{_current(page, AGENCY_LIST)}>{labels.ui_html("agencies")}</a> · '
        f'<a href="{own}{CHANGELOG}"{_current(page, CHANGELOG)}>{labels.ui_html("changes")}</a> · '
        f'<a href="{own}{FEED}" type="application/atom+xml">{labels.ui_html("feed")}</a></p></footer>\n'
        "</body>\n</html>\n"
    )


__all__ = ["AGENCY_LIST", "AGENCY_PAGES", "CHANGELOG", "DATA_FILES", "FEED", "PageInfo", "absolute", "agency_page",
           "agency_page_path", "alternates", "data_links", "document", "downloads", "switcher"]
