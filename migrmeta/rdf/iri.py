"""One rule for IRIs (RFC 3987): absolute, with no spaces, `<>"{}|^`\\` or control characters.

pyoxigraph's IRI parser is the rule; every reader and every answer that may be an IRI asks
here, so a bad IRI is an input error at the door and never becomes data.
"""

from __future__ import annotations

import pyoxigraph as ox


def iri_problem(text: str) -> str | None:
    """Why `text` is not an absolute IRI, or None when it is one."""
    try:
        ox.NamedNode(text)
    except ValueError as exc:
        return str(exc)
    return None


def is_iri(text: str) -> bool:
    return iri_problem(text) is None


__all__ = ["iri_problem", "is_iri"]
