"""jsontext.json_text writes what json.dumps(indent=2, ensure_ascii=False) writes, byte for byte,
and leaves no reference cycle behind (why it exists: a publish writes two documents a survey)."""

from __future__ import annotations

import gc
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrmeta.jsontext import document_text, json_text

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                     | st.dictionaries(_KEYS, inner, max_size=4), max_leaves=25)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_JSON, st.booleans())
def test_the_same_text_as_json_dumps(value: object, sort_keys: bool) -> None:
    try:
        expected = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    except TypeError:  # keys of types that do not sort together
        with pytest.raises(TypeError):
            json_text(value, sort_keys=sort_keys)
        return
    assert json_text(value, sort_keys=sort_keys) == expected


def test_the_cases_that_differ_between_encoders() -> None:
    value = {"é": ["\u2028", "\x00\x1f\x7f", '"\\/'], 1: math.inf, None: -math.inf, False: math.nan,
             2.5: [], "x": {}, "t": (1, 2), "big": 10 ** 30, "b": False}
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_str_subclass_is_written_as_text() -> None:
    class Iri(str):
        pass

    assert json_text({Iri("k"): Iri("https://example.org/a")}) == '{\n  "k": "https://example.org/a"\n}'


def test_what_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        json_text({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be"):
        json_text({(1, 2): "a"})


def test_no_reference_cycle_is_left() -> None:
    document = {"@graph": [{"@id": f"s{n}", "name": ["a", "b"], "n": n} for n in range(20)]}
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        json_text(document)
        assert gc.collect() == 0
        json.dumps(document, indent=2)  # the reason: the standard encoder with an indent leaves cycles
        assert gc.collect() > 0
    finally:
        if was:
            gc.enable()


_NO_FLOATS = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                          lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                          | st.dictionaries(_KEYS, inner, max_size=4), max_leaves=25)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_NO_FLOATS)
def test_a_document_without_floats_is_written_as_json_dumps_writes_it(value: object) -> None:
    """orjson's writer, or json_text for what orjson refuses (keys that are not str, integers
    past 64 bits, lone surrogates): the same text either way."""
    try:
        expected = json.dumps(value, indent=2, ensure_ascii=False)
    except TypeError:
        with pytest.raises(TypeError):
            document_text(value)
        return
    assert document_text(value) == expected


def test_what_orjson_refuses_is_written_by_json_text() -> None:
    value = {"big": 10 ** 30, "lone": "\ud800", 1: "a key that is a number"}
    assert document_text(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_document_refuses_what_json_cannot_hold() -> None:
    import dataclasses
    import datetime

    @dataclasses.dataclass
    class Thing:
        name: str

    for value in ({"a": {1, 2}}, {"a": Thing("x")}, {"a": datetime.date(2026, 1, 1)}):
        with pytest.raises(TypeError):
            document_text(value)
