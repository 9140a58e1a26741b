"""Input bytes -> text: empty, binary, UTF-16 and Latin-1 files refused with what to do."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from migrmeta.errors import InputError

_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an XLSX spreadsheet?): use `migrmeta import sheet` for spreadsheets",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive: decompress it first",
}


def check_text(data: bytes, source: str, *, xml: bool = False, kind: str = "RDF",
               resave: str | None = None) -> str:
    """The text of `data`, or an InputError saying why it is not UTF-8 text (`kind`: what the
    file should be, "RDF", "a CSV sheet"...; `resave`: how to get such a file, for a binary one).

    XML declares its own encoding: for `xml=True` a UTF-16 or declared non-UTF-8 document
    gives "" and the XML parser reads the bytes.
    """
    if not data.strip():
        raise InputError(source, "is empty", hint="fill it in (records/ and docs/ have examples)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        if xml:
            return ""
        raise InputError(source, "is encoded in UTF-16; it must be UTF-8",
                         hint=f"save it as UTF-8 (e.g. `{_iconv('UTF-16', source)}`)")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(source, f"is a binary file ({what}), not {kind}", hint=resave)
    if (nul := data.find(b"\x00", 0, 8192)) >= 0:
        raise InputError(source, f"is a binary file (a NUL byte), not {kind}", line=data.count(b"\n", 0, nul) + 1,
                         hint=resave or "is it the right file? records are text: Turtle, JSON-LD, N-Triples, "
                                        "TriG, N-Quads or RDF/XML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if xml and re.match(rb"\s*<\?xml[^>]*encoding=", data):
            return ""
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            source, f"is not UTF-8 (byte 0x{data[exc.start]:02X}); it looks like Latin-1 or Windows-1252",
            line=line, column=column, hint=f"save it as UTF-8 (e.g. `{_iconv('LATIN1', source)}`)",
        ) from exc


_SURROGATE = re.compile("[\ud800-\udfff]")


def _joined(text: str, source: str) -> str:
    """`text` with escaped surrogate pairs (YAML's "\\ud83d\\ude00") made one character; a lone one refused."""
    if not _SURROGATE.search(text):
        return text
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if joined.count("\ufffd") > text.count("\ufffd"):
        raise InputError(source, f"holds a lone surrogate escape in {text[:40]!r}: not a character",
                         hint="write the character itself, or its pair of \\u escapes")
    return joined


def check_strings(document: Any, source: str) -> Any:
    """Parsed JSON or YAML with every string (keys too) a real character string (walked without recursion)."""
    if isinstance(document, str):
        return _joined(document, source)
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key in list(value):
                item = value[key]
                fixed_key = _joined(key, source) if isinstance(key, str) else key
                if isinstance(item, str):
                    item = _joined(item, source)
                if fixed_key is not key:
                    del value[key]
                value[fixed_key] = item
                if isinstance(item, dict | list):
                    stack.append(item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    value[index] = _joined(item, source)
                elif isinstance(item, dict | list):
                    stack.append(item)
    return document


_DECLARED = re.compile(rb"""\A(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([A-Za-z][\w.:-]*)\2""")


def xml_as_utf8(data: bytes, source: str) -> bytes:
    """An XML document's bytes in UTF-8, its declaration saying so: RDF/XML in UTF-16 or in an
    encoding it declares (ISO-8859-1...) is well-formed XML, which pyoxigraph's parser, reading
    UTF-8 only, refused with "cannot decode input using UTF-8" and no line (a reviewer's find).
    UTF-8 input is given back as it is."""
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data)
    if utf16:
        codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else \
            ("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    else:
        declared = _DECLARED.match(data)
        codec = declared.group(3).decode("ascii") if declared else "utf-8"
        if codec.lower().replace("_", "-") in ("utf-8", "utf8"):
            return data
    try:
        text = data.decode(codec)
    except LookupError:
        raise InputError(source, f"declares the encoding {codec!r}, which is not one migrmeta knows",
                         hint=f"save it as UTF-8 (e.g. `{_iconv(codec, source)}`)") from None
    except UnicodeDecodeError as exc:
        raise InputError(source, f"is not in the encoding it declares ({codec}): byte 0x{data[exc.start]:02X}",
                         line=data.count(b"\n", 0, exc.start) + 1,
                         hint=f"save it as UTF-8 (e.g. `{_iconv(codec, source)}`)") from None
    encoded = text.lstrip("\ufeff").encode("utf-8")
    return _DECLARED.sub(lambda m: m.group(1) + m.group(2) + b"UTF-8" + m.group(2), encoded, count=1)


def _iconv(encoding: str, source: str) -> str:
    """The command converting the file as the user named it (its folder too), quoted for a shell."""
    if source in ("-", "<stdin>"):  # no file to name: the pipe converts it on its way in
        return f"... | iconv -f {encoding} -t UTF-8 | migrmeta ... -"
    path = Path(source)
    converted = path.with_name(f"{path.stem}-utf8{path.suffix}")
    return f"iconv -f {encoding} -t UTF-8 {shlex.quote(source)} > {shlex.quote(str(converted))}"


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte is zero in ASCII-heavy text."""
    head = data[:400]
    if len(head) < 8:
        return False
    for zeros, text in ((head[0::2], head[1::2]), (head[1::2], head[0::2])):
        if zeros.count(0) > 0.9 * len(zeros) and text.count(0) < 0.1 * len(text):
            return True
    return False


__all__ = ["check_text", "xml_as_utf8"]
