"""Where a finding is written (load/record.LineIndex): a nested node has no line of its own, so
its path's line is given when the path is written once, never for a value that is missing."""

from __future__ import annotations

from rdflib import BNode

from migrmeta.load.record import LineIndex

TEXT = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://example.org/s> prov:qualifiedAttribution
    [ prov:agent <https://example.org/a> ; dcat:hadRole <https://example.org/r> ] ,
    [ prov:agent <https://example.org/b> ] .
"""
ROLE = "http://www.w3.org/ns/dcat#hadRole"


def test_a_path_written_once_gives_a_nested_nodes_line() -> None:
    assert LineIndex(TEXT).line_of(BNode("x"), ROLE) == 4


def test_a_missing_value_of_a_nested_node_is_given_no_line() -> None:
    """sh:minCount on the second attribution pointed at the first one's role (the diff review)."""
    assert LineIndex(TEXT).line_of(BNode("x"), ROLE, written=False) is None


def test_a_name_is_matched_whole() -> None:
    """`dcat:hadRol` was found in `dcat:hadRole`: the path looked written twice, and got no line."""
    text = TEXT.replace(b"dcat:hadRole <https://example.org/r> ]", b"dcat:hadRol <https://example.org/r> ]") \
        .replace(b"prov:agent <https://example.org/b> ]", b"prov:agent <https://example.org/b> ; dcat:hadRole <x> ]")
    assert LineIndex(text).line_of(BNode("x"), "http://www.w3.org/ns/dcat#hadRol") == 4
    assert LineIndex(text).line_of(BNode("x"), ROLE) == 5
