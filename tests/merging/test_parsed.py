"""The store of records as the merge reads them (merging/parsed.py): statements read back are
the statements read, a publish over the same records parses none again and writes the same
bytes, and a file that changed after it was validated is refused, not merged unchecked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from paths import REPO
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

import migrmeta.merging.parsed as parsed_module
import migrmeta.merging.sources as sources_module
from migrmeta.limits import Limits, using
from migrmeta.load import Record
from migrmeta.merging.parsed import FOLDER, Parsed, store_name
from migrmeta.merging.sources import Source, contributions_from
from migrmeta.publishing.site import PublishOptions, publish

RECORDS = REPO / "records"
PATHS = ["records/"]
S = URIRef("https://example.org/survey/a")


def tricky_literals() -> list[Literal]:
    """Literals rdflib normalizes, or keeps as written: each must come back as it was."""
    return [Literal("plain"), Literal("Enquête", lang="fr"),
            Literal("Survey", lang="en-GB"), Literal("01", datatype=XSD.integer), Literal("1", datatype=XSD.boolean),
            Literal("2.50", datatype=XSD.decimal), Literal("1E3", datatype=XSD.double),
            Literal("2019-10-01", datatype=XSD.date), Literal("2006", datatype=XSD.gYear),
            Literal("not a number", datatype=XSD.integer), Literal("x", datatype=URIRef("https://example.org/dt")),
            Literal("line\nbreak \"quoted\" \\ tab\t")]


def statements() -> list[tuple[URIRef, URIRef, Literal | URIRef]]:
    found: list[tuple[URIRef, URIRef, Literal | URIRef]] = [
        (S, URIRef(f"https://example.org/p{n}"), value) for n, value in enumerate(tricky_literals())]
    found.append((S, URIRef("https://example.org/country"), URIRef("http://publications.europa.eu/resource/authority/country/SEN")))
    return found


def test_statements_read_back_are_the_statements_read(tmp_path: Path) -> None:
    store = Parsed.load(tmp_path, PATHS)
    store.put("a" * 64, "turtle", statements())
    store.save()
    again = Parsed.load(tmp_path, PATHS).get("a" * 64, "turtle")
    assert again is not None
    assert set(again) == set(statements())
    for (_, _, before), (_, _, after) in zip(statements(), again, strict=True):
        assert type(after) is type(before)
        assert str(after) == str(before)
        if isinstance(before, Literal):
            assert (after.language, after.datatype, after.toPython()) == \
                (before.language, before.datatype, before.toPython())


def test_a_record_is_kept_by_its_bytes_and_syntax(tmp_path: Path) -> None:
    store = Parsed.load(tmp_path, PATHS)
    store.put("a" * 64, "turtle", statements())
    assert store.get("a" * 64, "jsonld") is None
    assert store.get("b" * 64, "turtle") is None
    assert store.get("a" * 64, "turtle") is not None


@pytest.mark.parametrize("odd", [BNode(), Literal("typed string", datatype=XSD.string)], ids=["blank", "xsd-string"])
def test_a_record_with_a_term_that_would_not_come_back_the_same_is_not_kept(tmp_path: Path, odd: BNode) -> None:
    """Skolemized statements have no blank node, and the reader makes xsd:string literals
    plain (rdf/terms.py): a term that could not be made again the same keeps the record out."""
    store = Parsed.load(tmp_path, PATHS)
    store.put("a" * 64, "turtle", [*statements(), (S, URIRef("https://example.org/p"), odd)])
    assert store.get("a" * 64, "turtle") is None


def test_only_the_records_a_run_read_are_kept(tmp_path: Path) -> None:
    store = Parsed.load(tmp_path, PATHS)
    store.put("a" * 64, "turtle", statements()[:3])
    store.put("b" * 64, "turtle", statements()[3:])
    store.save()
    second = Parsed.load(tmp_path, PATHS)
    assert second.get("b" * 64, "turtle") is not None
    second.save()
    third = Parsed.load(tmp_path, PATHS)
    assert third.get("a" * 64, "turtle") is None
    assert set(third.get("b" * 64, "turtle") or []) == set(statements()[3:])


def test_a_damaged_store_is_read_as_empty_and_written_again(tmp_path: Path) -> None:
    store = Parsed.load(tmp_path, PATHS)
    store.put("a" * 64, "turtle", statements())
    store.save()
    [path] = (tmp_path / FOLDER).glob("*.store")
    path.write_bytes(path.read_bytes()[:-20])
    damaged = Parsed.load(tmp_path, PATHS)
    assert damaged.get("a" * 64, "turtle") is None
    damaged.put("a" * 64, "turtle", statements())
    damaged.save()
    assert Parsed.load(tmp_path, PATHS).get("a" * 64, "turtle") is not None


def test_another_migrmeta_other_limits_or_other_inputs_use_another_store(monkeypatch: pytest.MonkeyPatch) -> None:
    name = store_name(PATHS)
    assert store_name(["records/", "more/"]) != name
    with using(Limits(file_mb=1)):
        assert store_name(PATHS) != name
    monkeypatch.setattr(parsed_module, "code_fingerprint", lambda: "another migrmeta")
    assert store_name(PATHS) != name


def test_a_file_changed_after_it_was_validated_is_refused_not_merged(tmp_path: Path) -> None:
    record = tmp_path / "al-lsms.ttl"
    record.write_bytes((RECORDS / "al-lsms-2005.ttl").read_bytes())
    validated = {str(record): hashlib.sha256(b"what was validated").hexdigest()}
    contributions, errors = contributions_from([Source(str(record))], validated=validated)
    assert contributions == []
    [error] = errors
    assert error.location.source == str(record)
    assert "changed after it was validated" in str(error) and "publish again" in str(error)


def test_a_file_validated_and_kept_is_not_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The merge takes the statements of the bytes validated from the store, by their SHA-256."""
    record = tmp_path / "al-lsms.ttl"
    data = (RECORDS / "al-lsms-2005.ttl").read_bytes()
    record.write_bytes(data)
    store = Parsed.load(tmp_path / "cache", PATHS)
    first, _ = contributions_from([Source(str(record))], parsed=store)
    opened: list[str] = []
    monkeypatch.setattr(sources_module, "read_raw", lambda name: opened.append(name))
    again, errors = contributions_from([Source(str(record))], parsed=store,
                                       validated={str(record): hashlib.sha256(data).hexdigest()})
    assert errors == [] and opened == []
    assert again[0].triples == first[0].triples and again[0].sha256 == first[0].sha256


def test_a_publish_over_the_same_records_parses_none_and_writes_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    options = PublishOptions(skip_invalid=True, cache_dir=cache, jobs=1)
    publish([RECORDS], tmp_path / "first", options)
    assert list((cache / FOLDER).glob("*.store"))
    parsed: list[str] = []
    parse_bytes = sources_module.parse_bytes

    def counted(data: bytes, source: str, syntax: str) -> Record:
        parsed.append(source)
        return parse_bytes(data, source, syntax)

    monkeypatch.setattr(sources_module, "parse_bytes", counted)
    publish([RECORDS], tmp_path / "second", options)
    assert parsed == []
    monkeypatch.undo()
    publish([RECORDS], tmp_path / "without", PublishOptions(skip_invalid=True, cache=False, cache_dir=tmp_path / "c2",
                                                            jobs=1))
    assert not (tmp_path / "c2" / FOLDER).exists()  # --no-cache keeps no store
    files = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*") if p.is_file())
    for name in files:
        assert (tmp_path / "second" / name).read_bytes() == (tmp_path / "first" / name).read_bytes(), name
        assert (tmp_path / "without" / name).read_bytes() == (tmp_path / "first" / name).read_bytes(), name
