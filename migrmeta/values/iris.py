"""IRIs given as answers: checked before they become RDF terms.

An answer that is an IRI (a survey id `<...>`, a homepage, a link of a DDI or DCAT file)
must be an absolute IRI in the syntax of RFC 3987: a scheme (`https:`, `urn:`, ...)
followed by characters an IRI may hold, so never a space, a control character or one of
``< > " { } | \\ ^ ` ``, and `%` only as a %XX escape. A relative reference (`../x`) is
refused: a record's subject must not depend on where the file happens to be.

A DOI is recognised in each of its written forms (`doi_of`: bare, `doi:`, a doi.org address)
by the importers and the schema.org writer alike.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from migrmeta.rdf.iri import iri_problem as rdf_iri_problem
from migrmeta.values.errors import BadValue

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WEB = re.compile(r"^https?://[^/?#]+")
_HOST_FIRST = re.compile(r"^(www\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(/\S*)?$")  # psa.gov.ph/x
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


def iri_problem(text: str) -> str | None:
    """Why `text` is not an absolute IRI, or None when it is one."""
    if not text:
        return "is empty"
    bad = _FORBIDDEN.search(text)
    if bad:
        char = bad.group(0)
        shown = "a space" if char == " " else f"the character {char!r}" if char.isprintable() \
            else f"the control character U+{ord(char):04X}"
        return f"holds {shown}, which a web address may not hold (write it as %{ord(char):02X} if it is meant)"
    if _BAD_ESCAPE.search(text):
        return "has a % that is not followed by two hexadecimal digits"
    if not _SCHEME.match(text):
        return "is not a full web address: write it whole, starting with https:// (or urn:, doi:, ...)"
    if text.split(":", 1)[0].lower() in ("http", "https") and not _WEB.match(text):
        return "is not a web address (https://host/...)"
    strict = rdf_iri_problem(text)  # the one IRI rule, after the friendlier explanations above
    return None if strict is None else f"is not a valid IRI ({strict})"


def is_iri(text: str) -> bool:
    """An absolute IRI (RFC 3987 syntax, see the module)."""
    return iri_problem(text) is None


def is_web_address(text: str) -> bool:
    """An absolute http(s) IRI."""
    return is_iri(text) and bool(_WEB.match(text))


def doi_of(text: str) -> str | None:
    """The DOI (`10.1234/abc`) that `text` is, written bare, as `doi:` or as a doi.org
    address; None when it is not one."""
    found = _DOI.match(text.strip())
    return found.group(1) if found else None


def parse_iri(answer: object) -> URIRef:
    """An IRI as written, in angle brackets or not -> a URIRef; BadValue otherwise.

    A web address written without its scheme (`psa.gov.ph`) gets `https://` as a suggestion.
    """
    text = str(answer).strip()
    bracketed = text.startswith("<") and text.endswith(">")
    if bracketed:
        text = text[1:-1].strip()
    problem = iri_problem(text)
    if problem is None:
        return URIRef(text)
    fix = None
    if _HOST_FIRST.match(text) and is_iri(f"https://{text}"):
        fix = f"https://{text}"
        problem = "is not a web address (it must start with https:// or http://)"
    elif not bracketed and not _SCHEME.match(text) and len(text.split()) > 2:  # words: a reference typed here
        problem = ("is not a web address but reads as a reference to a document: give it as a citation, "
                   "and here the address of the page you read")
    raise BadValue(f'"{text}" {problem}', fix)


def is_bracketed(answer: object) -> bool:
    """`<...>`: the answer is given as an IRI."""
    text = str(answer).strip()
    return text.startswith("<") and text.endswith(">")
