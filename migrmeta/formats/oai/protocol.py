"""OAI-PMH 2.0 responses, read: the envelope, error codes, headers, records, resumption tokens.

    page = read_response(data, source="http://host/oai?verb=ListRecords&...", verb="ListRecords")
    page.records, page.token, page.response_date

Only what the protocol defines is read (http://www.openarchives.org/OAI/2.0/openarchivesprotocol.htm):
the root element must be `OAI-PMH` in the OAI 2.0 namespace, or the answer is refused as "not
OAI-PMH". Parsing goes through the safe XML parser (no DTD, no entities, no network). An
`<error>` becomes an `OaiError` carrying its code, except `noRecordsMatch`, which is an
empty list (a harvest of what changed since yesterday may well find nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from migrmeta.errors import EndpointError, InputError
from migrmeta.io.safexml import parse_xml

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
_NS = {"o": OAI}
VERBS = ("Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords", "GetRecord")
# What to do when the URL given is not an OAI-PMH base URL (an answer that is not OAI-PMH, an HTTP 404)
BASE_URL_HINT = ("give the repository's OAI-PMH base URL (often ending in /oai or /OAIHandler; NADA: /index.php/oai, "
                 "Dataverse: /oai)")
# What each error code means for the person harvesting, and what to do.
ERROR_HINTS = {
    "badArgument": "the repository refused the request's arguments: check --from/--until (YYYY-MM-DD) and --set",
    "badResumptionToken": "the resumption token expired or is unknown to the repository: run the harvest again "
                          "(it starts again from the last complete harvest)",
    "badVerb": "the repository does not understand the request: is this an OAI-PMH 2.0 base URL?",
    "cannotDisseminateFormat": "the repository does not offer this metadata format: leave out --prefix to let "
                               "migrmeta choose among the formats it offers",
    "idDoesNotExist": "no record has this identifier in the repository: check --record",
    "noMetadataFormats": "the repository offers no metadata format for this item",
    "noSetHierarchy": "the repository has no sets: leave out --set",
}


class OaiError(EndpointError):
    """The repository answered with an OAI-PMH error (`code`), or not with OAI-PMH at all."""

    def __init__(self, message: str, code: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.code = code


@dataclass(frozen=True)
class Header:
    identifier: str
    datestamp: str
    deleted: bool = False
    sets: tuple[str, ...] = ()


@dataclass(frozen=True)
class OaiRecord:
    """One record: its header and, unless deleted, the metadata element (e.g. a codeBook)."""

    header: Header
    metadata: etree._Element | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str = ""
    namespace: str = ""


@dataclass
class Page:
    """One response: the records (or formats, or Identify's fields) and the resumption token."""

    verb: str
    response_date: str
    records: list[OaiRecord] = field(default_factory=list)
    formats: list[MetadataFormat] = field(default_factory=list)
    identify: dict[str, str] = field(default_factory=dict)
    token: str | None = None  # None or "" when the list is complete
    complete_size: int | None = None


def read_response(data: bytes, source: str, verb: str) -> Page:
    """Bytes of one OAI-PMH response -> a Page; OaiError for an error or a non-OAI answer,
    InputError (with the line) for XML that does not parse."""
    try:
        root = parse_xml(data, source, "an OAI-PMH response").getroot()
    except InputError as exc:
        if not data.lstrip().startswith(b"<?xml") and b"OAI-PMH" not in data[:2000]:
            raise _not_oai(source, "is not XML") from exc
        raise
    if etree.QName(root).namespace != OAI or etree.QName(root).localname != "OAI-PMH":
        raise _not_oai(source, f"is <{etree.QName(root).localname}> ({etree.QName(root).namespace or 'no namespace'})")
    page = Page(verb, _text(root.find("o:responseDate", _NS)))
    for error in root.findall("o:error", _NS):
        code = error.get("code", "")
        if code == "noRecordsMatch":
            return page
        message = " ".join((error.text or "").split())
        raise OaiError(f"{source}: the repository answered OAI-PMH error {code or '(no code)'}"
                       + (f": {message}" if message else ""), code, ERROR_HINTS.get(code))
    body = root.find(f"o:{verb}", _NS)
    if body is None:
        raise _not_oai(source, f"is an OAI-PMH response without <{verb}>")
    if verb == "Identify":
        page.identify = {etree.QName(c).localname: _text(c) for c in body if isinstance(c.tag, str)
                         and etree.QName(c).localname != "description"}
    elif verb == "ListMetadataFormats":
        page.formats = [MetadataFormat(_text(f.find("o:metadataPrefix", _NS)), _text(f.find("o:schema", _NS)),
                                       _text(f.find("o:metadataNamespace", _NS)))
                        for f in body.findall("o:metadataFormat", _NS)]
    else:
        page.records = [_record(r, source) for r in body.findall("o:record", _NS)]
        token = body.find("o:resumptionToken", _NS)
        if token is not None:
            page.token = _text(token) or None
            size = token.get("completeListSize", "")
            page.complete_size = int(size) if size.isdigit() else None
    return page


def _record(element: etree._Element, source: str) -> OaiRecord:
    header = element.find("o:header", _NS)
    if header is None:
        raise InputError(source, "an OAI-PMH record without a <header>", line=element.sourceline,
                         hint="the repository's answer is broken; tell its maintainers")
    identifier = _text(header.find("o:identifier", _NS))
    if not identifier:
        raise InputError(source, "an OAI-PMH record without an <identifier>", line=header.sourceline,
                         hint="the repository's answer is broken; tell its maintainers")
    info = Header(identifier, _text(header.find("o:datestamp", _NS)), header.get("status") == "deleted",
                  tuple(_text(s) for s in header.findall("o:setSpec", _NS)))
    metadata = element.find("o:metadata", _NS)
    content = next((c for c in metadata if isinstance(c.tag, str)), None) if metadata is not None else None
    return OaiRecord(info, None if info.deleted else content)


def _text(element: etree._Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _not_oai(source: str, what: str) -> OaiError:
    """`what`: what the answer is ("is not XML", "is <html> (no namespace)")."""
    return OaiError(f"{source}: not an OAI-PMH 2.0 endpoint: its answer {what}", "notOai", BASE_URL_HINT)


__all__ = ["BASE_URL_HINT", "OAI", "OAI_DC", "VERBS", "Header", "MetadataFormat", "OaiError", "OaiRecord", "Page",
           "read_response"]
