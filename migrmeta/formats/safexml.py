"""Parse XML from outside sources safely: no DTD loading, no entities, no network.

DDI files come from archives we do not control. An XML document can ask the parser to read
local files (`<!ENTITY x SYSTEM "file:///etc/passwd">`), to fetch URLs, or to expand a few
entities into gigabytes (the "billion laughs"). lxml is used with `resolve_entities=False`,
`load_dtd=False` and `no_network=True`, so nothing is ever expanded or fetched; on top of that
any entity declaration in the internal DTD subset is refused with an error naming the file
and line, because real metadata never needs one and silently dropping it would change text.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import InputError

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


def parse_xml(data: bytes, source: str) -> etree._ElementTree:
    """Bytes (any encoding the XML declaration or byte-order mark names) -> a safe tree.

    Raises InputError for malformed XML and for documents declaring entities.
    """
    if not data.strip():
        raise InputError(source, "is empty", hint="give a DDI Codebook XML file")
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = exc.msg or str(exc)
        if "entity" in message.lower() and (
            "amplification" in message.lower() or "loop" in message.lower()
        ):
            raise InputError(
                source, f"entity expansion refused ({message})", line=line, hint=_HINT
            ) from exc
        raise InputError(
            source,
            f"XML syntax error: {message}",
            line=line,
            column=column,
            hint="fix the XML at that line (is the file complete?)",
        ) from exc
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise InputError(source, f"cannot be read as XML: {exc}") from exc
    _refuse_entities(tree, source, data)
    return tree


def _refuse_entities(tree: etree._ElementTree, source: str, data: bytes) -> None:
    dtd = tree.docinfo.internalDTD
    if dtd is None:
        return
    entities = list(dtd.iterentities())
    if not entities:
        return
    external = [e for e in entities if e.system_url or e.content is None]
    nested = [e for e in entities if e.content and "&" in e.content]
    if external:
        culprit = external[0]
        what = (
            f"external entity '{culprit.name}' ({culprit.system_url or 'no content'}) is not loaded"
        )
    elif nested:
        culprit = nested[0]
        what = (
            f"entity '{culprit.name}' expands other entities: an entity-expansion bomb "
            "(billion laughs) is refused"
        )
    else:
        culprit = entities[0]
        what = f"entity declaration '{culprit.name}' is refused"
    raise InputError(source, what, line=_line_of_entity(data, culprit.name), hint=_HINT)


def _line_of_entity(data: bytes, name: str) -> int | None:
    """The line of `<!ENTITY name` in the raw bytes (UTF-8 or UTF-16), for the message."""
    for encoding in ("utf-8", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        found = re.search(rf"<!ENTITY\s+(%\s+)?{re.escape(name)}\b", text)
        index = found.start() if found else -1
        if index < 0:
            index = text.find("<!ENTITY")
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None
