"""`migrmeta merge` and `migrmeta.merge.merge()`: named graphs with provenance, conflicts,
policies, equivalent and duplicate surveys, deterministic TriG / N-Quads."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from command import run
from conftest import Published
from paths import DATA as DATA_DIR
from paths import REPO
from rdflib import Dataset, Graph, Literal, URIRef

from migrmeta.cli import cli, main
from migrmeta.errors import UsageError
from migrmeta.load import parse_bytes
from migrmeta.load.reference import load_reference
from migrmeta.merging.merge import MergeResult, merge
from migrmeta.merging.output import render_report, write_dataset
from migrmeta.merging.sources import GRAPH, parse_source, superseded_graph
from migrmeta.namespaces import AGENCY, DCAT, DCT, MM, OWL, PROV, SURVEY, XSD
from migrmeta.rdf.skolem import skolemize

DATA = DATA_DIR / "merge"
PSA = DATA / "psa" / "ph-sof.ttl"
UN = DATA / "un-desa-pd" / "ph-sof.ttl"
AGENCIES = DATA / "agencies.ttl"
SOF = SURVEY["ph-sof"]
FOAF_NAME = URIRef("http://xmlns.com/foaf/0.1/name")
VCARD_FN = URIRef("http://www.w3.org/2006/vcard/ns#fn")
INPUTS = [str(PSA), f"{UN}=un-desa-pd", str(AGENCIES)]


def starts(result: MergeResult, subject: URIRef = SOF) -> set[str]:
    """The start years of the survey's time frame in the catalogue (the union of the graphs)."""
    catalogue = result.catalogue()
    periods = {o for s, p, o in catalogue if s == subject and p == DCT.temporal}
    return {str(o) for s, p, o in catalogue if s in periods and p == DCAT.startDate}


def contribution(result: MergeResult, name: str) -> object:
    return next(c for c in result.contributions if c.source.endswith(name))


def test_one_named_graph_per_contribution_with_provenance() -> None:
    result = merge(INPUTS, prefer=["psa"], default_agency=AGENCY["un-desa-pd"])
    assert [c.graph for c in result.contributions] == [
        GRAPH["psa/ph-sof.ttl"], GRAPH["un-desa-pd/ph-sof.ttl"], GRAPH["un-desa-pd/agencies.ttl"]]
    provenance = Graph()
    for triple in result.provenance():
        provenance.add(triple)
    for c, agency, path in [(result.contributions[0], "psa", PSA), (result.contributions[1], "un-desa-pd", UN)]:
        assert provenance.value(c.graph, PROV.wasAttributedTo) == AGENCY[agency]
        source = provenance.value(c.graph, PROV.wasDerivedFrom)
        assert provenance.value(source, DCT.title) == Literal(path.name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert provenance.value(source, DCT.identifier) == Literal(f"sha256:{digest}")
    # dct:modified is the record's own date, never today's
    assert provenance.value(result.contributions[0].graph, DCT.modified) == Literal("2026-11-29", datatype=XSD.date)
    assert provenance.value(result.contributions[1].graph, DCT.modified) == Literal("2026-11-20", datatype=XSD.date)


def test_agency_defaults_to_the_records_publisher_and_can_be_given() -> None:
    result = merge([str(PSA), str(UN)])
    assert {c.agency for c in result.contributions} == {AGENCY["psa"]}  # both records name PSA as publisher
    given = merge([str(PSA), str(UN)], agency="agency:un-desa-pd")
    assert {c.agency for c in given.contributions} == {AGENCY["un-desa-pd"]}
    assert parse_source(f"{UN}=https://example.org/a").agency == URIRef("https://example.org/a")
    assert parse_source(str(UN)).agency is None


def test_disagreement_on_a_single_valued_item_is_a_conflict() -> None:
    result = merge(INPUTS)
    assert result.exit_code() == 1
    [conflict] = result.unresolved
    assert conflict.item == 4 and conflict.predicate == DCT.temporal and conflict.subjects == (SOF,)
    assert [[c.agency for c in cs] for _, cs in conflict.values] == [[AGENCY["psa"]], [AGENCY["un-desa-pd"]]]
    text = render_report(result)
    assert "conflict: item 4 (Time frame)" in text
    assert '[dcat:startDate "1991"^^xsd:gYear]' in text and '[dcat:startDate "1993"^^xsd:gYear]' in text
    assert "choose with prefer=[AGENCY]" in text  # from Python, the argument; from the command line, the flag:
    assert "choose with --prefer AGENCY" in render_report(result, cli=True)
    assert starts(result) == {"1991", "1993"}  # unresolved: both stay, nothing is written by the CLI


def test_a_preferred_agency_giving_no_value_is_said_with_what_would_settle_it() -> None:
    """--prefer iom, where iom contributes but gives no time frame for the survey psa and
    un-desa-pd disagree on, repeated "choose with --prefer AGENCY": iom was chosen already."""
    result = merge([f"{PSA}=psa", f"{UN}=un-desa-pd", f"{AGENCIES}=iom"], prefer=["iom"])
    [conflict] = result.unresolved
    assert conflict.predicate == DCT.temporal
    said = render_report(result, cli=True)
    assert ("hint: iom gives no value here: add which of psa or un-desa-pd wins after it "
            "(--prefer iom --prefer AGENCY), or correct one file") in said, said
    assert "choose with --prefer AGENCY" not in said


def test_two_agencies_sample_sizes_are_a_conflict_not_two_sizes(tmp_path: Path) -> None:
    """One survey, one sample size (shapes/survey.ttl, sh:maxCount 1): two agencies' different
    sizes are set before the curator, not published side by side."""
    record = REPO / "records" / "al-lsms-2005.ttl"  # a survey of 3,638 households
    text = record.read_text(encoding="utf-8")
    assert "mm:sampleSize 3638 ;" in text
    (tmp_path / "instat").mkdir()
    (tmp_path / "wb").mkdir()
    (tmp_path / "instat" / record.name).write_text(text, encoding="utf-8")
    (tmp_path / "wb" / record.name).write_text(text.replace("mm:sampleSize 3638 ;", "mm:sampleSize 3640 ;"),
                                               encoding="utf-8")
    inputs = [f"{tmp_path / 'instat' / record.name}=instat-albania", f"{tmp_path / 'wb' / record.name}=world-bank",
              str(REPO / "records" / "agencies.ttl")]
    result = merge(inputs)
    [conflict] = result.unresolved
    assert conflict.predicate == MM.sampleSize and conflict.item == 6
    assert "conflict: item 6 (Type of sample)" in render_report(result)
    settled = merge(inputs, prefer=["world-bank"])
    assert settled.exit_code() == 0
    survey = SURVEY["al-lsms-2005"]
    assert {o for s, p, o in settled.catalogue() if s == survey and p == MM.sampleSize} == {Literal(3640)}


def test_prefer_keeps_the_preferred_value_and_loses_nothing() -> None:
    result = merge(INPUTS, prefer=["psa"])
    assert result.exit_code() == 0
    assert starts(result) == {"1991"}
    un = contribution(result, "un-desa-pd/ph-sof.ttl")
    assert {str(o) for _, p, o in un.superseded if p == DCAT.startDate} == {"1993"}  # type: ignore[attr-defined]
    # every contributed statement is in a graph of the dataset
    everything = set().union(*result.graphs().values())
    for path in (PSA, UN, AGENCIES):
        assert set(skolemize(parse_bytes(path.read_bytes(), str(path), "turtle").graph)) <= everything
    assert superseded_graph(un) in result.graphs()  # type: ignore[arg-type]
    # multi-valued items are united
    catalogue = result.catalogue()
    citations = {o for s, p, o in catalogue if s == SOF and p == DCT.bibliographicCitation}
    assert len(citations) == 2
    assert merge(INPUTS, prefer=["un-desa-pd"]).catalogue() != catalogue
    assert starts(merge(INPUTS, prefer=["un-desa-pd", "psa"])) == {"1993"}


def test_the_newest_modification_date_wins_on_its_own() -> None:
    result = merge(INPUTS, prefer=["psa"])
    dates = {o for s, p, o in result.catalogue() if s == SOF and p == DCT.modified}
    assert dates == {Literal("2026-11-29", datatype=XSD.date)}
    [resolved] = [c for c in result.conflicts if c.predicate == DCT.modified]
    assert resolved.resolution == "newest"


def test_single_valued_items_are_read_from_the_shapes(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shutil.copytree(REPO / "shapes", shapes)
    survey_shapes = shapes / "survey.ttl"
    text = survey_shapes.read_text(encoding="utf-8")
    assert "sh:path dct:temporal ; sh:minCount 1 ; sh:maxCount 1 ;" in text
    survey_shapes.write_text(text.replace("sh:path dct:temporal ; sh:minCount 1 ; sh:maxCount 1 ;",
                                          "sh:path dct:temporal ; sh:minCount 1 ;"), encoding="utf-8")
    series_shapes = shapes / "series.ttl"
    series_shapes.write_text(series_shapes.read_text(encoding="utf-8").replace(
        "sh:path dct:temporal ; sh:maxCount 1 ;", "sh:path dct:temporal ;"), encoding="utf-8")
    relaxed = merge(INPUTS, reference=load_reference(shapes))
    assert not relaxed.unresolved
    assert starts(relaxed) == {"1991", "1993"}


def _variant(tmp_path: Path, name: str, old: str, new: str, source: Path = UN) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_same_as_means_the_same_survey_and_an_identifier_alone_is_refused(tmp_path: Path) -> None:
    other = "<https://example.org/catalogue/sof>"
    same_as = _variant(tmp_path, "same-as.ttl", "survey:ph-sof a", f"{other} <{OWL.sameAs}> survey:ph-sof .\n{other} a")
    same_as = _variant(tmp_path, "same-as.ttl", 'dct:identifier "ph-sof"', 'dct:identifier "un-sof"', same_as)
    result = merge([str(PSA), f"{same_as}=un-desa-pd"])
    assert {c.predicate for c in result.unresolved} == {DCT.temporal, DCT.identifier}
    for conflict in result.unresolved:  # one survey: ph-sof folded onto the subject of owl:sameAs (test_aliases.py)
        assert conflict.subjects == (URIRef("https://example.org/catalogue/sof"),)

    # one identifier, no owl:sameAs: two surveys the catalogue would publish under one name
    identifier = _variant(tmp_path, "identifier.ttl", "survey:ph-sof a", f"{other} a")
    result = merge([str(PSA), f"{identifier}=un-desa-pd"])
    [shared] = result.shared
    assert (shared.identifier, shared.first, shared.second) == ("ph-sof", URIRef(other[1:-1]), SOF)
    assert (shared.first_at[0], shared.second_at[0]) == (str(identifier), str(PSA))
    assert result.refused and result.exit_code() == 1
    assert not result.conflicts  # not one survey: nothing compared
    assert "shared identifier: <https://example.org/catalogue/sof>" in render_report(result)


def test_likely_duplicates_are_reported_not_merged(tmp_path: Path) -> None:
    copy = _variant(tmp_path, "copy.ttl", "survey:ph-sof a", "<https://example.org/sof> a")
    copy = _variant(tmp_path, "copy.ttl", 'dct:identifier "ph-sof"', 'dct:identifier "sof-copy"', copy)
    copy = _variant(tmp_path, "copy.ttl", '"1993"^^xsd:gYear', '"1991"^^xsd:gYear', copy)
    result = merge([str(PSA), f"{copy}=un-desa-pd"])
    assert result.exit_code() == 0 and not result.conflicts
    [dup] = result.duplicates
    assert {dup.first, dup.second} == {SOF, URIRef("https://example.org/sof")}
    assert "likely duplicate" in render_report(result)
    subjects = {s for s, p, o in result.catalogue() if p == DCT.title}
    assert {SOF, URIRef("https://example.org/sof")} <= subjects  # both kept, under their own IRIs
    # a different time frame is not a likely duplicate
    later = _variant(tmp_path, "later.ttl", '"1991"^^xsd:gYear', '"2001"^^xsd:gYear', copy)
    assert not merge([str(PSA), f"{later}=un-desa-pd"]).duplicates


def test_date_option_for_records_without_one(tmp_path: Path) -> None:
    undated = _variant(tmp_path, "undated.ttl", ' ;\n    dct:modified "2026-11-20"^^xsd:date .', " .")
    result = merge([f"{undated}=un-desa-pd"], date="2025-01-31")
    assert result.contributions[0].modified == Literal("2025-01-31", datatype=XSD.date)
    fallback = merge([str(PSA), f"{undated}=un-desa-pd"], prefer=["psa"])
    assert fallback.contributions[1].modified == Literal("2026-11-29", datatype=XSD.date)  # the newest input date


def test_a_record_dated_only_by_the_day_its_facts_were_checked_is_dated_so(tmp_path: Path) -> None:
    """A record made from a form or a sheet says mm:checkedOn only: merge wrote no dct:modified at
    all, and publish refused ('no record carries dct:modified'). That day dates it, after --date."""
    checked = _variant(tmp_path, "checked.ttl", ' ;\n    dct:modified "2026-11-20"^^xsd:date .',
                       ' ;\n    mm:checkedOn "2026-10-05"^^xsd:date .')
    day = Literal("2026-10-05", datatype=XSD.date)
    assert merge([f"{checked}=un-desa-pd"]).contributions[0].modified == day
    assert merge([f"{checked}=un-desa-pd"], date="2025-01-31").contributions[0].modified == Literal(
        "2025-01-31", datatype=XSD.date)  # --date is for the records that carry no dct:modified
    both = merge([str(PSA), f"{checked}=un-desa-pd"], prefer=["psa"])
    assert [c.modified for c in both.contributions] == [Literal("2026-11-29", datatype=XSD.date), day]
    site = tmp_path / "site"
    published = CliRunner().invoke(cli, ["publish", str(checked), str(AGENCIES), "-o", str(site)])
    assert published.exit_code == 0, published.output
    assert '"2026-10-05"^^xsd:date' in (site / "catalog.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_dataset_files_read_back_and_are_byte_identical(tmp_path: Path, suffix: str) -> None:
    result = merge(INPUTS, prefer=["psa"])
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    write_dataset(result, first)
    write_dataset(merge(INPUTS, prefer=["psa"]), second)
    assert first.read_bytes() == second.read_bytes()
    dataset = Dataset()
    dataset.parse(first, format="trig" if suffix == ".trig" else "nquads")
    for name, triples in result.graphs().items():
        assert set(dataset.graph(name)) == triples  # type: ignore[arg-type]
    assert set(dataset.default_graph) == set(result.provenance())
    assert not list(tmp_path.glob(".*tmp"))


def test_unknown_dataset_extension_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        write_dataset(merge([str(PSA)]), tmp_path / "x.ttl")


def test_cli_exit_codes(tmp_path: Path) -> None:
    out = tmp_path / "sof.trig"
    runner = CliRunner()
    refused = runner.invoke(cli, ["merge", *INPUTS, "-o", str(out)], catch_exceptions=False)
    assert refused.exit_code == 1 and not out.exists()
    assert "conflict: item 4" in refused.output
    assert "hint: choose with --prefer AGENCY" in refused.output and "{" not in refused.output  # a flag, spoken
    merged = runner.invoke(cli, ["merge", *INPUTS, "--prefer", "psa", "-o", str(out)], catch_exceptions=False)
    assert merged.exit_code == 0, merged.output
    assert out.is_file()
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title \n", encoding="utf-8")
    partial = runner.invoke(cli, ["merge", str(PSA), str(broken), "-o", str(tmp_path / "p.nq")],
                            catch_exceptions=False)
    assert partial.exit_code == 3 and "broken.ttl:" in partial.output
    assert (tmp_path / "p.nq").is_file()  # the readable input is still merged
    with pytest.raises(SystemExit) as exit_info:
        main(["merge", str(PSA), "-o", str(tmp_path / "x.json")])
    assert exit_info.value.code == 2


# --- issue 14, item 9 ----------------------------------------------------------------------------


def _with(tmp_path: Path, path: Path, agency: str, extra: str) -> str:
    """A copy of a contribution, the series made a survey (the shapes ask surveys their purpose), with
    statements added to it (before its final '.')."""
    text = path.read_text(encoding="utf-8")
    head, sep, tail = text.partition("survey:ph-sof ")
    body, dot, rest = tail.partition(" .\n")
    copy = tmp_path / agency / path.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    prefixes = "@prefix disco: <http://rdf-vocabulary.ddialliance.org/discovery#> .\n"
    body = body.replace("a mm:SurveySeries, dcat:DatasetSeries, disco:StudyGroup", "a mm:Survey, dcat:Dataset, disco:Study")
    copy.write_text(prefixes + head + sep + body + " ;\n    " + extra + dot + "\n" + rest, encoding="utf-8")
    return f"{copy}={agency}"


def test_purpose_is_one_per_language_and_prefer_keeps_one(tmp_path: Path) -> None:
    psa = _with(tmp_path, PSA, "psa", 'disco:purpose "To count overseas Filipinos."@en')
    un = _with(tmp_path, UN, "un-desa-pd", 'disco:purpose "To measure remittances of overseas workers."@en')
    result = merge([psa, un, str(AGENCIES)])
    assert any(c.predicate == URIRef("http://rdf-vocabulary.ddialliance.org/discovery#purpose")
               for c in result.unresolved)
    preferred = merge([psa, un, str(AGENCIES)], prefer=["psa"])
    purposes = {o for s, p, o in preferred.catalogue()
                if s == SOF and p == URIRef("http://rdf-vocabulary.ddialliance.org/discovery#purpose")}
    assert purposes == {Literal("To count overseas Filipinos.", lang="en")}


def test_conflicts_in_item_order_each_named_by_its_field(tmp_path: Path) -> None:
    psa = _with(tmp_path, PSA, "psa", 'disco:purpose "To count overseas Filipinos."@en ; '
                                      'dct:description "A rider to the Labor Force Survey."@en')
    un = _with(tmp_path, UN, "un-desa-pd", 'disco:purpose "To measure remittances."@en')
    result = merge([psa, un, str(AGENCIES)])
    items = [c.item or 99 for c in result.conflicts]
    assert items == sorted(items)
    text = render_report(result)
    heads = [line for line in text.splitlines() if line.startswith(("conflict:", "resolved:"))]
    described = [h for h in heads if "dct:description" in h]
    assert described and all("item 2 (Purpose), description /" in h for h in described)
    assert any("item 2 (Purpose), purpose / disco:purpose" in h for h in heads)
    numbers = [int(h.split("item ")[1].split(" ")[0]) for h in heads if ": item " in h]
    assert numbers == sorted(numbers) and len(numbers) >= 3


def test_a_merged_survey_page_says_which_agency_contributed_what(tmp_path: Path) -> None:
    from migrmeta.merging.contributions import contributions_by_survey

    result = merge(INPUTS, prefer=["psa"])
    contributed = contributions_by_survey(result)[SOF]
    assert [c.agency for c in contributed] == [AGENCY["psa"], AGENCY["un-desa-pd"]]
    psa, un = contributed
    assert 1 in psa.items and 4 in psa.items
    assert 4 in un.superseded_items  # its time frame lost to PSA's
    out = tmp_path / "site"
    run = CliRunner().invoke(cli, ["publish", str(PSA), f"{UN}=un-desa-pd", str(AGENCIES), "-o", str(out),
                                   "--prefer", "psa", "--date", "2026-11-30"], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    page = (out / "en" / "surveys" / "ph-sof.html").read_text(encoding="utf-8")
    assert "Contributed by" in page
    assert "ph-sof.ttl" in page and "answers not kept" in page
    assert "Contributions" in (out / "fr" / "surveys" / "ph-sof.html").read_text(encoding="utf-8")


def test_a_conflict_within_one_agency_says_prefer_cannot_settle_it(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Both records name PSA as publisher: --prefer psa cannot choose between PSA's own two
    values, so the hint names PSA's files and PATH=AGENCY, not --prefer again."""
    out = tmp_path / "sof.trig"
    with pytest.raises(SystemExit) as exited:
        main(["merge", str(PSA), str(UN), "--prefer", "psa", "-o", str(out)])
    err = capsys.readouterr().err
    assert exited.value.code == 1 and not out.exists()
    assert f"psa (preferred) gives several values itself ({PSA}, {UN})" in err
    assert f"({UN}=AGENCY)" in err and "choose with --prefer" not in err
    with pytest.raises(SystemExit) as exited:  # no policy at all: the same advice
        main(["merge", str(PSA), str(UN), "-o", str(out)])
    err = capsys.readouterr().err
    assert exited.value.code == 1 and "psa gives several values itself" in err and "--prefer AGENCY" not in err


def test_an_unreadable_input_and_an_unresolved_conflict_write_nothing(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 3 (an input unreadable) does not mean written: with a conflict unresolved nothing
    is, as `merge --help` says, and the last line of standard error says so."""
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://example.org/a> <https://example.org/b> \"c ;\n", encoding="utf-8")
    out = tmp_path / "sof.trig"
    with pytest.raises(SystemExit) as exited:
        main(["merge", *INPUTS, str(broken), "-o", str(out)])
    err = capsys.readouterr().err
    assert exited.value.code == 3 and not out.exists()
    assert f"{broken}:" in err and err.rstrip().endswith("nothing written")
    help_text = CliRunner().invoke(cli, ["merge", "--help"]).output
    assert "unless a conflict" in " ".join(help_text.split())


def test_publishing_a_merge_output_names_it_and_says_what_to_publish(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A merged .trig read as a record would bring back the start date --prefer set aside (and
    refuse the catalogue for two time frames): publish says what it is and what to give."""
    merged = tmp_path / "sof.trig"
    with pytest.raises(SystemExit) as exited:
        main(["merge", *INPUTS, "--prefer", "psa", "-o", str(merged)])
    assert exited.value.code == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["publish", str(merged), "-o", str(tmp_path / "site"), "-q"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and not (tmp_path / "site").exists()
    assert f"{merged}: a dataset written by merge or publish, not a record" in err
    assert "publish the records it was merged from, with the same --prefer" in err and "Traceback" not in err


def test_a_contribution_answers_the_items_the_reports_count(tmp_path: Path) -> None:
    """Who contributed which item counts by the ontology's mm:answeredBy, as `report inventory`
    and `report quality` do (validation/items.answered_items): conditions of access alone
    (dct:rights) answer item 14, and a file that only names the survey (its types, an
    owl:sameAs) answers no item (it used to count as item 5, by the agencies' shapes)."""
    from migrmeta.merging.contributions import contributions_by_survey
    from migrmeta.validation.items import answered_items

    extra = tmp_path / "iom" / "ph-sof.ttl"
    extra.parent.mkdir()
    extra.write_text(
        "@prefix mm: <https://w3id.org/migrmeta/ns#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://w3id.org/migrmeta/survey/ph-sof> a mm:SurveySeries ;\n"
        '    owl:sameAs <https://example.org/sof> ;\n    dct:rights "Microdata on request to the PSA."@en .\n'
        "<https://w3id.org/migrmeta/survey/ph-sof-typed> a mm:SurveySeries ;\n"
        "    owl:sameAs <https://example.org/sof-typed> .\n",
        encoding="utf-8")
    result = merge([*INPUTS, f"{extra}=iom"], prefer=["psa"])
    contributed = contributions_by_survey(result)
    iom = next(c for c in contributed[SOF] if c.agency == AGENCY["iom"])
    assert iom.items == (14,)
    assert SURVEY["ph-sof-typed"] not in contributed  # answers nothing: no contribution to list
    graph = Graph().parse(extra)
    reference = load_reference()
    assert set(iom.items) == answered_items(graph, SOF, reference)
    psa = next(c for c in contributed[SOF] if c.agency == AGENCY["psa"])
    psa_graph = Graph().parse(PSA)
    assert set(psa.items) == answered_items(psa_graph, SOF, reference)


def test_an_unreadable_input_is_left_out_of_the_merge_and_named(tmp_path: Path) -> None:
    """The reader's hint says what to fix, not what merge does with the other files: merge says
    it wrote them without the unreadable one (it used to say they were 'still checked')."""
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix dct: <http://purl.org/dc/terms/> .\n<https://example.org/a> dct:title "x\n')
    out = tmp_path / "m.trig"
    result = CliRunner().invoke(cli, ["merge", str(PSA), str(bad), "-o", str(out)])
    assert result.exit_code == 3 and out.is_file()
    assert "still checked" not in result.output
    assert "hint: fix the statement at that line" in result.output
    assert f"written to {out}, without {bad} (unreadable)" in result.output


@pytest.mark.parametrize(("args", "said", "hint"), [
    ([f"{UN}=UN-DESA-PD"], "=UN-DESA-PD: https://w3id.org/migrmeta/agency/UN-DESA-PD is not an agency described",
     "did you mean un-desa-pd?"),
    (["--prefer", "PSA"], "--prefer PSA: https://w3id.org/migrmeta/agency/PSA is not an agency described",
     "did you mean psa?"),
    (["--prefer", "iom"], "--prefer iom: no input is contributed by https://w3id.org/migrmeta/agency/iom",
     "the inputs' agencies: migrmeta, psa, un-desa-pd"),
    (["--agency", "psa-philippines"], "--agency: https://w3id.org/migrmeta/agency/psa-philippines is not an agency",
     "did you mean psa?"),
    (["--agency", "zzq"], "--agency: https://w3id.org/migrmeta/agency/zzq is not an agency",
     "give the id of an agency of agencies.ttl"),
])
def test_an_agency_named_wrong_is_a_usage_error_not_a_silent_no_op(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   args: list[str], said: str, hint: str) -> None:
    """--prefer PSA used to settle nothing (the id is psa) and PATH=AGENCY to credit an agency
    nobody describes, both in silence; now nothing is written and the agency meant is named."""
    inputs = [str(PSA), str(AGENCIES)] + ([] if any("=" in a for a in args) else [f"{UN}=un-desa-pd"])
    out = tmp_path / "out.trig"
    code, _, error = run(capsys, "merge", *inputs, *args, "-o", str(out))
    assert code == 2, error
    assert said in error and f"hint: {hint}" in error
    assert "Traceback" not in error and not out.exists()


def test_merge_refuses_what_publish_refuses_of_a_survey_united(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two files of one survey that each conform: one says access 'unknown', the other
    'licensed'. publish refused them as merged; merge wrote them and exited 0 (the review).
    It now says why, by file, and writes nothing."""
    text = (REPO / "records" / "ph-sof.ttl").read_text(encoding="utf-8")
    for folder, written in (("psa", text), ("un", text.replace("mm:accessLevel acc:unknown", "mm:accessLevel acc:licensed"))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "ph-sof.ttl").write_text(written, encoding="utf-8")
    shutil.copy(REPO / "records" / "agencies.ttl", tmp_path / "agencies.ttl")
    out = tmp_path / "cat.trig"
    code, stdout, err = run(capsys, "merge", f"{tmp_path / 'psa'}=psa", f"{tmp_path / 'un'}=un-desa-pd",
                            str(tmp_path / "agencies.ttl"), "-o", str(out))
    assert code == 1 and not out.exists(), stdout + err
    for file in ("psa", "un"):
        assert (f"{tmp_path / file / 'ph-sof.ttl'}: violation: item 14 (Researcher access): as merged with "
                in err), err
    assert "access is given both as 'unknown' and as a known level" in err
    assert err.rstrip().endswith("nothing written: the surveys several files describe do not conform as merged")
    code, stdout, err = run(capsys, "merge", f"{tmp_path / 'psa'}=psa", str(tmp_path / "agencies.ttl"), "-o", str(out))
    assert code == 0 and out.is_file(), err  # one description alone: merged as before


def test_merge_warns_of_one_agency_under_two_ids_as_validate_does(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """validate and publish warned that agency:psa looks like a copy of it described under
    another id in another file; merge, given the same files, said nothing (a curator's review)."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix mm: <https://w3id.org/migrmeta/ns#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n@prefix agency: <https://w3id.org/migrmeta/agency/> .\n"
        "agency:philippine-statistics-authority a foaf:Agent, foaf:Organization, mm:Agency ;\n"
        "    dct:type <https://w3id.org/migrmeta/vocab/agency-type/national-statistical-office> ;\n"
        '    foaf:name "Philippine Statistics Authority"@en ;\n'
        "    mm:basedIn <http://publications.europa.eu/resource/authority/country/PHL> .\n", encoding="utf-8")
    agencies = REPO / "records" / "agencies.ttl"
    inputs = [str(REPO / "records" / "ph-sof.ttl"), str(agencies), f"{extra}=un-desa-pd"]
    code, out, err = run(capsys, "merge", *inputs, "-o", str(tmp_path / "m.trig"))
    assert code == 0, out + err
    assert (f"{agencies}: warning: agency 'agency:psa' looks like philippine-statistics-authority "
            f"(Philippine Statistics Authority, Philippines), described in {extra}") in err, err
    code, out, _ = run(capsys, "validate", "--no-cache", *inputs[:2], str(extra))
    assert "agency 'agency:psa' looks like philippine-statistics-authority" in out  # the same check
    extra.write_text(extra.read_text(encoding="utf-8").replace(
        "mm:basedIn", "<http://www.w3.org/2002/07/owl#differentFrom> agency:psa ;\n    mm:basedIn"), encoding="utf-8")
    code, out, err = run(capsys, "merge", *inputs, "-o", str(tmp_path / "n.trig"))
    assert code == 0 and "looks like" not in err  # said to be two: no warning


def _with_methods(tmp_path: Path, name: str, source: Path, *periods: int, definition: str = "Residence before.") -> Path:
    """`source` with one identification method by previous residence for each reference period."""
    methods = " , ".join(f'[ a mm:IdentificationMethod ; mm:criterion <{IC}previous-usual-residence> ; '
                         f'<{SKOS_DEFINITION}> "{definition}"@en ; mm:referencePeriodYears {years} ]'
                         for years in periods)
    return _variant(tmp_path, name, "    dct:spatial country:PHL ;",
                    f"    dct:spatial country:PHL ;\n    mm:identification {methods} ;", source)


IC = "https://w3id.org/migrmeta/vocab/identification-criterion/"
SKOS_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"


def test_an_identification_method_given_with_another_period_is_reported_and_both_kept(tmp_path: Path) -> None:
    five, three = _with_methods(tmp_path, "psa.ttl", PSA, 5), _with_methods(tmp_path, "un.ttl", UN, 3)
    result = merge([str(five), f"{three}=un-desa-pd"], prefer=["psa"])
    assert result.exit_code() == 0  # two methods, each true for one agency: no conflict
    [differing] = result.differing
    assert (differing.survey, differing.criterion, differing.parameter) == (
        SOF, URIRef(f"{IC}previous-usual-residence"), MM.referencePeriodYears)
    assert [(str(v), [c.source for c in cs]) for v, cs in differing.values] == [("3", [str(three)]), ("5", [str(five)])]
    periods = {str(o) for s, p, o in result.catalogue() if p == MM.referencePeriodYears}
    assert periods == {"3", "5"}  # both published
    report = render_report(result)
    assert "differs: item 11 (Identification of migrants), mm:referencePeriodYears of the method" in report
    assert f'    "5"^^xsd:integer  <- {five} (psa)' in report and "correct the file that is wrong" in report


def test_methods_that_say_less_or_in_other_words_do_not_differ(tmp_path: Path) -> None:
    both = _with_methods(tmp_path, "un.ttl", UN, 5, 3)  # the survey asks both periods: psa names one of them
    assert not merge([str(_with_methods(tmp_path, "psa.ttl", PSA, 5)), f"{both}=un-desa-pd"]).differing
    worded = _with_methods(tmp_path, "un-worded.ttl", UN, 5, definition="Usual residence five years ago.")
    assert not merge([str(_with_methods(tmp_path, "psa.ttl", PSA, 5)), f"{worded}=un-desa-pd"]).differing


def test_merge_command_tells_of_differing_methods(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    five, three = _with_methods(tmp_path, "psa.ttl", PSA, 5), _with_methods(tmp_path, "un.ttl", UN, 3)
    code, out, err = run(capsys, "merge", str(five), f"{three}=un-desa-pd", "--prefer", "psa",
                         "-o", str(tmp_path / "merged.trig"))
    assert code == 0, err
    assert "differs: item 11" in out + err and "1 answer differing" in out + err


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_merge_report_is_in_the_language_of_lang(tmp_path: Path, lang: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """merge had no --lang: a curator read 'conflict: item 4 (Time frame) ... hint: choose with
    --prefer' in English while validate and publish spoke French."""
    from migrmeta.messages import message

    later = _variant(tmp_path, "later.ttl", '"1993"^^xsd:gYear', '"2001"^^xsd:gYear')
    code, out, err = run(capsys, "merge", str(PSA), f"{later}=un-desa-pd", str(AGENCIES), "-o",
                         str(tmp_path / "m.trig"), "--lang", lang)
    assert code == 1
    name = load_reference().item_names()[4][lang]
    field = {"fr": "période", "es": "período"}[lang]  # the shape's sh:name in the language
    assert message("merge.conflict", lang, item=message("merge.item", lang, item=4, name=name) + f", {field}",
                   property="dct:temporal", language="", subject="survey:ph-sof") in err, err
    assert message("merge.hint_choose", lang).replace("{--prefer AGENCY|prefer=[AGENCY]}", "--prefer AGENCY") in err
    assert "conflict:" not in err and "hint:" not in err and "contributions from" not in err
    code, out, err = run(capsys, "merge", str(PSA), f"{later}=un-desa-pd", str(AGENCIES), "-o",
                         str(tmp_path / "m.trig"), "--prefer", "psa", "--lang", lang)
    assert code == 0, err
    assert message("merge.kept_preferred", lang, agency="psa") in err
    assert str(tmp_path / "m.trig") in out and "written to" not in out


def test_known_agencies_describe_only_the_agencies_the_surveys_name_undescribed(tmp_path: Path) -> None:
    """merge(known_agencies=...) (publish: the file validation knew) takes in the description of
    each agency the surveys name that no input describes, its nested nodes with it, and nothing
    else: not the other agencies of the file, not one the inputs describe themselves."""
    prefixes = ("@prefix agency: <https://w3id.org/migrmeta/agency/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
                "@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    known = tmp_path / "known.ttl"
    known.write_text(prefixes + 'agency:psa a foaf:Agent ; foaf:name "Philippine Statistics Authority"@en ;\n'
                     '  dcat:contactPoint [ a vcard:Organization ; vcard:fn "PSA desk" ] .\n'
                     'agency:un-desa-pd a foaf:Agent ; foaf:name "Known elsewhere"@en .\n'
                     'agency:ilo a foaf:Agent ; foaf:name "International Labour Organization"@en .\n',
                     encoding="utf-8")
    described = tmp_path / "un.ttl"  # the inputs describe un-desa-pd themselves: theirs wins
    described.write_text(prefixes + 'agency:un-desa-pd a foaf:Agent ; foaf:name "UN DESA Population Division"@en .\n',
                         encoding="utf-8")
    result = merge([str(PSA), str(described)], known_agencies=known)
    psa, un = AGENCY["psa"], AGENCY["un-desa-pd"]
    assert result.taken == [psa] and result.taken_from == str(known) and result.unnamed == []
    catalogue = result.catalogue()
    names = {(s, o) for s, p, o in catalogue if p == FOAF_NAME}
    assert names == {(psa, Literal("Philippine Statistics Authority", lang="en")),
                     (un, Literal("UN DESA Population Division", lang="en"))}
    contact = next(o for s, p, o in catalogue if s == psa and p == DCAT.contactPoint)
    assert (contact, VCARD_FN, Literal("PSA desk")) in catalogue  # the nested node came with it
    taken = next(c for c in result.contributions if c.source == str(known))
    assert taken.graph == GRAPH["migrmeta/known-agencies.ttl"] and all(s in (psa, contact) for s, _, _ in taken.triples)
    without = merge([str(PSA), str(described)])
    assert without.taken == [] and without.unnamed == [psa]


def test_known_agencies_of_the_same_name_as_an_input_get_a_graph_of_their_own(tmp_path: Path) -> None:
    """An input named like the known agencies' graph, of the same agency, keeps its graph's name."""
    folder = tmp_path / "known"
    folder.mkdir()
    known = folder / "agencies.ttl"
    known.write_text("@prefix agency: <https://w3id.org/migrmeta/agency/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
                     'agency:psa a foaf:Agent ; foaf:name "Philippine Statistics Authority"@en .\n', encoding="utf-8")
    other = tmp_path / "known-agencies.ttl"
    other.write_text("@prefix agency: <https://w3id.org/migrmeta/agency/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
                     'agency:ilo a foaf:Agent ; foaf:name "International Labour Organization"@en .\n', encoding="utf-8")
    result = merge([str(PSA), str(other)], known_agencies=known)
    graphs = {c.source: c.graph for c in result.contributions}
    assert graphs[str(other)] == GRAPH["migrmeta/known-agencies.ttl"]
    assert str(graphs[str(known)]).startswith(f"{GRAPH['migrmeta/known-agencies.ttl']}-") and len(set(graphs.values())) == 3


def test_what_an_input_says_of_an_agency_is_not_taken_from_the_known_agencies(tmp_path: Path) -> None:
    """An input that gives agency:psa a country and no name: the known file's country was taken
    too, a conflict that refused the publish of a folder which published before (a review's find)."""
    partial = tmp_path / "psa-agency.ttl"
    partial.write_text("@prefix agency: <https://w3id.org/migrmeta/agency/> . @prefix mm: <https://w3id.org/migrmeta/ns#> .\n"
                       "@prefix country: <http://publications.europa.eu/resource/authority/country/> .\n"
                       "agency:psa mm:basedIn country:MEX .\n", encoding="utf-8")
    result = merge([str(PSA), str(partial)], known_agencies=REPO / "records" / "agencies.ttl")
    assert not result.refused and result.taken == [AGENCY["psa"]]
    catalogue = result.catalogue()
    assert {o for s, p, o in catalogue if s == AGENCY["psa"] and p == MM.basedIn} == {
        URIRef("http://publications.europa.eu/resource/authority/country/MEX")}
    assert (AGENCY["psa"], FOAF_NAME, Literal("Philippine Statistics Authority", lang="en")) in catalogue


def test_the_maintainer_a_conflict_hint_names_can_be_preferred(tmp_path: Path) -> None:
    """agencies.ttl, a file without surveys, is credited to the catalogue's maintainer (migrmeta).
    A conflict it takes part in named it in the hint ("add which of migrmeta or ... wins"), and
    `--prefer migrmeta` was then refused as "not an agency described" (the curator review)."""
    record = tmp_path / "psa" / "ph-sof.ttl"
    record.parent.mkdir()
    text = PSA.read_text(encoding="utf-8")
    # the contributor describes its own agency, with another type than agencies.ttl gives it
    record.write_text(text + "\nagency:psa a <http://xmlns.com/foaf/0.1/Agent> ;\n"
                      "    dct:type <https://w3id.org/migrmeta/vocab/agency-type/government> .\n", encoding="utf-8")
    inputs = [f"{record}=psa", f"{UN}=un-desa-pd", str(AGENCIES)]
    result = merge(inputs, prefer=["un-desa-pd"])
    said = render_report(result, cli=True)
    assert "which of migrmeta or psa wins" in said and [c.subjects for c in result.unresolved] == [(AGENCY["psa"],)], said
    settled = merge(inputs, prefer=["un-desa-pd", "migrmeta"])  # the hint's agency: accepted, and it settles
    assert not settled.unresolved, render_report(settled, cli=True)
    assert {o for s, p, o in settled.catalogue() if s == AGENCY["psa"] and p == DCT.type} == {
        URIRef("https://w3id.org/migrmeta/vocab/agency-type/national-statistical-office")}


def test_a_published_file_edited_and_sent_back_gives_a_conflict_prefer_settles(published: Published,
                                                                               tmp_path: Path) -> None:
    """An agency takes the published surveys/gb-ips.jsonld, changes the start year and sends it
    back: its period kept the skolem IRI of the ONS period (1961), so the merge saw one period
    with two start years, a violation --prefer could not settle (the curator review). The
    published file's nested nodes are named by their content again: two periods, a conflict."""
    (tmp_path / "ons").mkdir()
    (tmp_path / "un").mkdir()
    shutil.copy(REPO / "records" / "gb-ips.ttl", tmp_path / "ons" / "gb-ips.ttl")
    text = (published.out / "surveys" / "gb-ips.jsonld").read_text(encoding="utf-8")
    assert text.count('"@value": "1961"') == 1 and "/.well-known/genid/" in text
    (tmp_path / "un" / "gb-ips.jsonld").write_text(text.replace('"@value": "1961"', '"@value": "1964"'),
                                                   encoding="utf-8")
    inputs = [f"{tmp_path / 'ons'}=ons", f"{tmp_path / 'un'}=un-desa-pd", str(REPO / "records" / "agencies.ttl")]
    result = merge(inputs)
    temporal = [c for c in result.unresolved if c.predicate == DCT.temporal]
    assert [c.subjects for c in temporal] == [(SURVEY["gb-ips"],)], render_report(result, cli=True)
    # the published file describes ONS too, with the publisher type the profile adds: agencies.ttl's wins
    settled = merge(inputs, prefer=["ons", "migrmeta"])
    assert not settled.unresolved, render_report(settled, cli=True)
    assert starts(settled, SURVEY["gb-ips"]) == {"1961"}
    unchanged = merge([f"{tmp_path / 'ons'}=ons", str(REPO / "records" / "agencies.ttl"),
                       f"{published.out / 'surveys' / 'gb-ips.jsonld'}=un-desa-pd"], prefer=["ons", "migrmeta"])
    assert not unchanged.unresolved and starts(unchanged, SURVEY["gb-ips"]) == {"1961"}  # the same period: one
    # a file that only points at the period (described by the published file) keeps the link
    [period] = {o for s, p, o in unchanged.catalogue() if s == SURVEY["gb-ips"] and p == DCT.temporal}
    pointer = tmp_path / "see-also.ttl"
    pointer.write_text(f"<https://example.org/note> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{period}> .\n",
                       encoding="utf-8")
    linked = merge([f"{tmp_path / 'ons'}=ons", str(REPO / "records" / "agencies.ttl"), f"{pointer}=ons",
                    f"{published.out / 'surveys' / 'gb-ips.jsonld'}=un-desa-pd"], prefer=["ons", "migrmeta"])
    assert {o for s, _, o in linked.catalogue() if s == URIRef("https://example.org/note")} == {period}
