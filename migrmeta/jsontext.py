"""JSON text for people and diffs: what `json.dumps(value, indent=2, ensure_ascii=False)`
writes, byte for byte (tested against it), the one way migrmeta writes indented JSON.

    text = json_text({"@id": "...", "name": ["a", "b"]})    # no final newline, as json.dumps
    text = document_text(jsonld_document)                    # the same, for a document without floats

Why not json.dumps itself: with an indent, Python 3.11's json module leaves its C encoder for
a Python one built of nested functions that refer to each other, so every call leaves a cycle
for the collector; a publish writes two such documents per survey, 18,000 cycles for 9,000
surveys, and this is twice as fast (strings are still escaped by json's own C function).
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C function when available, as json.dumps uses

import orjson

_INDENT = "  "
# a dataclass or a date is refused, as json.dumps refuses it, not written as orjson would
_ORJSON_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def json_text(value: object, *, sort_keys: bool = False) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)`."""
    parts: list[str] = []
    _put(value, parts, "\n", sort_keys)
    return "".join(parts)


def document_text(value: object) -> str:
    """`json_text(value)` for a document that holds no float (JSON-LD and schema.org made from
    RDF: every literal is a string), by orjson's compiled writer, 13 times faster: a publish
    writes four such documents per survey. orjson writes floats otherwise than Python
    (0.00001 for 1e-05, null for NaN), hence the caller's promise; what else orjson does not
    write (keys that are not str, integers past 64 bits, lone surrogates) goes to json_text."""
    try:
        return orjson.dumps(value, option=_ORJSON_INDENTED).decode("utf-8")
    except TypeError:
        return json_text(value)


def _put(value: object, parts: list[str], newline: str, sort_keys: bool) -> None:
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + _INDENT
        items = sorted(value.items()) if sort_keys else value.items()
        separator = "{" + inner
        for key, item in items:
            parts.append(separator)
            parts.append(encode_basestring(key if type(key) is str else _key(key)))
            parts.append(": ")
            if type(item) is str:  # most values: no call (2 of 3 calls of a survey's documents)
                parts.append(encode_basestring(item))
            else:
                _put(item, parts, inner, sort_keys)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + _INDENT
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            if type(item) is str:
                parts.append(encode_basestring(item))
            else:
                _put(item, parts, inner, sort_keys)
            separator = "," + inner
        parts.append(newline + "]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    """A key as json.dumps writes it (str, or a number, boolean or null made text)."""
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float):
        return _float(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


__all__ = ["document_text", "json_text"]
