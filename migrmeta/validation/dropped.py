"""What a record says that its reader drops: the keys of a JSON-LD record its context does
not define (`"colaborators": [...]`). JSON-LD drops such a key and its value without a word,
so the record would conform without the answer. Both engines add these results to a
record's own (a warning for each key, at its first line, with how many times it is used
and the context's closest term), and the cache keeps them with the rest.
"""

from __future__ import annotations

import difflib

from migrmeta.messages import LANGUAGES, message
from migrmeta.rdf.jsonld_in import unmapped_keys
from migrmeta.validation.outcome import RawResult, Term

COMPONENT = "UnmappedKeyComponent"  # no shape's: the reader's own check (mmsh:UnmappedKeyComponent in a report)


def dropped_key_results(data: bytes, source: str, syntax: str) -> list[RawResult]:
    """A warning for each key of a JSON-LD record that its context does not define."""
    if syntax != "jsonld":
        return []
    text = data.decode("utf-8", errors="replace")
    found, terms = unmapped_keys(text, source)
    if not found:
        return []
    results = []
    for key, node, line, times in found:
        close = difflib.get_close_matches(key, terms, n=1, cutoff=0.8)
        wording = "jsonld.unmapped_key_meant" if close else "jsonld.unmapped_key"
        words = tuple((lang, message(wording, lang, key=key, term=close[0] if close else "")
                       + (message("jsonld.times", lang, count=times) if times > 1 else ""))
                      for lang in LANGUAGES)
        results.append(RawResult(Term("iri", node) if node else Term("bnode", "document"), "warning", None,
                                 COMPONENT, None, None, line, words))  # the key is in the words
    return results


__all__ = ["COMPONENT", "dropped_key_results"]
