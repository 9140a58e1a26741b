"""Parse each SPARQL constraint once, not once per focus node.

pySHACL hands rdflib the text of a SPARQL constraint for every focus node it checks, and
rdflib parses it again each time (pyparsing: ~20 ms a query, >90% of validation time).
Within `prepared_queries()` rdflib's processor keeps the translated algebra of each query
text, which is what rdflib's own `prepareQuery` does for repeated queries; evaluation
(and so every result) is unchanged. Used around migrmeta's own validation runs only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor

_ORIGINAL = SPARQLProcessor.query
_PREPARED: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = {}


def _query(
    self: SPARQLProcessor,
    strOrQuery: Any,
    initBindings: Mapping[str, Any] | None = None,
    initNs: Mapping[str, Any] | None = None,
    base: str | None = None,
    DEBUG: bool = False,
) -> Any:
    if isinstance(strOrQuery, str):
        key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
        prepared = _PREPARED.get(key)
        if prepared is None:
            prepared = _PREPARED[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
        strOrQuery = prepared
    return _ORIGINAL(self, strOrQuery, initBindings, initNs, base, DEBUG)


@contextmanager
def prepared_queries() -> Iterator[None]:
    SPARQLProcessor.query = _query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = _ORIGINAL  # type: ignore[method-assign]
