"""A small OAI-PMH 2.0 repository for tests, served by http_server.LocalServer on 127.0.0.1.

It serves the real DDI files of tests/data/ddi (copies of ../shared/ext/ddi, see its
SOURCE.txt), each codeBook wrapped in an OAI-PMH record, in pages of `page_size` records
with resumption tokens; Identify, ListMetadataFormats, ListRecords (from, until, set,
resumptionToken) and GetRecord; the error codes badResumptionToken, noRecordsMatch,
idDoesNotExist, cannotDisseminateFormat and badVerb. What a test wants to go wrong is set on
the `Repository`: a 503 with Retry-After on a page (once), a malformed page, a token that
loops, a redirect to another site. Besides /oai it serves an HTML page (/catalogue), JSON
(/api) and 404 for any other path. `server.hits` lists the paths asked for, in order.

    repo = Repository(ddi_items())
    server = http_server(repo.handler())
    migrmeta harvest oai {server.url}/oai -o drafts/
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from http_server import QuietHandler
from lxml import etree
from paths import DATA

DDI_DIR = DATA / "ddi"
# The real files (not those made for the tests), with the datestamps the repository gives them.
REAL = {
    "ag-eth-survey-2003_ddi.xml": "2023-01-10",
    "cps_00157.xml": "2023-02-11",
    "ddi_record_ukds_example.xml": "2023-03-12",
    "gesis-2800.xml": "2023-04-13",
    "ukds-7481.xml": "2023-05-14",
}
OAI = "http://www.openarchives.org/OAI/2.0/"
FORMATS = [  # (prefix, schema, namespace)
    ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    ("ddi", "http://www.icpsr.umich.edu/DDI/Version1-2-2.xsd", "http://www.icpsr.umich.edu/DDI"),
    ("oai_ddi25", "http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd",
     "ddi:codebook:2_5"),
]


@dataclass
class Item:
    """One record of the repository: its metadata (bytes of one element) or deleted."""

    identifier: str
    datestamp: str
    metadata: bytes = b""
    deleted: bool = False
    sets: tuple[str, ...] = ("migration",)
    dc: bytes = b""


def codebook_of(name: str) -> bytes:
    """The codeBook element of a test DDI file (bare or in an OAI-PMH envelope), as UTF-8 XML."""
    root = etree.parse(str(DDI_DIR / name)).getroot()
    book = root if etree.QName(root).localname == "codeBook" else next(
        e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "codeBook")
    return etree.tostring(book, encoding="utf-8")


def dublin_core(title: str, *extra: tuple[str, str]) -> bytes:
    fields = [("title", title), *extra]
    body = "".join(f"<dc:{name}>{html.escape(value)}</dc:{name}>" for name, value in fields)
    return ('<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/">{body}</oai_dc:dc>').encode()


def ddi_items() -> list[Item]:
    """The five real DDI files as records oai:test.migrmeta:<file stem>."""
    return [Item(f"oai:test.migrmeta:{name.rsplit('.', 1)[0]}", date, codebook_of(name),
                 dc=dublin_core(f"Study {name}", ("coverage", "Ethiopia")))
            for name, date in REAL.items()]


@dataclass
class Repository:
    """What the server holds and how it misbehaves; change it between harvests."""

    items: list[Item]
    page_size: int = 2
    response_date: str = "2024-06-01T12:00:00Z"
    granularity: str = "YYYY-MM-DD"
    formats: list[tuple[str, str, str]] = field(default_factory=lambda: list(FORMATS))
    busy_pages: set[int] = field(default_factory=set)  # pages answered once with 503 + Retry-After: 1
    malformed_pages: set[int] = field(default_factory=set)
    looping: bool = False  # every page sends the same token
    redirect_to: str | None = None  # resumption requests are redirected to this base URL
    tokens: dict[str, tuple[int, str, str, str, str]] = field(default_factory=dict)  # token -> page, from, until, set, prefix

    def handler(self) -> type[QuietHandler]:
        repository = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == "/catalogue":  # a catalogue's home page, not its OAI-PMH base URL
                    self.reply(b"<html><body>Welcome to our catalogue</body></html>", "text/html")
                    return
                if parts.path == "/api":  # its JSON API
                    self.reply(b'{"studies": []}', "application/json")
                    return
                if parts.path != "/oai":
                    self.send_error(404)
                    return
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                repository.answer(self, query)

        return Handler

    # --- answers -----------------------------------------------------------------------------

    def answer(self, handler: QuietHandler, query: dict[str, str]) -> None:
        verb = query.get("verb", "")
        if verb == "Identify":
            body = (f"<Identify><repositoryName>migrmeta test repository</repositoryName><baseURL>http://127.0.0.1/oai"
                    f"</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>test@example.org</adminEmail>"
                    f"<earliestDatestamp>2000-01-01</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
                    f"<granularity>{self.granularity}</granularity></Identify>")
        elif verb == "ListMetadataFormats":
            body = "<ListMetadataFormats>" + "".join(
                f"<metadataFormat><metadataPrefix>{p}</metadataPrefix><schema>{s}</schema>"
                f"<metadataNamespace>{n}</metadataNamespace></metadataFormat>" for p, s, n in self.formats
            ) + "</ListMetadataFormats>"
        elif verb == "ListRecords":
            self.list_records(handler, query)
            return
        elif verb == "GetRecord":
            item = next((i for i in self.items if i.identifier == query.get("identifier")), None)
            body = self.error("idDoesNotExist", "no such record") if item is None else \
                f"<GetRecord>{self.record(item, query.get('metadataPrefix', ''))}</GetRecord>"
        else:
            body = self.error("badVerb", f"illegal verb {verb!r}")
        self.send(handler, body)

    def list_records(self, handler: QuietHandler, query: dict[str, str]) -> None:
        if "resumptionToken" in query:
            found = self.tokens.get(query["resumptionToken"])
            if found is None:
                self.send(handler, self.error("badResumptionToken", "the token is unknown or expired"))
                return
            page, start, end, set_spec, prefix = found
            if self.redirect_to:
                handler.send_response(302)
                handler.send_header("Location", f"{self.redirect_to}?verb=ListRecords&resumptionToken={query['resumptionToken']}")
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
        else:
            page, start, end, set_spec = 0, query.get("from", ""), query.get("until", ""), query.get("set", "")
            prefix = query.get("metadataPrefix", "")
            if prefix not in {p for p, _, _ in self.formats}:
                self.send(handler, self.error("cannotDisseminateFormat", "unknown prefix"))
                return
        if page in self.busy_pages:
            self.busy_pages.discard(page)
            handler.send_response(503)
            handler.send_header("Retry-After", "1")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        chosen = [i for i in self.items if (not start or i.datestamp[:10] >= start[:10])
                  and (not end or i.datestamp[:10] <= end[:10]) and (not set_spec or set_spec in i.sets)]
        if not chosen:
            self.send(handler, self.error("noRecordsMatch", "no records"))
            return
        slice_ = chosen[page * self.page_size:(page + 1) * self.page_size]
        more = (page + 1) * self.page_size < len(chosen)
        token = ""
        if more or self.looping:
            token = "loop-token" if self.looping else f"t{len(self.tokens) + 1}-p{page + 1}"
            self.tokens[token] = (page + 1 if not self.looping else page, start, end, set_spec, prefix)
        records = "".join(self.record(i, prefix) for i in slice_)
        resumption = (f'<resumptionToken completeListSize="{len(chosen)}" cursor="{page * self.page_size}">'
                      f"{token}</resumptionToken>") if token or page else ""
        body = f"<ListRecords>{records}{resumption}</ListRecords>"
        if page in self.malformed_pages:
            self.send(handler, body, malformed=True)
            return
        self.send(handler, body)

    def record(self, item: Item, prefix: str) -> str:
        sets = "".join(f"<setSpec>{s}</setSpec>" for s in item.sets)
        status = ' status="deleted"' if item.deleted else ""
        header = (f"<header{status}><identifier>{item.identifier}</identifier><datestamp>{item.datestamp}</datestamp>"
                  f"{sets}</header>")
        if item.deleted:
            return f"<record>{header}</record>"
        metadata = item.dc if prefix == "oai_dc" else item.metadata
        return f"<record>{header}<metadata>{metadata.decode('utf-8')}</metadata></record>"

    @staticmethod
    def error(code: str, message: str) -> str:
        return f'<error code="{code}">{html.escape(message)}</error>'

    def send(self, handler: QuietHandler, body: str, *, malformed: bool = False) -> None:
        text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="{OAI}" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                f"<responseDate>{self.response_date}</responseDate>\n<request>http://127.0.0.1/oai</request>\n"
                f"{body}\n</OAI-PMH>\n")
        data = text.encode("utf-8")
        if malformed:  # cut in the middle of the second record, as a proxy that broke off would
            data = data[: data.find(b"<record>", data.find(b"<record>") + 1) + 200]
        handler.reply(data, "text/xml")
