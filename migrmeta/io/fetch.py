"""HTTP(S) fetching for importers: timeouts, a size cap, content types and Hydra paging.

    page = fetch("https://portal.example/catalog.ttl")
    result = fetch_pages(url, parse)       # follows hydra:next / hydra:nextPage

Only the URL the user gives (and the catalogue pages it links to with Hydra) is fetched;
nothing else a document names (contexts, schemas, entities) ever is. Responses are streamed
and abandoned past `max_bytes`; a page that links back to one already read, or paging past
`max_pages`, stops with a warning instead of looping (ckanext-dcat#260).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urldefrag, urljoin, urlparse

import requests
from rdflib import Graph, Literal, URIRef

from migrmeta.errors import InputError
from migrmeta.load.files import FORMATS
from migrmeta.namespaces import HYDRA

# Hydra Core; not yet in namespaces.py (owned by the lead), used only here.

DEFAULT_TIMEOUT = (10.0, 60.0)  # seconds: connect, read (between bytes)
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # as ckanext-dcat's harvester
DEFAULT_MAX_PAGES = 100
CHUNK = 64 * 1024
CONTENT_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",  # CKAN and Project Open Data catalogues
    "application/n-triples": "ntriples",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
ACCEPT = ", ".join(
    [
        "text/turtle",
        "application/rdf+xml;q=0.9",
        "application/ld+json;q=0.9",
        "application/json;q=0.5",
        "*/*;q=0.1",
    ]
)


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


def is_url(text: str) -> bool:
    return urlparse(text).scheme in ("http", "https")


def fetch(
    url: str,
    *,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    session: requests.Session | None = None,
) -> Fetched:
    """GET one URL; InputError (naming the URL) for every failure."""
    if not is_url(url):
        raise InputError(url, "only http and https URLs are fetched")
    http = session or requests.Session()
    try:
        with http.get(url, timeout=timeout, stream=True, headers={"Accept": ACCEPT}) as response:
            if response.status_code >= 400:
                raise InputError(
                    url,
                    f"HTTP {response.status_code} {response.reason or ''}".rstrip(),
                    hint="check the URL; other inputs are still imported",
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise InputError(
                    url,
                    f"is {int(declared) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit",
                    hint="raise the limit with --max-mb, or download the file and import it",
                )
            chunks, size = [], 0
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(
                        url,
                        f"is over the {max_bytes / 1e6:.1f} MB limit: download aborted",
                        hint="raise the limit with --max-mb, or download the file and import it",
                    )
                chunks.append(chunk)
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            final = response.url or url
    except requests.exceptions.Timeout as exc:
        raise InputError(
            url,
            f"timed out (connect {timeout[0]:g} s, read {timeout[1]:g} s)",
            hint="try again later or raise --timeout",
        ) from exc
    except requests.exceptions.RequestException as exc:
        raise InputError(url, f"cannot be fetched: {type(exc).__name__}: {exc}") from exc
    data = b"".join(chunks)
    return Fetched(final, data, content_type, detect_format(content_type, final, data))


def detect_format(content_type: str, url: str, data: bytes) -> str:
    """From the Content-Type, else the URL's extension, else the first bytes."""
    if content_type in CONTENT_TYPES:
        return CONTENT_TYPES[content_type]
    suffix = PurePosixPath(urlparse(url).path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    head = data.lstrip()[:100]
    if head.startswith((b"{", b"[")):
        return "jsonld"
    if head.startswith((b"<?xml", b"<rdf:RDF")):
        return "rdfxml"
    return "turtle"


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


def fetch_pages(
    url: str,
    parse: Callable[[Fetched], Graph],
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Pages:
    """Fetch a catalogue and its following Hydra pages; loops and excess pages are warnings."""
    result = Pages()
    seen: set[str] = set()
    session = requests.Session()
    current: str | None = url
    while current is not None:
        key = urldefrag(current)[0]
        if key in seen:
            result.warnings.append(
                f"{current}: this page was already read (the catalogue's paging links back to it); paging stopped"
            )
            break
        if len(result.pages) >= max_pages:
            result.warnings.append(
                f"{current}: not read, paging stopped after {max_pages} pages (raise --max-pages to read more)"
            )
            break
        seen.add(key)
        page = fetch(current, timeout=timeout, max_bytes=max_bytes, session=session)
        seen.add(urldefrag(page.url)[0])
        graph = parse(page)
        result.pages.append((page, graph))
        following = next_pages(graph, page.url)
        current = following[0] if following else None
    return result
