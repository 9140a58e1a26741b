"""Cited addresses and their kinds (migrmeta.validation.sources): host rules as data, agencies' sites."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef

from migrmeta import defaults
from migrmeta.errors import InputError
from migrmeta.namespaces import AGENCY, DCAT, DCATAP, DCT, FOAF, MM, RDF, SURVEY
from migrmeta.validation.sources import (
    KINDS,
    agency_sites,
    citations,
    load_host_rules,
    parse_host_rules,
)

SURVEY_IRI = SURVEY["x-2020"]


def catalogue(*cited: tuple[URIRef, str]) -> Graph:
    graph = Graph()
    graph.add((SURVEY_IRI, DCT.creator, AGENCY.inegi))
    graph.add((SURVEY_IRI, DCT.publisher, AGENCY.conapo))
    graph.add((AGENCY.inegi, FOAF.homepage, URIRef("https://www.inegi.org.mx/")))
    graph.add((AGENCY.conapo, FOAF.homepage, URIRef("https://www.gob.mx/conapo")))
    graph.add((AGENCY.other, FOAF.homepage, URIRef("https://www.ilo.org/")))
    for predicate, address in cited:
        graph.add((SURVEY_IRI, predicate, URIRef(address)))
    return graph


def kinds(graph: Graph) -> dict[str, str]:
    return {c.address: c.kind for c in citations(graph, SURVEY_IRI, load_host_rules(), agency_sites(graph))}


def test_kinds_of_addresses() -> None:
    graph = catalogue(
        (DCT.source, "https://inegi.org.mx/programas/enadid/2018"),  # the conducting agency's site, sub-domain too
        (DCT.source, "https://www.gob.mx/conapo/documentos/x"),  # a shared host: the agency's path
        (DCT.source, "https://www.gob.mx/sre/documentos/x"),  # the same host, another agency
        (DCT.source, "https://doi.org/10.1234/x"),
        (DCT.source, "https://microdata.worldbank.org/index.php/catalog/64"),
        (DCATAP.applicableLegislation, "http://data.europa.eu/eli/reg/2019/1700/oj"),
        (DCT.source, "https://data.europa.eu/data/datasets/x"),  # the portal, not a legal text
        (DCT.source, "https://de.scribd.com/document/1/x"),
        (DCT.source, "https://docplayer.es/1-x.html"),
        (DCT.source, "https://www.proceso.com.mx/nacional/x"),
        (DCT.source, "https://www.ilo.org/x"),  # an agency's site, but not one conducting or publishing
        (DCAT.landingPage, "https://www.inegi.org.mx/programas/enadid/"),
    )
    assert kinds(graph) == {
        "https://inegi.org.mx/programas/enadid/2018": "publisher",
        "https://www.gob.mx/conapo/documentos/x": "publisher",
        "https://www.gob.mx/sre/documentos/x": "other",
        "https://doi.org/10.1234/x": "doi",
        "https://microdata.worldbank.org/index.php/catalog/64": "archive",
        "http://data.europa.eu/eli/reg/2019/1700/oj": "legal",
        "https://data.europa.eu/data/datasets/x": "other",
        "https://de.scribd.com/document/1/x": "mirror",
        "https://docplayer.es/1-x.html": "mirror",
        "https://www.proceso.com.mx/nacional/x": "news",
        "https://www.ilo.org/x": "other",
        "https://www.inegi.org.mx/programas/enadid/": "publisher",
    }
    cited = citations(graph, SURVEY_IRI, load_host_rules(), agency_sites(graph))
    conapo = next(c for c in cited if "conapo" in c.address)
    assert conapo.agency == str(AGENCY.conapo) and conapo.predicate == "dct:source"


def test_distribution_links_and_only_web_addresses() -> None:
    graph = catalogue((DCT.isReferencedBy, "urn:isbn:978-0-367-62556-6"))
    distribution = BNode()
    graph.add((SURVEY_IRI, DCAT.distribution, distribution))
    graph.add((distribution, DCAT.accessURL, URIRef("https://www.icpsr.umich.edu/web/DSDR/studies/38063")))
    cited = citations(graph, SURVEY_IRI, load_host_rules(), agency_sites(graph))
    assert [(c.predicate, c.kind) for c in cited] == [("dcat:accessURL", "archive")]


def test_a_round_is_published_by_its_series_agencies() -> None:
    graph = Graph()
    series, round_ = SURVEY["s"], SURVEY["s-2020"]
    graph.add((round_, DCAT.inSeries, series))
    graph.add((series, DCT.creator, AGENCY.inegi))
    graph.add((AGENCY.inegi, FOAF.homepage, URIRef("https://www.inegi.org.mx/")))
    graph.add((round_, DCT.source, URIRef("https://www.inegi.org.mx/x")))
    assert [c.kind for c in citations(graph, round_, load_host_rules(), agency_sites(graph))] == ["publisher"]


def test_the_host_rules_file_is_valid_and_sorted_by_kind() -> None:
    rules = load_host_rules()
    assert {r.kind for r in rules.rules} <= set(KINDS) - {"other"}
    keys = [(KINDS.index(r.kind), r.host + r.path) for r in rules.rules]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for host in ("docslib.org", "scribd.com", "yumpu.com", "fliphtml5.com", "lawsdocbox.com", "pdfroom.com",
                 "docplayer.net", "slideplayer.com", "studylib.net"):
        assert rules.kind(f"https://{host}/doc/1") == "mirror", host
    assert rules.kind("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32008R0391") == "legal"
    assert rules.kind("https://example.org/") is None


def test_publisher_rules_name_an_agency_of_the_catalogue(root: Path) -> None:
    agencies = set(Graph().parse(root / "records" / "agencies.ttl").subjects(RDF.type, MM.Agency))
    named = [r for r in load_host_rules().rules if r.kind == "publisher"]
    assert named and all(URIRef(r.agency) in agencies for r in named), [r.agency for r in named]


def test_another_site_of_an_agency_is_its_page_only_for_its_surveys() -> None:
    rules = parse_host_rules("host,kind,note,agency\nold-inegi.mx,publisher,former domain,inegi\n", "r.csv")
    graph = catalogue((DCT.source, "https://old-inegi.mx/enadid"))
    cited = citations(graph, SURVEY_IRI, rules, agency_sites(graph))
    assert [(c.kind, c.agency) for c in cited] == [("publisher", str(AGENCY.inegi))]
    graph.remove((SURVEY_IRI, DCT.creator, AGENCY.inegi))
    assert [c.kind for c in citations(graph, SURVEY_IRI, rules, agency_sites(graph))] == ["other"]


def test_the_command_line_offers_every_kind() -> None:
    assert defaults.SOURCE_KINDS == KINDS


def test_bad_host_rules_name_the_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_host_rules("# comment\nhost,kind,note\nexample.org,blog,x\n", "rules.csv")
    assert caught.value.location.line == 3 and "blog" in str(caught.value) and "mirror" in str(caught.value)
    with pytest.raises(InputError, match="header"):
        parse_host_rules("example.org,news\n", "rules.csv")
    with pytest.raises(InputError, match="fourth column"):
        parse_host_rules("host,kind,note,agency\nexample.org,publisher,x\n", "rules.csv")


def test_the_most_specific_rule_wins_and_the_first_of_equals() -> None:
    """Rules are looked up by the address's host and the domains above it, and `name.*` rules
    by pattern: the most specific fitting rule (longest path, then longest host), the first
    of those as specific."""
    rules = parse_host_rules("host,kind,note\n"
                             "example.org,mirror,whole domain\n"
                             "data.example.org,archive,a subdomain\n"
                             "example.org/reports,news,a path\n"
                             "example.*,legal,any top-level domain\n"
                             "example.org,news,the same host again\n", "rules.csv")
    assert rules.kind("https://www.example.org/") == "mirror"  # "www." dropped; the first of two equal rules
    assert rules.kind("https://a.b.example.org/x") == "mirror"
    assert rules.kind("https://x.data.example.org/") == "archive"
    assert rules.kind("https://example.org/reports/2020.pdf") == "news"
    assert rules.kind("https://example.co.uk/") == "legal"
    assert rules.kind("https://www.example.de/") == "legal"
    assert rules.kind("https://notexample.org/") is None  # a host ending in the name, not a domain of it
    assert rules.kind("https://example.org.elsewhere.net/") is None
