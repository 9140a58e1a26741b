"""The RDF syntaxes migrmeta reads and writes: one table, by name, file suffix and media type.

Every module that needs "which syntax is this file / this HTTP answer?" asks here, so a new
syntax is one row.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath

import pyoxigraph as ox


@dataclass(frozen=True)
class Syntax:
    name: str  # also the value of `--input-format`
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]  # the first is the one we send
    oxigraph: ox.RdfFormat
    datasets: bool = False  # holds named graphs


SYNTAXES: tuple[Syntax, ...] = (
    Syntax("turtle", (".ttl", ".turtle"), ("text/turtle", "application/x-turtle"), ox.RdfFormat.TURTLE),
    Syntax("ntriples", (".nt",), ("application/n-triples",), ox.RdfFormat.N_TRIPLES),
    Syntax("nquads", (".nq",), ("application/n-quads",), ox.RdfFormat.N_QUADS, datasets=True),
    Syntax("trig", (".trig",), ("application/trig",), ox.RdfFormat.TRIG, datasets=True),
    Syntax("rdfxml", (".rdf", ".owl", ".xml"), ("application/rdf+xml", "application/xml", "text/xml"),
           ox.RdfFormat.RDF_XML),
    # CKAN and Project Open Data serve JSON-LD as application/json
    Syntax("jsonld", (".jsonld", ".json"), ("application/ld+json", "application/json"), ox.RdfFormat.JSON_LD),
)
NAMES: tuple[str, ...] = tuple(s.name for s in SYNTAXES)
SUFFIXES: tuple[str, ...] = tuple(suffix for s in SYNTAXES for suffix in s.suffixes)
_BY_NAME = {s.name: s for s in SYNTAXES}
_BY_SUFFIX = {suffix: s for s in SYNTAXES for suffix in s.suffixes}
_BY_MEDIA_TYPE = {media: s for s in SYNTAXES for media in s.media_types}


def by_name(name: str) -> Syntax | None:
    return _BY_NAME.get(name)


def for_path(path: str | PurePath) -> Syntax | None:
    """The syntax a file name's suffix announces (case-insensitive), if any."""
    name = os.path.basename(os.fspath(path))
    dot = name.rfind(".")
    return _BY_SUFFIX.get(name[dot:].lower()) if 0 < dot < len(name) - 1 else None


def for_media_type(content_type: str) -> Syntax | None:
    """The syntax of a Content-Type header value (parameters ignored)."""
    return _BY_MEDIA_TYPE.get(content_type.split(";")[0].strip().lower())


def sniff(data: bytes) -> str:
    """A syntax name from the first bytes: JSON-LD, RDF/XML, else Turtle (which reads N-Triples)."""
    head = data.lstrip()[:200]
    if head.startswith((b"{", b"[")):
        return "jsonld"
    if head.startswith((b"<?xml", b"<rdf:RDF")):
        return "rdfxml"
    return "turtle"


def accept_header(preferred: str = "turtle") -> str:
    """An Accept header for RDF: the preferred syntax first, the others after."""
    first = _BY_NAME[preferred]
    others = [s for s in SYNTAXES if s is not first]
    parts = [first.media_types[0], *(f"{s.media_types[0]};q=0.9" for s in others), "*/*;q=0.1"]
    return ", ".join(parts)


__all__ = ["NAMES", "SUFFIXES", "SYNTAXES", "Syntax", "accept_header", "by_name", "for_media_type", "for_path",
           "sniff"]
