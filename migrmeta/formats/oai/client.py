"""An OAI-PMH 2.0 harvester's requests: the six verbs, paging by resumption token, the format.

    client = OaiClient("https://catalog.ihsn.org/index.php/oai")
    client.identify()["granularity"]
    fmt = choose_format(client.metadata_formats())        # the richest DDI, else oai_dc
    for page in client.pages(fmt.prefix, from_="2024-01-01"):
        for record in page.records: ...

Polite and safe, through the one HTTP client (io/http.py): a timeout per request, retries
with backoff on 429/5xx honouring `Retry-After` (OAI-PMH's own 503 + Retry-After for "come
back later" is exactly that), a size cap per response and a total deadline. Every request
goes to the base URL the user gave, resumption requests included (a token is sent there as
a parameter, never followed as a URL), and an answer that was redirected to another origin
is refused. A token seen twice stops the harvest (a repository that loops), and so does a
number of pages over `max_pages`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

from migrmeta import defaults
from migrmeta.errors import UsageError
from migrmeta.formats.ddi.xml import VERSIONS
from migrmeta.formats.oai.protocol import (
    BASE_URL_HINT,
    OAI_DC,
    MetadataFormat,
    OaiError,
    OaiRecord,
    Page,
    read_response,
)
from migrmeta.io.http import HttpClient, safe_url

DEFAULT_MAX_PAGES = defaults.OAI_MAX_PAGES
MAX_REDIRECTS = 5
# DDI Codebook namespaces -> version, richest first when choosing; oai_dc is the fallback
# every repository must offer.
DDI_RANK = {"2.6": 3, "2.5": 2, "1.2.2": 1}


@dataclass(frozen=True)
class Choice:
    """The metadata format chosen, and what it is (`ddi` with a version, or `dc`)."""

    format: MetadataFormat
    kind: str  # "ddi" | "dc"
    version: str = ""


def choose_format(formats: list[MetadataFormat]) -> Choice | None:
    """The richest format offered: DDI Codebook 2.6, 2.5, 1.2.2 (by namespace, else by a
    prefix that names DDI), else oai_dc; None when neither is offered."""
    ranked: list[tuple[int, int, str, Choice]] = []
    for fmt in formats:
        version = VERSIONS.get(fmt.namespace.strip())
        by_name = False
        if version is None and "ddi" in fmt.prefix.lower():
            by_name = True
            name = fmt.prefix.lower().replace(".", "").replace("_", "")
            version = "2.6" if "26" in name else "2.5" if "25" in name else "1.2.2"
        if version is not None:
            ranked.append((DDI_RANK[version], 0 if by_name else 1, fmt.prefix, Choice(fmt, "ddi", version)))
        elif fmt.namespace.strip() == OAI_DC or fmt.prefix == "oai_dc":
            ranked.append((0, 1, fmt.prefix, Choice(fmt, "dc")))
    if not ranked:
        return None
    return sorted(ranked, key=lambda r: (-r[0], -r[1], r[2]))[0][3]  # ties: by namespace, then prefix A-Z


class OaiClient:
    """Requests to one OAI-PMH base URL."""

    def __init__(self, base_url: str, http: HttpClient | None = None, *, max_pages: int = DEFAULT_MAX_PAGES) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"{safe_url(base_url)!r} is not an http(s) URL",
                             hint="give the repository's OAI-PMH base URL, e.g. https://catalog.ihsn.org/index.php/oai")
        if parts.query or parts.fragment:
            raise UsageError(f"{safe_url(base_url)!r}: give the base URL without ?verb=... or other parameters")
        self.base_url = base_url
        self.http = http or HttpClient()
        self.max_pages = max_pages

    def url(self, verb: str, **params: str) -> str:
        """The request as a URL (for messages and provenance): the verb first, then the rest sorted."""
        query = [("verb", verb), *sorted((k.rstrip("_"), v) for k, v in params.items() if v)]
        return f"{safe_url(self.base_url)}?{urlencode(query)}"

    def request(self, verb: str, **params: str) -> Page:
        """One request to the base URL; the answer read as OAI-PMH. Redirects are followed
        only within the base URL's site (at most MAX_REDIRECTS)."""
        shown = self.url(verb, **params)
        query: dict[str, str] | None = {"verb": verb, **{k.rstrip("_"): v for k, v in params.items() if v}}
        target = self.base_url
        for _ in range(MAX_REDIRECTS + 1):
            response = self.http.request("GET", target, what=f"OAI-PMH {verb}", params=query, allow_redirects=False,
                                         headers={"Accept": "text/xml, application/xml;q=0.9"},
                                         hints={404: f"check the URL: {BASE_URL_HINT}"})
            location = response.headers.get("Location", "")
            if response.status not in (301, 302, 303, 307, 308) or not location:
                return read_response(response.content, shown, verb)
            target, query = urljoin(target, location), None
            if _origin(target) != _origin(self.base_url):
                raise OaiError(f"{shown}: the repository redirects to {safe_url(target)}, another site: not followed",
                               "redirect", "harvest from the repository's own base URL; migrmeta pages through "
                                           "one site only")
        raise OaiError(f"{shown}: more than {MAX_REDIRECTS} redirects", "redirect")

    def identify(self) -> dict[str, str]:
        return self.request("Identify").identify

    def metadata_formats(self) -> list[MetadataFormat]:
        return self.request("ListMetadataFormats").formats

    def pages(self, prefix: str, *, set_spec: str | None = None, from_: str | None = None,
              until: str | None = None) -> Iterator[Page]:
        """ListRecords, page after page, following resumption tokens to the end of the list."""
        page = self.request("ListRecords", metadataPrefix=prefix, set=set_spec or "", from_=from_ or "",
                            until=until or "")
        seen: set[str] = set()
        count = 1
        while True:
            yield page
            token = page.token
            if not token:
                return
            if token in seen:
                raise OaiError(f"{self.url('ListRecords', resumptionToken=token)}: the repository sent the "
                               f"resumption token {token!r} a second time: stopping (it would loop)", "loop",
                               "tell the repository's maintainers; the records read so far are kept")
            seen.add(token)
            count += 1
            if count > self.max_pages:
                raise OaiError(f"{safe_url(self.base_url)}: more than {self.max_pages} pages: stopping", "pages",
                               "raise --max-pages if the repository is that large, or harvest by --set or --from")
            page = self.request("ListRecords", resumptionToken=token)

    def get_record(self, identifier: str, prefix: str) -> OaiRecord:
        page = self.request("GetRecord", identifier=identifier, metadataPrefix=prefix)
        if not page.records:
            raise OaiError(f"{self.url('GetRecord', identifier=identifier, metadataPrefix=prefix)}: "
                           "an answer without the record", "idDoesNotExist")
        return page.records[0]

    def record_url(self, identifier: str, prefix: str) -> str:
        """The GetRecord URL of a record: where a draft's facts come from."""
        return self.url("GetRecord", identifier=identifier, metadataPrefix=prefix)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.rpartition("@")[2].lower()


__all__ = ["DEFAULT_MAX_PAGES", "Choice", "OaiClient", "choose_format"]
