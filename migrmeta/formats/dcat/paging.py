"""DCAT catalogues over HTTP: one page, or a catalogue and the pages its Hydra links name.

    page = fetch("https://portal.example/catalog.ttl")
    result = fetch_pages(url, parse)       # follows hydra:next / hydra:nextPage

Only the URL the user gives, and the pages of the same site it links to with Hydra, are
fetched; nothing else a document names (contexts, schemas, entities, links to other hosts or
to files) ever is. The one HTTP client (`migrmeta.io.http`) caps sizes and time. A page that
links back to one already read, or paging past `max_pages`, stops with a warning instead of
looping (ckanext-dcat#260); a page that fails after others were read is reported and the
pages already read are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urldefrag, urljoin, urlparse

from rdflib import Graph, Literal, URIRef

from migrmeta.errors import EndpointError, InputError
from migrmeta.io.http import HttpClient
from migrmeta.namespaces import HYDRA
from migrmeta.rdf import syntaxes

DEFAULT_TIMEOUT = 60.0  # seconds to connect and between bytes: portals can be slow
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # as ckanext-dcat's harvester
DEFAULT_MAX_PAGES = 100
ACCEPT = syntaxes.accept_header("turtle")


@dataclass
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str
    format: str


@dataclass
class Pages:
    pages: list[tuple[Fetched, Graph]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)  # pages that failed after others were read


def is_url(text: str) -> bool:
    return urlparse(text).scheme in ("http", "https")


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
          client: HttpClient | None = None) -> Fetched:
    """GET one URL; an InputError naming the URL for every failure."""
    if not is_url(url):
        raise InputError(url, "only http and https URLs are fetched")
    http = client or HttpClient(timeout=timeout, max_bytes=max_bytes, retries=1)
    try:
        response = http.request("GET", url, what="import dcat", headers={"Accept": ACCEPT},
                                hints={404: "check the URL of the catalogue; other inputs are still imported"})
    except EndpointError as exc:
        raise InputError(url, exc.detail.removeprefix(f"{url}: ").removeprefix(f"{url} "),
                         hint=exc.hint or "check the URL; other inputs are still imported") from None
    return Fetched(response.url, response.content, response.content_type,
                   detect_format(response.content_type, response.url, response.content))


def detect_format(content_type: str, url: str, data: bytes) -> str:
    """From the Content-Type, else the URL's extension, else the first bytes."""
    found = syntaxes.for_media_type(content_type) or syntaxes.for_path(PurePosixPath(urlparse(url).path))
    return found.name if found else syntaxes.sniff(data)


def next_pages(graph: Graph, page_url: str) -> list[str]:
    """Hydra links to the next page (hydra:next, or hydra:nextPage as CKAN writes it, often a
    literal), resolved against the page URL; links from the page itself come first."""
    links: list[tuple[bool, str]] = []
    for predicate in (HYDRA.next, HYDRA.nextPage):
        for subject, target in graph.subject_objects(predicate):
            if isinstance(target, URIRef | Literal):
                own = str(subject) in (page_url, urldefrag(page_url)[0])
                links.append((not own, urljoin(page_url, str(target))))
    return [url for _, url in sorted(set(links))]


def _same_site(url: str, start: str) -> bool:
    a, b = urlparse(url), urlparse(start)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def fetch_pages(url: str, parse: Callable[[Fetched], Graph], *, max_pages: int = DEFAULT_MAX_PAGES,
                timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> Pages:
    """Fetch a catalogue and its following Hydra pages of the same site; loops and excess pages are warnings."""
    result = Pages()
    seen: set[str] = set()
    client = HttpClient(timeout=timeout, max_bytes=max_bytes, retries=1)
    current: str | None = url
    while current is not None:
        key = urldefrag(current)[0]
        if key in seen:
            result.warnings.append(f"{current}: this page was already read (the catalogue's paging links back "
                                   "to it); paging stopped")
            break
        if len(result.pages) >= max_pages:
            result.warnings.append(f"{current}: not read, paging stopped after {max_pages} pages "
                                   "(raise {--max-pages|max_pages=} to read more)")
            break
        if result.pages and not _same_site(current, url):
            result.warnings.append(f"{current}: not read, the next page is on another site than {url}; "
                                   "paging stopped (only pages of the catalogue's own site are followed)")
            break
        seen.add(key)
        try:
            page = fetch(current, client=client)
            graph = parse(page)
        except InputError as exc:
            if not result.pages:
                raise
            result.errors.append(exc)  # the pages already read are kept
            break
        seen.add(urldefrag(page.url)[0])
        result.pages.append((page, graph))
        following = next_pages(graph, page.url)
        current = following[0] if following else None
    return result
