"""Parse XML from outside sources safely: no DTD loading, no entities, no network.

DDI files come from archives we do not control. An XML document can ask the parser to read
local files (`<!ENTITY x SYSTEM "file:///etc/passwd">`), to fetch URLs, or to expand a few
entities into gigabytes (the "billion laughs"). Any entity declaration in the internal DTD
subset is refused before parsing, with an error naming the file and line (real metadata never
needs one, and silently dropping it would change the text); lxml then parses with
`resolve_entities=False`, `load_dtd=False` and `no_network=True`, so nothing is ever
expanded, read from disk or fetched.
"""

from __future__ import annotations

import re

from lxml import etree

from migrmeta.errors import InputError

_HINT = "DDI and DCAT files never need entity declarations; remove the <!DOCTYPE ...> block"


def parser() -> etree.XMLParser:
    """The one parser configuration used for every outside XML document."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,  # keep libxml2's limits on depth and text size
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, source: str, expected: str = "an XML file") -> etree._ElementTree:
    """Bytes (any encoding the XML declaration or byte-order mark names) -> a safe tree.

    Raises InputError for malformed XML and for documents declaring entities; an empty file
    is said to need `expected` ("a DDI Codebook XML file").
    """
    if not data.strip():
        raise InputError(source, "is empty", hint=f"give {expected}")
    _refuse_entities(data, source)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = _plain(exc.msg or str(exc))
        if "entity" in message.lower() and ("amplification" in message.lower() or "loop" in message.lower()):
            what = f"entity expansion refused (billion laughs?): {message}"
            raise InputError(source, what, line=line, hint=_HINT) from exc
        raise InputError(
            source,
            f"XML syntax error: {message}",
            line=line,
            column=column,
            hint="fix the XML at that line (is the file complete?)",
        ) from exc
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise InputError(source, f"cannot be read as XML: {exc}") from exc
    if tree.docinfo.internalDTD is not None and any(True for _ in tree.docinfo.internalDTD.iterentities()):
        raise InputError(source, "entity declarations are refused", hint=_HINT)  # missed by the scan
    return tree


# lxml ends libxml2's message with the position, which the location already gives
_POSITION = re.compile(r",?\s*line \d+, column \d+\s*$")
# libxml2 names an element by where it was opened: "in tag record line 4", "mismatch: b line 2 and c"
_OPENED = re.compile(r"(\S+) line (\d+)\b")


def _plain(message: str) -> str:
    """libxml2's message without the position lxml appends, an element named as <name> (opened on line N)."""
    return _OPENED.sub(r"<\1> (opened on line \2)", _POSITION.sub("", message))


_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.DOTALL)
_ENTITY = re.compile(r"<!ENTITY\s+(%\s+)?([^\s%]+)\s+(?:(SYSTEM|PUBLIC)\s+)?(?:\"([^\"]*)\"|'([^']*)')")


def _refuse_entities(data: bytes, source: str) -> None:
    """Refuse entity declarations in the internal DTD subset, before libxml2 sees them."""
    text = _decode(data)
    doctype = _DOCTYPE.search(text)
    root = re.search(r"<[A-Za-z_]", text)
    if doctype is None or (root is not None and root.start() < doctype.start()):
        return  # no DTD, or "<!DOCTYPE" only in the text of the document
    declared = list(_ENTITY.finditer(doctype.group(1)))
    if not declared and "<!ENTITY" not in doctype.group(1):
        return
    external = [m for m in declared if m.group(3)]
    nested = [m for m in declared if "&" in (m.group(4) or m.group(5) or "") or "%" in (m.group(4) or "")]
    if external:
        culprit = external[0]
        what = f"external entity '{culprit.group(2)}' ({culprit.group(4) or culprit.group(5)}) is not loaded"
    elif nested:
        culprit = nested[0]
        what = (
            f"entity '{culprit.group(2)}' expands other entities: an entity-expansion bomb (billion laughs) is refused"
        )
    elif declared:
        culprit = declared[0]
        what = f"entity declaration '{culprit.group(2)}' is refused"
    else:
        raise InputError(source, "entity declarations are refused", line=_line(text, doctype.start()), hint=_HINT)
    offset = doctype.start(1) + culprit.start()
    raise InputError(source, what, line=_line(text, offset), hint=_HINT)


def _decode(data: bytes) -> str:
    """Enough of the text to find the DTD: UTF-16 by its byte-order mark or zero bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if len(data) > 1 and data[0] == 0:
        return data.decode("utf-16-be", errors="replace")
    if len(data) > 1 and data[1] == 0:
        return data.decode("utf-16-le", errors="replace")
    return data.decode("utf-8", errors="replace")


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
