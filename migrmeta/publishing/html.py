"""Small, safe pieces of HTML shared by the site's pages (`publishing/pages/`).

Every value a record supplies goes through `esc` (text and attribute values); only http(s)
IRIs become links (`is_web_iri`), so a record cannot smuggle in `javascript:` URLs; JSON in a
`<script>` element has every `<` written `\\u003c` (`script_json`), so no value closes it.
"""

from __future__ import annotations

import json
import re
from html import escape
from urllib.parse import urlsplit

from migrmeta.jsontext import document_text
from migrmeta.values.text import Text

# The sitemaps.org XML namespace (an XML namespace, not an RDF one: not in namespaces.py).
SITEMAP_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_XMLNS = "http://www.w3.org/1999/xhtml"


_SPECIAL = re.compile("[&<>\"']")


def esc(text: object) -> str:
    """Text for HTML content or a quoted attribute value."""
    plain = str(text)
    return escape(plain, quote=True) if _SPECIAL.search(plain) else plain


def is_web_iri(text: str) -> bool:
    """Only http(s) IRIs become links: a record cannot smuggle in `javascript:` URLs."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def script_json(document: object, *, indented: bool = True) -> str:
    """JSON for a <script> element: `<` as \\u003c, so no `</script>` or `<!--` inside. Indented,
    the document holds no float (jsontext.document_text): schema.org made from RDF."""
    text = document_text(document) if indented else json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def text_html(text: Text | None, page_lang: str) -> str:
    """A record's text, marked with its language when it is not the page's."""
    if text is None:
        return ""
    if text.lang and text.lang != page_lang:
        return f'<span lang="{esc(text.lang)}">{esc(text.value)}</span>'
    return esc(text.value)


def link(href: str, label_html: str, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    return f'<a href="{esc(href)}"{extra}>{label_html}</a>'


def web_link(iri: str, label_html: str | None = None) -> str:
    """A link when the IRI is http(s), else the text (an ISBN URN, a mailto)."""
    shown = label_html if label_html is not None else esc(iri)
    return link(iri, shown) if is_web_iri(iri) else shown


__all__ = ["SITEMAP_XMLNS", "XHTML_XMLNS", "esc", "is_web_iri", "link", "script_json", "text_html", "web_link"]
