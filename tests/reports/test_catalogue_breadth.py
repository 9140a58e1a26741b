"""Issue 17, item 2, from the data: how wide the bundled catalogue is.

Programmes: a series with its rounds counts once, a standalone survey once. Conducting
countries: the `mm:basedIn` of the agencies conducting a survey (`dct:creator`);
international organisations count as organisations but not as countries. Regions: the UN
M49 regions of those countries.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from migrmeta.load import iter_records
from migrmeta.namespaces import DCAT, DCT, MM, RDF, VOCAB_BASE
from migrmeta.values.countries import countries

INTERNATIONAL = URIRef(f"{VOCAB_BASE}agency-type/international-organisation")


@pytest.fixture(scope="module")
def catalogue(root: Path) -> Graph:
    graph = Graph()
    for record in iter_records([root / "records"]):
        assert not isinstance(record, Exception), record
        graph += record.graph
    return graph


def conducting(graph: Graph) -> set[URIRef]:
    works = set(graph.subjects(RDF.type, MM.Survey)) | set(graph.subjects(RDF.type, MM.SurveySeries))
    return {a for s in works for a in graph.objects(s, DCT.creator) if isinstance(a, URIRef)}


def test_at_least_60_programmes(catalogue: Graph) -> None:
    surveys = set(catalogue.subjects(RDF.type, MM.Survey))
    series = set(catalogue.subjects(RDF.type, MM.SurveySeries))
    programmes = {catalogue.value(s, DCAT.inSeries) or s for s in surveys} | series
    assert len(programmes) >= 60, len(programmes)


def test_at_least_40_conducting_countries_and_25_organisations(catalogue: Graph) -> None:
    agencies = conducting(catalogue)
    assert len(agencies) >= 25, len(agencies)
    based = {catalogue.value(a, MM.basedIn) for a in agencies} - {None}
    assert len(based) >= 40, len(based)


def test_every_region_of_the_world_conducts(catalogue: Graph) -> None:
    based = {catalogue.value(a, MM.basedIn) for a in conducting(catalogue)} - {None}
    regions = {m49.region for c in based if (m49 := countries().m49(str(c))) is not None}
    assert regions >= {"Africa", "Americas", "Asia", "Europe", "Oceania"}, regions


def test_every_agency_has_a_kind_and_a_country_unless_international(catalogue: Graph) -> None:
    for agency in catalogue.subjects(RDF.type, MM.Agency):
        kind = catalogue.value(agency, DCT.type)
        assert kind is not None, agency
        based = catalogue.value(agency, MM.basedIn)
        if kind == INTERNATIONAL:
            assert based is None, agency
        else:
            assert based is not None and countries().get(str(based)) is not None, agency
