"""Reading DDI Codebook XML: the codeBook elements of a file, local names, text and languages.

Elements are matched by local name, so every DDI Codebook namespace (1.2.2, 2.5, 2.6, and
none) is read alike. A file may be a bare codeBook or an OAI-PMH response holding several.
Mixed content becomes text with its paragraphs kept, including HTML that archives write as
escaped text (`&lt;p&gt;`). Parsing goes through safexml (no entities, no network).
"""

from __future__ import annotations

import html
import re

from lxml import etree

from migrmeta.errors import InputError
from migrmeta.io.safexml import parse_xml

VERSIONS = {
    "http://www.icpsr.umich.edu/DDI": "1.2.2",
    "ddi:codebook:2_5": "2.5",
    "ddi:codebook:2_6": "2.6",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The @vocab of the concepts and keywords `migrmeta export ddi` writes: it marks a file as ours.
OWN_VOCAB = "migrmeta"
_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_ESCAPED_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_ESCAPED_BLOCK = re.compile(r"</?(p|br|div|li|ul|ol|h[1-6]|tr|table)\b[^<>]*/?>", re.IGNORECASE)
_BLOCKS = {"p", "P", "br", "div", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4"}


def codebooks(data: bytes, source: str) -> list[etree._Element]:
    """The codeBook elements of DDI XML bytes: the root itself, or those in an envelope."""
    root = parse_xml(data, source).getroot()
    found = [root] if local_name(root) == "codeBook" else [e for e in root.iter() if local_name(e) == "codeBook"]
    if not found:
        raise InputError(
            source,
            f"no DDI codeBook element (the root is <{local_name(root)}>)",
            hint="give a DDI Codebook file or an OAI-PMH response with oai_ddi records",
        )
    return found


def undefined_entities(root: etree._Element) -> list[tuple[str, str]]:
    """(path of the element, `&name;`) for each entity reference the file leaves undefined
    (an external DTD, never loaded): the text keeps them as written, the loss report names them."""
    found = []
    for entity in root.iter(etree.Entity):
        parent = entity.getparent()
        path = "/".join(local_name(e) for e in reversed([parent, *parent.iterancestors()]) if local_name(e))
        found.append((path, entity.text or ""))
    return found


def is_own_export(codebook: etree._Element) -> bool:
    """Whether `migrmeta export ddi` wrote the codeBook: it codes concepts and migrant types
    with vocab="migrmeta", which no archive uses (what it writes as othRefs are citations)."""
    return any(e.get("vocab") == OWN_VOCAB for e in codebook.iter() if isinstance(e.tag, str))


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def explicit_lang(element: etree._Element) -> str | None:
    """The xml:lang in force at `element` (its own or an ancestor's), if it is a language tag."""
    for node in (element, *element.iterancestors()):
        value = (node.get(XML_LANG) or "").strip()
        if value and _LANG_TAG.match(value):
            return value
    return None


def text_of(element: etree._Element, skip: frozenset[str] = frozenset()) -> str:
    """Mixed content -> text; paragraphs (blank lines, <p>, <br/>) kept, other spacing folded.

    Children named in `skip` are left out with their text (their tails are kept): a
    `<concept>` coding an answer is not part of the answer's words.
    """
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and local_name(child) in skip:
                pass
            elif isinstance(child.tag, str):
                block = local_name(child) in _BLOCKS
                parts.append("\n\n" if block else "")
                walk(child)
                parts.append("\n\n" if block else "")
            elif isinstance(child, etree._Entity):  # undefined (its DTD is never loaded): kept as written
                parts.append(child.text or "")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    text = "".join(parts)
    if _ESCAPED_TAG.search(text):  # HTML written as text (&lt;p&gt;), common in archives' DDI
        text = _ESCAPED_BLOCK.sub("\n\n", text)
        text = html.unescape(_ESCAPED_TAG.sub("", text))
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)
