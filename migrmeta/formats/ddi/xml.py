"""Reading DDI Codebook XML: the codeBook elements of a file, local names, text and languages.

Elements are matched by local name, so every DDI Codebook namespace (1.2.2, 2.5, 2.6, and
none) is read alike. A file may be a bare codeBook or an OAI-PMH response holding several.
Mixed content becomes text with its paragraphs kept, including HTML that archives write as
escaped text (`&lt;p&gt;`); a link keeps its address after its words ("I-CeM Guide
(https://...)"). An empty DDI element inside text (`<conditions>See <restrctn/></conditions>`)
points to another element rather than saying something: the sentence holding it is left out
of the text, and `pointers` lists it for the loss report. Parsing goes through safexml (no
entities, no network).
"""

from __future__ import annotations

import html
import re

from lxml import etree

from migrmeta.errors import InputError
from migrmeta.io.safexml import parse_xml
from migrmeta.namespaces import SURVEY_DESIGN
from migrmeta.values.text import LANGUAGE_TAG

VERSIONS = {
    "http://www.icpsr.umich.edu/DDI": "1.2.2",
    "ddi:codebook:2_5": "2.5",
    "ddi:codebook:2_6": "2.6",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The @vocab of the concepts and keywords `migrmeta export ddi` writes: it marks a file as ours.
OWN_VOCAB = "migrmeta"
OWN_SOFTWARE = "migrmeta"  # docDscr/citation/prodStmt/software of the files it writes: the producer of the document
# Item 8 as DDI says it: the survey designs that are a time dimension are timeMeth; whether the
# survey is dedicated or a module is a `method/notes` of this subject, the concept's IRI its type.
TIME_METHODS = frozenset(SURVEY_DESIGN[name] for name in ("longitudinal.panel", "retrospective.biographic",
                                                          "repeated-cross-section"))
DESIGN_NOTE = "survey design"
_ESCAPED_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_ESCAPED_BLOCK = re.compile(r"</?(p|br|div|li|ul|ol|h[1-6]|tr|table)\b[^<>]*/?>", re.IGNORECASE)
_BLOCKS = {"p", "br", "div", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4"}
_INLINE = {"a", "b", "i", "u", "em", "strong", "span", "sub", "sup", "small", "big", "code", "tt", "q", "cite",
           "abbr", "s", "strike", "font", "img", "hr", "th", "td"}  # HTML: never a pointer
_ESCAPED_LINK = re.compile(
    r"<a\b[^<>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s<>\"']+))[^<>]*>(.*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
_POINTER, _POINTER_END = "\x00", "\x01"  # around the name of an element pointed to (XML text holds neither)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> list[str]:
    """A paragraph's sentences: one ends at . ! or ? before a capital, a digit, a quote or a
    bracket ("e.g. the terms" goes on)."""
    found, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        following = text[end.end():end.end() + 1]
        if following.isupper() or following.isdigit() or following in "\"'([“«":
            found.append(text[start:end.start()])
            start = end.end()
    return [*found, text[start:]]


def codebooks(data: bytes, source: str) -> list[etree._Element]:
    """The codeBook elements of DDI XML bytes: the root itself, or those in an envelope."""
    root = parse_xml(data, source, "a DDI Codebook XML file").getroot()
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
    return [(path_of(entity.getparent()), entity.text or "") for entity in root.iter(etree.Entity)]


def pointers(root: etree._Element) -> list[tuple[str, str]]:
    """(path of the element, the sentence as written) for each sentence that `text_of` leaves
    out because it holds an empty element pointing elsewhere ("See <restrctn/>")."""
    found: list[tuple[str, str]] = []
    told: set[etree._Element] = set()  # an element's text holds its descendants': each sentence told once
    for element in root.iter():
        if isinstance(element.tag, str) and any(_is_pointer(c) for c in element) and \
                not any(a in told for a in element.iterancestors()):
            told.add(element)
            found.extend((path_of(element), sentence) for sentence in _text(element)[1])
    return found


def path_of(element: etree._Element) -> str:
    return "/".join(local_name(e) for e in reversed([element, *element.iterancestors()]) if local_name(e))


def is_own_export(codebook: etree._Element) -> bool:
    """Whether `migrmeta export ddi` wrote the codeBook (what it writes as othRefs are
    citations): the document says so (docDscr's `<software>migrmeta</software>`), or, in a file
    written before it did, it codes concepts and migrant types with vocab="migrmeta", which no
    archive uses (a series codes none: its citations were lost, a reviewer's find)."""
    for document in (e for e in codebook if local_name(e) == "docDscr"):
        if any(local_name(e) == "software" and (e.text or "").strip() == OWN_SOFTWARE for e in document.iter()):
            return True
    return any(e.get("vocab") == OWN_VOCAB for e in codebook.iter() if isinstance(e.tag, str))


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def explicit_lang(element: etree._Element) -> str | None:
    """The xml:lang in force at `element` (its own or an ancestor's), if it is a language tag."""
    for node in (element, *element.iterancestors()):
        value = (node.get(XML_LANG) or "").strip()
        if value and LANGUAGE_TAG.match(value):
            return value
    return None


def text_of(element: etree._Element, skip: frozenset[str] = frozenset()) -> str:
    """Mixed content -> text; paragraphs (blank lines, <p>, <br/>) kept, other spacing folded.

    Children named in `skip` are left out with their text (their tails are kept): a
    `<concept>` coding an answer is not part of the answer's words. A link (`<a href>`, also
    written as escaped text) is its words followed by its address in brackets. A sentence
    holding an empty element that points elsewhere ("See <restrctn/>") is left out.
    """
    return _text(element, skip)[0]


def _text(element: etree._Element, skip: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """The text, and the sentences left out for their pointers (the pointer written `<name/>`)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and local_name(child) in skip:
                pass
            elif _is_pointer(child):
                parts.append(f"{_POINTER}{local_name(child)}{_POINTER_END}")
            elif isinstance(child.tag, str):
                block = local_name(child).lower() in _BLOCKS  # HTML in DDI: <P>, <BR/> as often as <p>
                parts.append("\n\n" if block else "")
                start = len(parts)
                walk(child)
                if local_name(child) == "a" and (child.get("href") or "").strip():
                    parts[start:] = [_linked("".join(parts[start:]), child.get("href") or "")]
                parts.append("\n\n" if block else "")
            elif isinstance(child, etree._Entity):  # undefined (its DTD is never loaded): kept as written
                parts.append(child.text or "")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    text = "".join(parts)
    if _ESCAPED_TAG.search(text):  # HTML written as text (&lt;p&gt;), common in archives' DDI
        text = _ESCAPED_LINK.sub(lambda m: _linked(m.group(4), m.group(1) or m.group(2) or m.group(3) or ""), text)
        text = _ESCAPED_BLOCK.sub("\n\n", text)
        text = html.unescape(_ESCAPED_TAG.sub("", text))
    kept: list[str] = []
    left_out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        sentences = _sentences(" ".join(paragraph.split()))
        left_out += [_written(s) for s in sentences if _POINTER in s]
        kept.append(" ".join(s for s in sentences if s and _POINTER not in s))
    return "\n\n".join(p for p in kept if p), left_out


def _is_pointer(node: etree._Element) -> bool:
    """An empty DDI element among words ("See <restrctn/>"): it names another element instead
    of saying something. (An empty element among elements, `<titlStmt>...<subTitl/>`, is none.)"""
    if not isinstance(node.tag, str) or len(node) or (node.text or "").strip() or node.attrib or \
            local_name(node).lower() in _BLOCKS or local_name(node).lower() in _INLINE:
        return False
    parent = node.getparent()
    return parent is not None and bool((parent.text or "").strip() or any((c.tail or "").strip() for c in parent))


def _linked(words: str, address: str) -> str:
    """A link's words with its address after them, before their closing punctuation:
    "ICeM-Nesstar." -> "ICeM-Nesstar (http://...)."; the address alone when the words are it."""
    address = " ".join(address.split())
    shown = _ESCAPED_TAG.sub("", words)
    if not shown.strip() or address in shown:
        return words if shown.strip() else address
    body = words.rstrip()
    closing = re.search(r"[.,;:!?]*$", body)
    cut = closing.start() if closing else len(body)
    return f"{body[:cut]} ({address}){body[cut:]}{words[len(body):]}"


def _written(sentence: str) -> str:
    return sentence.replace(_POINTER, "<").replace(_POINTER_END, "/>")
